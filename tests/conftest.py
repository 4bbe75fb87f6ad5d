"""Shared fixtures: the knowledge base, a real database, and the bot against the emulator.

The database is SQLite (a file per test) unless TEST_DATABASE_URL names a PostgreSQL server
(`postgresql+psycopg://postgres@127.0.0.1:5432/test`): then each test gets its own fresh
database on that server, copied from a template made once per run, and dropped after the
test. Tests that need a server whatever the run (`postgres_url`, `database_url`) are skipped,
with the reason, where TEST_DATABASE_URL is not set.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import shutil
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bench.common import processes_left
from bot.__main__ import main
from bot.app import build_application, delivery_of, prepare_database, run_until
from bot.sandbox.emulator import BotApiEmulator, BotMessage
from bot.settings import Settings
from bot.webapp import PageServer, pages_of
from handlers.context import Bot
from knowledge.base import KnowledgeBase, default_knowledge
from knowledge.reading.when import ShiftedClock
from storage.campaigns import set_timezone
from storage.users import set_telegram_language
from tests import hypothesis_profiles
from tests.databases import TEST_DATABASE_URL, PostgresServer

hypothesis_profiles.load()

TOKEN = "123456:test-token-0123456789abcdef"
USER = 4242
ADMIN = 777


@pytest.fixture(scope="session", autouse=True)
def no_process_left_behind() -> Iterator[None]:
    """The tests leave no process running: bots, sandboxes, chart workers and subprocesses
    end with the test that started them (checked once the session's tests are done, after
    waiting up to 10 s for the last ones to exit). Python's own resource tracker ends with
    the test process and is not counted."""
    yield
    deadline = time.monotonic() + 10
    while (left := processes_left()) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not left, f"processes left running: {left}"


@pytest.fixture
def kb() -> KnowledgeBase:
    return default_knowledge()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer | None]:
    """The PostgreSQL server named by TEST_DATABASE_URL (None where it is not set); the
    databases the run made on it are dropped at the end."""
    if TEST_DATABASE_URL is None:
        yield None
        return
    server = PostgresServer(TEST_DATABASE_URL)
    try:
        yield server
    finally:
        server.drop_all()


@pytest.fixture
def postgres_url(postgres: PostgresServer | None) -> Iterator[str]:
    """A fresh, empty PostgreSQL database for this test (skipped without TEST_DATABASE_URL)."""
    if postgres is None:
        pytest.skip("needs a PostgreSQL server: set TEST_DATABASE_URL")
    name = postgres.create()
    yield postgres.url_of(name)
    postgres.drop(name)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty database of each kind: the test runs on SQLite and on PostgreSQL (the
    latter skipped without TEST_DATABASE_URL)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/empty.db"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def first_start_database(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresServer | None
) -> str:
    """A database as the bot's first start leaves it (migrated, the sample roster loaded and
    scored), made once per test run: a SQLite file's path, or a PostgreSQL template's name."""
    if postgres is not None:
        name = postgres.create()
        settings = Settings(_env_file=None, database_url=postgres.url_of(name))
        prepare_database(settings, default_knowledge()).dispose()
        return name
    folder = tmp_path_factory.mktemp("first-start")
    settings = Settings(_env_file=None, database_url=f"sqlite:///{folder}/bot.db")
    engine = prepare_database(settings, default_knowledge())
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")  # all in the one file
    engine.dispose()
    return str(folder / "bot.db")


@pytest.fixture
def test_database(
    tmp_path: Path, first_start_database: str, postgres: PostgresServer | None
) -> Iterator[str]:
    """This test's own database, a copy of the first start's (a copy takes milliseconds where
    loading the sample roster takes a quarter second): its URL."""
    if postgres is None:
        shutil.copyfile(first_start_database, tmp_path / "bot.db")
        yield f"sqlite:///{tmp_path}/bot.db"
        return
    name = postgres.create(template=first_start_database)
    yield postgres.url_of(name)
    postgres.drop(name)


@pytest.fixture
def settings(test_database: str) -> Settings:
    return Settings(
        _env_file=None,
        database_url=test_database,
        default_currency="EUR",
        admin_ids=[ADMIN],
        # Charts are tried in test_e2e_charts.py; elsewhere a picture sent after a reply
        # would be read as the reply to the test's next step.
        charts=False,
    )


@pytest.fixture
def engine(settings: Settings, kb: KnowledgeBase) -> Iterator[Engine]:
    """Each test's own database, opened as at any later start."""
    engine = prepare_database(settings, kb)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


