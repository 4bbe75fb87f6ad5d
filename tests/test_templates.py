"""Reply templates: HTML escaping, the verdict line, and clean splitting past 4,096 characters."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from bot.sandbox.emulator import html_to_text
from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.engine import recommend
from knowledge.advice.stored import snapshot
from knowledge.base import Goal, KnowledgeBase
from knowledge.writing.render import render, split_message
from knowledge.writing.replies import Template
from knowledge.writing.views import view_values

AWKWARD = "Léa <b>&amp; *bold* _under_ </i> & co"


def card(rec: object, kb: KnowledgeBase) -> str:
    stored = snapshot(rec, kb)  # type: ignore[arg-type]
    return render(Template.RECOMMENDATION_CARD, **view_values(stored, kb))


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


HOW_PERSON = re.compile(
    r"followers (\d+) · engagement rate ([\d.]+)% · audience quality (\d+)%(?: \(assumed\))?"
    r"(?: · posts (\d+)×/week)?\n"
    r"\s+rates \(\w+\): reach ([\d.]+) · sponsored share ([\d.]+) · click ([\d.]+) × ([\d.]+)"
    r" · conversion ([\d.]+)\n"
    r"\s+(\d+) posts? = ([\d.]+) first posts → reached (\d+) · engagements (\d+) · clicks (\d+)"
    r" · sales ([\d.]+)"
)


def test_the_how_view_can_be_recomputed_from_its_text_and_the_data_file(
    kb: KnowledgeBase,
) -> None:
    """Everything a forecast rests on is in "How these numbers are made": redo each sum."""
    from handlers.callbacks import View
    from handlers.recommendation import view_text
    from handlers.services import Services
    from tests.test_engine import roster

    rec = recommend(Brief(Goal.SALES, 300_000, "EUR", "cooking"), roster(3, 150), kb)
    stored = snapshot(rec, kb)
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    text = html_to_text(view_text(View.HOW, stored, services))
    funnel = kb.assumptions.funnel
    found = HOW_PERSON.findall(text)
    assert len(found) == min(10, len(stored["plan"]["lines"])) > 0
    for followers, er, quality, per_week, r, s, c, f, v, _posts, worth, *stated in found:
        audience = int(followers) * int(quality) / 100
        dilution = (
            funnel.dilution_factor
            if per_week and float(per_week) > funnel.dilution_posts_per_week
            else 1.0
        )
        reach1 = audience * float(r) * dilution
        reach = min(reach1 * float(worth), audience)
        engaged = min(int(followers) * float(er) / 100 * float(s) * dilution * float(worth), reach)
        clicks = min(reach1 * float(c) * float(f) * float(worth), reach)
        sales = min(reach1 * float(c) * float(f) * float(v) * float(worth), clicks)
        assert abs(reach - int(stated[0])) <= 1 + reach * 0.01
        assert abs(engaged - int(stated[1])) <= 1 + engaged * 0.01
        assert abs(clicks - int(stated[2])) <= 1 + clicks * 0.01
        assert abs(sales - float(stated[3])) <= 0.1 + sales * 0.01
