"""What a tester found on the pages (issue 25), each mended: Save on the plan page of a brief
a campaign runs on keeps that campaign's plan; malformed edit fields and a far page number
or a NUL in a search are read, not a 500; money moved does not bring a swapped-out creator
back, and a creator a swap brought in can be removed; aiohttp's own answers carry the
security headers too."""

from __future__ import annotations

import aiohttp
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.webapp import SECURITY_HEADERS
from knowledge.advice.stored import StoredRecommendation
from knowledge.reading.plan_edits import edits_of
from storage.models import Campaign, SavedBrief
from tests.conftest import ADMIN, USER, BotHarness
from tests.test_plan_pages import Owner, a_card, creators, init_data, location_of, saved


def plan_of(engine: Engine, brief_id: int) -> StoredRecommendation:
    return saved(engine, brief_id)


async def test_save_on_a_brief_a_campaign_runs_on_keeps_the_campaigns_plan(
    served: tuple[BotHarness, str], engine: Engine
) -> None:
    bot, root = served
    card, brief_id = await a_card(bot)
    [ask] = await bot.press(card, "💾 Save as campaign")
    [ask] = await bot.press(ask, ask.button_texts()[0])
    [ask] = await bot.press(ask, "Today")
    [schedule] = await bot.press(ask, "1 week")
    await bot.press(schedule, "✅ Accept")
    before = plan_of(engine, brief_id)
    init = init_data(USER)
    async with aiohttp.ClientSession() as http:
        owner = Owner(http, root, brief_id)
        _status, page = await owner.open(init=init)
        gone = creators(page)[0]
        _status, page = await owner.post(init=init, action="remove", id=gone)
        status, page = await owner.post(location_of(page), action="save")
    assert status == 200 and "the updated card is in your chat" in page
    assert plan_of(engine, brief_id) == before  # the campaign's brief: as it was
    with Session(engine) as session:
        campaign = session.exec(select(Campaign).where(Campaign.user_id == USER)).one()
        briefs = session.exec(select(SavedBrief).where(SavedBrief.user_id == USER)).all()
    assert campaign.brief_id == brief_id
    [copy] = [b for b in briefs if b.id != brief_id]
    assert copy.id is not None and f"brief={copy.id}" in location_of(page)
    edited = plan_of(engine, copy.id)
    assert gone not in [line.id for line in edited.plan.lines]
    card = bot.sent()[-1]
    assert any(f"brief={copy.id}" in str(b) for row in card.buttons for b in row)


def test_malformed_edit_fields_are_left_out() -> None:
    fields = {"rm": "², 12, 3a, " + "9" * 5000, "sw": "٣,7", "np": "7:²,8:2,x:3", "mv": "9" * 4300}
    edits = edits_of(fields)
    assert edits.removed == {12} and edits.swapped == (7,)
    assert edits.posts == ((8, 2),) and edits.to_macro == 0


async def test_money_moved_keeps_a_swapped_out_creator_out_and_a_swapped_in_one_removable(
    served: tuple[BotHarness, str],
) -> None:
    bot, root = served
    _card, brief_id = await a_card(bot)
    init = init_data(USER)
    async with aiohttp.ClientSession() as http:
        owner = Owner(http, root, brief_id)
        _status, page = await owner.open(init=init)
        first = creators(page)
        for out in first:
            _status, swapped = await owner.open(init=init, e=1, sw=out)
            came = set(creators(swapped)) - set(first)
            if came:
                break
        assert came, "nobody in the plan can be swapped"
        (incoming,) = came
        for move in (-1, 1):
            _status, moved = await owner.open(init=init, e=1, sw=out, mv=move)
            assert out not in creators(moved)
        _status, removed = await owner.open(init=init, e=1, sw=out, rm=incoming)
        assert incoming not in creators(removed) and out not in creators(removed)


async def test_odd_requests_get_pages_not_errors_and_every_answer_its_headers(
    served: tuple[BotHarness, str],
) -> None:
    _bot, root = served
    admin = init_data(ADMIN)
    async with aiohttp.ClientSession() as http:
        for params in (
            {"init": admin, "page": "999999999999999999"},
            {"init": admin, "q": "ab\x00cd"},
        ):
            async with http.get(f"{root}/roster", params=params) as answer:
                assert answer.status == 200
        for method, path in (("GET", "/nowhere"), ("DELETE", "/roster"), ("GET", "/plan")):
            async with http.request(method, f"{root}{path}") as answer:
                assert answer.status in (401, 404, 405)
                for name, value in SECURITY_HEADERS.items():
                    assert answer.headers.get(name) == value, (path, name)
