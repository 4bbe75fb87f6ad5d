"""The roster page in a running bot (issue 25): served on the webhook's own listener beside
the hook, the admins' menu button opening it, and a price edited on the page seen at once by
`/roster` in the chat."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import time
from collections.abc import AsyncIterator

import aiohttp
from sqlalchemy import Engine
from sqlmodel import Session

from bot.app import build_application
from bot.sandbox.emulator import BotApiEmulator
from bot.serve import poll, serve_webhook
from bot.settings import Settings
from bot.webapp import PageServer, pages_of
from knowledge.base import KnowledgeBase
from knowledge.reading.init_data import signed
from storage.models import Influencer
from tests.conftest import ADMIN, TOKEN, USER
from tests.instances import free_port

PUBLIC = "https://bot.example.test"


@contextlib.asynccontextmanager
async def serving(
    settings: Settings, engine: Engine, kb: KnowledgeBase
) -> AsyncIterator[tuple[BotApiEmulator, str]]:
    """The bot in webhook mode with its pages (WEBAPP_URL set); the pages' local root."""
    port = free_port()
    settings = settings.model_copy(
        update={
            "telegram_bot_token": Settings(
                _env_file=None, telegram_bot_token=TOKEN
            ).telegram_bot_token,
            "telegram_webhook_url": f"{PUBLIC}/hook",
            "webhook_listen": f"127.0.0.1:{port}",
            "webapp_url": f"{PUBLIC}/app",
        }
    )
    async with BotApiEmulator(TOKEN) as emulator:
        emulator.route_webhook([f"http://127.0.0.1:{port}/hook"])
        application = build_application(settings, engine, kb, token=TOKEN, api_root=emulator.root)
        stop = asyncio.Event()
        task = asyncio.create_task(serve_webhook(application, engine, settings, stop))
        try:
            await emulator.wait_for(lambda: emulator.webhook is not None, 30)
            yield emulator, f"http://127.0.0.1:{port}/app"
        finally:
            stop.set()
            await asyncio.wait_for(task, 30)


def init_data(user_id: int) -> str:
    user = {"id": user_id, "first_name": "Ana", "language_code": "en"}
    return signed({"auth_date": str(int(time.time())), "user": json.dumps(user)}, TOKEN)


def sends(emulator: BotApiEmulator, chat: int) -> list[str]:
    return [e.message.text for e in emulator.chat_events(chat) if e.kind == "send" and e.message]


async def test_the_webhook_listener_serves_the_page_and_the_chat_sees_an_edit(
    settings: Settings, engine: Engine, kb: KnowledgeBase
) -> None:
    with Session(engine) as session:
        influencer = session.get(Influencer, 11)
        assert influencer is not None
        handle = influencer.handle
    async with serving(settings, engine, kb) as (emulator, root):
        await emulator.wait_for(lambda: ADMIN in emulator.menu_buttons, 30)
        assert emulator.menu_buttons[ADMIN] == {
            "type": "web_app",
            "text": "Roster",
            "web_app": {"url": f"{PUBLIC}/app/roster"},
        }
        assert USER not in emulator.menu_buttons
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{root}/roster") as answer:
                assert answer.status == 401
            init = init_data(ADMIN)
            params = {"init": init, "q": handle}
            async with http.get(f"{root}/roster", params=params) as answer:
                assert answer.status == 200
                page = await answer.text()
            row = page.partition('id="row-11"')[2]
            version = re.search(r'name="version" value="(\w+)"', row)
            assert version is not None
            form = {
                "init": init,
                "action": "edit",
                "id": "11",
                "version": version[1],
                "column": "price",
                "value": "777",
            }
            async with http.post(f"{root}/roster", data=form, allow_redirects=False) as answer:
                assert answer.status == 303
        await emulator.send_text(ADMIN, f"/roster {handle}")
        await emulator.wait_for(lambda: len(sends(emulator, ADMIN)) >= 1, 30)
        assert "€777" in sends(emulator, ADMIN)[-1]
        await emulator.send_text(ADMIN, f"/admin add {USER}")
        await emulator.wait_for(lambda: USER in emulator.menu_buttons, 30)
        assert emulator.menu_buttons[USER]["type"] == "web_app"
        await emulator.send_text(ADMIN, f"/admin remove {USER}")
        await emulator.wait_for(lambda: emulator.menu_buttons[USER] == {"type": "default"}, 30)


async def test_in_polling_mode_the_pages_have_a_listener_of_their_own(
    settings: Settings, engine: Engine, kb: KnowledgeBase
) -> None:
    settings = settings.model_copy(update={"webapp_url": f"{PUBLIC}/app"})
    async with BotApiEmulator(TOKEN) as emulator:
        application = build_application(settings, engine, kb, token=TOKEN, api_root=emulator.root)
        pages = PageServer(pages_of(application, settings), "127.0.0.1", 0)
        stop = asyncio.Event()
        task = asyncio.create_task(poll(application, engine, stop, pages))
        try:
            await emulator.wait_for(lambda: emulator.method_calls.get("getUpdates", 0) > 0, 30)
            async with aiohttp.ClientSession() as http:
                root = pages.root
                async with http.get(f"{root}/roster", params={"init": init_data(USER)}) as answer:
                    assert answer.status == 403
                async with http.get(f"{root}/roster", params={"init": init_data(ADMIN)}) as answer:
                    assert answer.status == 200
        finally:
            await emulator.release_long_polls()
            stop.set()
            await asyncio.wait_for(task, 30)
        async with aiohttp.ClientSession() as http:
            with contextlib.suppress(aiohttp.ClientConnectionError):
                async with http.get(f"{root}/roster") as answer:
                    raise AssertionError(f"still listening after the stop: {answer.status}")
