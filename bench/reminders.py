"""Reminders: re-arming many pending ones at start, and delivering a burst at Telegram's rate.

    python -m bench.reminders [--pending 100000] [--burst 10000]

Re-arm baseline in the same run: the same start-up with no pending reminder. Delivery
baseline: the time Telegram's 30 messages a second allow for the burst.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlmodel import Session, col, func, select

from bench.common import TOKEN, fresh_database
from bot.app import build_application, delivery_of, load_kb, run_until
from bot.sandbox.emulator import BotApiEmulator
from bot.settings import Settings
from knowledge.base import KnowledgeBase
from storage.models import Reminder, table_of

RATE = 30


def add_reminders(engine: Engine, count: int, due: datetime, first_user: int) -> None:
    table = table_of(Reminder)
    now = datetime.now(UTC)
    with Session(engine) as session:
        for start in range(0, count, 20_000):
            session.execute(
                insert(table),
                [
                    {
                        "user_id": first_user + i,
                        "text": f"bench {i}",
                        "due_at": due,
                        "status": "pending",
                        "late": False,
                        "created_at": now,
                    }
                    for i in range(start, min(count, start + 20_000))
                ],
            )
        session.commit()


async def _rearm_seconds(engine: Engine, settings: Settings, kb: KnowledgeBase, root: str) -> float:
    application = build_application(settings, engine, kb, token=TOKEN, api_root=root)
    async with application:
        start = time.perf_counter()
        delivery_of(application).start()
        elapsed = time.perf_counter() - start
        assert application.job_queue is not None
        armed = len(application.job_queue.get_jobs_by_name("deliver-reminders"))
        delivery_of(application).stop()
    assert armed <= 1
    return elapsed


async def run(pending: int, burst: int, folder: Path) -> dict[str, float]:
    settings, engine = fresh_database(folder, 0)
    kb = load_kb(settings)
    async with BotApiEmulator(TOKEN, flood_limit=RATE) as emulator:
        empty = await _rearm_seconds(engine, settings, kb, emulator.root)
        add_reminders(engine, pending, datetime.now(UTC) + timedelta(days=30), 1_000_000)
        rearm = await _rearm_seconds(engine, settings, kb, emulator.root)

        add_reminders(engine, burst, datetime.now(UTC) + timedelta(seconds=2), 5_000_000)
        application = build_application(settings, engine, kb, token=TOKEN, api_root=emulator.root)
        stop = asyncio.Event()
        task = asyncio.create_task(run_until(application, stop))
        start = time.perf_counter()
        await emulator.wait_for(
            lambda: sum(e.kind == "send" for e in emulator.events) >= burst, timeout=burst / 5 + 60
        )
        elapsed = time.perf_counter() - start
        await emulator.release_long_polls()
        stop.set()
        await task
    sends = [e for e in emulator.events if e.kind == "send"]
    per_chat = Counter(e.chat_id for e in sends)
    times = sorted(e.at for e in sends)
    spread = times[-1] - times[0] if times else 0.0
    busiest = max(
        (sum(1 for t in times[i : i + RATE + 5] if t - times[i] < 1.0) for i in range(len(times))),
        default=0,
    )
    with Session(engine) as session:
        sent = session.exec(
            select(func.count()).select_from(Reminder).where(col(Reminder.status) == "sent")
        ).one()
    engine.dispose()
    return {
        "pending": pending,
        "rearm_s": rearm,
        "rearm_empty_s": empty,
        "burst": burst,
        "delivered": len(per_chat),
        "duplicates": sum(c - 1 for c in per_chat.values()),
        "sent_in_db": sent,
        "burst_s": spread,
        "until_last_s": elapsed,
        "allowed_s": burst / RATE,
        "busiest_second": busiest,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pending", type=int, default=100_000)
    parser.add_argument("--burst", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        f = asyncio.run(run(args.pending, args.burst, Path(folder)))
    print(
        f"re-arm with {f['pending']:,.0f} pending: {f['rearm_s'] * 1000:.1f} ms "
        f"(with none: {f['rearm_empty_s'] * 1000:.1f} ms); target <= 3 s"
    )
    print(
        f"burst of {f['burst']:,.0f} due at once: {f['delivered']:,.0f} delivered, "
        f"{f['duplicates']:.0f} duplicates, {f['sent_in_db']:,.0f} marked sent, "
        f"first to last in {f['burst_s']:.1f} s (30/s allows {f['allowed_s']:.1f} s); "
        f"busiest second: {f['busiest_second']:.0f} messages (limit {RATE})"
    )


if __name__ == "__main__":
    main()
