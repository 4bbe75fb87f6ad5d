"""The admin side in French: roster CSVs with French headers (read, and written by
`/export fr`), import problems as data, and the admin replies in French."""

from __future__ import annotations

import pytest

from knowledge.base import KnowledgeBase
from storage.csv_io import RosterRejected, parse_roster_csv
from storage.roster_rows import COLUMNS, FRENCH_COLUMNS, column_name, header_row

ROW = 'Léa Martin,@leacuisine,instagram,cooking,"24,000",4.1,350\n'


def test_every_column_has_a_french_name_of_its_own() -> None:
    assert set(FRENCH_COLUMNS) == set(COLUMNS)
    assert len(set(FRENCH_COLUMNS.values())) == len(COLUMNS)
    assert header_row("fr")[:7] == [
        "nom",
        "compte",
        "plateforme",
        "niche",
        "abonnés",
        "taux_engagement",
        "prix_par_post",
    ]
    assert header_row("en") == list(COLUMNS)


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("abonnés", "followers"),
        ("Abonnes", "followers"),
        ("ABONNÉS", "followers"),
        ("taux engagement", "engagement_rate"),
        ("Taux-Engagement", "engagement_rate"),
        (" Prix par post ", "price_per_post"),
        ("Qualité audience", "audience_quality"),
        ("qualite_audience", "audience_quality"),
        ("Publications par semaine", "posts_per_week"),
        ("ouvert_exclusivite", "open_to_exclusivity"),
        ("Pays", "country"),
        ("langue", "language"),
        ("devise", "currency"),
        ("Nom", "name"),
        ("compte", "handle"),
        ("Engagement Rate", "engagement_rate"),
        ("couleur", "couleur"),
    ],
)
def test_header_names(header: str, column: str) -> None:
    assert column_name(header) == column


def test_a_file_with_french_headers_reads_as_the_english_one(kb: KnowledgeBase) -> None:
    english = parse_roster_csv(",".join(COLUMNS[:7]) + "\n" + ROW, kb, "EUR")
    french = parse_roster_csv(
        "Nom,Compte,Plateforme,Niche,Abonnés,Taux engagement,Prix par post,pays,langue,couleur\n"
        + ROW.rstrip("\n")
        + ",FR,fr,bleu\n",
        kb,
        "EUR",
    )
    [item] = french.items
    assert {k: v for k, v in item.items() if k not in ("country", "language")} == {
        k: v for k, v in english.items[0].items() if k not in ("country", "language")
    }
    assert (item["followers"], item["country"], item["language"]) == (24_000, "FR", "fr")
    assert french.ignored_columns == ["couleur"]


def test_mixed_headers_and_semicolons(kb: KnowledgeBase) -> None:
    text = "name;compte;platform;niche;abonnes;engagement_rate;prix_par_post\n"
    text += "Léa;@lea;instagram;cuisine;12 500;3,5;€350\n"
    [item] = parse_roster_csv(text, kb, "EUR").items
    assert (item["handle"], item["followers"], item["price_cents"]) == ("@lea", 12_500, 35_000)


def test_a_column_given_in_both_languages_is_repeated(kb: KnowledgeBase) -> None:
    text = ",".join(COLUMNS[:7]) + ",abonnés\n" + ROW.rstrip("\n") + ",25000\n"
    with pytest.raises(RosterRejected) as caught:
        parse_roster_csv(text, kb, "EUR")
    [problem] = caught.value.problems
    assert "repeated" in str(problem)
    assert "followers" in str(problem)
