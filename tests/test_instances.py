"""More than one bot process: polling refused or waiting its turn, the webhook server, and
two instances on one PostgreSQL database behind one address with no duplicate and no loss."""

from __future__ import annotations

import asyncio
import socket
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from bot.app import build_application, prepare_database
from bot.sandbox.emulator import SECRET_HEADER, BotApiEmulator
from bot.serve import CONFLICT, serve_webhook
from bot.settings import Settings
from bot.webhook import ListenFailed, WebhookServer
from knowledge.base import KnowledgeBase
from storage.campaigns import add_reminder
from storage.db import make_engine
from storage.models import Reminder
from tests.conftest import ADMIN, TOKEN, USER, BotHarness, eventually
from tests.instances import BotProcess, free_port

PUBLIC_URL = "https://bot.example.test/hook"
HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"


def sends(emulator: BotApiEmulator, chat: int) -> list[str]:
    return [e.message.text for e in emulator.chat_events(chat) if e.kind == "send" and e.message]


# ---- polling: one process at a time ----


async def test_a_second_poller_with_another_database_stops_with_one_line(
    bot: BotHarness, tmp_path: Path
) -> None:
    """Telegram answers 409 Conflict to the second process polling one token."""
    other = BotProcess(
        tmp_path,
        "second",
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=bot.emulator.root,
        DATABASE_URL=f"sqlite:///{tmp_path}/other.db",
        LOG_LEVEL="WARNING",
    )
    await other.start()
    assert await other.wait(60) == 3
    output = other.output()
    assert output.count(CONFLICT) == 1 and "Traceback" not in output
    assert bot.emulator.conflicts >= 1
    [answer] = await bot.say("/help")  # the first one polls on
    assert "What I can do" in answer.text


async def test_a_second_poller_with_the_same_database_waits_and_takes_over(
    tmp_path: Path,
) -> None:
    async with BotApiEmulator(TOKEN) as emulator:
        settings = {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_API_BASE_URL": emulator.root,
            "DATABASE_URL": f"sqlite:///{tmp_path}/bot.db",
            "LOG_LEVEL": "INFO",
        }
        first, second = BotProcess(tmp_path, "first", **settings), None
        try:
            await first.start()
            await emulator.wait_for(lambda: emulator.method_calls.get("getUpdates", 0) > 0, 60)
            second = BotProcess(tmp_path, "second", **settings)
            await second.start()
            await eventually(lambda: "this one waits" in second.output(), 60)
            await first.kill()
            await eventually(lambda: "this one polls now" in second.output(), 30)
            await emulator.send_text(USER, "/help")
            await emulator.wait_for(lambda: len(sends(emulator, USER)) == 1, 30)
            assert emulator.conflicts == 0
        finally:
            await emulator.release_long_polls()
            await first.kill()
            if second is not None:
                assert await second.stop() == 0


# ---- the webhook server ----


