"""The brief and the recommendation in French: the verdict lines the issue asks for, every
view, notice, question and button of that part in French words, and English unchanged."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from typing import Any

import pytest

from bot.sandbox.emulator import html_to_text
from handlers import keyboards
from handlers.callbacks import View
from handlers.recommendation import view_text
from handlers.services import Services
from knowledge.advice.brief import Brief, Candidate, PriceRange
from knowledge.advice.engine import recommend
from knowledge.advice.snapshot import snapshot
from knowledge.advice.stored import StoredNotice, StoredRecommendation, StoredVerdict
from knowledge.base import Goal, KnowledgeBase
from knowledge.files.plan_file import plan_csv
from knowledge.pictures.charts import plan_chart
from knowledge.reading.questions import answer, questions
from knowledge.writing import i18n
from knowledge.writing.outreach import first_message, market_offer_cents, opening_offer_cents
from knowledge.writing.render import Labels, environment, render
from knowledge.writing.replies import Template
from knowledge.writing.views import card_layouts, card_values, view_values
from tests.conftest import spaces_as_read as _plain
from tests.test_e2e_french_brief import CARD_BUTTONS

SPACE = "[\u00a0\u202f]"  # the no-break spaces French puts before : and %
VERDICT_FR = re.compile(
    rf"^Recommandation{SPACE}: (micro-influenceurs|macro-influenceurs"
    rf"|mix — (\d+){SPACE}% micro / (\d+){SPACE}% macro)( \([^)]* abonnés( et plus)?\))?$"
)
# English words that none of these French texts may keep (whole words, any case).
ENGLISH = re.compile(
    r"\b(the|and|with|of|for|your|you|is|are|people|creators?|sales|reached|followers"
    r"|Recommendation|Why|Shortlist|Forecast|Checklist|budget can't|Nobody|instead)\b",
    re.IGNORECASE,
)


def _french_only(text: str) -> None:
    """No English word left, the sources' original English quotes (Citations originales) aside."""
    lines = [line for line in html_to_text(text).splitlines() if not line.startswith("  “")]
    found = ENGLISH.findall("\n".join(lines))
    assert not found, (found, text)


@pytest.fixture
def french() -> Iterator[None]:
    with i18n.speaking("fr"):
        yield


def _fashion() -> list[Candidate]:
    people = [
        Candidate(i, f"Léa {i}", f"@lea{i}", "instagram", ("fashion",), 40_000 + i, 3.0, 40_000)
        for i in range(10)
    ]
    people += [
        Candidate(
            100 + i, f"Max {i}", f"@max{i}", "instagram", ("fashion",), 600_000 + i, 3.0, 500_000
        )
        for i in range(3)
    ]
    return people


def _stored(
    kb: KnowledgeBase, brief: Brief, people: list[Candidate] | None = None
) -> StoredRecommendation:
    return snapshot(recommend(brief, _fashion() if people is None else people, kb), kb)


def _card(kb: KnowledgeBase, stored: StoredRecommendation) -> str:
    return render(Template.RECOMMENDATION_CARD, **card_values(stored, kb))


@pytest.mark.parametrize(
    ("verdict", "expected"),
    [
        (
            {"kind": "micro", "micro_pct": 100, "macro_pct": 0},
            "Recommandation : micro-influenceurs",
        ),
        (
            {"kind": "macro", "micro_pct": 0, "macro_pct": 100},
            "Recommandation : macro-influenceurs",
        ),
        (
            {"kind": "mix", "micro_pct": 60, "macro_pct": 40},
            "Recommandation : mix — 60 % micro / 40 % macro",
        ),
    ],
)
def test_the_french_verdict_lines_are_the_issues(
    french: None, verdict: dict[str, Any], expected: str
) -> None:
    line = str(
        environment().get_template("_macros.html").module.verdict_line(StoredVerdict(**verdict))
    )
    assert _plain(line) == expected
    assert VERDICT_FR.match(line)


@pytest.mark.parametrize(
    ("goal", "budget", "kind"),
    [
        (Goal.SALES, 300_000, "micro"),
        (Goal.AMBASSADOR, 5_000_000, "micro"),  # more ambassadors of the favoured side
        (Goal.LAUNCH, 5_000_000, "mix"),
    ],
)
def test_a_real_card_opens_with_the_french_verdict_and_english_stays_english(
    kb: KnowledgeBase, goal: Goal, budget: int, kind: str
) -> None:
    stored = _stored(kb, Brief(goal, budget, "EUR", "fashion"))
    assert stored.verdict.kind == kind
    english = html_to_text(_card(kb, stored)).splitlines()[0]
    assert english.startswith("Recommendation: ")
    with i18n.speaking("fr"):
        text = html_to_text(_card(kb, stored))
    match = VERDICT_FR.match(text.splitlines()[0])
    assert match, text
    if match.group(2):
        assert int(match.group(2)) + int(match.group(3)) == 100
    assert "€" in text and "€1" not in text  # money the French way
    with i18n.speaking("fr"):
        fullest = render(
            Template.RECOMMENDATION_CARD, **view_values(stored, kb), layout=card_layouts(stored)[0]
        )
    assert "Mode" in html_to_text(fullest)  # the niche's French name, in the brief's line


def test_every_view_of_a_recommendation_in_french(french: None, kb: KnowledgeBase) -> None:
    brief = Brief(Goal.SALES, 1_500_000, "EUR", "fashion", "instagram", "FR", "fr", 4_000, 30.0)
    stored = _stored(kb, brief)
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    texts = {
        view: _plain(view_text(view, stored, services))
        for view in View
        if view not in (View.PLAN_FILE, View.FIRST_MESSAGES, View.ANY_PLATFORM)  # not in place
    }
    card, why = texts[View.CARD], texts[View.WHY]
    assert card.startswith("<b>Recommandation : ")
    assert "5 créateurs · 2 000 € sur 15 000 € · " in card and "abonnés" in card  # a test
    with i18n.speaking("fr"):
        fullest = render(
            Template.RECOMMENDATION_CARD, **view_values(stored, kb), layout=card_layouts(stored)[0]
        )
    assert "Ventes · 15 000 € · Mode · Instagram · audience : France · langue : fr" in _plain(
        fullest
    )
    assert why.startswith("<b>Pourquoi ce choix : ")
    assert "Sources : [" in why and "blog de marketing numérique de HEC Montréal" in why
    assert "« Notre lecture » signale le raisonnement propre du bot." in why
    assert "<b>Sélection</b> — " in texts[View.SHORTLIST] and "Atouts : " in texts[View.SHORTLIST]
    forecast = texts[View.FORECAST]
    assert "<b>Prévisions</b> : fourchettes d’un résultat faible" in forecast
    assert "personnes touchées · " in forecast and "interactions" in forecast
    how = texts[View.HOW]
    assert "<b>Le détail des calculs</b>" in how and "voient une publication" in how
    assert "<b>Check-list</b> · France" in texts[View.CHECKLIST]
    for text in texts.values():
        for english in (
            "Recommendation",
            "Why ",
            "Good to know",
            "Shortlist",
            "Forecast",
            "people reached",
            "engagement rate",
            "This plan",
            "Sources:",
            "our reading",
            "How these numbers",
            "Fits:",
            "Checklist",
            "Reminders, not legal advice",
        ):
            assert english not in text, (english, text)
        _french_only(text)


