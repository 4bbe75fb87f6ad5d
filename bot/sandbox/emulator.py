"""A local Telegram Bot API emulator on 127.0.0.1, for the sandbox, tests and benchmarks.

It speaks the HTTP API that python-telegram-bot calls (`{root}/bot{token}/{method}`,
form-encoded bodies whose non-text fields are JSON strings, files under
`{root}/file/bot{token}/{path}`) and lets a caller play the user: send text, stickers,
photos and documents, press buttons, and read what the bot sent. Like Telegram, it
refuses malformed HTML and messages over 4,096 characters (counted in UTF-16 units),
answers 409 Conflict to a getUpdates while another one is waiting (a second bot process
polling the same token) or while a webhook is set, and once a webhook is set (setWebhook)
POSTs each update there with the secret-token header instead.

Webhook delivery plays Telegram and the load balancer in front of the bot's instances: the
updates of one chat go one at a time, each only after the previous one was answered, those
of different chats side by side (up to `max_connections`); each goes to the next instance in
turn (`webhook_backends`, the addresses behind the public URL) and, if that one fails
(refused, reset, an error status), to the next, a bounded number of times.

For fault tests it can also answer a method with an error or late (`fail`), stop accepting
connections for a while (`go_offline`, `go_online`) and deliver an update a second time
(`replay`), as Telegram does when a bot stopped before confirming it.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from aiohttp import ClientError, ClientSession, ClientTimeout, web

MAX_TEXT = 4096
MAX_CAPTION = 1024
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram keeps trying an update for hours; the emulator for about a minute (0.05 s, 0.1 s,
# 0.2 s, then every 0.5 s), long enough for an instance killed and the database back.
WEBHOOK_TRIES = 130
WEBHOOK_RETRY_SECONDS = (0.05, 0.1, 0.2, 0.5)
CONFLICT_POLLING = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance "
    "is running"
)
CONFLICT_WEBHOOK = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
    "delete the webhook first"
)
JSON_FIELDS = {
    "reply_markup",
    "entities",
    "caption_entities",
    "commands",
    "scope",
    "allowed_updates",
    "link_preview_options",
    "reply_parameters",
    "media",
}
ALLOWED_TAGS = {
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
}
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)")
_BARE_LESS_THAN = re.compile(r"<(?!/?[a-zA-Z][\w-]*(?:\s[^<>]*)?>)")


class ApiError(Exception):
    def __init__(self, code: int, description: str, retry_after: int | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.retry_after = retry_after


@dataclass
class Fault:
    """How the emulator answers calls of `method` (case-insensitive) while `times` lasts
    (None: until cleared): after `delay` seconds, with the error `status` and `description`
    (and `retry_after` for a 429), or as usual when `status` is None."""

    method: str
    status: int | None = None
    description: str = ""
    retry_after: int | None = None
    delay: float = 0.0
    times: int | None = 1


class _HtmlToText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            raise ApiError(
                400, f'Bad Request: can\'t parse entities: unsupported start tag "{tag}"'
            )
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise ApiError(400, f'Bad Request: can\'t parse entities: unexpected end tag "{tag}"')
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(html: str) -> str:
    """The plain text Telegram shows for an HTML-formatted message; ApiError if malformed."""
    if _BARE_AMPERSAND.search(html) or _BARE_LESS_THAN.search(html):
        raise ApiError(400, "Bad Request: can't parse entities: unescaped & or <")
    parser = _HtmlToText()
    parser.feed(html)
    parser.close()
    if parser.open:
        raise ApiError(400, f"Bad Request: can't parse entities: unclosed tag {parser.open[-1]}")
    return "".join(parser.parts)


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


BUTTON_KINDS = {
    "url",
    "callback_data",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
}
MAX_COPY_TEXT = 256
BUTTON_URL_SCHEMES = ("http://", "https://", "tg://")


def _check_button(button: dict[str, Any]) -> None:
    """Refuse an inline button as Telegram does: not exactly one kind, callback data over 64
    bytes, a copy-text outside 1-256 characters, a link that is not http(s) or tg (a
    `mailto:` button is refused)."""
    kinds = BUTTON_KINDS & set(button)
    if len(kinds) != 1 or not str(button.get("text", "")).strip():
        raise ApiError(400, "Bad Request: can't parse inline keyboard button")
    if "callback_data" in kinds and not 1 <= len(str(button["callback_data"]).encode()) <= 64:
        raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    if "copy_text" in kinds:
        copied = button["copy_text"]
        text = copied.get("text") if isinstance(copied, dict) else None
        if not isinstance(text, str) or not 1 <= _utf16_len(text) <= MAX_COPY_TEXT:
            raise ApiError(400, "Bad Request: COPY_TEXT_INVALID")
    if "url" in kinds and not str(button["url"]).lower().startswith(BUTTON_URL_SCHEMES):
        raise ApiError(400, "Bad Request: BUTTON_URL_INVALID")


@dataclass
class BotMessage:
    """A message the bot sent (its latest text and buttons, after any edits)."""

    chat_id: int
    message_id: int
    text: str
    html: str
    buttons: list[list[dict[str, Any]]] = field(default_factory=list)
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None

    def button_texts(self) -> list[str]:
        return [b["text"] for row in self.buttons for b in row]

    def copied(self, text: str) -> str:
        """What a tap on the copy-text button labelled `text` puts on the clipboard (the
        bot is told nothing)."""
        return str(self.button(text)["copy_text"]["text"])

    def button(self, text: str) -> dict[str, Any]:
        for row in self.buttons:
            for b in row:
                if b["text"] == text:
                    return b
        raise KeyError(f"no button {text!r} in {self.button_texts()}")


@dataclass
class Event:
    """Something the bot did in a chat: `send`, `edit` or `answer` (a callback answer)."""

    kind: str
    chat_id: int
    message: BotMessage | None = None
    text: str | None = None
    at: float = field(default_factory=time.monotonic)


class BotApiEmulator:
    def __init__(
        self,
        token: str,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        flood_limit: int | None = None,
        latency: float = 0.0,
    ) -> None:
        """`flood_limit`: answer 429 (retry after 1 s) past that many messages in a second.
        `latency`: seconds each call but getUpdates takes to answer, as Telegram's round trip
        would (for benchmarks; 0 answers at once)."""
        self.token = token
        self.flood_limit = flood_limit
        self.latency = latency
        self.gates: dict[int, asyncio.Event] = {}
        self.held: dict[int, int] = {}
        self._recent_sends: list[float] = []
        self.host = host
        self.port = port
        self.bot_user = {
            "id": int(token.split(":")[0]),
            "is_bot": True,
            "first_name": "Advisor",
            "username": "advisor_sandbox_bot",
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }
        self.updates: list[dict[str, Any]] = []
        self.messages: dict[tuple[int, int], BotMessage] = {}
        self.events: list[Event] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.menu_buttons: dict[int, dict[str, Any]] = {}  # setChatMenuButton, by chat
        # The language of each user's Telegram (`language_code` of their updates; default en).
        self.user_languages: dict[int, str] = {}
        self.files: dict[str, bytes] = {}
        self.blocked_users: set[int] = set()
        self.method_calls: dict[str, int] = {}
        self.listeners: list[Callable[[Event], None]] = []
        # Update ids go up from the time the emulator starts, as Telegram's go up, so that a
        # bot remembering the ids it handled (bot.dedup) never takes a new update for an old
        # one after a restart of the sandbox.
        self._update_ids = itertools.count(time.time_ns() // 1000)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._callback_users: dict[str, int] = {}
        self._file_ids = itertools.count(1)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self.polls_released = False
        self._polling: list[web.Request] = []
        self.conflicts = 0
        # Webhook delivery (see the module's docstring).
        self.webhook: dict[str, Any] | None = None
        self.webhook_backends: list[str] = []
        self.max_connections = 40
        self.webhook_log: list[tuple[int, str, int | str]] = []
        self._next_backend = itertools.count()
        self._chat_queues: dict[int, deque[dict[str, Any]]] = {}
        self._webhook_tasks: set[asyncio.Task[None]] = set()
        self._connections: asyncio.Semaphore | None = None
        self._client: ClientSession | None = None
        self.faults: list[Fault] = []
        self.offline = False
        self._replays: list[dict[str, Any]] = []

    # ---- server lifecycle ----
    @property
    def root(self) -> str:
        return f"http://{self.host}:{self.port}"

    async def start(self) -> str:
        app = web.Application(client_max_size=60 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self.offline = False
        return self.root

    async def stop(self) -> None:
        for task in list(self._webhook_tasks):
            task.cancel()
        await asyncio.gather(*self._webhook_tasks, return_exceptions=True)
        if self._client is not None:
            await self._client.close()
            self._client = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def go_offline(self) -> None:
        """Stop listening and drop every open connection: the bot's requests now fail with
        "connection refused" (they surely never reach the server) until `go_online`."""
        await self.stop()
        self.offline = True

    async def go_online(self) -> None:
        """Listen again, on the same port."""
        await self.start()

    def fail(
        self,
        method: str,
        status: int | None = None,
        description: str = "",
        *,
        retry_after: int | None = None,
        delay: float = 0.0,
        times: int | None = 1,
    ) -> Fault:
        """Answer the next `times` calls of `method` as `Fault` says (see there)."""
        fault = Fault(method.lower(), status, description, retry_after, delay, times)
        self.faults.append(fault)
        return fault

    def _fault_for(self, method: str) -> Fault | None:
        for fault in self.faults:
            if fault.method == method.lower():
                if fault.times is not None:
                    fault.times -= 1
                    if fault.times <= 0:
                        self.faults.remove(fault)
                return fault
        return None

    async def __aenter__(self) -> BotApiEmulator:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    def hold(self, chat_id: int) -> asyncio.Event:
        """Keep the bot's calls about `chat_id` waiting (a slow network for that chat) until
        the returned event is set; `held[chat_id]` counts the calls waiting."""
        return self.gates.setdefault(chat_id, asyncio.Event())

    async def _wait_before_answering(self, method: str, params: dict[str, Any]) -> None:
        if method.lower() == "getupdates":
            return
        if self.latency:
            await asyncio.sleep(self.latency)
        chat = str(params.get("chat_id", ""))
        chat_id = int(chat) if chat.lstrip("-").isdigit() else None
        gate = self.gates.get(chat_id) if chat_id is not None else None
        if chat_id is None or gate is None or gate.is_set():
            return
        async with self._changed:
            self.held[chat_id] = self.held.get(chat_id, 0) + 1
            self._changed.notify_all()
        await gate.wait()
        self.held[chat_id] -= 1

    async def release_long_polls(self, released: bool = True) -> None:
        """Answer waiting (and later) getUpdates at once, so a bot can stop without delay."""
        async with self._changed:
            self.polls_released = released
            self._changed.notify_all()

    # ---- playing the user ----
    def _user(self, user_id: int) -> dict[str, Any]:
        return {
            "id": user_id,
            "is_bot": False,
            "first_name": f"User{user_id}",
            "language_code": self.user_languages.get(user_id, "en"),
        }

    def _chat(self, user_id: int) -> dict[str, Any]:
        return {"id": user_id, "type": "private", "first_name": f"User{user_id}"}

    async def replay(self, update: dict[str, Any]) -> None:
        """Deliver `update` again, with its own update_id, even though the bot confirmed it
        (as Telegram does after a bot stopped before confirming what it had received)."""
        async with self._changed:
            self._replays.append(update)
            self._changed.notify_all()

    async def _push(self, update: dict[str, Any]) -> dict[str, Any]:
        update["update_id"] = next(self._update_ids)
        if self.webhook is not None:
            self._post_later(update)
            return update
        async with self._changed:
            self.updates.append(update)
            self._changed.notify_all()
        return update

    # ---- webhook delivery ----
    def route_webhook(self, backends: list[str], max_connections: int = 40) -> None:
        """The addresses behind the webhook's public URL (`http://127.0.0.1:8081/hook`…),
        tried in turn."""
        self.webhook_backends = list(backends)
        self.max_connections = max_connections

    @staticmethod
    def _update_chat(update: dict[str, Any]) -> int:
        message = update.get("message") or (update.get("callback_query") or {}).get("message")
        if message is not None:
            return int(message["chat"]["id"])
        return int((update.get("callback_query") or {}).get("from", {}).get("id", 0))

    def _post_later(self, update: dict[str, Any]) -> None:
        chat = self._update_chat(update)
        queue = self._chat_queues.get(chat)
        if queue is not None:  # that chat's previous update is not answered yet
            queue.append(update)
            return
        self._chat_queues[chat] = deque([update])
        task = asyncio.get_running_loop().create_task(self._deliver_chat(chat))
        self._webhook_tasks.add(task)
        task.add_done_callback(self._webhook_tasks.discard)

    async def _deliver_chat(self, chat: int) -> None:
        queue = self._chat_queues[chat]
        try:
            while queue:
                await self._post(queue[0])
                queue.popleft()
        finally:
            del self._chat_queues[chat]

    async def _post(self, update: dict[str, Any]) -> None:
        if self._connections is None:
            self._connections = asyncio.Semaphore(self.max_connections)
        if self._client is None:
            self._client = ClientSession(timeout=ClientTimeout(total=120))
        webhook = self.webhook or {}
        headers = {SECRET_HEADER: webhook["secret"]} if webhook.get("secret") else {}
        async with self._connections:
            for attempt in range(WEBHOOK_TRIES):
                backends = self.webhook_backends or [webhook.get("url", "")]
                backend = backends[next(self._next_backend) % len(backends)]
                outcome: int | str
                try:
                    async with self._client.post(backend, json=update, headers=headers) as answer:
                        outcome = answer.status
                except (ClientError, TimeoutError) as exc:
                    outcome = type(exc).__name__
                self.webhook_log.append((update["update_id"], backend, outcome))
                if outcome == 200:
                    return
                if isinstance(outcome, int) and 400 <= outcome < 500 and outcome != 429:
                    return  # refused for good (a wrong secret): Telegram drops it too
                delays = WEBHOOK_RETRY_SECONDS
                await asyncio.sleep(delays[min(attempt, len(delays) - 1)])

    async def webhook_idle(self, timeout: float = 30.0) -> None:
        """Wait until every update has been answered by the webhook (TimeoutError after
        `timeout`)."""
        async with asyncio.timeout(timeout):
            while self._webhook_tasks:
                await asyncio.wait(set(self._webhook_tasks))

    def _user_message(
        self, user_id: int, group_id: int | None = None, **content: Any
    ) -> dict[str, Any]:
        chat = (
            {"id": group_id, "type": "group", "title": "A group"}
            if group_id is not None
            else self._chat(user_id)
        )
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": self._user(user_id),
            **content,
        }

    async def send_text(
        self, user_id: int, text: str, group_id: int | None = None
    ) -> dict[str, Any]:
        """The user sends `text` in their private chat with the bot (or in a group)."""
        content: dict[str, Any] = {"text": text}
        command = re.match(r"/[A-Za-z0-9_]+(@\w+)?", text)
        if command:
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": command.end()}]
        return await self._push({"message": self._user_message(user_id, group_id, **content)})

    async def send_sticker(self, user_id: int) -> dict[str, Any]:
        sticker = {
            "file_id": "sticker1",
            "file_unique_id": "s1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return await self._push({"message": self._user_message(user_id, sticker=sticker)})

    async def send_photo(self, user_id: int) -> dict[str, Any]:
        photo = [{"file_id": "photo1", "file_unique_id": "p1", "width": 90, "height": 90}]
        return await self._push({"message": self._user_message(user_id, photo=photo)})

    async def send_document(
        self, user_id: int, file_name: str, data: bytes, mime_type: str = "text/csv"
    ) -> dict[str, Any]:
        file_id = f"doc{next(self._file_ids)}"
        self.files[file_id] = data
        document = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(data),
        }
        return await self._push({"message": self._user_message(user_id, document=document)})

    async def press(self, user_id: int, message: BotMessage, text: str) -> dict[str, Any]:
        """Press the button labelled `text` under `message` (a callback button)."""
        button = message.button(text)
        if "callback_data" not in button:
            raise ValueError(f"{text!r} sends the bot nothing: {sorted(button)}")
        return await self.press_data(user_id, message, button["callback_data"])

    async def press_data(self, user_id: int, message: BotMessage, data: str) -> dict[str, Any]:
        query_id = str(next(self._callback_ids))
        self._callback_users[query_id] = user_id
        query = {
            "id": query_id,
            "from": self._user(user_id),
            "chat_instance": str(user_id),
            "data": data,
            "message": self._message_json(message),
        }
        return await self._push({"callback_query": query})

    # ---- reading what the bot did ----
    def chat_events(self, chat_id: int) -> list[Event]:
        return [e for e in self.events if e.chat_id == chat_id]

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate()` holds, at most `timeout` seconds (then TimeoutError)."""
        async with asyncio.timeout(timeout), self._changed:
            await self._changed.wait_for(predicate)

    # ---- the HTTP side ----
    def _message_json(self, message: BotMessage) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "date": int(time.time()),
            "chat": self._chat(message.chat_id),
            "from": self.bot_user,
        }
        if message.document is not None:
            result["document"] = message.document
        elif message.photo is not None:
            result["photo"] = message.photo
        else:
            result["text"] = message.text
        if message.buttons:
            result["reply_markup"] = {"inline_keyboard": message.buttons}
        return result

    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            params.update(await request.json())
            return params
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    params[key] = {"filename": value.filename, "data": value.file.read()}
                elif key in JSON_FIELDS and isinstance(value, str):
                    params[key] = json.loads(value)
                else:
                    params[key] = value
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        method = request.match_info["method"]
        async with self._changed:
            self.method_calls[method] = self.method_calls.get(method, 0) + 1
            self._changed.notify_all()
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return web.json_response(
                {"ok": False, "error_code": 404, "description": "Not Found"}, status=404
            )
        params = await self._params(request)
        params["_request"] = request
        fault = self._fault_for(method)
        await self._wait_before_answering(method, params)
        try:
            if fault is not None:
                await asyncio.sleep(fault.delay)
                if fault.status is not None:
                    raise ApiError(fault.status, fault.description, fault.retry_after)
            result = await handler(params)
        except ApiError as exc:
            body: dict[str, Any] = {
                "ok": False,
                "error_code": exc.code,
                "description": exc.description,
            }
            if exc.retry_after is not None:
                body["parameters"] = {"retry_after": exc.retry_after}
            return web.json_response(body, status=exc.code)
        return web.json_response({"ok": True, "result": result})

    async def _file(self, request: web.Request) -> web.Response:
        data = self.files.get(request.match_info["path"])
        if request.match_info["token"] != self.token or data is None:
            return web.Response(status=404)
        return web.Response(body=data)

    async def _record(self, event: Event) -> None:
        async with self._changed:
            self.events.append(event)
            self._changed.notify_all()
        for listener in self.listeners:
            listener(event)

    def _chat_id(self, params: dict[str, Any]) -> int:
        try:
            chat_id = int(params["chat_id"])
        except (KeyError, ValueError):
            raise ApiError(400, "Bad Request: chat not found") from None
        if chat_id in self.blocked_users:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat_id

    @staticmethod
    def _text(params: dict[str, Any], key: str = "text") -> tuple[str, str]:
        raw = str(params.get(key, ""))
        text = html_to_text(raw) if params.get("parse_mode") == "HTML" else raw
        if not text.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        if _utf16_len(text) > MAX_TEXT:
            raise ApiError(400, "Bad Request: message is too long")
        return text, raw

    @staticmethod
    def _buttons(params: dict[str, Any]) -> list[list[dict[str, Any]]]:
        markup = params.get("reply_markup") or {}
        rows = markup.get("inline_keyboard", []) if isinstance(markup, dict) else []
        for row in rows:
            for button in row:
                _check_button(button)
        return rows

    async def _api_getme(self, _params: dict[str, Any]) -> dict[str, Any]:
        return self.bot_user

    async def _api_deletewebhook(self, _params: dict[str, Any]) -> bool:
        self.webhook = None
        return True

    async def _api_setwebhook(self, params: dict[str, Any]) -> bool:
        url = str(params.get("url") or "")
        if not url.startswith("https://"):
            raise ApiError(400, "Bad Request: bad webhook: An HTTPS URL must be provided")
        self.webhook = {"url": url, "secret": params.get("secret_token")}
        waiting, self.updates = self.updates, []
        for update in waiting:
            self._post_later(update)
        return True

    async def _api_getupdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        timeout = float(params.get("timeout") or 0)
        request: web.Request = params["_request"]
        if self.webhook is not None:
            raise ApiError(409, CONFLICT_WEBHOOK)
        # A poll whose client went away (a cancelled long poll) no longer counts.
        self._polling = [r for r in self._polling if r.transport and not r.transport.is_closing()]
        if self._polling and not self.polls_released:
            self.conflicts += 1
            raise ApiError(409, CONFLICT_POLLING)
        self._polling.append(request)
        try:
            async with self._changed:
                self.updates = [u for u in self.updates if u["update_id"] >= offset]
                if not self.updates and timeout > 0 and not self.polls_released:
                    try:
                        async with asyncio.timeout(timeout):
                            await self._changed.wait_for(
                                lambda: bool(self.updates or self._replays) or self.polls_released
                            )
                    except TimeoutError:
                        pass
                replays, self._replays = self._replays, []
                return [*replays, *self.updates[: max(0, limit - len(replays))]]
        finally:
            self._polling.remove(request)

    def _flood_check(self) -> None:
        if self.flood_limit is None:
            return
        now = time.monotonic()
        self._recent_sends = [t for t in self._recent_sends if now - t < 1.0]
        if len(self._recent_sends) >= self.flood_limit:
            raise ApiError(429, "Too Many Requests: retry after 1", retry_after=1)
        self._recent_sends.append(now)

    async def _api_sendmessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        self._flood_check()
        text, raw = self._text(params)
        message = BotMessage(chat_id, next(self._message_ids), text, raw, self._buttons(params))
        self.messages[(chat_id, message.message_id)] = message
        await self._record(Event("send", chat_id, message))
        return self._message_json(message)

    def _existing(self, params: dict[str, Any]) -> BotMessage:
        chat_id = self._chat_id(params)
        message = self.messages.get((chat_id, int(params.get("message_id", 0))))
        if message is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return message

    async def _api_editmessagetext(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._existing(params)
        text, raw = self._text(params)
        buttons = self._buttons(params)
        if text == message.text and buttons == message.buttons:
            raise ApiError(400, "Bad Request: message is not modified")
        message.text, message.html, message.buttons = text, raw, buttons
        await self._record(Event("edit", message.chat_id, message))
        return self._message_json(message)

    async def _api_editmessagereplymarkup(self, params: dict[str, Any]) -> dict[str, Any]:
        message = self._existing(params)
        buttons = self._buttons(params)
        if buttons == message.buttons:
            raise ApiError(400, "Bad Request: message is not modified")
        message.buttons = buttons
        await self._record(Event("edit", message.chat_id, message))
        return self._message_json(message)

    async def _api_answercallbackquery(self, params: dict[str, Any]) -> bool:
        chat_id = self._callback_users.get(str(params.get("callback_query_id")))
        if chat_id is None:
            raise ApiError(400, "Bad Request: query is too old and response timeout expired")
        await self._record(Event("answer", chat_id, text=params.get("text")))
        return True

    async def _api_sendchataction(self, params: dict[str, Any]) -> bool:
        self._chat_id(params)
        return True

    @staticmethod
    def _menu_key(params: dict[str, Any]) -> str:
        """`default`, `chat:42`, and `/fr` after either for a language's own menu."""
        scope = params.get("scope") or {"type": "default"}
        key = scope["type"] + (f":{scope['chat_id']}" if "chat_id" in scope else "")
        language = params.get("language_code")
        return f"{key}/{language}" if language else key

    async def _api_setmycommands(self, params: dict[str, Any]) -> bool:
        self.commands[self._menu_key(params)] = list(params.get("commands") or [])
        return True

    async def _api_setchatmenubutton(self, params: dict[str, Any]) -> bool:
        button = params.get("menu_button") or {"type": "default"}
        self.menu_buttons[int(params["chat_id"])] = (
            json.loads(button) if isinstance(button, str) else button
        )
        return True

    async def _api_deletemycommands(self, params: dict[str, Any]) -> bool:
        self.commands.pop(self._menu_key(params), None)
        return True

    async def _api_getfile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params.get("file_id"))
        if file_id not in self.files:
            raise ApiError(400, "Bad Request: invalid file_id")
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self.files[file_id]),
            "file_path": file_id,
        }

    async def _api_senddocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        upload = params.get("document")
        if not isinstance(upload, dict):
            raise ApiError(400, "Bad Request: there is no document in the request")
        file_id = f"out{next(self._file_ids)}"
        self.files[file_id] = upload["data"]
        caption = html_to_text(str(params.get("caption", ""))) if params.get("caption") else ""
        message = BotMessage(
            chat_id,
            next(self._message_ids),
            caption,
            str(params.get("caption", "")),
            self._buttons(params),
            document={
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": upload["filename"],
                "file_size": len(upload["data"]),
            },
        )
        self.messages[(chat_id, message.message_id)] = message
        await self._record(Event("send", chat_id, message))
        return self._message_json(message)

    async def _api_sendphoto(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = self._chat_id(params)
        upload = params.get("photo")
        if not isinstance(upload, dict):
            raise ApiError(400, "Bad Request: there is no photo in the request")
        caption = str(params.get("caption", ""))
        if _utf16_len(html_to_text(caption)) > MAX_CAPTION:
            raise ApiError(400, "Bad Request: message caption is too long")
        file_id = f"out{next(self._file_ids)}"
        self.files[file_id] = upload["data"]
        message = BotMessage(
            chat_id,
            next(self._message_ids),
            html_to_text(caption) if caption else "",
            caption,
            self._buttons(params),
            photo=[
                {
                    "file_id": file_id,
                    "file_unique_id": file_id,
                    "width": 720,
                    "height": 260,
                    "file_size": len(upload["data"]),
                }
            ],
        )
        self.messages[(chat_id, message.message_id)] = message
        await self._record(Event("send", chat_id, message))
        return self._message_json(message)
