"""One bot instance for bench.instances: `python -m bench.instance`, in webhook mode, as
`python -m bot` runs it but without python-telegram-bot's rate limiter (as bench.updates)."""

from __future__ import annotations

import asyncio
import logging

from bot.app import build_application, load_kb, prepare_database
from bot.serve import serve
from bot.settings import load_settings


def main() -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = load_settings()
    kb = load_kb(settings)
    engine = prepare_database(settings, kb)
    assert settings.token is not None
    application = build_application(
        settings,
        engine,
        kb,
        token=settings.token,
        api_root=settings.telegram_api_base_url,
        rate_limited=False,
    )
    asyncio.run(serve(application, engine, settings))
    engine.dispose()


if __name__ == "__main__":
    main()
