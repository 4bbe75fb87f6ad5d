"""Running the bot for real, until SIGINT or SIGTERM: long polling, or a webhook.

Polling: only one process may poll a bot's updates. An instance that finds another one
polling with the same database (it holds the polling lock, storage.locks) says so in one line
and waits, taking over the moment the other stops or dies. One that Telegram refuses with 409
Conflict (another process polls the same token, from another database) stops with one line.

Webhook: every instance serves; the load balancer spreads the updates (bot.webhook).
"""

from __future__ import annotations

import asyncio
import logging
import signal

from sqlalchemy import Engine
from telegram.error import Conflict, TelegramError

from bot.settings import Settings
from bot.webapp import PageServer, pages_of
from bot.webhook import WebhookServer
from handlers.context import Bot
from storage.locks import DatabaseLock

log = logging.getLogger("bot")
ALLOWED_UPDATES = ["message", "callback_query"]
LOCK_RETRY_SECONDS = 2.0
CONFLICT = (
    "Another instance is polling Telegram with this bot token (Telegram answered 409 "
    "Conflict), so this one stops. Run one polling instance, or run several with "
    "TELEGRAM_WEBHOOK_URL set."
)


class PollingConflict(Exception):
    """Telegram refused this instance's getUpdates: another one polls the same token."""


def stop_on_signals(stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)


async def _started(application: Bot) -> None:
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()


async def _stopped(application: Bot) -> None:
    if application.running:
        await application.stop()
    if application.post_stop is not None:
        await application.post_stop(application)
    await application.shutdown()


async def wait_for_turn(lock: DatabaseLock, stop: asyncio.Event) -> bool:
    """Take `lock`, waiting while another process holds it; False if stopped meanwhile."""
    if lock.try_acquire():
        return True
    log.warning(
        "Another instance is polling Telegram with this database: this one waits, and takes "
        "over if that one stops"
    )
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), LOCK_RETRY_SECONDS)
        except TimeoutError:
            if lock.try_acquire():
                log.info("The other instance stopped: this one polls now")
                return True
    return False


async def poll(
    application: Bot, engine: Engine, stop: asyncio.Event, pages: PageServer | None = None
) -> None:
    """Long polling until `stop` is set (PollingConflict on Telegram's 409), with the Mini
    App's pages served by `pages` meanwhile."""
    lock = DatabaseLock(engine, "poll")
    if not await wait_for_turn(lock, stop):
        return
    conflict = asyncio.Event()

    def on_error(exc: TelegramError) -> None:
        if isinstance(exc, Conflict):
            conflict.set()
            stop.set()
        else:
            log.warning("getUpdates failed (%s); retrying", exc)

    try:
        await _started(application)
        if pages is not None:
            await pages.start()
        assert application.updater is not None
        await application.updater.start_polling(
            poll_interval=0.0, timeout=10, allowed_updates=ALLOWED_UPDATES, error_callback=on_error
        )
        await stop.wait()
        if conflict.is_set():
            # The last getUpdates that marks updates as read would be refused too: quietly.
            logging.getLogger("telegram.ext.Updater").setLevel(logging.CRITICAL)
        await application.updater.stop()
    finally:
        if pages is not None:
            await pages.stop()
        await _stopped(application)
        lock.release()
    if conflict.is_set():
        raise PollingConflict(CONFLICT)


async def serve_webhook(
    application: Bot, engine: Engine, settings: Settings, stop: asyncio.Event
) -> WebhookServer:
    """Register the webhook with Telegram and serve it until `stop` is set; a clean stop
    finishes the updates in flight. Returns the server (stopped)."""
    host, port = settings.webhook_host_port
    server = WebhookServer(
        application,
        engine,
        path=settings.webhook_path,
        host=host,
        port=port,
        secret=settings.secret,
        pages=pages_of(application, settings).add_routes if settings.webapp_url else None,
    )
    try:
        await _started(application)
        await server.start()
        assert settings.telegram_webhook_url is not None
        await application.bot.set_webhook(
            settings.telegram_webhook_url,
            secret_token=settings.secret,
            allowed_updates=ALLOWED_UPDATES,
        )
        log.info("Webhook set: updates come to %s", settings.webhook_path)
        await stop.wait()
        await server.stop()
    finally:
        await server.stop()
        await _stopped(application)
    return server


async def serve(application: Bot, engine: Engine, settings: Settings) -> None:
    stop = asyncio.Event()
    stop_on_signals(stop)
    if settings.telegram_webhook_url:
        await serve_webhook(application, engine, settings, stop)
    elif settings.webapp_url:
        host, port = settings.webapp_host_port
        await poll(
            application, engine, stop, PageServer(pages_of(application, settings), host, port)
        )
    else:
        await poll(application, engine, stop)
