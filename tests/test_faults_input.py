"""Fault suite, what people type and press (issue 13, items 7, 8, 9 and 12): confirming
buttons work once, numbers beyond 64 bits and Unicode digits never crash, dates out of range
are explained, and roster searches take `%` and `_` literally."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import Session, select

from bot.sandbox.emulator import BotMessage
from knowledge.base import KnowledgeBase
from knowledge.reading.parsing import parse_id
from knowledge.reading.results import ResultsInvalid, parse_results
from knowledge.reading.roster_query import read_roster_query
from knowledge.reading.when import WhenError, WhenProblem, parse_when
from storage.models import AuditEntry, Influencer, Reminder
from storage.roster import find_influencers
from tests.conftest import ADMIN, USER, BotHarness, Cli

TWENTY_DIGITS = "99999999999999999999"
ZED = "/add name=Zed handle=@zedcooks platform=blog niche=cooking followers=50k er=9 price=100"
HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"


def no_error(messages: list[BotMessage]) -> None:
    for message in messages:
        assert "went wrong" not in message.text, message.text


async def add_zed(bot: BotHarness) -> Influencer:
    [draft] = await bot.say(ZED, user=ADMIN)
    await bot.press(draft, "💾 Save", user=ADMIN)
    with Session(bot.engine) as session:
        [zed] = find_influencers(session=session, reference="@zedcooks")
        return zed


def removals(bot: BotHarness) -> int:
    with Session(bot.engine) as session:
        return len(session.exec(select(AuditEntry).where(AuditEntry.action == "remove")).all())


# ---- item 7: every confirming button works once ----


async def test_yes_remove_pressed_again_after_a_restore_has_expired(bot: BotHarness) -> None:
    await add_zed(bot)
    [ask] = await bot.say("/remove @zedcooks", user=ADMIN)
    [removed] = await bot.press(ask, "Yes, remove", user=ADMIN)
    assert "no longer recommended" in removed.text
    [restored] = await bot.say("/restore @zedcooks", user=ADMIN)
    assert "back in the roster" in restored.text
    answer = await bot.press_for_answer(ask, "Yes, remove", user=ADMIN)
    assert "expired" in answer
    with Session(bot.engine) as session:
        [zed] = find_influencers(session=session, reference="@zedcooks")
        assert zed.active
    assert removals(bot) == 1


async def test_yes_remove_pressed_twice_has_expired_the_second_time(bot: BotHarness) -> None:
    await add_zed(bot)
    [ask] = await bot.say("/remove @zedcooks", user=ADMIN)
    await bot.press(ask, "Yes, remove", user=ADMIN)
    assert "expired" in await bot.press_for_answer(ask, "Yes, remove", user=ADMIN)
    assert removals(bot) == 1


async def test_an_old_cards_restore_button_has_expired_after_a_change(bot: BotHarness) -> None:
    zed = await add_zed(bot)
    [ask] = await bot.say(f"/remove #{zed.id}", user=ADMIN)
    await bot.press(ask, "Yes, remove", user=ADMIN)
    [page] = await bot.say("/roster", user=ADMIN)
    await bot.emulator.press_data(ADMIN, page, f"r:o:{zed.id}")  # the removed one's card
    await bot.emulator.wait_for(
        lambda: any("↩️ Restore" in m.button_texts() for m in bot.sent(ADMIN))
    )
    [card] = [m for m in bot.sent(ADMIN) if "↩️ Restore" in m.button_texts()]
    [restored] = await bot.press(card, "↩️ Restore", user=ADMIN)
    assert "back in the roster" in restored.text
    [ask] = await bot.say(f"/remove #{zed.id}", user=ADMIN)
    await bot.press(ask, "Yes, remove", user=ADMIN)
    # The card was made before these changes: its Restore works no more.
    assert "expired" in await bot.press_for_answer(card, "↩️ Restore", user=ADMIN)
    with Session(bot.engine) as session:
        [zed] = find_influencers(session=session, reference="@zedcooks")
        assert not zed.active


# ---- item 8: numbers beyond 64 bits, Unicode digits ----


@pytest.mark.parametrize(
    "command",
    [
        f"{ZED.replace('followers=50k', 'followers=' + TWENTY_DIGITS)}",
        f"{ZED.replace('price=100', 'price=' + TWENTY_DIGITS)}",
        f"/roster min:{TWENTY_DIGITS}",
        f"/roster max:{TWENTY_DIGITS}",
        f"/export min:{TWENTY_DIGITS}",
        "/admin add ²",
        f"/admin add {TWENTY_DIGITS}",
        "/admin remove ٣",
        "/remove #²",
        f"/remove #{TWENTY_DIGITS}",
        f"/restore #{TWENTY_DIGITS}",
        f"/history #{TWENTY_DIGITS}",
        f"/edit #{TWENTY_DIGITS} price=5",
    ],
)
async def test_big_numbers_and_unicode_digits_never_crash_an_admin_command(
    bot: BotHarness, command: str
) -> None:
    [answer] = await bot.say(command, user=ADMIN)
    no_error([answer])
    if "💾 Save" in answer.button_texts():  # a draft shown as it would be saved: save it
        no_error(await bot.press(answer, "💾 Save", user=ADMIN))


async def test_a_twenty_digit_edit_is_refused_with_the_field_named(bot: BotHarness) -> None:
    await add_zed(bot)
    [answer] = await bot.say(f"/edit @zedcooks followers={TWENTY_DIGITS}", user=ADMIN)
    assert "followers" in answer.text and "10,000,000,000" in answer.text
    [answer] = await bot.say(f"/edit @zedcooks price={TWENTY_DIGITS}", user=ADMIN)
    assert "price_per_post" in answer.text and "€1,000,000,000" in answer.text


@pytest.mark.parametrize(
    "data",
    [
        "r:o:12345678901234567890123",
        "r:p:999999999999999999",
        "r:xc:12345678901234567890123:abcd",
        "rm:12345678901234567890123",
        "cp:12345678901234567890123",
        "ci:12345678901234567890123",
        "v:12345678901234567890123:card",
        "imp:12345678901234567890123",
        "camp:12345678901234567890123",
        "ch:12345678901234567890123",
        "rm:٣",
    ],
)
async def test_forged_button_ids_never_crash(bot: BotHarness, data: str) -> None:
    [page] = await bot.say("/roster", user=ADMIN)  # a message with buttons to press under
    before = len(bot.sent(ADMIN))
    answers = len([e for e in bot.emulator.chat_events(ADMIN) if e.kind == "answer"])
    await bot.emulator.press_data(ADMIN, page, data)
    await bot.say("/help", user=ADMIN)  # handled after the button (a user's updates in order)
    no_error(bot.sent(ADMIN)[before:])
    assert len([e for e in bot.emulator.chat_events(ADMIN) if e.kind == "answer"]) > answers


def test_reported_results_beyond_64_bits_are_refused() -> None:
    with pytest.raises(ResultsInvalid, match="reach"):
        parse_results(f"reach={TWENTY_DIGITS} sales=3", "EUR")
    with pytest.raises(ResultsInvalid, match="spent"):
        parse_results(f"spent={TWENTY_DIGITS}", "EUR")


def test_ids_are_one_to_eighteen_ascii_digits() -> None:
    assert parse_id("42") == 42 and parse_id(" 7 ") == 7
    assert parse_id("9" * 18) == int("9" * 18)
    for bad in ("", "9" * 19, "²", "٣", "4a", "-4", "+4", "4.0"):
        assert parse_id(bad) is None, bad


def test_a_roster_search_beyond_64_bits_is_a_problem_not_a_query(kb: KnowledgeBase) -> None:
    read = read_roster_query(f"min:{TWENTY_DIGITS}", kb, [])
    assert read.problems and "min" in read.problems[0]


async def test_a_csv_whose_last_row_is_beyond_64_bits_is_refused_at_preview(
    bot: BotHarness,
) -> None:
    rows = "".join(f"P{i},@p_{i:04d},instagram,cooking,2000{i},3.5,100\n" for i in range(200))
    bad = f"Last,@last_one,instagram,cooking,{TWENTY_DIGITS},3.5,100\n"
    await bot.say("/import", user=ADMIN)
    [answer] = await bot.send_file("big.csv", (HEADER + rows + bad).encode(), user=ADMIN)
    assert "can't be imported" in answer.text and "line 202: followers" in answer.text
    assert "Confirm" not in " ".join(answer.button_texts())


def test_the_cli_refuses_a_csv_beyond_64_bits_without_a_traceback(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(HEADER + f"Last,@last_one,instagram,cooking,{TWENTY_DIGITS},3.5,100\n")
    result = cli("roster", "import", str(path))
    assert result.code == 1 and "Traceback" not in result.err
    assert "line 2: followers" in result.err


# ---- item 9: dates out of range ----


@pytest.mark.parametrize(
    ("text", "zone", "problem"),
    [
        ("9999-12-31 23:00 x", "Pacific/Pago_Pago", WhenProblem.TOO_FAR),
        ("0001-01-01 00:30 x", "Asia/Tokyo", WhenProblem.PAST),
        ("9999-12-31 x", "Pacific/Kiritimati", WhenProblem.TOO_FAR),
        ("0001-01-01 x", "America/Los_Angeles", WhenProblem.PAST),
        ("in 9999 weeks x", "UTC", WhenProblem.TOO_FAR),
    ],
)
def test_dates_out_of_range_are_too_far_or_past(text: str, zone: str, problem: WhenProblem) -> None:
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    with pytest.raises(WhenError) as caught:
        parse_when(text, now, ZoneInfo(zone))
    assert caught.value.problem is problem


async def test_a_reminder_in_year_9999_is_explained(bot: BotHarness) -> None:
    await bot.say("/timezone Pacific/Pago_Pago")
    [answer] = await bot.say("/remind 9999-12-31 23:00 pay the rent")
    assert "too far ahead" in answer.text
    [answer] = await bot.say("/remind 0001-01-01 00:30 pay the rent")
    assert "already passed" in answer.text


@pytest.mark.parametrize("hours", [23, 24, 36, 48, 100])
def test_in_n_hours_is_exactly_n_hours_from_now(hours: int) -> None:
    now = datetime(2026, 11, 30, 21, 17, tzinfo=UTC)
    due, text = parse_when(f"in {hours} hours call Léa", now, ZoneInfo("Europe/Paris"))
    assert due == now + timedelta(hours=hours) and text == "call Léa"


def test_in_n_days_keeps_its_day_and_time() -> None:
    now = datetime(2026, 11, 30, 21, 17, tzinfo=UTC)
    due, _ = parse_when("in 2 days 9am call Léa", now, ZoneInfo("UTC"))
    assert due == datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


async def test_remind_in_36_hours_is_due_in_36_hours(bot: BotHarness) -> None:
    [answer] = await bot.say("/remind in 36 hours call Léa")
    assert "OK, I'll remind you" in answer.text
    with Session(bot.engine) as session:
        [reminder] = session.exec(select(Reminder)).all()
    wait = reminder.due_at - bot.clock.now()
    assert timedelta(hours=35, minutes=59) < wait <= timedelta(hours=36)
    assert reminder.user_id == USER
