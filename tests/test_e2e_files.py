"""End to end: the files people open in a spreadsheet (issue 22, point 7): the plan file and
`/export` as English and French spreadsheets open them (French: `;`, decimal commas; a BOM;
headers in words; no visible guard), and `/import` of a file as French Excel saves it."""

from __future__ import annotations

import csv
import io
import re

from sqlmodel import Session

from storage.roster import find_influencers
from tests.conftest import ADMIN, USER, BotHarness
from tests.conftest import spaces_as_read as plain

BOM = "\ufeff"
# As French Excel saves "CSV UTF-8": a BOM, `;`, CRLF, headers in words with apostrophes and
# accents, thousands grouped by spaces and decimal commas.
FRENCH_EXCEL = (
    BOM + "Nom;Compte;Plateforme;Niches;Abonnés;Taux d'engagement;Prix par publication;"
    "Publications par semaine;Ouvert à l’exclusivité;Notes\r\n"
    "Chloé Dubois;@chloe.cuisine;Instagram;cuisine;12 500;4,2;1 250,50;1,5;oui;-20 %\r\n"
    "Max Frac;maxfrac;TikTok;cuisine;8 000;3,75;1,250;;non;-20 % en janvier\r\n"
)


def table(data: bytes, separator: str) -> list[list[str]]:
    text = data.decode("utf-8")
    assert text.startswith(BOM)  # Excel reads accents right only with one
    return list(csv.reader(io.StringIO(text.removeprefix(BOM), newline=""), delimiter=separator))


async def test_the_plan_file_for_an_english_user(bot: BotHarness) -> None:
    [card] = await bot.say("/advise goal=sales budget=3000 niche=cooking platform=instagram")
    [plan_file] = await bot.press(card, "📄 Plan (CSV)")
    header, *lines, totals = table(bot.file(plan_file), ",")
    assert header[:5] == ["Wave", "Booked", "Name", "Handle", "Profile link"]
    assert "Price per post" in header and "Engagement rate (%)" in header
    assert lines and totals[0] == "Total"
    handle, cost = header.index("Handle"), header.index("Cost")
    for row in lines:
        assert len(row) == len(header)
        assert not row[handle].startswith(("@", "'"))  # no visible guard
        assert re.fullmatch(r"\d+(\.\d+)?", row[cost])  # a number a spreadsheet reads
    assert float(totals[cost]) == sum(float(row[cost]) for row in lines)


async def test_the_plan_file_for_a_french_user(bot: BotHarness) -> None:
    bot.emulator.user_languages[USER] = "fr-FR"
    [card] = await bot.say("/conseil goal=sales budget=3000 niche=cooking platform=instagram")
    [plan_file] = await bot.press(card, "📄 Plan (CSV)")
    header, *lines, totals = table(bot.file(plan_file), ";")
    assert header[:5] == ["Vague", "Réservé", "Nom", "Compte", "Lien du profil"]
    assert "Prix par publication" in header and "Taux d’engagement (%)" in header
    assert lines and totals[0] == "Total"
    rate, sales = header.index("Taux d’engagement (%)"), header.index("Ventes")
    cells = [row[rate] for row in lines] + [totals[sales]]
    assert all(re.fullmatch(r"\d+(,\d+)?", cell) for cell in cells), cells  # decimal commas
    assert any("," in cell for cell in cells)
    assert not any(cell.startswith(("@", "'")) for row in lines for cell in row)


