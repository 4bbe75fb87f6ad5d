"""A brief's start or launch date (issue 23, part 2), in the owner's time zone (`today` is
their day): typed at its question or as `date=…`, in any way a reminder's day is read
(`2027-03-15`, `15 March`, `March 15`, `le 15 mars`, `tomorrow`, `in 3 weeks`:
knowledge.reading.when), or named in a sentence after `on`, `le` or `for` (`launch on 15
March`, `launch on March 15`, `lancement le 15 mars`) or as `2027-03-15`. Today or later,
at most two years ahead."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from knowledge.reading.when import WhenError, WhenProblem, month_names, parse_start

# Words before a date typed at its question: `on 15 March`, `for 2027-03-15`.
_LEAD = re.compile(r"(?i)^(?:on|for|the|pour\s+le|pour)\s+")


@cache
def _in_sentence() -> re.Pattern[str]:
    """A day and month (and year) after `on`, `le`, `for` or `pour le`, or an ISO date."""
    months = "|".join(re.escape(n) for n in sorted(month_names(), key=len, reverse=True))
    return re.compile(
        rf"(?i)(?:\b(?:on|for|le|pour\s+le)\s+)(\d{{1,2}}(?:er|st|nd|rd|th)?\s+(?:{months})"
        rf"(?:\s+\d{{4}})?)(?!\w)|\b(\d{{4}}-\d{{1,2}}-\d{{1,2}})\b"
        rf"|\b(?:on|for)\s+((?:{months})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)(?!\w)"
    )


def date_in_sentence(text: str) -> str | None:
    """The words of the date a sentence names (`on 15 March` → `15 March`, `on March 15`
    → `March 15`), or None."""
    found = _in_sentence().search(text.replace("’", "'"))
    if found is None:
        return None
    return found.group(1) or found.group(2) or found.group(3)


def read_brief_date(text: str, today: date) -> date:
    """The date `text` gives; WhenError when it gives none (UNREADABLE, NO_SUCH_DATE), or one
    before `today` (PAST) or more than two years ahead (TOO_FAR)."""
    words = _LEAD.sub("", text.strip())
    if not words:
        raise WhenError(WhenProblem.UNREADABLE)
    return parse_start(words, today)
