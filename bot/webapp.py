"""The Mini App's pages on the bot's own HTTP listener (aiohttp, as the webhook): the webhook
listener serves them beside the hook, and in polling mode a listener of their own does when
WEBAPP_URL is set (the sandbox always starts one, on 127.0.0.1).

This is wiring only: each route reads the request into a `handlers.web.PageRequest`, calls
its page handler (which checks initData and rights, then reads or changes the roster) and
sends its answer with the same security headers on every response: a strict
Content-Security-Policy (this listener's own stylesheet and script, nothing inline, nothing
from elsewhere), no referrer (the signed initData rides in the query string), no caching
and no sniffing. Bodies are size-limited: a form to 64 KB, a form with a file to the route's
own limit (the roster's import: handlers.roster_page_files.UPLOAD_LIMIT), read as it comes.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from aiohttp import BodyPartReader, hdrs, web

from bot.settings import Settings
from bot.webhook import listen
from handlers.context import Bot
from handlers.plan_page import plan_change, plan_page
from handlers.roster_page import roster_change, roster_page
from handlers.roster_page_add import add_creator, add_page
from handlers.roster_page_files import UPLOAD_LIMIT, export_file, import_file
from handlers.services import SERVICES_KEY, Services
from handlers.web import Attachment, PageAccess, PageRequest, PageResponse, Upload
from knowledge.writing.web_pages import static_file

log = logging.getLogger(__name__)
MAX_FORM = 64 * 1024
# A multipart form is read in chunks of this size, up to this many parts.
CHUNK = 64 * 1024
MAX_PARTS = 32
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
        app.router.add_get(f"{self.prefix}/roster-add", self._route(add_page))
        app.router.add_post(f"{self.prefix}/roster-add", self._route(add_creator))
        app.router.add_post(f"{self.prefix}/roster-import", self._route(import_file, UPLOAD_LIMIT))
        app.router.add_get(f"{self.prefix}/roster-export", self._route(export_file))
        app.router.add_get(f"{self.prefix}/plan", self._route(plan_page))
        app.router.add_post(f"{self.prefix}/plan", self._route(plan_change))
        app.router.add_get(f"{self.prefix}/static/{{name}}", self._static)
        # Every answer of this listener carries them, those aiohttp makes itself too (an
        # unknown path, a method not allowed, an error): a tester found them bare.
        app.on_response_prepare.append(_secure_prepared)

    def _route(
        self, handler: PageHandler, limit: int = MAX_FORM
    ) -> Callable[[web.Request], Awaitable[web.StreamResponse]]:
        async def route(request: web.Request) -> web.StreamResponse:
            params = dict(request.query)
            files: dict[str, Upload] = {}
            if request.method == "POST":
                if (request.content_length or 0) > limit:
                    return _secured(web.Response(status=413, text="Too large."))
                if request.content_type == "multipart/form-data":
                    read = await _multipart(request, limit)
                    if read is None:
                        return _secured(web.Response(status=413, text="Too large."))
                    params.update(read[0])
                    files = read[1]
                else:
                    form = await request.post()
                    params.update({k: v for k, v in form.items() if isinstance(v, str)})
            page_request = PageRequest(params, request.method, files)
            answer = await handler(self.services, self.access, page_request)
            if answer.attachment is not None:
                return await _download(request, answer.attachment)
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


async def _secure_prepared(_request: web.Request, response: web.StreamResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)


def _secured(response: web.Response) -> web.Response:
    response.headers.update(SECURITY_HEADERS)
    return response


async def _multipart(
    request: web.Request, limit: int
) -> tuple[dict[str, str], dict[str, Upload]] | None:
    """A multipart form's fields and files, read as they come; None past `limit` bytes (or
    MAX_PARTS parts): never more is held."""
    fields: dict[str, str] = {}
    files: dict[str, Upload] = {}
    reader = await request.multipart()
    left = limit
    for _ in range(MAX_PARTS):
        part = await reader.next()
        if part is None:
            return fields, files
        if not isinstance(part, BodyPartReader) or part.name is None:
            continue
        data = bytearray()
        while chunk := await part.read_chunk(CHUNK):
            left -= len(chunk)
            if left < 0:
                return None
            data.extend(chunk)
        if part.filename is None:
            fields[part.name] = data.decode("utf-8", "replace")
        else:
            kind = part.headers.get(hdrs.CONTENT_TYPE)
            files[part.name] = Upload(part.filename, kind, bytes(data))
    return None


async def _download(request: web.Request, attachment: Attachment) -> web.StreamResponse:
    """A file sent as a download, in chunks, with the pages' security headers; then closed."""
    response = web.StreamResponse(
        headers={
            **SECURITY_HEADERS,
            "Content-Type": f"{attachment.content_type}; charset=utf-8",
            "Content-Disposition": f'attachment; filename="{attachment.name}"',
        }
    )
    try:
        await response.prepare(request)
        while chunk := await asyncio.to_thread(attachment.data.read, CHUNK):
            await response.write(chunk)
        await response.write_eof()
    finally:
        attachment.data.close()
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