def test_reasons_and_tips_are_the_french_texts_of_the_knowledge_base(
    french: None, kb: KnowledgeBase
) -> None:
    stored = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "pets"), people=[])
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    text = html_to_text(view_text(View.WHY, stored, services))
    reasons = view_values(stored, kb)["reasons"]
    assert reasons
    for fact in reasons:
        assert fact.text_fr in text and fact.text not in text
    assert "Comment trouver des créateurs en " in text
    assert kb.finding_tips[0].text_fr.split("{niche}")[0] in text


AUDIENCE = {"available": 2, "country": "FR", "language": "fr", "share": 0.8}
LEFT = {"left_cents": 12_000, "metric": "conversions", "per": 1}
# A two-wave plan's notice with wave 1's own forecast, per 1,000 people reached.
WAVES_FORECAST: dict[str, Any] = {
    "booked_cents": 200_000,
    "reserve_cents": 600_000,
    "reserve_lines": 8,
    "wave_one_people": 6,
    "release_low_cents": 2_000.0,
    "release_high_cents": 5_000.0,
    "forecast_cents": 2_000.0,
    "metric": "reach",
}
NOTICES: list[tuple[str, dict[str, Any], str | None]] = [
    ("no_match", {"nearest": ["travel"]}, None),
    ("no_match", {"nearest": []}, None),
    ("niche_widened", {"nearest": ["travel", "beauty"]}, None),
    ("platform_widened", {}, None),
    ("platform_widened", {"own": 2}, None),
    ("scope_widened", {"nearest": ["travel"], "own": 0}, None),
    ("scope_widened", {"nearest": ["travel", "beauty"], "own": 3}, None),
    ("scope_widened", {"nearest": ["travel"], "own": 1, "unbooked": True}, None),
    ("scope_widened", {"nearest": ["travel"], "own": 2, "elsewhere": 40}, None),
    ("niche_widened", {"nearest": ["travel"], "own": 2, "elsewhere": 40}, None),
    ("platform_widened", {"own": 2, "elsewhere": 92}, None),
    ("platform_widened", {"own": 2, "unbooked": True}, None),
    ("niche_widened", {"nearest": ["travel"], "own": 1, "unbooked": True}, None),
    ("platform_widened", {"own": 0, "listed": True}, None),
    ("niche_widened", {"nearest": ["travel"], "own": 0, "listed": True}, None),
    ("niche_widened", {"nearest": ["travel"], "own": 1}, None),
    ("roster_lacks", {"side": "macro"}, None),
    ("local", {"town": "Bordeaux", "country": "FR"}, None),
    (
        "asked_dearer",
        {"names": ["Ana"], "cost_cents": 11_700, "metric": "reach", "multiple": 2.0},
        None,
    ),
    (
        "asked_dearer",
        {
            "names": ["Ana", "Léo"],
            "cost_cents": 120,
            "metric": "engagements",
            "multiple": 2.0,
            "platform": "youtube",
        },
        None,
    ),
    ("side_widened", {"side": "macro", "niche_widened": True, "niches": ["travel"]}, None),
    ("side_widened", {"side": "macro", "niche_widened": False, "niches": []}, None),
    ("nothing_affordable", {"cheapest_cents": 4_000}, None),
    ("nothing_affordable", {"cheapest_cents": 200_000, "most_cents": 150_000}, None),
    ("none_worth_it", {}, None),
    ("audience_unknown", {"country": "DE", "language": None}, None),
    ("retainer_too_dear", {"posts": 6, "per_post_cents": 8_000, "cost_cents": 48_000}, None),
    ("regulated", {}, None),
    (
        "test",
        {
            "margin_cents": 720.0,
            "needed": 28,
            "cheapest_cents": 25_000.0,
            "spent_cents": 20_000,
            "share": 0.25,
            "people": 2,
        },
        "INF-track-per-creator",
    ),
    (
        "test",
        {
            "margin_cents": 720.0,
            "needed": 28,
            "cheapest_cents": 25_000.0,
            "spent_cents": 10_000,
            "share": 0.25,
            "people": 1,
            "sales": 0.6,
            "clicks": 40.0,
        },
        "INF-track-per-creator",
    ),
    (
        "left_out",
        {
            "counts": {
                "low_quality": 1,
                "frequent": 2,
                "weak_engagement": 3,
                "implausible_engagement": 1,
                "cheap_ask": 4,
                "over_market": 2,
            },
            "total": 12,
            "limit": 14.0,
            "over_market_multiple": 2.0,
        },
        "S1-feed-dilution",
    ),
    ("left_out", {"counts": {"gifted_only": 1}, "total": 1, "limit": 14.0}, None),
    (
        "audience",
        AUDIENCE | {"on_target_cents": 1_000, "elsewhere_cents": 1_000, "spent_cents": 2_000},
        None,
    ),
    (
        "audience",
        AUDIENCE
        | {"on_target_cents": 2_000, "elsewhere_cents": 0, "spent_cents": 2_000, "language": None},
        None,
    ),
    (
        "audience",
        AUDIENCE
        | {"on_target_cents": 0, "elsewhere_cents": 10, "spent_cents": 10, "country": None},
        None,
    ),
    (
        "audience",
        AUDIENCE | {"on_target_cents": 0, "elsewhere_cents": 10, "spent_cents": 10, "available": 0},
        None,
    ),
    (
        "big_voice",
        {
            "alternative": "micro",
            "more_pct": 35,
            "metric": "reach",
            "name": "Max",
            "followers": 650_000,
        },
        None,
    ),
    (
        "against_strategy",
        {
            "strategy": "micro",
            "side": "macro",
            "why": "none",
            "cheapest_cents": 5_000,
            "most_cents": 2_000,
        },
        None,
    ),
    (
        "against_strategy",
        {"strategy": "micro", "side": "macro", "why": "none", "cheapest_cents": 0},
        None,
    ),
    (
        "against_strategy",
        {"strategy": "micro", "side": "macro", "why": "capacity", "capacity_cents": 5_000},
        None,
    ),
    (
        "against_strategy",
        {"strategy": "micro", "side": "macro", "why": "dearer_side", "capacity_cents": 5_000},
        None,
    ),
    ("countries", {"count": 4, "top": ["FR", "DE", "BE"]}, None),
    (
        "left",
        LEFT
        | {
            "why": "not_worth",
            "next_cents": 29_000,
            "limit_cents": 28_200,
            "multiple": 2.0,
            "margin_bound": False,
            "metric": "conversions",
        },
        None,
    ),
    ("ask_margin", {}, None),
    ("against_strategy", {"strategy": "macro", "why": "unbookable", "left_out": 2}, None),
    ("against_strategy", {"strategy": "macro", "why": "unbookable", "left_out": 0}, None),
    (
        "against_strategy",
        {"strategy": "macro", "why": "unbookable", "left_out": 0, "audience": True},
        None,
    ),
    ("left", LEFT | {"why": "test"}, None),
    ("left", LEFT | {"why": "test", "hopeless": True}, None),
    ("left", LEFT | {"why": "nobody"}, None),
    ("left", LEFT | {"why": "cap", "cap": 3, "retainer": True}, None),
    (
        "left",
        LEFT | {"why": "cap", "cap": 3, "retainer": True, "extend_cents": 5_000, "max_months": 12},
        None,
    ),
    ("left", LEFT | {"why": "cap", "cap": 10, "retainer": False}, None),
    ("left", LEFT | {"why": "audience", "share": 0.8}, None),
    (
        "left",
        LEFT
        | {
            "why": "not_worth",
            "next_cents": 900.0,
            "limit_cents": 720.0,
            "margin_bound": True,
            "multiple": 2.0,
        },
        None,
    ),
    (
        "left",
        LEFT
        | {
            "why": "not_worth",
            "metric": "reach",
            "next_cents": 9_000.0,
            "limit_cents": 7_200.0,
            "margin_bound": False,
            "multiple": 2.0,
        },
        None,
    ),
    (
        "dearer",
        {
            "alternative": "micro",
            "alternative_cents": 29_000.0,
            "alternative_measure": 103.0,
            "plan_cents": 45_000.0,
            "extra": 227.0,
            "extra_cents": 52_000.0,
            "metric": "conversions",
            "multiple": 2.0,
        },
        None,
    ),
    (
        "dearer",  # the extra over the multiple: kept for the reasons, not the figures
        {
            "alternative": "micro",
            "alternative_cents": 29_000.0,
            "alternative_measure": 103.0,
            "plan_cents": 45_000.0,
            "extra": 227.0,
            "extra_cents": 70_000.0,
            "metric": "conversions",
            "multiple": 2.0,
        },
        None,
    ),
    (
        "waves",
        {
            "booked_cents": 200_000,
            "reserve_cents": 600_000,
            "reserve_lines": 8,
            "wave_one_people": 6,
            "release_low_cents": 2_000.0,
            "release_high_cents": 5_000.0,
            "metric": "conversions",
        },
        None,
    ),
    (
        "waves",  # with wave 1's own forecast, in the plan's unit
        WAVES_FORECAST,
        None,
    ),
    ("one_platform", {"pct": 80, "platform": "blog", "other": "instagram"}, None),
    (
        "ambassador",
        {
            "months": [3, 6],
            "per_month": 2,
            "names": ["Léa"],
            "premium_low": 0.1,
            "premium_high": 0.25,
            "with_exclusivity_cents": 400_000,
        },
        "INF-exclusivity-discuss",
    ),
    (
        "fair_pay",
        {"names": ["Léa"], "people": 1, "floor_cents": 10_000, "extra_cents": 4_000},
        "S1-fair-pay",
    ),
    (
        "fair_pay",
        {"names": ["Léa", "Max"], "people": 3, "floor_cents": 10_000, "extra_cents": 9_000},
        "S1-fair-pay",
    ),
    (
        "seeding",
        {"parcels": 3, "gift_cents": 2_500, "shipping_cents": 800, "cost_cents": 9_900},
        None,
    ),
    (
        "seeding",
        {"parcels": 0, "gift_cents": 2_500, "shipping_cents": 800, "cost_cents": 0},
        None,
    ),
    (
        "cpm",
        {
            "platform": "instagram",
            "cost_cents": 6_000.0,
            "low_cents": 500.0,
            "high_cents": 4_000.0,
            "above": True,
        },
        None,
    ),
    (
        "cpm",
        {
            "platform": "tiktok",
            "cost_cents": 300.0,
            "low_cents": 500.0,
            "high_cents": 3_500.0,
            "above": False,
        },
        None,
    ),
    (
        "break_even",
        {
            "needed": 40,
            "reached": "maybe",
            "worst_cents": -50_000,
            "best_cents": 90_000,
            "salesperson_days": 1,
            "spent_cents": 300_000,
            "day_cents": 26_000,
        },
        "S1-like-a-salesperson",
    ),
    ("break_even", {"needed": 40, "reached": "no", "best": 12}, None),
    ("break_even", {"needed": 40, "reached": "no", "best": 0.4}, "S1-like-a-salesperson"),
    (
        "break_even",
        {
            "needed": 40,
            "reached": "no",
            "best": 2,
            "salesperson_days": 0.3,
            "spent_cents": 8_000,
            "day_cents": 26_000,
        },
        "S1-like-a-salesperson",
    ),
    ("break_even", {"needed": 40, "reached": "yes"}, "S1-like-a-salesperson"),
    ("break_even", {}, "S1-like-a-salesperson"),
    ("sample_people", {"count": 1, "mixed": False}, None),
    ("sample_people", {"count": 12, "mixed": False}, None),
    ("sample_people", {"count": 2, "mixed": True}, None),
    ("sample_people", {"count": 2, "people": 5, "mixed": True}, None),
]


