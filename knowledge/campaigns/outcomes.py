"""A campaign's finished results per creator, as what the owner measured against the public
forecast (knowledge.advice.learning.Outcome), for the forecast of their next briefs.

Finished: reported on the last day or after (a total so far, at launch or mid-campaign, would
read as a rate below the real one). Each creator's figures are their latest so reported.

A campaign whose results were given only as a whole counts as one outcome when every creator
it follows (but those who declined or were replaced) is of one side on one platform, in one
wave (a wave-2 reserve may never have been released): a mixed campaign's totals can't be
told apart.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from knowledge.advice.learning import Outcome
from knowledge.advice.stored import plan_people
from knowledge.base import Metric, Side
from knowledge.campaigns.checkins import EARLY_STAGES, latest
from knowledge.campaigns.pipeline import CreatorStatus

SIDES = (Side.MICRO.value, Side.MACRO.value)


class Followed(Protocol):
    """A creator the campaign follows (storage.models.CampaignCreator)."""

    @property
    def id(self) -> int | None: ...

    @property
    def influencer_id(self) -> int: ...

    @property
    def side(self) -> str: ...

    @property
    def platform(self) -> str: ...

    @property
    def posts(self) -> int: ...

    @property
    def forecast(self) -> dict[str, Any]: ...

    @property
    def wave(self) -> int: ...

    @property
    def status(self) -> str: ...

    @property
    def replaced_by(self) -> int | None: ...


def _learned_factors(recommendation: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    """The factors an earlier blend put in each plan line's forecast, by the roster's id."""
    found: dict[int, Mapping[str, Any]] = {}
    for line in plan_people(recommendation).lines:
        figures = line.get("figures")
        if "id" in line and isinstance(figures, Mapping):
            found.setdefault(int(line["id"]), figures.get("learned") or {})
    return found


def _public(forecast: Mapping[str, Any], factors: Mapping[str, Any]) -> dict[Metric, float]:
    """The middle of each measure's forecast, as the public rates alone would make it."""
    public = {}
    for metric in Metric:
        trio = forecast.get(metric.value)
        if isinstance(trio, Sequence) and len(trio) == 3:
            public[metric] = float(trio[1]) / float(factors.get(metric.value, 1.0) or 1.0)
    return public


def _finished(results: Iterable[Mapping[str, Any]]) -> dict[Metric, float]:
    """The measures last reported on the last day or after."""
    reported = latest(r for r in results if r.get("stage") not in EARLY_STAGES)
    return {m: float(reported[m.value]) for m in Metric if m.value in reported}


def _as_a_whole(
    campaign_id: int,
    factors: Mapping[int, Mapping[str, Any]],
    creators: Sequence[Followed],
    totals: Iterable[Mapping[str, Any]],
) -> list[Outcome]:
    """The campaign's own totals as one outcome, when its creators are all of one side on
    one platform in one wave (else none)."""
    actual = _finished(totals)
    kept = [c for c in creators if c.replaced_by is None and c.status != CreatorStatus.DECLINED]
    groups = {(c.side, c.platform, c.wave) for c in kept}
    if not actual or len(groups) != 1:
        return []
    [(side, platform, wave)] = groups
    if side not in SIDES or wave != 1:
        return []
    public: dict[Metric, float] = defaultdict(float)
    for c in kept:
        for metric, value in _public(c.forecast, factors.get(c.influencer_id, {})).items():
            public[metric] += value
    posts = sum(c.posts for c in kept)
    return [Outcome(campaign_id, Side(side), platform, posts, actual, dict(public))]


def outcomes(
    campaign_id: int,
    recommendation: Mapping[str, Any],
    creators: Sequence[Followed],
    results: Iterable[Mapping[str, Any]],
    totals: Iterable[Mapping[str, Any]] = (),
) -> list[Outcome]:
    """Each creator of the campaign with finished results: what they brought beside their
    public forecast; with none, the campaign's own `totals` (`_as_a_whole`). `results`: the
    creators' reported results, oldest first, each with its `creator_id` and `stage`;
    `totals`: the campaign's, oldest first, each with its `stage`."""
    finished: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for result in results:
        finished[int(result["creator_id"])].append(result)
    factors = _learned_factors(recommendation)
    found = []
    for c in creators:
        actual = _finished(finished.get(c.id or 0, []))
        if not actual or c.side not in SIDES:
            continue
        public = _public(c.forecast, factors.get(c.influencer_id, {}))
        found.append(Outcome(campaign_id, Side(c.side), c.platform, c.posts, actual, public))
    return found or _as_a_whole(campaign_id, factors, creators, totals)
