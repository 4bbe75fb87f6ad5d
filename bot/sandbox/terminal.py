"""The local sandbox: the bot against the built-in Bot API emulator, chatted with in a terminal.

Type messages as in Telegram; pick a button by typing its number. `:sticker` and `:photo`
send those, `:file PATH` sends a file (a roster CSV for /import); files and pictures the bot
sends (an /export, a plan, a chart) are saved under `sandbox-files/`, each name led by the
run's start time, so that no run overwrites an earlier one's. `:wait 2 days` (or
`:attendre 2 jours`) moves the bot's clock forward, so reminders and campaign check-ins can be
tried at once. `:lang fr` (or `:langue fr`) makes the user's Telegram French (`--lang fr` at
start), `:lang en` English again. `:page` prints a fresh link to the roster page, served on
127.0.0.1 and signed in as the sandbox's user; the number of a card's "Edit the plan" button
prints the same for its plan page. `:quit` (or `:quitter`, or Ctrl-D) stops, and
leaves no process behind.
"""

from __future__ import annotations

import asyncio
import json
import mimetypes
import sys
import threading
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TextIO
from urllib.parse import quote

from sqlalchemy import Engine

from bot.app import build_application, delivery_of, run_until
from bot.processing import PerUserUpdateProcessor
from bot.sandbox.emulator import BotApiEmulator, BotMessage, Event
from bot.settings import Settings
from bot.webapp import PageServer, pages_of
from handlers.context import Bot
from handlers.services import SERVICES_KEY
from knowledge.base import KnowledgeBase
from knowledge.reading.init_data import signed
from knowledge.reading.when import ShiftedClock, WhenError, parse_duration
from knowledge.writing.i18n import DEFAULT_LANGUAGE, LANGUAGES

SANDBOX_TOKEN = "100000:sandbox-token-for-the-local-emulator"
SANDBOX_USER = 1001
QUIET = 0.3
# How often, and how many times at most (30 s), the terminal looks whether the bot has taken
# and handled every typed update before reading the next line.
IDLE_CHECK = 0.05
IDLE_CHECKS = 600
DOWNLOADS = Path("sandbox-files")
MAX_DELIVERIES_PER_WAIT = 1000
# The sandbox's own commands that take words after them, each also by its French name.
FILE_COMMANDS = (":file", ":fichier")
WAIT_COMMANDS = (":wait", ":attendre")
LANGUAGE_COMMANDS = (":langue", ":lang")  # the longer first: `:lang` starts `:langue`
QUIT_COMMANDS = (":quit", ":exit", ":q", ":quitter")
PAGE_COMMANDS = (":pages", ":page")  # the longer first: `:page` starts `:pages`
# A file saved twice under one name in a run gets -2, -3… up to this.
MAX_SAME_NAME = 1000
BANNER = """\
Sandbox: no TELEGRAM_BOT_TOKEN set, so the bot talks to a local Bot API emulator on {root}.
Chat below as you would in Telegram (you are user {user}). Pick a button by typing its number.
:sticker and :photo send those, :file PATH sends a file, :wait 2 days (:attendre 2 jours) moves
the clock forward, :lang fr or :lang en sets your Telegram's language (now {language}); :quit or
Ctrl-D stops. Try /advise. The bot's log goes to sandbox.log.
The roster page (admins: ADMIN_IDS={user}) opens in your browser, signed in as you; :page prints
a fresh link (each one works for WEBAPP_MAX_AGE seconds); a card's "Edit the plan" button prints
its plan page's:
{page}
"""