@pytest.mark.parametrize(("code", "params", "fact"), NOTICES, ids=[n[0] for n in NOTICES])
def test_every_notice_in_french(
    french: None, kb: KnowledgeBase, code: str, params: dict[str, Any], fact: str | None
) -> None:
    stored = _stored(kb, Brief(Goal.LAUNCH, 300_000, "EUR", "finance", "instagram"))
    notice = StoredNotice(code=code, params=params, fact=fact)
    macro = environment().get_template("_notices.html").module.notice
    text = str(macro(notice, stored, kb, Labels(kb))).strip()
    assert text
    _french_only(text)
    if fact is not None:
        assert html_to_text(kb.fact(fact).text_fr) in html_to_text(text)


SHORT_ONLY: list[tuple[str, dict[str, Any], str | None]] = [
    ("test", {"needed": 33, "best": 32.6, "people": 2, "spent_cents": 45_000}, None),
    ("test", {"needed": 14, "best": 2.6, "people": 1, "spent_cents": 10_000}, None),
    ("test", {"needed": 4, "best": 0.6, "people": 1, "spent_cents": 10_000}, None),
    ("break_even", {"needed": 40, "reached": "no", "best": 12.0}, None),
    ("break_even", {"needed": 40, "reached": "no", "best": 0.4}, None),
    ("break_even", {"needed": 40, "reached": "maybe", "best": 55.0}, None),
    ("niche_widened", {"nearest": ["cooking"], "listed": False}, None),
    ("niche_widened", {"nearest": ["cooking"], "listed": True, "own": 0}, None),
    ("niche_widened", {"nearest": ["cooking"], "own": 2, "elsewhere": 60}, None),
    ("platform_widened", {"own": 1, "elsewhere": 40}, None),
    ("scope_widened", {"own": 0, "nearest": ["beauty"], "unbooked": True}, None),
    ("sample_people", {"count": 2, "people": 5, "mixed": True}, None),
    ("sample_people", {"count": 2, "mixed": True}, None),
    ("sample_people", {"count": 3, "people": 3, "mixed": False}, None),
]


