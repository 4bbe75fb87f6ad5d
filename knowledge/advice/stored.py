"""A recommendation as plain data (JSON-ready): what is stored with a saved brief, and what
every view of it (the card, Why, Shortlist, Forecast, How, the plan file, a campaign's card)
is rendered from, then or later.

A line's figures are those its forecast was made with, so that the "How these numbers are
made" view can show them and anyone can redo the sums.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from typing import Any

from knowledge.advice.audience import audience_match
from knowledge.advice.choice import Verdict
from knowledge.advice.engine import Recommendation
from knowledge.advice.forecast import Forecast, Range, post_figures, posts_value
from knowledge.advice.plan import Line, Plan
from knowledge.base import Goal, KnowledgeBase, Metric, Side, Spread, in_currency

VERSION = 2


Json = dict[str, Any]


# The goal's headline measure: what one unit costs, and per how many units.
HEADLINE_PER = {Metric.REACH: 1000, Metric.ENGAGEMENTS: 1, Metric.CONVERSIONS: 1}


def _range(r: Range) -> list[float]:
    return [round(r.low, 2), round(r.mid, 2), round(r.high, 2)]


def _forecast(f: Forecast) -> Json:
    return {field.name: _range(getattr(f, field.name)) for field in fields(Forecast)}


def _spread(s: Spread) -> list[float]:
    return [s.low, s.mid, s.high]


def headline(spent_cents: int, forecast: Mapping[str, list[float]], metric: str) -> Json | None:
    """What one unit of the goal's measure costs (per 1,000 people reached for reach), from
    the cheapest case to the dearest; None when the plan brings none of it."""
    low, mid, high = forecast[metric]
    per = HEADLINE_PER[Metric(metric)]
    if high <= 0 or spent_cents <= 0:
        return None
    return {
        "metric": metric,
        "per": per,
        "cheapest_cents": round(spent_cents * per / high),
        "mid_cents": round(spent_cents * per / mid) if mid > 0 else None,
        "dearest_cents": round(spent_cents * per / low) if low > 0 else None,
    }


def _notes(line: Line, rec: Recommendation, kb: KnowledgeBase) -> list[list[Any]]:
    """Why a person fits, as codes and values the templates turn into words."""
    a = kb.assumptions
    c = line.candidate
    tier = a.tier_for(c.followers)
    notes: list[list[Any]] = [
        ["niche", [n for n in c.niches if n in rec.scope.niches] or list(c.niches)[:1]]
    ]
    if c.engagement_rate >= tier.typical_engagement_rate:
        notes.append(["engagement", c.engagement_rate, tier.typical_engagement_rate])
    if c.audience_quality is not None and c.audience_quality >= a.plan.good_audience_quality:
        notes.append(["quality", c.audience_quality])
    if audience_match(c, rec.brief.country, rec.brief.language):
        notes.append(["audience"])
    if rec.brief.goal is Goal.AMBASSADOR and c.open_to_exclusivity:
        notes.append(["exclusive"])
    if post_figures(c, a).diluted:
        notes.append(["frequent", c.posts_per_week or 0, a.funnel.dilution_posts_per_week])
    return notes


def _line(line: Line, rec: Recommendation, kb: KnowledgeBase) -> Json:
    a = kb.assumptions
    c = line.candidate
    figures = post_figures(c, a)
    floor = in_currency(a.fair_pay_floor, rec.brief.currency)
    if line.months:
        post_value = 1 + a.ambassador.later_post_value * (line.posts - 1)
    else:
        post_value = posts_value(a, line.posts, line.first_post)
    return {
        "id": c.id,
        "name": c.name,
        "handle": c.handle,
        "platform": c.platform,
        "tier": figures.tier.name,
        "side": line.side.value,
        "wave": line.wave,
        "posts": line.posts,
        "first_post": line.first_post,
        "months": line.months,
        "price_cents": c.price_cents,
        "cost_cents": line.cost_cents,
        "followers": c.followers,
        "engagement_rate": c.engagement_rate,
        "audience_quality": figures.quality,
        "quality_known": figures.quality_known,
        "posts_per_week": c.posts_per_week,
        "contact": c.contact,
        "country": c.country,
        "language": c.language,
        "open_to_exclusivity": c.open_to_exclusivity,
        "below_fair_pay": floor is not None and c.price_cents < floor,
        "notes": _notes(line, rec, kb),
        "forecast": _forecast(line.forecast),
        "figures": {
            "reach_rate": _spread(figures.reach_rate),
            "sponsored_engagement": _spread(figures.sponsored_engagement),
            "click_rate": _spread(figures.click_rate),
            "click_factor": figures.click_factor,
            "conversion_rate": _spread(figures.conversion_rate),
            "dilution_factor": figures.dilution_factor,
            "post_value": round(post_value, 4),
        },
    }


def _plan(plan: Plan, rec: Recommendation, kb: KnowledgeBase, lines: bool = True) -> Json:
    """A plan as data; the alternatives (all micro, all macro) keep their totals only, and
    which lines they hold (`key`), to tell whether one is the plan itself."""
    forecast = _forecast(plan.forecast)
    return {
        "label": plan.label,
        "budget_cents": plan.budget_cents,
        "spent_cents": plan.spent_cents,
        "micro_cents": plan.spent_on(Side.MICRO),
        "macro_cents": plan.spent_on(Side.MACRO),
        "people": plan.people,
        "posts": plan.posts,
        "waves": plan.waves,
        "forecast": forecast,
        "headline": headline(plan.spent_cents, forecast, rec.metric.value),
        "key": sorted([line.candidate.id, line.wave, line.posts] for line in plan.lines),
        "lines": [_line(line, rec, kb) for line in _ordered(plan, rec.metric)] if lines else [],
    }


def _ordered(plan: Plan, metric: Metric) -> list[Line]:
    """The order people read a plan in: by wave, then side (the side with most of the money
    first), then the goal's measure, best first."""
    first = Side.MACRO if plan.spent_on(Side.MACRO) * 2 > plan.spent_cents else Side.MICRO
    return sorted(
        plan.lines,
        key=lambda line: (line.wave, line.side != first, -line.measure(metric)),
    )


