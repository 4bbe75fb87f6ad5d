"""The chart of a campaign's results per side and per creator (issue 23, part 7): each side's
total beside the other's, then each creator who reported under their side, each bar beside
its own forecast range; its caption says the sides in words, in English and French."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from knowledge.campaigns.by_creator import ByCreator, by_creator
from knowledge.pictures.charts import ACTUAL_COLOUR, PLAN_COLOURS
from knowledge.pictures.creator_chart import MAX_CREATORS, creators_chart, left_out
from knowledge.writing import i18n
from knowledge.writing.render import Template, render, shown_text


@dataclass
class Row:
    id: int
    side: str
    forecast: dict[str, Any]
    name: str = "Anna"
    handle: str = "@anna"
    replaced_by: int | None = None


ROWS = [
    Row(1, "micro", {"conversions": [2.0, 4.0, 6.0]}, "Anna Martin", "@anna"),
    Row(2, "micro", {"conversions": [1.0, 2.0, 3.0]}, "Léa Petit", "@lea"),
    Row(3, "macro", {"conversions": [10.0, 20.0, 30.0]}, "Max Durand", "@max"),
    Row(4, "macro", {}, "Zoé Blanc", "@zoe"),  # a forecast not known
]
RESULTS = [
    {"creator_id": 1, "stage": "last", "conversions": 7},  # past the top of their range
    {"creator_id": 2, "stage": "last", "conversions": 2},
    {"creator_id": 3, "stage": "last", "conversions": 5},
]


def _by(rows: list[Row] = ROWS, results: list[dict[str, Any]] = RESULTS) -> ByCreator:
    found = by_creator({"metric": "conversions"}, "sales", rows, results)
    assert found is not None
    return found


def test_each_side_then_each_creator_beside_its_own_forecast() -> None:
    chart = creators_chart(_by())
    assert chart is not None and chart.axis == ""  # each group on its own scale
    assert chart.title == "Sales: micro against macro and each creator, against their own forecasts"
    sides, micro, macro = chart.groups
    assert [g.heading for g in chart.groups] == [
        "Micro against macro",
        "Micro-influencers",
        "Macro-influencers",
    ]
    # The sides: their reporting creators' figures added up, against their forecasts added up.
    assert [(b.mid, b.low, b.high, b.colour) for b in sides.bars] == [
        (9.0, 3.0, 9.0, PLAN_COLOURS["micro"]),
        (5.0, 10.0, 30.0, PLAN_COLOURS["macro"]),
    ]
    assert sides.bars[0].label == "Micro-influencers, 2 of 2 reported: 9 (forecast 3–9)"
    assert sides.bars[1].label == "Macro-influencers, 1 of 2 reported: 5 (forecast 10–30)"
    # Each creator: their figure, and their own range, even when the figure is past it.
    assert [(b.label, b.mid, b.low, b.high) for b in micro.bars] == [
        ("Anna Martin @anna: 7 (forecast 2–6)", 7.0, 2.0, 6.0),
        ("Léa Petit @lea: 2 (forecast 1–3)", 2.0, 1.0, 3.0),
    ]
    assert [(b.label, b.mid, b.low, b.high) for b in macro.bars] == [
        ("Max Durand @max: 5 (forecast 10–30)", 5.0, 10.0, 30.0)
    ]
    assert all(b.colour == ACTUAL_COLOUR for g in (micro, macro) for b in g.bars)


def test_a_creator_without_a_forecast_is_a_bar_without_a_range() -> None:
    results = [*RESULTS, {"creator_id": 4, "stage": "last", "conversions": 3}]
    chart = creators_chart(_by(results=results))
    assert chart is not None
    zoe = chart.groups[-1].bars[-1]
    assert (zoe.label, zoe.mid, zoe.low, zoe.high) == ("Zoé Blanc @zoe: 3", 3.0, None, None)
    # The macro side's forecast is not known in full: its total is drawn without a range.
    assert chart.groups[0].bars[1].high is None


def test_early_on_the_title_says_so_far() -> None:
    early = [{**r, "stage": "launch"} for r in RESULTS]
    by = _by(results=early)
    chart = creators_chart(by)
    assert by.partial and chart is not None
    assert chart.title == "Sales so far: micro against macro and each creator"


def test_at_most_ten_creators_are_drawn_the_text_has_them_all() -> None:
    rows = [Row(i, "micro", {"conversions": [1.0, 2.0, 3.0]}, f"C{i}", f"@c{i}") for i in range(14)]
    results = [{"creator_id": i, "stage": "last", "conversions": i} for i in range(14)]
    by = _by(rows, results)
    chart = creators_chart(by)
    assert chart is not None
    assert sum(len(g.bars) for g in chart.groups[1:]) == MAX_CREATORS == 10
    assert left_out(by) == 4 and left_out(_by()) == 0
    with i18n.speaking("en"):
        caption = render(Template.CHART_CREATORS_CAPTION, chart=chart, by=by, left=left_out(by))
    assert caption.endswith("4 more creators are in the text above.")


def test_nobody_reported_no_chart() -> None:
    assert creators_chart(ByCreator(_by().metric, [], [], False)) is None


@pytest.mark.parametrize(
    ("language", "said"),
    [
        (
            "en",
            [
                "Sales: micro against macro and each creator, against their own forecasts",
                "Micro-influencers 9, within the forecast 3–9; "
                "Macro-influencers 5, below the forecast 10–30.",
                "Bars: what each side and creator reported; lines: their own forecast range.",
            ],
        ),
        (
            "fr",
            [
                "Ventes : micro contre macro et chaque créateur, face à leurs propres prévisions",
                "Micro-influenceurs : 9, dans la prévision (3–9) ; "
                "Macro-influenceurs : 5, en dessous de la prévision (10–30).",
                "Barres : ce que chaque groupe et chaque créateur a obtenu ; "
                "traits : sa propre fourchette de prévision.",
            ],
        ),
    ],
)
def test_the_caption_says_the_sides_in_words(language: str, said: list[str]) -> None:
    by = _by()
    with i18n.speaking(language):
        chart = creators_chart(by)
        caption = render(Template.CHART_CREATORS_CAPTION, chart=chart, by=by, left=0)
    assert chart is not None and chart.language == language
    assert shown_text(caption).splitlines() == said


def many_creators(count: int, stage: str = "last") -> ByCreator:
    """`count` creators with long names and large figures on both sides, some past their
    range, some short of it (for the pictures' checks)."""
    rows = [
        Row(
            i,
            "micro" if i % 3 else "macro",
            {"reach": [40_000.0 * (i + 1), 90_000.0 * (i + 1), 210_000.0 * (i + 1)]},
            f"Marie-Antoinette de Saint-Exupéry {i}",
            f"@marie_antoinette_saint_exupery_{i}",
        )
        for i in range(count)
    ]
    results = [
        {"creator_id": i, "stage": stage, "reach": 1_250_000 if i % 2 else 12_000}
        for i in range(count)
    ]
    found = by_creator({"metric": "reach"}, "awareness", rows, results)
    assert found is not None
    return found