async def test_webhook_checks_the_secret_answers_health_and_finishes_updates_in_flight(
    settings: Settings, engine: Engine, kb: KnowledgeBase
) -> None:
    port = free_port()
    settings = settings.model_copy(
        update={
            "telegram_bot_token": Settings(
                _env_file=None, telegram_bot_token=TOKEN
            ).telegram_bot_token,
            "telegram_webhook_url": PUBLIC_URL,
            "webhook_listen": f"127.0.0.1:{port}",
        }
    )
    async with BotApiEmulator(TOKEN) as emulator, aiohttp.ClientSession() as http:
        emulator.route_webhook([f"http://127.0.0.1:{port}/hook"])
        application = build_application(settings, engine, kb, token=TOKEN, api_root=emulator.root)
        stop = asyncio.Event()
        served = asyncio.create_task(serve_webhook(application, engine, settings, stop))
        await emulator.wait_for(lambda: emulator.webhook is not None, 30)
        assert emulator.webhook == {"url": PUBLIC_URL, "secret": settings.secret}

        base = f"http://127.0.0.1:{port}"
        async with http.post(f"{base}/hook", json={"update_id": 1}) as refused:
            assert refused.status == 403
        headers = {SECRET_HEADER: "x" * 64}
        async with http.post(f"{base}/hook", json={"update_id": 1}, headers=headers) as wrong:
            assert wrong.status == 403
        right = {SECRET_HEADER: settings.secret}
        for body in ("[]", "null", '"x"', '{"update_id": "abc"}', '{"update_id": 1.5}', "{"):
            async with http.post(f"{base}/hook", data=body, headers=right) as bad:
                assert bad.status == 400, body
        async with http.get(f"{base}/healthz") as health:
            assert health.status == 200
            body = await health.json()
            assert body["database"] == "ok" and body["last_update_seconds_ago"] is None

        [question] = [*await _say(emulator, USER, "/advise")]
        assert "campaign for" in question
        async with http.get(f"{base}/healthz") as health:
            assert (await health.json())["last_update_seconds_ago"] < 30

        gate = emulator.hold(USER)  # the reply to the next update waits: it is in flight
        await emulator.send_text(USER, "/help")
        await emulator.wait_for(lambda: emulator.held.get(USER, 0) == 1)
        stop.set()
        await asyncio.sleep(0)
        assert not served.done()
        async with http.get(f"{base}/healthz") as health:
            assert health.status == 503  # stopping: the balancer sends no more here
        gate.set()
        server = await asyncio.wait_for(served, 30)
        assert server.handled == 2
        help_text, asked_again = sends(emulator, USER)[-2:]  # /help keeps the brief open
        assert "What I can do" in help_text and "campaign for" in asked_again
        assert [outcome for _id, _to, outcome in emulator.webhook_log] == [200, 200]


async def _say(emulator: BotApiEmulator, user: int, text: str, count: int = 1) -> list[str]:
    before = len(sends(emulator, user))
    await emulator.send_text(user, text)
    await emulator.wait_for(lambda: len(sends(emulator, user)) >= before + count, 30)
    return sends(emulator, user)[before:]


# ---- two instances, one PostgreSQL database, one address ----


