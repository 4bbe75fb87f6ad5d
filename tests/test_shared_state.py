"""Issue 24, part 3 (items 5 and 6 of its failures): a user's state shared by instances.
Two persistences on one database are two instances (on PostgreSQL where TEST_DATABASE_URL is
set): a write that finds another one came first keeps both, nothing is applied twice, and an
erasure wins over every write begun before it."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.app import delivery_of
from bot.persistence import DatabasePersistence
from handlers.context import UserState
from storage.models import ErasedUser, UserData
from storage.privacy import forget_user, purge_erasure_marks
from storage.state import load_conversations, user_data_of
from tests.conftest import USER, BotHarness, eventually
from tests.test_e2e_campaigns import save_a_week_campaign
from tests.test_faults_privacy import held_about


def stored(engine: Engine, user_id: int = USER) -> dict[str, object]:
    with Session(engine) as session:
        data, _version = user_data_of(session=session, user_id=user_id)
    return data


async def read(persistence: DatabasePersistence, user_id: int = USER) -> UserState:
    """The user's state as an instance reads it before handling their update."""
    state = UserState()
    await persistence.refresh_user_data(user_id, state)
    return state


async def test_a_goal_and_a_language_set_at_once_on_two_instances_are_both_kept(
    engine: Engine,
) -> None:
    first, second = DatabasePersistence(engine), DatabasePersistence(engine)
    seed = await read(first)
    seed["brief"] = {"step": "goal"}
    await first.update_user_data(USER, seed)

    on_first, on_second = await read(first), await read(second)
    on_first["brief"] = {"step": "budget", "goal": "sales"}  # a goal typed on one
    on_second["language"] = "fr"  # /language on the other, at the same moment
    await first.update_user_data(USER, on_first)
    await second.update_user_data(USER, on_second)

    both = {"brief": {"step": "budget", "goal": "sales"}, "language": "fr"}
    assert stored(engine) == both
    assert dict(on_second) == both  # the instance that wrote last sees the other's change
    on_first = await read(first)
    del on_first["language"]  # a key removed is removed, the other kept
    await first.update_user_data(USER, on_first)
    assert stored(engine) == {"brief": {"step": "budget", "goal": "sales"}}


async def test_many_instances_writing_at_once_lose_nothing(engine: Engine) -> None:
    instances = [DatabasePersistence(engine) for _ in range(8)]
    states = [await read(instance) for instance in instances]
    for number, state in enumerate(states):
        state[f"answer{number}"] = number
    await asyncio.gather(
        *(
            instance.update_user_data(USER, state)
            for instance, state in zip(instances, states, strict=True)
        )
    )
    assert stored(engine) == {f"answer{n}": n for n in range(8)}
    with Session(engine) as session:
        [row] = session.exec(select(UserData).where(col(UserData.user_id) == USER))
    assert row.version == 8  # one write each, none applied twice


async def test_a_write_begun_before_an_erasure_stores_nothing(engine: Engine) -> None:
    first, second = DatabasePersistence(engine), DatabasePersistence(engine)
    state = await read(first)
    state["brief"] = {"step": "goal"}
    await first.update_user_data(USER, state)
    on_second = await read(second)  # an update being handled on the other instance…
    with Session(engine) as session:  # …when /forget_me commits on this one
        forget_user(session=session, user_id=USER)
    on_second["brief"] = {"step": "budget", "goal": "sales"}
    await second.update_user_data(USER, on_second)
    assert stored(engine) == {} and dict(on_second) == {}
    with Session(engine) as session:
        assert not list(session.exec(select(UserData).where(col(UserData.user_id) == USER)))

    again = await read(second)  # the user comes back afterwards: a new user
    again["brief"] = {"step": "goal"}
    await second.update_user_data(USER, again)
    assert stored(engine) == {"brief": {"step": "goal"}}


async def test_a_checkin_being_sent_when_the_user_is_erased_brings_no_row_back(
    bot: BotHarness,
) -> None:
    await save_a_week_campaign(bot, "/advise goal=sales budget=2000 niche=cooking")
    gate = bot.emulator.hold(USER)
    bot.clock.advance(days=1)
    bot.rearm()
    await bot.emulator.wait_for(lambda: bot.emulator.held.get(USER, 0) == 1)  # on its way
    with Session(bot.engine) as session:  # /forget_me, committed on another instance
        forget_user(session=session, user_id=USER)
    gate.set()
    assert bot.application is not None
    delivery = delivery_of(bot.application)
    await bot.emulator.wait_for(lambda: "check-in" in bot.sent()[-1].text.lower())
    await eventually(lambda: not delivery._running.locked())
    assert set(held_about(bot.engine, USER).values()) == {0}


def test_an_erasure_is_remembered_for_two_days_then_forgotten(engine: Engine) -> None:
    with Session(engine) as session:
        forget_user(session=session, user_id=USER)
        now = datetime.now(UTC)
        assert purge_erasure_marks(session=session, now=now + timedelta(days=1)) == 0
        assert session.get(ErasedUser, USER) is not None
        assert purge_erasure_marks(session=session, now=now + timedelta(days=2, minutes=1)) == 1
        assert session.get(ErasedUser, USER, populate_existing=True) is None


async def test_a_step_begun_before_an_erasure_is_not_recorded(engine: Engine) -> None:
    persistence = DatabasePersistence(engine)
    await read(persistence)  # an update being handled on one instance…
    key = (USER, USER)
    with Session(engine) as session:  # …when /forget_me commits on the other
        forget_user(session=session, user_id=USER)
    await persistence.update_conversation("advise", key, "budget")
    with Session(engine) as session:
        assert load_conversations(session=session, name="advise") == {}
    await read(persistence)  # the user comes back afterwards
    await persistence.update_conversation("advise", key, "goal")
    with Session(engine) as session:
        assert load_conversations(session=session, name="advise") == {key: "goal"}
