"""A recommended plan as a CSV file: one row per creator and wave, then a totals row; money in
the deployment's currency as plain numbers; every forecast as a low, a middle and a high
column (sales with one decimal, so that the middles add up to the card's); the header and
the yes/no words in the reader's language.

Handles are written without their `@` and beside a link to the profile, so that no cell
needs a visible guard against spreadsheet formulas (a cell that truly starts with `=`, `+`,
`-` or `@` is still guarded: knowledge.files.spreadsheet).
"""

from __future__ import annotations

from knowledge.advice.stored import StoredLine, StoredRecommendation
from knowledge.base import KnowledgeBase
from knowledge.files.spreadsheet import csv_text
from knowledge.writing.i18n import pgettext

MEASURES = ("reach", "engagements", "clicks", "conversions")
COLUMN = "plan file column"  # the context of the column names in the catalogues


def plan_columns() -> list[str]:
    """The header, in the reader's language: one word per column (snake_case, no spaces), so
    that a spreadsheet or a script reads it as well as a person."""
    return [
        pgettext(COLUMN, "wave"),
        pgettext(COLUMN, "booked"),
        pgettext(COLUMN, "name"),
        pgettext(COLUMN, "handle"),
        pgettext(COLUMN, "profile_url"),
        pgettext(COLUMN, "platform"),
        pgettext(COLUMN, "tier"),
        pgettext(COLUMN, "side"),
        pgettext(COLUMN, "followers"),
        pgettext(COLUMN, "engagement_rate"),
        pgettext(COLUMN, "audience_quality"),
        pgettext(COLUMN, "audience_country"),
        pgettext(COLUMN, "posts"),
        pgettext(COLUMN, "months"),
        pgettext(COLUMN, "ask"),
        pgettext(COLUMN, "price_per_post"),
        pgettext(COLUMN, "cost"),
        pgettext(COLUMN, "release_if_wave_1_cost_at_most"),
        pgettext(COLUMN, "release_per"),
        pgettext(COLUMN, "reach_low"),
        pgettext(COLUMN, "reach"),
        pgettext(COLUMN, "reach_high"),
        pgettext(COLUMN, "engagements_low"),
        pgettext(COLUMN, "engagements"),
        pgettext(COLUMN, "engagements_high"),
        pgettext(COLUMN, "clicks_low"),
        pgettext(COLUMN, "clicks"),
        pgettext(COLUMN, "clicks_high"),
        pgettext(COLUMN, "conversions_low"),
        pgettext(COLUMN, "conversions"),
        pgettext(COLUMN, "conversions_high"),
        pgettext(COLUMN, "contact"),
    ]


def amount(cents: float) -> str:
    """`35000` → `350`, `34999` → `349.99`: a plain number a spreadsheet reads as money."""
    whole, rest = divmod(round(cents), 100)
    return f"{whole}.{rest:02d}" if rest else str(whole)


def _figure(measure: str, value: float) -> float | int:
    return round(value, 1) if measure == "conversions" else round(value)


def profile_url(line: StoredLine, kb: KnowledgeBase) -> str:
    """The link to the creator's profile, where the platform has a public address pattern."""
    platform = kb.platforms.get(line.platform)
    handle = line.handle.strip().lstrip("@")
    if platform is None or not platform.profile_url or not handle:
        return ""
    return platform.profile_url.format(handle=handle)


def release_per(metric: str) -> str:
    """What a release limit is counted per: the goal's unit, in the reader's language."""
    return {
        "reach": pgettext(COLUMN, "per_1000_people_reached"),
        "engagements": pgettext(COLUMN, "per_engagement"),
        "clicks": pgettext(COLUMN, "per_click"),
        "conversions": pgettext(COLUMN, "per_sale"),
    }[metric]


def _row(line: StoredLine, kb: KnowledgeBase, metric: str) -> list[object]:
    forecast = line.forecast
    return [
        line.wave,
        pgettext(COLUMN, "reserve") if line.reserve else pgettext(COLUMN, "yes"),
        line.name,
        line.handle.strip().lstrip("@"),
        profile_url(line, kb),
        line.platform,
        line.tier,
        line.side,
        line.followers,
        line.engagement_rate,
        line.audience_quality,
        line.country or "",
        line.posts,
        line.months or "",
        amount(line.ask_cents),
        amount(line.price_cents),
        amount(line.cost_cents),
        amount(line.release_cents) if line.release_cents else "",
        release_per(metric) if line.release_cents else "",
        *(_figure(m, forecast[m][i]) for m in MEASURES for i in range(3)),
        line.contact or "",
    ]


def plan_rows(stored: StoredRecommendation, kb: KnowledgeBase) -> list[list[object]]:
    """The header, one row per line of a stored recommendation's plan, and the totals: the
    middles add up; the low and high ends are the plan's (a sum is less spread than its
    parts)."""
    plan = stored.plan
    rows: list[list[object]] = [list[object](plan_columns())]
    rows += [_row(line, kb, stored.metric) for line in plan.lines]
    totals: list[object] = [pgettext(COLUMN, "total"), "", plan.people, *[""] * 9, plan.posts]
    totals += ["", "", "", amount(plan.spent_cents), "", ""]
    totals += [_figure(m, plan.forecast[m][i]) for m in MEASURES for i in range(3)]
    rows.append([*totals, ""])
    return rows


def plan_csv(stored: StoredRecommendation, kb: KnowledgeBase) -> str:
    return csv_text(plan_rows(stored, kb))