class Terminal:
    """Shows what the bot sends and turns typed lines into user updates."""

    def __init__(
        self,
        emulator: BotApiEmulator,
        application: Bot,
        clock: ShiftedClock,
        out: TextIO | None = None,
        downloads: Path = DOWNLOADS,
        language: str = DEFAULT_LANGUAGE,
        pages_root: str = "",
    ) -> None:
        self.emulator = emulator
        self.pages_root = pages_root
        self.application = application
        self.clock = clock
        self.out = out if out is not None else sys.stdout  # looked up now: tests capture it
        self.downloads = downloads
        # Every file this run saves is named after the run's start: no run overwrites another's.
        self.run_stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        emulator.user_languages[SANDBOX_USER] = language
        self.with_buttons: BotMessage | None = None
        self._shown: dict[int, str] = {}

    def show(self, event: Event) -> None:
        if event.chat_id != SANDBOX_USER:
            return
        if event.kind == "answer":
            if event.text:
                self.out.write(f"  (bot) {event.text}\n")
        elif event.kind in ("send", "edit") and event.message is not None:
            message = event.message
            if event.kind == "edit" and message.text == self._shown.get(message.message_id):
                self._show_buttons(message)  # only the buttons changed
            else:
                self._shown[message.message_id] = message.text
                mark = "  (the message above now reads)\n" if event.kind == "edit" else ""
                body = "\n".join(f"  {line}" for line in message.text.splitlines())
                self.out.write(f"\n{mark}{body}\n")
                if message.document is not None:
                    self._save(message.document)
                if message.photo is not None:
                    self._save(
                        {
                            "file_id": message.photo[-1]["file_id"],
                            "file_name": f"chart-{message.message_id}.png",
                        }
                    )
                self._show_buttons(message)
        self.out.flush()

    def page_link(self, address: str | None = None) -> str:
        """A page's local address (the roster page's, unless `address`: a button's), with
        initData signed for the sandbox's user now as Telegram would sign it (the sandbox
        has no Telegram), where Telegram puts it: in the address's fragment. Their
        Telegram's language comes along."""
        user = {
            "id": SANDBOX_USER,
            "first_name": "Sandbox",
            "language_code": self.emulator.user_languages.get(SANDBOX_USER, DEFAULT_LANGUAGE),
        }
        fields = {"auth_date": str(int(self.clock.now().timestamp())), "user": json.dumps(user)}
        init = signed(fields, SANDBOX_TOKEN)
        return f"{address or self.pages_root + '/roster'}#tgWebAppData={quote(init, safe='')}"

    def _show_buttons(self, message: BotMessage) -> None:
        if message.buttons:
            self.with_buttons = message
            for number, label in enumerate(message.button_texts(), start=1):
                self.out.write(f"    [{number}] {label}\n")
        elif message is self.with_buttons:
            self.with_buttons = None  # its buttons are gone: numbers are plain text again

    def _save(self, document: dict[str, object]) -> None:
        """Keep a file the bot sent, as a Telegram client would offer to."""
        name = Path(str(document["file_name"])).name or "file"
        self.downloads.mkdir(exist_ok=True)
        target = self._new_path(name)
        target.write_bytes(self.emulator.files[str(document["file_id"])])
        self.out.write(f"  [file {name}, saved as {target}]\n")

    def _new_path(self, name: str) -> Path:
        """A path in the downloads for `name` that holds no file yet: the run's stamp first,
        then -2, -3… when this run already saved one by that name."""
        stem, suffix = Path(name).stem, Path(name).suffix
        target = self.downloads / f"{self.run_stamp}-{name}"
        for number in range(2, MAX_SAME_NAME):
            if not target.exists():
                break
            target = self.downloads / f"{self.run_stamp}-{stem}-{number}{suffix}"
        return target

    async def handle(self, line: str) -> bool:
        """Act on one typed line, then wait until the bot has answered; False to quit."""
        text = line.strip()
        if text in QUIT_COMMANDS:
            return False
        if not text:
            return True
        before = len(self.emulator.events)
        if await self._send(text):
            await self._until_quiet(before)
        return True

    async def _until_quiet(self, before: int) -> None:
        """Wait for the bot's answer, then until it has taken and handled every update (a
        reader's piped "1" once went out while a sentence brief's card was still being made,
        and was read as text), then until it has been quiet for a moment (all bounded)."""
        try:
            await self.emulator.wait_for(lambda: len(self.emulator.events) > before, 30)
            for _ in range(IDLE_CHECKS):
                if self._idle():
                    break
                await asyncio.sleep(IDLE_CHECK)
            for _ in range(100):
                quiet = self._more_events_than(len(self.emulator.events))
                await self.emulator.wait_for(quiet, QUIET)
        except TimeoutError:
            return

    def _idle(self) -> bool:
        """Whether the bot has fetched every update typed and handled the sandbox user's."""
        processor = self.application.update_processor
        busy = isinstance(processor, PerUserUpdateProcessor) and processor.in_flight(SANDBOX_USER)
        return not self.emulator.updates and not busy

    def _more_events_than(self, seen: int) -> Callable[[], bool]:
        return lambda: len(self.emulator.events) > seen

    async def _send(self, text: str) -> bool:
        """Send what the line stands for; False when nothing could be sent."""
        if text in PAGE_COMMANDS:
            self.out.write(f"  (sandbox) the roster page: {self.page_link()}\n")
            return False
        if text == ":sticker":
            await self.emulator.send_sticker(SANDBOX_USER)
        elif text == ":photo":
            await self.emulator.send_photo(SANDBOX_USER)
        elif (name := _after(text, FILE_COMMANDS)) is not None:
            return await self._send_file(name)
        elif (span := _after(text, WAIT_COMMANDS)) is not None:
            return await self._wait(span)
        elif (language := _after(text, LANGUAGE_COMMANDS)) is not None:
            self._set_language(language)
            return False
        elif (
            text.isascii()
            and text.isdigit()
            and self.with_buttons
            and 1 <= int(text) <= len(self.with_buttons.button_texts())
        ):
            label = self.with_buttons.button_texts()[int(text) - 1]
            if "web_app" in self.with_buttons.button(label):  # a page: its signed link
                address = str(self.with_buttons.button(label)["web_app"]["url"])
                self.out.write(f"  (sandbox) open in your browser: {self.page_link(address)}\n")
                return False
            if "copy_text" in self.with_buttons.button(label):
                copied = self.with_buttons.copied(label)
                self.out.write(f"  (you pressed: {label}; copied to your clipboard:)\n")
                self.out.write("".join(f"    {line}\n" for line in copied.splitlines()))
                return False
            self.out.write(f"  (you pressed: {label})\n")
            await self.emulator.press(SANDBOX_USER, self.with_buttons, label)
        else:
            await self.emulator.send_text(SANDBOX_USER, text)
        return True

    def _set_language(self, language: str) -> None:
        """The language of the user's Telegram from now on (`language_code` of their updates);
        a language chosen with /language still wins, as in Telegram."""
        language = language.lower()
        if language not in LANGUAGES:
            codes = ", ".join(f":lang {code}" for code in LANGUAGES)
            self.out.write(f"  (sandbox) try {codes}\n")
            return
        self.emulator.user_languages[SANDBOX_USER] = language
        self.out.write(f"  (sandbox) your Telegram now speaks {LANGUAGES[language]} ({language})\n")

    async def _wait(self, span: str) -> bool:
        """Let time pass on the bot's clock: each reminder falling due on the way is sent at
        its own time (so none counts as late). False when nothing was sent."""
        try:
            step = parse_duration(span)
        except WhenError:
            self.out.write("  (sandbox) try :wait 2 hours, :wait 3 days or :wait 1 week\n")
            return False
        reminders = delivery_of(self.application)
        target = self.clock.now() + step
        sent = 0
        for _ in range(MAX_DELIVERIES_PER_WAIT):
            due = reminders.next_due()
            if due is None or due > target:
                break
            self.clock.advance(seconds=max(0.0, (due - self.clock.now()).total_seconds()))
            sent += await reminders.deliver_due()
        self.clock.advance(seconds=max(0.0, (target - self.clock.now()).total_seconds()))
        reminders.arm()
        self.out.write(f"  (sandbox) it is now {self.clock.now():%a %d %b %Y %H:%M} UTC\n")
        return sent > 0

    async def _send_file(self, name: str) -> bool:
        path = Path(name).expanduser()
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.out.write(f"  (sandbox) can't read {name or 'the file'}: {exc.strerror or exc}\n")
            return False
        mime_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        await self.emulator.send_document(SANDBOX_USER, path.name, data, mime_type)
        return True


