"""Reading the knowledge base from `knowledge/data/` (and an optional override file of
assumptions), with every consistency check, into the types of `knowledge.base.model`."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

from knowledge.base.model import (
    DATA_DIR,
    Ambassador,
    Assumptions,
    Audience,
    Band,
    ChecklistLine,
    Fact,
    FactKind,
    Funnel,
    Goal,
    KnowledgeBase,
    Metric,
    Niche,
    PlanRules,
    Platform,
    Seeding,
    Side,
    Source,
    Spread,
    Strategy,
    TestPlan,
    Tier,
    Tip,
    Vetting,
    Waves,
)
from knowledge.base.posts import read_post_rules
from knowledge.base.windows import read_window_rules


class KnowledgeError(ValueError):
    """The knowledge data (or an override file) is inconsistent."""


def _read(name: str) -> dict[str, Any]:
    with (DATA_DIR / name).open("rb") as fh:
        return tomllib.load(fh)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _spread(raw: Any) -> Spread:
    low, high = float(raw["low"]), float(raw["high"])
    spread = Spread(low, float(raw.get("mid", (low + high) / 2)), high)
    if not 0 <= spread.low <= spread.mid <= spread.high <= 1:
        raise KnowledgeError(f"a rate needs 0 <= low <= mid <= high <= 1: {raw}")
    return spread


def _tiers(raw: list[dict[str, Any]]) -> tuple[Tier, ...]:
    return tuple(
        Tier(
            name=str(t["name"]),
            min_followers=int(t["min_followers"]),
            side=Side(t["side"]),
            reach_factor=float(t["reach_factor"]),
            click_factor=float(t["click_factor"]),
            conversion_rate=_spread(t["conversion_rate"]),
            typical_engagement_rate=float(t["typical_engagement_rate"]),
        )
        for t in raw
    )


def _funnel(f: dict[str, Any]) -> Funnel:
    return Funnel(
        default_audience_quality=int(f["default_audience_quality"]),
        dilution_posts_per_week=float(f["dilution_posts_per_week"]),
        dilution_factor=float(f["dilution_factor"]),
        sponsored_engagement=_spread(f["sponsored_engagement"]),
        max_engagement_per_reach=float(f["max_engagement_per_reach"]),
        reach_rate={k: _spread(v) for k, v in f["reach_rate"].items()},
        click_rate={k: _spread(v) for k, v in f["click_rate"].items()},
        repeat_post_value=tuple(float(v) for v in f["repeat_post_value"]),
        shared_uncertainty=float(f["shared_uncertainty"]),
        rate_percentile=float(f["rate_percentile"]),
        range_percentile=float(f["range_percentile"]),
        credibility_posts=float(f["credibility_posts"]),
    )


def _strategy(s: dict[str, Any]) -> Strategy:
    return Strategy(
        prior_macro_share={Goal(k): int(v) for k, v in s["prior_macro_share"].items()},
        specialist_niche_shift=int(s["specialist_niche_shift"]),
        tolerance=float(s["tolerance"]),
        big_voice_tolerance={Goal(k): float(v) for k, v in s["big_voice_tolerance"].items()},
        big_voice_followers=int(s["big_voice_followers"]),
        split_grid=tuple(int(v) for v in s["split_grid"]),
    )


def _plan_rules(p: dict[str, Any]) -> PlanRules:
    return PlanRules(
        max_people=int(p["max_people"]),
        people_cap=_bands(p["people_cap"]),
        shown_people=int(p["shown_people"]),
        max_posts_per_creator=int(p["max_posts_per_creator"]),
        max_posts_by_tier={k: int(v) for k, v in p.get("max_posts_by_tier", {}).items()},
        max_share_per_creator=float(p["max_share_per_creator"]),
        share_cap_from=_per_currency(p["share_cap_from"]),
        marginal_cost_multiple=float(p["marginal_cost_multiple"]),
        on_target_share=float(p["on_target_share"]),
        widened_value=float(p["widened_value"]),
        off_niche_value=float(p["off_niche_value"]),
        widened_per_asked=float(p["widened_per_asked"]),
        left_notice_share=float(p["left_notice_share"]),
        one_creator_share=float(p["one_creator_share"]),
        audience_quality_floor=int(p["audience_quality_floor"]),
        macro_audience_quality_floor=int(p["macro_audience_quality_floor"]),
        good_audience_quality=int(p["good_audience_quality"]),
        goal_metric={Goal(k): Metric(v) for k, v in p["goal_metric"].items()},
    )


def _waves(w: dict[str, Any]) -> Waves:
    return Waves(
        from_budget=_per_currency(w["from_budget"]),
        test_share=float(w["test_share"]),
        test_max_people=int(w["test_max_people"]),
    )


def _bands(table: dict[str, Any]) -> dict[str, tuple[Band, ...]]:
    """`{currency: [[budget under, most], …]}`, each currency's bands in ascending order."""
    bands = {str(k): tuple((int(under), int(most)) for under, most in v) for k, v in table.items()}
    if any(list(b) != sorted(b) for b in bands.values()):
        raise KnowledgeError("budget bands must be in ascending order of budget")
    return bands


