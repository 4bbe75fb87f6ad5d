"""Storage on a real SQLite file: schema, pragmas, roster CSV import and export."""

from __future__ import annotations

import io
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, text
from sqlmodel import Session, select

from knowledge.advice.brief import Brief
from knowledge.advice.engine import Recommendation, recommend
from knowledge.advice.plan import Plan
from knowledge.advice.scope import niches_to_fetch
from knowledge.base import Goal, KnowledgeBase, default_knowledge
from knowledge.writing.render import render
from knowledge.writing.replies import ImportReply, Template
from storage import search
from storage.csv_io import RosterRejected, export_roster, import_roster, parse_roster_csv
from storage.db import make_engine, migrate
from storage.models import Influencer, InfluencerCreate
from storage.roster import (
    _upsert,
    asks_everywhere,
    candidates_for,
    candidates_for_brief,
    count_influencers,
    find_influencers,
    niches_in_roster,
    platforms_in_roster,
    roster_is_empty,
)
from storage.roster_changes import set_influencer_active
from storage.roster_rows import RowInvalid, row_fields
from storage.sample import SAMPLE_NOTE, load_sample, sample_roster
from storage.search import _rescore


def said(rejected: RosterRejected) -> list[str]:
    """A refused file's problems, as the chat says them (in English)."""
    return [
        render(Template.IMPORT_MESSAGES, kind=ImportReply.PROBLEM, problem=problem)
        for problem in rejected.problems
    ]


HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"
SEARCH_ROWS = text(
    "SELECT i.handle, n.niche, n.side, n.platform, n.active, n.price_cents, n.score_reach,"
    " n.score_engagements, n.score_conversions"
    " FROM influencer_niche n JOIN influencer i ON i.id = n.influencer_id"
)


def export_text(session: Session) -> str:
    out = io.StringIO()
    export_roster(session=session, out=out)
    return out.getvalue()


def test_sqlite_runs_in_wal_with_foreign_keys(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's pragmas (this run is on PostgreSQL)")
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def test_migrations_work_in_memory_and_twice() -> None:
    memory = make_engine("sqlite:///:memory:")
    migrate(memory)
    migrate(memory)
    with Session(memory) as session:
        assert count_influencers(session=session) == 0 and roster_is_empty(session=session)


def test_sample_roster_is_rich_deterministic_and_marked(kb: KnowledgeBase) -> None:
    people = sample_roster("EUR")
    assert people == sample_roster("EUR")
    assert len(people) >= 300
    assert len({n for p in people for n in p.niches}) >= 12
    assert len({p.platform for p in people}) >= 5
    tiers = {kb.assumptions.tier_for(p.followers).name for p in people}
    assert tiers == {t.name for t in kb.assumptions.tiers}
    assert all(p.notes == SAMPLE_NOTE for p in people)
    lucas = next(p for p in people if p.name.startswith("Lucas "))
    chloe = next(p for p in people if p.name.startswith("Chloé "))
    assert lucas.handle.startswith("@lucas_") and chloe.handle.startswith("@chloe_")


def test_first_start_loads_the_sample(session: Session) -> None:
    assert count_influencers(session=session) == len(sample_roster("EUR"))
    assert not roster_is_empty(session=session)


def test_a_sample_refresh_retires_sample_people_it_no_longer_has(session: Session) -> None:
    old_style = sample_roster("EUR")[0].model_copy(update={"handle": "@luca_cooking_000"})
    real = old_style.model_copy(update={"handle": "@realperson", "notes": "signed in 2026"})
    _upsert(session, [old_style.model_dump(), real.model_dump()], default_knowledge())
    session.commit()
    summary, retired = load_sample(session=session, currency="EUR", kb=default_knowledge())
    assert (summary.added, summary.unchanged, retired) == (0, len(sample_roster("EUR")), 1)
    [old] = find_influencers(session=session, reference="@luca_cooking_000")
    [kept] = find_influencers(session=session, reference="@realperson")
    assert (old.active, kept.active) == (False, True)
    assert load_sample(session=session, currency="EUR", kb=default_knowledge())[1] == 0


def test_import_adds_then_updates_by_platform_and_handle(
    session: Session, kb: KnowledgeBase
) -> None:
    first = HEADER + 'Léa Martin,@leacuisine,Instagram,"Cuisine;travel",24k,4.1%,350\n'
    summary, _ = import_roster(
        session=session, text=first, kb=kb, currency="EUR", actor_id=1, source="test.csv"
    )
    assert (summary.added, summary.updated) == (1, 0)
    again = HEADER + 'Léa Martin,LeaCuisine,instagram,cooking;travel,"26,000",4.3,400\n'
    summary, _ = import_roster(
        session=session, text=again, kb=kb, currency="EUR", actor_id=1, source="test.csv"
    )
    assert (summary.added, summary.updated, summary.unchanged) == (0, 1, 0)
    [lea] = [
        c
        for c in candidates_for(session=session, niches=["cooking", "travel"])
        if c.name == "Léa Martin"
    ]
    assert (lea.followers, lea.engagement_rate, lea.price_cents) == (26_000, 4.3, 40_000)
    assert lea.niches == ("cooking", "travel")


def test_one_bad_row_rejects_the_whole_file(session: Session, kb: KnowledgeBase) -> None:
    before = export_text(session)
    rows = [f"Person {i},@person{i},tiktok,diy,{1000 + i},3.5,100\n" for i in range(20)]
    rows[7] = "Bad Row,@bad,tiktok,diy,-5,150,abc\n"
    with pytest.raises(RosterRejected) as caught:
        import_roster(
            session=session,
            text=HEADER + "".join(rows),
            kb=kb,
            currency="EUR",
            actor_id=1,
            source="test.csv",
        )
    problems = said(caught.value)
    assert all(p.startswith("line 9:") for p in problems)
    assert {p.split(" ")[2] for p in problems} == {"followers", "engagement_rate", "price_per_post"}
    assert export_text(session) == before


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ("Ann,@ann,myspace,diy,1000,3,10", "platform"),
        (",@ann,tiktok,diy,1000,3,10", "name"),
        ("Ann,@ann,tiktok,,1000,3,10", "niche"),
        ("Ann,@ann,tiktok,diy,0,3,10", "followers"),
        ("Ann,@ann,tiktok,diy,1.5k5,3,10", "followers"),
        ("Ann,@ann,tiktok,diy,1000,101,10", "engagement_rate"),
        ("Ann,@ann,tiktok,diy,1000,3,-1", "price_per_post"),
        ("Ann,@ann,tiktok,diy,1000,3,$10", "price_per_post"),
        ("Ann,has space,tiktok,diy,1000,3,10", "handle"),
    ],
)
def test_each_field_is_checked(kb: KnowledgeBase, row: str, field: str) -> None:
    with pytest.raises(RosterRejected) as caught:
        parse_roster_csv(HEADER + row + "\n", kb, "EUR")
    assert said(caught.value)[0].startswith(f"line 2: {field} ")


