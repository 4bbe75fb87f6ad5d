"""What every view of a stored recommendation (the card, Why, Shortlist, Forecast, How) is
rendered with, and which notices and reason the short card leads with."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from knowledge.advice.posts import disclosure_country
from knowledge.advice.stored import (
    Change,
    Json,
    StoredNotice,
    StoredRate,
    StoredRecommendation,
)
from knowledge.base import Fact, KnowledgeBase
from knowledge.writing.outreach import opening_offer_cents
from knowledge.writing.render import Labels, phone_lines, render
from knowledge.writing.replies import Template

# Notices the card shows, most pressing first (at most CARD_NOTICE_LIMIT of them); the others
# are under "Good to know", in Why. The first is the one fact that matters most for the brief.
CARD_NOTICE_ORDER = (
    "no_match",
    "audience_unknown",
    "test",
    "test_too_dear",
    "break_even",
    "roster_lacks",
    "nothing_affordable",
    "none_worth_it",
    "retainer_too_dear",
    "scope_widened",
    "platform_widened",
    "local",
    "unaudited",
    "audience",
    "niche_widened",
    "sample_people",
    "against_strategy",
    "left",
    "ask_margin",
    "countries",
    "over_market",
    "waves",
    "dearer",
    "cpm",
    "regulated",
    "side_widened",
    "big_voice",
)
CARD_NOTICE_LIMIT = 3
WIDENED = ("scope_widened", "platform_widened", "niche_widened")
MINOR_SHARE = 10  # % of the money off the niche or platform asked that is worth less than the rest
CARD_LINES = 12
"""The card fills at most this many phone lines (knowledge.writing.render.PHONE_WIDTH)."""
CARD_PICKS = 3
FINDING_TIPS = 5
"""How many tips for finding creators the "why" view shows when the roster fell short."""


def _on_card(notice: StoredNotice) -> bool:
    p = notice.params
    if notice.code == "break_even":  # only when it says the plan may not pay for itself
        return p.get("reached") in ("maybe", "no")
    if notice.code == "audience":  # only when money goes to other audiences
        return bool(p.get("elsewhere_cents")) or not p.get("on_target_cents")
    return notice.code in CARD_NOTICE_ORDER


def _over_market(stored: StoredRecommendation) -> list[StoredNotice]:
    """Beside money left unspent (not for a test), the creators left out for asking over
    the market price, in one short line: often why the money is left."""
    left, left_out = stored.notice("left"), stored.notice("left_out")
    if left is None or left.params.get("why") == "test" or left_out is None:
        return []
    count = left_out.params.get("counts", {}).get("over_market")
    if not count:
        return []
    params = {"count": count, "multiple": left_out.params.get("over_market_multiple")}
    return [StoredNotice(code="over_market", fact=None, params=params)]


def card_notices(stored: StoredRecommendation) -> list[StoredNotice]:
    """The notices a recommendation's card shows."""
    chosen = [n for n in stored.notices if _on_card(n)]
    if stored.test:  # the test notice says what break-even would
        chosen = [n for n in chosen if n.code != "break_even"]
    if not stored.plan.lines:  # where the plan looked matters only to a plan
        chosen = [n for n in chosen if n.code not in WIDENED]
    chosen += _over_market(stored)
    chosen.sort(key=lambda n: _card_rank(n, stored.plan.budget_cents))
    return chosen[:CARD_NOTICE_LIMIT]


def _card_rank(notice: StoredNotice, budget_cents: int) -> float:
    """A notice's place on the card: CARD_NOTICE_ORDER's, but money left of half the budget
    or more goes before where the plan looked, and a widened search that moved little of the
    money (under MINOR_SHARE %) after the money left (a planner's read: a €400k card led with
    "2 % of the money goes to other niches" above €386k left)."""
    place = CARD_NOTICE_ORDER.index(notice.code)
    if notice.code == "left" and 2 * notice.params.get("left_cents", 0) >= budget_cents:
        return CARD_NOTICE_ORDER.index("scope_widened") - 0.5
    if notice.code in WIDENED and notice.params.get("elsewhere", 100) < MINOR_SHARE:
        return CARD_NOTICE_ORDER.index("left") + 0.5
    return place


