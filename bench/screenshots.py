"""The README's screenshots of the Mini App's pages, made again: a sandbox-like server on
127.0.0.1 (a fresh SQLite database with the sample roster, the pages' own listener), each page
opened in the system's headless Chromium as Telegram opens it (initData and the theme in the
address's fragment) at a phone's width, in Telegram's light and dark themes; PNGs written to
docs/screenshots/ (`roster-light.png`, `roster-dark.png`, `plan-light.png`, `plan-dark.png`).

    python -m bench.screenshots [--out docs/screenshots] [--chromium /usr/bin/chromium]

A page is one entry of PAGES: its name and how to reach it (the plan page: an owner's brief
answered and saved first).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from playwright.async_api import async_playwright

from bot.app import prepare_database
from bot.settings import Settings
from bot.webapp import Pages, PageServer
from handlers.recommendation import brief_row, worked_out
from handlers.services import Services
from handlers.web import PageAccess
from knowledge.advice.brief import Brief
from knowledge.base import Goal, default_knowledge
from knowledge.reading.init_data import signed
from storage.users import save_brief

TOKEN = "123456:screenshots-0123456789abcdef"
ADMIN = 777
OWNER = 778
WIDTH, HEIGHT = 390, 844  # a phone's viewport, in CSS pixels
WAIT_MS = 15_000
# Telegram's own theme parameters, light and dark, as its apps send them (themeParams).
THEMES = {
    "light": {
        "bg_color": "#ffffff",
        "text_color": "#000000",
        "hint_color": "#999999",
        "link_color": "#2481cc",
        "button_color": "#2481cc",
        "button_text_color": "#ffffff",
        "secondary_bg_color": "#efeff3",
        "destructive_text_color": "#e53935",
    },
    "dark": {
        "bg_color": "#17212b",
        "text_color": "#f5f5f5",
        "hint_color": "#708499",
        "link_color": "#6ab3f3",
        "button_color": "#5288c1",
        "button_text_color": "#ffffff",
        "secondary_bg_color": "#232e3c",
        "destructive_text_color": "#ec3942",
    },
}


@dataclass(frozen=True)
class Page:
    """One page to photograph: its file names' start, the user who opens it, and its address
    under the pages' root (given the running services: a page may need something made
    first, such as a saved plan) with `ready`, an element shown once it is drawn."""

    name: str
    user_id: int
    address: Callable[[Services], str]
    ready: str


def saved_plan(services: Services) -> str:
    """The plan page's address for an owner's brief answered as the chat answers it
    (awareness, €5,000, cooking on Instagram, an audience in France), saved first."""
    brief = Brief(Goal.AWARENESS, 500_000, "EUR", "cooking", "instagram", country="FR")
    stored = worked_out(services, brief, OWNER)
    with services.session() as session:
        brief_id = save_brief(
            session=session,
            user_id=OWNER,
            language="en",
            brief=brief_row(brief, stored),
            recommendation=stored.to_json(),
        )
    return f"plan?brief={brief_id}"


PAGES = (
    Page("roster", ADMIN, lambda _services: "roster", "#total"),
    Page("plan", OWNER, saved_plan, "table.plan"),
)


def launch_address(root: str, page: Page, services: Services, theme: dict[str, str]) -> str:
    user = {"id": page.user_id, "first_name": "Ana", "language_code": "en"}
    init = signed({"auth_date": str(int(time.time())), "user": json.dumps(user)}, TOKEN)
    fragment = f"tgWebAppData={quote(init, safe='')}"
    fragment += f"&tgWebAppThemeParams={quote(json.dumps(theme), safe='')}"
    return f"{root}/{page.address(services)}#{fragment}"


async def photograph(out: Path, chromium: Path) -> list[Path]:
    """Every page in every theme, written under `out`; the files written."""
    written = []
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(_env_file=None, database_url=f"sqlite:///{folder}/bot.db")
        kb = default_knowledge()
        engine = prepare_database(settings, kb)
        services = Services(engine=engine, kb=kb, currency="EUR", admin_ids=frozenset({ADMIN}))
        server = PageServer(Pages(services, PageAccess(TOKEN, 3600.0)), "127.0.0.1", 0)
        await server.start()
        try:
            async with async_playwright() as playwright:
                browser = await playwright.chromium.launch(
                    executable_path=str(chromium), args=["--headless", "--no-sandbox"]
                )
                try:
                    for page in PAGES:
                        for theme_name, theme in THEMES.items():
                            tab = await browser.new_page(
                                viewport={"width": WIDTH, "height": HEIGHT}
                            )
                            tab.set_default_timeout(WAIT_MS)
                            await tab.goto(launch_address(server.root, page, services, theme))
                            await tab.wait_for_url("**init=*")
                            await tab.locator(page.ready).wait_for()
                            path = out / f"{page.name}-{theme_name}.png"
                            await tab.screenshot(path=str(path))
                            await tab.close()
                            written.append(path)
                finally:
                    await browser.close()
        finally:
            await server.stop()
            engine.dispose()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--chromium", type=Path, default=Path("/usr/bin/chromium"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(photograph(args.out, args.chromium)):
        print(f"{path} ({path.stat().st_size // 1024} KB)")


if __name__ == "__main__":
    main()
