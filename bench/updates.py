"""Cost per update: one-line briefs to the advisor vs a bare echo bot, same emulator, same run.

python -m bench.updates [--roster 10000] [--updates 300] [--rounds 3] [--latency MS]
python -m bench.updates --limited [--roster 10000] [--updates 300]

`--limited`: what counts in production, Telegram's ceiling of about 30 messages a second. A
burst of briefs, each from its own user, to bots with the production rate limiter: the
same-reply bot, the advisor with charts off, and the advisor with charts on. Briefs a second
(target >= 27, 90 % of the ceiling) and how long each user waits for the card.

A third bot, as bare as the echo bot, answers each brief with the advisor's own reply worked
out beforehand (same HTML, same buttons): the gap between it and the echo bot is what the
framework and the emulator pay for a longer message; the rest of the advisor's cost is ours.

The same briefs typed in French by users whose Telegram speaks French (`/conseil
objectif=ventes budget=2k€ niche=cuisine`), to the advisor and to the same-reply bot sending the
French replies: what French adds to the advisor's own work (target <= 10 %).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlmodel import Session
from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ContextTypes,
    MessageHandler,
    filters,
)

from bench.common import TOKEN, fresh_database, p95
from bot.app import build_application, load_kb, run_until
from bot.sandbox.emulator import BotApiEmulator, Event
from handlers import keyboards
from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, KnowledgeBase
from knowledge.reading.parsing import parse_budget
from knowledge.writing import i18n
from knowledge.writing.views import card_text
from storage.roster import candidates_for_brief

Answer = Callable[[Update, ContextTypes.DEFAULT_TYPE], Awaitable[None]]
GOALS = ("sales", "awareness", "community", "launch", "ambassador")
NICHES = ("cooking", "travel", "diy", "tech", "fashion", "beauty", "fitness", "gaming")
BUDGETS = ("800", "1,500", "€2k", "5k", "12k", "40k")
# The same briefs as a French speaker types them.
GOALS_FR = ("ventes", "notoriété", "communauté", "lancement", "ambassadeur")
NICHES_FR = ("cuisine", "voyage", "bricolage", "tech", "mode", "beauté", "sport", "retrogaming")
BUDGETS_FR = ("800", "1500€", "2k€", "5k", "12k", "40k€")


def brief(i: int, language: str = "en") -> str:
    if language == "fr":
        return (
            f"/conseil objectif={GOALS_FR[i % len(GOALS)]} budget={BUDGETS_FR[i % len(BUDGETS)]} "
            f"niche={NICHES_FR[i % len(NICHES)]}"
        )
    return (
        f"/advise goal={GOALS[i % len(GOALS)]} budget={BUDGETS[i % len(BUDGETS)]} "
        f"niche={NICHES[i % len(NICHES)]}"
    )


def brief_values(i: int) -> Brief:
    """What brief(i) asks, in either language."""
    return Brief(
        Goal(GOALS[i % len(GOALS)]),
        parse_budget(BUDGETS[i % len(BUDGETS)], "EUR").cents,
        "EUR",
        NICHES[i % len(NICHES)],
    )


def bare_application(
    root: str, answer: Answer, limiter: AIORateLimiter | None = None
) -> Application:  # type: ignore[type-arg]
    """A python-telegram-bot application with one text handler and nothing else (handling
    updates side by side, as the advisor does, when it has a rate `limiter`)."""
    builder = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(f"{root}/bot")
        .base_file_url(f"{root}/file/bot")
        .get_updates_connection_pool_size(2)  # as the advisor: a clean last getUpdates at stop
    )
    if limiter is not None:
        builder = builder.rate_limiter(limiter).concurrent_updates(True)
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, answer))
    return application


async def _echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


def echo_application(root: str) -> Application:  # type: ignore[type-arg]
    return bare_application(root, _echo)


def same_reply_application(
    root: str, replies: dict[str, str], limiter: AIORateLimiter | None = None
) -> Application:  # type: ignore[type-arg]
    """A bare bot sending, for each brief, the advisor's reply to it (worked out before)."""
    keyboard = keyboards.recommendation_card(1, has_plan=True)  # in the current language

    async def answer(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
        assert update.message is not None and update.message.text is not None
        await update.message.reply_html(replies[update.message.text], reply_markup=keyboard)

    return bare_application(root, answer, limiter)


def advisor_replies(
    engine: Engine, kb: KnowledgeBase, updates: int, language: str = "en"
) -> dict[str, str]:
    """The advisor's reply to each one-line brief, through the same code it runs."""
    replies = {}
    with Session(engine) as session, i18n.speaking(language):
        for i in range(updates):
            text = brief(i, language)
            if text in replies:
                continue
            values = brief_values(i)
            candidates = candidates_for_brief(session=session, brief=values, kb=kb)
            stored = snapshot(recommend(values, candidates, kb), kb)
            replies[text] = card_text(stored, kb)
    return replies


async def _measure(
    application: Application,  # type: ignore[type-arg]
    emulator: BotApiEmulator,
    texts: list[str],
    first_user: int,
    profile: Path | None = None,
) -> float:
    """Seconds for the bot to answer every text (each from its own user), polling over HTTP.
    With `profile`, the run is also sampled by pyinstrument and its report written there."""
    stop = asyncio.Event()
    await emulator.release_long_polls(False)
    task = asyncio.create_task(run_until(application, stop))
    await emulator.wait_for(lambda: emulator.method_calls.get("getUpdates", 0) > 0, 60)
    sent = [0]

    def count(event: Event) -> None:
        sent[0] += event.kind == "send"

    emulator.listeners.append(count)  # a running count: the wait's check stays O(1)
    profiler = None
    if profile is not None:
        from pyinstrument import Profiler  # a test dependency, needed only here

        profiler = Profiler(interval=0.0005, async_mode="disabled")
        profiler.start()
    start = time.perf_counter()
    for i, text in enumerate(texts):
        await emulator.send_text(first_user + i, text)
    await emulator.wait_for(lambda: sent[0] >= len(texts), 600)
    elapsed = time.perf_counter() - start
    if profiler is not None and profile is not None:
        profiler.stop()
        profile.write_text(profiler.output_text(unicode=True, color=False))
    emulator.listeners.remove(count)
    await emulator.release_long_polls()
    stop.set()
    await task
    return elapsed


BOTS = ("echo", "same_reply", "advisor", "same_reply_fr", "advisor_fr")
LIMITED = ("same-reply bot", "advisor, charts off", "advisor, charts on")


async def _burst(
    application: Application,  # type: ignore[type-arg]
    emulator: BotApiEmulator,
    texts: list[str],
    first_user: int,
    pictures: bool,
) -> tuple[float, list[float]]:
    """Seconds until every text (each from its own user) got its card, and each user's wait
    for it; with `pictures`, also waits for the charts before stopping."""
    stop = asyncio.Event()
    await emulator.release_long_polls(False)
    task = asyncio.create_task(run_until(application, stop))
    await emulator.wait_for(lambda: emulator.method_calls.get("getUpdates", 0) > 0, 60)
    asked: dict[int, float] = {}
    answered: dict[int, float] = {}
    photos = [0]

    def seen(event: Event) -> None:
        if event.kind != "send" or event.message is None:
            return
        if event.message.photo is not None:
            photos[0] += 1
        elif event.chat_id not in answered:
            answered[event.chat_id] = event.at

    emulator.listeners.append(seen)
    start = time.monotonic()
    for i, text in enumerate(texts):
        asked[first_user + i] = time.monotonic()
        await emulator.send_text(first_user + i, text)
    await emulator.wait_for(lambda: len(answered) >= len(texts), 600)
    elapsed = max(answered.values()) - start
    if pictures:
        await emulator.wait_for(lambda: photos[0] >= len(texts), 600)
    emulator.listeners.remove(seen)
    await emulator.release_long_polls()
    stop.set()
    await task
    return elapsed, [answered[user] - at for user, at in asked.items()]


async def run_limited(roster: int, updates: int, folder: Path) -> dict[str, Any]:
    """The three rate-limited bots of `--limited`, one after the other, on the same briefs."""
    settings, engine = fresh_database(folder, roster)
    kb = load_kb(settings)
    briefs = [brief(i) for i in range(updates)]
    replies = advisor_replies(engine, kb, updates)
    figures: dict[str, Any] = {"roster": roster, "updates": updates}
    async with BotApiEmulator(TOKEN) as emulator:
        for number, name in enumerate(LIMITED):
            if name == "same-reply bot":
                bot = same_reply_application(emulator.root, replies, AIORateLimiter())
            else:
                charts = name.endswith("on")
                bot = build_application(
                    settings.model_copy(update={"charts": charts}),
                    engine,
                    kb,
                    token=TOKEN,
                    api_root=emulator.root,
                )
            elapsed, waits = await _burst(
                bot, emulator, briefs, 200_000 + number * updates, name.endswith("on")
            )
            figures[name] = {
                "per_s": updates / elapsed,
                "p50_ms": statistics.median(waits) * 1000,
                "p95_ms": p95(waits) * 1000,
            }
    engine.dispose()
    return figures


async def run(
    roster: int,
    updates: int,
    folder: Path,
    profile: Path | None = None,
    rounds: int = 3,
    latency: float = 0.0,
) -> dict[str, Any]:
    """Time the three bots, one after the other, `rounds` times over (this machine's speed
    drifts: medians of interleaved rounds are steadier than one pass). With `profile`, the
    advisor's first round is also sampled by pyinstrument (which slows that round down).
    `latency`: seconds the emulator takes to answer each call but getUpdates, as Telegram's
    round trip would (the bare bots handle one update at a time, python-telegram-bot's
    default; the advisor handles different users' updates side by side)."""
    settings, engine = fresh_database(folder, roster)
    kb = load_kb(settings)
    briefs = {language: [brief(i, language) for i in range(updates)] for language in ("en", "fr")}
    hellos = [f"hello {i}" for i in range(updates)]
    replies = {language: advisor_replies(engine, kb, updates, language) for language in briefs}
    seconds: dict[str, list[float]] = {bot: [] for bot in BOTS}
    async with BotApiEmulator(TOKEN, latency=latency) as emulator:
        for number in range(rounds):
            first_user = 100_000 + number * updates  # every round's briefs from new users
            seconds["echo"].append(
                await _measure(echo_application(emulator.root), emulator, hellos, first_user)
            )
            for language, suffix in (("en", ""), ("fr", "_fr")):
                users = first_user + (0 if language == "en" else 500_000)
                speakers = dict.fromkeys(range(users, users + updates), language)
                emulator.user_languages.update(speakers)
                with i18n.speaking(language):  # the same-reply bot's buttons
                    same_reply = same_reply_application(emulator.root, replies[language])
                seconds[f"same_reply{suffix}"].append(
                    await _measure(same_reply, emulator, briefs[language], users)
                )
                advisor = build_application(
                    settings.model_copy(update={"charts": False}),  # the same replies
                    engine,
                    kb,
                    token=TOKEN,
                    api_root=emulator.root,
                    rate_limited=False,
                )
                sampled = profile if number == 0 and language == "en" else None
                seconds[f"advisor{suffix}"].append(
                    await _measure(advisor, emulator, briefs[language], users, sampled)
                )
    engine.dispose()
    figures: dict[str, Any] = {
        "roster": roster,
        "updates": updates,
        "rounds": rounds,
        "latency_ms": latency * 1000,
    }
    for bot in BOTS:
        figures[f"{bot}_ms"] = statistics.median(seconds[bot]) / updates * 1000
        figures[f"{bot}_per_s"] = 1000 / figures[f"{bot}_ms"]
    figures["ratio"] = figures["echo_ms"] / figures["advisor_ms"]
    figures["round_ratios"] = [
        echo / advisor for echo, advisor in zip(seconds["echo"], seconds["advisor"], strict=True)
    ]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roster", type=int, default=10_000)
    parser.add_argument("--updates", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--latency",
        type=float,
        default=0.0,
        help="milliseconds the emulator takes to answer each call (Telegram's round trip)",
    )
    parser.add_argument(
        "--profile", type=Path, help="write a pyinstrument profile of the advisor's run here"
    )
    parser.add_argument(
        "--limited", action="store_true", help="with the production rate limiter (see above)"
    )
    args = parser.parse_args()
    if args.limited:
        with tempfile.TemporaryDirectory() as folder:
            f = asyncio.run(run_limited(args.roster, args.updates, Path(folder)))
        print(f"roster {f['roster']}, a burst of {f['updates']} briefs, production rate limiter")
        for name in LIMITED:
            g = f[name]
            print(
                f"{name + ':':21} {g['per_s']:5.1f} briefs/s; card after "
                f"{g['p50_ms']:6.0f} ms (p50), {g['p95_ms']:6.0f} ms (p95)"
            )
        print("target: >= 27 briefs/s (90 % of Telegram's 30 messages a second)")
        return
    with tempfile.TemporaryDirectory() as folder:
        f = asyncio.run(
            run(
                args.roster,
                args.updates,
                Path(folder),
                args.profile,
                args.rounds,
                args.latency / 1000,
            )
        )
    print(
        f"roster {f['roster']}, {f['updates']} updates, median of {f['rounds']} rounds, "
        f"{f['latency_ms']:.0f} ms per call"
    )
    print(f"echo bot:       {f['echo_per_s']:8.1f} updates/s ({f['echo_ms']:.2f} ms each)")
    print(
        f"same-reply bot: {f['same_reply_per_s']:8.1f} updates/s ({f['same_reply_ms']:.2f} ms each)"
    )
    print(f"advisor bot:    {f['advisor_per_s']:8.1f} updates/s ({f['advisor_ms']:.2f} ms each)")
    each = ", ".join(f"{r:.2f}" for r in f["round_ratios"])
    if f["latency_ms"]:
        print(
            f"advisor / echo throughput: {f['ratio']:.2f} (rounds: {each}). With a round trip "
            "the bare bots wait for each call in turn; the advisor answers different users side "
            "by side. The target is measured without latency."
        )
        return
    print(
        f"advisor's own work: {f['advisor_ms'] - f['same_reply_ms']:.2f} ms a brief; "
        f"the longer reply: {f['same_reply_ms'] - f['echo_ms']:.2f} ms"
    )
    print(f"advisor / echo throughput: {f['ratio']:.2f} (rounds: {each}; target >= 0.67)")
    english = f["advisor_ms"] - f["same_reply_ms"]
    french = f["advisor_fr_ms"] - f["same_reply_fr_ms"]
    print(
        f"in French: same-reply bot {f['same_reply_fr_ms']:.2f} ms, advisor "
        f"{f['advisor_fr_ms']:.2f} ms; own work {french:.2f} ms a brief, "
        f"{(french / english - 1) * 100:+.1f} % on English (target <= +10 %)"
    )


if __name__ == "__main__":
    main()
