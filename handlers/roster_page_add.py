"""The roster page's form to add a creator (issue 25, part 1): the fields /add takes, checked
by the same code as /add (storage.roster_rows.check_new_record) and refused in its words; a
record accepted is saved with its audit entry (actor: the admin), as /add saves it, and the
chat's roster is reread at once."""

from __future__ import annotations

from collections.abc import Mapping

from handlers.roster_page import changed_redirect, href_of, state_of
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
from knowledge.writing import i18n
from knowledge.writing.render import render
from knowledge.writing.replies import RosterChange, Template
from knowledge.writing.web_pages import render_page
from storage.roster_changes import add_influencer
from storage.roster_rows import COLUMNS, REQUIRED, check_new_record

# The form's one checkbox: ticked, it is typed as /add's "yes".
TICKED = "open_to_exclusivity"


def _form(
    s: Services,
    request: PageRequest,
    typed: Mapping[str, str] | None = None,
    problems: list[str] | None = None,
    status: int = 200,
) -> PageResponse:
    init, state = request.get(INIT_FIELD), state_of(request)
    page = request.get("page") or "1"
    labels = roster_labels()
    body = render_page(
        "roster_add.html",
        fields=[(c, labels[c], c in REQUIRED) for c in COLUMNS],
        typed=typed or {},
        platforms=[(p, s.labels.platform(p)) for p in sorted(s.kb.platforms)],
        hidden=[(INIT_FIELD, init), *state.items(), ("page", page)],
        back=href_of(init, state, page=page),
        problems=problems or [],
        currency=s.currency,
    )
    return PageResponse(status, body)


async def add_page(s: Services, access: PageAccess, request: PageRequest) -> PageResponse:
    """GET: the empty form."""
    user = signed_in_admin(s, access, request)
    if isinstance(user, PageResponse):
        return user
    with i18n.speaking(page_language(s, user)):
        return _form(s, request)


async def add_creator(s: Services, access: PageAccess, request: PageRequest) -> PageResponse:
    """POST: the record checked as /add checks it; refused (422, or 409 for a handle already
    held on that platform) with the form as typed and /add's words, else saved and back to
    the table (303), which says "Added"."""
    user = signed_in_admin(s, access, request)
    if isinstance(user, PageResponse):
        return user
    typed = {c: request.get(c) for c in COLUMNS}
    if typed[TICKED]:
        typed[TICKED] = "yes"
    with i18n.speaking(page_language(s, user)):
        checked = check_new_record(typed, s.kb, s.currency, s.roster_niches())
        if checked.item is None:
            return _form(s, request, typed, checked.problems, 422)
        with s.session() as session:
            added = add_influencer(session=session, item=checked.item, actor_id=user.id, kb=s.kb)
        s.roster.invalidate()
        if added.kind is RosterChange.DUPLICATE or added.influencer_id is None:
            said = render(
                Template.ROSTER_CHANGED, kind=added.kind, name=added.name, id=added.influencer_id
            )
            return _form(s, request, typed, [said], 409)
        return changed_redirect(request, added.kind, added.influencer_id)