@pytest.mark.parametrize(
    ("code", "params", "fact"), NOTICES + SHORT_ONLY, ids=[n[0] for n in NOTICES + SHORT_ONLY]
)
def test_every_notice_on_the_card_in_french(
    french: None, kb: KnowledgeBase, code: str, params: dict[str, Any], fact: str | None
) -> None:
    """The card's short form of each notice: French, a few phone lines at most."""
    stored = _stored(kb, Brief(Goal.LAUNCH, 300_000, "EUR", "finance", "instagram"))
    notice = StoredNotice(code=code, params=params, fact=fact)
    macro = environment().get_template("_card_notices.html").module.short_notice
    text = str(macro(notice, stored, kb, Labels(kb))).strip()
    assert text and "\n" not in text
    _french_only(text)


def test_a_best_case_that_rounds_to_the_sales_needed_falls_just_short(kb: KnowledgeBase) -> None:
    stored = _stored(kb, Brief(Goal.LAUNCH, 300_000, "EUR", "finance", "instagram"))
    macro = environment().get_template("_card_notices.html").module.short_notice
    close = StoredNotice(code="test", fact=None, params={"needed": 33, "best": 32.6})
    far = StoredNotice(code="test", fact=None, params={"needed": 33, "best": 21.6})
    assert "even the best case falls just short" in str(macro(close, stored, kb, Labels(kb)))
    assert "even the best case is about 22." in str(macro(far, stored, kb, Labels(kb)))


def test_plurals_follow_the_french_rule(french: None) -> None:
    for n, form in ((0, "créateur"), (1, "créateur"), (2, "créateurs"), (1_000_000, "créateurs")):
        assert i18n.ngettext("%(num)s creator", "%(num)s creators", n) == f"%(num)s {form}"


def test_questions_summary_and_errors_in_french(french: None, kb: KnowledgeBase) -> None:
    labels = Labels(kb)
    cases: list[tuple[Template, dict[str, Any], str]] = [
        (Template.WELCOME, {}, "J’aide les petites entreprises"),
        (
            Template.HELP,
            {"currency": "EUR", "admin": True},
            "/conseil — obtenir une recommandation",
        ),
        (Template.ASK_GOAL, {"retry": True}, "Quel est l’objectif de la campagne ?"),
        (Template.ASK_BUDGET, {"currency": "EUR"}, "Par exemple : 800, 1 500 ou 2,5k."),
        (
            Template.ASK_NICHE,
            {"text": "tricot", "suggestions": []},
            "Je ne connais pas la niche « tricot ».",
        ),
        (
            Template.ASK_NICHE,
            {"text": "", "suggestions": []},
            "Dans quelle niche est votre activité ?",
        ),
        (Template.ASK_PLATFORM, {"text": ""}, "« Toutes plateformes »"),
        (
            Template.ASK_PLATFORM,
            {"text": "myspace"},
            "Je ne connais pas la plateforme « myspace ».",
        ),
        (
            Template.ASK_OPTION,
            {"field": "country", "text": "", "currency": "EUR"},
            "Où sont vos clients",
        ),
        (
            Template.ASK_OPTION,
            {"field": "language", "text": "??", "currency": ""},
            "comme une langue",
        ),
        (
            Template.ASK_OPTION,
            {"field": "order_value", "text": "", "currency": "EUR"},
            "(en EUR) ?",
        ),
        (
            Template.ASK_OPTION,
            {"field": "margin", "text": "", "currency": "EUR"},
            "en % (par exemple 30) ou en montant (par exemple 12 €) ?",
        ),
        (
            Template.BUDGET_ERROR,
            {"problem": "unreadable", "text": "beaucoup", "currency": "", "expected": "EUR"},
            "Je n’ai pas pu lire de budget dans « beaucoup ».",
        ),
        (
            Template.BUDGET_ERROR,
            {
                "problem": "wrong_currency",
                "text": "",
                "currency": "USD",
                "expected": "EUR",
                "field": "order_value",
            },
            "Ici, les montants sont en EUR, pas en USD.",
        ),
        (Template.CHANGE_WHICH, {"problem": True}, "Quelle réponse voulez-vous modifier ?"),
        (
            Template.SUMMARY,
            {
                "brief": Brief(
                    Goal.LAUNCH, 150_000, "EUR", "cooking", None, "FR", "fr", 4_000, 30.0
                ),
                "labels": labels,
                "nudge": True,
            },
            "Objectif : Lancement de produit\nBudget : 1 500 €\nNiche : Cuisine\n"
            "Plateforme : toutes",
        ),
        (
            Template.CHECKLIST,
            {"country": None, "lines": kb.checklist_for(None, "cooking")},
            "Des rappels, pas un conseil juridique.",
        ),
        (Template.ERROR, {"kind": "failed"}, "Vos réponses sont conservées"),
        (Template.ERROR, {"kind": "not_delivered"}, "inutile de la renvoyer"),
        (Template.NOT_TEXT, {}, "je ne sais lire que du texte"),
        (Template.UNKNOWN_COMMAND, {}, "Je ne connais pas cette commande."),
        (Template.UNKNOWN_COMMAND, {"suggestion": "conseil"}, "Vouliez-vous dire /conseil"),
        (Template.FALLBACK_TEXT, {}, "Tapez /conseil"),
        (
            Template.FORM_LEFT,
            {
                "forms": ["advise", "add", "import", "campaign", "campaign_change", "results"],
                "campaign_waiting": True,
            },
            "J’ai mis votre brief de côté : /conseil le reprend",
        ),
        (Template.PLAN_FILE_CAPTION, {"people": 1}, "Le plan : 1 créateur,"),
        (Template.PLAN_FILE_CAPTION, {"people": 3}, "Le plan : 3 créateurs,"),
    ]
    for template, values, expected in cases:
        text = _plain(render(template, **values))
        assert _plain(expected) in text, (template, text)
        if template is not Template.HELP:  # help names the English goal words one types
            _french_only(text)


