"""The roster page's table: one page of the roster, filtered as `/roster` filters it
(storage.roster) and sorted on any column, and the countries and languages its filters
offer.

Built for a million-influencer roster: each order is read from its index
(storage.models.ROSTER_ORDERS), the niche's from the niche rows' own index; matches are
counted up to COUNT_LIMIT (or as far as the page asked for), not all of them; the filters'
values are read by a loose index scan.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, select, union_all
from sqlmodel import Session

from knowledge.reading.roster_query import RosterQuery
from storage.models import Influencer, InfluencerNiche, table_of
from storage.roster import _filtered
from storage.text_search import indexed_ids

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
# Matches are counted up to this many (or to the end of the page asked for, when further):
# past it the page says "more than 10,000" rather than count a million.
COUNT_LIMIT = 10_000
# Up to this many matches are found by their own conditions, then sorted (by a search
# through the text index, up to TEXT_SORT_LIMIT); more are read in order from the order's
# index.
SORT_LIMIT = 2_000
TEXT_SORT_LIMIT = 50_000
# The optional columns: their empty values sort last either way.
OPTIONAL = ("country", "language")
# The conditions an index may serve (storage.roster._filtered).
FILTERED = ("active", "followers", "country", "language", "niche")


@dataclass(frozen=True)
class TablePage:
    """The influencers of one page (their niches loaded), how many match in all (`exact`
    False: at least that many; more were not counted), the page shown (0-based, the last one
    when asked past it) and how many pages there are (at least, when not exact)."""

    rows: list[Influencer]
    total: int
    page: int
    pages: int
    exact: bool = True


def _sorted(key: Any, indexed: bool) -> Any:
    """`key` as is, or as an expression no index matches (the same values), so that the
    planner finds the matches by their conditions and sorts them, not reads an order's
    index."""
    return key if indexed else func.coalesce(key, key)


def _keys(sort: str, descending: bool, indexed: bool = True) -> list[tuple[Any, bool]]:
    """The ORDER BY of `sort` (not `niche`), as its index in ROSTER_ORDERS reads it: each
    key with whether it is descending."""
    t = table_of(Influencer).c
    if sort in OPTIONAL:
        column = _sorted(t[sort], indexed)
        if descending:
            return [(_sorted(t[sort].is_not(None), indexed), True), (column, True), (t.id, True)]
        return [(_sorted(t[sort].is_(None), indexed), False), (column, False), (t.id, False)]
    key = _sorted(
        {
            "name": func.lower(t.name),
            "handle": t.handle_key,
            "platform": t.platform,
            "tier": t.followers,
            "followers": t.followers,
            "engagement_rate": t.engagement_rate,
            "price": t.price_cents,
        }[sort],
        indexed,
    )
    return [(key, descending), (t.id, descending)]


def _order(sort: str, descending: bool, indexed: bool = True) -> list[ColumnElement[Any]]:
    return [k.desc() if down else k for k, down in _keys(sort, descending, indexed)]


def _by_niche(statement: Select[Any], descending: bool, indexed: bool = True) -> Select[Any]:
    """`statement` in the order of each influencer's first niche (alphabetically), then id:
    read from the niche rows' index (niche, influencer), keeping each influencer's first
    niche row only. Every influencer has at least one niche (storage.roster_rows)."""
    t = table_of(Influencer).c
    n = table_of(InfluencerNiche).alias("first_niche")
    other = table_of(InfluencerNiche).alias("other_niche")
    earlier = (
        select(other.c.niche)
        .where(other.c.influencer_id == n.c.influencer_id, other.c.niche < n.c.niche)
        .exists()
    )
    joined = statement.join(n, n.c.influencer_id == t.id).where(~earlier)
    niche = _sorted(n.c.niche, indexed)
    if descending:
        return joined.order_by(niche.desc(), n.c.influencer_id.desc())
    return joined.order_by(niche, n.c.influencer_id)


def _matching(session: Session, query: RosterQuery) -> Select[Any]:
    """The ids of the influencers `query` matches, in no order, each read as its most
    narrowing condition finds it: a niche's rows, the text search's index, a column's
    index."""
    t = table_of(Influencer).c
    # The `active` condition would seem to narrow most (the planner knows no statistics),
    # yet nearly every influencer is active.
    hidden = ("active",) if query.niche or query.text else ()
    statement = _filtered(replace(query, niche=None), unindexed=hidden).with_only_columns(t.id)
    if query.niche:  # from the niche's rows: a count stops early, where a list is made whole
        n = table_of(InfluencerNiche).c
        statement = statement.join_from(
            table_of(Influencer), table_of(InfluencerNiche), n.influencer_id == t.id
        ).where(n.niche == query.niche)
    found = indexed_ids(session.get_bind().dialect.name, query.text) if query.text else None
    return statement if found is None else statement.where(t.id.in_(found))


def _count(session: Session, statement: Select[Any], limit: int) -> int:
    """How many rows `statement` gives, counting no further than `limit`."""
    return session.scalar(select(func.count()).select_from(statement.limit(limit).subquery())) or 0


def _in_order(query: RosterQuery, sort: str, descending: bool, rows: int) -> Select[Any]:
    """The ids of the influencers `query` matches, in the page's order, read from the
    order's index (as far as `rows`): no other index may seem to the planner to narrow
    more."""
    t = table_of(Influencer).c
    if sort == "niche":
        statement = _filtered(query, unindexed=FILTERED).with_only_columns(t.id)
        return _by_niche(statement, descending)
    keep = {"active"}
    if sort in ("tier", "followers"):
        keep.add("followers")  # a tier's range is read in order
    if sort in OPTIONAL and not descending:
        keep.add(sort)  # a country's range is read in order
    hidden = [c for c in FILTERED if c not in keep]
    statement = _filtered(query, unindexed=hidden).with_only_columns(t.id)
    if not query.include_inactive:
        return statement.order_by(*_order(sort, descending))
    return _both_halves(statement, sort, descending, rows)


def _both_halves(statement: Select[Any], sort: str, descending: bool, rows: int) -> Select[Any]:
    """`statement` (the removed influencers too) in order: the active ones and the removed
    ones each read in order from the order's index (which begins with `active`), as far as
    `rows`, then the two merged."""
    t = table_of(Influencer).c
    keys = _keys(sort, descending)
    labels = [key.label(f"key{i}") for i, (key, _down) in enumerate(keys)]
    order = _order(sort, descending)
    halves = []
    for active in (True, False):
        half = statement.add_columns(*labels).where(t.active == active).order_by(*order)
        read = half.limit(rows).subquery()
        halves.append(select(read.c.id, *(read.c[label.name] for label in labels)))
    merged = union_all(*halves).subquery()
    again = [
        merged.c[label.name].desc() if down else merged.c[label.name]
        for label, (_key, down) in zip(labels, keys, strict=True)
    ]
    return select(merged.c.id).order_by(*again)


def _sorted_matches(matching: Select[Any], sort: str, descending: bool) -> Select[Any]:
    """The ids `matching` gives, sorted after they are found."""
    if sort == "niche":
        return _by_niche(matching, descending, indexed=False)
    return matching.order_by(*_order(sort, descending, indexed=False))


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
    empty values last either way, then by id).

    Matches are counted up to COUNT_LIMIT (or to the end of the page asked for, or to
    TEXT_SORT_LIMIT for a search through the text index). Up to
    SORT_LIMIT of them (TEXT_SORT_LIMIT for a search through the text index) are found by
    their own conditions, then sorted; more are read in order from the order's index, the
    others skipped, until the page is full."""
    matching = _matching(session, query)
    dialect = session.get_bind().dialect.name
    by_text = bool(query.text) and indexed_ids(dialect, query.text) is not None
    sort_limit = TEXT_SORT_LIMIT if by_text else SORT_LIMIT
    page = max(0, page)
    limit = max(COUNT_LIMIT, TEXT_SORT_LIMIT if by_text else 0, (page + 1) * page_size) + 1
    counted = _count(session, matching, limit)
    exact = counted < limit
    total = counted if exact else limit - 1
    pages = max(1, -(-total // page_size))
    page = min(page, pages - 1)
    if exact and counted <= sort_limit:
        ids_in_order = _sorted_matches(matching, sort, descending)
    else:
        ids_in_order = _in_order(query, sort, descending, (page + 1) * page_size)
    ids = list(session.scalars(ids_in_order.offset(page * page_size).limit(page_size)))
    t = table_of(Influencer).c
    found = {i.id: i for i in session.scalars(select(Influencer).where(t.id.in_(ids)))}
    return TablePage([found[i] for i in ids], total, page, pages, exact)


def _present(session: Session, column: Any) -> list[str]:
    """The distinct non-empty values of an optional `column` among active influencers, in
    order, read as a loose index scan of its ROSTER_ORDERS index: a recursive query seeking
    each next value, rather than a pass over every row."""
    t = table_of(Influencer).c

    def first_after(after: Any) -> Any:
        where = [t.active, column.is_(None) == false()]
        if after is not None:
            where.append(column > after)
        return select(column).where(*where).order_by(column).limit(1).scalar_subquery()

    present = select(first_after(None).label("value")).cte("present", recursive=True)
    present = present.union_all(
        select(first_after(present.c.value)).where(present.c.value.is_not(None))
    )
    values = select(present.c.value).where(present.c.value.is_not(None), present.c.value != "")
    return sorted(session.scalars(values))


def filter_values(*, session: Session) -> tuple[list[str], list[str]]:
    """The countries and the languages of the roster's active influencers, as stored."""
    t = table_of(Influencer).c
    return _present(session, t.country), _present(session, t.language)
