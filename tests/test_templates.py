"""Reply templates: HTML escaping, the verdict line, and clean splitting past 4,096 characters."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from bot.emulator import html_to_text
from handlers.recommendation import CARD_NOTICES
from knowledge.base import Goal, KnowledgeBase
from knowledge.engine import Brief, Candidate, recommend
from knowledge.render import Labels, render, split_message
from knowledge.replies import Template
from knowledge.snapshot import snapshot

AWKWARD = "Léa <b>&amp; *bold* _under_ </i> & co"


def card(rec: object, kb: KnowledgeBase) -> str:
    stored = snapshot(rec, kb)  # type: ignore[arg-type]
    return render(
        Template.RECOMMENDATION_CARD,
        rec=stored,
        kb=kb,
        labels=Labels(kb),
        reasons=[kb.fact(i) for i in stored["reasons"]],
        card_notices=CARD_NOTICES,
        changed=None,
    )


def test_names_with_markup_characters_survive(kb: KnowledgeBase) -> None:
    people = [
        Candidate(1, AWKWARD, "@lea_<x>", "instagram", ("cooking",), 20_000, 4.0, 20_000),
    ]
    rec = recommend(Brief(Goal.SALES, 100_000, "EUR", "cooking"), people, kb)
    text = html_to_text(card(rec, kb))  # raises if Telegram would refuse the HTML
    assert AWKWARD in text
    assert text.splitlines()[0] == "Recommendation: micro-influencers"


def test_mix_verdict_line(kb: KnowledgeBase) -> None:
    people = [
        Candidate(i, f"M{i}", f"@m{i}", "instagram", ("fashion",), 40_000 + i, 3.0, 40_000)
        for i in range(10)
    ]
    people += [
        Candidate(100 + i, f"B{i}", f"@b{i}", "instagram", ("fashion",), 600_000 + i, 3.0, 500_000)
        for i in range(3)
    ]
    rec = recommend(Brief(Goal.LAUNCH, 1_200_000, "EUR", "fashion"), people, kb)
    text = html_to_text(card(rec, kb))
    v = rec.verdict
    words = {
        "micro": "micro-influencers",
        "macro": "macro-influencers",
        "mix": f"mix — {v.micro_pct}% micro / {v.macro_pct}% macro",
    }[v.kind]
    assert text.splitlines()[0] == f"Recommendation: {words}"


def test_user_text_is_escaped_in_error_messages() -> None:
    html = render(
        Template.BUDGET_ERROR, problem="unreadable", text="<script>&", currency="", expected="EUR"
    )
    assert "&lt;script&gt;&amp;" in html
    assert "<script>&" in html_to_text(html)


blocks = st.lists(
    st.text(alphabet=st.characters(blacklist_characters="\n<&"), min_size=1, max_size=900),
    min_size=1,
    max_size=20,
)


@given(blocks)
def test_split_keeps_everything_and_respects_the_limit(paragraphs: list[str]) -> None:
    text = "\n\n".join(f"<b>{p}</b>" for p in paragraphs)
    parts = split_message(text, limit=1000)
    assert all(len(part) <= 1000 for part in parts)
    assert "\n\n".join(parts) == text
    for part in parts:
        html_to_text(part)  # no part cuts an element in two


@given(
    st.lists(
        # Plain text (a `<` comes escaped in a reply): a tag open at a cut is reopened.
        st.text(alphabet=st.characters(blacklist_characters="\n<"), max_size=250),
        min_size=1,
        max_size=40,
    ),
    st.lists(st.sampled_from(["\n", "\n\n"]), min_size=40, max_size=40),
)
@example(["a", "X" * 250], ["\n", "\n"])  # a short line before an over-long one
def test_split_keeps_long_lines_and_blocks_in_order(lines: list[str], breaks: list[str]) -> None:
    text = "".join(line + brk for line, brk in zip(lines, breaks, strict=False)).strip("\n")
    parts = split_message(text, limit=100)
    assert all(len(part) <= 100 for part in parts)
    assert "".join(parts).replace("\n", "") == text.replace("\n", "")


def test_short_text_is_not_split() -> None:
    assert split_message("hello") == ["hello"]
