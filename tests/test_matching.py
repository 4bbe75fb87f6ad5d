"""Forgiving niche, platform and goal matching."""

from __future__ import annotations

import pytest

from knowledge.base import KnowledgeBase
from knowledge.reading.matching import (
    canonical_niche,
    goal_vocabulary,
    match_goal,
    niche_vocabulary,
    normalize,
    platform_vocabulary,
)


@pytest.mark.parametrize(
    ("text", "niche"),
    [
        ("cooking", "cooking"),
        ("Cooking", "cooking"),
        ("COOKING", "cooking"),
        ("cuisine", "cooking"),
        ("Cuisine", "cooking"),
        ("recipes", "cooking"),
        ("cookng", "cooking"),
        ("diy", "diy"),
        ("DIY", "diy"),
        ("Do it yourself", "diy"),
        ("do-it-yourself", "diy"),
        ("travels", "travel"),
        ("Voyages", "travel"),
        ("tech", "tech"),
        ("téch", "tech"),
        ("Technologies", "tech"),
        ("jeux vidéo", "gaming"),
        ("home & decor", "home"),
        ("knitting", "knitting"),
        ("Knittings", "knitting"),
        # Shops as their owners name them (issue 22's list).
        ("cosmetics", "beauty"),
        ("skincare", "beauty"),
        ("natural skincare", "natural-cosmetic"),
        ("vegan skincare", "natural-cosmetic"),
        ("cosmétiques naturels", "natural-cosmetic"),
        ("restaurant", "restaurant"),
        ("bakery", "bakery"),
        ("boulangerie", "bakery"),
        ("florist", "flower"),
        ("fleuriste", "flower"),
        ("bike shop", "cycling"),
        ("magasin de vélos", "cycling"),
        ("bookshop", "books"),
        ("librairie", "books"),
        ("pet shop", "pets"),
        ("animalerie", "pets"),
        ("yoga studio", "fitness"),
        ("studio de yoga", "fitness"),
    ],
)
def test_niches_are_matched_forgivingly(kb: KnowledgeBase, text: str, niche: str) -> None:
    assert niche_vocabulary(kb, ["knitting"]).match(text).value == niche


def test_unknown_niche_gives_suggestions_not_a_guess(kb: KnowledgeBase) -> None:
    match = niche_vocabulary(kb, []).match("cookies and baking stuff")
    assert match.value is None
    assert niche_vocabulary(kb, []).match("zzzz").value is None
    assert niche_vocabulary(kb, []).match("x" * 5000).value is None


def test_canonical_niche_for_roster_values(kb: KnowledgeBase) -> None:
    assert canonical_niche(kb, "Cuisine") == "cooking"
    assert canonical_niche(kb, "Sustainable Living") == "sustainable-living"


@pytest.mark.parametrize(
    ("text", "platform"),
    [
        ("Instagram", "instagram"),
        ("insta", "instagram"),
        ("IG", "instagram"),
        ("YouTube", "youtube"),
        ("you tube", "youtube"),
        ("tik tok", "tiktok"),
        ("Blog", "blog"),
    ],
)
def test_platforms(kb: KnowledgeBase, text: str, platform: str) -> None:
    assert platform_vocabulary(kb).match(text).value == platform


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("sales", "sales"),
        ("Conversions", "sales"),
        ("brand awareness", "awareness"),
        ("reach", "awareness"),
        ("community", "community"),
        ("launch", "launch"),
        ("long-term", "ambassador"),
        ("Ambassador", "ambassador"),
    ],
)
def test_goals(text: str, goal: str) -> None:
    assert goal_vocabulary().match(text).value == goal


@pytest.mark.parametrize(
    ("text", "goal"),
    [
        ("Sales", "sales"),
        ("Awareness / reach", "awareness"),
        ("Engagement / community", "community"),
        ("Long-term ambassador", "ambassador"),
        ("I want to sell more", "sales"),
        ("launching a new product", "launch"),
        ("we need to get known", "awareness"),
        ("sales and reach", None),
        ("spring promo", None),
        ("", None),
    ],
)
def test_a_goal_named_in_a_sentence(text: str, goal: str | None) -> None:
    assert match_goal(text).value == goal


def test_normalize() -> None:
    assert normalize("  Crème-Brûlées & Co ") == "creme brulee and co"
