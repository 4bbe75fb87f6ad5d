"""The plan page in a real browser: headless Chromium from the system's packages
(/usr/bin/chromium, driven by Playwright; never a downloaded build) against a running bot
(polling, the Bot API emulator) and its pages on 127.0.0.1, with a real database. Opened as
Telegram opens a Mini App from the card's button (initData and the theme in the address's
fragment), 360 px wide and dark: the owner swaps a creator, saves, and the chat receives the
updated card. Skipped, saying why, only where Chromium is absent and REQUIRE_BROWSER is not
set."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

from sqlalchemy import Engine
from sqlmodel import Session

from bot.sandbox.emulator import html_to_text
from handlers.recommendation import worked_out
from handlers.services import SERVICES_KEY, Services
from knowledge.advice.edits import PlanEdits
from knowledge.advice.replacement import as_brief
from knowledge.advice.stored import StoredRecommendation
from knowledge.reading.init_data import signed
from knowledge.reading.plan_edits import edits_fields
from knowledge.writing.views import card_text
from storage.models import SavedBrief
from tests.browser import ARGS, CHROMIUM, DARK, require_chromium
from tests.conftest import TOKEN, USER, BotHarness

WAIT_MS = 20_000
BRIEF = "/advise goal=awareness budget=20000 niche=fashion"

require_chromium()

from playwright.async_api import async_playwright, expect  # noqa: E402


def launch_address(root: str, brief_id: int) -> str:
    """The page's address as Telegram opens the card's button: the signed initData and the
    theme in the fragment."""
    user = {"id": USER, "first_name": "Ana", "language_code": "en"}
    init = signed({"auth_date": str(int(time.time())), "user": json.dumps(user)}, TOKEN)
    launch = f"tgWebAppData={quote(init, safe='')}&tgWebAppThemeParams={quote(json.dumps(DARK))}"
    return f"{root}/plan?brief={brief_id}#{launch}"


def stored_plan(engine: Engine, brief_id: int) -> StoredRecommendation:
    with Session(engine) as session:
        brief = session.get(SavedBrief, brief_id)
        assert brief is not None
        stored = StoredRecommendation.of(brief.recommendation)
    assert stored is not None
    return stored


def swappable(services: Services, stored: StoredRecommendation) -> tuple[int, int]:
    """A creator of the plan someone else can take the place of, and who takes it (worked
    out as the page will: the chat's own code)."""
    people = list(dict.fromkeys(line.id for line in stored.plan.lines))
    for creator_id in people:
        after = worked_out(services, as_brief(stored.brief), USER, PlanEdits().swap(creator_id))
        new = {line.id for line in after.plan.lines} - set(people)
        if new:
            return creator_id, new.pop()
    raise AssertionError("nobody in the plan can be swapped")


async def test_an_owner_swaps_a_creator_and_the_chat_receives_the_updated_card(
    served: tuple[BotHarness, str], engine: Engine
) -> None:
    bot, root = served
    [card] = await bot.say(BRIEF)
    [button] = [b for row in card.buttons for b in row if "web_app" in b]
    brief_id = int(button["web_app"]["url"].rpartition("=")[2])
    assert bot.application is not None
    services: Services = bot.application.bot_data[SERVICES_KEY]
    out, taken = swappable(services, stored_plan(engine, brief_id))
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = await browser.new_page(viewport={"width": 360, "height": 740})
            page.set_default_timeout(WAIT_MS)
            await page.goto(launch_address(root, brief_id))
            await page.wait_for_url("**/plan?*init=*")
            await expect(page.locator(f"#creator-{out}")).to_have_count(1)
            background = await page.evaluate("getComputedStyle(document.body).backgroundColor")
            assert background == "rgb(23, 33, 43)"  # Telegram's dark bg_color
            assert await page.evaluate("document.documentElement.scrollWidth") <= 360

            await page.click(f"#creator-{out} button[data-action=swap]")
            await expect(page.locator(f"#creator-{taken}")).to_have_count(1)
            await expect(page.locator(f"#creator-{out}")).to_have_count(0)
            await page.click("button[data-action=save]")
            await expect(page.locator("#said")).to_contain_text("the updated card is in your chat")
        finally:
            await browser.close()
    await bot.emulator.wait_for(lambda: len(bot.sent()) >= 2, 30)
    updated = bot.sent()[-1]
    saved = stored_plan(engine, brief_id)
    ids = {line.id for line in saved.plan.lines}
    assert taken in ids and out not in ids and saved.edits == edits_fields(PlanEdits().swap(out))
    # The card the chat received is the saved plan's, with the card's buttons.
    assert updated.text == html_to_text(card_text(saved, services.kb))
    assert "💾 Save as campaign" in updated.button_texts()
