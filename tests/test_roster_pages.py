"""The roster page over HTTP: a real listener on 127.0.0.1 (bot.webapp), a real database
with the sample roster; signed in, refused, paged, sorted, filtered and edited as an admin
would, with what /edit says and what the audit log keeps."""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator
from html import unescape
from typing import Any
from urllib.parse import parse_qsl, urlencode

import aiohttp
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.webapp import CONTENT_SECURITY_POLICY, Pages, PageServer
from handlers.services import Services
from handlers.web import PageAccess
from knowledge.base import KnowledgeBase
from knowledge.reading.init_data import signed
from knowledge.writing.i18n import speaking
from knowledge.writing.render import render
from knowledge.writing.replies import RosterChange, Template
from storage import roster_table
from storage.models import AuditEntry, Influencer
from storage.roster_changes import check_edit
from tests.conftest import ADMIN, TOKEN, USER

HOUR = 3600.0


def init_data(user_id: int, *, age: float = 0.0, language: str = "en", token: str = TOKEN) -> str:
    user = {"id": user_id, "first_name": "Ana", "language_code": language}
    fields = {"auth_date": str(int(time.time() - age)), "user": json.dumps(user)}
    return signed(fields, token)


class Client:
    """A browser without JavaScript: GET and POST against the listener, redirects not
    followed (each is checked)."""

    def __init__(self, http: aiohttp.ClientSession, root: str) -> None:
        self.http, self.root = http, root

    async def get(self, **params: Any) -> tuple[int, str, Any]:
        async with self.http.get(
            f"{self.root}/roster", params=params, allow_redirects=False
        ) as answer:
            return answer.status, await answer.text(), answer.headers

    async def post(self, **form: Any) -> tuple[int, str, Any]:
        async with self.http.post(
            f"{self.root}/roster", data={k: str(v) for k, v in form.items()}, allow_redirects=False
        ) as answer:
            return answer.status, await answer.text(), answer.headers


@pytest.fixture
async def client(engine: Engine, kb: KnowledgeBase) -> AsyncIterator[Client]:
    services = Services(engine=engine, kb=kb, currency="EUR", admin_ids=frozenset({ADMIN}))
    server = PageServer(Pages(services, PageAccess(TOKEN, HOUR)), "127.0.0.1", 0)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            yield Client(http, server.root)
    finally:
        await server.stop()


def handles(page: str) -> list[str]:
    """The handles in the table, in its order."""
    return [unescape(h) for h in re.findall(r'data-column="handle">\s*<a[^>]*>([^<]*)</a>', page)]


def column(page: str, key: str) -> list[str]:
    cells = re.findall(rf'data-column="{key}">\s*(?:<a[^>]*>)?([^<]*?)\s*(?:</a>)?\s*</td>', page)
    return [unescape(c) for c in cells]


async def version_shown(client: Client, engine: Engine, init: str, influencer_id: int) -> str:
    """The version the page shows for one influencer's row (found by their handle)."""
    with Session(engine) as session:
        influencer = session.get(Influencer, influencer_id)
        assert influencer is not None
    _, page, _ = await client.get(init=init, q=influencer.handle, removed="1")
    row = page.partition(f'id="row-{influencer_id}"')[2].partition("</tr>")[0]
    found = re.search(r'name="version" value="(\w+)"', row)
    assert found is not None
    return found[1]


def audit_count(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(AuditEntry)).all())


async def test_forged_expired_or_missing_init_data_is_refused_401(client: Client) -> None:
    good = init_data(ADMIN)
    forged = good.replace("Ana", "Bob")
    for init in ("", forged, init_data(ADMIN, age=HOUR + 60), init_data(ADMIN, token="1:x" * 8)):
        status, body, headers = await client.get(init=init)
        assert status == 401, init
        assert "Not signed in" in body
        assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        assert TOKEN not in body


async def test_a_non_admin_is_refused_403_and_changes_nothing(
    client: Client, engine: Engine
) -> None:
    status, body, _ = await client.get(init=init_data(USER))
    assert status == 403 and "Admins only" in body
    before = audit_count(engine)
    status, _, _ = await client.post(
        init=init_data(USER), action="remove", id=1, version="whatever"
    )
    assert status == 403
    status, _, _ = await client.post(init=init_data(ADMIN, age=2 * HOUR), action="remove", id=1)
    assert status == 401
    assert audit_count(engine) == before
    with Session(engine) as session:
        influencer = session.get(Influencer, 1)
        assert influencer is not None and influencer.active


async def test_the_page_lists_sorts_filters_and_pages(client: Client, engine: Engine) -> None:
    init = init_data(ADMIN)
    status, page, headers = await client.get(init=init)
    assert status == 200
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert headers["Referrer-Policy"] == "no-referrer"
    assert "<script>" not in page and " style=" not in page  # nothing inline
    assert TOKEN not in page
    assert "600 creators" in page and "Page 1 of 24" in page
    assert len(handles(page)) == 25

    _, by_followers, _ = await client.get(init=init, sort="followers", desc="1")
    followers = [int(f.replace(",", "")) for f in column(by_followers, "followers")]
    assert followers == sorted(followers, reverse=True)
    with Session(engine) as session:
        most = max(i.followers for i in session.exec(select(Influencer)).all())
    assert followers[0] == most

    _, filtered, _ = await client.get(init=init, platform="tiktok", country="FR", sort="price")
    assert set(column(filtered, "platform")) == {"TikTok"}
    assert set(column(filtered, "country")) == {"FR"}
    prices = [float(re.sub(r"[^\d.]", "", p)) for p in column(filtered, "price")]
    assert prices == sorted(prices)

    _, last, _ = await client.get(init=init, page=99)
    assert "Page 24 of 24" in last and len(handles(last)) == 600 - 23 * 25
    _, second, _ = await client.get(init=init, page=2)
    assert not set(handles(second)) & set(handles(page))


