"""The campaign and follow-up replies in French: each template rendered with realistic
values under `i18n.speaking("fr")`, in French words, dates and numbers, with none of the
English sentences left."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.emulator import html_to_text
from knowledge.advice.choice import Verdict
from knowledge.base import KnowledgeBase, Metric, default_knowledge
from knowledge.campaigns.by_creator import ByCreator, Measured
from knowledge.campaigns.checkins import Comparison, Standing, stage_advice
from knowledge.campaigns.pipeline import Window
from knowledge.campaigns.pipeline_words import status_words
from knowledge.campaigns.schedule import CampaignStatus, proposed_name
from knowledge.pictures.charts import results_chart
from knowledge.writing import i18n
from knowledge.writing.render import Labels, render
from knowledge.writing.replies import (
    CampaignChange,
    CampaignStep,
    CreatorNote,
    PrivacyReply,
    RemindReply,
    Template,
    WhenAsked,
    ZoneReply,
)
from tests.conftest import spaces_as_read as _plain

PARIS = ZoneInfo("Europe/Paris")
MONDAY = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
FORECAST = {
    "reach": [8_000.0, 12_000.0, 18_000.0],
    "engagements": [400.0, 600.0, 900.0],
    "clicks": [100.0, 150.0, 250.0],
    "conversions": [10.0, 20.0, 30.0],
}


def comparison(**changes: Any) -> Comparison:
    values: dict[str, Any] = {
        "metric": Metric.CONVERSIONS,
        "actual": {
            "reach": 15_000,
            "conversions": 35,
            "spent_cents": 70_000,
            "revenue_cents": 240_000,
        },
        "forecast": FORECAST,
        "forecast_spent_cents": 80_000,
        "standing": Standing.AHEAD,
        "judged_on": "cost",
        "actual_cost": 2_000.0,
        "forecast_cost": (2_666.0, 8_000.0),
        "per": 1,
        "roi": 2.43,
    }
    return Comparison(**(values | changes))


def reminder(**changes: Any) -> SimpleNamespace:
    values: dict[str, Any] = {
        "due_at": datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
        "asked_for": datetime(2026, 12, 3, 9, 30, tzinfo=UTC),
        "attempts": 0,
        "campaign_id": None,
        "stage": None,
        "text": "appeler Léa",
        "status": "pending",
        "late": False,
    }
    return SimpleNamespace(**(values | changes))


def cases(kb: KnowledgeBase) -> list[tuple[Template, dict[str, Any]]]:
    """(template, values) of each reply of the campaign part, the way the handlers call them."""
    labels = Labels(kb)
    campaign = SimpleNamespace(
        id=3, name="Biscuits de Noël", start_day=date(2026, 12, 1), length_days=14
    )
    brief = SimpleNamespace(
        goal="sales", budget_cents=150_000, currency="EUR", niche="cooking", platform="instagram"
    )
    line = SimpleNamespace(
        id=8,
        name="Léa Martin",
        handle="@lea",
        platform="instagram",
        wave=1,
        posts=2,
        cost_cents=24_000,
        contact="lea@example.org",
        promo_code="BISCUITS-LEA10",
        status="agreed",
        replaces=None,
        replaced_by=None,
    )
    declined = SimpleNamespace(**(vars(line) | {"status": "declined", "replaced_by": 9}))
    fit = SimpleNamespace(
        candidate=SimpleNamespace(name="Zoé Petit", handle="@zoe"),
        posts=2,
        cost_cents=20_000,
        promo_code="BISCUITS-ZOE10",
    )
    words = {"status_words": status_words}
    by_creator = ByCreator(
        Metric.CONVERSIONS,
        [
            Measured("Léa Martin @lea", "micro", 12, (3.0, 6.0, 9.0), Standing.AHEAD),
            Measured("Théo Dubois @theo", "macro", 2, None, None),
        ],
        [
            Measured("micro", "micro", 12, (3.0, 6.0, 9.0), Standing.WITHIN, 1, 4),
            Measured("macro", "macro", 2, (4.0, 8.0, 20.0), Standing.BEHIND, 1, 2),
        ],
        partial=True,
    )
    per_creator = {
        "saved": 2,
        "problems": ["@bob n’est pas un créateur de cette campagne."],
        "columns": [
            ("code", "Discount code"),
            ("conversions", "Orders"),
            ("revenue_cents", "Total sales"),
        ],
        "left_aside": ["BIENVENUE5"],
        "by_creator": by_creator,
    }
    creator = {
        "kind": CreatorNote.SHOWN,
        "creator": SimpleNamespace(**(vars(line) | {"status": "declined"})),
        "campaign": "Biscuits de Noël",
        "replaces": None,
        "replaced_by": None,
        "fit": fit,
        "labels": labels,
        "currency": "EUR",
        **words,
    }
    checkins = [
        reminder(stage="launch", status="sent", campaign_id=3),
        reminder(stage="mid", status="pending", campaign_id=3, late=True),
    ]
    stage_labels = {stage: stage_advice(stage, kb).label for stage in ("launch", "mid")}
    card = {
        "campaign": campaign,
        "status": CampaignStatus.RUNNING,
        "brief": brief,
        "verdict": Verdict(100, 0),
        "labels": labels,
        "people": [line, declined],
        "windows": {8: Window(date(2026, 12, 1), date(2026, 12, 5))},
        "planned": 2,
        "tally": {"agreed": 1, "declined": 1},
        **words,
        "spent_cents": 70_000,
        "waves": 2,
        "checkins": checkins,
        "stage_labels": stage_labels,
        "tz": PARIS,
        "zone": "Europe/Paris",
        "comparison": comparison(),
        "by_creator": by_creator,
        "currency": "EUR",
    }
    found: list[tuple[Template, dict[str, Any]]] = [
        (Template.CAMPAIGN_CARD, card),
        (Template.CAMPAIGN_CARD, card | {"comparison": None, "brief": None, "waves": 1}),
        (Template.CAMPAIGN_SAVED, {"name": "Biscuits de Noël", "count": 4}),
        (
            Template.CAMPAIGN_SCHEDULE,
            {
                "name": "Biscuits de Noël",
                "start": date(2026, 12, 1),
                "length": 14,
                "checkins": [(stage_labels["launch"], MONDAY), (stage_labels["mid"], MONDAY)],
                "zone": "Europe/Paris",
            },
        ),
        (Template.CAMPAIGNS_LIST, {"campaigns": [], "waiting": None, "start": None}),
        (
            Template.CAMPAIGNS_LIST,
            {
                "campaigns": [(campaign, CampaignStatus.PLANNED), (campaign, CampaignStatus.ENDED)],
                "waiting": {"name": "Soldes", "length": 10},
                "start": date(2026, 12, 5),
            },
        ),
        (
            Template.CHECKIN,
            {
                "advice": stage_advice("mid", kb),
                "late": True,
                "due": MONDAY,
                "campaign": "Biscuits de Noël",
                "currency": "EUR",
            },
        ),
        (
            Template.CHECKIN,
            {
                "advice": stage_advice("last", kb),
                "late": False,
                "due": MONDAY,
                "campaign": "Biscuits de Noël",
                "currency": "EUR",
                "behind": [line, line],
                **words,
            },
        ),
        (Template.CREATOR, creator),
        (Template.CREATOR_RESULTS, per_creator),
        (Template.CREATOR_RESULTS, per_creator | {"saved": 0, "columns": [], "left_aside": []}),
        (Template.CREATOR, creator | {"fit": None, "replaces": line}),
        (Template.CREATOR, creator | {"replaced_by": line}),
        (Template.REMINDER, {"text": "appeler Léa", "late": True, "due": MONDAY}),
        (Template.RESULTS_ASK, {"problems": [], "field": None, "currency": "EUR"}),
        (Template.RESULTS_SAVED, {"comparison": comparison(), "currency": "EUR"}),
        (Template.RESULTS_SAVED, {"comparison": None, "currency": "EUR"}),
    ]
    for field in ("reach", "engagements", "clicks", "conversions", "revenue_cents", "spent_cents"):
        found.append(
            (Template.RESULTS_ASK, {"problems": ["« x » ?"], "field": field, "currency": "EUR"})
        )
    for standing, judged_on in (
        (Standing.WITHIN, "cost"),
        (Standing.BEHIND, "nothing"),
        (Standing.BEHIND, "total"),
    ):
        found.append(
            (
                Template.RESULTS_SAVED,
                {
                    "comparison": comparison(standing=standing, judged_on=judged_on, roi=None),
                    "currency": "EUR",
                },
            )
        )
    for missing in (("conversions",), ("conversions", "spent_cents")):
        found.append(
            (
                Template.RESULTS_SAVED,
                {
                    "comparison": comparison(standing=None, judged_on=None, missing=missing),
                    "currency": "EUR",
                },
            )
        )
    chart = results_chart(comparison())
    for partial in (False, True):
        found.append((Template.CHART_RESULTS_CAPTION, {"chart": chart, "partial": partial}))
    for step in CampaignStep:
        found.append(
            (
                Template.CAMPAIGN_ASK,
                {
                    "step": step,
                    "problem": "",
                    "bad_name": step == CampaignStep.NAME,
                    "limit": 120,
                    "proposal": "Ventes cuisine — déc. 2026",
                    "stage_label": stage_labels["mid"].lower(),
                },
            )
        )
    for note in CreatorNote:
        found.append((Template.CREATOR, creator | {"kind": note, "replaces": line}))
    for kind in CampaignChange:
        found.append(
            (
                Template.CAMPAIGN_CHANGE,
                {
                    "kind": kind,
                    "problem": "",
                    "bad_name": kind == CampaignChange.ASK_NAME,
                    "limit": 120,
                    "name": "Biscuits de Noël",
                    "start": date(2026, 12, 3),
                    "moved": 2,
                },
            )
        )
    listing = {
        "due": MONDAY,
        "zone": "Europe/Paris",
        "tz": PARIS,
        "reminders": [
            reminder(),
            reminder(campaign_id=3, stage="launch", status="paused"),
            reminder(status="claimed"),
            reminder(attempts=2),
        ],
        "offset": 0,
        "total": 40,
        "stage_labels": stage_labels,
        "campaign_names": {3: "Biscuits de Noël"},
    }
    for kind in RemindReply:
        found.append((Template.REMIND_RESULT, listing | {"kind": kind}))
    found.append((Template.REMIND_RESULT, listing | {"kind": RemindReply.LIST, "reminders": []}))
    for kind in PrivacyReply:
        found.append((Template.PRIVACY, {"kind": kind}))
    for kind in ZoneReply:
        found.append(
            (Template.TIMEZONE_RESULT, {"kind": kind, "zone": "Europe/Paris", "text": "Atlantis"})
        )
    for what in WhenAsked:
        for problem in ("unreadable", "no_such_date", "past", "too_far"):
            found.append(
                (
                    Template.WHEN_PROBLEM,
                    {"problem": problem, "detail": "2026-02-30", "what": what, "keep": True},
                )
            )
    return found


KB = default_knowledge()
CASES = cases(KB)
# English words of these replies that French never uses.
ENGLISH = re.compile(
    r"\b(the|your?|Tap|Type|[Cc]heck-ins?|Reminder|forecast|days?|when|Nothing|[Cc]ampaigns?"
    r"|people|person|posts?|planned|sent|wave|Results|Spent|Revenue|Renamed|starts)\b"
)
# Texts other parts of the bot give these replies (chart titles, measure names), theirs to
# translate.
OTHERS = re.compile(r"results so far against the (whole campaign's )?forecast|people reached", re.I)


def french(template: Template, **values: Any) -> str:
    with i18n.speaking("fr"):
        return html_to_text(render(template, **values))


def _case_id(case: tuple[Template, dict[str, Any]]) -> str:
    template, values = case
    branch = [str(values[k]) for k in ("kind", "step", "what", "field", "problem") if k in values]
    return "-".join([template.value, *branch])


@pytest.mark.parametrize("index", range(len(CASES)), ids=[_case_id(case) for case in CASES])
def test_each_reply_is_written_in_french(index: int) -> None:
    """Each reply with the values the handlers give it in French (stage labels included)."""
    with i18n.speaking("fr"):
        template, values = cases(KB)[index]
    text = french(template, **values)
    english = html_to_text(render(*CASES[index][:1], **CASES[index][1]))
    assert text != english
    left = ENGLISH.findall(OTHERS.sub("", text))
    assert not left, f"English left in {template.value}: {left}\n{text}"


def test_dates_read_the_french_way() -> None:
    due = datetime(2026, 11, 30, 10, 0, tzinfo=PARIS)
    reminder_set = french(
        Template.REMIND_RESULT, kind=RemindReply.SET, due=due, zone="Europe/Paris"
    )
    assert "le lun. 30 nov. 2026 à 10:00 (Europe/Paris)" in _plain(reminder_set)
    late = french(Template.REMINDER, text="appeler Léa", late=True, due=due)
    assert "Rappel" in late and "prévu le lun. 30 nov. à 10:00" in _plain(late)
    moved = french(
        Template.CAMPAIGN_CHANGE,
        kind=CampaignChange.MOVED,
        name="Soldes",
        start=date(2026, 12, 3),
        moved=0,
    )
    assert "commence désormais le jeu. 3 déc. 2026" in _plain(moved)


def test_examples_are_french_words_and_commands(kb: KnowledgeBase) -> None:
    checkin = french(
        Template.CHECKIN,
        advice=stage_advice("launch", kb),
        late=False,
        due=MONDAY,
        campaign="Soldes",
        currency="EUR",
    )
    example = "12 000 personnes touchées, 800 interactions, 150 clics, 35 ventes"
    assert example in _plain(checkin) and "dépensé 700 €" in _plain(checkin)
    assert "(Micro ou macro, article de blog)" in checkin and "[S1-" not in checkin
    line = french(Template.RESULTS_ASK, problems=[], field=None, currency="EUR")
    assert "12 000 personnes touchées, 35 ventes, dépensé 700 €" in _plain(line)
    usage = french(Template.REMIND_RESULT, kind=RemindReply.USAGE)
    assert "/rappel dans 2 heures appeler Léa" in usage and "/remind" not in usage
    unreadable = french(
        Template.WHEN_PROBLEM, problem="unreadable", detail="", what=WhenAsked.WHEN, keep=False
    )
    assert "/rappel demain 9h" in unreadable
    saved = french(Template.RESULTS_SAVED, comparison=comparison(), currency="EUR")
    assert "ROI : 243 %" in _plain(saved) and "En avance sur la prévision" in saved


def test_check_in_stages_speak_the_readers_language(kb: KnowledgeBase) -> None:
    assert stage_advice("launch", kb).label == "Launch day"
    with i18n.speaking("fr"):
        advice = stage_advice("launch", kb)
    assert advice.label == "Jour du lancement"
    assert advice.text.startswith("C’est aujourd’hui que les publications sortent.")
    assert advice.facts == stage_advice("launch", kb).facts


def test_the_proposed_name_in_each_language(kb: KnowledgeBase) -> None:
    day = date(2026, 12, 1)
    assert proposed_name("Cooking", "sales", day) == "Cooking sales — Dec 2026"
    assert proposed_name("DIY", "launch", day) == "DIY launch — Dec 2026"
    with i18n.speaking("fr"):
        labels = Labels(kb)
        assert proposed_name(labels.niche("cooking"), "sales", day) == "Ventes cuisine — déc. 2026"
        assert (
            proposed_name(labels.niche("gaming"), "awareness", date(2026, 5, 3))
            == "Notoriété jeux vidéo — mai 2026"
        )


def test_plurals_in_french() -> None:
    saved = french(Template.CAMPAIGN_SAVED, name="Soldes", count=4)
    assert "enregistrée avec 4 bilans" in saved
    schedule = CASES[3]
    assert schedule[0] == Template.CAMPAIGN_SCHEDULE
    assert "14 jours" in french(*schedule[:1], **schedule[1])
