"""The roster page's table: one page of the roster, filtered as `/roster` filters it
(storage.roster) and sorted on any column, and the countries and languages its filters
offer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from knowledge.reading.roster_query import RosterQuery
from storage.models import Influencer, InfluencerNiche, table_of
from storage.roster import _filtered

# The columns the page sorts on, in the order it shows them; `tier` sorts as `followers`.
SORT_COLUMNS = (
    "name",
    "handle",
    "platform",
    "niche",
    "tier",
    "followers",
    "engagement_rate",
    "price",
    "country",
    "language",
)


@dataclass(frozen=True)
class TablePage:
    """The influencers of one page (their niches loaded), how many match in all, the page
    shown (0-based, the last one when asked past it) and how many pages there are."""

    rows: list[Influencer]
    total: int
    page: int
    pages: int


def _sort_key(sort: str) -> Any:
    t = table_of(Influencer).c
    if sort == "niche":
        n = table_of(InfluencerNiche).c
        return select(func.min(n.niche)).where(n.influencer_id == t.id).scalar_subquery()
    columns = {
        "name": func.lower(t.name),
        "handle": t.handle_key,
        "platform": t.platform,
        "tier": t.followers,
        "followers": t.followers,
        "engagement_rate": t.engagement_rate,
        "price": t.price_cents,
        "country": t.country,
        "language": t.language,
    }
    return columns[sort]


def roster_table(
    *,
    session: Session,
    query: RosterQuery,
    sort: str = "name",
    descending: bool = False,
    page: int = 0,
    page_size: int = 25,
) -> TablePage:
    """One page of the influencers `query` matches, sorted on `sort` (one of SORT_COLUMNS;
    empty values last either way, then by id)."""
    statement = _filtered(query)
    total = session.scalar(select(func.count()).select_from(statement.subquery())) or 0
    pages = max(1, -(-total // page_size))
    page = max(0, min(page, pages - 1))
    key = _sort_key(sort)
    order = (key.desc() if descending else key.asc()).nulls_last()
    t = table_of(Influencer).c
    ordered = statement.order_by(order, t.id.desc() if descending else t.id)
    rows = session.scalars(ordered.offset(page * page_size).limit(page_size)).all()
    return TablePage(list(rows), total, page, pages)


def filter_values(*, session: Session) -> tuple[list[str], list[str]]:
    """The countries and the languages of the roster's active influencers, as stored."""
    t = table_of(Influencer).c
    found = []
    for column in (t.country, t.language):
        values = select(column).distinct().where(t.active, column.is_not(None), column != "")
        found.append(sorted(session.scalars(values)))
    return found[0], found[1]