async def test_past_the_count_limit_the_page_says_more_than(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Matches are counted up to COUNT_LIMIT (or the page asked for): past it the page says
    "more than", shows no last page, and still offers the next one."""
    monkeypatch.setattr(roster_table, "COUNT_LIMIT", 100)
    init = init_data(ADMIN)
    _, page, _ = await client.get(init=init)
    assert "More than 100 creators" in page and "Page 1</span>" in page
    assert 'rel="next"' in page and " of " not in unescape(page.partition('class="pages"')[2])
    _, fifth, _ = await client.get(init=init, page=5)
    assert "More than 125 creators" in fifth and "Page 5</span>" in fifth and 'rel="next"' in fifth
    _, french, _ = await client.get(init=init_data(ADMIN, language="fr"))
    assert "Plus de 100 créateurs" in french
    _, last, _ = await client.get(init=init, page=24)
    assert "600 creators" in last and "Page 24 of 24" in last and 'rel="next"' not in last
    _, few, _ = await client.get(init=init, platform="tiktok", country="FR")
    assert "More than" not in few and " of " in few


async def test_an_edit_edit_refuses_is_refused_with_its_words(
    client: Client, engine: Engine, kb: KnowledgeBase
) -> None:
    init = init_data(ADMIN)
    with Session(engine) as session:
        influencer = session.get(Influencer, 5)
        assert influencer is not None
        check = check_edit(
            session=session,
            influencer=influencer,
            pairs={"followers": "lots"},
            kb=kb,
            currency="EUR",
            roster_niches=[],
        )
        before = influencer.followers
    assert check.problems
    version = await version_shown(client, engine, init, 5)
    audits = audit_count(engine)
    status, body, _ = await client.post(
        init=init, action="edit", id=5, version=version, column="followers", value="lots"
    )
    assert status == 422
    for problem in check.problems:
        assert problem in unescape(body)
    assert audit_count(engine) == audits
    with Session(engine) as session:
        kept = session.get(Influencer, 5)
        assert kept is not None and kept.followers == before


async def test_an_accepted_edit_lands_in_the_audit_log(client: Client, engine: Engine) -> None:
    init = init_data(ADMIN, language="fr")
    version = await version_shown(client, engine, init, 7)
    status, _, headers = await client.post(
        init=init, action="edit", id=7, version=version, column="price", value="250"
    )
    assert status == 303
    with Session(engine) as session:
        influencer = session.get(Influencer, 7)
        assert influencer is not None and influencer.price_cents == 25000
        entry = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    assert entry is not None and entry.action == "edit" and entry.actor_id == ADMIN
    assert entry.after is not None and entry.after["price_per_post"] == "250"
    location = headers["Location"]
    assert dict(parse_qsl(location.partition("?")[2]))["init"] == init
    status, page, _ = await client.get(**dict(parse_qsl(location.partition("?")[2])))
    with speaking("fr"):
        said = render(Template.ROSTER_CHANGED, kind=RosterChange.EDITED, name=influencer.name, id=7)
    assert status == 200 and said in unescape(page)
    # The same version again: the record changed since, nothing is saved twice.
    status, _, _ = await client.post(
        init=init, action="edit", id=7, version=version, column="price", value="300"
    )
    assert status == 409


async def test_remove_then_restore(client: Client, engine: Engine) -> None:
    init = init_data(ADMIN)
    version = await version_shown(client, engine, init, 3)
    status, _, _ = await client.post(init=init, action="remove", id=3, version=version)
    assert status == 303
    with Session(engine) as session:
        influencer = session.get(Influencer, 3)
        assert influencer is not None and not influencer.active
    _, shown, _ = await client.get(init=init, q=influencer.handle, removed="1")
    assert 'id="row-3" class="removed"' in shown
    status, _, _ = await client.post(init=init, action="restore", id=3, version=version)
    assert status == 409  # the version the page showed before the removal
    now = await version_shown(client, engine, init, 3)
    status, _, _ = await client.post(init=init, action="restore", id=3, version=now)
    assert status == 303
    with Session(engine) as session:
        influencer = session.get(Influencer, 3)
        assert influencer is not None and influencer.active
        actions = [e.action for e in session.exec(select(AuditEntry)).all()][-2:]
    assert actions == ["remove", "restore"]


async def test_static_files_only_by_name(client: Client) -> None:
    async with client.http.get(f"{client.root}/static/pages.js") as answer:
        assert answer.status == 200 and "tgWebAppData" in await answer.text()
        assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    for name in ("..%2Froster.html", "nothing.js", "roster.html"):
        async with client.http.get(f"{client.root}/static/{name}") as answer:
            assert answer.status == 404, name


def test_links_keep_the_init_data() -> None:
    """A link's query string carries the signed data on unchanged (as urlencode writes it)."""
    init = init_data(ADMIN)
    assert dict(parse_qsl(urlencode({"init": init})))["init"] == init
