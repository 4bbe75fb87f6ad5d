"""Cost per update: one-line briefs to the advisor vs a bare echo bot, same emulator, same run.

python -m bench.updates [--roster 10000] [--updates 300]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bench.common import TOKEN, fresh_database
from bot.app import build_application, load_kb, run_until
from bot.emulator import BotApiEmulator

GOALS = ("sales", "awareness", "community", "launch", "ambassador")
NICHES = ("cooking", "travel", "diy", "tech", "fashion", "beauty", "fitness", "gaming")
BUDGETS = ("800", "1,500", "€2k", "5k", "12k", "40k")


def brief(i: int) -> str:
    return (
        f"/advise goal={GOALS[i % len(GOALS)]} budget={BUDGETS[i % len(BUDGETS)]} "
        f"niche={NICHES[i % len(NICHES)]}"
    )


async def _echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def echo_application(root: str) -> Application:  # type: ignore[type-arg]
    application = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .build()
    )
    application.add_handler(MessageHandler(filters.TEXT, _echo))
    return application


async def _measure(
    application: Application,
    emulator: BotApiEmulator,  # type: ignore[type-arg]
    texts: list[str],
) -> float:
    """Seconds for the bot to answer every text (each from its own user), polling over HTTP."""
    stop = asyncio.Event()
    await emulator.release_long_polls(False)
    task = asyncio.create_task(run_until(application, stop))
    await emulator.wait_for(lambda: emulator.method_calls.get("getUpdates", 0) > 0, 60)
    before = sum(e.kind == "send" for e in emulator.events)
    start = time.perf_counter()
    for i, text in enumerate(texts):
        await emulator.send_text(100_000 + i, text)
    await emulator.wait_for(
        lambda: sum(e.kind == "send" for e in emulator.events) >= before + len(texts), 600
    )
    elapsed = time.perf_counter() - start
    await emulator.release_long_polls()
    stop.set()
    await task
    return elapsed


async def run(roster: int, updates: int, folder: Path) -> dict[str, float]:
    settings, engine = fresh_database(folder, roster)
    kb = load_kb(settings)
    async with BotApiEmulator(TOKEN) as emulator:
        echo = await _measure(
            echo_application(emulator.root), emulator, [f"hello {i}" for i in range(updates)]
        )
        advisor_app = build_application(
            settings, engine, kb, token=TOKEN, api_root=emulator.root, rate_limited=False
        )
        advisor = await _measure(advisor_app, emulator, [brief(i) for i in range(updates)])
    engine.dispose()
    figures = {
        "roster": roster,
        "updates": updates,
        "echo_per_s": updates / echo,
        "advisor_per_s": updates / advisor,
        "echo_ms": echo / updates * 1000,
        "advisor_ms": advisor / updates * 1000,
    }
    figures["ratio"] = figures["advisor_per_s"] / figures["echo_per_s"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roster", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=300)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        f = asyncio.run(run(args.roster, args.updates, Path(folder)))
    print(f"roster {f['roster']:.0f}, {f['updates']:.0f} updates")
    print(f"echo bot:    {f['echo_per_s']:8.1f} updates/s ({f['echo_ms']:.2f} ms each)")
    print(f"advisor bot: {f['advisor_per_s']:8.1f} updates/s ({f['advisor_ms']:.2f} ms each)")
    print(f"advisor / echo throughput: {f['ratio']:.2f} (target >= 0.67)")


if __name__ == "__main__":
    main()
