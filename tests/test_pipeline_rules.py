"""The rules of creators in a campaign (knowledge.campaigns.pipeline): which moves the owner
may make, properties over any sequence of taps (the rules' own and the database's), who is
behind at a check-in; and the next best fit for one who declined
(knowledge.advice.replacement)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from knowledge.advice.brief import Candidate
from knowledge.advice.forecast import value_per_cost
from knowledge.advice.replacement import Declined, next_best_fit
from knowledge.advice.stored import StoredBrief
from knowledge.base import KnowledgeBase, Side, default_knowledge, in_currency
from knowledge.campaigns.pipeline import (
    ORDER,
    CreatorStatus,
    Window,
    behind_at,
    can_move,
    counts,
    is_due,
    moves,
    posted_by,
    windows_of,
)
from storage.db import make_engine, migrate
from storage.models import Campaign, CampaignCreator, SavedBrief, User
from storage.pipeline import Moved, move_creator

S = CreatorStatus
STATUSES = list(CreatorStatus)
KB = default_knowledge()


def allowed_step(start: CreatorStatus, end: CreatorStatus) -> bool:
    """The rules in words: one step on or back along the way, declining before publishing,
    and a creator who declined asked again."""
    if start is S.DECLINED:
        return end is S.CONTACTED
    if end is S.DECLINED:
        return ORDER.index(start) < ORDER.index(S.PUBLISHED)
    return abs(ORDER.index(end) - ORDER.index(start)) == 1


def test_each_status_offers_its_moves_in_the_buttons_order() -> None:
    assert moves(S.TO_CONTACT) == (S.CONTACTED, S.DECLINED)
    assert moves(S.APPROVED) == (S.PUBLISHED, S.DECLINED, S.AGREED)
    assert moves(S.PUBLISHED) == (S.PAID, S.APPROVED)
    assert moves(S.PAID) == (S.PUBLISHED,)
    assert moves(S.DECLINED) == (S.CONTACTED,)
    assert all(moves(status, replaced=True) == () for status in STATUSES)


@given(st.lists(st.tuples(st.sampled_from(STATUSES), st.booleans()), max_size=40))
def test_any_taps_move_a_creator_only_along_allowed_transitions(
    taps: list[tuple[CreatorStatus, bool]],
) -> None:
    """Whatever the owner asks for (any status, the creator replaced or not along the way),
    a creator moves only one allowed step at a time, reaches paid only from published, and
    never moves once replaced."""
    status, replaced = S.TO_CONTACT, False
    for wanted, replace_now in taps:
        before = status
        if can_move(status, wanted, replaced):
            status = wanted
            assert allowed_step(before, status)
            assert status is not S.PAID or before is S.PUBLISHED
        if replaced:
            assert status is before
        replaced = replaced or (replace_now and status is S.DECLINED)


@dataclass
class Row:
    status: str
    wave: int = 1
    replaced_by: int | None = None


def test_creators_should_have_published_by_the_last_check_in_before_the_end() -> None:
    start = date(2026, 12, 1)
    assert posted_by(start, 14) == "last" and posted_by(start, 1) == "launch"
    assert [is_due(stage, start, 14) for stage in ("launch", "mid", "last", "after")] == [
        False,
        False,
        True,
        True,
    ]
    assert is_due("launch", start, 1) and not is_due("lunch", start, 14)
    rows = [
        Row("to_contact"),
        Row("agreed"),
        Row("approved"),
        Row("published"),
        Row("paid"),
        Row("declined"),
        Row("declined", replaced_by=9),
        Row("agreed", wave=2),  # a reserve, maybe never booked
    ]
    assert behind_at("mid", rows, start, 14) == []
    assert behind_at("last", rows, start, 14) == rows[:3]
    assert behind_at("after", rows, start, 14) == rows[:3]
    assert counts(rows) == {
        S.TO_CONTACT: 1,
        S.AGREED: 2,
        S.APPROVED: 1,
        S.PUBLISHED: 1,
        S.PAID: 1,
        S.DECLINED: 1,
    }


# ---- the same rules where the taps land: storage.pipeline.move_creator ----

OWNER = 5


@pytest.fixture(scope="module")
def engine() -> Iterator[Engine]:
    engine = make_engine("sqlite:///:memory:")
    migrate(engine)
    with Session(engine) as session:
        session.add(User(telegram_id=OWNER))
        session.add(User(telegram_id=OWNER + 1))
        session.flush()
        brief = SavedBrief(
            user_id=OWNER, goal="sales", budget_cents=1, currency="EUR", niche="x", verdict="micro"
        )
        session.add(brief)
        session.flush()
        assert brief.id is not None
        session.add(
            Campaign(
                user_id=OWNER, brief_id=brief.id, name="c", start_day=date.today(), length_days=7
            )
        )
        session.commit()
    yield engine
    engine.dispose()


def new_creator(engine: Engine) -> int:
    with Session(engine) as session:
        row = CampaignCreator(
            campaign_id=1,
            influencer_id=1,
            name="Anna",
            handle="@anna",
            platform="instagram",
            niche="x",
            side="micro",
            posts=1,
            price_cents=100,
            cost_cents=100,
        )
        session.add(row)
        session.commit()
        assert row.id is not None
        return row.id


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(STATUSES), st.sampled_from(STATUSES)), max_size=15))
def test_the_database_takes_only_allowed_moves_from_where_a_creator_stands(
    engine: Engine, taps: list[tuple[CreatorStatus, CreatorStatus]]
) -> None:
    """Any (from, to) a button may carry, forged or stale: a move is made only when the
    creator stands at `from` and the rules allow it; otherwise nothing changes."""
    creator_id = new_creator(engine)
    status = S.TO_CONTACT
    for start, end in taps:
        with Session(engine) as session:
            moved, row = move_creator(
                session=session,
                user_id=OWNER,
                campaign_id=1,
                creator_id=creator_id,
                start=start,
                end=end,
            )
        assert row is not None
        if not can_move(start, end):
            assert moved is Moved.REFUSED
        elif start is not status:
            assert moved is Moved.STALE
        else:
            assert moved is Moved.MOVED
            status = end
        assert row.status == status
    with Session(engine) as session:
        elsewhere = move_creator(
            session=session,
            user_id=OWNER + 1,
            campaign_id=1,
            creator_id=creator_id,
            start=status,
            end=moves(status)[0],
        )
    assert elsewhere == (Moved.GONE, None)


# ---- the next best fit ----


def person(id_: int, **changes: object) -> Candidate:
    values: dict[str, object] = {
        "id": id_,
        "name": f"Person {id_}",
        "handle": f"@p{id_}",
        "platform": "blog",
        "niches": ("cooking",),
        "followers": 9_000,
        "engagement_rate": 3.0,
        "price_cents": 4_000,
        "audience_quality": 90,
    }
    return Candidate(**(values | changes))  # type: ignore[arg-type]


BRIEF = StoredBrief(goal="sales", budget_cents=200_000, currency="EUR", niche="cooking")
DECLINED = Declined("cooking", "blog", Side.MICRO, posts=4, freed_cents=20_000)


def fit(candidates: list[Candidate], kb: KnowledgeBase = KB, **more: object):  # type: ignore[no-untyped-def]
    values: dict[str, object] = {"in_campaign": [], "codes_taken": set(), "declined": DECLINED}
    values |= more
    return next_best_fit(
        BRIEF,
        values["declined"],  # type: ignore[arg-type]
        candidates,
        values["in_campaign"],  # type: ignore[arg-type]
        values["codes_taken"],  # type: ignore[arg-type]
        {},
        kb,
    )


def test_the_next_best_fit_is_the_first_by_the_engines_ranking() -> None:
    a = KB.assumptions
    metric = a.goal_metric["sales"]  # type: ignore[index]
    floor = in_currency(a.fair_pay_floor, "EUR") or 0
    people = [person(1, followers=9_900), person(2, followers=8_000), person(3, followers=9_500)]
    best = max(people, key=lambda c: value_per_cost(c, metric, a, floor))
    found = fit(people)
    assert found is not None and found.candidate == best == people[0]
    assert found.posts == 4 and found.price_cents == floor and found.cost_cents == 4 * floor
    assert found.promo_code == "SHOP-PERSON10" and found.link is None
    assert 0 < found.forecast.conversions[0] <= found.forecast.conversions[2]


def test_the_next_best_fit_keeps_to_the_decliners_place_and_money() -> None:
    best = person(1, followers=9_900)
    others = [
        person(2, platform="instagram", followers=9_950),
        person(3, niches=("travel",), followers=9_950),
        person(4, followers=200_000, price_cents=15_000),  # macro
        person(5, price_cents=25_000, followers=9_990),  # dearer than what was freed
        person(6, audience_quality=20, followers=9_990),  # the rules leave them out
    ]
    assert fit([*others, best]).candidate == best  # type: ignore[union-attr]
    assert fit(others) is None
    # Not one already in the campaign, nor the same person on another account.
    again = person(7, name="Person 1", platform="tiktok")
    assert fit([best], in_campaign=[again]) is None
    assert fit([best], in_campaign=[best]) is None
    # Less money freed: as many posts as it pays.
    fewer = fit([best], declined=Declined("cooking", "blog", Side.MICRO, 4, 12_000))
    assert fewer is not None and fewer.posts == 2 and fewer.cost_cents <= 12_000
    assert fit([best], declined=Declined("cooking", "blog", Side.MICRO, 4, 4_000)) is None


def test_the_replacements_code_is_none_the_campaign_has() -> None:
    found = fit([person(1)], codes_taken={"SHOP-PERSON10", "SHOP-PERSON1-10"})
    assert found is not None and found.promo_code == "SHOP-PERSON2-10"


def test_each_plan_lines_posting_window_by_creator_and_wave() -> None:
    lines = [
        {"id": 1, "wave": 1, "post_from": "2027-03-08", "post_until": "2027-03-14"},
        {"id": 1, "wave": 2, "post_from": "2027-03-16", "post_until": "2027-03-22"},
        {
            "id": 2,
            "wave": 1,
            "post_from": "2027-03-15",
            "post_until": "2027-03-15",
            "post_role": "main",
        },
        {"id": 3, "wave": 1},  # a brief without a date
        {"id": 4, "post_from": None, "post_until": None},  # stored before windows
        {"id": 5, "wave": 1, "post_from": "not a day", "post_until": "2027-03-15"},
    ]
    assert windows_of(lines) == {
        (1, 1): Window(date(2027, 3, 8), date(2027, 3, 14)),
        (1, 2): Window(date(2027, 3, 16), date(2027, 3, 22)),
        (2, 1): Window(date(2027, 3, 15), date(2027, 3, 15), "main"),
    }
