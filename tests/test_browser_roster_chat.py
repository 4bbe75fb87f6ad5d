"""The roster page in a real browser beside the running bot: an admin filters the table by
platform, edits a price in place, and `/roster` in the chat shows the new price at once;
forged, expired and non-admin sign-ins are refused (issue 25's browser checks). Headless
Chromium from the system's packages, against the bot polling the Bot API emulator and its
pages on 127.0.0.1, with a real database. Skipped, saying why, only where Chromium is absent
and REQUIRE_BROWSER is not set."""

from __future__ import annotations

import json
import time
from urllib.parse import quote

from sqlalchemy import Engine
from sqlmodel import Session, select

from knowledge.reading.init_data import signed
from storage.models import Influencer
from tests.browser import ARGS, CHROMIUM, require_chromium
from tests.conftest import ADMIN, TOKEN, BotHarness

WAIT_MS = 20_000

require_chromium()

from playwright.async_api import async_playwright, expect  # noqa: E402


def launch_address(root: str) -> str:
    user = {"id": ADMIN, "first_name": "Ana", "language_code": "en"}
    init = signed({"auth_date": str(int(time.time())), "user": json.dumps(user)}, TOKEN)
    return f"{root}/roster#tgWebAppData={quote(init, safe='')}"


async def test_an_admin_filters_edits_a_price_and_sees_it_in_roster_in_the_chat(
    served: tuple[BotHarness, str], engine: Engine
) -> None:
    bot, root = served
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            page = await browser.new_page(viewport={"width": 360, "height": 740})
            page.set_default_timeout(WAIT_MS)
            await page.goto(launch_address(root))
            await page.wait_for_url("**/roster?init=*")
            await page.select_option("select[name=platform]", "youtube")
            await page.click(".filters button[type=submit]")
            await page.wait_for_url("**platform=youtube**")
            shown = await page.locator("td[data-column=platform]").all_inner_texts()
            assert shown and set(shown) == {"YouTube"}
            row = page.locator("tbody tr").first
            row_id = int((await row.get_attribute("id") or "").removeprefix("row-"))
            await page.click(f"#row-{row_id} td[data-column=price] a")
            await page.fill(f"#row-{row_id} input[name=value]", "321")
            await page.click(f"#row-{row_id} form.edit button[type=submit]")
            await expect(page.locator(".message")).to_contain_text("Saved:")
        finally:
            await browser.close()
    with Session(engine) as session:
        edited = session.exec(select(Influencer).where(Influencer.id == row_id)).one()
    assert edited.platform == "youtube" and edited.price_cents == 32_100
    [reply] = await bot.say(f"/roster {edited.handle}", user=ADMIN)
    assert "€321" in reply.text


async def test_forged_expired_or_non_admin_sign_ins_are_refused_in_the_browser(
    served: tuple[BotHarness, str], engine: Engine
) -> None:
    """Opened as Telegram would open them: a sign-in signed with another token, one over an
    hour old, and a real one of a user who is not an admin; each page says why, and the
    roster is unchanged."""
    _bot, root = served
    with Session(engine) as session:
        before = session.exec(select(Influencer.id, Influencer.price_cents)).all()
    user = {"id": ADMIN, "first_name": "Ana", "language_code": "en"}
    forged = signed({"auth_date": str(int(time.time())), "user": json.dumps(user)}, "1:forged")
    old = signed({"auth_date": str(int(time.time()) - 7200), "user": json.dumps(user)}, TOKEN)
    stranger = {"id": 4242, "first_name": "Bo", "language_code": "en"}
    other = signed({"auth_date": str(int(time.time())), "user": json.dumps(stranger)}, TOKEN)
    expected = [
        (forged, "Not signed in"),
        (old, "Not signed in"),
        (other, "This page is for the bot's admins, and you are not one."),
    ]
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for init, said in expected:
                page = await browser.new_page(viewport={"width": 360, "height": 740})
                page.set_default_timeout(WAIT_MS)
                await page.goto(f"{root}/roster#tgWebAppData={quote(init, safe='')}")
                await page.wait_for_url("**/roster?init=*")
                await expect(page.locator("body")).to_contain_text(said)
                await expect(page.locator("#total")).to_have_count(0)
                await page.close()
        finally:
            await browser.close()
    with Session(engine) as session:
        assert session.exec(select(Influencer.id, Influencer.price_cents)).all() == before
