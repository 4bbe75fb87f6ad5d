"""What every view of a stored recommendation (the card, Why, Shortlist, Forecast, How) is
rendered with, and which notices and reason the short card leads with."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from knowledge.advice.stored import Json
from knowledge.base import Fact, KnowledgeBase
from knowledge.writing.render import Labels

# Notices the card shows, most pressing first (at most CARD_NOTICE_LIMIT of them); the others
# are under "Good to know", in Why.
CARD_NOTICE_ORDER = (
    "no_match",
    "sample_people",
    "roster_lacks",
    "nothing_affordable",
    "retainer_too_dear",
    "regulated",
    "niche_widened",
    "side_widened",
    "platform_widened",
    "break_even",
    "big_voice",
    "against_strategy",
    "unspent",
)


CARD_NOTICE_LIMIT = 2


def _on_card(notice: Mapping[str, Any]) -> bool:
    if notice["code"] == "break_even":  # only when it says the plan may not pay for itself
        return notice["params"].get("reached") in ("maybe", "no")
    return notice["code"] in CARD_NOTICE_ORDER


def card_notices(stored: Mapping[str, Any]) -> list[Json]:
    """The notices a recommendation's card shows."""
    chosen = [n for n in stored["notices"] if _on_card(n)]
    chosen.sort(key=lambda n: CARD_NOTICE_ORDER.index(n["code"]))
    return list(chosen[:CARD_NOTICE_LIMIT])


def lead_reason(stored: Mapping[str, Any]) -> str | None:
    """The reason the card gives in one sentence: the first one arguing for the side that
    gets most of the money (or for neither); None when the sources give none for it."""
    verdict = stored["verdict"]
    side = "macro" if verdict["macro_pct"] > 50 else "micro"
    for fact_id, favours in stored.get("reason_sides", []):
        if favours in (side, "neutral"):
            return str(fact_id)
    return None


def reasons_of(stored: Mapping[str, Any], kb: KnowledgeBase) -> list[Fact]:
    """The facts a stored recommendation gives as reasons (those the knowledge base still
    has)."""
    known = {f.id: f for f in kb.facts}
    return [known[i] for i in stored.get("reasons", []) if i in known]


def view_values(
    stored: Mapping[str, Any], kb: KnowledgeBase, changed: Mapping[str, Any] | None = None
) -> Json:
    """What every view of a stored recommendation is rendered with."""
    lead = lead_reason(stored)
    return {
        "rec": stored,
        "kb": kb,
        "labels": Labels(kb),
        "reasons": reasons_of(stored, kb),
        "lead": next((f for f in kb.facts if f.id == lead), None),
        "card_notices": card_notices(stored),
        "changed": changed,
    }
