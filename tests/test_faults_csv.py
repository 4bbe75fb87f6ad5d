"""Fault suite, roster CSV files (issue 13, items 10 and 12): the export is safe in any
spreadsheet and re-imports identically; odd files are refused or summed up briefly; new
niches and the sample roster are never slipped in."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from knowledge.base import KnowledgeBase, default_knowledge
from knowledge.files.spreadsheet import csv_lines
from storage.csv_io import export_roster, import_roster, parse_roster_csv, roster_row
from storage.db import make_engine
from storage.models import Influencer, InfluencerCreate, handle_key
from storage.roster import count_influencers, niches_in_roster
from storage.roster_rows import COLUMNS
from tests.conftest import ADMIN, BotHarness, Cli

HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"
# What a cell a spreadsheet would take for a formula may be, when it runs nothing: a signed
# number or phone number, or a lone @name (knowledge.files.spreadsheet).
RUNS_NOTHING = re.compile(r"[+\-][\d .,/()%+\-]*|@[^\W_][\w.]*")
KB = default_knowledge()


def export_text(session: Session) -> str:
    out = io.StringIO()
    export_roster(session=session, out=out)
    return out.getvalue()


def runs_something(cell: str) -> bool:
    """Whether a spreadsheet could run something from this cell (its closing quotes aside)."""
    plain = cell.rstrip('"')
    return plain.startswith(("=", "+", "-", "@")) and not RUNS_NOTHING.fullmatch(plain)


def naive_cells(text: str) -> list[str]:
    """The cells a spreadsheet would see splitting on any separator or line break, quoting
    ignored (the worst reading of the file), a cell's opening quote dropped."""
    return [cell.removeprefix('"') for cell in re.split(r"[,;\t\r\n]", text)]


# ---- item 10: the export re-imports identically and runs no formula ----

# Text as people (or attackers) write it: separators, quotes, line breaks, formula starts.
TRICKY = st.text(
    alphabet=st.sampled_from(list("ab Zé🎉=+-@'\",;\t\r\n")), min_size=1, max_size=40
).map(str.strip)
OPTIONAL_TEXT = st.one_of(st.none(), TRICKY.filter(bool))


@st.composite
def influencers(draw: st.DrawFn) -> list[InfluencerCreate]:
    count = draw(st.integers(1, 4))
    people = []
    for index in range(count):
        people.append(
            InfluencerCreate(
                name=draw(TRICKY.filter(bool)),
                handle=f"@person_{index}",
                platform=draw(st.sampled_from(["instagram", "youtube", "blog", "tiktok"])),
                niches=draw(
                    st.lists(
                        st.sampled_from(["cooking", "travel", "diy"]),
                        min_size=1,
                        max_size=3,
                        unique=True,
                    )
                ),
                followers=draw(st.integers(1, 10**10)),
                engagement_rate=draw(st.integers(200, 100_000)) / 1000,
                price_cents=draw(st.integers(0, 10**11)),
                currency="EUR",
                country=draw(OPTIONAL_TEXT),
                language=draw(OPTIONAL_TEXT),
                posts_per_week=draw(
                    st.one_of(st.none(), st.integers(0, 5000).map(lambda n: n / 10))
                ),
                audience_quality=draw(st.one_of(st.none(), st.integers(0, 100))),
                open_to_exclusivity=draw(st.booleans()),
                contact=draw(OPTIONAL_TEXT),
                notes=draw(OPTIONAL_TEXT),
            )
        )
    return people


def exported(people: list[InfluencerCreate]) -> str:
    """What the export writes for `people` (export_matching, without the database)."""
    rows: list[list[Any]] = [list(COLUMNS)]
    for item in people:
        record = Influencer.model_validate(
            item, update={"handle_key": handle_key(item.handle), "niches": []}
        )
        rows.append(roster_row(record, item.niches))
    return "".join(csv_lines(rows))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(influencers())
def test_the_export_reimports_identically_whatever_the_text(people: list[InfluencerCreate]) -> None:
    text = exported(people)
    parsed = parse_roster_csv(text, KB, "EUR")
    assert parsed.items == [
        {**item.model_dump(exclude={"niches", "active"}), "niches": item.niches} for item in people
    ]
    for cell in naive_cells(text):
        assert not runs_something(cell), (cell, text)


def test_a_carriage_return_in_a_cell_stays_in_its_cell(session: Session, kb: KnowledgeBase) -> None:
    people = [
        InfluencerCreate(
            name="Eve\r=cmd|' /C calc'!A0",
            handle="@eve",
            platform="blog",
            niches=["diy"],
            followers=1000,
            engagement_rate=3,
            price_cents=1000,
            currency="EUR",
            notes="ok;=cmd\nnext line,-2+3",
        )
    ]
    text = exported(people)
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 2 and rows[1][0] == "Eve\r'=cmd|' /C calc'!A0"  # one row, guarded
    assert '"Eve\r' in text and "\"ok;'=cmd\n" in text  # quoted: CR, LF, ; inside
    for cell in naive_cells(text):
        assert not runs_something(cell), cell
    assert ",-2+3" in text  # a sum of numbers runs nothing: left as written

    import_roster(session=session, text=text, kb=kb, currency="EUR", actor_id=1, source="t.csv")
    once = export_text(session)
    summary, _ = import_roster(
        session=session, text=once, kb=kb, currency="EUR", actor_id=1, source="again.csv"
    )
    assert summary.added == summary.updated == 0
    assert export_text(session) == once
    assert "Eve\r'=cmd" in once


