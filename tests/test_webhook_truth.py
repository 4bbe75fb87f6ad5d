"""Issue 24, part 4: the webhook's answer tells Telegram what happened. 200 only once the
update is claimed in the database; 503 while the database can't record the claim (Telegram
then sends it again, so the update is not lost); a body read and a clean stop that a client
sending half a body cannot hold for long."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot import webhook
from bot.app import build_application, prepare_database
from bot.sandbox.emulator import SECRET_HEADER, BotApiEmulator
from bot.serve import serve_webhook
from bot.settings import Settings
from bot.webhook import WebhookServer
from knowledge.base import KnowledgeBase
from storage.campaigns import set_timezone
from storage.models import Reminder
from tests.conftest import TOKEN, USER, eventually
from tests.instances import free_port

PUBLIC_URL = "https://bot.example.test/hook"


@dataclass
class Served:
    emulator: BotApiEmulator
    port: int
    secret: str
    stop: asyncio.Event
    task: asyncio.Task[WebhookServer]


@contextlib.asynccontextmanager
async def serving(settings: Settings, engine: Engine, kb: KnowledgeBase) -> AsyncIterator[Served]:
    """The bot in webhook mode on a free port, Telegram (the emulator) posting to it."""
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
    async with BotApiEmulator(TOKEN) as emulator:
        emulator.route_webhook([f"http://127.0.0.1:{port}/hook"])
        application = build_application(settings, engine, kb, token=TOKEN, api_root=emulator.root)
        stop = asyncio.Event()
        task = asyncio.create_task(serve_webhook(application, engine, settings, stop))
        served = Served(emulator, port, settings.secret, stop, task)
        try:
            await emulator.wait_for(lambda: emulator.webhook is not None, 30)
            yield served
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)


def sends(emulator: BotApiEmulator, chat: int) -> list[str]:
    return [e.message.text for e in emulator.chat_events(chat) if e.kind == "send" and e.message]


async def test_an_update_is_answered_503_while_the_database_is_down_then_handled_once(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    """The database file can't be opened for a while (a folder stands in its place): the
    update is answered 503, sent again by Telegram, and handled once the database is back.
    (On a SQLite file whatever the test run's database: its file can be taken away.)"""
    database = tmp_path / "bot.db"
    settings = Settings(
        _env_file=None, database_url=f"sqlite:///{database}", admin_ids=[], charts=False
    )
    engine = prepare_database(settings, kb)
    with Session(engine) as session:  # a returning user, who chose their time zone
        set_timezone(session=session, user_id=USER, timezone="UTC")
    try:
        async with serving(settings, engine, kb) as served:
            emulator = served.emulator
            engine.dispose()  # no connection left open: each new one finds the folder
            database.rename(tmp_path / "away.db")
            database.mkdir()
            await emulator.send_text(USER, "/remind in 2 hours call Léa")
            await eventually(lambda: any(o == 503 for _i, _to, o in emulator.webhook_log))
            assert not sends(emulator, USER)
            database.rmdir()
            (tmp_path / "away.db").rename(database)
            await emulator.wait_for(lambda: len(sends(emulator, USER)) == 1, 30)
            await emulator.webhook_idle()
            outcomes = [outcome for _id, _to, outcome in emulator.webhook_log]
            assert outcomes[-1] == 200 and set(outcomes[:-1]) == {503}, outcomes
            assert "OK, I'll remind you" in sends(emulator, USER)[0]
        with Session(engine) as session:
            assert [r.text for r in session.exec(select(Reminder))] == ["call Léa"]
    finally:
        engine.dispose()


async def _half_sent(port: int, secret: str) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A request that announces a 1,000-byte body and sends ten bytes of it."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        (
            "POST /hook HTTP/1.1\r\nHost: bot\r\nContent-Type: application/json\r\n"
            f"{SECRET_HEADER}: {secret}\r\nContent-Length: 1000\r\n\r\n"
            '{"update_i'
        ).encode()
    )
    await writer.drain()
    return reader, writer


async def test_a_half_sent_body_gets_408_and_cannot_hold_a_clean_stop(
    settings: Settings, engine: Engine, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body must arrive within READ_SECONDS (10 s; 2 s here, so the test is short)."""
    monkeypatch.setattr(webhook, "READ_SECONDS", 2.0)
    read_seconds = webhook.READ_SECONDS
    async with serving(settings, engine, kb) as served:
        reader, writer = await _half_sent(served.port, served.secret)
        started = time.monotonic()
        status = await asyncio.wait_for(reader.readline(), read_seconds + 5)
        waited = time.monotonic() - started
        assert status.startswith(b"HTTP/1.1 408"), status
        assert read_seconds - 1 < waited < read_seconds + 2
        writer.close()

        monkeypatch.undo()  # 10 s again: the stop, not the read's bound, must end this one
        assert webhook.READ_SECONDS > 3
        _reader, writer = await _half_sent(served.port, served.secret)
        await asyncio.sleep(0.2)  # the server is reading it
        started = time.monotonic()
        served.stop.set()
        await asyncio.wait_for(served.task, webhook.READ_SECONDS)
        stopped_in = time.monotonic() - started
        writer.close()
    assert stopped_in < 3, stopped_in
