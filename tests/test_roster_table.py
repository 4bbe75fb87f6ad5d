"""The roster page's table on SQLite and PostgreSQL: every sort, either way, with and without
filters, gives the rows the plain query gives (everything matched, then sorted), whether the
matches were few enough to sort (the ids read first) or too many (the order's index read);
past COUNT_LIMIT the count says "at least"; the text search's index finds what the plain
search finds, after edits and deletions too; the filters' values are the distinct ones."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session

from bench.common import fill_roster
from knowledge.base import KnowledgeBase
from knowledge.reading.roster_query import RosterQuery
from storage import roster_table
from storage.db import make_engine, migrate
from storage.models import Influencer, InfluencerNiche, table_of
from storage.roster import _filtered
from storage.roster_table import SORT_COLUMNS, filter_values

ROSTER = 120
PAGE = 10


@pytest.fixture
def engine(database_url: str, kb: KnowledgeBase) -> Iterator[Engine]:
    engine = make_engine(database_url)
    migrate(engine)
    fill_roster(engine, ROSTER, kb)
    with engine.begin() as connection:
        connection.execute(text("UPDATE influencer SET active = false WHERE id % 9 = 0"))
        connection.execute(text("UPDATE influencer SET country = '' WHERE id = 7"))
    yield engine
    engine.dispose()


def _key(sort: str) -> Any:
    """The order as the page read it before its indexes: any column, empty values last."""
    t = table_of(Influencer).c
    if sort == "niche":
        n = table_of(InfluencerNiche).c
        return select(func.min(n.niche)).where(n.influencer_id == t.id).scalar_subquery()
    columns = {"name": func.lower(t.name), "handle": t.handle_key, "tier": t.followers}
    return columns.get(sort, t.get(sort, t.price_cents))


def plain(session: Session, query: RosterQuery, sort: str, descending: bool) -> list[int]:
    """Every match's id, sorted by the plain query (no index chosen, no count bounded)."""
    t = table_of(Influencer).c
    key = _key(sort)
    order = (key.desc() if descending else key.asc()).nulls_last()
    ordered = _filtered(query).with_only_columns(t.id)
    return list(session.scalars(ordered.order_by(order, t.id.desc() if descending else t.id)))


def paged(session: Session, query: RosterQuery, sort: str, descending: bool) -> list[int]:
    """Every match's id, page after page of the table."""
    found: list[int] = []
    for page in range(ROSTER):
        table = roster_table.roster_table(
            session=session,
            query=query,
            sort=sort,
            descending=descending,
            page=page,
            page_size=PAGE,
        )
        if table.page < page:
            break
        found.extend(i.id for i in table.rows if i.id is not None)
    return found


QUERIES = {
    "everyone": RosterQuery(),
    "removed too": RosterQuery(include_inactive=True),
    "a platform": RosterQuery(platform="tiktok"),
    "a niche": RosterQuery(niche="cooking"),
    "a tier": RosterQuery(min_followers=10_000, max_followers=100_000),
    "a country": RosterQuery(country="FR"),
    "a language and a name": RosterQuery(language="fr", text="a"),
    "a search through the text index": RosterQuery(text="@Bench1"),
}


@pytest.mark.parametrize(
    ("count_limit", "sort_limit"),
    [(10_000, 10_000), (10_000, 5), (7, 5)],
    ids=["matches-sorted", "index-read", "index-read-count-bounded"],
)
@pytest.mark.parametrize("query", list(QUERIES.values()), ids=list(QUERIES))
def test_every_sort_gives_the_plain_querys_rows(
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    query: RosterQuery,
    count_limit: int,
    sort_limit: int,
) -> None:
    monkeypatch.setattr(roster_table, "COUNT_LIMIT", count_limit)
    monkeypatch.setattr(roster_table, "SORT_LIMIT", sort_limit)
    monkeypatch.setattr(roster_table, "TEXT_SORT_LIMIT", sort_limit)
    with Session(engine) as session:
        for sort in SORT_COLUMNS:
            for descending in (False, True):
                expected = plain(session, query, sort, descending)
                assert expected, (sort, descending)
                assert paged(session, query, sort, descending) == expected, (sort, descending)


def test_past_the_limit_the_count_says_at_least(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(roster_table, "COUNT_LIMIT", 30)
    with Session(engine) as session:
        active = len(plain(session, RosterQuery(), "name", False))
        first = roster_table.roster_table(session=session, query=RosterQuery(), page_size=PAGE)
        assert (first.total, first.pages, first.exact) == (30, 3, False)
        # A page past the limit is counted up to: the count grows with it, still "at least".
        fifth = roster_table.roster_table(
            session=session, query=RosterQuery(), page=4, page_size=PAGE
        )
        assert (fifth.page, fifth.total, fifth.exact) == (4, 5 * PAGE, False)
        last = roster_table.roster_table(
            session=session, query=RosterQuery(), page=99, page_size=PAGE
        )
        assert (last.total, last.exact) == (active, True)
        assert last.page == last.pages - 1 == (active - 1) // PAGE
        tiktok = roster_table.roster_table(
            session=session, query=RosterQuery(platform="tiktok"), page_size=PAGE
        )
        expected = plain(session, RosterQuery(platform="tiktok"), "name", False)
        assert tiktok.exact and tiktok.total == len(expected) < 30


SEARCHES = ["ugo", "HUGO", "bench1", "@Bench11", 'a"b', "ÉLO", "éLo", "lé", "u", "x%", "per_"]


def searched(session: Session, words: str) -> tuple[list[int], list[int]]:
    """What the table finds for `words` (through the text search's index), and the plain
    search."""
    query = RosterQuery(text=words, include_inactive=True)
    return paged(session, query, "name", False), plain(session, query, "name", False)


def test_the_text_search_finds_what_the_plain_search_finds(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE influencer SET name = 'ÉLODIE \"Lé\" per_cent' WHERE id = 3")
        )
        connection.execute(text("UPDATE influencer SET name = 'a\"b x%y' WHERE id = 4"))
    with Session(engine) as session:
        for words in SEARCHES:
            table, plain_search = searched(session, words)
            assert table == plain_search, words
        assert searched(session, "ugo")[0] and searched(session, "bench11")[0]
    # Renamed, handle changed, deleted: the index follows.
    with engine.begin() as connection:
        connection.execute(text("UPDATE influencer SET name = 'Zorglub' WHERE id = 2"))
        connection.execute(
            text(
                "UPDATE influencer SET handle_key = 'zzrenamed', handle = '@zzrenamed' WHERE id = 5"
            )
        )
        connection.execute(text("DELETE FROM influencer_niche WHERE influencer_id = 6"))
        connection.execute(text("DELETE FROM influencer WHERE id = 6"))
    with Session(engine) as session:
        assert searched(session, "zorgl") == ([2], [2])
        assert searched(session, "zzrenam") == ([5], [5])
        assert 5 not in searched(session, "bench5")[0]
        assert 6 not in searched(session, "bench6")[0]
        for words in SEARCHES:
            table, plain_search = searched(session, words)
            assert table == plain_search, words


def test_the_filters_values_are_the_active_rosters_distinct_ones(engine: Engine) -> None:
    t = table_of(Influencer).c
    with Session(engine) as session:
        countries, languages = filter_values(session=session)
        for column, found in ((t.country, countries), (t.language, languages)):
            distinct = session.scalars(
                select(column).distinct().where(t.active, column.is_not(None), column != "")
            )
            assert found == sorted(distinct) and found
        assert "FR" in countries and "fr" in languages
