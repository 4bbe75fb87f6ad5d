"""Posting windows (issue 23, part 2): the rules of knowledge/advice/windows.py on
knowledge/data/windows.toml, a brief's date as typed (knowledge/reading/brief_date.py), and
the windows where a plan's lines are shown (shortlist, plan file, first messages)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowledge.advice.brief import Brief
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.advice.stored import StoredRecommendation, what_changed
from knowledge.advice.windows import (
    Role,
    campaign_days,
    campaign_of,
    launch_windows,
    spread_windows,
    with_windows,
)
from knowledge.base import Goal, KnowledgeBase, default_knowledge
from knowledge.base.windows import WindowRulesError, read_window_rules
from knowledge.files.plan_file import plan_csv
from knowledge.reading import brief_form as form
from knowledge.reading.brief_date import date_in_sentence, read_brief_date
from knowledge.reading.when import WhenError, WhenProblem
from knowledge.writing import i18n
from knowledge.writing.outreach import booked, first_message_values
from knowledge.writing.render import Labels, Template, render
from knowledge.writing.views import card_values
from tests.test_templates_fr_brief import _fashion

KB = default_knowledge()
RULES = KB.windows
TODAY = date(2026, 12, 7)
days_ahead = st.integers(min_value=0, max_value=2 * 366)
audiences = st.lists(st.integers(min_value=1_000, max_value=5_000_000), min_size=1, max_size=12)


# ---- the rules ----


@given(followers=audiences, ahead=days_ahead)
def test_a_launchs_windows_tease_before_the_day_post_on_it_and_follow_up_after(
    followers: list[int], ahead: int
) -> None:
    launch = TODAY + timedelta(days=ahead)
    posts = [1 + f % 3 for f in followers]  # one to three posts a line
    windows = launch_windows(followers, launch, TODAY, RULES.launch, posts)
    assert len(windows) == len(followers)
    days = RULES.launch
    first_day = launch - timedelta(days=days.teaser_from)
    last_day = launch + timedelta(days=days.follow_up_until)
    for window in windows:
        assert window.first <= window.last
        assert first_day <= window.first and window.last <= last_day  # within the campaign
        assert window.first >= TODAY  # nothing to post in the past
        if window.role is Role.TEASER:
            assert window.last < launch
        elif window.role is Role.MAIN:
            assert window.first == window.last == launch
        elif window.role is Role.AROUND:
            assert window.first <= launch < window.last
        else:
            assert window.role is Role.FOLLOW_UP and window.first > launch
    roles = [w.role for w in windows]
    assert Role.MAIN in roles or Role.AROUND in roles
    for window, count in zip(windows, posts, strict=True):
        assert (window.role is Role.AROUND) == (
            window.role in (Role.MAIN, Role.AROUND) and count > 1
        )
    # The biggest audience posts on the day.
    assert windows[followers.index(max(followers))].role in (Role.MAIN, Role.AROUND)
    if ahead == 0:
        assert Role.TEASER not in roles  # no day left before the launch


def test_a_launchs_lines_split_by_the_datas_shares() -> None:
    followers = [100_000, 5_000, 80_000, 3_000, 60_000, 2_000, 40_000, 1_000]
    launch = TODAY + timedelta(days=30)
    windows = launch_windows(followers, launch, TODAY, RULES.launch)
    roles = [w.role for w in windows]
    assert roles.count(Role.TEASER) == 2 and roles.count(Role.FOLLOW_UP) == 2  # 25 % each
    # The four biggest post on the day; of the others, the bigger tease.
    assert roles == [
        Role.MAIN,
        Role.TEASER,
        Role.MAIN,
        Role.TEASER,
        Role.MAIN,
        Role.FOLLOW_UP,
        Role.MAIN,
        Role.FOLLOW_UP,
    ]
    teaser = next(w for w in windows if w.role is Role.TEASER)
    assert (teaser.first, teaser.last) == (launch - timedelta(days=7), launch - timedelta(days=1))
    follow_up = next(w for w in windows if w.role is Role.FOLLOW_UP)
    assert (follow_up.first, follow_up.last) == (
        launch + timedelta(days=1),
        launch + timedelta(days=7),
    )


@pytest.mark.parametrize(
    ("followers", "roles"),
    [
        ([50_000], [Role.MAIN]),
        ([50_000, 9_000], [Role.MAIN, Role.TEASER]),
        ([9_000, 50_000, 4_000], [Role.TEASER, Role.MAIN, Role.FOLLOW_UP]),
        ([9_000, 50_000, 4_000, 70_000], [Role.TEASER, Role.MAIN, Role.FOLLOW_UP, Role.MAIN]),
    ],
)
def test_a_small_launch_still_teases_and_follows_up(
    followers: list[int], roles: list[Role]
) -> None:
    """A planner's read: a launch of two or three creators had everyone post on the day (25 %
    of three lines, rounded down, is none)."""
    launch = TODAY + timedelta(days=30)
    assert [w.role for w in launch_windows(followers, launch, TODAY, RULES.launch)] == roles
    # A line of several posts on the day posts one on it, the others before and after.
    several = launch_windows(followers, launch, TODAY, RULES.launch, [3] * len(followers))
    assert [w.role for w in several] == [Role.AROUND if r is Role.MAIN else r for r in roles]
    around = next(w for w in several if w.role is Role.AROUND)
    assert (around.first, around.last) == (launch - timedelta(days=7), launch + timedelta(days=7))


def test_a_small_launch_today_follows_up_instead_of_teasing() -> None:
    roles = [w.role for w in launch_windows([50_000, 9_000], TODAY, TODAY, RULES.launch)]
    assert roles == [Role.MAIN, Role.FOLLOW_UP]
    assert [w.role for w in launch_windows([9_000], TODAY, TODAY, RULES.launch)] == [Role.MAIN]


def test_a_launch_three_days_ahead_teases_from_today() -> None:
    followers = [9_000, 8_000, 7_000, 6_000]
    launch = TODAY + timedelta(days=3)
    teaser = next(
        w for w in launch_windows(followers, launch, TODAY, RULES.launch) if w.role is Role.TEASER
    )
    assert (teaser.first, teaser.last) == (TODAY, launch - timedelta(days=1))


@given(
    count=st.integers(min_value=1, max_value=30),
    ahead=days_ahead,
    goal=st.sampled_from([g for g in Goal if g is not Goal.LAUNCH]),
    months=st.one_of(st.none(), st.integers(min_value=1, max_value=12)),
)
def test_other_goals_spread_their_windows_within_the_campaign(
    count: int, ahead: int, goal: Goal, months: int | None
) -> None:
    start = TODAY + timedelta(days=ahead)
    windows = spread_windows(count, start, goal, months, RULES)
    length = campaign_days(goal, months, RULES)
    last_day = start + timedelta(days=length - 1)
    assert len(windows) == count
    for window in windows:
        assert window.role is Role.SPREAD
        assert start <= window.first <= window.last <= last_day
    assert windows[0].first == start
    assert [w.first for w in windows] == sorted(w.first for w in windows)
    if count > 1:
        assert windows[-1].last == last_day  # spread to the campaign's end
    assert campaign_of(windows)[0] == start


def test_a_sales_campaign_gives_each_line_a_week_over_four_weeks() -> None:
    windows = spread_windows(3, date(2027, 3, 1), Goal.SALES, None, RULES)
    spans = [(w.first.day, w.last.day) for w in windows]
    assert spans == [(1, 7), (11, 17), (22, 28)]
    assert campaign_of(windows) == (date(2027, 3, 1), 28)


def test_an_ambassador_posts_over_the_months_booked() -> None:
    (window,) = spread_windows(1, date(2027, 3, 1), Goal.AMBASSADOR, 3, RULES)
    assert (window.first, window.last) == (date(2027, 3, 1), date(2027, 5, 29))  # 90 days


def test_the_window_rules_are_checked_when_read(tmp_path: Path) -> None:
    text = (Path(__file__).parents[1] / "knowledge/data/windows.toml").read_text()
    for good, bad in [
        ("teaser_until = 1", "teaser_until = 0"),  # a teaser on the launch day
        ("teaser_share = 0.25", "teaser_share = 0.8"),  # nothing left for the day
        ("sales = 28", "sales = 3"),  # shorter than one window
        ('from = "11-15"', 'from = "12-25"'),  # the busy season ending before it starts
        ('until = "12-24"', 'until = "12-32"'),  # not a day
        ("lead_weeks = 6", "lead_weeks = -1"),
    ]:
        broken = tmp_path / "windows.toml"
        broken.write_text(text.replace(good, bad))
        with pytest.raises(WindowRulesError):
            read_window_rules(broken)
    assert RULES.sources["launch"] and RULES.sources["spread"] and RULES.sources["busy"]


# ---- a brief's date ----


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("2027-03-15", date(2027, 3, 15)),
        ("15 March", date(2027, 3, 15)),
        ("on 15th March 2027", date(2027, 3, 15)),
        ("le 15 mars", date(2027, 3, 15)),
        ("15 mars 2027", date(2027, 3, 15)),
        # The month first, as English writes it too.
        ("March 15", date(2027, 3, 15)),
        ("on March 15th, 2027", date(2027, 3, 15)),
        ("Monday, March 15", date(2027, 3, 15)),
        ("Dec 24", date(2026, 12, 24)),
        ("tomorrow", date(2026, 12, 8)),
        ("dans 2 semaines", date(2026, 12, 21)),
        ("today", TODAY),
    ],
)
def test_a_brief_date_is_read(typed: str, read: date) -> None:
    assert read_brief_date(typed, TODAY) == read


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("2026-03-15", WhenProblem.PAST),
        ("15 March 2026", WhenProblem.PAST),
        ("yesterday-ish", WhenProblem.UNREADABLE),
        ("2031-01-01", WhenProblem.TOO_FAR),
        ("31 February 2027", WhenProblem.NO_SUCH_DATE),
        ("March 15, 2026", WhenProblem.PAST),
        ("February 31, 2027", WhenProblem.NO_SUCH_DATE),
        ("March 15 at noon", WhenProblem.UNREADABLE),
        ("", WhenProblem.UNREADABLE),
    ],
)
def test_a_bad_brief_date_says_why(typed: str, problem: WhenProblem) -> None:
    with pytest.raises(WhenError) as caught:
        read_brief_date(typed, TODAY)
    assert caught.value.problem is problem


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("a launch on 15 March, budget 800 euros", "15 March"),
        ("lancement le 15 mars pour ma boulangerie", "15 mars"),
        ("we launch 2027-03-15", "2027-03-15"),
        ("a launch on March 15, budget 800 euros", "March 15"),
        ("launching for March 15th, 2027 with 800 euros", "March 15th, 2027"),
        ("I sell 15 candles for 800 euros", None),
        ("on Monday, budget 500", None),
    ],
)
def test_a_date_is_found_in_a_sentence(sentence: str, named: str | None) -> None:
    assert date_in_sentence(sentence) == named


def _reading() -> dict[str, object]:
    return {"kb": KB, "currency": "EUR", "roster_niches": ["fashion", "food"], "today": TODAY}


def test_the_brief_reads_its_date_as_a_key_a_sentence_or_an_answer() -> None:
    pairs, _ = form.one_line("goal=launch budget=800 date=15 March niche=fashion")
    answers: form.Answers = {}
    for field, value in pairs:
        assert form.take(field, answers, value, **_reading()) is None  # type: ignore[arg-type]
    assert answers[form.DATE] == "2027-03-15"
    assert form.to_brief(answers, "EUR").start_date == date(2027, 3, 15)
    read = form.read_sentence("a fashion launch on 15 March, 800 euros", **_reading())  # type: ignore[arg-type]
    assert read.answers[form.DATE] == "2027-03-15" and not read.problems
    for sentence in ("a fashion launch on March 15, 800 euros", "800 euros, launch on March 15"):
        read = form.read_sentence(sentence, **_reading())  # type: ignore[arg-type]
        assert read.answers[form.DATE] == "2027-03-15" and not read.problems
        assert read.answers[form.BUDGET] == 80_000  # the day is not the budget


def test_a_past_date_is_a_problem_and_asked_again_even_in_a_quick_brief() -> None:
    answers: form.Answers = {"quick": True}
    problem = form.take(form.DATE, answers, "2026-01-10", **_reading())  # type: ignore[arg-type]
    assert problem == {"text": "2026-01-10", "when": "past"} and form.DATE not in answers
    read = form.read_sentence("fashion launch on 10 January 2026, 800 euros", **_reading())  # type: ignore[arg-type]
    assert read.problems[form.DATE]["when"] == "past"
    answers.update(read.answers)
    answers["problems"] = read.problems
    answers[form.PLATFORM] = form.ANY
    assert form.next_step(answers, guided=False) == form.DATE


def test_the_guided_brief_asks_a_launchs_date_only() -> None:
    answers: form.Answers = {
        form.GOAL: "launch",
        form.BUDGET: 80_000,
        form.NICHE: "fashion",
        form.PLATFORM: form.ANY,
        form.COUNTRY: "FR",
    }
    assert form.next_step(answers, guided=True) == form.DATE
    assert form.next_step({**answers, form.GOAL: "awareness"}, guided=True) is None
    assert form.next_step({**answers, "skipped": [form.DATE]}, guided=True) is None


# ---- the windows where a plan is shown ----


def _stored(goal: Goal, day: date | None) -> StoredRecommendation:
    brief = Brief(goal=goal, budget_cents=800_000, currency="EUR", niche="fashion")
    people = [replace(c, country="FR") for c in _fashion()]
    return snapshot(recommend(replace(brief, start_date=day), people, KB), KB, TODAY)


def test_a_dated_launch_plan_stores_each_lines_window() -> None:
    launch = date(2027, 3, 15)
    stored = _stored(Goal.LAUNCH, launch)
    lines = stored.plan.lines
    assert len(lines) >= 3
    assert all(line.post_from and line.post_until for line in lines)
    # On the day: one post, or one of several with the others before and after it.
    assert {line.post_role for line in lines} & {"main", "around"}
    for line in lines:
        assert line.post_from and line.post_until
        if line.post_role == "main":
            assert line.posts == 1 and line.post_from == line.post_until == launch
        elif line.post_role == "around":
            assert line.posts > 1 and line.post_from < launch < line.post_until
    again = StoredRecommendation.of(stored.to_json())
    assert again is not None and again.plan.lines == lines and again.brief.start_date == launch
    # ✏️ Change an answer starts from the stored brief's answers, its date among them.
    assert form.answers_of(again.brief.model_dump())[form.DATE] == "2027-03-15"
    assert with_windows(_stored(Goal.LAUNCH, None), RULES, TODAY).plan.lines[0].post_from is None


@pytest.mark.parametrize(("language", "separator"), [("en", ","), ("fr", ";")])
def test_the_plan_file_has_the_window_columns(language: str, separator: str) -> None:
    stored = _stored(Goal.SALES, date(2027, 3, 1))
    with i18n.speaking(language):
        text = plan_csv(stored, KB)
    header, *rows, _totals = list(
        csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=separator)
    )
    first, until = {
        "en": ("Post from", "Post until"),
        "fr": ("Publier à partir du", "Publier jusqu’au"),
    }[language]
    for row, line in zip(rows, stored.plan.lines, strict=True):
        assert row[header.index(first)] == str(line.post_from)
        assert row[header.index(until)] == str(line.post_until)
    assert rows[0][header.index(first)] == "2027-03-01"
    undated = plan_csv(_stored(Goal.SALES, None), KB).removeprefix("\ufeff")
    header, *rows, _totals = list(csv.reader(io.StringIO(undated)))
    assert all(row[header.index("Post from")] == "" for row in rows)


def _shortlist(stored: StoredRecommendation, language: str) -> str:
    with i18n.speaking(language):
        return render(
            Template.RECOMMENDATION_SHORTLIST,
            rec=stored,
            kb=KB,
            labels=Labels(KB),
            lines=stored.plan.lines,
            page=0,
            pages=1,
            offset=0,
            prices={},
            show_contact=False,
        )


@pytest.mark.parametrize(
    ("language", "on_the_day", "teaser"),
    [
        (
            "en",
            "Posts between 8 and 22 March (one on launch day, the others before and after)",
            "Posts between 8 and 14 March (teaser",
        ),
        (
            "fr",
            "Publie entre le 8 et le 22 mars (une le jour du lancement, les autres avant et après)",
            "Publie entre le 8 et le 14 mars",
        ),
    ],
)
def test_the_shortlist_and_first_messages_show_the_windows(
    language: str, on_the_day: str, teaser: str
) -> None:
    stored = _stored(Goal.LAUNCH, date(2027, 3, 15))
    text = _shortlist(stored, language)
    assert on_the_day in text
    assert teaser in text
    # The date is a line of its own: what the creator fits starts the next one (the 📅 line
    # ran into "Fits:" once its role's closing tag ate the line's end).
    fits = "Fits: " if language == "en" else "Atouts\xa0: "
    dated = [line for line in text.splitlines() if "📅" in line]
    assert dated and all(fits not in line for line in dated)
    assert text.count(fits) == len(booked(stored))
    assert "📅" not in _shortlist(_stored(Goal.LAUNCH, None), language)
    messages = []
    with i18n.speaking(language):
        for line in booked(stored):
            values = first_message_values(stored, line, KB)
            messages.append(render(Template.FIRST_MESSAGE, **values))
    expected = {
        "en": [
            "Please post between 8 and 22 March: one post on our launch day, 15 March, the others",
            "between 8 and 14 March, as a teaser",
        ],
        "fr": [
            "une publication le jour de notre lancement, le 15 mars, les autres avant et après.",
            "entre le 8 et le 14 mars",
        ],
    }[language]
    for words in expected:
        assert any(words in message for message in messages), words
    # The window's sentence is a line of its own: "…launch.The content…" ran them together.
    usage = "Le contenu" if language == "fr" else "The content"
    assert all(f".{usage}" not in message and f"\n{usage}" in message for message in messages)


def test_a_window_over_two_months_names_both() -> None:
    stored = _stored(Goal.SALES, date(2027, 3, 28))
    assert "Posts between 28 March and 3 April" in _shortlist(stored, "en")
    assert "Publie entre le 28 mars et le 3 avril" in _shortlist(stored, "fr")


@pytest.mark.parametrize(
    ("language", "said"), [("en", "date Mon 15 Mar 2027"), ("fr", "date lun. 15 mars 2027")]
)
def test_a_changed_date_is_said_on_the_new_card(language: str, said: str) -> None:
    before = _stored(Goal.LAUNCH, None)
    after = _stored(Goal.LAUNCH, date(2027, 3, 15))
    changed = what_changed(before, after)
    assert [key for key, _old, _new in changed.answers] == ["start_date"]
    with i18n.speaking(language):
        card = render(Template.RECOMMENDATION_CARD, **card_values(after, KB, changed))
    assert said in card


def test_knowledge_base_reads_the_window_rules(kb: KnowledgeBase) -> None:
    assert kb.windows.launch.teaser_from >= kb.windows.launch.teaser_until >= 1
