"""The roster page's tools over HTTP (issue 25, part 1): a creator added, a file imported
(previewed, confirmed or cancelled) and the table exported with its filters, on a real
listener on 127.0.0.1 and a real database with the sample roster; each checked against what
the chat's /add, /import and /export say and do. And the page speaks the language the chat
speaks to the admin."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import AsyncIterator
from html import unescape
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.webapp import CONTENT_SECURITY_POLICY, Pages, PageServer
from handlers.context import StateKey
from handlers.roster_page_files import UPLOAD_LIMIT
from handlers.services import Services
from handlers.web import PageAccess
from knowledge.base import KnowledgeBase
from knowledge.reading.matching import slugify
from knowledge.reading.roster_query import RosterQuery
from knowledge.writing.i18n import speaking
from knowledge.writing.render import render
from knowledge.writing.replies import ImportReply, RosterChange, Template
from storage.csv_io import MAX_UPLOAD_BYTES, export_for_spreadsheet
from storage.models import AuditEntry, Influencer
from storage.roster_rows import check_typed_field, header_row, unknown_niche
from storage.state import save_user_data
from tests.conftest import ADMIN, TOKEN, USER
from tests.test_roster_pages import HOUR, audit_count, init_data

NEW = {
    "name": "Nina Fournil",
    "handle": "@nina_fournil",
    "platform": "instagram",
    "niche": "cooking",
    "followers": "24k",
    "engagement_rate": "4.5",
    "price_per_post": "300",
    "country": "FR",
}


class Tools:
    """The page's forms and links as a browser without JavaScript sends them."""

    def __init__(self, http: aiohttp.ClientSession, root: str) -> None:
        self.http, self.root = http, root

    async def get(self, path: str, **params: Any) -> tuple[int, str, Any]:
        async with self.http.get(
            f"{self.root}/{path}", params=params, allow_redirects=False
        ) as answer:
            return answer.status, await answer.text(), answer.headers

    async def post(self, path: str, data: Any) -> tuple[int, str, Any]:
        async with self.http.post(
            f"{self.root}/{path}", data=data, allow_redirects=False
        ) as answer:
            return answer.status, await answer.text(), answer.headers

    async def upload(
        self, init: str, name: str, content: bytes, kind: str = "text/csv"
    ) -> tuple[int, str, Any]:
        form = aiohttp.FormData()
        form.add_field("init", init)
        form.add_field("file", content, filename=name, content_type=kind)
        return await self.post("roster-import", form)


@pytest.fixture
async def tools(engine: Engine, kb: KnowledgeBase) -> AsyncIterator[Tools]:
    services = Services(engine=engine, kb=kb, currency="EUR", admin_ids=frozenset({ADMIN}))
    server = PageServer(Pages(services, PageAccess(TOKEN, HOUR)), "127.0.0.1", 0)
    await server.start()
    try:
        async with aiohttp.ClientSession() as http:
            yield Tools(http, server.root)
    finally:
        await server.stop()


def said(page: str) -> str:
    """The chat's words the import page shows."""
    found = re.search(r'id="said"[^>]*>(.*?)</div>', page, re.S)
    assert found is not None, page
    return unescape(re.sub(r"<[^>]+>", "", found[1]))


def chat_text(template: Template, **values: Any) -> str:
    return unescape(re.sub(r"<[^>]+>", "", render(template, **values)))


def csv_file(*rows: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header_row())
    for row in rows:
        writer.writerow([row.get(c, "") for c in header_row()])
    return out.getvalue().encode()


def influencer_named(engine: Engine, name: str) -> Influencer | None:
    with Session(engine) as session:
        return session.exec(select(Influencer).where(Influencer.name == name)).first()


def last_audit(engine: Engine) -> AuditEntry:
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).order_by(AuditEntry.id.desc())).first()  # type: ignore[union-attr]
    assert entry is not None
    return entry