def _plain(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(rec: Recommendation, kb: KnowledgeBase) -> Json:
    """The whole recommendation as JSON-ready data."""
    b = rec.brief
    return {
        "version": VERSION,
        "brief": {
            "goal": b.goal.value,
            "budget_cents": b.budget_cents,
            "currency": b.currency,
            "niche": b.niche,
            "platform": b.platform,
            "country": b.country,
            "language": b.language,
            "order_value_cents": b.order_value_cents,
            "margin_pct": b.margin_pct,
        },
        "verdict": {
            "kind": rec.verdict.kind,
            "micro_pct": rec.verdict.micro_pct,
            "macro_pct": rec.verdict.macro_pct,
        },
        "strategy": rec.strategy.value,
        "metric": rec.metric.value,
        "reasons": [f.id for f in rec.reasons],
        "reason_sides": [[f.id, f.favours.value] for f in rec.reasons],
        "plan": _plan(rec.plan, rec, kb),
        "all_micro": _plan(rec.all_micro, rec, kb, lines=False),
        "all_macro": _plan(rec.all_macro, rec, kb, lines=False),
        "notices": [
            {"code": n.code, "fact": n.fact.id if n.fact else None, "params": _plain(n.params)}
            for n in rec.notices
        ],
        "scope": {
            "niches": list(rec.scope.niches),
            "platform": rec.scope.platform,
            "niche_widened": rec.scope.niche_widened,
            "platform_widened": rec.scope.platform_widened,
        },
    }


def verdict_of(stored: Mapping[str, Any]) -> Verdict:
    v = stored.get("verdict")
    if isinstance(v, Mapping):
        return Verdict(int(v.get("micro_pct", 100)), int(v.get("macro_pct", 0)))
    # Version 1 stored the kind and the shares at the top level.
    return Verdict(int(stored.get("micro_pct", 100)), int(stored.get("macro_pct", 0)))


def plan_forecast(stored: Mapping[str, Any]) -> tuple[int, dict[str, list[float]]]:
    """A stored recommendation's plan: what it spends and its forecast ranges (a version 1
    recommendation stored single figures: they become ranges of one point)."""
    plan = stored.get("plan") or {}
    spent = int(plan.get("spent_cents", 0))
    if "forecast" in plan:
        return spent, {k: list(v) for k, v in plan["forecast"].items()}
    points = {m.value: float(plan.get(m.value, 0) or 0) for m in Metric}
    return spent, {k: [v, v, v] for k, v in points.items()}


def metric_of(stored: Mapping[str, Any], goal: str) -> Metric:
    """The measure a stored recommendation was planned on."""
    if "metric" in stored:
        return Metric(stored["metric"])
    return {
        "sales": Metric.CONVERSIONS,
        "awareness": Metric.REACH,
        "launch": Metric.REACH,
    }.get(goal, Metric.ENGAGEMENTS)


BRIEF_KEYS = (
    "goal",
    "budget_cents",
    "niche",
    "platform",
    "country",
    "language",
    "order_value_cents",
    "margin_pct",
)


def what_changed(old: Mapping[str, Any], new: Mapping[str, Any]) -> Json | None:
    """What a changed answer changed against the previous plan: the brief's answers that
    differ, the creators gained or lost, and the goal's measure before and after."""
    if old.get("version") != VERSION:
        return None
    answers = [
        [key, old["brief"].get(key), new["brief"].get(key)]
        for key in BRIEF_KEYS
        if old["brief"].get(key) != new["brief"].get(key)
    ]
    metric = new["metric"]
    return {
        "answers": answers,
        "people": new["plan"]["people"] - old["plan"]["people"],
        "metric": metric,
        "before": old["plan"]["forecast"][metric] if old["metric"] == metric else None,
        "after": new["plan"]["forecast"][metric],
    }
