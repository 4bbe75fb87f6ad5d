"""Fault suite, roster CSV files (issue 13, items 10 and 12): the export is safe in any
spreadsheet and re-imports identically; odd files are refused or summed up briefly; new
niches and the sample roster are never slipped in."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from knowledge.base import KnowledgeBase, default_knowledge
from knowledge.spreadsheet import csv_lines
from storage.csv_io import export_roster, import_roster, parse_roster_csv, roster_row
from storage.models import Influencer, InfluencerCreate, handle_key
from storage.roster_rows import COLUMNS

HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"
TRIGGERS = "=+-@"
KB = default_knowledge()


def export_text(session: Session) -> str:
    out = io.StringIO()
    export_roster(session=session, out=out)
    return out.getvalue()


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
        assert not cell.startswith(tuple(TRIGGERS)), (cell, text)


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
        assert not cell.startswith(tuple(TRIGGERS)), cell

    import_roster(session=session, text=text, kb=kb, currency="EUR", actor_id=1, source="t.csv")
    once = export_text(session)
    summary, _ = import_roster(
        session=session, text=once, kb=kb, currency="EUR", actor_id=1, source="again.csv"
    )
    assert summary.added == summary.updated == 0
    assert export_text(session) == once
    assert "Eve\r'=cmd" in once