async def test_a_creator_added_on_the_page_is_saved_with_its_audit_entry(
    tools: Tools, engine: Engine
) -> None:
    init = init_data(ADMIN)
    status, form, headers = await tools.get("roster-add", init=init)
    assert status == 200 and 'name="price_per_post"' in form
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    status, _, headers = await tools.post("roster-add", {"init": init, "page": "2", **NEW})
    assert status == 303
    added = influencer_named(engine, "Nina Fournil")
    assert added is not None and added.followers == 24_000 and added.price_cents == 30_000
    entry = last_audit(engine)
    assert (entry.action, entry.actor_id, entry.influencer_id) == ("add", ADMIN, added.id)
    query = dict(parse_qsl(headers["Location"].partition("?")[2]))
    assert query["init"] == init and query["page"] == "2"
    _, page, _ = await tools.get("roster", **query)
    words = render(Template.ROSTER_CHANGED, kind=RosterChange.ADDED, name=added.name, id=added.id)
    assert words in unescape(page)


async def test_an_add_is_refused_in_add_s_words_and_saves_nothing(
    tools: Tools, engine: Engine, kb: KnowledgeBase
) -> None:
    init = init_data(ADMIN)
    before = audit_count(engine)
    typed = {**NEW, "followers": "lots", "niche": "knitting circles", "name": ""}
    status, page, _ = await tools.post("roster-add", {"init": init, **typed})
    assert status == 422
    shown = unescape(page)
    refused = check_typed_field("followers", "lots", kb, "EUR", "instagram", [])
    assert refused.problem and refused.problem in shown
    assert unknown_niche("knitting circles", slugify("knitting circles")) in shown
    assert "name “”: is required" in shown.partition("Not saved:")[2].partition("</ul>")[0]
    assert 'value="lots"' in page  # the form keeps what was typed
    with Session(engine) as session:
        taken = session.get(Influencer, 4)
        assert taken is not None
        twin = {**NEW, "handle": taken.handle, "platform": taken.platform}
    status, page, _ = await tools.post("roster-add", {"init": init, **twin})
    assert status == 409
    duplicate = render(
        Template.ROSTER_CHANGED, kind=RosterChange.DUPLICATE, name=taken.name, id=taken.id
    )
    assert duplicate in unescape(page)
    assert audit_count(engine) == before and influencer_named(engine, NEW["name"]) is None
    status, _, _ = await tools.post("roster-add", {"init": init_data(USER), **NEW})
    assert status == 403 and influencer_named(engine, NEW["name"]) is None


async def test_an_import_is_previewed_then_confirmed_as_in_the_chat(
    tools: Tools, engine: Engine
) -> None:
    init = init_data(ADMIN)
    before = audit_count(engine)
    status, page, _ = await tools.upload(init, "new.csv", csv_file(NEW))
    assert status == 200
    preview = said(page)
    assert "Preview of new.csv" in preview and "To add: 1" in preview
    assert audit_count(engine) == before and influencer_named(engine, NEW["name"]) is None
    pending = re.search(r'name="pending" value="(\d+)"', page)
    assert pending is not None
    confirm = {"init": init, "action": "confirm", "pending": pending[1]}
    status, page, _ = await tools.post("roster-import", confirm)
    assert status == 200
    added = influencer_named(engine, NEW["name"])
    assert added is not None
    entry = last_audit(engine)
    assert (entry.action, entry.actor_id) == ("import", ADMIN)
    assert entry.summary == "new.csv: 1 added, 0 updated, 0 unchanged"
    assert "new.csv" in said(page)
    status, _, _ = await tools.post("roster-import", confirm)
    assert status == 409  # a Confirm works once
    assert audit_count(engine) == before + 1


async def test_a_cancelled_import_changes_nothing(tools: Tools, engine: Engine) -> None:
    init = init_data(ADMIN)
    before = audit_count(engine)
    _, page, _ = await tools.upload(init, "new.csv", csv_file(NEW))
    pending = re.search(r'name="pending" value="(\d+)"', page)
    assert pending is not None
    cancel = {"init": init, "action": "cancel", "pending": pending[1]}
    status, page, _ = await tools.post("roster-import", cancel)
    assert status == 200
    assert (
        said(page).strip()
        == chat_text(Template.IMPORT_MESSAGES, kind=ImportReply.CANCELLED).strip()
    )
    confirm = {**cancel, "action": "confirm"}
    status, _, _ = await tools.post("roster-import", confirm)
    assert status == 409
    assert audit_count(engine) == before and influencer_named(engine, NEW["name"]) is None


