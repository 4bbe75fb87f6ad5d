"""The roster page's tools in a running bot (issue 25): the page speaks the language the
admin chose with /language in the chat (stored with their state), and a creator added on the
page is found at once by `/roster` in the chat."""

from __future__ import annotations

from html import unescape

import aiohttp
from sqlalchemy import Engine

from bot.settings import Settings
from knowledge.base import KnowledgeBase
from tests.conftest import ADMIN
from tests.test_e2e_pages import init_data, sends, serving
from tests.test_roster_page_tools import NEW


async def test_the_page_follows_language_and_the_chat_sees_an_added_creator(
    settings: Settings, engine: Engine, kb: KnowledgeBase
) -> None:
    async with serving(settings, engine, kb) as (emulator, root):
        init = init_data(ADMIN)  # an English Telegram
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{root}/roster", params={"init": init}) as answer:
                assert '<html lang="en">' in await answer.text()
            await emulator.send_text(ADMIN, "/language fr")
            await emulator.wait_for(lambda: len(sends(emulator, ADMIN)) >= 1, 30)
            async with http.get(f"{root}/roster", params={"init": init}) as answer:
                page = await answer.text()
            assert '<html lang="fr">' in page and "Ajouter un créateur" in page
            form = {"init": init, **NEW}
            async with http.post(f"{root}/roster-add", data=form, allow_redirects=False) as answer:
                assert answer.status == 303
        await emulator.send_text(ADMIN, "/roster nina_fournil")
        await emulator.wait_for(lambda: len(sends(emulator, ADMIN)) >= 2, 30)
        assert NEW["name"] in unescape(sends(emulator, ADMIN)[-1])
