"""A recommended plan as a CSV file: one row per creator and wave, money in the deployment's
currency as plain numbers, every forecast as a low and a high column."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.spreadsheet import csv_text

MEASURES = ("reach", "engagements", "clicks", "conversions")
PLAN_COLUMNS = (
    "wave",
    "name",
    "handle",
    "platform",
    "tier",
    "side",
    "posts",
    "months",
    "price_per_post",
    "cost",
    *(f"{m}_{end}" for m in MEASURES for end in ("low", "high")),
    "contact",
    "below_fair_pay",
)


def amount(cents: int) -> str:
    """`35000` → `350`, `34999` → `349.99`: a plain number a spreadsheet reads as money."""
    whole, rest = divmod(cents, 100)
    return f"{whole}.{rest:02d}" if rest else str(whole)


def plan_rows(stored: Mapping[str, Any]) -> list[list[object]]:
    """The header and one row per line of a stored recommendation's plan."""
    rows: list[list[object]] = [list(PLAN_COLUMNS)]
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
                "yes" if line["below_fair_pay"] else "no",
            ]
        )
    return rows


def plan_csv(stored: Mapping[str, Any]) -> str:
    return csv_text(plan_rows(stored))
