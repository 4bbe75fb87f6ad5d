"""One meaning per emoji: every emoji of a reply (the templates) or a button (the handlers'
texts) is in the table below with its one meaning and the places it is used; the legend at
the top of `_notices.html` says the same. A new use of an emoji must be added to its row,
which makes anyone adding it read the meaning it already has."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

from knowledge.writing.render import TEMPLATE_DIR

ROOT = Path(__file__).resolve().parents[1]
NOTICES = ("_notices.html", "_card_notices.html")
# Emoji, pictographs, arrows and boxes, each with its variation selector if any.
EMOJI = re.compile(
    r"(?:[\U0001F100-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF\u25A0-\u25FF"
    r"\u2190-\u21FF\u2139])\ufe0f?"
)
_CODE = re.compile(r'n\.code == "(\w+)"')
_COMMENT = re.compile(r"\{#.*?#\}", re.DOTALL)

# Emoji → (its one meaning, where it is used: a notice's code in the notice templates, else
# the template's name, or a button's text in the handlers).
MEANINGS: dict[str, tuple[str, set[str]]] = {
    "⚠️": (
        "what the roster or the budget can't give",
        {
            "no_match",
            "niche_widened",
            "scope_widened",
            "platform_widened",
            "roster_lacks",
            "side_widened",
            "nothing_affordable",
            "none_worth_it",
            "retainer_too_dear",
        },
    ),
    "🧪": ("a test", {"test", "test_too_dear"}),
    "💶": (
        "money",
        {
            "break_even",
            "left",
            "dearer",
            "fair_pay",
            "ask_margin",
            "cpm",
            "comparison",
            "asked_dearer",
        },
    ),
    "🔁": ("the wave-2 reserve", {"waves", "comparison"}),
    "🌍": ("the audience's country or language", {"audience", "audience_unknown", "countries"}),
    "⚖️": ("the law", {"regulated"}),
    "📍": ("a shop's town", {"local"}),
    "🔎": ("followers nobody has checked", {"unaudited"}),
    "🧭": ("the sources' strategy", {"against_strategy", "big_voice"}),
    "ℹ️": ("good to know", {"over_market", "left_out", "one_platform", "one_creator"}),
    "🤝": ("an ambassador", {"ambassador"}),
    "🎁": ("seeding: a product sent", {"seeding"}),
    "🎭": ("fictional people", {"sample_people"}),
    "💡": ("why", {"recommendation_card", "💡 Why"}),
    "🌐": ("any platform", {"🌐 Plan it on any platform", "left"}),
    "👥": ("the shortlist", {"👥 Shortlist"}),
    "📈": ("the forecast", {"📈 Forecast"}),
    "🧮": ("how the numbers are made", {"🧮 How these numbers are made"}),
    "☑️": ("the checklist", {"☑️ Checklist"}),
    "📜": (
        "the sources' quotes",
        {"📜 The sources' words", "📜 Original quotes (EN)", "📜 Quotes translated"},
    ),
    "✉️": (
        "a first message to a creator",
        {"first_messages_intro", "first_message_sent", "✉️ First messages"},
    ),
    "📎": (
        "copy in one tap",
        {
            "first_messages_intro",
            "📎 Copy the message",
            "📎 Copy the code and link",
            "📎 Copy the code",
        },
    ),
    "☐": ("a line to tick", {"checklist"}),
    "📄": ("the plan file", {"plan_file_caption", "📄 Plan (CSV)"}),
    "📑": ("the creator briefs' document", {"creator_briefs_caption"}),
    "💾": ("save", {"💾 Save as campaign", "💾 Save"}),
    "✏️": (
        "change",
        {
            "break_even",
            "ask_margin",
            "countries",
            "one_platform",
            "left",
            "test",
            "checklist",
            "test_too_dear",
            "ask_option",
            "first_messages_intro",  # how to name the shop: ✏️ Change an answer
            "retainer_too_dear",  # single posts instead: ✏️ Change an answer, then Goal
            "_notices",  # its macro for the default discount (in break_even and test)
            "✏️ Change an answer",
            "✏️ Rename",
            "✏️ Edit",
            "✏️ Edit the plan",
        },
    ),
    "✅": (
        "yes, done",
        {
            "campaign_saved",
            "campaign_change",
            "creator",
            "creator_results",
            "✅ Get my recommendation",
            "✅ Accept",
            "✅ Confirm",
            "✅ Confirm import",
            "✅ Yes, remove them",
        },
    ),
    "🗑": ("delete", {"campaign_change", "🗑 Delete", "🗑 Yes, delete", "🗑 Remove"}),
    "↩️": ("left or back", {"form_left", "↩️ Restore", "↩️ Back to: %(status)s"}),
    "🆕": ("start over", {"🆕 Start over"}),
    "➕": ("add", {"➕ Add as a new niche"}),
    "📅": (
        "a campaign's dates",
        {
            "campaigns_list",
            "📅 Review “%(name)s”",
            "📅 Move",
            "campaign_ask",  # the plan's posting days, offered as the start
            "busy",  # a plan dated in the busy weeks before Christmas
            "recommendation_shortlist",  # a line's posting window
            "campaign_card",  # a creator's posting window
            "📅 %(day)s, as planned",
            "📅 %(num)s day, as planned",
            "📅 %(num)s days, as planned",
        },
    ),
    "📋": ("a check-in", {"checkin"}),
    "📝": ("enter results", {"📝 Enter results"}),
    "⏰": ("a reminder", {"reminder"}),
    "🕒": ("the user's time zone", {"timezone_result"}),
    "✖": ("cancel", {"remind_result", "✖ "}),
    "◀": ("back or the previous page", {"◀", "◀ Back", "◀ Previous", "◀ The campaign"}),
    "▶": ("the next page", {"▶", "Next ▶"}),
    "⚪": ("a creator to contact", {"⚪"}),
    "📨": ("a creator contacted", {"📨"}),
    "👌": ("a creator who agreed", {"👌"}),
    "👍": ("a creator's content approved", {"👍"}),
    "📣": ("a creator's content published", {"📣"}),
    "🧾": ("a creator paid", {"🧾"}),
    "❌": ("a creator who declined", {"❌", "❌ Declined"}),
    "➡️": ("a creator's next step", {"➡️ %(status)s"}),
    "🔄": ("a creator asked again", {"🔄 Asked again"}),
    "🔀": ("a creator replaced", {"creator", "🔀 Replace them"}),
    "→": (
        "gives or becomes",
        {"recommendation_card", "recommendation_how", "edit_preview", "history", "_macros"},
    ),
}


def uses_in(name: str, text: str) -> dict[str, set[str]]:
    """Each emoji of one template (comments left out) → where it is used."""
    uses: dict[str, set[str]] = defaultdict(set)
    code = None
    for line in _COMMENT.sub("", text).splitlines():
        found = _CODE.search(line)
        code = found.group(1) if found else code
        place = code if name in NOTICES and code else name.removesuffix(".html")
        for emoji in EMOJI.findall(line):
            uses[emoji].add(place)
    return uses


def template_uses() -> dict[str, set[str]]:
    """Each emoji of the templates → where it is used."""
    uses: dict[str, set[str]] = defaultdict(set)
    for path in sorted(TEMPLATE_DIR.glob("*.html")):
        for emoji, places in uses_in(path.name, path.read_text()).items():
            uses[emoji] |= places
    return uses


def misuses(uses: dict[str, set[str]]) -> list[str]:
    """What is wrong with these uses: an emoji without a meaning, or used in a new place."""
    problems = []
    for emoji, places in uses.items():
        if emoji not in MEANINGS:
            problems.append(f"{emoji} has no meaning yet: add it to MEANINGS")
            continue
        meaning, allowed = MEANINGS[emoji]
        if places - allowed:
            problems.append(
                f"{emoji} means “{meaning}”: is that what it means in {places - allowed}?"
            )
    return problems


def button_uses() -> dict[str, set[str]]:
    """Each emoji of the handlers' texts (docstrings left out) → the texts holding it."""
    uses: dict[str, set[str]] = defaultdict(set)
    for path in sorted((ROOT / "handlers").glob("*.py")):
        tree = ast.parse(path.read_text())
        docstrings = {
            id(node.body[0].value)
            for node in ast.walk(tree)
            if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            and node.body
            and isinstance(node.body[0], ast.Expr)
            and isinstance(node.body[0].value, ast.Constant)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in docstrings:
                    continue
                for emoji in EMOJI.findall(node.value):
                    uses[emoji].add(node.value)
    return uses


def legend() -> dict[str, str]:
    """The legend at the top of `_notices.html`: emoji → meaning."""
    comment = _COMMENT.search((TEMPLATE_DIR / "_notices.html").read_text())
    assert comment is not None
    lines = [line.strip() for line in comment.group().splitlines()]
    pairs = [line.split(" ", 1) for line in lines if EMOJI.fullmatch(line.split(" ")[0])]
    return {emoji: meaning for emoji, meaning in pairs}


def test_every_emoji_has_one_meaning_and_its_known_places() -> None:
    assert misuses(template_uses()) == []
    assert misuses(button_uses()) == []


def test_the_legend_says_each_emoji_meaning_once() -> None:
    assert legend() == {emoji: meaning for emoji, (meaning, _) in MEANINGS.items()}


def test_every_meaning_is_still_used() -> None:
    used: dict[str, set[str]] = defaultdict(set)
    for uses in (template_uses(), button_uses()):
        for emoji, places in uses.items():
            used[emoji] |= places
    for emoji, (_meaning, places) in MEANINGS.items():
        assert places == used[emoji], (emoji, places ^ used[emoji])


def test_an_emoji_with_a_second_meaning_is_caught() -> None:
    """🧪 for fictional people (it means a test), 🎲 that means nothing yet: both caught."""
    bad = '{% elif n.code == "sample_people" %}\n🧪 {{ _("Fictional") }} 🎲'
    problems = misuses(uses_in("_notices.html", bad))
    assert len(problems) == 2
    assert "🧪 means “a test”: is that what it means in {'sample_people'}?" in problems
