"""An owner's edits to a plan (knowledge.advice.edits), applied by the engine before the
verdict and the notices, on the sample roster loaded the bot's way: removing, swapping for
the next best fit, the number of posts, money moved between the sides; and, for any mix of
edits, totals that are the sum of the lines, a spend within the budget, a verdict that is
the split of the spend, and ids not in the plan changing nothing."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from bench.plan_grid import Roster, open_roster
from knowledge.advice.brief import Brief, Candidate, PriceGuide
from knowledge.advice.choice import Verdict
from knowledge.advice.edits import MOST_MOVES, PlanEdits
from knowledge.advice.engine import Recommendation, recommend
from knowledge.advice.scope import niches_to_fetch
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, Side, default_knowledge
from knowledge.reading.plan_edits import edits_fields, edits_of
from storage.roster import candidates_for_brief, price_guide
from tests.hypothesis_profiles import examples

KB = default_knowledge()
A = KB.assumptions
# A plan of both sides in two waves, a plan of micro creators only, a sales plan.
AWARENESS = Brief(Goal.AWARENESS, 2_000_000, "EUR", "fashion")
COMMUNITY = Brief(Goal.COMMUNITY, 300_000, "EUR", "natural-cosmetic", "instagram", "FR")
LAUNCH = Brief(Goal.LAUNCH, 800_000, "EUR", "beauty")
BRIEFS = (AWARENESS, COMMUNITY, LAUNCH)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Roster]:
    roster = open_roster("sample", tmp_path_factory.mktemp("edits"), KB, 600, 7)
    yield roster
    roster.engine.dispose()


Inputs = tuple[Brief, list[Candidate], PriceGuide]


def inputs(roster: Roster, brief: Brief) -> Inputs:
    with Session(roster.engine) as session:
        candidates = candidates_for_brief(session=session, brief=brief, kb=KB)
        prices = price_guide(session=session, niches=niches_to_fetch(brief, KB), kb=KB)
    return brief, candidates, prices


def advise(given: Inputs, edits: PlanEdits | None = None) -> Recommendation:
    brief, candidates, prices = given
    return recommend(brief, candidates, KB, prices, edits=edits)


def people(rec: Recommendation) -> list[int]:
    return sorted({line.candidate.id for line in rec.plan.lines})


def posts_of(rec: Recommendation, creator_id: int) -> int:
    return sum(line.posts for line in rec.plan.lines if line.candidate.id == creator_id)


def test_removing_a_creator_drops_their_lines_and_works_the_notices_out_again(
    sample: Roster,
) -> None:
    given = inputs(sample, AWARENESS)
    before = advise(given)
    first = before.plan.lines[0]
    after = advise(given, PlanEdits().remove(first.candidate.id))
    assert first.candidate.id not in people(after)
    assert set(people(after)) == set(people(before)) - {first.candidate.id}
    freed = sum(ln.cost_cents for ln in before.plan.lines if ln.candidate == first.candidate)
    assert after.plan.spent_cents == before.plan.spent_cents - freed
    # The money left is said by the engine's own notice once enough of it is left.
    assert before.notice("left") is None and after.notice("left") is not None


def test_a_swap_takes_the_next_best_fit_of_the_same_niche_platform_and_side(
    sample: Roster,
) -> None:
    given = inputs(sample, COMMUNITY)
    before = advise(given)
    out = before.plan.lines[0]
    after = advise(given, PlanEdits().swap(out.candidate.id))
    new = [ln for ln in after.plan.lines if ln.candidate.id not in people(before)]
    assert out.candidate.id not in people(after) and len(new) == 1
    taken = new[0]
    assert taken.side is out.side and taken.candidate.platform == out.candidate.platform
    assert set(taken.candidate.niches) & set(out.candidate.niches)
    assert taken.cost_cents <= out.cost_cents * posts_of(before, out.candidate.id) // out.posts
    # Swapping the newcomer too never brings the first back (here nobody else fits: the
    # newcomer stays, and the plan is as after the first swap).
    again = advise(given, PlanEdits().swap(out.candidate.id).swap(taken.candidate.id))
    assert out.candidate.id not in people(again)
    assert again.plan == after.plan


def test_posts_stay_between_one_and_the_plans_most_per_creator(sample: Roster) -> None:
    given = inputs(sample, LAUNCH)
    before = advise(given)
    line = next(ln for ln in before.plan.lines if ln.posts >= 2)
    who = line.candidate.id
    fewer = advise(given, PlanEdits().with_posts(who, line.posts - 1))
    assert posts_of(fewer, who) == line.posts - 1
    assert fewer.plan.spent_cents == before.plan.spent_cents - line.price_cents
    assert posts_of(advise(given, PlanEdits().with_posts(who, 0)), who) == 1
    most = A.plan.most_posts(A.tier_for(line.candidate.followers).name)
    assert posts_of(advise(given, PlanEdits().with_posts(who, 99)), who) == most


def test_money_moved_to_a_side_changes_the_split_the_verdict_says(sample: Roster) -> None:
    given = inputs(sample, AWARENESS)
    before = advise(given)
    to_micro = advise(given, PlanEdits().move(Side.MICRO))
    to_macro = advise(given, PlanEdits().move(Side.MACRO))
    assert to_micro.plan.spent_on(Side.MICRO) > before.plan.spent_on(Side.MICRO)
    assert to_micro.verdict.macro_pct < before.verdict.macro_pct
    assert to_macro.plan.spent_on(Side.MACRO) > before.plan.spent_on(Side.MACRO)
    assert to_macro.verdict.macro_pct > before.verdict.macro_pct
    for rec in (to_micro, to_macro):
        assert rec.plan.spent_cents <= AWARENESS.budget_cents


def test_edits_read_back_from_their_fields() -> None:
    edits = PlanEdits().remove(3).swap(5).swap(8).with_posts(9, 2).move(Side.MICRO)
    assert edits_of(edits_fields(edits)) == edits
    assert edits_of({}) == PlanEdits() and not PlanEdits()
    garbage = {"rm": "x,,4", "sw": "1,1,-2", "np": "7:a,8:0,:3", "mv": "99"}
    read = edits_of(garbage)
    assert read == PlanEdits(frozenset({4}), (1,), ((8, 1),), MOST_MOVES)


@cache
def cached_inputs(index: int) -> Inputs:
    """Each brief's candidates, read once for the property test (Hypothesis runs it many
    times without fixtures)."""
    return inputs(ROSTERS[0], BRIEFS[index])


ROSTERS: list[Roster] = []  # the module's sample roster, set by `property_roster`


@pytest.fixture(scope="module")
def property_roster(sample: Roster) -> Iterator[None]:
    ROSTERS[:] = [sample]
    yield
    ROSTERS.clear()
    cached_inputs.cache_clear()


def split_matches(rec: Recommendation) -> bool:
    if not rec.plan.lines:
        return True
    return rec.verdict == Verdict.of_plan(rec.plan, A)


edit_steps = st.lists(
    st.tuples(
        st.sampled_from(["remove", "swap", "posts", "macro", "micro"]),
        st.integers(0, 40),
        st.integers(0, 6),
    ),
    max_size=5,
)


@settings(max_examples=examples(40), deadline=None)
@given(st.integers(0, len(BRIEFS) - 1), edit_steps)
@example(0, [("remove", 0, 0), ("swap", 1, 0), ("posts", 2, 4), ("micro", 0, 0)])
@pytest.mark.usefixtures("property_roster")
def test_any_edits_keep_the_totals_the_budget_and_the_split_true(
    index: int, steps: list[tuple[str, int, int]]
) -> None:
    given = cached_inputs(index)
    base = advise(given)
    ids = people(base)
    edits = PlanEdits()
    for kind, pick, posts in steps:
        who = ids[pick % len(ids)] if ids else pick
        if kind == "remove":
            edits = edits.remove(who)
        elif kind == "swap":
            edits = edits.swap(who)
        elif kind == "posts":
            edits = edits.with_posts(who, posts)
        else:
            edits = edits.move(Side.MACRO if kind == "macro" else Side.MICRO)
    rec = advise(given, edits)
    stored = snapshot(rec, KB)
    assert stored.plan.spent_cents == sum(line.cost_cents for line in stored.plan.lines)
    assert stored.plan.posts == sum(line.posts for line in stored.plan.lines)
    assert rec.plan.spent_cents <= given[0].budget_cents
    assert split_matches(rec)
    assert stored.verdict.macro_pct == rec.verdict.macro_pct
    assert not set(edits.removed) & set(people(rec))
    # Removing one more creator never raises the spend.
    if rec.plan.lines:
        fewer = advise(given, edits.remove(rec.plan.lines[0].candidate.id))
        assert fewer.plan.spent_cents <= rec.plan.spent_cents


@pytest.mark.usefixtures("property_roster")
@settings(max_examples=examples(10), deadline=None)
@given(st.integers(0, len(BRIEFS) - 1), st.integers(10_000_000, 10_000_100))
def test_ids_not_in_the_plan_change_nothing(index: int, stranger: int) -> None:
    given = cached_inputs(index)
    base = snapshot(advise(given), KB)
    edits = PlanEdits().remove(stranger).swap(stranger + 1).with_posts(stranger + 2, 3)
    assert snapshot(advise(given, edits), KB) == base
