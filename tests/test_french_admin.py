"""The admin side in French: roster CSVs with French headers (read, and written by
`/export fr`), import problems as data, and the admin replies in French."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from sqlmodel import Session

from knowledge.base import KnowledgeBase
from knowledge.reading.roster_query import ExportArgs, read_export_args, read_roster_query
from knowledge.writing.i18n import speaking
from knowledge.writing.render import render
from knowledge.writing.replies import ImportProblemKind, ImportReply, Template
from storage.csv_io import (
    ImportProblem,
    RosterRejected,
    export_roster,
    import_roster,
    parse_roster_csv,
)
from storage.roster import find_influencers
from storage.roster_rows import (
    COLUMNS,
    FRENCH_COLUMNS,
    FieldContext,
    FieldProblem,
    RowInvalid,
    column_name,
    header_row,
    header_words,
    parse_field,
)
from tests.conftest import ADMIN, USER, BotHarness, Cli
from tests.conftest import spaces_as_read as plain

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
    assert problem.kind is ImportProblemKind.REPEATED_COLUMNS
    assert problem.columns == ("followers / abonnés",)


def test_a_french_export_reimports_unchanged(session: Session, kb: KnowledgeBase) -> None:
    text = ",".join(COLUMNS) + "\n"
    text += 'Léa, chef,@lea,instagram,cooking;travel,24000,4.1,350.5,EUR,FR,fr,2.5,80,yes,,"=1+1"\n'
    text = text.replace("Léa, chef", '"Léa, chef"')
    import_roster(session=session, text=text, kb=kb, currency="EUR", actor_id=1, source="t.csv")
    english, french = io.StringIO(), io.StringIO()
    count = export_roster(session=session, out=english)
    assert export_roster(session=session, out=french, language="fr") == count
    en_lines, fr_lines = english.getvalue().splitlines(), french.getvalue().splitlines()
    assert fr_lines[0].split(",") == header_row("fr") != header_row("en")
    assert fr_lines[1:] == en_lines[1:]  # the same values, dots and all
    [lea] = [line for line in fr_lines if "@lea," in line]
    assert "350.5" in lea and ",2.5," in lea and "'=1+1" in lea
    summary, parsed = import_roster(
        session=session, text=french.getvalue(), kb=kb, currency="EUR", actor_id=1, source="fr"
    )
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, count)
    assert parsed.ignored_columns == []


@pytest.mark.parametrize(
    ("text", "language", "search", "unknown"),
    [
        ("", None, "", []),
        ("fr", "fr", "", []),
        ("FR niche:cooking", "fr", "niche:cooking", []),
        ("lea --fr", "fr", "lea", []),
        ("en lea", "en", "lea", []),
        ("--csv lea colour:blue", None, "lea", ["--csv", "colour:blue"]),
        ("lea:", None, "lea:", []),
    ],
)
def test_export_arguments(text: str, language: str | None, search: str, unknown: list[str]) -> None:
    assert read_export_args(text) == ExportArgs(language, search, unknown)


async def test_import_french_headers_then_export_fr_round_trip(bot: BotHarness) -> None:
    french = (
        "Nom;Compte;Plateforme;Niche;Abonnés;Taux engagement;Prix par post;pays;Qualité audience\n"
        "Chloé Dupont;@chloe.cuisine;instagram;cuisine;12 500;4,2;€350;FR;80\n"
        "Marc Voyage;@marcvoyage;youtube;voyage;120k;2,5;1 200;BE;\n"
    )
    await bot.say("/import", user=ADMIN)
    [preview] = await bot.send_file("roster.csv", french.encode("utf-8-sig"), user=ADMIN)
    assert "To add: 2" in preview.text and "Ignored" not in preview.text
    await bot.press(preview, "✅ Confirm import", count=2, user=ADMIN)  # and the sample question
    with Session(bot.engine) as session:
        [chloe] = find_influencers(session=session, reference="@chloe.cuisine")
    assert (chloe.followers, chloe.engagement_rate, chloe.price_cents) == (12_500, 4.2, 35_000)
    assert (chloe.country, chloe.audience_quality) == ("FR", 80)

    [document] = await bot.say("/export fr niche:cooking", user=ADMIN)
    exported = bot.file(document).decode("utf-8")
    assert exported.startswith("\ufeff")  # for French Excel: a BOM, `;`, decimal commas
    rows = list(csv.DictReader(io.StringIO(exported[1:]), delimiter=";"))
    with speaking("fr"):
        assert list(rows[0]) == header_words()
    chloe_row = next(r for r in rows if r["Nom"] == "Chloé Dupont")
    assert (chloe_row["Abonnés"], chloe_row["Taux d’engagement (%)"]) == ("12500", "4,2")
    assert chloe_row["Prix par publication"] == "350"
    assert chloe_row["Qualité de l’audience (%)"] == "80" and chloe_row["Compte"] == "chloe.cuisine"
    assert "Marc Voyage" not in exported  # filtered to cooking
    [english] = await bot.say("/export", user=ADMIN)  # the admin's own language
    assert bot.file(english).decode("utf-8").startswith("\ufeffName,Handle,Platform,Niches,")

    [full] = await bot.say("/export fr", user=ADMIN)
    await bot.say("/import", user=ADMIN)
    [again] = await bot.send_file("again.csv", bot.file(full), user=ADMIN)
    assert "To add: 0" in again.text and "To update: 0" in again.text
    assert "Ignored" not in again.text

    [usage] = await bot.say("/export --csv", user=ADMIN)
    assert "“--csv”" in usage.text and "/export fr" in usage.text
    assert usage.document is None


def test_command_line_export_in_french(tmp_path: Path, cli: Cli) -> None:
    roster = tmp_path / "in.csv"
    roster.write_text(
        "nom,compte,plateforme,niche,abonnés,taux_engagement,prix_par_post\n" + ROW, "utf-8"
    )
    assert cli("roster", "import", str(roster)).code == 0
    french = cli("roster", "export", "-", "--fr")
    assert french.code == 0
    assert french.out.splitlines()[0] == ",".join(header_row("fr"))
    assert cli("roster", "export", "-", "--language", "fr").out == french.out
    english = cli("roster", "export", "-")
    assert english.out.splitlines()[1:] == french.out.splitlines()[1:]
    assert english.out.startswith(",".join(COLUMNS) + "\n")


PROBLEMS = [
    ImportProblem(ImportProblemKind.EMPTY),
    ImportProblem(ImportProblemKind.UNREADABLE, 4, detail="field larger than field limit"),
    ImportProblem(ImportProblemKind.MISSING_COLUMNS, columns=("followers", "niche")),
    ImportProblem(ImportProblemKind.REPEATED_COLUMNS, columns=("followers / abonnés",)),
    ImportProblem(ImportProblemKind.REPEATED_COLUMNS, columns=tuple("abcdefg")),
    ImportProblem(ImportProblemKind.CELL_COUNT, 3, cells=5, expected=7),
    ImportProblem(
        ImportProblemKind.FIELD, 2, field=FieldProblem("followers", "lots", "is required")
    ),
    ImportProblem(ImportProblemKind.REPEATED_ROW, 5, platform="tiktok", handle="@a", first_line=2),
    ImportProblem(ImportProblemKind.NO_ROWS, 0),
]


def said(problem: ImportProblem, language: str) -> str:
    with speaking(language):
        return render(Template.IMPORT_MESSAGES, kind=ImportReply.PROBLEM, problem=problem)


def test_every_kind_of_import_problem_is_said_in_both_languages() -> None:
    assert {p.kind for p in PROBLEMS} == set(ImportProblemKind)
    english = [said(p, "en") for p in PROBLEMS]
    french = [said(p, "fr") for p in PROBLEMS]
    assert english[:4] == [
        "line 1: the file is empty",
        "line 4: field larger than field limit",
        "line 1: missing column(s): followers, niche",
        "line 1: repeated column(s): followers / abonnés",
    ]
    assert english[4] == "line 1: repeated column(s): a, b, c, d, e and 2 more"
    assert english[6] == "line 2: followers “lots”: is required"
    assert plain(french[0]) == "ligne 1 : le fichier est vide"
    # A field's problem is said in the language of the check (storage.roster_rows).
    assert plain(french[6]).startswith("ligne 2 : abonnés «")  # the field named in French
    assert all(f != e and f.strip() for f, e in zip(french, english, strict=True))


def test_a_refused_file_is_data_then_words(kb: KnowledgeBase) -> None:
    text = "nom,compte,plateforme,niche,abonnés,taux_engagement,prix_par_post\n"
    text += "Léa,@lea,instagram,cooking,5k,4.1,350\nLéa bis,@LEA,instagram,cooking,5k,4,9\n"
    text += "Ann,@ann,blog,diy,beaucoup,4,9\n"
    with speaking("fr"), pytest.raises(RosterRejected) as caught:
        parse_roster_csv(text, kb, "EUR")
    repeated, unreadable = caught.value.problems
    assert (repeated.kind, repeated.line, repeated.first_line) == (
        ImportProblemKind.REPEATED_ROW,
        3,
        2,
    )
    assert (unreadable.kind, unreadable.line, unreadable.field) == (
        ImportProblemKind.FIELD,
        4,
        FieldProblem("followers", "beaucoup", "n’est pas un nombre comme 24000, 24k ou 1,2M"),
    )
    with speaking("fr"):
        reply = render(
            Template.IMPORT_MESSAGES,
            kind=ImportReply.REJECTED,
            problems=caught.value.problems,
            total=caught.value.total,
        )
    assert "ligne 4 : abonnés « beaucoup » : n’est pas un nombre" in plain(reply)
    assert "ligne 3 : le compte instagram @LEA est déjà à la ligne 2" in plain(reply)
    assert "Corrigez-les" in reply


def test_a_price_too_high_is_said_in_the_readers_money(kb: KnowledgeBase) -> None:
    with pytest.raises(RowInvalid) as caught:
        parse_field("price_per_post", "9" * 20, FieldContext(kb, "EUR"))
    [problem] = caught.value.problems
    english = render(Template.FIELD_PROBLEMS, problems=[problem], keep=False)
    assert "€1,000,000,000" in english
    with speaking("fr"), pytest.raises(RowInvalid) as caught:
        parse_field("price_per_post", "9" * 20, FieldContext(kb, "EUR"))
    with speaking("fr"):
        french = render(Template.FIELD_PROBLEMS, problems=caught.value.problems, keep=True)
    assert "dépasse 1 000 000 000 €" in french.replace("\u202f", " ").replace("\u00a0", " ")
    assert plain(french).endswith(
        "</code>.\nRien d’autre n’est perdu : les autres champs sont gardés."
    )


@pytest.mark.parametrize("total", [1, 2])
def test_a_refused_files_count_of_problems_in_french(total: int) -> None:
    with speaking("fr"):
        reply = render(
            Template.IMPORT_MESSAGES,
            kind=ImportReply.REJECTED,
            problems=PROBLEMS[:total],
            total=total,
        )
    word = "problème" if total == 1 else "problèmes"
    assert f"ne peut pas être importé</b> : {total} {word} ;" in plain(reply)


async def test_an_admin_reading_french_gets_the_admin_side_in_french(bot: BotHarness) -> None:
    bot.emulator.user_languages[ADMIN] = "fr"
    [ask] = await bot.say("/import", user=ADMIN)
    assert "Envoyez-moi la liste" in ask.text and "abonnés" in ask.text
    text = "nom;compte;plateforme;niche;abonnés;taux_engagement;prix_par_post;couleur\n"
    text += "Chloé;@chloe;instagram;cuisine;12 500;4,2;350;bleu\n"
    [preview] = await bot.send_file("liste.csv", text.encode(), user=ADMIN)
    assert "À ajouter : 1" in plain(preview.text) and "Colonne ignorée : couleur" in plain(
        preview.text
    )
    [done, _sample] = await bot.press(preview, "✅ Confirmer l’import", count=2, user=ADMIN)
    assert "est importé" in done.text
    [page] = await bot.say("/roster chloé", user=ADMIN)
    assert "résultats — page 1 sur" in page.text and "Touchez un numéro" in page.text
    [card] = await bot.press(page, "1", user=ADMIN)
    assert "Abonnés : " in plain(card.text) and "Prix par publication : " in plain(card.text)
    [missing] = await bot.say("/remove @personne", user=ADMIN)
    assert "Aucun influenceur « @personne »" in plain(missing.text)
    [usage] = await bot.say("/export --csv", user=ADMIN)
    assert "Je ne comprends pas « --csv »" in plain(usage.text)
    [document] = await bot.say("/export fr", user=ADMIN)
    assert "influenceurs. S’ouvre dans tout tableur" in document.text
    [refused] = await bot.say("/roster", user=USER)
    assert refused.text == "Sorry, this command is for admins only."  # USER reads English
    bot.emulator.user_languages[USER] = "fr"
    [refused] = await bot.say("/roster", user=USER)
    assert refused.text == "Désolé, cette commande est réservée aux admins."


def test_roster_filters_that_cannot_be_read_in_french(kb: KnowledgeBase) -> None:
    with speaking("fr"):
        read = read_roster_query("niche:zzz platform:snap tier:giant min:abc max:1e99", kb, [])
    assert len(read.problems) == 5
    assert (
        plain(read.problems[0])
        == "Je ne connais pas la niche « zzz » : tapez-la ainsi, niche:cooking"
    )
    assert all("« " in plain(problem) for problem in read.problems)
    english = read_roster_query("niche:zzz", kb, [])
    assert english.problems == ["I don't know the niche “zzz”: type it like niche:cooking"]


async def test_add_and_edit_take_french_field_names(bot: BotHarness) -> None:
    [draft] = await bot.say(
        '/add nom="Léa Martin" compte=@lea_levain plateforme=instagram niche=cuisine '
        "abonnés=12,5k taux_engagement=4,2 prix=180",
        user=ADMIN,
    )
    assert "Ready to add" in draft.text and "followers: 12500" in draft.text
    [done] = await bot.press(draft, "💾 Save", user=ADMIN)
    assert "Added: Léa Martin" in done.text
    [preview] = await bot.say("/edit @lea_levain prix_par_post=150 abonnés=13k", user=ADMIN)
    assert "price_per_post" in preview.text and "13000" in preview.text


def test_roster_filters_by_their_french_names(kb: KnowledgeBase) -> None:
    read = read_roster_query(
        "léa plateforme:instagram palier:micro Niveau:micro réseau:youtube", kb, []
    )
    assert read.problems == []
    assert read.query.platform == "youtube" and read.query.text == "léa"
    assert read.query.min_followers is not None


def test_export_takes_the_french_filter_names() -> None:
    read = read_export_args("fr palier:micro plateforme:instagram")
    assert read.unknown == [] and read.language == "fr"
    assert read.search == "palier:micro plateforme:instagram"
    assert read_export_args("couleur:bleu").unknown == ["couleur:bleu"]
