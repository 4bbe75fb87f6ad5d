"""Fault suite, roster imports (issue 13, item 6): a long import freezes no chat.

The import is held in the middle by a gate (threading events): the test knows it is running
when it sends another user's /help, and lets it finish afterwards. Were the import on the
event loop, the gate would hold every chat with it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest

from storage import csv_io
from tests.conftest import ADMIN, USER, BotHarness, eventually

HEADER = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"


def roster_csv(rows: int) -> bytes:
    lines = [
        f"Person {i},@person_{i:06d},instagram,cooking,{20_000 + i},3.5,{200 + i % 300}\n"
        for i in range(rows)
    ]
    return (HEADER + "".join(lines)).encode()


class Gate:
    """Wraps a function of storage.csv_io: `inside` is set when a call starts, which then
    waits for `go` (at most 10 s), and `done` when it returns."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
        self.inside, self.go, self.done = threading.Event(), threading.Event(), threading.Event()
        original: Callable[..., Any] = getattr(csv_io, name)

        def gated(*args: Any, **kwargs: Any) -> Any:
            self.inside.set()
            self.go.wait(10)
            try:
                return original(*args, **kwargs)
            finally:
                self.done.set()

        monkeypatch.setattr(csv_io, name, gated)


async def help_answered_while(gate: Gate, bot: BotHarness) -> float:
    """Another user's /help, sent while the gated step runs: how long its answer took."""
    await eventually(gate.inside.is_set)
    started = time.monotonic()
    [answer] = await bot.say("/help", user=USER)
    took = time.monotonic() - started
    assert "/advise" in answer.text
    assert not gate.done.is_set(), "the import was over before /help was answered"
    gate.go.set()
    return took


async def test_other_users_are_answered_while_an_import_is_confirmed(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    await bot.say("/import", user=ADMIN)
    [preview] = await bot.send_file("big.csv", roster_csv(3000), user=ADMIN)
    assert "To add: 3000" in preview.text
    # Held after the rows are written, before the commit: SQLite's write lock is taken.
    gate = Gate(monkeypatch, "_audit_import")
    before = len(bot.sent(ADMIN))
    await bot.emulator.press(ADMIN, preview, "✅ Confirm import")
    took = await help_answered_while(gate, bot)
    assert took < 1.0
    await bot.emulator.wait_for(lambda: len(bot.sent(ADMIN)) > before, timeout=30)
    assert any("3000 added" in m.text for m in bot.sent(ADMIN)[before:])


async def test_other_users_are_answered_while_an_import_is_previewed(
    bot: BotHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = Gate(monkeypatch, "preview_roster")
    await bot.say("/import", user=ADMIN)
    before = len(bot.sent(ADMIN))
    await bot.emulator.send_document(ADMIN, "big.csv", roster_csv(3000))
    took = await help_answered_while(gate, bot)
    assert took < 1.0
    await bot.emulator.wait_for(lambda: len(bot.sent(ADMIN)) > before, timeout=30)
    assert "To add: 3000" in bot.sent(ADMIN)[-1].text