def widened_left(stored: StoredRecommendation) -> bool:
    """Money left because the rest would go off the platform or niche asked, on a brief
    that named a platform: the same brief on any platform may place it (a planner's read:
    big budgets left with no next step but "Change an answer")."""
    left = stored.notice("left")
    return bool(stored.brief.platform) and left is not None and left.params.get("why") == "widened"


def lead_reason(stored: StoredRecommendation) -> str | None:
    """The reason the card gives in one sentence: the first one arguing for the side that
    gets most of the money (or for a mix); None when the sources give none for it."""
    side = "macro" if stored.verdict.macro_pct > 50 else "micro"
    for fact_id, favours in stored.reason_sides:
        if favours in (side, "neutral"):
            return fact_id
    return None


def reasons_of(stored: StoredRecommendation, kb: KnowledgeBase) -> list[Fact]:
    """The facts a stored recommendation gives as reasons (those the knowledge base still
    has)."""
    known = {f.id: f for f in kb.facts}
    return [known[i] for i in stored.reasons if i in known]


def view_values(
    stored: StoredRecommendation, kb: KnowledgeBase, changed: Change | None = None
) -> Json:
    """What every view of a stored recommendation is rendered with."""
    lead = lead_reason(stored)
    values: dict[str, Any] = {
        "rec": stored,
        "kb": kb,
        "labels": Labels(kb),
        "reasons": reasons_of(stored, kb),
        "lead": next((f for f in kb.facts if f.id == lead), None),
        "changed": changed,
        "learned": learned_groups(stored),
        # what each first message opens at, where it is under the plan's fee (the shortlist
        # says it beside the price that is high for the people a post reaches)
        "openings": {
            line.id: opening
            for line in stored.plan.lines
            if (opening := opening_offer_cents(line, kb, stored.brief.currency)) is not None
        },
    }
    return values


def learned_groups(stored: StoredRecommendation) -> list[tuple[str, str, list[StoredRate]]]:
    """The owner's measured rates that moved this plan's forecast, per side and platform of
    its lines, in the plan's order (Forecast and How show their weights)."""
    if stored.learning is None:
        return []
    found = []
    for side, platform in dict.fromkeys((line.side, line.platform) for line in stored.plan.lines):
        rates = [r for r in stored.learning.rates if (r.side, r.platform) == (side, platform)]
        if rates:
            found.append((side, platform, rates))
    return found


def why_values(
    stored: StoredRecommendation,
    kb: KnowledgeBase,
    quotes: bool = False,
    original_quotes: bool = False,
) -> Json:
    """What the "why" view adds: tips for finding creators when the roster fell short, the
    sources its reasons come from, whether each reason shows its source's words (`quotes`:
    one tap away, so that Why stays short on a phone), and whether they stay in the
    sources' English (`original_quotes`) rather than in our translation."""
    codes = {n.code for n in stored.notices}
    short = codes & {"no_match", "roster_lacks"}
    cited = [*reasons_of(stored, kb), *(kb.fact(n.fact) for n in stored.notices if n.fact)]
    sources = {f.source for f in cited if f.kind == "source"}
    return {
        "tips": kb.finding_tips[:FINDING_TIPS] if short else (),
        "sources": sorted(sources, key=lambda src: src.number),
        "quotes": quotes or original_quotes,
        "original_quotes": original_quotes,
    }


def forecast_values(stored: StoredRecommendation) -> Json:
    """What the forecast view adds: the plan, then the all-micro and all-macro plans that
    differ from it (`same_as_plan` names the one that does not)."""
    plan = stored.plan
    plans = [plan]
    same = ""
    for alternative in (stored.all_micro, stored.all_macro):
        if alternative.key == plan.key:
            same = alternative.label
        else:
            plans.append(alternative)
    return {"plans": plans, "same_as_plan": same}


def checklist_values(stored: StoredRecommendation, kb: KnowledgeBase) -> Json:
    """What the checklist view adds: the lines for the brief's country and niche, and whose
    ad label (the country's, or its audience language's: `BE-fr`)."""
    brief = stored.brief
    return {
        "country": brief.country,
        "disclosure": disclosure_country(None, brief.country, kb.posts, brief.language),
        "lines": kb.checklist_for(brief.country, brief.niche),
    }


