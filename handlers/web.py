"""What the Mini App's page handlers share: a request as they see it (its parameters, the
bot's HTTP listener having read the query string and the form), their answer, and the
sign-in every request passes first: its `initData` checked (401 when missing, forged or too
old), then the user's admin rights for an admin page (403), both changing nothing."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import BinaryIO

from telegram import Bot

from handlers.context import UserState
from handlers.services import Services
from knowledge.reading.init_data import InitDataRefused, WebAppUser, read_init_data
from knowledge.writing import i18n
from knowledge.writing.web_pages import render_page
from storage.admin import is_admin
from storage.state import user_data_of

log = logging.getLogger(__name__)
INIT_FIELD = "init"


@dataclass(frozen=True)
class Upload:
    """A file sent with a form: its name, its declared type and its bytes (the listener has
    already refused a body over the route's limit)."""

    name: str
    content_type: str | None
    data: bytes


@dataclass(frozen=True)
class PageRequest:
    """A page request: GET's query string, or POST's form (the listener merges them), with
    the files of a multipart form."""

    params: Mapping[str, str]
    method: str = "GET"
    files: Mapping[str, Upload] = field(default_factory=dict)

    def get(self, key: str) -> str:
        """The parameter as typed, trimmed, without NUL characters (no text of the roster
        holds one, and the search index refused them: a 500)."""
        return self.params.get(key, "").replace("\x00", "").strip()


@dataclass(frozen=True)
class Attachment:
    """A file to download (`Content-Disposition: attachment`), read from `data` (a binary
    file at its start, which the listener streams, then closes)."""

    name: str
    content_type: str
    data: BinaryIO


@dataclass(frozen=True)
class PageResponse:
    """An HTML page with its status, a redirect (303 to `location`), or a file to download."""

    status: int
    body: str = ""
    location: str | None = None
    attachment: Attachment | None = None


@dataclass(frozen=True)
class PageAccess:
    """What checking initData takes: the bot's token (never in a page) and the oldest
    `auth_date` accepted, in seconds; and the bot a page sends to the chat through (the plan
    page's Save; None: the pages send nothing)."""

    token: str
    max_age: float
    bot: Bot | None = None


def refused(status: int, reason: str) -> PageResponse:
    return PageResponse(status, render_page("refused.html", status=status, reason=reason))


def signed_in(s: Services, access: PageAccess, request: PageRequest) -> WebAppUser | PageResponse:
    """The request's user, or the 401 page (which also carries the script that signs in a
    page Telegram has just opened: its initData comes in the address's fragment)."""
    try:
        return read_init_data(
            request.get(INIT_FIELD),
            token=access.token,
            now=s.clock.now().timestamp(),
            max_age=access.max_age,
        )
    except InitDataRefused as exc:
        log.info("Page refused (401): initData %s", exc.reason.value)
        return refused(401, exc.reason.value)


def signed_in_admin(
    s: Services, access: PageAccess, request: PageRequest
) -> WebAppUser | PageResponse:
    """The request's user if an admin now; the 401 or 403 page otherwise."""
    user = signed_in(s, access, request)
    if isinstance(user, PageResponse):
        return user
    with s.session() as session:
        allowed = is_admin(session=session, user_id=user.id, configured=s.admin_ids)
    if not allowed:
        log.warning("Refused the roster page to user %s (403)", user.id)
        with i18n.speaking(page_language(s, user)):
            return refused(403, "not_admin")
    return user


def page_language(s: Services, user: WebAppUser) -> str:
    """The language a page speaks to `user`: the one the chat speaks to them (chosen with
    /language, or the one their latest clear message was written in, as stored with their
    state), else their Telegram's, from initData."""
    with s.session() as session:
        stored, _ = user_data_of(session=session, user_id=user.id)
    return i18n.language_for(UserState(stored).chosen_language, user.language_code)
