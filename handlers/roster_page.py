"""The roster page (issue 25, part 1), for admins: the roster as a table, searched, filtered
(niche, platform, tier, country, language), sorted on any column and paged by the server,
all driven by the query string (links and forms: it works without JavaScript); a cell edited
in place, checked and said as /edit checks and says it; a creator removed or restored. Every
change goes to the audit log, as from the chat, and the chat's roster is reread at once."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urlencode

from markupsafe import Markup

from handlers.services import Services
from handlers.web import (
    INIT_FIELD,
    PageAccess,
    PageRequest,
    PageResponse,
    page_language,
    signed_in_admin,
)
from knowledge.files.roster_file import roster_labels
from knowledge.reading.init_data import WebAppUser
from knowledge.reading.parsing import parse_id
from knowledge.reading.roster_query import RosterQuery
from knowledge.writing import i18n
from knowledge.writing.i18n import N_, _
from knowledge.writing.render import render
from knowledge.writing.replies import RosterChange, Template
from knowledge.writing.web_pages import render_page
from storage.models import Influencer
from storage.roster_changes import (
    edit_in_place,
    get_influencer,
    influencer_record,
    set_influencer_active,
    version_of,
)
from storage.roster_rows import row_values
from storage.roster_table import SORT_COLUMNS, roster_table

PAGE_SIZE = 25
# The furthest page a link may ask for: past any roster, and its offset within the
# databases' integers (a page of 999999999999999999 overflowed SQLite's: a 500).
LAST_PAGE_ASKED = 1_000_000
# The query string's keys that make the page's state (kept by every link and form).
STATE_KEYS = ("q", "niche", "platform", "tier", "country", "language", "removed", "sort", "desc")
# The field /edit names for each column a cell can be edited in (the tier follows followers).
EDITABLE = {
    "name": "name",
    "handle": "handle",
    "platform": "platform",
    "niche": "niche",
    "followers": "followers",
    "engagement_rate": "engagement_rate",
    "price": "price_per_post",
    "country": "country",
    "language": "language",
}
TIER = N_("Tier")


@dataclass(frozen=True)
class Cell:
    key: str
    text: str
    edit_href: str | None = None
    editing: bool = False
    value: str = ""


@dataclass(frozen=True)
class Row:
    id: int
    version: str
    name: str
    active: bool
    cells: list[Cell]


@dataclass(frozen=True)
class Editing:
    """The cell open for editing, with what was typed and why it was refused."""

    influencer_id: int
    column: str
    value: str | None = None
    problems: list[str] = field(default_factory=list)


def state_of(request: PageRequest) -> dict[str, str]:
    return {k: request.get(k) for k in STATE_KEYS if request.get(k)}


def href_of(init: str, state: Mapping[str, str], path: str = "roster", **changes: str | int) -> str:
    """A link to the page `path` (a sibling of the roster page's), signed in, keeping the
    table's state with `changes` made to it."""
    params = {**state, **{k: str(v) for k, v in changes.items()}}
    return path + "?" + urlencode({INIT_FIELD: init, **{k: v for k, v in params.items() if v}})


def query_of(s: Services, state: Mapping[str, str]) -> RosterQuery:
    a = s.kb.assumptions
    tier = next((t for t in a.tiers if t.name == state.get("tier")), None)
    low, high = a.tier_bounds(tier) if tier is not None else (None, None)
    niche = state.get("niche")
    platform = state.get("platform")
    return RosterQuery(
        text=state.get("q", ""),
        niche=niche if niche in s.roster_niches() else None,
        platform=platform if platform in s.kb.platforms else None,
        min_followers=low,
        max_followers=high,
        include_inactive=state.get("removed") == "1",
        country=state.get("country") or None,
        language=state.get("language") or None,
    )


def _texts(s: Services, i: Influencer) -> dict[str, str]:
    """Each column's text for one influencer, in the language being spoken."""
    return {
        "name": i.name,
        "handle": i.handle,
        "platform": s.labels.platform(i.platform),
        "niche": s.labels.niches(sorted(n.niche for n in i.niches)),
        "tier": s.kb.assumptions.tier_for(i.followers).name,
        "followers": i18n.number(i.followers),
        "engagement_rate": i18n.percent(i.engagement_rate, 2),
        "price": i18n.money(i.price_cents, i.currency),
        "country": i.country or "",
        "language": i.language or "",
    }


def _row(s: Services, i: Influencer, here: str, editing: Editing | None) -> Row:
    """One influencer's row; `here` is the page's own link, which each cell's edit link
    extends (built once: the signed data makes it long)."""
    assert i.id is not None
    values = row_values(influencer_record(i))
    cells = []
    for key, text in _texts(s, i).items():
        if key not in EDITABLE or not i.active:
            cells.append(Cell(key, text))
            continue
        open_here = editing is not None and (editing.influencer_id, editing.column) == (i.id, key)
        typed = editing.value if open_here and editing and editing.value is not None else None
        value = typed if typed is not None else values[EDITABLE[key]]
        href = f"{here}&edit={i.id}&column={key}#row-{i.id}"
        cells.append(Cell(key, text, href, open_here, value))
    return Row(i.id, version_of(i), i.name, i.active, cells)


def _headers(init: str, state: Mapping[str, str]) -> list[tuple[str, str, str, str]]:
    """(key, label, link, aria-sort order) of each column: a link sorts on it, again the other
    way."""
    labels = {**roster_labels(), "tier": _(TIER), "price": roster_labels()["price_per_post"]}
    sort, descending = state.get("sort", "name"), state.get("desc") == "1"
    found = []
    for key in SORT_COLUMNS:
        flip = "1" if key == sort and not descending else ""
        order = ("descending" if descending else "ascending") if key == sort else "none"
        found.append((key, labels[key], href_of(init, state, sort=key, desc=flip), order))
    return found


def _page(
    s: Services,
    request: PageRequest,
    *,
    editing: Editing | None = None,
    message: str = "",
    status: int = 200,
) -> PageResponse:
    """The table as the request's state asks for it."""
    init, state = request.get(INIT_FIELD), state_of(request)
    sort = state.get("sort", "name") if state.get("sort") in SORT_COLUMNS else "name"
    wanted = min(parse_id(request.get("page")) or 1, LAST_PAGE_ASKED)
    with s.session() as session:
        table = roster_table(
            session=session,
            query=query_of(s, state),
            sort=sort,
            descending=state.get("desc") == "1",
            page=wanted - 1,
            page_size=PAGE_SIZE,
        )
    countries, languages = s.roster.countries_and_languages(s)
    page = table.page + 1
    more = page < table.pages or not table.exact  # not exact: more matches than counted
    here = href_of(init, state, page=page)
    rows = [_row(s, i, here, editing) for i in table.rows]
    body = render_page(
        "roster.html",
        init=init,
        state={k: state.get(k, "") for k in STATE_KEYS},
        hidden=[(INIT_FIELD, init), *state.items(), ("page", str(page))],
        rows=rows,
        headers=_headers(init, state),
        total=table.total,
        exact=table.exact,
        page=page,
        pages=table.pages,
        previous=href_of(init, state, page=page - 1) if page > 1 else None,
        next=href_of(init, state, page=page + 1) if more else None,
        niches=[(n, s.labels.niche(n)) for n in s.roster_niches()],
        platforms=[(p, s.labels.platform(p)) for p in sorted(s.kb.platforms)],
        tiers=[(t.name, t.name) for t in s.kb.assumptions.tiers],
        countries=[(c, c) for c in countries],
        languages=[(c, c) for c in languages],
        cancel=href_of(init, state, page=page),
        add_href=href_of(init, state, "roster-add", page=page),
        export_href=href_of(init, state, "roster-export"),
        problems=editing.problems if editing else [],
        message=Markup(message),
    )
    return PageResponse(status, body)


def _said(s: Services, request: PageRequest) -> str:
    """What the last change came to, as the chat says it (`said` and `who` in the query)."""
    kind, who = request.get("said"), parse_id(request.get("who"))
    if kind not in {k.value for k in RosterChange} or who is None:
        return ""
    with s.session() as session:
        influencer = get_influencer(session=session, influencer_id=who)
    name = influencer.name if influencer is not None else ""
    return render(Template.ROSTER_CHANGED, kind=RosterChange(kind), name=name, id=who)


async def roster_page(s: Services, access: PageAccess, request: PageRequest) -> PageResponse:
    """GET: the table; `edit` and `column` open a cell for editing."""
    user = signed_in_admin(s, access, request)
    if isinstance(user, PageResponse):
        return user
    with i18n.speaking(page_language(s, user)):
        who, column = parse_id(request.get("edit")), request.get("column")
        editing = Editing(who, column) if who is not None and column in EDITABLE else None
        return _page(s, request, editing=editing, message=_said(s, request))


def changed_redirect(request: PageRequest, kind: RosterChange, influencer_id: int) -> PageResponse:
    """After a change: back to the table (303), which says what became of it."""
    state = {**state_of(request), "page": request.get("page")}
    location = href_of(request.get(INIT_FIELD), state, said=kind.value, who=influencer_id)
    return PageResponse(303, location=location)


async def roster_change(s: Services, access: PageAccess, request: PageRequest) -> PageResponse:
    """POST: `action` edit (a cell), remove or restore, for the influencer `id` as the page
    showed it (`version`): a change made meanwhile is refused (409), an edit /edit would
    refuse too (422, with /edit's words), and nothing is saved."""
    user = signed_in_admin(s, access, request)
    if isinstance(user, PageResponse):
        return user
    action, influencer_id = request.get("action"), parse_id(request.get("id"))
    column = request.get("column")
    with i18n.speaking(page_language(s, user)):
        if influencer_id is None or action not in ("edit", "remove", "restore"):
            return _page(s, request, message=render(Template.EXPIRED), status=400)
        if action == "edit" and column in EDITABLE:
            return _edit(s, request, user, influencer_id, column)
        if action == "edit":
            return _page(s, request, message=render(Template.EXPIRED), status=400)
        with s.session() as session:
            changed = set_influencer_active(
                session=session,
                influencer_id=influencer_id,
                active=action == "restore",
                actor_id=user.id,
                version=request.get("version"),
            )
        s.roster.invalidate()
        if changed is None:
            stale = render(Template.ROSTER_CHANGED, kind=RosterChange.STALE)
            return _page(s, request, message=stale, status=409)
        return changed_redirect(request, changed.kind, influencer_id)


def _edit(
    s: Services, request: PageRequest, user: WebAppUser, influencer_id: int, column: str
) -> PageResponse:
    value = request.params.get("value", "")
    with s.session() as session:
        applied = edit_in_place(
            session=session,
            influencer_id=influencer_id,
            version=request.get("version"),
            pairs={EDITABLE[column]: value},
            actor_id=user.id,
            kb=s.kb,
            currency=s.currency,
            roster_niches=s.roster_niches(),
        )
    s.roster.invalidate()
    if applied.problems:
        editing = Editing(influencer_id, column, value, applied.problems)
        return _page(s, request, editing=editing, status=422)
    if applied.kind is RosterChange.STALE:
        stale = render(Template.ROSTER_CHANGED, kind=RosterChange.STALE)
        return _page(s, request, message=stale, status=409)
    return changed_redirect(request, applied.kind, influencer_id)