def test_file_level_problems(kb: KnowledgeBase) -> None:
    files = {
        "name,handle\nA,@ann\n": "missing column",
        "": "empty",
        HEADER + "A,@ann,tiktok,diy,1000,3,10\nB,@ANN,tiktok,diy,1000,3,10\n": "repeats line 2",
        HEADER.strip() + ",currency\nA,@ann,tiktok,diy,1000,3,10,USD\n": "must be EUR",
    }
    for content, problem in files.items():
        with pytest.raises(RosterRejected) as caught:
            parse_roster_csv(content, kb, "EUR")
        assert problem in said(caught.value)[0]


def test_optional_columns_and_unknown_ones(kb: KnowledgeBase) -> None:
    csv_text = (
        "\ufeffName,Handle,Platform,Niche,Followers,Engagement Rate,Price per post,"
        "posts_per_week,audience_quality,open_to_exclusivity,colour\n"
        'A,@ann,tiktok,diy,1.2M,2%,"€1,500",3,77 %,yes,blue\n'
    )
    parsed = parse_roster_csv(csv_text, kb, "EUR")
    [item] = parsed.items
    assert (item["followers"], item["price_cents"], item["audience_quality"]) == (
        1_200_000,
        150_000,
        77,
    )
    assert item["open_to_exclusivity"] is True
    assert InfluencerCreate.model_validate(item).niches == ["diy"]
    assert parsed.ignored_columns == ["colour"]


def test_semicolon_and_tab_separated_files(kb: KnowledgeBase) -> None:
    semicolons = (
        "name;handle;platform;niche;followers;engagement_rate;price_per_post\n"
        'Léa, chef;@lea;instagram;"cooking;travel";12 500;3,5;€350\n'
    )
    [item] = parse_roster_csv(semicolons, kb, "EUR").items
    assert (item["name"], item["niches"], item["engagement_rate"], item["price_cents"]) == (
        "Léa, chef",
        ["cooking", "travel"],
        3.5,
        35_000,
    )
    tabs = HEADER.replace(",", "\t") + "Ann\t@ann\ttiktok\tdiy\t1,000\t3\t10\n"
    [item] = parse_roster_csv(tabs, kb, "EUR").items
    assert (item["handle"], item["followers"]) == ("@ann", 1000)


