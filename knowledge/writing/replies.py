"""The names of the reply templates, and the kinds of reply a template can give.

A template that answers in several ways takes a `kind` from one of these enums; its last
branch calls `unknown(kind)`, so a kind the template does not know fails loudly (and a test
renders every kind) instead of sending an empty message.
"""

from __future__ import annotations

from enum import StrEnum


class Template(StrEnum):
    ADD_ASK = "add_ask"
    ADD_DRAFT = "add_draft"
    ADMIN_HELP = "admin_help"
    ADMIN_RESULT = "admin_result"
    ADMINS_ONLY = "admins_only"
    ASK_BUDGET = "ask_budget"
    ASK_GOAL = "ask_goal"
    ASK_NICHE = "ask_niche"
    ASK_OPTION = "ask_option"
    ASK_SHOP_NAME = "ask_shop_name"
    ASK_PLATFORM = "ask_platform"
    BUDGET_ERROR = "budget_error"
    CAMPAIGN_ASK = "campaign_ask"
    CAMPAIGN_CARD = "campaign_card"
    CAMPAIGN_CHANGE = "campaign_change"
    CAMPAIGN_SAVED = "campaign_saved"
    CAMPAIGN_SCHEDULE = "campaign_schedule"
    CAMPAIGNS_LIST = "campaigns_list"
    CANCELLED = "cancelled"
    CHART_CREATORS_CAPTION = "chart_creators_caption"
    CHART_PLAN_CAPTION = "chart_plan_caption"
    CHART_RESULTS_CAPTION = "chart_results_caption"
    CHANGE_WHICH = "change_which"
    CHECKIN = "checkin"
    CHECKLIST = "checklist"
    COMMAND_TAKEN = "command_taken"
    CREATOR = "creator"
    CREATOR_RESULTS = "creator_results"
    EDIT_HINT = "edit_hint"
    EDIT_PREVIEW = "edit_preview"
    ERROR = "error"
    EXPIRED = "expired"
    EXPORT_CAPTION = "export_caption"
    FALLBACK_TEXT = "fallback_text"
    FIELD_PROBLEMS = "field_problems"
    CREATOR_BRIEFS = "creator_briefs"
    CREATOR_BRIEFS_CAPTION = "creator_briefs_caption"
    CREATOR_BRIEFS_TITLE = "creator_briefs_title"
    FIRST_MESSAGE = "first_message"
    FIRST_MESSAGE_SENT = "first_message_sent"
    FIRST_MESSAGE_SUBJECT = "first_message_subject"
    FIRST_MESSAGES_INTRO = "first_messages_intro"
    FORM_LEFT = "form_left"
    HELP = "help"
    HISTORY = "history"
    IMPORT_MESSAGES = "import_messages"
    INFLUENCER_CARD = "influencer_card"
    LANGUAGE = "language"
    LOOKUP_PROBLEM = "lookup_problem"
    NOT_TEXT = "not_text"
    NOTHING_TO_CANCEL = "nothing_to_cancel"
    PLAN_FILE_CAPTION = "plan_file_caption"
    PRIVACY = "privacy"
    QUESTION_ANSWER = "question_answer"
    RECOMMENDATION_CARD = "recommendation_card"
    RECOMMENDATION_FORECAST = "recommendation_forecast"
    RECOMMENDATION_HOW = "recommendation_how"
    RECOMMENDATION_SHORTLIST = "recommendation_shortlist"
    RECOMMENDATION_WHY = "recommendation_why"
    REMIND_RESULT = "remind_result"
    LATE_REPLY = "late_reply"
    REMINDER = "reminder"
    REMOVE_CONFIRM = "remove_confirm"
    RESULTS_ASK = "results_ask"
    RESULTS_SAVED = "results_saved"
    ROSTER_CHANGED = "roster_changed"
    ROSTER_PAGE = "roster_page"
    ROSTER_PROBLEM = "roster_problem"
    SAMPLE_ROSTER = "sample_roster"
    SUMMARY = "summary"
    TIMEZONE_RESULT = "timezone_result"
    UNKNOWN_COMMAND = "unknown_command"
    UNKNOWN_FIELD = "unknown_field"
    WELCOME = "welcome"
    WHEN_PROBLEM = "when_problem"


class RemindReply(StrEnum):
    """remind_result"""

    EMPTY = "empty"
    USAGE = "usage"
    SET = "set"
    CANCELLED = "cancelled"
    GONE = "gone"
    LIST = "list"


class ErrorReply(StrEnum):
    """error"""

    FAILED = "failed"  # handling the update failed
    NOT_DELIVERED = "not_delivered"  # done and saved, but the reply may not have arrived


