"""The roster file's columns in words, in each language ("Engagement rate (%)", « Taux
d'engagement (%) »): the header of the export people open in a spreadsheet, and names the
import knows (storage.roster_rows.column_name); and the fields as admins type them in each
language (`followers`, `abonnés`), with their values written that language's way."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from knowledge.writing.i18n import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    current_language,
    number,
    percent,
    pgettext,
    speaking,
)

COLUMN = "roster file column"  # the context of the column names in the catalogues
# Each column's French name: what French admins type (`/edit #12 abonnés=25k`), read in a
# header instead of the English one, written by `/export fr`.
FRENCH_COLUMNS = {
    "name": "nom",
    "handle": "compte",
    "platform": "plateforme",
    "niche": "niche",
    "followers": "abonnés",
    "engagement_rate": "taux_engagement",
    "price_per_post": "prix_par_post",
    "currency": "devise",
    "country": "pays",
    "language": "langue",
    "posts_per_week": "publications_par_semaine",
    "audience_quality": "qualité_audience",
    "open_to_exclusivity": "ouvert_exclusivité",
    "contact": "contact",
    "notes": "notes",
}
# The fields' names admins type, by language (English: the columns' own keys); `active` is
# the removed-or-not of a record, in its history.
FIELD_NAMES = {"fr": {**FRENCH_COLUMNS, "active": "actif"}}
NUMBERS = {"followers": 0, "price_per_post": 2, "posts_per_week": 2, "audience_quality": 0}


def roster_labels() -> dict[str, str]:
    """Each column (by its key) in words, in the language being spoken."""
    return {
        "name": pgettext(COLUMN, "Name"),
        "handle": pgettext(COLUMN, "Handle"),
        "platform": pgettext(COLUMN, "Platform"),
        "niche": pgettext(COLUMN, "Niches"),
        "followers": pgettext(COLUMN, "Followers"),
        "engagement_rate": pgettext(COLUMN, "Engagement rate (%)"),
        "price_per_post": pgettext(COLUMN, "Price per post"),
        "currency": pgettext(COLUMN, "Currency"),
        "country": pgettext(COLUMN, "Country"),
        "language": pgettext(COLUMN, "Language"),
        "posts_per_week": pgettext(COLUMN, "Posts per week"),
        "audience_quality": pgettext(COLUMN, "Audience quality (%)"),
        "open_to_exclusivity": pgettext(COLUMN, "Open to exclusivity"),
        "contact": pgettext(COLUMN, "Contact"),
        "notes": pgettext(COLUMN, "Notes"),
    }


def yes_no(value: bool) -> str:
    """A yes/no cell in the language being spoken (the import reads both languages)."""
    return pgettext(COLUMN, "yes") if value else pgettext(COLUMN, "no")


def labels_in_every_language() -> dict[str, list[str]]:
    """Each column's words in every language the bot speaks."""
    labels: dict[str, list[str]] = {}
    for language in LANGUAGES:
        with speaking(language):
            for key, label in roster_labels().items():
                labels.setdefault(key, []).append(label)
    return labels


def field_name(key: str) -> str:
    """A field as admins type it in the language being spoken (`followers`, `abonnés`)."""
    return FIELD_NAMES.get(current_language(), {}).get(key, key)


def field_value(key: str, value: object) -> str:
    """A field's value as stored (`7.5`, `23500`, `yes`, True) as the language being spoken
    writes it (`7,5 %`, `23 500`, `oui`); in English, as stored (what admins type)."""
    if current_language() == DEFAULT_LANGUAGE:
        return str(value)
    if key in ("open_to_exclusivity", "active"):
        return yes_no(value in (True, "yes"))
    try:
        figure = float(str(value))
    except ValueError:
        return str(value)
    if key == "engagement_rate":
        return percent(figure, 2)
    return number(figure, NUMBERS[key]) if key in NUMBERS else str(value)


def shown_fields(rows: Iterable[Sequence[object]]) -> list[tuple[str, ...]]:
    """`(field, value, …)` rows (a draft's values, a change's before and after) with the field
    named and every value written as the language being spoken does."""
    return [
        (field_name(str(key)), *(field_value(str(key), value) for value in values))
        for key, *values in rows
    ]
