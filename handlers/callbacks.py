"""Callback data: every button's data is `prefix:part:part…`, and each prefix is named here.

Buttons carry plain, checked strings rather than python-telegram-bot's arbitrary callback
data, whose cache lives in one process: any instance of the bot can answer any button.
"""

from __future__ import annotations

from enum import StrEnum

from knowledge.reading.parsing import parse_id

SEPARATOR = ":"


class Prefix(StrEnum):
    BRIEF = "b"  # b:<brief id>:<BriefButton>[:<value>]
    ADVISE = "advise"  # advise:start
    SAVE_CAMPAIGN = "camp"  # camp:<saved brief id>
    CAMPAIGN_NAME = "cn"  # cn:use
    CAMPAIGN_START = "cs"  # cs:<today|tomorrow|next monday>
    CAMPAIGN_LENGTH = "cl"  # cl:<days>
    CAMPAIGN_ACCEPT = "ca"  # ca:accept
    CAMPAIGN_MOVE = "cm"  # cm:<stage>
    OPEN_CAMPAIGN = "cp"  # cp:<campaign id>
    RESUME_CAMPAIGN = "cr"  # cr:go (a schedule set aside, waiting to be accepted)
    CHANGE_CAMPAIGN = "cc"  # cc:<campaign id>:<CampaignAction>
    NEW_START = "cns"  # cns:<today|tomorrow|next monday> (moving a campaign)
    DELETE_CAMPAIGN = "cdel"  # cdel:<campaign id>[:no]
    CREATOR = "pc"  # pc:<campaign id>:<creator id> (a creator's menu)
    MOVE_CREATOR = "pm"  # pm:<campaign id>:<creator id>:<from status>:<to status>
    REPLACE_CREATOR = "prp"  # prp:<campaign id>:<creator id>:<the replacement's roster id>
    ENTER_RESULTS = "ci"  # ci:<check-in id>
    RESULTS_STEP = "rs"  # rs:go | rs:skip
    CANCEL_REMINDER = "rm"  # rm:<reminder id>
    REMINDERS_PAGE = "rp"  # rp:<page>
    TIMEZONE = "tz"  # tz:<zone>
    FORGET = "fm"  # fm:<nonce>[:no] (/forget_me)
    ROSTER = "r"  # r:<RosterAction>[:<id or page>[:<version>]]
    EDIT = "ed"  # ed:<nonce>[:no]
    ADD = "add"  # add:<AddAction>[:<platform>]
    IMPORT = "imp"  # imp:<pending id>[:no]
    SAMPLE = "smp"  # smp:<nonce>[:no] (removing the sample roster)
    VIEW = "v"  # v:<saved brief id>:<View>[:<page>]
    CHANGE_ANSWER = "ch"  # ch:<saved brief id>
    LANGUAGE = "lang"  # lang:<language code>
    SHOP_NAME = "sn"  # sn:skip (the shop's name, asked before the first messages)


class CampaignAction(StrEnum):
    RENAME = "rename"
    MOVE = "move"
    DELETE = "delete"


class BriefButton(StrEnum):
    GOAL = "goal"
    NICHE = "niche"
    PLATFORM = "platform"
    CONFIRM = "confirm"
    CHANGE = "change"
    SKIP = "skip"
    COUNTRY = "country"


class View(StrEnum):
    """A view of a recommendation, shown in place of its card (or sent: the file, the first
    messages)."""

    CARD = "card"
    WHY = "why"
    WHY_QUOTES = "whyq"  # Why with each reason's quote, in the reader's language
    WHY_ORIGINAL = "whyen"  # Why with the sources' quotes in English, not translated
    SHORTLIST = "list"
    FORECAST = "fc"
    HOW = "how"
    CHECKLIST = "check"
    PLAN_FILE = "csv"
    FIRST_MESSAGES = "msg"  # a first message to each booked creator, sent
    ANY_PLATFORM = "any"  # the same brief again on any platform (a new card)


class RosterAction(StrEnum):
    OPEN = "o"
    PAGE = "p"
    KEEP = "k"
    EDIT = "e"
    REMOVE = "x"
    CONFIRM_REMOVE = "xc"
    CONFIRM_PURGE = "xp"
    RESTORE = "rs"


class AddAction(StrEnum):
    PLATFORM = "platform"
    NEW_NICHE = "newniche"
    CANCEL = "cancel"
    SAVE = "save"


START = "start"
USE = "use"
ACCEPT = "accept"
GO = "go"
SKIP = "skip"
NO = "no"
ANY = "any"


def data(prefix: Prefix, *parts: object) -> str:
    """The callback data of a button: `data(Prefix.OPEN_CAMPAIGN, 12)` → `cp:12`."""
    return SEPARATOR.join((prefix.value, *(str(p) for p in parts)))


def pattern(prefix: Prefix, rest: str = "") -> str:
    """The regular expression a handler matches this prefix's buttons with; `rest` is a
    pattern for what follows the separator (default: anything, or nothing)."""
    if rest:
        return rf"^{prefix.value}{SEPARATOR}(?:{rest})$"
    return rf"^{prefix.value}(?:{SEPARATOR}|$)"


def parts_of(callback_data: str | None, prefix: Prefix) -> list[str]:
    """The parts after `prefix` (`cp:12` → `["12"]`), or [] for other data."""
    head, _, rest = (callback_data or "").partition(SEPARATOR)
    if head != prefix.value:
        return []
    return rest.split(SEPARATOR) if rest else []


def id_part(parts: list[str], index: int = 0) -> int | None:
    """A database id carried by a button, or None if it is not one (ids are 1 to 18 digits)."""
    return parse_id(parts[index]) if index < len(parts) else None