def test_rates_that_look_like_fractions_are_refused_with_a_hint(kb: KnowledgeBase) -> None:
    rows = "A,@a,blog,diy,1000,0.004,10\nB,@b,blog,diy,1000,4.2,10\nC,@c,blog,diy,1000,0,10\n"
    with pytest.raises(RosterRejected) as refused:
        parse_roster_csv(HEADER + rows, kb, "EUR")
    assert [p.split(":")[0] for p in said(refused.value)] == ["line 2", "line 4"]
    assert "multiply it by 100" in said(refused.value)[0]


def test_tiny_rates_are_taken_and_pointed_out(kb: KnowledgeBase) -> None:
    rows = "A,@a,blog,diy,1000,0.042,10\nB,@b,blog,diy,2000000,0.3,10\nC,@c,blog,diy,900,0.01,10\n"
    parsed = parse_roster_csv(HEADER + rows, kb, "EUR")
    assert [item["engagement_rate"] for item in parsed.items] == [0.042, 0.3, 0.01]
    assert parsed.low_rate_lines == [2, 4]


def test_export_reimports_unchanged_and_neutralises_formulas(
    session: Session, kb: KnowledgeBase
) -> None:
    tricky = HEADER.strip() + ',notes\nEvil,@evil,blog,diy,1000,3,10,=HYPERLINK("x")\n'
    import_roster(
        session=session, text=tricky, kb=kb, currency="EUR", actor_id=1, source="test.csv"
    )
    exported = export_text(session)
    assert "'=HYPERLINK" in exported  # a formula is guarded
    assert ",@evil," in exported  # a lone handle runs nothing: no visible guard
    summary, _ = import_roster(
        session=session, text=exported, kb=kb, currency="EUR", actor_id=1, source="test.csv"
    )
    assert summary.added == summary.updated == 0
    assert summary.unchanged == count_influencers(session=session)
    assert export_text(session) == exported


def test_ten_thousand_rows_import(session: Session, kb: KnowledgeBase) -> None:
    rows = "".join(
        f"Person {i},@bulk{i},instagram,cooking;diy,{1000 + i * 7},{i % 9 + 1}.5,{50 + i % 400}\n"
        for i in range(10_000)
    )
    before = count_influencers(session=session)
    summary, _ = import_roster(
        session=session, text=HEADER + rows, kb=kb, currency="EUR", actor_id=1, source="test.csv"
    )
    assert summary.added == 10_000
    assert count_influencers(session=session) == before + 10_000