async def test_import_as_french_excel_saves_then_export_and_import_again(
    bot: BotHarness,
) -> None:
    bot.emulator.user_languages[ADMIN] = "fr-FR"
    await bot.say("/import", user=ADMIN)
    [preview] = await bot.send_file("roster.csv", FRENCH_EXCEL.encode("utf-8"), user=ADMIN)
    assert "À ajouter : 2" in plain(preview.text) and "Erreurs : aucune" in plain(preview.text)
    assert "ignor" not in preview.text
    _done, ask = await bot.press(preview, "✅ Confirmer l’import", count=2, user=ADMIN)
    await bot.press(ask, "Les garder", user=ADMIN)  # the sample people stay in
    with Session(bot.engine) as session:
        [chloe] = find_influencers(session=session, reference="@chloe.cuisine")
        [max_frac] = find_influencers(session=session, reference="maxfrac")
    assert (chloe.followers, chloe.engagement_rate, chloe.price_cents) == (12_500, 4.2, 125_050)
    assert (chloe.posts_per_week, chloe.open_to_exclusivity) == (1.5, True)
    assert (max_frac.engagement_rate, max_frac.price_cents) == (3.75, 125)  # `1,250` is 1.25

    [document] = await bot.say("/export niche:cooking", user=ADMIN)
    header, *rows = table(bot.file(document), ";")
    assert header[:7] == [
        "Nom",
        "Compte",
        "Plateforme",
        "Niches",
        "Abonnés",
        "Taux d’engagement (%)",
        "Prix par publication",
    ]
    chloe_row = next(row for row in rows if row[0] == "Chloé Dubois")
    assert chloe_row[1:7] == ["chloe.cuisine", "instagram", "cooking", "12500", "4,2", "1250,5"]
    assert chloe_row[header.index("Ouvert à l’exclusivité")] == "oui"
    assert chloe_row[-1] == "-20 %"  # runs nothing: no guard shown
    max_row = next(row for row in rows if row[0] == "Max Frac")
    assert max_row[-1] == "'-20 % en janvier"  # words after a minus: guarded

    [full] = await bot.say("/export", user=ADMIN)
    await bot.say("/import", user=ADMIN)
    [again] = await bot.send_file("export.csv", bot.file(full), user=ADMIN)
    text = plain(again.text)
    assert "À ajouter : 0" in text and "À mettre à jour : 0" in text, text
    assert "ignor" not in text


async def test_the_english_export_imports_again_and_keeps_formulas_harmless(
    bot: BotHarness,
) -> None:
    file = (
        "Name,Handle,Platform,Niches,Followers,Engagement rate (%),Price per post,Notes\n"
        'Ann Formula,@annformula,instagram,cooking,12k,3.5,200,"=HYPERLINK(""http://x"")"\n'
        "Ben At,@benat,instagram,cooking,9k,4,150,@SUM(1)\n"
    )
    await bot.say("/import", user=ADMIN)
    [preview] = await bot.send_file("roster.csv", file.encode(), user=ADMIN)
    assert "To add: 2" in preview.text, preview.text
    _done, ask = await bot.press(preview, "✅ Confirm import", count=2, user=ADMIN)
    await bot.press(ask, "Keep them", user=ADMIN)  # the sample people stay in
    [document] = await bot.say("/export niche:cooking", user=ADMIN)
    header, *rows = table(bot.file(document), ",")
    assert header[:7] == [
        "Name",
        "Handle",
        "Platform",
        "Niches",
        "Followers",
        "Engagement rate (%)",
        "Price per post",
    ]
    notes = {row[0]: row[header.index("Notes")] for row in rows}
    assert notes["Ann Formula"] == '\'=HYPERLINK("http://x")'
    assert notes["Ben At"] == "'@SUM(1)"
    assert next(row for row in rows if row[0] == "Ben At")[1] == "benat"

    [full] = await bot.say("/export", user=ADMIN)
    await bot.say("/import", user=ADMIN)
    [again] = await bot.send_file("export.csv", bot.file(full), user=ADMIN)
    assert "To add: 0" in again.text and "To update: 0" in again.text, again.text
    with Session(bot.engine) as session:
        [ann] = find_influencers(session=session, reference="annformula")
    assert ann.handle == "@annformula" and ann.notes == '=HYPERLINK("http://x")'


async def test_a_header_missing_a_column_names_only_that_one(bot: BotHarness) -> None:
    bot.emulator.user_languages[ADMIN] = "fr-FR"
    without_price = FRENCH_EXCEL.replace(";Prix par publication", ";Tarif")
    await bot.say("/import", user=ADMIN)
    [refused] = await bot.send_file("roster.csv", without_price.encode("utf-8"), user=ADMIN)
    assert "il manque la ou les colonnes Prix par publication" in plain(refused.text)
    assert "Nom" not in refused.text and "Compte" not in refused.text
    bot.emulator.user_languages[ADMIN] = "en"
    await bot.say("/cancel", user=ADMIN)
    await bot.say("/import", user=ADMIN)
    [english] = await bot.send_file("roster.csv", without_price.encode("utf-8"), user=ADMIN)
    assert "line 1: missing column(s): Price per post\n" in english.text + "\n", english.text
