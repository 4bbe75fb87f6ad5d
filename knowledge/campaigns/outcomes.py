"""A campaign's finished results per creator, as what the owner measured against the public
forecast (knowledge.advice.learning.Outcome), for the forecast of their next briefs.

Finished: reported on the last day or after (a total so far, at launch or mid-campaign, would
read as a rate below the real one). Each creator's figures are their latest so reported.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Protocol

from knowledge.advice.learning import Outcome
from knowledge.advice.stored import plan_people
from knowledge.base import Metric, Side
from knowledge.campaigns.checkins import EARLY_STAGES, latest


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


def outcomes(
    campaign_id: int,
    recommendation: Mapping[str, Any],
    creators: Iterable[Followed],
    results: Iterable[Mapping[str, Any]],
) -> list[Outcome]:
    """Each creator of the campaign with finished results: what they brought beside their
    public forecast. `results`: the creators' reported results, oldest first, each with its
    `creator_id` and `stage`."""
    finished: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for result in results:
        if result.get("stage") not in EARLY_STAGES:
            finished[int(result["creator_id"])].append(result)
    factors = _learned_factors(recommendation)
    found = []
    for c in creators:
        reported = latest(finished.get(c.id or 0, []))
        actual = {m: float(reported[m.value]) for m in Metric if m.value in reported}
        if not actual or c.side not in (Side.MICRO.value, Side.MACRO.value):
            continue
        public = _public(c.forecast, factors.get(c.influencer_id, {}))
        found.append(Outcome(campaign_id, Side(c.side), c.platform, c.posts, actual, public))
    return found
