"""Fault suite, privacy (issue 13, item 15): a user sees and erases what the bot holds about
them, an admin deletes an influencer for good (their details in the audit log too), and what
is kept only for a while goes when its time is up."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, col, select

from bot.app import PURGE_JOB
from knowledge.campaigns.retention import retention
from storage.models import (
    AuditEntry,
    Campaign,
    CheckinResult,
    ConversationState,
    Influencer,
    PendingImport,
    Reminder,
    SavedBrief,
    User,
    UserData,
    utcnow,
)
from storage.privacy import purge_expired
from tests.conftest import ADMIN, USER, BotHarness
from tests.test_e2e_campaigns import save_a_week_campaign

ZED = (
    '/add name="Zed Quux" handle=@zedcooks platform=blog niche=knitting '
    "followers=50k er=9 price=400"
)


async def campaign_with_results(bot: BotHarness) -> None:
    """A saved brief, its campaign, a check-in answered, and a free reminder."""
    await save_a_week_campaign(bot, "/advise goal=sales budget=2000 niche=cooking")
    bot.clock.advance(days=1)
    before = len(bot.sent())
    bot.rearm()
    await bot.emulator.wait_for(lambda: len(bot.sent()) > before)
    [noted] = await bot.say("reach=12k sales=12 spent=800")
    assert "Noted" in noted.text
    await bot.say("/remind in 2 hours call Léa")
    await bot.say("/timezone Europe/Paris")


def rows_of(engine: Engine, model: type[SQLModel], *where: object) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def held_about(engine: Engine, user_id: int) -> dict[str, int]:
    with Session(engine) as session:
        campaigns = list(session.exec(select(Campaign.id).where(Campaign.user_id == user_id)))
        states = [row for row in session.exec(select(ConversationState)) if str(user_id) in row.key]
    return {
        "user": rows_of(engine, User, col(User.telegram_id) == user_id),
        "briefs": rows_of(engine, SavedBrief, col(SavedBrief.user_id) == user_id),
        "campaigns": len(campaigns),
        "results": rows_of(engine, CheckinResult, col(CheckinResult.campaign_id).in_(campaigns)),
        "reminders": rows_of(engine, Reminder, col(Reminder.user_id) == user_id),
        "user_data": rows_of(engine, UserData, col(UserData.user_id) == user_id),
        "conversation_state": len(states),
    }


async def test_mydata_sends_what_the_bot_holds_as_a_json_file(bot: BotHarness) -> None:
    await campaign_with_results(bot)
    [document] = await bot.say("/mydata")
    assert document.document is not None and document.document["file_name"].endswith(".json")
    data = json.loads(bot.file(document))
    assert data["telegram_user_id"] == USER and data["user"]["timezone"] == "Europe/Paris"
    assert len(data["briefs"]) == 1 and data["briefs"][0]["recommendation"]["plan"]
    assert len(data["campaigns"]) == 1 and data["checkin_results"][0]["reach"] == 12000
    assert "call Léa" in [r["text"] for r in data["reminders"]]


async def test_forget_me_erases_everything_after_a_confirmation_that_works_once(
    bot: BotHarness,
) -> None:
    await campaign_with_results(bot)
    [question] = await bot.say("/advise")  # a brief in progress, too
    await bot.press(question, "Sales")
    before = held_about(bot.engine, USER)
    assert all(before[k] for k in ("user", "briefs", "campaigns", "results", "reminders"))
    assert before["user_data"] and before["conversation_state"]

    aside, ask = await bot.say("/forget_me", 2)
    assert "set your brief aside" in aside.text
    [done] = await bot.press(ask, "Yes, erase everything")
    assert "erased" in done.text
    await bot.say("/help")  # the next update: state saves after the erasure are done
    assert held_about(bot.engine, USER) == dict.fromkeys(before, 0)
    assert "expired" in await bot.press_for_answer(ask, "Yes, erase everything")

    # Back from nothing: the open brief is gone, and a new one is saved as for a new user.
    [answer] = await bot.say("800")
    assert "How much" not in answer.text
    [rec] = await bot.say("/advise goal=sales budget=800 niche=cooking")
    assert rec.text.startswith("Recommendation")
    assert held_about(bot.engine, USER)["briefs"] == 1


async def test_forget_me_keep_erases_nothing(bot: BotHarness) -> None:
    await bot.say("/remind in 2 hours call Léa")
    [ask] = await bot.say("/forget_me")
    [kept] = await bot.press(ask, "Keep")
    assert "Nothing was erased" in kept.text
    assert held_about(bot.engine, USER)["reminders"] == 1


async def test_an_influencer_purged_leaves_no_personal_data_behind(bot: BotHarness) -> None:
    [draft] = await bot.say(ZED + " contact=zed@example.org", user=ADMIN)
    await bot.press(draft, "💾 Save", user=ADMIN)
    [preview] = await bot.say("/edit @zedcooks price=420", user=ADMIN)
    await bot.press(preview, "✅ Confirm", user=ADMIN)
    [rec] = await bot.say("/advise goal=sales budget=900 niche=knitting platform=blog")
    assert "Zed Quux" in rec.text  # a user saved a recommendation naming them

    [ask] = await bot.say("/remove @zedcooks --purge", user=ADMIN)
    assert "for good" in ask.text
    [done] = await bot.press(ask, "Yes, delete for good", user=ADMIN)
    assert "deleted for good" in done.text
    assert "expired" in await bot.press_for_answer(ask, "Yes, delete for good", user=ADMIN)

    with Session(bot.engine) as session:
        assert session.exec(select(Influencer).where(Influencer.handle == "@zedcooks")).all() == []
        audit = session.exec(select(AuditEntry).order_by(col(AuditEntry.id))).all()
        briefs = session.exec(select(SavedBrief)).all()
    kept = json.dumps([e.model_dump(mode="json") for e in audit], ensure_ascii=False)
    for personal in ("Zed Quux", "zedcooks", "zed@example.org"):
        assert personal not in kept
        assert all(personal not in json.dumps(b.recommendation) for b in briefs)
    actions = [(e.action, e.actor_id) for e in audit if e.influencer_id is not None]
    assert actions == [("add", ADMIN), ("edit", ADMIN), ("purge", ADMIN)]  # who did what


async def test_pending_imports_and_old_reminders_expire(bot: BotHarness) -> None:
    assert retention().pending_import == timedelta(days=1)
    now = utcnow()
    with Session(bot.engine) as session:
        session.add(PendingImport(admin_id=ADMIN, file_name="a.csv", content="x", created_at=now))
        old = now - timedelta(hours=25)
        session.add(PendingImport(admin_id=ADMIN, file_name="b.csv", content="x", created_at=old))
        long_ago = now - retention().reminders - timedelta(days=1)
        for status in ("sent", "cancelled", "pending"):
            session.add(Reminder(user_id=USER, text=status, due_at=long_ago, status=status))
        session.add(Reminder(user_id=USER, text="recent", due_at=now, status="sent"))
        session.commit()
        assert purge_expired(session=session, now=now) == (2, 1)
        left = sorted(r.text for r in session.exec(select(Reminder)))
        imports = [p.file_name for p in session.exec(select(PendingImport))]
    assert left == ["pending", "recent"] and imports == ["a.csv"]
    assert bot.application is not None and bot.application.job_queue is not None
    assert bot.application.job_queue.get_jobs_by_name(PURGE_JOB)  # run at start, then often
