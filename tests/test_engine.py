"""The recommendation engine: fixed scenarios, hand-checked numbers, and invariants."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowledge.base import Goal, KnowledgeBase, Side, default_knowledge, load_knowledge
from knowledge.engine import Brief, Candidate, best_within_budget, estimate, recommend

KB = default_knowledge()
NICHES = ("cooking", "travel", "fashion", "gardening")
PLATFORMS = ("instagram", "youtube", "tiktok")


def person(
    i: int, followers: int, price: float, niche: str = "cooking", **extra: object
) -> Candidate:
    values: dict[str, object] = {
        "id": i,
        "name": f"P{i}",
        "handle": f"@p{i}",
        "platform": "instagram",
        "niches": (niche,),
        "followers": followers,
        "engagement_rate": 3.0,
        "price_cents": int(price * 100),
        "audience_quality": 80,
    }
    values.update(extra)
    return Candidate(**values)  # type: ignore[arg-type]


def roster(seed: int = 1, size: int = 120) -> list[Candidate]:
    rng = random.Random(seed)
    people = []
    for i in range(size):
        followers = int(10 ** rng.uniform(3, 6.6))
        people.append(
            Candidate(
                id=i,
                name=f"Person {i}",
                handle=f"@h{i}",
                platform=rng.choice(PLATFORMS),
                niches=tuple(rng.sample(NICHES, rng.choice((1, 2)))),
                followers=followers,
                engagement_rate=round(rng.uniform(0.5, 9), 1),
                price_cents=int(followers * rng.uniform(0.5, 2)),
                posts_per_week=rng.choice((None, 2, 5, 21)),
                audience_quality=rng.choice((None, 55, 90)),
                open_to_exclusivity=rng.random() < 0.3,
            )
        )
    return people


def test_estimate_can_be_recomputed_by_hand() -> None:
    # 50,000 followers (micro tier: reach 25 %, conversion 2.5 %), quality 80, ER 4 %
    e = estimate(person(1, 50_000, 500, engagement_rate=4.0), KB.assumptions)
    assert e.reach == pytest.approx(50_000 * 0.80 * 0.25)
    assert e.engagements == pytest.approx(50_000 * 0.80 * 0.04)
    assert e.conversions == pytest.approx(50_000 * 0.80 * 0.04 * 0.025)


def test_heavy_posters_count_half() -> None:
    calm = estimate(person(1, 50_000, 500, posts_per_week=3), KB.assumptions)
    busy = estimate(person(2, 50_000, 500, posts_per_week=30), KB.assumptions)
    assert busy.reach == pytest.approx(calm.reach / 2)


def test_sales_on_a_small_budget_is_micro_and_warns_about_macro() -> None:
    people = [person(1, 20_000, 200), person(2, 8_000, 90), person(3, 800_000, 6_000)]
    rec = recommend(Brief(Goal.SALES, 80_000, "EUR", "cooking"), people, KB)
    assert rec.verdict.kind == "micro"
    assert {p.candidate.id for p in rec.plan.picks} == {1, 2}
    notice = rec.notice("no_macro_affordable")
    assert notice is not None and notice.params["cheapest_cents"] == 600_000
    assert any(f.id == "S2-higher-conversion" for f in rec.reasons)
    assert rec.notice("fair_pay") is not None


def test_a_budget_that_buys_nobody_says_so_once() -> None:
    people = [person(1, 20_000, 200), person(3, 800_000, 6_000)]
    rec = recommend(Brief(Goal.SALES, 1_000, "EUR", "cooking"), people, KB)
    assert rec.plan.picks == ()
    notice = rec.notice("nothing_affordable")
    assert notice is not None and notice.params["cheapest_cents"] == 20_000
    assert rec.notice("no_macro_affordable") is None


def test_awareness_with_a_big_budget_leans_macro() -> None:
    people = [person(i, 30_000 + i, 300, niche="fashion") for i in range(10)]
    people += [person(100 + i, 900_000 + i, 7_000, niche="fashion") for i in range(5)]
    rec = recommend(Brief(Goal.AWARENESS, 3_000_000, "EUR", "fashion"), people, KB)
    assert rec.verdict.macro_pct >= 50
    assert rec.plan.side(Side.MACRO)
    assert any(f.favours is Side.MACRO for f in rec.reasons)


def test_launch_mix_buys_both_sides_within_each_part() -> None:
    people = [person(i, 40_000 + i, 400, niche="fashion") for i in range(10)]
    people += [person(100 + i, 600_000 + i, 5_000, niche="fashion") for i in range(3)]
    rec = recommend(Brief(Goal.LAUNCH, 1_200_000, "EUR", "fashion"), people, KB)
    assert rec.verdict.kind == "mix"
    macro_part = 1_200_000 * rec.verdict.macro_pct // 100
    assert sum(p.candidate.price_cents for p in rec.plan.side(Side.MACRO)) <= macro_part
    assert sum(p.candidate.price_cents for p in rec.plan.side(Side.MICRO)) <= 1_200_000 - macro_part
    assert rec.plan.side(Side.MACRO) and rec.plan.side(Side.MICRO)


def test_no_match_in_the_niche_widens_to_nearest_and_says_so() -> None:
    people = [person(1, 20_000, 200, niche="gardening"), person(2, 20_000, 200, niche="pets")]
    rec = recommend(Brief(Goal.SALES, 100_000, "EUR", "cooking"), people, KB)
    assert rec.scope.niche_widened and rec.notice("niche_widened") is not None
    assert [p.candidate.id for p in rec.plan.picks] == [1]


def test_nothing_anywhere_says_so() -> None:
    rec = recommend(Brief(Goal.SALES, 100_000, "EUR", "knitting"), roster(), KB)
    assert not rec.plan.picks and rec.notice("no_match") is not None


def test_platform_widened_when_the_niche_has_no_one_there() -> None:
    people = [person(1, 20_000, 200, platform="youtube")]
    rec = recommend(Brief(Goal.SALES, 100_000, "EUR", "cooking", "tiktok"), people, KB)
    assert rec.scope.platform_widened and rec.notice("platform_widened") is not None


def test_ambassador_goal_prefers_exclusivity_and_says_so() -> None:
    people = [person(1, 20_000, 200), person(2, 20_000, 200, open_to_exclusivity=True)]
    rec = recommend(Brief(Goal.AMBASSADOR, 20_000, "EUR", "cooking"), people, KB)
    assert [p.candidate.id for p in rec.plan.picks] == [2]
    notice = rec.notice("ambassador")
    assert notice is not None and notice.params["names"] == ["P2"]


def test_selection_has_no_duplicates_and_respects_limit() -> None:
    twins = [person(1, 20_000, 200), person(2, 20_000, 200, handle="@P1")]
    assert len(best_within_budget(twins, 10_000_000, 10, Goal.SALES, KB.assumptions)) == 1
    many = [person(i, 20_000 + i, 100) for i in range(50)]
    assert len(best_within_budget(many, 10_000_000, 10, Goal.SALES, KB.assumptions)) == 10


def test_upgrade_spends_left_money_on_stronger_people() -> None:
    cheap = [person(i, 2_000, 10) for i in range(10)]
    strong = [person(100, 90_000, 900)]
    chosen = best_within_budget(cheap + strong, 100_000, 10, Goal.AWARENESS, KB.assumptions)
    assert 100 in {c.id for c in chosen}


briefs = st.builds(
    Brief,
    goal=st.sampled_from(list(Goal)),
    budget_cents=st.integers(min_value=1, max_value=5 * 10**8),
    currency=st.just("EUR"),
    niche=st.sampled_from((*NICHES, "diy", "knitting")),
    platform=st.sampled_from((None, *PLATFORMS, "blog")),
)


@settings(max_examples=150, deadline=None)
@given(brief=briefs, seed=st.integers(min_value=0, max_value=50))
def test_invariants(brief: Brief, seed: int) -> None:
    people = roster(seed)
    rec = recommend(brief, people, KB)
    assert rec.verdict.micro_pct + rec.verdict.macro_pct == 100
    for plan in (rec.plan, rec.all_micro, rec.all_macro):
        assert plan.spent_cents <= brief.budget_cents
        keys = [(p.candidate.platform, p.candidate.handle.lower()) for p in plan.picks]
        assert len(keys) == len(set(keys))
    assert all(p.tier.side is Side.MICRO for p in rec.all_micro.picks)
    assert all(p.tier.side is Side.MACRO for p in rec.all_macro.picks)
    if rec.verdict.kind == "micro":
        assert not rec.plan.side(Side.MACRO)
    if rec.verdict.kind == "macro":
        assert not rec.plan.side(Side.MICRO)
    for pick in rec.plan.picks:
        if not rec.scope.niche_widened:
            assert brief.niche in pick.candidate.niches
        if brief.platform and not rec.scope.platform_widened:
            assert pick.candidate.platform == brief.platform
    if rec.scope.niche_widened:
        assert rec.notice("niche_widened") or rec.notice("no_match")
    assert 2 <= len(rec.reasons) <= 5
    shuffled = people[:]
    random.Random(seed).shuffle(shuffled)
    assert recommend(brief, shuffled, KB) == rec  # same input, same output, any order


def test_assumptions_can_be_overridden(tmp_path: Path) -> None:
    override = tmp_path / "override.toml"
    override.write_text(
        "[verdict]\nbase_macro_share = { sales = 100, awareness = 80, "
        "community = 10, launch = 70, ambassador = 0 }\n"
        "specialist_niche_shift = 0\nefficiency_shift = 0\n"
    )
    kb: KnowledgeBase = load_knowledge(override)
    people = [person(1, 20_000, 200), person(2, 600_000, 5_000)]
    rec = recommend(Brief(Goal.SALES, 1_000_000, "EUR", "cooking"), people, kb)
    assert rec.verdict.kind == "macro"
