"""The roster file's columns in words, in each language ("Engagement rate (%)", « Taux
d'engagement (%) »): the header of the export people open in a spreadsheet, and names the
import knows (storage.roster_rows.column_name)."""

from __future__ import annotations

from knowledge.writing.i18n import LANGUAGES, pgettext, speaking

COLUMN = "roster file column"  # the context of the column names in the catalogues


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