# Starts a line of a card rendered to be measured, with the name of the block the line is
# part of (a control character: no text of a reply holds one, the edge removes them).
BLOCK_MARK = "\x1f"


@dataclass(frozen=True)
class CardLayout:
    """What the card holds besides its verdict, plan line and key fact. `marked`: each
    optional block's line starts with its name (`tag`), so that one render of the fullest
    layout measures every block (card_text)."""

    notices: list[StoredNotice]
    picks: int
    reason: bool
    brief: bool
    marked: bool = False

    def tag(self, block: str) -> str:
        """What starts the line of `block` (nothing, unless the layout is marked)."""
        return f"{BLOCK_MARK}{block}{BLOCK_MARK}" if self.marked else ""

    def blocks(self, fullest: CardLayout) -> set[str]:
        """The names of the blocks this layout keeps of `fullest`'s (whose notices hold this
        layout's, in the same order)."""
        kept, start = set(), 0
        for notice in self.notices:
            start = fullest.notices.index(notice, start) + 1
            kept.add(f"n{start - 1}")
        kept |= {f"p{number}" for number in range(1, self.picks + 1)}
        toggles = (("more", self.counts_the_rest), ("reason", self.reason), ("brief", self.brief))
        return kept | {name for name, on in toggles if on}

    @property
    def counts_the_rest(self) -> bool:
        """Whether "+ N more in the Shortlist" follows the picks: only under a full list (a
        tight card's plan line already says how many people there are)."""
        return self.picks == CARD_PICKS


def _pinned(notice: StoredNotice) -> bool:
    """Notices the card keeps whatever the room: fictional people."""
    return notice.code == "sample_people"


def card_layouts(stored: StoredRecommendation) -> list[CardLayout]:
    """The card's layouts, from the fullest to the barest: the key fact (the first notice)
    and fictional people mixed with real ones always (all fictional: while a pick and the
    brief in one line fit); then, as room allows, the brief in one line (what was
    understood), a second notice, the picks and the reason."""
    chosen = [n for n in card_notices(stored) if not _pinned(n)]
    key = chosen[:1] + [n for n in stored.notices if _pinned(n)]
    second = chosen[1:2]
    layouts = [CardLayout(key + second, CARD_PICKS, True, True)]
    for notices in (key + second, key):
        layouts += [CardLayout(notices, picks, False, True) for picks in range(CARD_PICKS, 0, -1)]
    mixed = [n for n in key if n.code != "sample_people" or n.params.get("mixed")]
    layouts += [CardLayout(mixed, 1, False, True), CardLayout(key, 1, False, False)]
    layouts += [CardLayout(mixed, 1, False, False), CardLayout(mixed, 0, False, False)]
    return [layout for n, layout in enumerate(layouts) if layout not in layouts[:n]]


def card_values(
    stored: StoredRecommendation, kb: KnowledgeBase, changed: Change | None = None
) -> Json:
    """What the card is rendered with: the fullest layout that fits CARD_LINES phone lines
    in the language spoken (the barest when none does)."""
    values = view_values(stored, kb, changed)
    return values | {"layout": _fitted(stored, values)[0]}


def card_text(
    stored: StoredRecommendation, kb: KnowledgeBase, changed: Change | None = None
) -> str:
    """The card as sent: rendered with card_values, in one render."""
    return _fitted(stored, view_values(stored, kb, changed))[1]


def _fitted(stored: StoredRecommendation, values: Json) -> tuple[CardLayout, str]:
    """The fullest layout that fits, and its text, from one render: the fullest layout with
    each optional block's line marked; every other layout keeps some of those blocks."""
    layouts = card_layouts(stored)
    fullest = layouts[0]
    marked = render(Template.RECOMMENDATION_CARD, **values, layout=replace(fullest, marked=True))
    lines = []
    for line in marked.splitlines():
        block, text = None, line
        if line.startswith(BLOCK_MARK):
            block, text = line[1:].split(BLOCK_MARK, 1)
        lines.append((block, text, phone_lines(text)))
    for layout in layouts:
        blocks = layout.blocks(fullest)
        kept = [(text, n) for block, text, n in lines if block is None or block in blocks]
        if sum(n for _text, n in kept) <= CARD_LINES or layout is layouts[-1]:
            return layout, "\n".join(text for text, _n in kept)
    raise AssertionError("the last layout is always taken")
