"""No English left outside the translatable messages of the templates: every word a template
writes is inside a `{% trans %}` block or a `_()` call (so tests/test_i18n.py sees it)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.writing.render import TEMPLATE_DIR

_TRANS_BLOCK = re.compile(r"{%-?\s*trans\b.*?{%-?\s*endtrans\s*-?%}", re.S)
_COMMENT = re.compile(r"{#.*?#}", re.S)
_CODE = re.compile(r"{{.*?}}|{%.*?%}", re.S)
# Markup, and what the user types (`<code>`: commands and keys, the same in every language).
_MARKUP = re.compile(r"<code>.*?</code>|<[^>]*>|&\w+;", re.S)
_WORD = re.compile(r"[^\W\d_]{2,}")
_MESSAGE_CALL = re.compile(
    r"\b(?:_|gettext|ngettext|pgettext|npgettext)\(\s*(?:\"[^\"]*\"|'[^']*')"
    r"(?:\s*,\s*(?:\"[^\"]*\"|'[^']*'))*"
)
# A phrase in quotes inside template code: two words or more (single words there are
# kinds, keys and names, which are never shown).
_QUOTED = re.compile(r"\"([^\"]*)\"|'([^']*)'")


def untranslated(source: str) -> list[str]:
    """The words written outside messages, and the phrases quoted in code outside `_()`."""
    source = _COMMENT.sub(" ", _TRANS_BLOCK.sub(" ", source))
    quoted = [
        a or b
        for code in _CODE.findall(source)
        for a, b in _QUOTED.findall(_MESSAGE_CALL.sub(" ", code))
    ]
    phrases = [text for text in quoted if " " in text.strip() and len(_WORD.findall(text)) >= 2]
    text = _MARKUP.sub(" ", _CODE.sub(" ", source))
    return _WORD.findall(text) + phrases


@pytest.mark.parametrize("path", sorted(TEMPLATE_DIR.glob("*.html")), ids=lambda p: p.name)
def test_every_word_of_a_template_is_in_a_message(path: Path) -> None:
    assert untranslated(path.read_text(encoding="utf-8")) == []


def test_the_check_sees_words_outside_messages() -> None:
    assert untranslated("{% if x %}Hello {{ y }}{% endif %}") == ["Hello"]
    assert untranslated('{{ "sent, unconfirmed" if x }}') == ["sent, unconfirmed"]
    assert untranslated('{% trans %}Hello{% endtrans %} · 3 € {{ _("Good day") }}') == []
    assert untranslated('{% if kind == "ask" %}{{ x|when("moment") }}{% endif %}') == []
    assert (
        untranslated('{{ ngettext("%(num)s day", "%(num)s days", n) }} <code>/edit x=1</code>')
        == []
    )
    assert untranslated('{{ pgettext("status", "sent, unconfirmed") }}') == []
