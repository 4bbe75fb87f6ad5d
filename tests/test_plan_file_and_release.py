"""The plan file a spreadsheet opens (totals that add up, links, no visible guards), and the
wave-2 reserve released line by line by the wave-1 results."""

from __future__ import annotations

import csv
import io

import pytest

from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, default_knowledge
from knowledge.campaigns.checkins import compare, release
from knowledge.files.plan_file import plan_csv
from knowledge.files.spreadsheet import BOM
from knowledge.writing.views import why_values
from tests.test_engine import person, roster

KB = default_knowledge()


def rows_of(brief: Brief, people: list) -> tuple[list[list[str]], object]:  # type: ignore[type-arg]
    stored = snapshot(recommend(brief, people, KB), KB)
    text = plan_csv(stored, KB)
    assert text.startswith(BOM)  # Excel reads accents right only with one
    return list(csv.reader(io.StringIO(text.removeprefix(BOM)))), stored


def test_the_plan_file_adds_up_to_the_card_and_links_each_profile() -> None:
    people = [person(i, 20_000 + i, 200, handle=f"@chef_{i}") for i in range(1, 5)]
    rows, stored = rows_of(Brief(Goal.SALES, 300_000, "EUR", "cooking"), people)
    header, *lines, totals = rows
    assert header[:5] == ["Wave", "Booked", "Name", "Handle", "Profile link"]
    assert "Price per post" in header and "Sales (high end)" in header  # words, not keys
    column = {name: i for i, name in enumerate(header)}
    assert len(lines) == len(stored.plan.lines)  # type: ignore[attr-defined]
    for row in lines:
        assert not row[column["Handle"]].startswith(("@", "'"))  # no visible guard
        assert row[column["Profile link"]] == (
            f"https://www.instagram.com/{row[column['Handle']]}/"
        )
        assert float(row[column["Price per post"]]) >= float(row[column["Ask"]])
        assert row[column["Booked"]] == "yes"
        sales = row[column["Sales"]]
        assert len(sales.split(".")[-1]) <= 1  # one decimal
    assert all("'" not in cell for row in rows for cell in row)
    assert totals[0] == "Total"
    assert float(totals[column["Cost"]]) == pytest.approx(
        sum(float(row[column["Cost"]]) for row in lines)
    )
    assert float(totals[column["Sales"]]) == pytest.approx(
        sum(float(row[column["Sales"]]) for row in lines), abs=0.1 * len(lines)
    )
    plan = stored.plan  # type: ignore[attr-defined]
    assert float(totals[column["Sales"]]) == pytest.approx(plan.forecast.conversions[1], abs=0.05)


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("@SUM(1)", "'@SUM(1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("Léa -20%", "Léa -20%"),
    ],
)
def test_a_cell_that_truly_starts_like_a_formula_is_still_guarded(name: str, shown: str) -> None:
    people = [person(1, 20_000, 200, name=name, handle="@x")]
    rows, _stored = rows_of(Brief(Goal.SALES, 300_000, "EUR", "cooking"), people)
    assert rows[1][2] == shown


def test_reserve_lines_say_reserve_and_their_rule() -> None:
    rows, _stored = rows_of(Brief(Goal.AWARENESS, 5_000_000, "EUR", "cooking"), roster(2, 300))
    header, *lines, _totals = rows
    column = {name: i for i, name in enumerate(header)}
    release = column["Release if the wave 1 cost is at most"]
    reserve = [row for row in lines if row[column["Booked"]] == "reserve"]
    assert reserve and all(row[column["Wave"]] == "2" for row in reserve)
    assert all(float(row[release]) > 0 for row in reserve)
    assert {row[column["Release limit unit"]] for row in reserve} == {"per 1,000 people reached"}
    booked = [row for row in lines if row[column["Booked"]] == "yes"]
    assert booked and all(row[release] == "" for row in booked)


def test_the_wave_one_check_in_releases_the_reserve_lines_whose_limit_it_meets() -> None:
    stored = snapshot(
        recommend(Brief(Goal.AWARENESS, 5_000_000, "EUR", "cooking"), roster(2, 300), KB), KB
    ).to_json()
    reserve = [line for line in stored["plan"]["lines"] if line["reserve"]]
    limits = sorted(line["release_cents"] for line in reserve)
    assert len(set(limits)) > 1
    middle = limits[len(limits) // 2]
    some = release(stored, middle)
    assert some is not None
    assert len(some.booked) == sum(1 for limit in limits if limit >= middle)
    assert some.kept == len(reserve) - len(some.booked)
    assert some.booked_cents + some.kept_cents == stored["plan"]["reserve_cents"]
    everything = release(stored, limits[0] / 2)
    assert everything is not None and everything.kept == 0
    nothing = release(stored, limits[-1] * 2)
    assert nothing is not None and not nothing.booked
    assert release(stored, None) is None
    # At a check-in, the results' cost per 1,000 people decides it.
    per_thousand = limits[0] / 2
    reach = 100_000
    spent = round(per_thousand * reach / 1000)
    judged = compare(stored, "awareness", {"reach": reach, "spent_cents": spent}, "mid")
    assert judged.release is not None and judged.release.kept == 0
    one_wave = snapshot(
        recommend(Brief(Goal.SALES, 300_000, "EUR", "cooking"), [person(1, 20_000, 200)], KB), KB
    ).to_json()
    assert release(one_wave, 100.0) is None


def test_a_line_over_the_market_is_flagged_per_post_but_not_when_raised_to_the_floor() -> None:
    """The shortlist's "over the agencies' quote" note compares one post's price with the
    people one post reaches; a creator paid the fair-pay floor (over their ask) has nothing to
    negotiate down, so gets no such note."""
    a = KB.assumptions
    top = a.cpm_band["EUR"]["instagram"][1] * 100
    dear = person(1, 30_000, 350)  # over the band's top per 1,000 reached, under twice it
    cheap = person(2, 8_000, 60)  # asks €60: paid the €100 floor
    brief = Brief(Goal.COMMUNITY, 200_000, "EUR", "cooking")
    stored = snapshot(recommend(brief, [dear, cheap], KB), KB)
    notes = {line.id: dict((n[0], n[1:]) for n in line.notes) for line in stored.plan.lines}
    assert set(notes) == {1, 2}
    dear_line = next(line for line in stored.plan.lines if line.id == 1)
    reach = next(line for line in recommend(brief, [dear], KB).plan.lines).one_post.reach.mid
    assert notes[1]["over_market"][0] == pytest.approx(dear_line.price_cents * 1000 / reach)
    assert notes[1]["over_market"][1] == top
    assert "over_market" not in notes[2]


def test_the_why_view_lists_every_source_it_cites_even_with_no_reason() -> None:
    """A sales plan the roster made macro has no reason of its own (the source doubts the
    sales macro brings), yet its notes cite a source: the list of sources still names it."""
    people = [person(1, 300_000, 1_000, engagement_rate=4), person(2, 250_000, 900)]
    people.append(person(3, 20_000, 700))  # micro, over the market: left out
    stored = snapshot(recommend(Brief(Goal.SALES, 2_000_000, "EUR", "cooking"), people, KB), KB)
    assert stored.verdict.kind == "macro" and not stored.reasons
    cited = {KB.fact(n.fact).source for n in stored.notices if n.fact}
    assert cited and cited <= set(why_values(stored, KB)["sources"])
