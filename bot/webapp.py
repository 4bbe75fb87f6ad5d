"""The Mini App's pages on the bot's own HTTP listener (aiohttp, as the webhook): the webhook
listener serves them beside the hook, and in polling mode a listener of their own does when
WEBAPP_URL is set (the sandbox always starts one, on 127.0.0.1).

This is wiring only: each route reads the request into a `handlers.web.PageRequest`, calls
its page handler (which checks initData and rights, then reads or changes the roster) and
sends its answer with the same security headers on every response: a strict
Content-Security-Policy (this listener's own stylesheet and script, nothing inline, nothing
from elsewhere), no referrer (the signed initData rides in the query string), no caching
and no sniffing. Bodies are size-limited.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from aiohttp import web

from bot.settings import Settings
from bot.webhook import listen
from handlers.context import Bot
from handlers.plan_page import plan_change, plan_page
from handlers.roster_page import roster_change, roster_page
from handlers.services import SERVICES_KEY, Services
from handlers.web import PageAccess, PageRequest, PageResponse
from knowledge.writing.web_pages import static_file

log = logging.getLogger(__name__)
MAX_FORM = 64 * 1024
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        # Telegram Web shows a Mini App in a frame; its apps, in a web view.
        "frame-ancestors 'self' https://web.telegram.org",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
PageHandler = Callable[[Services, PageAccess, PageRequest], Awaitable[PageResponse]]


class Pages:
    """The pages' routes, for the services and the token of one running bot."""

    def __init__(self, services: Services, access: PageAccess, prefix: str = "/app") -> None:
        self.services = services
        self.access = access
        self.prefix = prefix.rstrip("/")

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get(f"{self.prefix}/roster", self._route(roster_page))
        app.router.add_post(f"{self.prefix}/roster", self._route(roster_change))
        app.router.add_get(f"{self.prefix}/plan", self._route(plan_page))
        app.router.add_post(f"{self.prefix}/plan", self._route(plan_change))
        app.router.add_get(f"{self.prefix}/static/{{name}}", self._static)

    def _route(self, handler: PageHandler) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def route(request: web.Request) -> web.Response:
            params = dict(request.query)
            if request.method == "POST":
                if (request.content_length or 0) > MAX_FORM:
                    return _secured(web.Response(status=413, text="Too large."))
                form = await request.post()
                params.update({k: v for k, v in form.items() if isinstance(v, str)})
            answer = await handler(self.services, self.access, PageRequest(params, request.method))
            if answer.location is not None:
                return _secured(web.Response(status=303, headers={"Location": answer.location}))
            return _secured(
                web.Response(status=answer.status, text=answer.body, content_type="text/html")
            )

        return route

    async def _static(self, request: web.Request) -> web.Response:
        found = static_file(request.match_info["name"])
        if found is None:
            return _secured(web.Response(status=404, text="Not found."))
        body, kind = found
        return _secured(web.Response(body=body, content_type=kind, charset="utf-8"))


def pages_of(application: Bot, settings: Settings) -> Pages:
    """The pages of a built application: its services, its token to check initData with,
    its bot to send to the chat with."""
    access = PageAccess(application.bot.token, float(settings.webapp_max_age), application.bot)
    return Pages(application.bot_data[SERVICES_KEY], access, settings.webapp_path)


def _secured(response: web.Response) -> web.Response:
    response.headers.update(SECURITY_HEADERS)
    return response


class PageServer:
    """A listener of the pages' own (polling mode and the sandbox)."""

    def __init__(self, pages: Pages, host: str, port: int) -> None:
        self.pages = pages
        self.host = host
        self.port = port
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application(client_max_size=MAX_FORM)
        self.pages.add_routes(app)
        runner = web.AppRunner(app, access_log=None, handle_signals=False)
        self.port = await listen(runner, self.host, self.port, "WEBAPP_LISTEN")
        self._runner = runner
        log.info("Pages listening on %s:%s%s", self.host, self.port, self.pages.prefix)

    @property
    def root(self) -> str:
        """The pages' local address (`http://127.0.0.1:8090/app`)."""
        return f"http://{self.host}:{self.port}{self.pages.prefix}"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