async def test_files_the_chat_refuses_are_refused_in_its_words(
    tools: Tools, engine: Engine
) -> None:
    init = init_data(ADMIN)
    before = audit_count(engine)
    status, page, _ = await tools.upload(init, "photo.png", b"\x89PNG\r\n", "image/png")
    assert status == 422
    words = chat_text(Template.IMPORT_MESSAGES, kind=ImportReply.NOT_CSV, file_name="photo.png")
    assert said(page).strip() == words.strip()
    status, page, _ = await tools.upload(init, "bad.csv", csv_file({**NEW, "followers": "lots"}))
    assert status == 422 and "lots" in said(page) and "nothing was changed" in said(page)
    too_big = csv_file(NEW) + b"#" * MAX_UPLOAD_BYTES
    status, page, _ = await tools.upload(init, "big.csv", too_big)
    assert status == 422
    assert (
        said(page).strip() == chat_text(Template.IMPORT_MESSAGES, kind=ImportReply.TOO_BIG).strip()
    )
    status, _, _ = await tools.upload(init, "huge.csv", b"x" * (UPLOAD_LIMIT + 1))
    assert status == 413
    status, _, _ = await tools.upload(init_data(USER), "new.csv", csv_file(NEW))
    assert status == 403
    assert audit_count(engine) == before and influencer_named(engine, NEW["name"]) is None


async def test_the_export_is_the_chat_s_csv_of_the_page_s_filters(
    tools: Tools, engine: Engine
) -> None:
    init = init_data(ADMIN)
    filters = {"platform": "tiktok", "country": "FR", "sort": "price"}
    _, page, _ = await tools.get("roster", init=init, **filters)
    export_link = re.search(r'href="(roster-export\?[^"]*)"', page)
    assert export_link is not None
    linked = dict(parse_qsl(unescape(export_link[1]).partition("?")[2]))
    assert linked == {"init": init, **filters}
    async with tools.http.get(f"{tools.root}/roster-export", params=linked) as answer:
        assert answer.status == 200
        assert answer.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
        disposition = answer.headers["Content-Disposition"]
        assert re.fullmatch(r'attachment; filename="roster-\d{8}-\d{4}\.csv"', disposition)
        body = await answer.read()
    expected = io.StringIO()
    with Session(engine) as session:
        count = export_for_spreadsheet(
            session=session,
            out=expected,
            query=RosterQuery(text="", platform="tiktok", country="FR"),
            language="en",
        )
    assert body.decode("utf-8") == expected.getvalue()
    assert 0 < count < 600 and f"{count} creators" in page
    status, _, _ = await tools.get("roster-export", init=init_data(USER))
    assert status == 403


async def test_the_page_speaks_the_language_chosen_in_the_chat(
    tools: Tools, engine: Engine
) -> None:
    init = init_data(ADMIN, language="en")
    _, page, _ = await tools.get("roster", init=init)
    assert '<html lang="en">' in page and "Add a creator" in page
    with Session(engine) as session:
        stored = save_user_data(
            session=session,
            user_id=ADMIN,
            before={},
            after={StateKey.LANGUAGE.value: "fr"},
            version=0,
        )
        assert stored is not None
    _, page, _ = await tools.get("roster", init=init)
    assert '<html lang="fr">' in page and "Ajouter un créateur" in page
    _, form, _ = await tools.get("roster-add", init=init)
    assert "Ajouter un créateur" in form
    with speaking("fr"):
        french = chat_text(Template.IMPORT_MESSAGES, kind=ImportReply.NOT_CSV, file_name="a.png")
    _, page, _ = await tools.upload(init, "a.png", b"\x89PNG", "image/png")
    assert said(page).strip() == french.strip()