def _cpm_bands(table: dict[str, Any]) -> dict[str, dict[str, tuple[float, float]]]:
    return {
        str(currency): {str(p): (float(low), float(high)) for p, (low, high) in platforms.items()}
        for currency, platforms in table.items()
    }


def _ambassador(amb: dict[str, Any]) -> Ambassador:
    return Ambassador(
        max_creators=int(amb["max_creators"]),
        creators_cap=_bands(amb["creators_cap"]),
        months=int(amb["months"]),
        min_months=int(amb["min_months"]),
        max_months=int(amb["max_months"]),
        posts_per_month=int(amb["posts_per_month"]),
        later_post_value=float(amb["later_post_value"]),
        exclusivity_premium=_spread(amb["exclusivity_premium"]),
        exclusivity_preference=float(amb["exclusivity_preference"]),
    )


def _per_currency(table: dict[str, Any]) -> dict[str, int]:
    return {str(k): int(v) for k, v in table.items()}


def _assumptions(raw: dict[str, Any]) -> Assumptions:
    try:
        assumptions = Assumptions(
            tiers=_tiers(raw["tiers"]),
            funnel=_funnel(raw["funnel"]),
            strategy=_strategy(raw["strategy"]),
            plan=_plan_rules(raw["plan"]),
            vetting=Vetting(
                engagement_floor_share=float(raw["vetting"]["engagement_floor_share"]),
                engagement_ceiling_multiple=float(raw["vetting"]["engagement_ceiling_multiple"]),
                cheap_ask_share=float(raw["vetting"]["cheap_ask_share"]),
                implausible_ask_share=float(raw["vetting"]["implausible_ask_share"]),
                min_peers=int(raw["vetting"]["min_peers"]),
                over_market_multiple=float(raw["vetting"]["over_market_multiple"]),
                dear_ask_multiple=float(raw["vetting"]["dear_ask_multiple"]),
            ),
            test=TestPlan(
                max_share=float(raw["test"]["max_share"]),
                max_people=int(raw["test"]["max_people"]),
                min_people=int(raw["test"]["min_people"]),
                readable_clicks=int(raw["test"]["readable_clicks"]),
                max_one_share=float(raw["test"]["max_one_share"]),
            ),
            waves=_waves(raw["waves"]),
            ambassador=_ambassador(raw["ambassador"]),
            seeding=Seeding(
                shipping=_per_currency(raw["seeding"]["shipping"]),
                max_parcels=int(raw["seeding"]["max_parcels"]),
            ),
            audience=Audience(
                off_target_value={
                    Goal(k): float(v) for k, v in raw["audience"]["off_target_value"].items()
                }
            ),
            fair_pay_floor=_per_currency(raw["fair_pay"]["floor"]),
            fair_pay_max_raise=float(raw["fair_pay"]["max_raise"]),
            salesperson_day_cost=_per_currency(raw["salesperson"]["day_cost"]),
            cpm_band=_cpm_bands(raw.get("cpm_band", {})),
            sources=dict(raw.get("sources", {})),
        )
    except (KeyError, ValueError, TypeError) as exc:
        if isinstance(exc, KnowledgeError):
            raise
        raise KnowledgeError(f"assumptions are incomplete or invalid: {exc!r}") from exc
    _check(assumptions)
    return assumptions