def spaces_as_read(text: str) -> str:
    """`text` with its no-break spaces (U+00A0, U+202F: French typography, written by Babel
    and the translators) as the plain spaces a reader sees."""
    return text.replace("\u202f", " ").replace("\u00a0", " ")


async def eventually(predicate: Callable[[], bool], timeout: float = 10.0) -> None:
    """Wait for a condition the emulator is not told about (a database row), bounded."""
    async with asyncio.timeout(timeout):
        while not predicate():
            await asyncio.sleep(0.02)


class BotHarness:
    """The real Application, polling the emulator over HTTP; a test plays the user."""

    def __init__(
        self,
        settings: Settings,
        engine: Engine,
        kb: KnowledgeBase,
        flood_limit: int | None = None,
        *,
        delivery_rate: float | None = None,
        rate_limited: bool = True,
        read_timeout: float | None = None,
        zone_known: bool = True,
    ) -> None:
        """`flood_limit`: the emulator refuses (429) more messages a second than that.
        `delivery_rate`, `rate_limited`, `read_timeout`: as for bot.app.build_application.
        `zone_known`: USER came before the test (in English) and chose the bot's own time
        zone, as a returning user would have, so the zone question
        (tests/test_e2e_zone_question.py) is not asked."""
        self.settings, self.engine, self.kb = settings, engine, kb
        if zone_known:
            with Session(engine) as session:
                set_timezone(session=session, user_id=USER, timezone=settings.timezone)
                set_telegram_language(session=session, user_id=USER, language="en")
        self.delivery_rate, self.rate_limited = delivery_rate, rate_limited
        self.read_timeout = read_timeout
        self.emulator = BotApiEmulator(TOKEN, flood_limit=flood_limit)
        self.clock = ShiftedClock()
        self.application: Bot | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start_bot(self) -> None:
        root = self.emulator.root if self.emulator.port else await self.emulator.start()
        await self.emulator.release_long_polls(False)
        application = build_application(
            self.settings,
            self.engine,
            self.kb,
            token=TOKEN,
            api_root=root,
            clock=self.clock,
            delivery_rate=self.delivery_rate,
            rate_limited=self.rate_limited,
            read_timeout=self.read_timeout,
        )
        self.application = application
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(run_until(application, self._stop))
        await self.emulator.wait_for(lambda: self.emulator.method_calls.get("getUpdates", 0) > 0)

    async def stop_bot(self) -> None:
        await self.emulator.release_long_polls()
        self._stop.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, 30)
            self._task = None

    def sent(self, user: int = USER) -> list[BotMessage]:
        return [
            e.message
            for e in self.emulator.chat_events(user)
            if e.kind == "send" and e.message is not None
        ]

    async def _expect(self, user: int, before: int, count: int) -> list[BotMessage]:
        await self.emulator.wait_for(lambda: len(self.sent(user)) >= before + count)
        return self.sent(user)[before:]

    async def say(self, text: str, count: int = 1, user: int = USER) -> list[BotMessage]:
        """Send `text` and return the `count` messages the bot sends back."""
        before = len(self.sent(user))
        await self.emulator.send_text(user, text)
        return await self._expect(user, before, count)

    async def press(
        self, message: BotMessage, label: str, count: int = 1, user: int = USER
    ) -> list[BotMessage]:
        before = len(self.sent(user))
        await self.emulator.press(user, message, label)
        return await self._expect(user, before, count)

    async def press_for_answer(self, message: BotMessage, label: str, user: int = USER) -> str:
        """Press a button expected to be answered with a short notice; return its text."""
        answers = [e for e in self.emulator.chat_events(user) if e.kind == "answer"]
        await self.emulator.press(user, message, label)
        await self.emulator.wait_for(
            lambda: (
                len([e for e in self.emulator.chat_events(user) if e.kind == "answer"])
                > len(answers)
            )
        )
        return [e for e in self.emulator.chat_events(user) if e.kind == "answer"][-1].text or ""

    async def send_file(
        self, name: str, data: bytes, count: int = 1, user: int = USER, mime: str = "text/csv"
    ) -> list[BotMessage]:
        before = len(self.sent(user))
        await self.emulator.send_document(user, name, data, mime)
        return await self._expect(user, before, count)

    def file(self, message: BotMessage) -> bytes:
        """The bytes of a document or picture the bot sent."""
        if message.photo is not None:
            return self.emulator.files[message.photo[-1]["file_id"]]
        assert message.document is not None
        return self.emulator.files[message.document["file_id"]]

    def rearm(self) -> None:
        """After moving the clock: re-arm the reminder job as the bot would at start."""
        assert self.application is not None
        delivery_of(self.application).arm()

    async def send_other(self, kind: str, count: int = 1, user: int = USER) -> list[BotMessage]:
        before = len(self.sent(user))
        if kind == "sticker":
            await self.emulator.send_sticker(user)
        else:
            await self.emulator.send_photo(user)
        return await self._expect(user, before, count)


