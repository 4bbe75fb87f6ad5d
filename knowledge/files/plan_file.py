"""A recommended plan as a CSV file: one row per creator and wave, then a totals row; money in
the deployment's currency as plain numbers; every forecast as a low, a middle and a high
column (sales with one decimal, so that the middles add up to the card's); what each line
buys, its usage rights, disclosure, promo code, tracked link and posting window; the header
(in words), the yes/no words, the separator and the decimal mark in the reader's language.

Handles are written without their `@` and beside a link to the profile, so that no cell
needs a visible guard against spreadsheet formulas (a cell that truly starts with `=`, `+`,
`-` or `@` is still guarded: knowledge.files.spreadsheet).
"""

from __future__ import annotations

from knowledge.advice.stored import StoredLine, StoredRecommendation
from knowledge.base import KnowledgeBase
from knowledge.files.spreadsheet import csv_text, layout_for
from knowledge.writing.i18n import current_language, pgettext
from knowledge.writing.posts_words import disclosure_words, format_words, usage_words

MEASURES = ("reach", "engagements", "clicks", "conversions")
COLUMN = "plan file column"  # the context of the column names in the catalogues


def plan_columns() -> list[str]:
    """The header, in words in the reader's language ("Price per post", "Prix par
    publication"): the file is read by people, in a spreadsheet."""
    return [
        pgettext(COLUMN, "Wave"),
        pgettext(COLUMN, "Booked"),
        pgettext(COLUMN, "Name"),
        pgettext(COLUMN, "Handle"),
        pgettext(COLUMN, "Profile link"),
        pgettext(COLUMN, "Platform"),
        pgettext(COLUMN, "Tier"),
        pgettext(COLUMN, "Side"),
        pgettext(COLUMN, "Followers"),
        pgettext(COLUMN, "Engagement rate (%)"),
        pgettext(COLUMN, "Audience quality (%)"),
        pgettext(COLUMN, "Audience country"),
        pgettext(COLUMN, "Posts"),
        pgettext(COLUMN, "Months"),
        pgettext(COLUMN, "Ask"),
        pgettext(COLUMN, "Price per post"),
        pgettext(COLUMN, "Cost"),
        pgettext(COLUMN, "Release if the wave 1 cost is at most"),
        pgettext(COLUMN, "Release limit unit"),
        pgettext(COLUMN, "Reach (low end)"),
        pgettext(COLUMN, "Reach"),
        pgettext(COLUMN, "Reach (high end)"),
        pgettext(COLUMN, "Engagements (low end)"),
        pgettext(COLUMN, "Engagements"),
        pgettext(COLUMN, "Engagements (high end)"),
        pgettext(COLUMN, "Clicks (low end)"),
        pgettext(COLUMN, "Clicks"),
        pgettext(COLUMN, "Clicks (high end)"),
        pgettext(COLUMN, "Sales (low end)"),
        pgettext(COLUMN, "Sales"),
        pgettext(COLUMN, "Sales (high end)"),
        pgettext(COLUMN, "Deliverables"),
        pgettext(COLUMN, "Approval rounds"),
        pgettext(COLUMN, "Usage rights"),
        pgettext(COLUMN, "Paid ads use (days)"),
        pgettext(COLUMN, "Paid ads use fee"),
        pgettext(COLUMN, "Disclosure"),
        pgettext(COLUMN, "Promo code"),
        pgettext(COLUMN, "Link"),
        pgettext(COLUMN, "Post from"),
        pgettext(COLUMN, "Post until"),
        pgettext(COLUMN, "Contact"),
    ]


def amount(cents: float) -> int | float:
    """`35000` → `350`, `34999` → `349.99`: a plain number a spreadsheet reads as money."""
    whole, rest = divmod(round(cents), 100)
    return whole + rest / 100 if rest else whole


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
        "reach": pgettext(COLUMN, "per 1,000 people reached"),
        "engagements": pgettext(COLUMN, "per engagement"),
        "clicks": pgettext(COLUMN, "per click"),
        "conversions": pgettext(COLUMN, "per sale"),
    }[metric]


def _row(line: StoredLine, kb: KnowledgeBase, stored: StoredRecommendation) -> list[object]:
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
        line.audience_quality if line.quality_known else "",
        line.country or "",
        line.posts,
        line.months or "",
        amount(line.ask_cents),
        amount(line.price_cents),
        amount(line.cost_cents),
        amount(line.release_cents) if line.release_cents else "",
        release_per(stored.metric) if line.release_cents else "",
        *(_figure(m, forecast[m][i]) for m in MEASURES for i in range(3)),
        *_posts(line, kb, stored.brief.currency),
        line.contact or "",
    ]


def _posts(line: StoredLine, kb: KnowledgeBase, currency: str) -> list[object]:
    """What the line buys, its usage (with paid use, its days and fee: the cost counts it),
    disclosure, promo code, link and posting window, its days written `2027-03-15` as every
    spreadsheet reads them (blank for a plan stored before they were made, or whose brief
    gave no date)."""
    bought = line.deliverable
    return [
        format_words(bought.format, bought.count) if bought else "",
        bought.approval_rounds if bought else "",
        usage_words(line, currency) if line.usage else "",
        line.paid_use_days or "",
        amount(line.usage_cents) if line.paid_use_days else "",
        disclosure_words(line.disclosure, kb.posts) if line.disclosure else "",
        line.promo_code or "",
        line.link or "",
        line.post_from.isoformat() if line.post_from else "",
        line.post_until.isoformat() if line.post_until else "",
    ]


def plan_rows(stored: StoredRecommendation, kb: KnowledgeBase) -> list[list[object]]:
    """The header, one row per line of a stored recommendation's plan, and the totals: the
    middles add up; the low and high ends are the plan's (a sum is less spread than its
    parts)."""
    plan = stored.plan
    rows: list[list[object]] = [list[object](plan_columns())]
    rows += [_row(line, kb, stored) for line in plan.lines]
    totals: list[object] = [pgettext(COLUMN, "Total"), "", plan.people, *[""] * 9, plan.posts]
    totals += ["", "", "", amount(plan.spent_cents), "", ""]
    totals += [_figure(m, plan.forecast[m][i]) for m in MEASURES for i in range(3)]
    rows.append([*totals, *[""] * (len(rows[0]) - len(totals))])
    return rows


def plan_csv(stored: StoredRecommendation, kb: KnowledgeBase) -> str:
    """The plan file as the reader's spreadsheet opens it: in French, split by `;` with
    decimal commas; a BOM in every language."""
    return csv_text(plan_rows(stored, kb), layout_for(current_language()))
