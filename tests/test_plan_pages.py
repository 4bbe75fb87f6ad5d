"""The plan page over HTTP, in a running bot (polling, with WEBAPP_URL set) against the Bot
API emulator, a real listener on 127.0.0.1 and a real database with the sample roster: the
card's button opening it, the plan shown, a creator removed, one swapped, a number of posts
changed, money moved between the sides, Save sending the updated card to the chat, and a
campaign saved from that card keeping the edited plan; refusals changing nothing."""

from __future__ import annotations

import json
import re
import time
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import aiohttp
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.sandbox.emulator import html_to_text
from bot.webapp import CONTENT_SECURITY_POLICY
from knowledge.advice.stored import StoredRecommendation
from knowledge.base import KnowledgeBase
from knowledge.reading.init_data import signed
from knowledge.writing.views import card_text
from storage.models import Campaign, SavedBrief
from tests.conftest import ADMIN, PAGES_PUBLIC, TOKEN, USER, BotHarness

HOUR = 3600.0
BRIEF = "/advise goal=awareness budget=20000 niche=fashion"


def init_data(user_id: int, *, age: float = 0.0, language: str = "en", token: str = TOKEN) -> str:
    user = {"id": user_id, "first_name": "Ana", "language_code": language}
    fields = {"auth_date": str(int(time.time() - age)), "user": json.dumps(user)}
    return signed(fields, token)


class Owner:
    """A browser without JavaScript on the plan page of one saved brief."""

    def __init__(self, http: aiohttp.ClientSession, root: str, brief_id: int) -> None:
        self.http, self.root, self.brief_id = http, root, brief_id

    async def open(self, **params: Any) -> tuple[int, str]:
        query = {"brief": str(self.brief_id), **{k: str(v) for k, v in params.items()}}
        async with self.http.get(f"{self.root}/plan", params=query) as answer:
            assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
            return answer.status, await answer.text()

    async def post(self, location: str | None = None, **form: Any) -> tuple[int, str]:
        """POST to the page (its address as a form on `location` would carry it); the 303's
        target followed: its status and page (or the refusal's)."""
        fields = dict(parse_qsl(urlsplit(location).query)) if location else {}
        fields = {"brief": str(self.brief_id), **fields, **{k: str(v) for k, v in form.items()}}
        url = f"{self.root}/plan"
        async with self.http.post(url, data=fields, allow_redirects=False) as answer:
            if answer.status != 303:
                return answer.status, await answer.text()
            target = answer.headers["Location"]
        assert target.startswith("plan?")
        async with self.http.get(f"{self.root}/{target}") as answer:
            return answer.status, target + "\n" + await answer.text()


