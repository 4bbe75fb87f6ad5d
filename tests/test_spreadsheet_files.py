"""Files a spreadsheet opens right (issue 22, point 7): the layout of each language, formula
guards only where something could run, header cells and decimal commas as people write them,
and the roster export in words re-imported in both languages."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlmodel import Session

from knowledge.base import KnowledgeBase
from knowledge.files.roster_file import labels_in_every_language, roster_labels, yes_no
from knowledge.files.spreadsheet import (
    BOM,
    LAYOUTS,
    MACHINE,
    csv_text,
    layout_for,
    number_text,
    read_back,
    safe_cell,
    unguard,
)
from knowledge.reading.csv_cells import header_key, with_decimal_point
from knowledge.reading.roster_query import RosterQuery
from knowledge.writing.i18n import speaking
from storage.csv_io import (
    RosterRejected,
    export_for_spreadsheet,
    export_roster,
    import_roster,
    parse_roster_csv,
)
from storage.roster import find_influencers
from storage.roster_rows import COLUMNS, column_name
from tests.conftest import Cli


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("=1+1", "'=1+1"),
        ("@SUM(1)", "'@SUM(1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("+call me", "'+call me"),
        ("@", "'@"),
        ("\t=1", "'\t'=1"),
        ("ok;=cmd", "ok;'=cmd"),
        ("x,@SUM(1)", "x,'@SUM(1)"),
        ("'@lea", "''@lea"),  # a quote already there gets one more, so it reads back
        # Nothing to run: written as is.
        ("@leacuisine", "@leacuisine"),
        ("@chloe.cuisine", "@chloe.cuisine"),
        ("-20 %", "-20 %"),
        ("+33 6 12 34 56 78", "+33 6 12 34 56 78"),
        ("-1,5", "-1,5"),
        ("Léa - cuisine", "Léa - cuisine"),
        ("tel, @lea", "tel, @lea"),
    ],
)
def test_a_guard_only_where_something_could_run(value: str, written: str) -> None:
    assert safe_cell(value) == written
    assert unguard(written) == value


@given(st.text(alphabet=st.sampled_from(list("ab1 (=+-@'|!,;\t\r\n")), max_size=30))
def test_any_text_reads_back(value: str) -> None:
    assert unguard(safe_cell(value)) == value


def test_each_language_has_its_spreadsheets_layout() -> None:
    assert (LAYOUTS["en"].separator, LAYOUTS["en"].decimal_mark) == (",", ".")
    assert (LAYOUTS["fr"].separator, LAYOUTS["fr"].decimal_mark) == (";", ",")
    assert LAYOUTS["en"].bom and LAYOUTS["fr"].bom and not MACHINE.bom
    assert layout_for("de") == LAYOUTS["en"]


def test_numbers_take_the_layouts_decimal_mark() -> None:
    french = layout_for("fr")
    assert [number_text(v, french) for v in (4.2, 350.0, 1250.5, 12500, 0.1 + 0.2)] == [
        "4,2",
        "350",
        "1250,5",
        "12500",
        "0,3",
    ]
    assert number_text(4.2) == "4.2"
    rows = [["Nom", "Taux"], ["Léa; chef", 4.2], ["=1", None]]
    text = csv_text(rows, french)
    assert text == BOM + 'Nom;Taux\n"Léa; chef";4,2\n\'=1;\n'
    assert read_back(text, french) == [["Nom", "Taux"], ["Léa; chef", "4,2"], ["=1", ""]]
    assert csv_text([["a", 1.5]]) == "a,1.5\n"  # the machine layout: no BOM


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("Taux d'engagement", "taux_engagement"),
        ("Taux d’engagement (%)", "taux_engagement"),
        (" ABONNÉS ", "abonnes"),
        ("Engagement rate", "engagement_rate"),
        ("engagement-rate", "engagement_rate"),
        ("Price per post [EUR]", "price_per_post"),
        ("Qualité de l'audience", "qualite_audience"),
        ("Ouvert à l’exclusivité", "ouvert_exclusivite"),
        ("de", "de"),
    ],
)
def test_header_keys(header: str, key: str) -> None:
    assert header_key(header) == key


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("1 250,50", "1250.50"),
        ("1\u202f250,50 €", "1250.50 €"),
        ("1.250,5", "1250.5"),
        ("1,250", "1.2500"),
        ("1,2k", "1.2k"),
        ("350", "350"),
        ("€350", "€350"),
    ],
)
def test_decimal_commas_read_with_a_point(written: str, read: str) -> None:
    assert with_decimal_point(written) == read


def test_the_roster_columns_in_words_in_both_languages() -> None:
    assert set(roster_labels()) == set(COLUMNS)
    with speaking("fr"):
        assert roster_labels()["engagement_rate"] == "Taux d’engagement (%)"
        assert (yes_no(True), yes_no(False)) == ("oui", "non")
    for column, labels in labels_in_every_language().items():
        assert {column_name(label) for label in labels} == {column}
    for header in ("Taux d'engagement", "Abonnés", "Price per post", "Prix par publication"):
        assert column_name(header) in COLUMNS


def test_a_semicolon_file_with_decimal_commas(kb: KnowledgeBase) -> None:
    text = (
        "Nom;Compte;Plateforme;Niches;Abonnés;Taux d'engagement;Prix par publication\n"
        "Léa;@lea;instagram;cuisine;12 500;4,2;1 250,50\n"
        "Zoé;@zoe;instagram;cuisine;1,2k;3;1,250\n"
    )
    lea, zoe = parse_roster_csv(BOM + text, kb, "EUR").items
    assert (lea["followers"], lea["engagement_rate"], lea["price_cents"]) == (12_500, 4.2, 125_050)
    assert (zoe["followers"], zoe["price_cents"]) == (1_200, 125)
    # In a comma-separated file a comma before three digits still groups thousands.
    comma = "name,handle,platform,niche,followers,engagement_rate,price_per_post\n"
    [item] = parse_roster_csv(
        comma + 'Zoé,@zoe,instagram,cooking,1200,3,"1,250"\n', kb, "EUR"
    ).items
    assert item["price_cents"] == 125_000


def test_a_header_missing_a_column_names_only_that_one(kb: KnowledgeBase) -> None:
    text = "Nom;Compte;Plateforme;Niches;Abonnés;Taux d'engagement\nLéa;@lea;instagram;x;1;2\n"
    with pytest.raises(RosterRejected) as caught:
        parse_roster_csv(text, kb, "EUR")
    assert [p.columns for p in caught.value.problems] == [("Price per post",)]
    with speaking("fr"), pytest.raises(RosterRejected) as caught:
        parse_roster_csv(text, kb, "EUR")
    assert [p.columns for p in caught.value.problems] == [("Prix par publication",)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_spreadsheet_export_reimports_unchanged(
    session: Session, kb: KnowledgeBase, language: str
) -> None:
    text = ",".join(COLUMNS) + "\n"
    text += "Max,@max,youtube,diy,1200,2,10,EUR,,,,,no,+33 6 12 34 56 78,\n"
    text += 'Léa,@lea,instagram,cooking;travel,24000,4.1,350.5,EUR,FR,fr,2.5,80,yes,,"=1+1"\n'
    import_roster(session=session, text=text, kb=kb, currency="EUR", actor_id=1, source="t.csv")
    out = io.StringIO()
    count = export_for_spreadsheet(session=session, out=out, query=RosterQuery(), language=language)
    exported = out.getvalue()
    layout = layout_for(language)
    rows = read_back(exported, layout)
    lea = next(row for row in rows if row[0] == "Léa")
    assert lea[1] == "lea" and lea[-1] == "=1+1" and "'=1+1" in exported
    assert "+33 6 12 34 56 78" in exported and "'+33" not in exported  # a phone runs nothing
    assert lea[5:7] == (["4,1", "350,5"] if language == "fr" else ["4.1", "350.5"])
    summary, parsed = import_roster(
        session=session, text=exported, kb=kb, currency="EUR", actor_id=1, source="again.csv"
    )
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, count)
    assert parsed.ignored_columns == []
    assert find_influencers(session=session, reference="lea")[0].handle == "@lea"
    machine = io.StringIO()
    export_roster(session=session, out=machine)
    assert ",@lea," in machine.getvalue()  # the command line's file keeps the roster's form


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_command_line_imports_the_spreadsheet_export(
    session: Session, kb: KnowledgeBase, tmp_path: Path, cli: Cli, language: str
) -> None:
    text = ",".join(COLUMNS) + "\n"
    text += 'Léa,@lea,instagram,cooking;travel,24000,4.1,350.5,EUR,FR,fr,2.5,80,yes,,"=1+1"\n'
    import_roster(session=session, text=text, kb=kb, currency="EUR", actor_id=1, source="t.csv")
    out = io.StringIO()
    count = export_for_spreadsheet(session=session, out=out, query=RosterQuery(), language=language)
    exported = tmp_path / "export.csv"
    exported.write_bytes(out.getvalue().encode("utf-8"))
    first = cli("roster", "import", str(exported))
    assert first.code == 0 and f": {count} added, 0 updated, 0 unchanged." in first.out
    again = cli("roster", "import", str(exported))
    assert f": 0 added, 0 updated, {count} unchanged." in again.out, again.out
    machine = cli("roster", "export", "-").out
    assert '\nLéa,lea,instagram,"cooking;travel",24000,4.1,350.5,EUR,FR,' in machine