def _after(text: str, commands: tuple[str, ...]) -> str | None:
    """The words after whichever of `commands` starts `text`; None if none does."""
    command = next((c for c in commands if text.startswith(c)), None)
    return None if command is None else text.removeprefix(command).strip()


def _read_lines(loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[str | None]) -> None:
    for line in sys.stdin:
        loop.call_soon_threadsafe(queue.put_nowait, line)
    loop.call_soon_threadsafe(queue.put_nowait, None)


async def run_sandbox(
    settings: Settings, engine: Engine, kb: KnowledgeBase, language: str = DEFAULT_LANGUAGE
) -> int:
    """Chat with the bot in the terminal, as a Telegram user whose app speaks `language`."""
    emulator = BotApiEmulator(SANDBOX_TOKEN)
    root = await emulator.start()
    clock = ShiftedClock()
    application = build_application(
        settings,
        engine,
        kb,
        token=SANDBOX_TOKEN,
        api_root=root,
        clock=clock,
        sandbox_user=SANDBOX_USER,
    )
    pages = PageServer(pages_of(application, settings), "127.0.0.1", 0)
    await pages.start()
    if settings.webapp_url is None:  # the card's button opens the local plan page
        services = replace(application.bot_data[SERVICES_KEY], webapp_url=pages.root)
        application.bot_data[SERVICES_KEY] = pages.pages.services = services
    terminal = Terminal(emulator, application, clock, language=language, pages_root=pages.root)
    emulator.listeners.append(terminal.show)
    stop = asyncio.Event()
    runner = asyncio.create_task(run_until(application, stop))
    banner = BANNER.format(
        root=root, user=SANDBOX_USER, language=language, page=terminal.page_link()
    )
    print(banner, flush=True)
    lines: asyncio.Queue[str | None] = asyncio.Queue()
    # A daemon thread: a blocked read of stdin must never keep the process alive.
    threading.Thread(
        target=_read_lines, args=(asyncio.get_running_loop(), lines), daemon=True
    ).start()
    try:
        while not runner.done():
            line = await lines.get()
            if line is None or not await terminal.handle(line):
                break
    finally:
        await emulator.release_long_polls()
        stop.set()
        await runner
        await pages.stop()
        await emulator.stop()
    print("Sandbox stopped.")
    return 0
