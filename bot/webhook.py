"""The webhook server: Telegram (through a reverse proxy that ends TLS) POSTs each update to
the path of TELEGRAM_WEBHOOK_URL; `/healthz` on the same listener tells a load balancer
whether the database answers and how long ago the last update came.

python-telegram-bot's own webhook server (tornado) serves one path and nothing else, so this
one is aiohttp (already a dependency); with WEBAPP_URL set it serves the Mini App's pages too
(bot.webapp). Each update is claimed in the database, then handled,
*before* the request is answered, so the answer tells Telegram what happened: 200 once the
update is claimed (and handled here, or handled already); 503 while the database can't
record the claim (it is down: Telegram sends the update again later, so none is lost), when
it went away while the update was handled (the handling is given up: the user is told
nothing, the claim released, and Telegram's next try handles it in full, here or on another
instance: bot.processing), or while another live instance is handling it; 400 for a body
that is not an update. Telegram sends a chat's next update once the previous one is
answered, so one user's updates are handled one after the other, in order, even when the
load balancer gives them to different instances; an update whose instance dies before
answering is sent again (to the other instance), which takes over its claim. Different
users' updates are handled side by side through the application's update processor, as in
polling.

A body must arrive within READ_SECONDS (a client that sends half of one is answered 408). A
clean stop answers new requests 503 (the proxy or Telegram tries again elsewhere or later),
waits for the updates in flight to be handled, at most STOP_SECONDS, then closes the
listener, cutting any request still being read.
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError
from telegram import Update

from bot.dedup import Claim
from bot.processing import PerUserUpdateProcessor
from handlers.context import Bot

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY = 1024 * 1024
READ_SECONDS = 10.0
STOP_SECONDS = 10.0
# At a stop, what is left of requests still sending their body is cut after this long.
CUT_SECONDS = 1.0


def database_answers(engine: Engine) -> bool:
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError:
        return False
    return True


class ListenFailed(Exception):
    """The webhook server could not take its address (a port in use, say): one line."""


async def listen(runner: web.AppRunner, host: str, port: int, setting: str) -> int:
    """Set `runner` up and serve it on `host`:`port`; the port bound (0 asked: the one the
    system gave). ListenFailed, the runner cleaned up, when the address can't be taken."""
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as exc:
        await runner.cleanup()
        reason = exc.strerror or str(exc)
        raise ListenFailed(f"Can't listen on {host}:{port} ({setting}): {reason}.") from None
    return int(runner.addresses[0][1])


def _is_update(data: Any) -> bool:
    """Whether a body has an update's shape: an object with a whole-number `update_id`."""
    return isinstance(data, dict) and type(data.get("update_id")) is int


class WebhookServer:
    def __init__(
        self,
        application: Bot,
        engine: Engine,
        *,
        path: str,
        host: str,
        port: int,
        secret: str,
        pages: Callable[[web.Application], None] | None = None,
    ) -> None:
        """`pages` adds the Mini App's routes (bot.webapp.Pages.add_routes), when it has
        them."""
        self.application = application
        self.engine = engine
        self.path = path
        self.host = host
        self.port = port
        self._secret = secret.encode()
        self._pages = pages
        self._runner: web.AppRunner | None = None
        self._in_flight = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self._stopping = False
        self.last_update_at: float | None = None
        self.handled = 0

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_BODY)
        app.router.add_post(self.path, self._update)
        app.router.add_get("/healthz", self._health)
        if self._pages is not None:
            self._pages(app)
        runner = web.AppRunner(
            app, access_log=None, handle_signals=False, shutdown_timeout=CUT_SECONDS
        )
        self.port = await listen(runner, self.host, self.port, "WEBHOOK_LISTEN")
        self._runner = runner
        log.info("Webhook listening on %s:%s%s", self.host, self.port, self.path)

    async def stop(self) -> None:
        """Refuse new updates, finish those in flight, close the listener."""
        self._stopping = True
        try:
            await asyncio.wait_for(self._idle.wait(), STOP_SECONDS)
        except TimeoutError:
            log.warning("%s update(s) still in flight at stop", self._in_flight)
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self._secret):
            return web.Response(status=403)
        if self._stopping:
            return web.Response(status=503)
        try:
            async with asyncio.timeout(READ_SECONDS):
                body = await request.read()
        except TimeoutError:
            return web.Response(status=408)
        update = self._parsed(body)
        if update is None:
            return web.Response(status=400)
        self.last_update_at = time.monotonic()
        self._in_flight += 1
        self._idle.clear()
        try:
            return await self._claimed_and_handled(update)
        finally:
            self._in_flight -= 1
            if not self._in_flight:
                self._idle.set()

    def _parsed(self, body: bytes) -> Update | None:
        """The update in a request's body; None for a body that is not one."""
        try:
            data: Any = json.loads(body)
            if not _is_update(data):
                return None
            return Update.de_json(data, self.application.bot)
        except (ValueError, TypeError, KeyError, AttributeError):  # not JSON, not UTF-8…
            return None

    async def _claimed_and_handled(self, update: Update) -> web.Response:
        processor = self.application.update_processor
        assert isinstance(processor, PerUserUpdateProcessor)
        try:
            claim = await processor.claim(update)
        except SQLAlchemyError as exc:
            log.warning("Update %s not claimed, answered 503: %s", update.update_id, exc)
            return web.Response(status=503)
        if claim is Claim.ELSEWHERE:
            return web.Response(status=503)
        if claim is Claim.WON:
            if not await processor.answer(update, self.application.process_update(update)):
                log.warning(
                    "Update %s given up (database unreachable), answered 503", update.update_id
                )
                return web.Response(status=503)
            self.handled += 1
        return web.Response(status=200)

    async def _health(self, _request: web.Request) -> web.Response:
        database = await asyncio.to_thread(database_answers, self.engine)
        age = None if self.last_update_at is None else time.monotonic() - self.last_update_at
        body = {
            "status": "ok" if database else "unavailable",
            "database": "ok" if database else "unreachable",
            "last_update_seconds_ago": None if age is None else round(age, 1),
            "updates_handled": self.handled,
            "stopping": self._stopping,
        }
        return web.json_response(body, status=200 if database and not self._stopping else 503)