def test_large_import_into_an_empty_roster_ties_each_niche_to_its_person(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past REBUILD_FROM rows (lowered to 300 here: 20,000 in use) the search indexes are
    rebuilt and niche rows are matched to their influencer by platform and handle: every
    stored search row must be what a rescore of that influencer computes."""
    monkeypatch.setattr(search, "REBUILD_FROM", 300)
    size = search.REBUILD_FROM + 10
    engine = make_engine("sqlite://")
    migrate(engine)
    niches = ("cooking", "travel;diy", "tech;Cuisine")
    rows = "".join(
        f"P{i},@big{i},{('instagram', 'tiktok')[i % 2]},{niches[i % 3]},{1000 + i * 37},"
        f"{i % 9 + 1},{50 + i % 900}\n"
        for i in range(size)
    )
    with Session(engine) as session:
        summary, _ = import_roster(
            session=session,
            text=HEADER + rows,
            kb=kb,
            currency="EUR",
            actor_id=1,
            source="test.csv",
        )
        assert summary.added == size
        stored = session.execute(SEARCH_ROWS).all()
        assert len(stored) == size + sum(i % 3 != 0 for i in range(size))
        assert {(h, n) for h, n, *_ in stored if h in ("@big4", "@big5")} == {
            ("@big4", "travel"),
            ("@big4", "diy"),
            ("@big5", "tech"),
            ("@big5", "cooking"),
        }
        before = sorted(stored)
        _rescore(session, range(1, size + 1), kb)
        assert sorted(session.execute(SEARCH_ROWS).all()) == before


@pytest.mark.parametrize(
    ("goal", "budget", "niche", "platform"),
    [
        ("sales", 80_000, "cooking", None),
        ("awareness", 2_000_000, "travel", "instagram"),
        ("launch", 600_000, "diy", None),
        ("community", 30_000, "pets", "tiktok"),
        ("ambassador", 150_000, "knitting", None),
        ("sales", 100, "tech", None),
    ],
)
def test_indexed_candidates_give_the_same_recommendation_as_the_whole_roster(
    session: Session, kb: KnowledgeBase, goal: str, budget: int, niche: str, platform: str | None
) -> None:
    brief = Brief(Goal(goal), budget, "EUR", niche, platform)
    everyone = candidates_for(session=session, niches=niches_to_fetch(brief, kb))
    indexed = candidates_for_brief(session=session, brief=brief, kb=kb)
    assert len(indexed) <= len(everyone)
    # The same plans, verdict and notices (a candidate read from the index carries the niche
    # it was found in, one read whole all its niches: they are the same people).
    assert what_it_says(recommend(brief, indexed, kb)) == what_it_says(
        recommend(brief, everyone, kb)
    )


def what_it_says(rec: Recommendation) -> tuple[object, ...]:
    def plan(p: Plan) -> list[tuple[int, int, int, int]]:
        return [(line.candidate.id, line.wave, line.posts, line.cost_cents) for line in p.lines]

    return (
        rec.verdict,
        plan(rec.plan),
        plan(rec.all_micro),
        plan(rec.all_macro),
        rec.notices,
        rec.reasons,
        rec.ceiling,
    )


def test_niches_and_platforms_in_roster_are_those_of_active_influencers(session: Session) -> None:
    sample = sample_roster("EUR")
    assert niches_in_roster(session=session) == sorted({p.niches[0] for p in sample})
    assert platforms_in_roster(session=session) == sorted({p.platform for p in sample})
    lone = sample_roster("EUR")[0].model_copy(update={"handle": "@lone", "niches": ["knitting"]})
    _upsert(session, [lone.model_dump()], default_knowledge())
    session.commit()
    assert "knitting" in niches_in_roster(session=session)
    [knitter] = find_influencers(session=session, reference="@lone")
    assert knitter.id is not None
    set_influencer_active(session=session, influencer_id=knitter.id, active=False, actor_id=1)
    assert "knitting" not in niches_in_roster(session=session)


def test_search_columns_follow_edits(session: Session, kb: KnowledgeBase) -> None:
    import_roster(
        session=session,
        text=HEADER + "Zed,@zedtest,blog,cooking,50k,9,100\n",
        kb=kb,
        currency="EUR",
        actor_id=1,
        source="test.csv",
    )
    brief = Brief(Goal.SALES, 15_000, "EUR", "cooking", "blog")
    assert "Zed" in [c.name for c in candidates_for_brief(session=session, brief=brief, kb=kb)]
    [zed] = find_influencers(session=session, reference="@zedtest")
    assert zed.id is not None
    set_influencer_active(session=session, influencer_id=zed.id, active=False, actor_id=1)
    assert "Zed" not in [c.name for c in candidates_for_brief(session=session, brief=brief, kb=kb)]


def test_explain_uses_the_search_index(session: Session) -> None:
    query = (
        "SELECT influencer_id FROM influencer_niche WHERE niche = 'cooking' "
        "AND side = 'micro' AND active AND price_cents + 0 <= 1000 "
        "ORDER BY score_conversions DESC "
        "LIMIT 60"
    )
    if session.get_bind().dialect.name == "postgresql":
        # 600 rows: PostgreSQL would rather read the table; ask whether it can use the index.
        session.execute(text("SET LOCAL enable_seqscan = off"))
        detail = " ".join(str(row[0]) for row in session.execute(text(f"EXPLAIN {query}")))
        assert "ix_search_conversions" in detail and "Sort" not in detail
        return
    plan = session.execute(text(f"EXPLAIN QUERY PLAN {query}")).all()
    detail = " ".join(str(row[-1]) for row in plan)
    assert "ix_search_conversions" in detail and "TEMP B-TREE" not in detail


def _cell(valid: st.SearchStrategy[str], *invalid: str) -> st.SearchStrategy[str]:
    """Mostly valid cells (so whole rows pass often), sometimes a bad or odd one."""
    odd = st.one_of(st.sampled_from(invalid), st.text(max_size=12)) if invalid else st.text()
    return st.integers(0, 9).flatmap(lambda roll: odd if roll == 0 else valid)


def _numbers(low: float, high: float) -> st.SearchStrategy[str]:
    return st.floats(low, high, allow_nan=False).map(lambda x: f"{x:.1f}")


ROW_CELLS = {
    "name": _cell(st.text(min_size=1, max_size=200), "N" * 201),
    "handle": _cell(st.from_regex(r"@?[a-z0-9_]{1,20}", fullmatch=True), "@x y", ""),
    "platform": _cell(st.sampled_from(["instagram", "TikTok", "yt", "blog"]), "myspace", ""),
    "niche": _cell(st.sampled_from(["cooking", "travel;diy", "Cuisine", "knitting"]), ";", ""),
    "followers": _cell(
        st.one_of(st.integers(1, 10**8).map(str), st.sampled_from(["24k", "1.2M", "1,000"])),
        "0",
        "-5",
        "2.5",
    ),
    "engagement_rate": _cell(_numbers(0, 100), "101", "x"),
    "price_per_post": _cell(
        st.one_of(st.integers(0, 10**7).map(str), st.sampled_from(["1.2k", "1,200.50"])), "-1"
    ),
    "currency": _cell(st.sampled_from(["", "EUR", "eur"]), "USD"),
    "country": _cell(st.sampled_from(["FR", "", "Côte d'Ivoire"]), "C" * 61),
    "language": _cell(st.sampled_from(["fr", ""])),
    "posts_per_week": _cell(st.one_of(st.just(""), _numbers(0, 500)), "600"),
    "audience_quality": _cell(st.one_of(st.just(""), st.integers(0, 100).map(str)), "101", "7.5"),
    "open_to_exclusivity": _cell(st.sampled_from(["yes", "no", "", "X", "oui"]), "maybe"),
    "contact": _cell(st.sampled_from(["", "a@b.c"]), "c" * 301),
    "notes": _cell(st.text(max_size=50), "n" * 2001),
}
KB = default_knowledge()


@settings(max_examples=300, deadline=None)
@given(st.fixed_dictionaries(ROW_CELLS))
def test_checked_row_values_are_a_valid_record_as_they_stand(raw: dict[str, str]) -> None:
    """A bulk import writes a row's checked values without building a record per row: any
    values the checks accept must be exactly what the record would hold."""
    try:
        values = row_fields(raw, KB, "EUR")
    except RowInvalid:
        return
    assert InfluencerCreate.model_validate(values).model_dump(exclude_unset=True) == values


def test_the_roster_says_what_accounts_of_each_size_ask(session: Session) -> None:
    """Per platform and tier, across the whole roster: the middle half of the asks, and the
    median ask per 1,000 followers (what an account of a given size usually asks)."""
    found = asks_everywhere(
        session=session, platform="instagram", followers_from=10_000, followers_to=100_000
    )
    rows = [
        (i.price_cents, i.followers)
        for i in session.exec(select(Influencer)).all()
        if i.active
        and i.platform == "instagram"
        and 10_000 <= i.followers < 100_000
        and i.price_cents > 0
    ]
    assert found is not None and found.count == len(rows) >= 4
    per_thousand = statistics.median(price * 1000 / followers for price, followers in rows)
    assert found.per_thousand_cents == pytest.approx(per_thousand)
    assert found.usual_for(20_000) == pytest.approx(per_thousand * 20)
    assert (
        asks_everywhere(
            session=session, platform="instagram", followers_from=10**9, followers_to=None
        )
        is None
    )


def test_the_search_reads_on_until_a_few_could_be_booked(
    session: Session, kb: KnowledgeBase
) -> None:
    """One baker could fill a €300 bakery plan by the fill rule alone; the engine's price
    vetting (which the search does not apply) may leave them out, so the search reads the
    nearest niche too (a twelfth planner's read: "no plan" for a €300 bakery)."""
    rows = [
        "Baker,@onebaker,instagram,bakery,20k,4,110",
        "Big Baker,@bigbaker,instagram,bakery,400k,1.5,5000",
        *(f"Cook {i},@cook{i},instagram,cooking,20k,4,50" for i in range(3)),
    ]
    import_roster(
        session=session,
        text=HEADER + "\n".join(rows) + "\n",
        kb=kb,
        currency="EUR",
        actor_id=1,
        source="test.csv",
    )
    brief = Brief(Goal.AWARENESS, 30_000, "EUR", "bakery", "instagram")
    found = {c.name for c in candidates_for_brief(session=session, brief=brief, kb=kb)}
    assert {"Baker", "Cook 0", "Cook 1", "Cook 2"} <= found
