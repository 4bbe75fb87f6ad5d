"""The sources' quotes in French: every quote has our own translation (`quote_fr`), written
the French way, and the Why view shows it marked as ours, the original one tap away."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from bot.sandbox.emulator import html_to_text
from handlers import keyboards
from handlers.callbacks import View
from handlers.recommendation import view_text
from handlers.services import Services
from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, KnowledgeBase
from knowledge.base.loading import KnowledgeError, _facts
from knowledge.writing import i18n
from knowledge.writing.views import reasons_of

NBSP = "\u00a0"


@pytest.fixture
def french() -> Iterator[None]:
    with i18n.speaking("fr"):
        yield


def test_every_quote_has_its_french_translation(kb: KnowledgeBase) -> None:
    quoted = [f for f in kb.facts if f.quote]
    assert len(quoted) > 40
    for fact in quoted:
        assert fact.quote_fr and fact.quote_fr != fact.quote, fact.id
        assert not re.search(r" [:;!?»]|« ", fact.quote_fr), fact.id  # no-break spaces
        assert not re.search(r"[^\s\u00a0][:;!?]", fact.quote_fr.replace("://", "")), fact.id
        assert "'" not in fact.quote_fr and '"' not in fact.quote_fr, fact.id
    assert not any(f.quote_fr for f in kb.facts if not f.quote)


def _raw(**fact: Any) -> dict[str, Any]:
    base = {"id": "x", "source": "S1", "favours": "micro", "goals": [], "weight": 1, "text": "t"}
    return {"sources": {"S1": {"title": "T", "short": "t"}}, "facts": [base | fact]}


@pytest.mark.parametrize("fact", [{"quote": "q"}, {"quote_fr": "c"}])
def test_a_quote_without_its_translation_or_the_reverse_is_refused(fact: dict[str, str]) -> None:
    with pytest.raises(KnowledgeError, match="quote_fr"):
        _facts(_raw(**fact))
    _facts(_raw(quote="q", quote_fr="c"))


def _why(kb: KnowledgeBase, view: View = View.WHY) -> tuple[str, list[Any]]:
    stored = snapshot(recommend(Brief(Goal.SALES, 300_000, "EUR", "pets"), [], kb), kb)
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    quoted = [f for f in reasons_of(stored, kb) if f.quote]
    assert quoted
    return view_text(view, stored, services), quoted


def test_why_in_french_shows_our_translation_marked_as_ours(
    french: None, kb: KnowledgeBase
) -> None:
    text, quoted = _why(kb, View.WHY_QUOTES)
    for fact in quoted:
        line = f"<i>«{NBSP}{fact.quote_fr.replace(chr(10), ' ')}{NBSP}»</i> (notre traduction)"
        assert line in text
        assert fact.quote not in text
    assert "anglais des sources" not in text


def test_the_original_quotes_view_shows_the_sources_english(
    french: None, kb: KnowledgeBase
) -> None:
    text, quoted = _why(kb, View.WHY_ORIGINAL)
    for fact in quoted:
        assert f"“{fact.quote.replace(chr(10), ' ')}”" in html_to_text(text)
    assert "(notre traduction)" not in text
    assert "Les citations ci-dessus sont dans l’anglais des sources." in text
    assert html_to_text(text).startswith("Pourquoi ce choix")


def test_english_readers_see_the_quotes_one_tap_away(kb: KnowledgeBase) -> None:
    short, quoted = _why(kb)
    assert not any(fact.quote.replace(chr(10), " ") in short for fact in quoted)
    text, quoted = _why(kb, View.WHY_QUOTES)
    for fact in quoted:
        assert f"<i>“{fact.quote.replace(chr(10), ' ')}”</i>" in text
    assert "translation" not in text and "sources' English" not in text
    for view, expected in (
        (View.WHY, ["📜 The sources' words", "◀ Back"]),
        (View.WHY_QUOTES, ["◀ Back"]),  # no translation to undo
    ):
        buttons = keyboards.recommendation_view(7, view, 0, 1, True).inline_keyboard
        assert [b.text for row in buttons for b in row] == expected


def test_the_quotes_buttons_go_back_and_forth(french: None) -> None:
    def buttons(view: View) -> list[tuple[str, str | None]]:
        rows = keyboards.recommendation_view(123456789012, view, 0, 1, True).inline_keyboard
        return [(b.text, str(b.callback_data)) for row in rows for b in row]

    assert buttons(View.WHY) == [
        ("📜 Les mots des sources", "v:123456789012:whyq"),
        ("◀ Retour", "v:123456789012:card"),
    ]
    assert buttons(View.WHY_QUOTES) == [
        ("📜 Citations originales (EN)", "v:123456789012:whyen"),
        ("◀ Retour", "v:123456789012:why"),
    ]
    assert buttons(View.WHY_ORIGINAL) == [
        ("📜 Citations en français", "v:123456789012:whyq"),
        ("◀ Retour", "v:123456789012:why"),
    ]


def test_the_first_of_a_month_is_premier_in_french() -> None:
    """French writes `1er février`, not "le 1 février" (a twelfth planner's read); other days and
    English as before."""
    from datetime import date

    from knowledge.writing import i18n

    with i18n.speaking("fr"):
        assert i18n.when(date(2027, 2, 1), "day_and_month") == "1er février"
        assert i18n.when(date(2027, 2, 1), "day_of_month") == "1er"
        assert i18n.when(date(2027, 2, 11), "day_and_month") == "11 février"
        assert i18n.when(date(2027, 2, 1), "day") == "lun. 1er févr. 2027"
    with i18n.speaking("en"):
        assert i18n.when(date(2027, 2, 1), "day_and_month") == "1 February"
