"""Fault suite, start-up and the command line (issue 13, items 1 and 14): a failed start says
so in one line without the token, an unreachable Telegram is retried with a bounded backoff,
and a closed pipe ends an export quietly.

The runs are in-process (`tests.test_cli.cli`) with the emulator on its own thread, except
one real `python -m bot` for each of the two faults a traceback used to show.
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import startup
from bot.sandbox.emulator import BotApiEmulator
from tests.conftest import SETTINGS, Cli

TOKEN = "987654321:SECRET-token-value-never-shown-0123456789"


class ThreadedEmulator:
    """The emulator on its own event loop and thread, for entry points that run their own
    loop (`main()` blocks the test's thread while it runs)."""

    def __init__(self, token: str) -> None:
        self.emulator = BotApiEmulator(token)
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def __enter__(self) -> BotApiEmulator:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self.emulator.start(), self.loop).result(10)
        return self.emulator

    def __exit__(self, *_exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self.emulator.stop(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@pytest.fixture
def emulator() -> Iterator[BotApiEmulator]:
    with ThreadedEmulator(TOKEN) as running:
        yield running


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def one_line_without_the_token(err: str) -> str:
    assert TOKEN not in err and TOKEN.split(":")[1] not in err, err
    assert "Traceback" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, lines
    return lines[0]


@pytest.fixture
def first_start(test_database: str) -> str:
    """A database as the first start leaves it (no sample roster loaded again): its URL."""
    return test_database


# ---- item 1: the token never leaks on a failed start ----


async def test_a_rejected_token_stops_the_bot_with_one_line_without_the_token(
    tmp_path: Path, first_start: str
) -> None:
    """A real `python -m bot`: Telegram answers 401 to getMe."""
    async with BotApiEmulator("1:another-bots-token-0123456789abcdef") as other:
        environment = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS}
        environment.update(
            TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=other.root, DATABASE_URL=first_start
        )
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            cwd=tmp_path,
            env=environment,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    line = one_line_without_the_token(stderr.decode() + stdout.decode())
    assert "refused the bot token (Unauthorized)" in line and "TELEGRAM_BOT_TOKEN" in line


def test_a_wrong_api_path_stops_the_bot_with_one_line_without_the_token(
    cli: Cli, emulator: BotApiEmulator, first_start: str
) -> None:
    """TELEGRAM_API_BASE_URL with a path the server does not serve: 404 to getMe."""
    result = cli(
        TELEGRAM_BOT_TOKEN=TOKEN,
        TELEGRAM_API_BASE_URL=f"{emulator.root}/telegram",
        DATABASE_URL=first_start,
    )
    assert result.code == 1
    line = one_line_without_the_token(result.err + result.out)
    assert "Not Found" in line and "TELEGRAM_API_BASE_URL" in line


def test_an_unreachable_telegram_is_retried_with_backoff_then_one_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch, first_start: str
) -> None:
    monkeypatch.setattr(startup, "START_RETRY_DELAYS", (0.01, 0.02))
    root = f"http://127.0.0.1:{closed_port()}"
    result = cli(TELEGRAM_BOT_TOKEN=TOKEN, TELEGRAM_API_BASE_URL=root, DATABASE_URL=first_start)
    assert result.code == 1
    assert TOKEN.split(":")[1] not in result.err and "Traceback" not in result.err
    *retries, last = result.err.strip().splitlines()
    assert len(retries) == 2, retries
    assert "try 1 of 3, the next in 0.01 s" in retries[0]
    assert "try 2 of 3, the next in 0.02 s" in retries[1]
    assert last.startswith(f"Can't reach Telegram at {root}") and "after 3 tries" in last


def test_telegram_back_after_an_outage_at_start_lets_the_bot_start(
    emulator: BotApiEmulator,
) -> None:
    """The retries are worth it: a 502 at the first getMe, then Telegram answers."""
    emulator.fail("getMe", 502, "Bad Gateway")
    username = startup.check_telegram(TOKEN, emulator.root, delays=(0.01,))
    assert username == "advisor_sandbox_bot"
    assert emulator.method_calls["getMe"] == 2


# ---- item 14: a closed pipe ----


def test_an_export_into_a_closed_pipe_prints_no_traceback(tmp_path: Path, first_start: str) -> None:
    """`python -m bot roster export - | head -1` (the sample roster is far over a pipe's
    buffer, so the export is still writing when head leaves)."""
    environment = {k: v for k, v in os.environ.items() if k.upper() not in SETTINGS}
    environment["DATABASE_URL"] = first_start
    result = subprocess.run(
        ["bash", "-c", f"'{sys.executable}' -m bot roster export - | head -1"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.startswith("name,handle,platform,niche,")
    assert result.stderr == ""


# ---- item 14: the sandbox's refusals ----


def test_a_refused_admin_command_in_the_sandbox_says_how_and_logs_out_of_the_chat(
    cli: Cli, tmp_path: Path, first_start: str
) -> None:
    result = cli(stdin="/roster\n/help\n", DATABASE_URL=first_start)
    assert result.code == 0, result.err
    assert "for admins only. In the sandbox, start it with ADMIN_IDS=1001" in result.out
    assert "WARNING" not in result.out + result.err
    assert "Refused admin action to user 1001" in (tmp_path / "sandbox.log").read_text()
