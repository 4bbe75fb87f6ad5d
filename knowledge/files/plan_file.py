"""A recommended plan as a CSV file: one row per creator and wave, money in the deployment's
currency as plain numbers, every forecast as a low and a high column; the header and the
yes/no words in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.files.spreadsheet import csv_text
from knowledge.writing.i18n import pgettext

MEASURES = ("reach", "engagements", "clicks", "conversions")
COLUMN = "plan file column"  # the context of the column names in the catalogues


def plan_columns() -> list[str]:
    """The header, in the reader's language: one word per column (snake_case, no spaces), so
    that a spreadsheet or a script reads it as well as a person."""
    return [
        pgettext(COLUMN, "wave"),
        pgettext(COLUMN, "name"),
        pgettext(COLUMN, "handle"),
        pgettext(COLUMN, "platform"),
        pgettext(COLUMN, "tier"),
        pgettext(COLUMN, "side"),
        pgettext(COLUMN, "posts"),
        pgettext(COLUMN, "months"),
        pgettext(COLUMN, "price_per_post"),
        pgettext(COLUMN, "cost"),
        pgettext(COLUMN, "reach_low"),
        pgettext(COLUMN, "reach_high"),
        pgettext(COLUMN, "engagements_low"),
        pgettext(COLUMN, "engagements_high"),
        pgettext(COLUMN, "clicks_low"),
        pgettext(COLUMN, "clicks_high"),
        pgettext(COLUMN, "conversions_low"),
        pgettext(COLUMN, "conversions_high"),
        pgettext(COLUMN, "contact"),
        pgettext(COLUMN, "below_fair_pay"),
    ]


def amount(cents: int) -> str:
    """`35000` → `350`, `34999` → `349.99`: a plain number a spreadsheet reads as money."""
    whole, rest = divmod(cents, 100)
    return f"{whole}.{rest:02d}" if rest else str(whole)


def plan_rows(stored: Mapping[str, Any]) -> list[list[object]]:
    """The header and one row per line of a stored recommendation's plan."""
    rows: list[list[object]] = [list[object](plan_columns())]
    for line in stored["plan"]["lines"]:
        forecast = line["forecast"]
        rows.append(
            [
                line["wave"],
                line["name"],
                line["handle"],
                line["platform"],
                line["tier"],
                line["side"],
                line["posts"],
                line["months"] or "",
                amount(line["price_cents"]),
                amount(line["cost_cents"]),
                *(round(forecast[m][i]) for m in MEASURES for i in (0, 2)),
                line["contact"] or "",
                pgettext(COLUMN, "yes") if line["below_fair_pay"] else pgettext(COLUMN, "no"),
            ]
        )
    return rows


def plan_csv(stored: Mapping[str, Any]) -> str:
    return csv_text(plan_rows(stored))