# ---- item 12: roster data ----


async def test_percent_and_underscore_search_literally(bot: BotHarness) -> None:
    for words in ("%", "_", "%%", "a%", "\\"):
        [page] = await bot.say(f"/roster {words}", user=ADMIN)
        assert "No influencer matches" in page.text or "0 match" in page.text, (words, page.text)
    [document] = await bot.say("/export %", user=ADMIN)
    assert bot.file(document).decode().count("\n") == 1  # the header alone
    [page] = await bot.say("/roster _diy_", user=ADMIN)  # sample handles hold `_diy_`
    assert "match" in page.text and "No influencer" not in page.text


async def test_a_header_of_a_hundred_thousand_unknown_columns_gets_one_short_message(
    bot: BotHarness,
) -> None:
    extra = [f"extra_{i}" for i in range(100_000)]
    header = HEADER.strip() + "," + ",".join(extra) + "\n"
    row = "Zed,@zedcooks,blog,cooking,50000,9,100" + "," * len(extra) + "\n"
    await bot.say("/import", user=ADMIN)
    [preview] = await bot.send_file("wide.csv", (header + row).encode(), user=ADMIN)
    assert "To add: 1" in preview.text and len(preview.text) < 600, len(preview.text)
    assert "extra_0, extra_1" in preview.text and "and 99,995 more" in preview.text
    await bot.say("/help", user=ADMIN)  # nothing else was sent meanwhile
    assert len(bot.sent(ADMIN)) == 3


def test_the_cli_refuses_a_csv_holding_nul(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "nul.csv"
    path.write_bytes((HEADER + "Zed,@zed\x00cooks,blog,cooking,50000,9,100\n").encode())
    result = cli("roster", "import", str(path))
    assert result.code == 2 and "no NUL characters" in result.err
    assert "Traceback" not in result.err


async def test_an_engagement_rate_under_a_hundredth_of_a_percent_is_an_error_with_a_hint(
    bot: BotHarness,
) -> None:
    await bot.say("/import", user=ADMIN)
    rows = "Zed,@zedcooks,blog,cooking,50000,0.005,100\nAnn,@anncooks,blog,cooking,9000,4,50\n"
    [refused] = await bot.send_file("rates.csv", (HEADER + rows).encode(), user=ADMIN)
    assert "can't be imported" in refused.text and "line 2: engagement_rate “0.005”" in refused.text
    assert "multiply it by 100" in refused.text
    low = rows.replace(",0.005,", ",0.035,")
    [warned] = await bot.send_file("rates.csv", (HEADER + low).encode(), user=ADMIN)
    assert "To add: 2" in warned.text
    assert "Line 2: an engagement rate under 0.2 %, taken as it is" in warned.text
    problem, ask = await bot.say(
        "/add name=Zed handle=@zedcooks platform=blog niche=cooking followers=50k er=0.005 "
        "price=100",
        2,
        user=ADMIN,
    )
    assert "engagement_rate “0.005”: is under 0.01 %" in problem.text
    assert "Engagement rate in %?" in ask.text  # asked again, the other fields kept


def roster_niches(bot: BotHarness) -> list[str]:
    with Session(bot.engine) as session:
        return niches_in_roster(session=session)


async def test_a_new_niche_is_listed_at_preview_and_created_only_on_confirm(
    bot: BotHarness,
) -> None:
    rows = "Tom,@tomknits,blog,knitting,5000,6,40\nUna,@unaknits,blog,Knitting;diy,7000,5,60\n"
    await bot.say("/import", user=ADMIN)
    [preview] = await bot.send_file("knit.csv", (HEADER + rows).encode(), user=ADMIN)
    assert "New niche (added to everyone's choices only if you confirm): knitting (2 rows)" in (
        preview.text
    )
    assert "knitting" not in roster_niches(bot)
    [cancelled] = await bot.press(preview, "Cancel", user=ADMIN)
    assert "knitting" not in roster_niches(bot)
    await bot.say("/import", user=ADMIN)
    [preview] = await bot.send_file("knit.csv", (HEADER + rows).encode(), user=ADMIN)
    await bot.press(preview, "✅ Confirm import", count=2, user=ADMIN)  # and the sample question
    assert "knitting" in roster_niches(bot)
    assert "cancelled" in cancelled.text.lower()


def test_a_cli_import_into_an_empty_database_loads_no_sample(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text(HEADER + "Zed,@zedcooks,blog,knitting,50000,9,100\n")
    result = cli("roster", "import", str(path))
    assert result.code == 0 and "1 added" in result.out
    assert "New niche(s), now offered to every user: knitting (1)" in result.out
    engine = make_engine(f"sqlite:///{tmp_path}/data/bot.db")
    try:
        with Session(engine) as session:
            assert count_influencers(session=session) == 1  # no fictional people first
    finally:
        engine.dispose()


def test_roster_sample_remove_retires_every_sample_person(cli: Cli, test_database: str) -> None:
    result = cli("roster", "sample", "--remove", DATABASE_URL=test_database)
    assert result.code == 0 and "600 fictional people retired" in result.out
    engine = make_engine(test_database)
    try:
        with Session(engine) as session:
            assert count_influencers(session=session, active_only=True) == 0
            assert count_influencers(session=session) == 600
    finally:
        engine.dispose()


async def test_a_plan_with_sample_people_says_they_are_fictional(bot: BotHarness) -> None:
    [card] = await bot.say("/advise goal=sales budget=2000 niche=cooking")
    assert "🎭 Fictional people (sample roster)." in card.text