def test_answers_to_questions_in_french(french: None, kb: KnowledgeBase) -> None:
    for question in questions():
        text = _plain(render(Template.QUESTION_ANSWER, answer=answer(question, kb, "EUR")))
        assert text.endswith("/conseil pour obtenir un plan")
        _french_only(text)
    followers = next(q for q in questions() if q.id == "followers")
    text = _plain(render(Template.QUESTION_ANSWER, answer=answer(followers, kb, "EUR")))
    assert "comptent comme micro" in text and "(notre hypothèse)" in text


def test_the_chart_and_its_caption_in_french(french: None, kb: KnowledgeBase) -> None:
    stored = _stored(kb, Brief(Goal.AWARENESS, 1_200_000, "EUR", "fashion"))
    chart = plan_chart(stored)
    assert chart is not None and chart.language == "fr"
    assert _plain(chart.title) == "Ce que permettent 12 000 €"
    assert chart.axis == "Personnes touchées"
    label = _plain(chart.groups[0].bars[0].label)
    assert label.startswith("Ce plan, ") and label.endswith(" personnes touchées")
    caption = _plain(render(Template.CHART_PLAN_CAPTION, chart=chart))
    assert caption.splitlines()[:2] == ["Ce que permettent 12 000 €", label]
    assert caption.endswith("Barres : la prévision médiane ; traits : sa fourchette.")
    _french_only(caption)


def test_the_plan_file_in_french(french: None, kb: KnowledgeBase) -> None:
    stored = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion"))
    text = plan_csv(stored, kb)
    assert text.startswith("\ufeff")  # French Excel reads accents right only with a BOM
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:5] == ["Vague", "Réservé", "Nom", "Compte", "Lien du profil"]
    assert "Prix par publication" in rows[0] and "Portée (fourchette basse)" in rows[0]
    assert {row[1] for row in rows[1:-1]} <= {"oui", "réserve"}
    assert rows[-1][0] == "Total"
    sales = rows[-1][rows[0].index("Ventes")]
    assert "." not in sales and float(sales.replace(",", ".")) > 0  # a decimal comma
    assert float(rows[1][rows[0].index("Coût")].replace(",", ".")) > 0


def test_buttons_in_french(french: None, kb: KnowledgeBase) -> None:
    def texts(markup: Any) -> list[str]:
        return [button.text for row in markup.inline_keyboard for button in row]

    assert texts(keyboards.recommendation_card(1, True)) == CARD_BUTTONS
    assert texts(keyboards.goals("b1"))[0] == "Ventes"
    assert texts(keyboards.summary("b1"))[:2] == [
        "✅ Obtenir ma recommandation",
        "Objectif",
    ]
    assert texts(keyboards.skip("b1", "margin")) == ["Passer"]
    assert texts(keyboards.recommendation_view(1, View.FORECAST, 0, 1, True)) == [
        "🧮 Le détail des calculs",
        "◀ Retour",
    ]
    assert texts(keyboards.campaign_start()) == ["Aujourd’hui", "Demain", "Lundi prochain"]
    # The data behind a button stays the same in every language.
    start = keyboards.campaign_start().inline_keyboard[0][0].callback_data
    with i18n.speaking("en"):
        assert keyboards.campaign_start().inline_keyboard[0][0].callback_data == start
        assert texts(keyboards.goals("b1"))[0] == "Sales"


