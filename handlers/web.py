"""What the Mini App's page handlers share: a request as they see it (its parameters, the
bot's HTTP listener having read the query string and the form), their answer, and the
sign-in every request passes first: its `initData` checked (401 when missing, forged or too
old), then the user's admin rights for an admin page (403), both changing nothing."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from telegram import Bot

from handlers.services import Services
from knowledge.reading.init_data import InitDataRefused, WebAppUser, read_init_data
from knowledge.writing import i18n
from knowledge.writing.web_pages import render_page
from storage.admin import is_admin

log = logging.getLogger(__name__)
INIT_FIELD = "init"


@dataclass(frozen=True)
class PageRequest:
    """A page request: GET's query string, or POST's form (the listener merges them)."""

    params: Mapping[str, str]
    method: str = "GET"

    def get(self, key: str) -> str:
        return self.params.get(key, "").strip()


@dataclass(frozen=True)
class PageResponse:
    """An HTML page with its status, or a redirect (303 to `location`)."""

    status: int
    body: str = ""
    location: str | None = None


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
        with i18n.speaking(i18n.language_for(None, user.language_code)):
            return refused(403, "not_admin")
    return user
