"""One bot instance for bench.chaos: `python -m bench.chaos_instance`, as `python -m bot` runs
in webhook mode (the real rate limiter, flood control waited out), with a clock the chaos
scenario can move.

Reminders are set `in 1 minute` (the shortest the bot reads); to have them fall due within
seconds, the scenario sends SIGUSR1 once every one of them is set: this instance's clock then
runs one minute ahead of real time and the reminder delivery is re-armed, as the sandbox's
`:wait` does. An instance started after that (the one restarted after its kill) starts ahead
(`CHAOS_CLOCK_LEAD_SECONDS`), so both instances always agree on the time.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal

from sqlalchemy import Engine

from bot.app import build_application, delivery_of, load_kb, prepare_database
from bot.serve import serve
from bot.settings import Settings, load_settings
from handlers.context import Bot
from knowledge.reading.when import ShiftedClock

LEAD_SECONDS = 60.0
LEAD_SETTING = "CHAOS_CLOCK_LEAD_SECONDS"


async def _serve_with_jump(
    application: Bot, engine: Engine, settings: Settings, clock: ShiftedClock, early: list[int]
) -> None:
    def jump() -> None:
        if clock.offset.total_seconds() < LEAD_SECONDS:
            clock.advance(seconds=LEAD_SECONDS)
            delivery_of(application).arm()

    asyncio.get_running_loop().add_signal_handler(signal.SIGUSR1, jump)
    if early:
        jump()
    await serve(application, engine, settings)


def main() -> None:
    # A jump asked for while this instance starts is made once it serves.
    early: list[int] = []
    signal.signal(signal.SIGUSR1, lambda signum, _frame: early.append(signum))
    settings = load_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(name)s %(message)s")
    for noisy in ("httpx", "httpcore", "apscheduler"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    kb = load_kb(settings)
    engine = prepare_database(settings, kb)
    assert settings.token is not None
    clock = ShiftedClock()
    clock.advance(seconds=float(os.environ.get(LEAD_SETTING, "0")))
    application = build_application(
        settings,
        engine,
        kb,
        token=settings.token,
        api_root=settings.telegram_api_base_url,
        clock=clock,
    )
    asyncio.run(_serve_with_jump(application, engine, settings, clock, early))
    engine.dispose()


if __name__ == "__main__":
    main()