async def test_two_instances_share_the_work_without_duplicate_or_loss(
    postgres_url: str, kb: KnowledgeBase, tmp_path: Path
) -> None:
    prepare_database(Settings(_env_file=None, database_url=postgres_url), kb).dispose()
    ports = [free_port(), free_port()]
    async with BotApiEmulator(TOKEN) as emulator:
        emulator.route_webhook([f"http://127.0.0.1:{p}/hook" for p in ports])
        instances = [
            BotProcess(
                tmp_path,
                f"instance{i}",
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=emulator.root,
                DATABASE_URL=postgres_url,
                TELEGRAM_WEBHOOK_URL=PUBLIC_URL,
                WEBHOOK_LISTEN=f"127.0.0.1:{port}",
                ADMIN_IDS=str(ADMIN),
                LOG_LEVEL="INFO",
                CHARTS="off",  # pictures are tried in test_e2e_charts
            )
            for i, port in enumerate(ports)
        ]
        database = make_engine(postgres_url)
        try:
            for instance in instances:
                await instance.start()
            await emulator.wait_for(lambda: emulator.method_calls.get("setWebhook", 0) == 2, 60)

            # A guided brief whose steps alternate between the two instances.
            [question] = await _say(emulator, USER, "/advise")
            assert "campaign for" in question
            assert "How much" in (await _say(emulator, USER, "awareness"))[0]
            assert "niche" in (await _say(emulator, USER, "1 500 €"))[0]
            assert "platform" in (await _say(emulator, USER, "cooking"))[0].lower()
            assert "Where are your customers?" in (await _say(emulator, USER, "instagram"))[0]
            [summary] = await _say(emulator, USER, "skip")
            assert "Budget: €1,500" in summary and "Niche: Cooking" in summary
            backends = {to for _id, to, outcome in emulator.webhook_log if outcome == 200}
            assert len(backends) == 2  # both instances took part in the one brief

            # An import confirmed on one instance is seen by the next brief on the other.
            await _say(emulator, ADMIN, "/import")
            before = len(sends(emulator, ADMIN))
            await emulator.send_document(
                ADMIN,
                "roster.csv",
                (HEADER + "Kit Knitter,@kitknits,instagram,knitting,40k,6,300\n").encode(),
            )
            await emulator.wait_for(lambda: len(sends(emulator, ADMIN)) > before, 30)
            preview = [
                e.message
                for e in emulator.chat_events(ADMIN)
                if e.kind == "send" and e.message and e.message.buttons
            ][-1]
            await emulator.press(ADMIN, preview, "✅ Confirm import")
            await emulator.wait_for(lambda: any("1 added" in t for t in sends(emulator, ADMIN)), 30)
            for other in (5001, 5002):  # one of the two lands on the other instance
                [card] = await _say(
                    emulator, other, "/advise goal=sales budget=2000 niche=knitting"
                )
                assert ("Knitting" in card and "@kitknits" not in card) or "Kit Knitter" in card

            # Reminders added behind both instances' backs: each sent once, by one of them.
            due = datetime.now(UTC) + timedelta(seconds=1)
            with Session(database) as session:
                for i in range(20):
                    add_reminder(session=session, user_id=6000 + i, due_at=due, text=f"rem {i}")
            await emulator.wait_for(
                lambda: sum(len(sends(emulator, 6000 + i)) for i in range(20)) >= 20, 60
            )

            def all_marked_sent() -> bool:
                with Session(database) as session:
                    statuses = set(session.scalars(select(Reminder.status)))
                return statuses == {"sent"}

            await eventually(all_marked_sent, 30)  # none left in flight at the kill below

            # A burst of briefs; one instance is killed in the middle of it.
            users = [7000 + i for i in range(12)]
            for round_ in range(4):
                for user in users:
                    await emulator.send_text(
                        user, f"/advise goal=sales budget={1000 + round_} niche=cooking"
                    )
                if round_ == 1:
                    await instances[0].kill()
            due = datetime.now(UTC) + timedelta(seconds=1)
            with Session(database) as session:
                for i in range(10):
                    add_reminder(session=session, user_id=8000 + i, due_at=due, text=f"late {i}")
            await emulator.wait_for(
                lambda: (
                    all(len(sends(emulator, u)) >= 4 for u in users)
                    and all(sends(emulator, 8000 + i) for i in range(10))
                ),
                90,
            )
            await emulator.webhook_idle(60)
        finally:
            for instance in instances:
                if not instance.exited:
                    assert await instance.stop() == 0, instance.output()[-2000:]

        # No loss: every brief answered, in each user's order; a duplicate reply only where
        # the killed instance had answered and died before saying so (Telegram sent it again).
        for user in users:
            budgets = [
                b
                for t in sends(emulator, user)
                for b in ("1,000", "1,001", "1,002", "1,003")
                if f"Sales · €{b} · " in t
            ]
            assert sorted(set(budgets)) == ["1,000", "1,001", "1,002", "1,003"]
            assert budgets == sorted(budgets)
        replies = sum(len(sends(emulator, u)) for u in users)
        assert replies <= len(users) * 4 + 2
        # Reminders: each exactly once, whoever sent it.
        reminder_sends = Counter(t for i in range(20) for t in sends(emulator, 6000 + i)) + Counter(
            t for i in range(10) for t in sends(emulator, 8000 + i)
        )
        assert len(reminder_sends) == 30 and max(reminder_sends.values()) == 1
        with Session(database) as session:
            statuses = Counter(session.scalars(select(Reminder.status)))
        assert statuses == {"sent": 30}
        database.dispose()


async def test_a_webhook_port_in_use_is_one_line(
    settings: Settings, engine: Engine, kb: KnowledgeBase
) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        application = build_application(settings, engine, kb, token=TOKEN, api_root=None)
        server = WebhookServer(
            application, engine, path="/hook", host="127.0.0.1", port=port, secret="s" * 16
        )
        with pytest.raises(ListenFailed) as failed:
            await server.start()
    [line] = str(failed.value).splitlines()
    assert line.startswith(f"Can't listen on 127.0.0.1:{port} (WEBHOOK_LISTEN): ")