def creators(page: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="creator-(\d+)"', page)]


def shown(page: str, key: str) -> str:
    found = re.search(rf'id="{key}">([^<]*)<', page)
    assert found is not None, key
    return unescape(found[1])


def row_of(page: str, creator_id: int) -> str:
    return page.partition(f'id="creator-{creator_id}"')[2].partition("</tr>")[0]


def location_of(page: str) -> str:
    """The address a followed POST ended on (the first line `Owner.post` returns)."""
    return page.partition("\n")[0]


def saved(engine: Engine, brief_id: int) -> StoredRecommendation:
    with Session(engine) as session:
        brief = session.get(SavedBrief, brief_id)
        assert brief is not None
        stored = StoredRecommendation.of(brief.recommendation)
    assert stored is not None
    return stored


async def a_card(bot: BotHarness) -> tuple[Any, int]:
    """The owner's brief answered in the chat: its card and the saved brief's id, read from
    the card's button opening the plan page."""
    [card] = await bot.say(BRIEF)
    [button] = [b for row in card.buttons for b in row if "web_app" in b]
    url = button["web_app"]["url"]
    assert url.startswith(f"{PAGES_PUBLIC}/app/plan?brief=")
    return card, int(url.rpartition("=")[2])


async def test_the_owner_edits_saves_and_a_campaign_keeps_the_edited_plan(
    served: tuple[BotHarness, str], engine: Engine, kb: KnowledgeBase
) -> None:
    bot, root = served
    _card, brief_id = await a_card(bot)
    init = init_data(USER)
    async with aiohttp.ClientSession() as http:
        owner = Owner(http, root, brief_id)
        status, page = await owner.open(init=init)
        assert status == 200 and "<script>" not in page and " style=" not in page
        assert TOKEN not in page
        first = saved(engine, brief_id)
        assert creators(page) == list(dict.fromkeys(line.id for line in first.plan.lines))
        assert shown(page, "spent") == f"€{first.plan.spent_cents // 100:,}"

        gone = creators(page)[0]
        status, page = await owner.post(init=init, action="remove", id=gone)
        assert status == 200 and gone not in creators(page)
        removed_spent = shown(page, "spent")
        assert removed_spent != f"€{first.plan.spent_cents // 100:,}"

        swapped, before_swap = creators(page)[0], creators(page)
        status, page = await owner.post(location_of(page), action="swap", id=swapped)
        assert status == 200 and gone not in creators(page)
        if swapped in creators(page):  # nobody fits: said, and the plan is as it was
            assert "Nobody else fits in place of" in page and creators(page) == before_swap
        else:  # the next best fit took their place
            assert len(set(creators(page)) - set(before_swap)) == 1

        who, posts = next(
            (c, int(found[1]))
            for c in creators(page)
            if (found := re.search(r'<option value="(\d+)" selected>', row_of(page, c)))
            and int(found[1]) > 1
        )
        total = int(shown(page, "posts"))
        status, page = await owner.post(location_of(page), action="posts", id=who, posts=1)
        assert status == 200 and '<option value="1" selected>' in row_of(page, who)
        assert int(shown(page, "posts")) == total - (posts - 1)

        split_before = shown(page, "split")
        status, page = await owner.post(location_of(page), action="micro")
        assert status == 200 and shown(page, "split") != split_before
        assert gone not in creators(page)
        edited_page = page

        status, page = await owner.post(location_of(page), action="save")
        assert status == 200 and "the updated card is in your chat" in page
    # The chat received the updated card, with its buttons, as the chat would send it.
    await bot.emulator.wait_for(lambda: len(bot.sent()) >= 2)
    card = bot.sent()[-1]
    stored = saved(engine, brief_id)
    assert stored.edits and gone not in [line.id for line in stored.plan.lines]
    assert [line.id for line in stored.plan.lines if line.id in creators(edited_page)]
    assert card.text == card_text_as_sent(stored, kb)
    assert "💾 Save as campaign" in card.button_texts()
    with Session(engine) as session:
        brief = session.get(SavedBrief, brief_id)
        assert brief is not None and brief.verdict == stored.verdict.kind

    # Reopened from the card (no edits in the address): the saved, edited plan.
    async with aiohttp.ClientSession() as http:
        status, page = await Owner(http, root, brief_id).open(init=init)
    assert creators(page) == list(dict.fromkeys(line.id for line in stored.plan.lines))

    # 💾 Save as campaign from the updated card keeps the edited plan.
    [ask] = await bot.press(card, "💾 Save as campaign")
    [ask] = await bot.press(ask, ask.button_texts()[0])
    [ask] = await bot.press(ask, "Today")
    [schedule] = await bot.press(ask, "1 week")
    await bot.press(schedule, "✅ Accept")
    with Session(engine) as session:
        campaign = session.exec(select(Campaign).where(Campaign.user_id == USER)).one()
        kept = session.get(SavedBrief, campaign.brief_id)
        assert kept is not None
        kept_plan = StoredRecommendation.of(kept.recommendation)
    assert kept_plan is not None and kept_plan.plan == stored.plan


def card_text_as_sent(stored: StoredRecommendation, kb: KnowledgeBase) -> str:
    """The card's text as the emulator shows it (Telegram's HTML read as text)."""
    return html_to_text(card_text(stored, kb))


async def test_forged_expired_or_another_users_requests_change_nothing(
    served: tuple[BotHarness, str], engine: Engine
) -> None:
    bot, root = served
    _card, brief_id = await a_card(bot)
    before = saved(engine, brief_id)
    sent = len(bot.sent())
    forged = init_data(USER).replace("Ana", "Bob")
    expired = init_data(USER, age=HOUR + 60)
    async with aiohttp.ClientSession() as http:
        owner = Owner(http, root, brief_id)
        for init in ("", forged, expired, init_data(USER, token="1:x" * 8)):
            status, page = await owner.open(init=init)
            assert status == 401 and "Not signed in" in page
            status, _page = await owner.post(init=init, action="save")
            assert status == 401
            status, _page = await owner.post(init=init, action="remove", id=1)
            assert status == 401
        other = init_data(ADMIN)
        status, page = await owner.open(init=other)
        assert status == 404 and "not yours" in page
        for form in ({"action": "save"}, {"action": "remove", "id": before.plan.lines[0].id}):
            status, _page = await owner.post(init=other, **form)
            assert status == 404
        status, _page = await Owner(http, root, 999_999).open(init=init_data(USER))
        assert status == 404
    assert saved(engine, brief_id) == before
    assert len(bot.sent()) == sent and bot.sent(ADMIN) == []


async def test_the_page_speaks_french_for_a_french_owner(served: tuple[BotHarness, str]) -> None:
    bot, root = served
    _card, brief_id = await a_card(bot)
    async with aiohttp.ClientSession() as http:
        status, page = await Owner(http, root, brief_id).open(init=init_data(USER, language="fr"))
    assert status == 200 and '<html lang="fr">' in page
    assert "Votre plan" in page and "Enregistrer et envoyer dans le chat" in page


async def test_money_nobody_can_take_is_said_and_changes_nothing(
    served: tuple[BotHarness, str],
) -> None:
    """A plan of micro creators only, where no macro creator fits: More to macro says so."""
    bot, root = served
    [card] = await bot.say(
        "/advise goal=community budget=3000 niche=natural-cosmetic platform=instagram"
    )
    [button] = [b for row in card.buttons for b in row if "web_app" in b]
    brief_id = int(button["web_app"]["url"].rpartition("=")[2])
    init = init_data(USER)
    async with aiohttp.ClientSession() as http:
        owner = Owner(http, root, brief_id)
        _status, page = await owner.open(init=init)
        assert shown(page, "split") == "Micro 100% · Macro 0%"
        assert 'data-action="micro"' not in page  # all micro already
        people = creators(page)
        status, page = await owner.post(init=init, action="macro")
    assert status == 200 and creators(page) == people
    assert "Nobody more can take money on the macro side" in page
