"""Results per creator: lines naming each creator by handle or promo code, a shop's
discount codes file with Shopify's column names (knowledge.reading.creator_results), and
each creator and side held against their own forecast (knowledge.campaigns.by_creator)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from knowledge.base import Metric
from knowledge.campaigns.by_creator import by_creator
from knowledge.campaigns.checkins import Standing
from knowledge.reading.creator_results import (
    Named,
    is_per_creator,
    read_codes_file,
    read_lines,
)

CREATORS = [Named(1, "@anna", "SHOP-ANNA10"), Named(2, "@Lea_Cuisine", "SHOP-LEA10")]


def test_lines_name_creators_by_handle_or_code_in_any_case() -> None:
    read = read_lines("@anna 12 sales 3400 reach\nshop-lea10: ventes=3", CREATORS, "EUR")
    assert read.values == {1: {"conversions": 12, "reach": 3400}, 2: {"conversions": 3}}
    assert read.problems == []
    assert read_lines("@LEA_CUISINE reach=900", CREATORS, "EUR").values == {2: {"reach": 900}}


def test_an_unknown_creator_or_one_given_twice_is_said_and_the_rest_kept() -> None:
    read = read_lines(
        "@bob 3 sales\n@anna 2 sales\nSHOP-ANNA10 5 sales\n@lea_cuisine 1 sale", CREATORS, "EUR"
    )
    assert read.values == {2: {"conversions": 1}}
    assert read.problems == [
        "@bob is not a creator of this campaign.",
        "@anna and SHOP-ANNA10 are the same creator, given twice: give them once.",
    ]
    unreadable = read_lines("@anna lots of sales", CREATORS, "EUR")
    assert unreadable.values == {} and unreadable.problems[0].startswith("@anna: ")


def test_only_lines_that_each_start_with_a_creator_and_a_figure_are_per_creator() -> None:
    assert is_per_creator("@anna 12 sales\nSHOP-LEA10 3 ventes")
    assert not is_per_creator("12 sales, spent 300")
    assert not is_per_creator("reach=12000 sales=35")
    assert not is_per_creator("@anna is great")
    assert not is_per_creator("@anna 12 sales\nand some more")


def test_a_shop_file_is_read_by_shopify_column_names_other_codes_left_aside() -> None:
    text = (
        "Discount code,Type,Orders,Total sales\n"
        'SHOP-ANNA10,percentage,12,"1,234.50"\n'
        "WELCOME5,fixed,40,900\n"
        "shop-lea10,percentage,3,\n"
    )
    read = read_codes_file(text, CREATORS, "EUR")
    assert read.values == {1: {"conversions": 12, "revenue_cents": 123_450}, 2: {"conversions": 3}}
    assert read.columns == [
        ("code", "Discount code"),
        ("conversions", "Orders"),
        ("revenue_cents", "Total sales"),
    ]
    assert read.left_aside == ["WELCOME5"] and read.problems == []


def test_a_shop_file_with_semicolons_other_names_a_code_twice_or_a_bad_cell() -> None:
    read = read_codes_file(
        "Code;Total orders\nSHOP-ANNA10;4\nSHOP-ANNA10;5\nSHOP-LEA10;x\n", CREATORS, "EUR"
    )
    assert read.values == {2: {}}
    assert read.columns == [("code", "Code"), ("conversions", "Total orders")]
    assert read.problems == [
        "SHOP-ANNA10 and SHOP-ANNA10 are the same creator, given twice: give them once.",
        "Line 4 (SHOP-LEA10): “x” is not a figure I can read.",
    ]
    missing = read_codes_file("Name,Amount\nA,1\n", CREATORS, "EUR")
    assert missing.values == {} and "Discount code" in missing.problems[0]


@dataclass
class Row:
    id: int
    side: str
    forecast: dict[str, Any]
    name: str = "A"
    handle: str = "@a"
    replaced_by: int | None = None


def test_each_creator_and_side_is_held_against_its_own_forecast() -> None:
    rows = [
        Row(1, "micro", {"conversions": [2.0, 4.0, 6.0]}),
        Row(2, "micro", {"conversions": [1.0, 2.0, 3.0]}),
        Row(3, "macro", {"conversions": [10.0, 20.0, 30.0]}),
        Row(4, "macro", {"conversions": [10.0, 20.0, 30.0]}, replaced_by=5),
        Row(5, "macro", {}),
    ]
    results = [
        {"creator_id": 1, "stage": "mid", "conversions": 1},
        {"creator_id": 1, "stage": "last", "conversions": 7},  # totals so far: the latest
        {"creator_id": 2, "stage": "last", "conversions": 2, "reach": 50},
        {"creator_id": 3, "stage": "last", "conversions": 5},
    ]
    found = by_creator({"metric": "conversions"}, "sales", rows, results)
    assert found is not None and found.metric is Metric.CONVERSIONS and not found.partial
    assert [(m.actual, m.standing) for m in found.creators] == [
        (7, Standing.AHEAD),
        (2, Standing.WITHIN),
        (5, Standing.BEHIND),
    ]
    micro, macro = found.sides
    assert (micro.side, micro.actual, micro.forecast, micro.standing) == (
        "micro",
        9,
        (3.0, 6.0, 9.0),
        Standing.WITHIN,
    )
    assert (micro.reported, micro.creators) == (2, 2)
    assert (macro.actual, macro.reported, macro.creators, macro.standing) == (
        5,
        1,
        2,
        Standing.BEHIND,
    )
    early = by_creator({"metric": "conversions"}, "sales", rows, [results[0]])
    assert early is not None and early.partial and early.creators[0].standing is None
    assert by_creator({"metric": "reach"}, "sales", rows, results[3:]) is None
