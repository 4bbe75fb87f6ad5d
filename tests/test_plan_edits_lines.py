"""The lines an edit leaves, held to the engine's own arithmetic (a mutation run of
knowledge.advice.edits found them unchecked): each line's worth and cost per unit for the
posts it now holds, a creator's lines numbered on from one another, a reserve's release bar
kept for the same money per unit; and the edits' own fields, read back as written."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.plan_grid import Roster, open_roster
from knowledge.advice.brief import Brief
from knowledge.advice.edits import MOST_MOVES, PlanEdits
from knowledge.advice.forecast import post_forecast, posts_value
from knowledge.advice.plan import Line
from knowledge.base import Goal, Side
from knowledge.reading.plan_edits import edits_fields, edits_of
from tests.test_plan_edits import AWARENESS, BRIEFS, COMMUNITY, KB, LAUNCH, advise, inputs

A = KB.assumptions


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Roster]:
    roster = open_roster("sample", tmp_path_factory.mktemp("lines"), KB, 600, 7)
    yield roster
    roster.engine.dispose()


def arithmetic_holds(lines: list[Line]) -> None:
    repeat = A.funnel.repeat_post_value
    by_creator: dict[int, list[Line]] = {}
    for line in lines:
        by_creator.setdefault(line.candidate.id, []).append(line)
        if line.months or line.seeding:
            continue
        last = repeat[min(line.first_post + line.posts - 2, len(repeat) - 1)]
        assert line.worth == pytest.approx(posts_value(A, line.posts, line.first_post))
        assert line.unit_cost == pytest.approx(line.price_cents / (line.value * last))
    for theirs in by_creator.values():
        theirs.sort(key=lambda line: line.wave)
        expected = 1
        for line in theirs:
            assert line.first_post == expected and line.posts >= 1
            expected += line.posts


@pytest.mark.parametrize("brief", BRIEFS, ids=[b.goal.value for b in BRIEFS])
def test_every_number_of_posts_keeps_each_lines_arithmetic(sample: Roster, brief: object) -> None:
    given_ = inputs(sample, brief)  # type: ignore[arg-type]
    base = advise(given_)
    changed = 0
    for line in base.plan.lines:
        if line.months or line.seeding:
            continue
        most = A.plan.most_posts(A.tier_for(line.candidate.followers).name)
        for posts in range(1, most + 1):
            edited = advise(given_, PlanEdits().with_posts(line.candidate.id, posts))
            arithmetic_holds(list(edited.plan.lines))
            theirs = [ln for ln in edited.plan.lines if ln.candidate.id == line.candidate.id]
            total = sum(ln.posts for ln in theirs)
            changed += total != sum(
                ln.posts for ln in base.plan.lines if ln.candidate.id == line.candidate.id
            )
            assert total <= posts or total == sum(
                ln.posts for ln in base.plan.lines if ln.candidate.id == line.candidate.id
            )
    assert changed


def test_a_reserve_line_keeps_its_release_bar_for_the_same_money_per_unit(
    sample: Roster,
) -> None:
    given_ = inputs(sample, AWARENESS)
    base = advise(given_)
    reserves = [ln for ln in base.plan.lines if ln.reserve and ln.release_cents and ln.posts > 1]
    assert reserves, "the awareness plan holds a wave-2 reserve of several posts"
    line = reserves[0]
    theirs = sum(ln.posts for ln in base.plan.lines if ln.candidate.id == line.candidate.id)
    edited = advise(given_, PlanEdits().with_posts(line.candidate.id, theirs - 1))
    [now] = [ln for ln in edited.plan.lines if ln.candidate.id == line.candidate.id and ln.reserve]
    assert now.posts == line.posts - 1 and now.release_cents is not None
    assert line.release_cents is not None
    assert now.release_cents * now.unit_cost == pytest.approx(line.release_cents * line.unit_cost)


def test_the_edits_fields_are_written_and_read_back() -> None:
    edits = PlanEdits(
        removed=frozenset({30, 4}), swapped=(9, 2), posts=((2, 3), (7, 1)), to_macro=-2
    )
    assert edits_fields(edits) == {"rm": "4,30", "sw": "9,2", "np": "2:3,7:1", "mv": "-2"}
    assert edits_of(edits_fields(edits)) == edits
    assert edits_fields(PlanEdits()) == {} and edits_of({}) == PlanEdits()
    assert edits_of({"np": "5:0"}).posts == ((5, 1),)  # at least one post


@given(st.lists(st.sampled_from([Side.MACRO, Side.MICRO]), max_size=12))
def test_moves_add_up_one_step_each_within_their_bounds(sides: list[Side]) -> None:
    edits = PlanEdits()
    expected = 0
    for side in sides:
        edits = edits.move(side)
        expected = max(-MOST_MOVES, min(MOST_MOVES, expected + (1 if side is Side.MACRO else -1)))
        assert edits.to_macro == expected
    assert bool(edits) is (expected != 0)


def creator_order(lines: tuple[Line, ...]) -> list[int]:
    return list(dict.fromkeys(line.candidate.id for line in lines))


def test_more_posts_while_the_budget_has_room_are_exactly_those_asked(sample: Roster) -> None:
    given_ = inputs(sample, LAUNCH)
    base = advise(given_)
    room = LAUNCH.budget_cents - base.plan.spent_cents
    line = next(
        ln
        for ln in base.plan.lines
        if ln.posts < A.plan.most_posts(A.tier_for(ln.candidate.followers).name)
        and ln.price_cents <= room
        and not ln.reserve
    )
    who = line.candidate.id
    now = sum(ln.posts for ln in base.plan.lines if ln.candidate.id == who)
    edited = advise(given_, PlanEdits().with_posts(who, now + 1))
    assert sum(ln.posts for ln in edited.plan.lines if ln.candidate.id == who) == now + 1
    assert edited.plan.spent_cents == base.plan.spent_cents + line.price_cents
    assert creator_order(edited.plan.lines) == creator_order(base.plan.lines)


def test_posts_past_the_budget_stop_where_the_money_does(sample: Roster) -> None:
    given_ = inputs(sample, LAUNCH)
    base = advise(given_)
    room = LAUNCH.budget_cents - base.plan.spent_cents
    line = max(base.plan.lines, key=lambda ln: ln.price_cents)
    who = line.candidate.id
    now = sum(ln.posts for ln in base.plan.lines if ln.candidate.id == who)
    most = A.plan.most_posts(A.tier_for(line.candidate.followers).name)
    edited = advise(given_, PlanEdits().with_posts(who, most))
    held = sum(ln.posts for ln in edited.plan.lines if ln.candidate.id == who)
    assert held == min(most, now + room // line.price_cents)
    assert edited.plan.spent_cents <= LAUNCH.budget_cents


def test_the_newcomer_of_a_swap_is_priced_and_forecast_as_themselves(sample: Roster) -> None:
    given_ = inputs(sample, COMMUNITY)
    base = advise(given_)
    out = base.plan.lines[0]
    after = advise(given_, PlanEdits().swap(out.candidate.id))
    [new] = [ln for ln in after.plan.lines if ln.candidate.id not in creator_order(base.plan.lines)]
    c = new.candidate
    floor = A.fair_pay_floor["EUR"] * 100
    assert new.price_cents == max(c.price_cents, floor) and new.usage_cents == 0
    assert new.one_post == post_forecast(c, A)
    quality = c.audience_quality if c.audience_quality is not None else 100
    assert new.audience == pytest.approx(c.followers * quality / 100)
    assert new.side is out.side and not new.seeding


def test_a_retainer_keeps_its_posts_and_its_ambassador(sample: Roster) -> None:
    brief = Brief(Goal.AMBASSADOR, 1_200_000, "EUR", "fashion")
    given_ = inputs(sample, brief)
    base = advise(given_)
    line = base.plan.lines[0]
    assert line.months
    for edits in (
        PlanEdits().with_posts(line.candidate.id, 1),
        PlanEdits().swap(line.candidate.id),
    ):
        assert advise(given_, edits).plan == base.plan


def test_money_moved_rebuilds_a_plan_within_each_sides_share(sample: Roster) -> None:
    given_ = inputs(sample, AWARENESS)
    base = advise(given_)
    now = round(base.plan.spent_on(Side.MACRO) * 100 / base.plan.spent_cents)
    budget = AWARENESS.budget_cents
    for steps in (1, 2):
        moved = advise(given_, PlanEdits(to_macro=-steps))
        assert moved.plan.label == "plan"
        share = max(0, now - 25 * steps)
        assert moved.plan.spent_on(Side.MACRO) <= budget * share // 100
    none = advise(given_, PlanEdits(to_macro=-MOST_MOVES))
    assert none.plan.spent_on(Side.MACRO) == 0 and none.plan.label == "plan"