@pytest.fixture
async def bot(settings: Settings, engine: Engine, kb: KnowledgeBase) -> AsyncIterator[BotHarness]:
    async with running(BotHarness(settings, engine, kb)) as harness:
        yield harness


@pytest.fixture
async def new_user_bot(
    settings: Settings, engine: Engine, kb: KnowledgeBase
) -> AsyncIterator[BotHarness]:
    """The bot, USER never having chosen a time zone (the zone question is asked once)."""
    async with running(BotHarness(settings, engine, kb, zone_known=False)) as harness:
        yield harness


# Where the pages' tests say the pages are served (WEBAPP_URL's root: no request goes there).
PAGES_PUBLIC = "https://bot.example.test"


@pytest.fixture
async def served(
    settings: Settings, engine: Engine, kb: KnowledgeBase
) -> AsyncIterator[tuple[BotHarness, str]]:
    """The bot running (polling) with WEBAPP_URL set, and its pages on a listener of their
    own on 127.0.0.1: the harness, and the pages' local root."""
    settings = settings.model_copy(update={"webapp_url": f"{PAGES_PUBLIC}/app"})
    async with running(BotHarness(settings, engine, kb)) as harness:
        assert harness.application is not None
        pages = PageServer(pages_of(harness.application, settings), "127.0.0.1", 0)
        await pages.start()
        try:
            yield harness, pages.root
        finally:
            await pages.stop()


@contextlib.asynccontextmanager
async def running(harness: BotHarness) -> AsyncIterator[BotHarness]:
    await harness.start_bot()
    try:
        yield harness
    finally:
        await harness.stop_bot()
        await harness.emulator.stop()


# ---- the command line, in-process ----

SETTINGS = (
    "TELEGRAM_BOT_TOKEN",
    "TELEGRAM_API_BASE_URL",
    "DATABASE_URL",
    "ADMIN_IDS",
    "DEFAULT_CURRENCY",
    "TIMEZONE",
    "LOG_LEVEL",
    "ASSUMPTIONS_FILE",
    "TELEGRAM_WEBHOOK_URL",
    "WEBHOOK_LISTEN",
    "WEBHOOK_SECRET",
    "CHARTS",
    "CHART_WORKERS",
    "WEBAPP_URL",
    "WEBAPP_LISTEN",
    "WEBAPP_MAX_AGE",
)
# Loggers whose level bot.logs.setup_logging (or the sandbox) sets.
LOGGERS = ("", "httpx", "httpcore", "aiohttp.access", "alembic", "apscheduler", "telegram.ext")


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str


Cli = Callable[..., Run]


@pytest.fixture
def cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[Cli]:
    """`cli("roster", "export", "-", stdin="…", TIMEZONE="…")` runs `python -m bot roster
    export -` in-process, in a fresh folder with only the given settings in the
    environment; it returns the exit code and what was printed."""
    monkeypatch.chdir(tmp_path)
    for name in SETTINGS:
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, stdin: str = "", **env: str) -> Run:
        # The entry point sets up logging for the whole process: put it back afterwards.
        root = logging.getLogger()
        handlers = root.handlers[:]
        levels = {name: logging.getLogger(name).level for name in LOGGERS}
        try:
            with monkeypatch.context() as patch:
                for name, value in env.items():
                    patch.setenv(name, value)
                patch.setattr(sys, "stdin", io.StringIO(stdin))
                code = main(list(args))
        finally:
            root.handlers[:] = handlers
            for name, level in levels.items():
                logging.getLogger(name).setLevel(level)
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    yield run