def _check(a: Assumptions) -> None:
    if not a.tiers or a.tiers[0].min_followers != 0:
        raise KnowledgeError("the first tier must start at 0 followers")
    bounds = [t.min_followers for t in a.tiers]
    if bounds != sorted(set(bounds)):
        raise KnowledgeError("tiers must be in strictly ascending order of min_followers")
    if {t.side for t in a.tiers} != {Side.MICRO, Side.MACRO}:
        raise KnowledgeError("tiers must include at least one micro and one macro tier")
    if set(a.strategy.prior_macro_share) != set(Goal) or set(a.plan.goal_metric) != set(Goal):
        raise KnowledgeError("prior_macro_share and goal_metric need a value for every goal")
    if any(not 0 <= v <= 100 for v in a.strategy.prior_macro_share.values()):
        raise KnowledgeError("prior_macro_share values must be between 0 and 100")
    if any(m is Metric.CLICKS for m in a.plan.goal_metric.values()):
        raise KnowledgeError("goal_metric values must be reach, engagements or conversions")
    if "default" not in a.funnel.click_rate or "default" not in a.funnel.reach_rate:
        raise KnowledgeError("reach_rate and click_rate need a default for platforms not named")
    worst_click = max(t.click_factor for t in a.tiers) * max(
        r.high for r in a.funnel.click_rate.values()
    )
    if worst_click > 1:
        raise KnowledgeError("a click rate times a tier's click factor must stay at most 1")
    values = a.funnel.repeat_post_value
    if not values or values[0] != 1 or list(values) != sorted(values, reverse=True):
        raise KnowledgeError("repeat_post_value starts at 1 and never increases")
    if a.plan.max_posts_per_creator > len(values):
        raise KnowledgeError("repeat_post_value needs a value for every post a creator may get")
    amb, plan = a.ambassador, a.plan
    caps = ((plan.people_cap, plan.max_people), (amb.creators_cap, amb.max_creators))
    allowed = [[*(n for _, n in bands), most] for cap, most in caps for bands in cap.values()]
    if any(each != sorted(each) for each in allowed):  # (a cap of 5 above €100k went unseen)
        raise KnowledgeError("people caps never fall as the budget grows, the last too")
    tiers = {t.name for t in a.tiers}
    if any(t not in tiers or n < 1 for t, n in a.plan.max_posts_by_tier.items()):
        raise KnowledgeError("max_posts_by_tier names known tiers, each at least 1 post")
    shares = (a.waves.test_share, a.test.max_share, a.test.max_one_share, a.plan.on_target_share)
    if not all(0 < share <= 1 for share in shares):
        raise KnowledgeError("test shares, max_one_share and on_target_share are fractions")
    if a.plan.marginal_cost_multiple < 1:
        raise KnowledgeError("marginal_cost_multiple must be at least 1")
    f = a.funnel
    if not 0 <= f.shared_uncertainty <= 1:
        raise KnowledgeError("shared_uncertainty is a fraction")
    if f.credibility_posts <= 0:
        raise KnowledgeError("credibility_posts must be above 0")
    if not 0 < f.rate_percentile < 50 or not 0 < f.range_percentile < 50:
        raise KnowledgeError("rate_percentile and range_percentile are between 0 and 50")
    if not 1 <= a.ambassador.min_months <= a.ambassador.months:
        raise KnowledgeError("ambassador min_months must be between 1 and months")
    if a.ambassador.max_months < a.ambassador.months:
        raise KnowledgeError("ambassador max_months must be at least months")
    if not a.strategy.split_grid or {0, 100} - set(a.strategy.split_grid):
        raise KnowledgeError("split_grid must include 0 and 100")


