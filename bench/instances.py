"""Two instances on PostgreSQL behind one address, beside one instance on SQLite, same run.

python -m bench.instances [--briefs 10000] [--users 1000] [--database-url URL]

A burst of one-line briefs (each user's numbered by its budget) goes through the emulator's
webhook delivery (a chat's updates one at a time, chats side by side, instances in turn) to
`python -m bench.instance` processes. Checked: every brief answered (no loss), once (no
duplicate reply), each user's in the order sent. Measured: briefs a second, and the p95 time
from a brief's arrival at the emulator to its reply. The PostgreSQL URL defaults to
TEST_DATABASE_URL's server; a fresh database is made there and dropped after.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import statistics
import sys
import tempfile
import time
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, make_url, text

from bench.common import TOKEN, free_port, p95
from bot.sandbox.emulator import BotApiEmulator, Event

GOALS = ("sales", "awareness", "community", "launch")
NICHES = ("cooking", "travel", "diy", "tech", "fashion", "beauty")
PUBLIC_URL = "https://bench.example.test/hook"
FIRST_USER = 200_000


def brief(user: int, number: int) -> str:
    return (
        f"/advise goal={GOALS[user % len(GOALS)]} budget={1000 + number} "
        f"niche={NICHES[user % len(NICHES)]}"
    )


async def _burst(database_url: str, instances: int, briefs: int, users: int) -> dict[str, Any]:
    ports = [free_port() for _ in range(instances)]
    async with BotApiEmulator(TOKEN) as emulator:
        emulator.route_webhook([f"http://127.0.0.1:{p}/hook" for p in ports])
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        processes = []
        for port in ports:
            env = dict(
                environment,
                TELEGRAM_BOT_TOKEN=TOKEN,
                TELEGRAM_API_BASE_URL=emulator.root,
                DATABASE_URL=database_url,
                TELEGRAM_WEBHOOK_URL=PUBLIC_URL,
                WEBHOOK_LISTEN=f"127.0.0.1:{port}",
                LOG_LEVEL="WARNING",
                CHARTS="off",  # replies only: charts are measured by bench.updates --limited
            )
            processes.append(
                await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "bench.instance", env=env, cwd=os.getcwd()
                )
            )
        try:
            await emulator.wait_for(
                lambda: emulator.method_calls.get("setWebhook", 0) == instances, 120
            )
            sent_at: dict[tuple[int, int], float] = {}
            replies: dict[int, list[tuple[int, float]]] = defaultdict(list)
            done = [0]
            budget = re.compile(r"· €1,(\d{3}) ·")  # the brief line: "Sales · €1,004 · Cooking"

            def on_event(event: Event) -> None:
                if event.kind != "send" or event.message is None:
                    return
                found = budget.search(event.message.text)
                number = int(found.group(1)) if found else -1
                replies[event.chat_id].append((number, event.at))
                done[0] += 1

            emulator.listeners.append(on_event)
            per_user = briefs // users
            start = time.perf_counter()
            for number in range(per_user):
                for user in range(FIRST_USER, FIRST_USER + users):
                    sent_at[(user, number)] = time.monotonic()
                    await emulator.send_text(user, brief(user, number))
            await emulator.wait_for(lambda: done[0] >= per_user * users, 3600)
            elapsed = time.perf_counter() - start
            await emulator.webhook_idle(120)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                await asyncio.wait_for(process.wait(), 120)
    latencies = []
    lost = duplicates = out_of_order = 0
    for user in range(FIRST_USER, FIRST_USER + users):
        numbers = [n for n, _at in replies[user]]
        lost += len(set(range(per_user)) - set(numbers))
        duplicates += len(numbers) - len(set(numbers))
        out_of_order += numbers != sorted(numbers)
        latencies += [at - sent_at[(user, n)] for n, at in replies[user] if (user, n) in sent_at]
    return {
        "instances": instances,
        "briefs": per_user * users,
        "per_s": per_user * users / elapsed,
        "p95_ms": p95(latencies) * 1000,
        "median_ms": statistics.median(latencies) * 1000,
        "lost": lost,
        "duplicates": duplicates,
        "users_out_of_order": out_of_order,
    }


def postgres_database(server_url: str) -> tuple[str, Any]:
    """A fresh database on the server (its URL) and a function that drops it."""
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()

    return make_url(server_url).set(database=name).render_as_string(hide_password=False), drop


async def run(briefs: int, users: int, server_url: str, folder: Path) -> dict[str, Any]:
    sqlite = await _burst(f"sqlite:///{folder}/bench.db", 1, briefs, users)
    url, drop = postgres_database(server_url)
    try:
        postgres = await _burst(url, 2, briefs, users)
    finally:
        drop()
    return {"sqlite_1": sqlite, "postgres_2": postgres}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--briefs", type=int, default=10_000)
    parser.add_argument("--users", type=int, default=1_000)
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
        ),
        help="a PostgreSQL server (a database is created there for the run)",
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        f = asyncio.run(run(args.briefs, args.users, args.database_url, Path(folder)))
    for name, label in (
        ("sqlite_1", "1 instance, SQLite"),
        ("postgres_2", "2 instances, PostgreSQL"),
    ):
        r = f[name]
        print(
            f"{label:26} {r['briefs']:,} briefs: {r['per_s']:7.1f} briefs/s, p95 "
            f"{r['p95_ms']:7.1f} ms (median {r['median_ms']:.1f} ms); lost {r['lost']}, "
            f"duplicate replies {r['duplicates']}, users out of order {r['users_out_of_order']}"
        )


if __name__ == "__main__":
    main()
