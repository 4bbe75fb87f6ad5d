"""Charts drawn in worker processes, so a picture never holds the event loop (nor, through
the GIL, any other user's reply) while matplotlib works."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor

from knowledge.pictures.charts import Bar, Chart, Group, draw

# Drawn once in each worker as it starts: loads matplotlib and its fonts before a user waits.
WARM_UP = Chart("", (Group("", (Bar("", 1.0),)),), "")
# How much lower than the bot's the workers' scheduling priority is (os.nice): a picture
# waits for the processor while replies are being worked out, never the other way round.
NICENESS = 10
# How often a worker checks that the bot that started it is still there.
PARENT_CHECK_SECONDS = 1.0


def _end_with(parent: int) -> None:
    """Exit as soon as `parent` is gone (killed with -9, it could not stop its workers)."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _start_worker(parent: int) -> None:
    """Each worker's start: run at a lower priority than the bot's own process, and end with
    the bot, however the bot ends."""
    os.nice(NICENESS)
    threading.Thread(target=_end_with, args=(parent,), daemon=True).start()


class ChartWorkers:
    """A pool of `workers` processes drawing charts; started on first use (or by `start`),
    stopped by `close`."""

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None

    def start(self) -> None:
        """Start the workers and have each load matplotlib, without waiting for them."""
        if self._pool is not None:
            return
        # "spawn": a fresh interpreter, not a fork of a process running an event loop and
        # threads.
        self._pool = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )
        for _ in range(self.workers):
            self._pool.submit(draw, WARM_UP)

    async def draw(self, chart: Chart) -> bytes:
        self.start()
        assert self._pool is not None
        return await asyncio.get_running_loop().run_in_executor(self._pool, draw, chart)

    def close(self) -> None:
        """Stop the workers: drawings not begun are dropped, and the workers waited for, so
        that none outlives the bot (a sandbox's `:quit` leaves no process behind)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