def _within_market(stored: StoredRecommendation) -> StoredRecommendation:
    """The plan with no line priced over what agencies pay for the people it reaches."""
    lines = [
        line.model_copy(update={"notes": [n for n in line.notes if n[0] != "over_market"]})
        for line in stored.plan.lines
    ]
    return stored.model_copy(update={"plan": stored.plan.model_copy(update={"lines": lines})})


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_shortlist_says_when_an_ask_is_over_twice_the_rosters_median(
    kb: KnowledgeBase, language: str
) -> None:
    stored = _within_market(_stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion")))
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    first, second = stored.plan.lines[:2]
    prices = {
        first.id: PriceRange(first.ask_cents // 4, first.ask_cents // 2 - 1, first.ask_cents, 9),
        second.id: PriceRange(second.ask_cents // 4, second.ask_cents // 2, second.ask_cents, 9),
    }
    with i18n.speaking(language):
        text = _plain(view_text(View.SHORTLIST, stored, services, prices=prices))
    # Over twice, but within what agencies pay for the people a post reaches (the engine left
    # out those over it): said as a fair price, not "negotiate" with no figure (a planner's
    # read: two price yardsticks on every line, neither saying what to do).
    note = "le sien en fait plus du double" if language == "fr" else "theirs is over twice that"
    assert text.count(note) == 1  # the first asks over twice its median, the second twice
    cheap = "une demande basse" if language == "fr" else "a low ask, check it is current"
    assert cheap not in text
    low = {
        first.id: PriceRange(first.ask_cents, first.ask_cents * 2 + 1, first.ask_cents * 3, 9),
        second.id: PriceRange(second.ask_cents, second.ask_cents * 2, second.ask_cents * 3, 9),
    }
    with i18n.speaking(language):
        under = _plain(view_text(View.SHORTLIST, stored, services, prices=low))
    assert under.count(cheap) == 1  # the first asks under half its median, the second half


def test_no_median_note_for_a_creator_paid_the_fair_pay_floor(kb: KnowledgeBase) -> None:
    """A creator raised to the floor pays no heed to the roster's median: nothing to
    negotiate down."""
    people = [Candidate(1, "Low", "@low", "instagram", ("fashion",), 8_000, 3.0, 4_000)]
    stored = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion"), people)
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    [line] = stored.plan.lines
    assert line.price_cents > line.ask_cents  # offered the floor
    prices = {line.id: PriceRange(500, 1_000, 2_000, 9)}  # asks four times the median
    text = _plain(view_text(View.SHORTLIST, stored, services, prices=prices))
    assert "median €10" in text and "over twice that" not in text


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_shortlist_holds_an_ask_against_accounts_of_the_same_size(
    kb: KnowledgeBase, language: str
) -> None:
    """A tier spans 10k to 100k followers: an ask is held against what the roster asks per
    1,000 followers, times the account's own followers, and that figure is shown."""
    priced = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion"))
    stored = _within_market(priced)
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    line = stored.plan.lines[0]
    rate = line.ask_cents * 1000 / line.followers  # what this account asks per 1,000
    # The group's median is far over the ask (bigger accounts), but accounts this size ask
    # the same: nothing to say; then they ask 2.5 times more, or 2.5 times less.
    for per_thousand, said in ((rate, None), (rate / 2.5, "over"), (rate * 2.5, "under")):
        prices = {line.id: PriceRange(10_000, line.ask_cents * 10, 90_000, 9, per_thousand)}
        with i18n.speaking(language):
            text = _plain(view_text(View.SHORTLIST, stored, services, prices=prices))
        size = "pour sa taille" if language == "fr" else "for their size"
        over = "le sien en fait plus du double" if language == "fr" else "theirs is over twice"
        under = "une demande basse" if language == "fr" else "a low ask, check it is current"
        assert size in text and "median" not in text and "médiane" not in text
        assert (over in text) is (said == "over") and (under in text) is (said == "under")
        # Over what agencies pay for the people a post reaches: that note says what to do, and
        # the size's is not said beside it.
        with i18n.speaking(language):
            high = _plain(view_text(View.SHORTLIST, priced, services, prices=prices))
        assert over not in high and under not in high  # not "a low ask" beside "a high price"


@pytest.mark.parametrize("language", ["en", "fr"])
def test_an_unaudited_audience_is_said_and_counted_at_the_floor(
    kb: KnowledgeBase, language: str
) -> None:
    """No audience quality on record: the shortlist asks for the stats, the forecast counts
    the least a booked account may have, and the plan file leaves the cell empty rather
    than show the assumption as a measure."""
    people = [
        Candidate(1, "Known", "@known", "instagram", ("fashion",), 20_000, 3.0, 20_000, None, 90),
        Candidate(2, "Unknown", "@unknown", "instagram", ("fashion",), 20_000, 3.0, 20_000),
    ]
    stored = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion"), people)
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    unknown = next(line for line in stored.plan.lines if line.handle == "@unknown")
    assert not unknown.quality_known
    assert unknown.audience_quality == kb.assumptions.plan.audience_quality_floor
    with i18n.speaking(language):
        text = _plain(view_text(View.SHORTLIST, stored, services))
    asked = "demandez d’abord ses statistiques" if language == "fr" else "ask for their audience"
    assert text.count(asked) == 1
    with i18n.speaking(language):
        text = plan_csv(stored, kb)
    cells = io.StringIO(text.removeprefix("\ufeff"))
    rows = list(csv.reader(cells, delimiter=";" if language == "fr" else ","))
    header = "Qualité de l’audience (%)" if language == "fr" else "Audience quality (%)"
    column = rows[0].index(header)
    cells = {row[3]: row[column] for row in rows[1:-1]}
    assert cells == {"known": "90", "unknown": ""}


@pytest.mark.parametrize(("own", "said"), [(1, "That creator is not"), (3, "None of those 3 is")])
def test_creators_asked_for_yet_left_out_are_named_as_those_left_out(
    kb: KnowledgeBase, own: int, said: str
) -> None:
    """ "None of them" after "so the plan also looks at other platforms" read as the other
    platforms, beside a plan made of them: the words say it is those asked for."""
    stored = _stored(kb, Brief(Goal.LAUNCH, 300_000, "EUR", "finance", "instagram"))
    params = {"own": own, "unbooked": True}
    notice = StoredNotice(code="platform_widened", params=params, fact=None)
    why = environment().get_template("_notices.html").module.notice
    text = html_to_text(str(why(notice, stored, kb, Labels(kb))))
    assert f"{said} in this plan: they cost too much for what they bring." in text
    card = environment().get_template("_card_notices.html").module.short_notice
    short = html_to_text(str(card(notice, stored, kb, Labels(kb))))
    assert short.strip() == (
        "⚠️ Few creators on Instagram, and they cost too much for what they bring: "
        "the plan uses other platforms."
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_checklist_names_the_ad_words_of_a_country_without_a_line_of_its_own(
    kb: KnowledgeBase, language: str
) -> None:
    """Germany (or Portugal) has no disclosure line of its own in the checklist, but the
    shortlist knows its words (“Werbung” or “Anzeige”): the checklist names them too, not
    “e.g. ad”, left for a country whose words are not known (Japan)."""
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    texts = {}
    for country in ("DE", "PT", "JP"):
        stored = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion", country=country))
        with i18n.speaking(language):
            texts[country] = _plain(view_text(View.CHECKLIST, stored, services))
    german = "Allemagne : indiquez dès le début" if language == "fr" else "Germany: make it clear"
    assert german in texts["DE"] and "Werbung" in texts["DE"]
    generic = "par ex. « publicité »" if language == "fr" else "(e.g. “ad”)"
    assert generic not in texts["DE"] and generic in texts["JP"]  # Japan: none known
    assert generic not in texts["PT"] and "#pub" in texts["PT"]
    # Belgium speaks several languages: the label of the brief's audience's.
    brief = Brief(Goal.SALES, 300_000, "EUR", "fashion", country="BE", language="fr")
    with i18n.speaking(language):
        belgian = _plain(view_text(View.CHECKLIST, _stored(kb, brief), services))
    assert "#publicité" in belgian and "#reclame" not in belgian


@pytest.mark.parametrize("language", ["en", "fr"])
def test_money_left_past_the_ambassador_cap_says_what_extending_takes(
    kb: KnowledgeBase, language: str
) -> None:
    """€120 left, extending every retainer to 12 months takes €50 of it: Why and the card say
    the €50 and the €70 nothing needs; where extending takes it all, the retainers keep it."""
    stored = _stored(kb, Brief(Goal.AMBASSADOR, 300_000, "EUR", "travel", "instagram"))
    params = LEFT | {"why": "cap", "cap": 4, "retainer": True, "max_months": 12}
    with i18n.speaking(language):
        why = environment().get_template("_notices.html").module.notice
        card = environment().get_template("_card_notices.html").module.short_notice
        labels = Labels(kb)
        part = StoredNotice(code="left", params=params | {"extend_cents": 5_000}, fact=None)
        whole = StoredNotice(code="left", params=params | {"extend_cents": 12_000}, fact=None)
        texts = [
            html_to_text(str(macro(n, stored, kb, labels)))
            for macro in (why, card)
            for n in (part, whole)
        ]
    if language == "en":
        assert (
            "Extending every retainer to 12 months once the first months' results are in"
            in (texts[0])
        )
        assert "would take €50 of it; the other €70 is more than this programme needs." in texts[0]
        assert "Keep the rest to extend the retainers (up to 12 months)" in texts[1]
        assert "€120 left: extending the retainers would use €50 of it." in texts[2]
        assert "€120 left, to extend the retainer once results are in." in texts[3]
    else:
        assert "Prolonger chaque contrat jusqu’à 12 mois" in texts[0]
        assert "en prendrait 50\xa0€\xa0; les 70\xa0€ restants dépassent" in texts[0]
        assert "Gardez le reste pour prolonger les contrats" in texts[1]
        assert "prolonger les contrats en prendrait 50\xa0€." in texts[2]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_price_high_for_the_people_reached_says_what_the_first_message_offers(
    kb: KnowledgeBase, language: str
) -> None:
    """Over what agencies pay for the people a post reaches: the shortlist says the figure
    the creator's first message opens at, the same as the message (a planner's read: "you
    might offer €310" beside a message offering €480); none where the opening would be under
    the fair-pay floor."""
    stored = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion"))
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    line = next(line for line in stored.plan.lines if market_offer_cents(line) is not None)
    opening = opening_offer_cents(line, kb, "EUR")
    assert opening is not None and opening < line.cost_cents
    with i18n.speaking(language):
        text = _plain(view_text(View.SHORTLIST, stored, services))
        offer = _plain(i18n.money(opening, "EUR"))
        message = _plain(first_message(stored, line, kb))
    said = "le premier message propose" if language == "fr" else "the first message offers"
    assert f"{said} {offer}" in text
    assert f"for €{opening // 100} in all" in message  # in the creator's language, English
    floor = kb.assumptions.fair_pay_floor["EUR"] * 100
    at_floor = line.model_copy(update={"price_cents": floor, "ask_cents": floor})
    assert opening_offer_cents(at_floor, kb, "EUR") is None


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_tiny_test_of_one_creator_says_neither_a_few_nor_nothing_to_do(
    kb: KnowledgeBase, language: str
) -> None:
    """A one-creator test no longer says "it tries a few" (a planner's read), and one far
    too small to be read (17 clicks of the 300 it takes) points to gifted posts, unless the
    brief already asks for them."""
    params = {
        "needed": 9,
        "best": 3.1,
        "people": 1,
        "spent_cents": 5_000,
        "sales": 0.9,
        "cheapest_cents": 3_000,
        "clicks": 17.0,
        "readable": 300,
        "margin_cents": 600.0,
        "share": 0.25,
        "discount_pct": 10,
    }
    macro = environment().get_template("_notices.html").module.notice
    texts = {}
    for people, gifting in ((1, False), (3, False), (1, True)):
        brief = Brief(Goal.SALES, 300_000, "EUR", "fashion", "instagram", gifting=gifting)
        stored = _stored(kb, brief)
        notice = StoredNotice(
            code="test", params=params | {"people": people}, fact="INF-track-per-creator"
        )
        with i18n.speaking(language):
            texts[people, gifting] = html_to_text(str(macro(notice, stored, kb, Labels(kb))))
    few = "il en essaie plusieurs" if language == "fr" else "it tries a few"
    gifts = "qui travaillent contre des cadeaux" if language == "fr" else "who work for gifts"
    assert few not in texts[1, False] and few in texts[3, False]
    assert gifts in texts[1, False] and gifts in texts[3, False]
    assert gifts not in texts[1, True]


@pytest.mark.parametrize(
    ("language", "heading"),
    [
        ("en", "micro side: under 100k followers (nano, micro)"),
        ("fr", "côté micro : moins de 100k abonnés (nano, micro)"),
    ],
)
def test_a_sides_heading_names_its_tiers(kb: KnowledgeBase, language: str, heading: str) -> None:
    """A "(mid-tier)" pick listed under "macro side: 100k followers and more" read as a
    contradiction (a planner's read): each side's heading names the tiers it holds."""
    stored = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion"))
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    with i18n.speaking(language):
        text = _plain(view_text(View.SHORTLIST, stored, services))
        macro = _plain(
            str(environment().get_template("_macros.html").module.side_heading("macro", kb))
        )
    assert heading in text
    mid = "intermédiaire" if language == "fr" else "mid-tier"
    assert macro.endswith(f"({mid}, macro, méga)" if language == "fr" else f"({mid}, macro, mega)")


@pytest.mark.parametrize("language", ["en", "fr"])
def test_money_left_off_the_niche_or_platform_names_the_next_brief(
    kb: KnowledgeBase, language: str
) -> None:
    """Money left because the rest would go off what was asked: the next step names the
    nearby niche the plan went to, and any platform where the brief named one."""
    params = LEFT | {"why": "widened", "asked_cents": 4_000}
    macro = environment().get_template("_notices.html").module.notice
    texts = {}
    for platform, nearby in (("instagram", ["diy"]), (None, ["diy"]), ("instagram", [])):
        stored = _stored(kb, Brief(Goal.AWARENESS, 300_000, "EUR", "fashion", platform))
        notice = StoredNotice(code="left", params=params | {"nearby": nearby}, fact=None)
        with i18n.speaking(language):
            texts[platform, bool(nearby)] = html_to_text(str(macro(notice, stored, kb, Labels(kb))))
    diy = "Bricolage" if language == "fr" else "DIY"
    anywhere = "🌐"
    assert diy in texts["instagram", True] and anywhere in texts["instagram", True]
    assert diy in texts[None, True] and anywhere not in texts[None, True]
    assert diy not in texts["instagram", False] and anywhere in texts["instagram", False]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_unit_cost_with_its_middle_at_an_end_is_given_as_the_range(language: str) -> None:
    """A forecast capped at the creator's real audience has its middle at its best end:
    "about €0.43 per engagement (€0.43–€0.88)" read as a range whose middle is its end (a
    planner's read); it is the range alone, with an "about" only inside it."""
    from types import SimpleNamespace

    macro = environment().get_template("_macros.html").module.headline
    at_end = SimpleNamespace(
        metric="engagements", cheapest_cents=43, dearest_cents=88, mid_cents=43
    )
    inside = SimpleNamespace(
        metric="engagements", cheapest_cents=43, dearest_cents=88, mid_cents=60
    )
    with i18n.speaking(language):
        capped = _plain(str(macro(at_end, "EUR")))
        middle = _plain(str(macro(inside, "EUR")))
    unbounded = SimpleNamespace(
        metric="conversions", cheapest_cents=3_300, dearest_cents=None, mid_cents=5_000
    )
    infinite = SimpleNamespace(
        metric="conversions", cheapest_cents=3_300, dearest_cents=float("inf"), mid_cents=3_300
    )
    with i18n.speaking(language):
        # "maybe no sale" at the low end: no dear end (a twelfth planner's read: the Forecast
        # view of sales briefs crashed on it)
        open_ended = _plain(str(macro(unbounded, "EUR")))
        at_cheapest = _plain(str(macro(infinite, "EUR")))
    about = "environ" if language == "fr" else "about"
    assert about not in capped and about in middle
    assert about in open_ended and about not in at_cheapest
    more = "ou plus" if language == "fr" else "or more"
    assert more in open_ended and more in at_cheapest
    assert capped == (
        "0,43 €–0,88 € par interaction" if language == "fr" else "€0.43–€0.88 per engagement"
    )


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_test_of_the_few_posts_that_pay_says_so_not_that_none_pays(
    kb: KnowledgeBase, language: str
) -> None:
    """A sale earns €82 and the best creator's cost €69: a test because too few pay to be
    read, not "No sales campaign pays here" (an eleventh planner's read)."""
    params = {
        "needed": 26,
        "best": 19.0,
        "people": 5,
        "spent_cents": 208_500,
        "sales": 10.0,
        "cheapest_cents": 6_900,
        "clicks": 400.0,
        "readable": 300,
        "margin_cents": 8_200.0,
        "share": 0.25,
        "discount_pct": 10,
    }
    stored = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion"))
    macro = environment().get_template("_notices.html").module.notice
    texts = []
    for cheapest in (6_900, 9_000):
        notice = StoredNotice(
            code="test", params=params | {"cheapest_cents": cheapest}, fact="INF-track-per-creator"
        )
        with i18n.speaking(language):
            texts.append(html_to_text(str(macro(notice, stored, kb, Labels(kb)))))
    few = "Seules quelques publications" if language == "fr" else "Only a few posts earn back"
    none = "Aucune campagne de ventes" if language == "fr" else "No sales campaign pays here"
    assert few in texts[0] and none not in texts[0]
    assert few not in texts[1] and none in texts[1]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_card_says_how_much_goes_to_another_platform(kb: KnowledgeBase, language: str) -> None:
    """ "No one in Shoes on TikTok could be booked: the plan uses other niches or platforms"
    over a plan file with 67 % on Instagram (an eleventh planner's read): the card says the
    share, once."""
    stored = _stored(kb, Brief(Goal.LAUNCH, 300_000, "EUR", "fashion", "tiktok"))
    macro = environment().get_template("_card_notices.html").module.short_notice
    scope = {"own": 0, "unbooked": False, "nearest": ["beauty"], "elsewhere": 100}
    scope |= {"top_platform": "instagram", "top_platform_share": 67}
    platform = {"own": 2, "unbooked": False, "listed": True, "elsewhere": 40}
    platform |= {"top_platform": "instagram", "top_platform_share": 40}
    with i18n.speaking(language):
        texts = [
            _plain(str(macro(StoredNotice(code=code, params=p, fact=None), stored, kb, Labels(kb))))
            for code, p in (("scope_widened", scope), ("platform_widened", platform))
        ]
    said = (
        "67 % de l’argent sur Instagram." if language == "fr" else "67% of the money on Instagram."
    )
    assert texts[0].endswith(said), texts[0]
    assert texts[1].count("40") == 1  # said once, by "40% of the money goes to other platforms"


@pytest.mark.parametrize(("language", "said"), [("en", "at 1 sale:"), ("fr", "de 1 vente :")])
def test_one_sale_is_one_sale(kb: KnowledgeBase, language: str, said: str) -> None:
    """ "It pays back at 1 sales" (an eleventh planner's read)."""
    stored = _stored(kb, Brief(Goal.SALES, 300_000, "EUR", "fashion"))
    params = {"needed": 1, "reached": "maybe", "best": 1.5, "best_cents": 7_700}
    params |= {"worst_cents": -3_200, "margin_cents": 8_200, "discount_pct": 10}
    notice = StoredNotice(code="break_even", params=params, fact=None)
    texts = []
    with i18n.speaking(language):
        for name in ("_notices.html", "_card_notices.html"):
            module = environment().get_template(name).module
            macro = module.notice if name == "_notices.html" else module.short_notice
            texts.append(_plain(str(macro(notice, stored, kb, Labels(kb)))))
    assert all(said in text for text in texts), texts


@pytest.mark.parametrize("goal", [Goal.COMMUNITY, Goal.AMBASSADOR, Goal.SALES])
def test_the_forecast_gives_sales_only_where_the_goal_is_about_them(
    kb: KnowledgeBase, goal: Goal
) -> None:
    """ "2–7.4 sales" in a community or ambassador forecast, with no basket given (a twelfth
    planner's read): left out there; a sales plan keeps them."""
    stored = _stored(kb, Brief(goal, 300_000, "EUR", "fashion"))
    services = Services(engine=None, kb=kb, currency="EUR")  # type: ignore[arg-type]
    text = _plain(view_text(View.FORECAST, stored, services))
    assert ("sale" in text) is (goal is Goal.SALES), text


@pytest.mark.parametrize(
    ("niche", "platform", "said"),
    [
        (True, False, "outside the niche you asked for"),
        (False, True, "on other platforms than the one you asked for"),
        (True, True, "outside the niche or platform you asked for"),
    ],
)
def test_money_left_off_what_was_asked_names_only_what_was_widened(
    kb: KnowledgeBase, niche: bool, platform: bool, said: str
) -> None:
    """A fifteenth read: "the rest would go off the niche or platform you asked" to an owner
    who asked for any platform."""
    stored = _stored(kb, Brief(Goal.AWARENESS, 300_000, "EUR", "fashion"))
    scope = stored.scope.model_copy(update={"niche_widened": niche, "platform_widened": platform})
    stored = stored.model_copy(update={"scope": scope})
    notice = StoredNotice(
        code="left", params=LEFT | {"why": "widened", "asked_cents": 4_000}, fact=None
    )
    env = environment()
    with i18n.speaking("en"):
        why = html_to_text(
            str(env.get_template("_notices.html").module.notice(notice, stored, kb, Labels(kb)))
        )
        card = html_to_text(
            str(
                env.get_template("_card_notices.html").module.short_notice(
                    notice, stored, kb, Labels(kb)
                )
            )
        )
    assert said in why
    short = {
        (True, False): "off the niche you asked.",
        (False, True): "off the platform you asked.",
    }
    assert card.endswith(short.get((niche, platform), "off the niche or platform you asked."))


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "Wave 1 is forecast at €20 per 1,000 people."),
        ("fr", "Prévision de la vague 1 : 20 € pour 1 000 personnes."),
    ],
)
def test_wave_ones_forecast_names_its_unit(kb: KnowledgeBase, language: str, said: str) -> None:
    """A fifteenth read: "Wave 1 is forecast at €20." named no unit."""
    stored = _stored(kb, Brief(Goal.AWARENESS, 300_000, "EUR", "fashion"))
    notice = StoredNotice(code="waves", params=WAVES_FORECAST, fact=None)
    with i18n.speaking(language):
        text = html_to_text(
            str(
                environment()
                .get_template("_notices.html")
                .module.notice(notice, stored, kb, Labels(kb))
            )
        )
    assert said in text.replace("\u00a0", " ").replace("\u202f", " ")