class PrivacyReply(StrEnum):
    """privacy"""

    DATA = "data"  # the caption of /mydata's file
    ASK = "ask"  # /forget_me's confirmation
    FORGOTTEN = "forgotten"
    KEPT = "kept"


class ImportReply(StrEnum):
    """import_messages"""

    ASK = "ask"
    TOO_BIG = "too_big"
    NOT_CSV = "not_csv"
    NOT_UTF8 = "not_utf8"
    SEND_FILE = "send_file"
    REJECTED = "rejected"
    PREVIEW = "preview"
    DONE = "done"
    CANCELLED = "cancelled"
    PROBLEM = "problem"  # one problem of a refused file, on its own (the command line)


class ImportProblemKind(StrEnum):
    """import_messages (kind PROBLEM): why a roster file is refused, line by line."""

    EMPTY = "empty"
    UNREADABLE = "unreadable"  # the CSV reader's own words, in `detail`
    MISSING_COLUMNS = "missing_columns"
    REPEATED_COLUMNS = "repeated_columns"
    CELL_COUNT = "cell_count"
    FIELD = "field"
    REPEATED_ROW = "repeated_row"
    NO_ROWS = "no_rows"


class AdminReply(StrEnum):
    """admin_result"""

    USAGE = "usage"
    ADDED = "added"
    ALREADY = "already"
    REMOVED = "removed"
    CONFIGURED = "configured"
    NOT_ADMIN = "not_admin"
    LIST = "list"


class RosterChange(StrEnum):
    """roster_changed: what became of a change to one influencer."""

    EDITED = "edited"
    UNCHANGED = "unchanged"
    REMOVED = "removed"
    RESTORED = "restored"
    ALREADY_REMOVED = "already_removed"
    ALREADY_ACTIVE = "already_active"
    ADDED = "added"
    DUPLICATE = "duplicate"
    KEPT = "kept"
    STALE = "stale"
    PURGED = "purged"


class SampleReply(StrEnum):
    """sample_roster: /sample, and the question after an import of real people."""

    STATUS = "status"  # how many sample people are in, and the two subcommands
    CONFIRM = "confirm"  # /sample remove, waiting for Yes
    AFTER_IMPORT = "after_import"  # an import added real people while sample ones are in
    REMOVED = "removed"
    RESTORED = "restored"
    NONE_IN = "none_in"  # /sample remove with no sample person in
    NONE_OUT = "none_out"  # /sample restore with no sample person retired
    KEPT = "kept"


class ZoneReply(StrEnum):
    """timezone_result"""

    ASK = "ask"
    UNKNOWN = "unknown"
    SET = "set"
    QUESTION = "question"  # asked once, before the first time shown (handlers.reminders)


class LanguageReply(StrEnum):
    """language"""

    ASK = "ask"
    SET = "set"


class LookupProblem(StrEnum):
    """lookup_problem: why a command's `@handle` or `#id` names nobody, or several."""

    USAGE = "usage"
    NOT_FOUND = "not_found"
    AMBIGUOUS = "ambiguous"


class CampaignStep(StrEnum):
    """campaign_ask: the question of the Save-as-campaign form."""

    NAME = "name"
    START = "start"
    LENGTH = "length"
    MOVE = "move"


class CampaignChange(StrEnum):
    """campaign_change: renaming, moving or deleting a campaign, from its card."""

    ASK_NAME = "ask_name"
    ASK_START = "ask_start"
    RENAMED = "renamed"
    MOVED = "moved"
    CONFIRM_DELETE = "confirm_delete"
    DELETED = "deleted"
    KEPT = "kept"


class WhenAsked(StrEnum):
    """when_problem: what the unreadable answer was meant to be."""

    DATE = "date"
    LENGTH = "length"
    WHEN = "when"


class AddQuestion(StrEnum):
    """add_ask: the field /add asks for next (or whether to add a new niche)."""

    NAME = "name"
    PLATFORM = "platform"
    HANDLE = "handle"
    NICHE = "niche"
    FOLLOWERS = "followers"
    ENGAGEMENT_RATE = "engagement_rate"
    PRICE_PER_POST = "price_per_post"
    NEW_NICHE = "new_niche"


class QuestionFigure(StrEnum):
    """question_answer: a figure of the assumptions an answer to a question gives."""

    FOLLOWERS = "followers"
    FAIR_PAY = "fair_pay"
    ENGAGEMENT = "engagement"


class CreatorNote(StrEnum):
    """creator: a creator of a campaign, and what the owner's last tap did to them."""

    SHOWN = "shown"
    MOVED = "moved"
    STALE = "stale"  # they were no longer where the button was made (nothing changed)
    REFUSED = "refused"  # not a move the rules allow (nothing changed)
    REPLACED = "replaced"
    FIT_CHANGED = "fit_changed"  # the next best fit is no longer the one the button named
