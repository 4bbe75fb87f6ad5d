"""No `key=value`, file path, data file or record id in a reply to a shop owner: only the
admins' roster replies (/roster, /edit, /add, /import, /remove) may name fields and ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from knowledge.writing.render import TEMPLATE_DIR

ADMIN_ONLY = {
    "add_ask",
    "add_draft",
    "admin_help",
    "admin_result",
    "edit_hint",
    "edit_preview",
    "field_problems",
    "history",
    "import_messages",
    "influencer_card",
    "lookup_problem",
    "remove_confirm",
    "roster_changed",
    "roster_page",
    "roster_problem",
}
_TAGS = re.compile(r"\{#.*?#\}|\{%.*?%\}", re.DOTALL)
_EXPRESSION = re.compile(r"\{\{.*?\}\}", re.DOTALL)
_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')
_PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
_HTML_TAG = re.compile(r"<[^<>]*>")  # markup, not words (a document's `<html lang="…">`)
JARGON = re.compile(r"\b[a-z_]+=[\w@\"]|\.toml\b|\bknowledge/|#\d|#\{\{")
OWNER_TEMPLATES = sorted(
    path for path in TEMPLATE_DIR.glob("*.html") if path.stem not in ADMIN_ONLY
)


def words_shown(source: str) -> list[str]:
    """The text a template writes: outside its tags, and the strings inside its `{{ }}`."""
    without_tags = _TAGS.sub("", source)
    strings = [s for e in _EXPRESSION.findall(without_tags) for s in _STRING.findall(e)]
    text = _HTML_TAG.sub("", _EXPRESSION.sub("{{}}", without_tags))
    return [text, *(_HTML_TAG.sub("", _PLACEHOLDER.sub("", s)) for s in strings)]


@pytest.mark.parametrize("path", OWNER_TEMPLATES, ids=lambda p: p.stem)
def test_no_fields_files_or_ids_in_a_reply_to_a_shop_owner(path: Path) -> None:
    for text in words_shown(path.read_text()):
        assert not JARGON.search(text), (JARGON.search(text), text)


def test_a_field_or_a_file_in_a_reply_is_caught() -> None:
    for bad in (
        '{{ _("Type <code>reach=12000 sales=35</code>") }}',
        "See knowledge/data/assumptions.toml",
        "{{ name }} (#{{ id }})",
    ):
        assert any(JARGON.search(text) for text in words_shown(bad)), bad