def _facts(raw: dict[str, Any]) -> tuple[dict[str, Source], tuple[Fact, ...]]:
    sources = {
        sid: Source(
            id=sid,
            title=s["title"],
            short=s["short"],
            number=number,
            title_fr=s.get("title_fr", ""),
            short_fr=s.get("short_fr", ""),
        )
        for number, (sid, s) in enumerate(raw["sources"].items(), start=1)
    }
    facts = tuple(
        Fact(
            id=f["id"],
            source=sources[f["source"]],
            favours=Side(f["favours"]),
            goals=frozenset(Goal(g) for g in f["goals"]),
            weight=int(f["weight"]),
            text=f["text"],
            quote=f.get("quote", ""),
            kind=FactKind(f.get("kind", FactKind.SOURCE)),
            based_on=tuple(f.get("based_on", ())),
            condition=f.get("condition"),
            text_fr=f.get("text_fr", ""),
            quote_fr=f.get("quote_fr", ""),
            against=Side(f["against"]) if "against" in f else None,
        )
        for f in raw["facts"]
    )
    ids = {f.id for f in facts}
    if len(ids) != len(facts):
        raise KnowledgeError("fact ids must be unique")
    if any(set(f.based_on) - ids for f in facts):
        raise KnowledgeError("an inference is based on a fact id that does not exist")
    if any(bool(f.quote) != bool(f.quote_fr) for f in facts):
        raise KnowledgeError("a quote and its French translation (quote_fr) go together")
    return sources, facts


def _niches(raw: dict[str, Any]) -> dict[str, Niche]:
    niches = {
        slug: Niche(
            slug=slug,
            label=n["label"],
            synonyms=tuple(n.get("synonyms", ())) + tuple(n.get("synonyms_fr", ())),
            related=tuple(n.get("related", ())),
            specialist=bool(n.get("specialist", False)),
            label_fr=n.get("label_fr", ""),
            labels=tuple(
                (key.removeprefix("label_"), str(value))
                for key, value in n.items()
                if key.startswith("label_") and key != "label_fr"
            ),
        )
        for slug, n in raw.items()
    }
    if any(set(n.related) - set(niches) for n in niches.values()):
        raise KnowledgeError("a niche is related to a niche that does not exist")
    return niches


def _platforms(raw: dict[str, Any]) -> dict[str, Platform]:
    return {
        slug: Platform(
            slug=slug,
            label=p["label"],
            synonyms=tuple(p.get("synonyms", ())),
            handle_pattern=p.get("handle_pattern", r"^\S{1,100}$"),
            profile_url=p.get("profile_url", ""),
        )
        for slug, p in raw.items()
    }


def _checklist(raw: list[dict[str, Any]], facts: tuple[Fact, ...]) -> tuple[ChecklistLine, ...]:
    checklist = tuple(
        ChecklistLine(
            id=item["id"],
            topic=item["topic"],
            country=item["country"],
            text=item["text"],
            source=item["source"],
            facts=tuple(item.get("facts", ())),
            text_fr=item.get("text_fr", ""),
            niches=tuple(item.get("niches", ())),
        )
        for item in raw
    )
    fact_ids = {f.id for f in facts}
    if any(set(line.facts) - fact_ids for line in checklist):
        raise KnowledgeError("a checklist line rests on a fact id that does not exist")
    return checklist


def load_knowledge(override_file: Path | None = None) -> KnowledgeBase:
    """Read the data files; `override_file` replaces any assumption it names."""
    raw_assumptions = _read("assumptions.toml")
    if override_file is not None:
        with override_file.open("rb") as fh:
            raw_assumptions = _merge(raw_assumptions, tomllib.load(fh))
    sources, facts = _facts(_read("facts.toml"))
    raw_niches = _read("niches.toml")
    return KnowledgeBase(
        sources=sources,
        facts=facts,
        niches=_niches(raw_niches["niches"]),
        platforms=_platforms(raw_niches["platforms"]),
        assumptions=_assumptions(raw_assumptions),
        posts=read_post_rules(DATA_DIR / "posts.toml"),
        windows=read_window_rules(DATA_DIR / "windows.toml"),
        checklist=_checklist(_read("checklist.toml")["items"], facts),
        finding_tips=tuple(
            Tip(id=t["id"], text=t["text"], text_fr=t.get("text_fr", ""))
            for t in _read("finding_creators.toml")["lines"]
        ),
    )


@cache
def default_knowledge() -> KnowledgeBase:
    return load_knowledge()
