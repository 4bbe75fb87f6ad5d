"""Start-up: from `python -m bot` to its first getUpdates, with a large roster.

    python -m bench.startup [--roster 1000000]

Baseline in the same run: the same start with the 600-person sample roster.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.common import TOKEN, fresh_database, settings_for
from bench.scale import database
from bot.sandbox.emulator import BotApiEmulator


async def first_poll_seconds(folder: Path) -> float:
    async with BotApiEmulator(TOKEN) as emulator:
        environment = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
        environment.update(
            TELEGRAM_BOT_TOKEN=TOKEN,
            TELEGRAM_API_BASE_URL=emulator.root,
            DATABASE_URL=settings_for(folder).database_url,
            LOG_LEVEL="WARNING",
        )
        start = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            env=environment,
            cwd=folder,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        try:
            await emulator.wait_for(lambda: emulator.method_calls.get("getUpdates", 0) > 0, 120)
            elapsed = time.perf_counter() - start
        finally:
            process.terminate()
            await emulator.release_long_polls()
            await asyncio.wait_for(process.wait(), 60)
    return elapsed


def run(roster: int, folder: Path) -> dict[str, float]:
    small = folder / "small"
    fresh_database(small, 0)[1].dispose()
    asyncio.run(first_poll_seconds(small))  # first start loads the sample roster
    baseline = asyncio.run(first_poll_seconds(small))
    big = asyncio.run(first_poll_seconds(database(roster)))
    return {"roster": roster, "startup_s": big, "baseline_s": baseline}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--roster", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        f = run(args.roster, Path(folder))
    print(
        f"start to first getUpdates: {f['startup_s']:.2f} s with {f['roster']:,.0f} "
        f"influencers; {f['baseline_s']:.2f} s with the sample roster; target <= 2 s"
    )


if __name__ == "__main__":
    main()
