"""Reply templates: HTML escaping, the verdict line, and clean splitting past 4,096 characters."""

from __future__ import annotations

import re

from hypothesis import example, given
from hypothesis import strategies as st

from bot.sandbox.emulator import html_to_text
from knowledge.advice.brief import Brief, Candidate
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.base import Goal, KnowledgeBase
from knowledge.writing.render import render, split_message
from knowledge.writing.replies import Template
from knowledge.writing.views import card_values

AWKWARD = "Léa <b>&amp; *bold* _under_ </i> & co"


def card(rec: object, kb: KnowledgeBase) -> str:
    stored = snapshot(rec, kb)  # type: ignore[arg-type]
    return render(Template.RECOMMENDATION_CARD, **card_values(stored, kb))


def test_names_with_markup_characters_survive(kb: KnowledgeBase) -> None:
    people = [
        Candidate(1, AWKWARD, "@lea_<x>", "instagram", ("cooking",), 20_000, 4.0, 20_000),
    ]
    rec = recommend(Brief(Goal.SALES, 100_000, "EUR", "cooking"), people, kb)
    text = html_to_text(card(rec, kb))  # raises if Telegram would refuse the HTML
    assert AWKWARD in text
    assert text.splitlines()[0] == "Recommendation: micro-influencers (10k–100k followers)"


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
    assert v.kind == "mix"
    assert (
        text.splitlines()[0] == f"Recommendation: mix — {v.micro_pct}% micro / {v.macro_pct}% macro"
    )


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


NUMBER = r"([\d,.]+)"
HOW_PERSON = re.compile(
    rf"\d+\. (.+?) · (\w[\w ()]*): {NUMBER} followers × {NUMBER}% real(?: \(assumed\))?"
    rf" × {NUMBER}% see a post(?: \(halved: posts \d+ times a week\))? = {NUMBER} people;\n"
    rf"\s+{NUMBER} × {NUMBER}% interact with a sponsored post \({NUMBER}% usually\)"
    rf"(?:, but at most {NUMBER}% of the people reached)? = {NUMBER} engagements;\n"
    rf"\s+{NUMBER} × {NUMBER}% click = {NUMBER} clicks;"
    rf" {NUMBER} × {NUMBER}% buy = {NUMBER} sales\.\n"
    rf"\s+(?:(\d+) posts are worth {NUMBER} times one(?:, but reach at most their {NUMBER} real"
    rf" followers)? → {NUMBER} people · {NUMBER} sales; from|From) a poor to a good outcome: "
    rf"(.+?)\."
)


def _n(text: str) -> float:
    return float(text.replace(",", ""))


def test_the_how_view_can_be_recomputed_from_its_text_and_the_data_file(
    kb: KnowledgeBase,
) -> None:
    """Everything a forecast rests on is in "How these numbers are made", in sentences with
    their numbers and no raw factor: redo each sum, and find each rate in the data file."""
    from handlers.callbacks import View
    from handlers.recommendation import PAGE_SIZES, view_text
    from handlers.services import Services
    from knowledge.writing.render import span
    from tests.test_engine import roster

    rec = recommend(Brief(Goal.SALES, 300_000, "EUR", "cooking"), roster(3, 150), kb)
    stored = snapshot(rec, kb)
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    text = html_to_text(view_text(View.HOW, stored, services))
    assert "toml" not in text and "=" not in text.split("\n1. ")[0]
    a = kb.assumptions
    found = HOW_PERSON.findall(text)
    assert len(found) == min(PAGE_SIZES[View.HOW], len(stored.plan.lines)) > 0  # page one
    lines = {line.name: line for line in stored.plan.lines}
    for name, _platform, followers, real, see, reach, *rest in found:
        (followers_again, rate, usual, cap, engagements, reach_again, click, clicks) = rest[:8]
        (clicks_again, buy, sales, posts, worth, audience, people, total, outcome) = rest[8:]
        line = lines[name]
        assert (followers_again, reach_again, clicks_again) == (followers, reach, clicks)
        tier = a.tier_for(line.followers)
        dilution = line.figures.dilution_factor
        expected_see = a.funnel.reach_rate_of(line.platform).mid * tier.reach_factor
        assert abs(_n(see) / 100 - expected_see * dilution) < 0.0006
        assert _n(usual) == line.engagement_rate
        sponsored = a.funnel.sponsored_engagement.mid
        assert abs(_n(rate) - line.engagement_rate * sponsored * dilution) < 0.006
        one = _n(followers) * _n(real) / 100 * _n(see) / 100
        assert abs(one - _n(reach)) <= 1 + one * 0.01
        engaged = _n(followers) * _n(rate) / 100
        if cap:  # at most a share of the people reached
            assert _n(cap) / 100 == a.funnel.max_engagement_per_reach
            assert engaged > one * _n(cap) / 100
            engaged = one * _n(cap) / 100
        assert abs(engaged - _n(engagements)) <= 1 + engaged * 0.01
        expected_click = a.funnel.click_rate_of(line.platform).mid * tier.click_factor
        assert abs(_n(click) / 100 - expected_click) < 6e-4
        assert abs(one * _n(click) / 100 - _n(clicks)) <= 0.1 + _n(clicks) * 0.02
        assert abs(_n(buy) / 100 - tier.conversion_rate.mid) < 6e-5
        assert abs(_n(clicks) * _n(buy) / 100 - _n(sales)) <= 0.01 + _n(sales) * 0.02
        assert int(posts or 1) == line.posts
        if posts:
            real_audience = _n(followers) * _n(real) / 100
            assert bool(audience) == (one * _n(worth) > real_audience)
            assert abs(min(one * _n(worth), real_audience) - _n(people)) <= 1 + _n(people) * 0.01
            assert abs(_n(sales) * _n(worth) - _n(total)) <= 0.1 + _n(total) * 0.05
        if line.forecast.conversions[0] >= 1:
            assert outcome == f"{span(line.forecast.conversions)} sales"
        else:
            assert outcome.startswith("maybe no sale")
