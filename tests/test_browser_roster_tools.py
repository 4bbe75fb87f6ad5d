"""The roster page's tools in a real browser (headless Chromium from the system's packages,
as tests/test_browser_roster.py drives it): an import goes through the page (a file chosen,
its preview, Confirm, the new creator in the table), and the page tells Telegram it is ready
(the web events through the apps' bridge, and to Telegram Web's frame) without breaking its
Content-Security-Policy."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
from playwright.async_api import Browser, ConsoleMessage, Error, Route, async_playwright, expect
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.webapp import Pages, PageServer
from handlers.services import Services
from handlers.web import PageAccess
from knowledge.base import KnowledgeBase
from storage.models import AuditEntry, Influencer
from tests.browser import ARGS, CHROMIUM
from tests.conftest import ADMIN, TOKEN
from tests.test_browser_roster import WAIT_MS, launch_address
from tests.test_roster_page_tools import NEW, csv_file

TELEGRAM_WEB = "https://web.telegram.org/k/"
BOT_SITE = "https://bot.example.test"
READY = [["web_app_ready", {}], ["web_app_expand", {}]]
# Stands in for Telegram's apps: the bridge they give a Mini App, recording what it is sent.
APP_BRIDGE = """
window.postedEvents = [];
window.TelegramWebviewProxy = {
  postEvent: function (type, data) { window.postedEvents.push([type, JSON.parse(data)]); }
};
"""


@pytest.fixture
async def root(engine: Engine, kb: KnowledgeBase) -> AsyncIterator[str]:
    services = Services(engine=engine, kb=kb, currency="EUR", admin_ids=frozenset({ADMIN}))
    server = PageServer(Pages(services, PageAccess(TOKEN, 3600.0)), "127.0.0.1", 0)
    await server.start()
    try:
        yield server.root
    finally:
        await server.stop()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield launched
        finally:
            await launched.close()


def policy_breaches(messages: list[ConsoleMessage]) -> list[str]:
    return [m.text for m in messages if "Content Security Policy" in m.text]


async def test_an_import_goes_through_the_page(root: str, engine: Engine, browser: Browser) -> None:
    page = await browser.new_page(viewport={"width": 360, "height": 740})
    page.set_default_timeout(WAIT_MS)
    await page.goto(launch_address(root))
    await page.wait_for_url("**/roster?init=*")
    await expect(page.locator("#total")).to_have_text("600 creators")
    upload: Any = {"name": "new.csv", "mimeType": "text/csv", "buffer": csv_file(NEW)}
    await page.set_input_files(".tools input[type=file]", upload)
    await page.click(".tools button[type=submit]")
    await expect(page.locator("#said")).to_contain_text("Preview of new.csv")
    await expect(page.locator("#said")).to_contain_text("To add: 1")
    await page.click("#confirm")
    await expect(page.locator("#said")).to_contain_text("new.csv")
    await expect(page.locator("#confirm")).to_have_count(0)
    await page.click("#back")
    await expect(page.locator("#total")).to_have_text("601 creators")
    await page.fill("input[name=q]", "nina_fournil")
    await page.click(".filters button[type=submit]")
    await expect(page.locator("tbody tr")).to_have_count(1)
    await expect(page.locator("td[data-column=name]")).to_have_text(NEW["name"])
    with Session(engine) as session:
        added = session.exec(select(Influencer).where(Influencer.name == NEW["name"])).one()
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "import")).one()
    assert added.followers == 24_000 and entry.actor_id == ADMIN


async def test_the_page_tells_the_telegram_apps_it_is_ready(root: str, browser: Browser) -> None:
    page = await browser.new_page(viewport={"width": 390, "height": 740})
    page.set_default_timeout(WAIT_MS)
    console: list[ConsoleMessage] = []
    page.on("console", lambda message: console.append(message))
    await page.add_init_script(APP_BRIDGE)
    await page.goto(launch_address(root))
    await page.wait_for_url("**/roster?init=*")
    await page.wait_for_function("window.postedEvents.length >= 2")
    assert await page.evaluate("window.postedEvents") == READY
    assert policy_breaches(console) == []


async def test_the_page_tells_telegram_web_it_is_ready(root: str, browser: Browser) -> None:
    """Framed by Telegram Web, the page posts the events to its parent, which the policy lets
    frame it. Both are answered here by the test, as https addresses (a public page may not
    frame a loopback one): Telegram Web's by a page recording the messages it receives, the
    bot's by the real listener on 127.0.0.1. Nothing leaves the machine."""
    local = root.removesuffix("/app")
    launch = launch_address(root).replace(local, BOT_SITE)
    parent = f"""<!doctype html><title>Telegram</title>
<script>window.received = [];
window.addEventListener("message", function (e) {{ window.received.push(JSON.parse(e.data)); }});
</script><iframe src="{launch}" width="390" height="700"></iframe>"""
    page = await browser.new_page()
    page.set_default_timeout(WAIT_MS)
    console: list[ConsoleMessage] = []
    page.on("console", lambda message: console.append(message))

    async def telegram_web(route: Route) -> None:
        await route.fulfill(body=parent, content_type="text/html")

    async def bot_site(route: Route) -> None:
        answer = await route.fetch(url=route.request.url.replace(BOT_SITE, local))
        await route.fulfill(response=answer)

    await page.route(TELEGRAM_WEB, telegram_web)
    await page.route(f"{BOT_SITE}/**", bot_site)
    errors: list[Error] = []
    page.on("pageerror", lambda error: errors.append(error))
    await page.goto(TELEGRAM_WEB)
    await page.wait_for_function("window.received.length >= 2")
    received = await page.evaluate("window.received")
    assert [[e["eventType"], e["eventData"]] for e in received] == READY
    framed = page.frames[1]
    assert framed.url.startswith(f"{BOT_SITE}/app/roster?init=")
    assert await framed.locator("#total").inner_text() == "600 creators"
    # Denied storage in Telegram Web's frame, the page still took the theme it was opened with.
    background = await framed.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(23, 33, 43)"
    assert policy_breaches(console) == [] and errors == []
