"""Render reply texts from the Jinja2 templates (Telegram HTML, autoescaped)."""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from knowledge.base import KnowledgeBase, Side
from knowledge.writing import i18n
from knowledge.writing.posts_words import (
    ad_product_words,
    deliverable_words,
    disclosure_words,
    format_words,
    usage_words,
)
from knowledge.writing.replies import Template

TEMPLATE_DIR = Path(__file__).parent / "templates"
TELEGRAM_LIMIT = 4096
PHONE_WIDTH = 38
"""Characters a phone shows on one line of a chat bubble (one hand, the default font)."""


def _rate(value: float) -> str:
    """A fraction as a percentage: 0.025 -> `2.5%`."""
    return i18n.percent(value * 100, 2)


def span(values: Sequence[float]) -> str:
    """A forecast range as a person says it: `8–12k`, `1.2–2.5M`, `900–2,100`, `4–18`, `0.6–2.5`.

    `values` is (low, mid, high) or (low, high); the ends are rounded to two significant
    digits, never to the wrong side of the middle (a top of 1,934 beside a middle of 1,934
    is `2,000`, not `1,900`), and a shared unit is written once."""
    mid = values[1] if len(values) == 3 else None
    low = _end(values[0], mid, None, up=False)
    high = _end(values[-1], mid, None, up=True)
    if high < 1:
        return i18n.gettext("fewer than 1")
    for size, unit in ((1_000_000, "M"), (10_000, "k")):
        if high >= size:
            divisor = size if unit == "M" else 1000
            ends = [
                i18n.number(_end(v / divisor, mid and mid / divisor, 1, up=v == high), 1)
                for v in (low, high)
            ]
            return f"{ends[0]}{unit}" if ends[0] == ends[1] else f"{ends[0]}–{ends[1]}{unit}"
    # Under 10, one decimal (0.6–2.5 sales): whole numbers would round a range apart from the
    # "at best" figure said beside it.
    decimals = 1 if high < 10 else 0
    ends = [i18n.number(_end(v, mid, decimals, up=v == high), decimals) for v in (low, high)]
    return ends[0] if ends[0] == ends[1] else f"{ends[0]}–{ends[1]}"


def _end(value: float, mid: float | None, decimals: int | None, *, up: bool) -> float:
    """One end of a span: two significant digits (`decimals` None), or `decimals` decimals, to
    the nearest, unless that puts it on the wrong side of `mid` (a billionth off is a sum's
    rounding, not a side): then down for a low end, up for a top."""
    nearest = i18n.significant(value) if decimals is None else round(value, decimals)
    if mid is None or (nearest <= mid * (1 + 1e-9) if not up else nearest >= mid * (1 - 1e-9)):
        return nearest
    if decimals is None:
        return i18n.significant(value, rounding=math.ceil if up else math.floor)
    scale = 10.0**decimals
    return (math.ceil if up else math.floor)(round(value * scale, 9)) / scale


def _rounded_cents(cents: float) -> int:
    """An amount rounded as a person says it: two significant digits from €10 on."""
    whole = i18n.significant(cents / 100, 2 if cents >= 1000 else 3)
    return round(whole * 100)


def about_money(cents: float, currency: str) -> str:
    """`€564` for 56412 cents: an estimate, not an invoice."""
    return i18n.money(_rounded_cents(cents), currency)


def money_beyond(cents: float, limit: float, currency: str) -> tuple[str, str]:
    """`cents` and the `limit` it is over, each rounded as a person says it, but apart: the
    amount rounded up, the limit down, so that "€113 … over €110" never reads "€110 … over
    €110"."""
    step = 100 if min(cents, limit) >= 1000 else 1
    up = math.ceil(cents / step) * step
    down = math.floor(limit / step) * step
    if up <= down:  # (not over it after all)
        up, down = round(cents), round(limit)
    return i18n.money(up, currency), i18n.money(down, currency)


def money_span(cheapest: float, dearest: float | None, currency: str) -> str:
    """`€81–€365`, or `€81 or more` when the dear end is unbounded."""
    low = i18n.money(_rounded_cents(cheapest), currency)
    if dearest is None or math.isinf(dearest):
        return i18n.gettext("%(amount)s or more") % {"amount": low}
    high = i18n.money(_rounded_cents(dearest), currency)
    return low if low == high else f"{low}–{high}"


def money_sum(parts: Iterable[float], currency: str) -> str:
    """The sum of `parts` as shown (`i18n.money` rounds each from 100 units on), so that a
    total said beside its parts adds up."""
    return i18n.money(sum(i18n.shown_cents(part) for part in parts), currency)


def money_rest(total: float, part: float, currency: str) -> str:
    """`total` less `part`, each as shown: what is left said beside what is spent adds up."""
    return i18n.money(i18n.shown_cents(total) - i18n.shown_cents(part), currency)


def niche_label(kb: KnowledgeBase, slug: str) -> str:
    niche = kb.niches.get(slug)
    return niche.label if niche else slug.replace("-", " ").capitalize()


def platform_label(kb: KnowledgeBase, slug: str) -> str:
    platform = kb.platforms.get(slug)
    return platform.label if platform else slug.capitalize()


@dataclass(frozen=True)
class Labels:
    """Display names for niche and platform ids, for templates, in the current language."""

    kb: KnowledgeBase

    def niche(self, slug: str) -> str:
        """Its name in the current language: English and French for every reply, German,
        Spanish, Italian and Portuguese for a first message to a creator (`labels`)."""
        niche = self.kb.niches.get(slug)
        if niche is None:
            return niche_label(self.kb, slug)
        other = dict(niche.labels).get(i18n.base_language())
        return other or i18n.localized(niche, "label")

    def niches(self, slugs: Iterable[str]) -> str:
        return ", ".join(self.niche(slug) for slug in slugs)

    def platform(self, slug: str) -> str:
        return platform_label(self.kb, slug)

    def disclosure(self, country: str) -> str:
        """The words that mark a post as an ad in `country` (knowledge.advice.posts)."""
        return disclosure_words(country, self.kb.posts)

    def countries(self, codes: Iterable[str]) -> str:
        return ", ".join(self.country(code) for code in codes)

    def country(self, code: str) -> str:
        """`FR` → `France` / `France`, `DE` → `Germany` / `Allemagne`: in the reader's
        language (the code itself when Babel has no name for it)."""
        names = i18n.babel_locale().territories
        return str(names.get(code.upper(), code.upper()))


class EmptyReply(ValueError):
    """A template rendered to nothing: Telegram would refuse the message."""


def _unknown(kind: object) -> str:
    raise ValueError(f"this template has no branch for {kind!r}")


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    # jinja2.ext.i18n adds this method to the environment.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext, npgettext=i18n.npgettext
    )
    env.filters["money"] = i18n.money
    env.filters["count"] = i18n.count
    env.filters["number"] = i18n.number
    env.filters["percent"] = i18n.percent
    env.filters["when"] = i18n.when
    env.filters["local"] = i18n.localized
    env.filters["rate"] = _rate
    env.filters["span"] = span
    env.globals["money_span"] = money_span
    env.globals["money_beyond"] = money_beyond
    env.globals["money_sum"] = money_sum
    env.globals["money_rest"] = money_rest
    env.filters["shown"] = i18n.shown_cents
    env.filters["about_money"] = about_money
    env.globals["deliverable_words"] = deliverable_words
    env.globals["format_words"] = format_words
    env.globals["usage_words"] = usage_words
    env.globals["ad_product_words"] = ad_product_words
    env.globals["sides"] = Side
    env.globals["unknown"] = _unknown
    return env


def render(template: Template, **context: Any) -> str:
    """The text of `template`, stripped of outer blank lines; EmptyReply if there is none."""
    text = environment().get_template(f"{template.value}.html").render(**context)
    lines = [line.rstrip() for line in text.strip().splitlines()]
    if not lines:
        raise EmptyReply(f"{template.value} rendered nothing from {sorted(context)}")
    return "\n".join(lines)


def shown_text(text: str) -> str:
    """What a reader sees of an HTML reply: tags dropped, entities and no-break spaces read."""
    return html.unescape(re.sub(r"<[^<>]*>", "", text)).replace("\u202f", " ").replace("\xa0", " ")


def phone_lines(text: str, width: int = PHONE_WIDTH) -> int:
    """How many lines an HTML reply fills on a phone `width` characters wide."""
    return sum(
        1 if len(line) <= width else len(textwrap.wrap(line, width)) or 1
        for line in shown_text(text).splitlines()
    )


def utf16_len(text: str) -> int:
    """The length Telegram counts: UTF-16 code units (an emoji is often two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


# What a cut inside a line never splits: a tag, an HTML entity; otherwise one character.
_ATOM = re.compile(r"<[^<>]*>|&#?[A-Za-z0-9]+;|.", re.DOTALL)
_TAG = re.compile(r"<(/?)([A-Za-z][\w-]*)")


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut a long reply into messages at blank lines (else at line ends), none over `limit`
    UTF-16 units (Telegram's count), in order.

    Templates close every tag on the line that opens it, so a cut at a line end never
    splits an HTML element. Only a single line longer than `limit` is cut inside: between
    words where it can, never inside a tag or an entity such as `&amp;`, and a tag still
    open there is closed and opened again in the next message.
    """
    if utf16_len(text) <= limit:
        return [text]
    blocks: list[str] = []
    for block in text.split("\n\n"):
        if utf16_len(block) <= limit:
            blocks.append(block)
            continue
        lines = [piece for line in block.split("\n") for piece in _cut(line, limit)]
        blocks.extend(_pack(lines, "\n", limit))
    return _pack(blocks, "\n\n", limit)


def _cut(line: str, limit: int) -> list[str]:
    """`line` in pieces of at most `limit` UTF-16 units (see split_message)."""
    if utf16_len(line) <= limit:
        return [line]
    pieces: list[str] = []
    atoms: list[str] = []
    size = 0
    open_tags: list[tuple[str, str]] = []  # (opening tag, name), outermost first
    reopen = ""
    for atom in _ATOM.findall(line):
        closers = "".join(f"</{name}>" for _, name in reversed(open_tags))
        if atoms and size + utf16_len(atom) + utf16_len(closers) > limit:
            cut = _word_break(atoms)
            head, atoms = atoms[:cut], atoms[cut:]
            pieces.append(reopen + "".join(head) + closers)
            reopen = "".join(tag for tag, _ in open_tags)
            size = utf16_len(reopen) + sum(utf16_len(a) for a in atoms)
        atoms.append(atom)
        size += utf16_len(atom)
        tag = _TAG.match(atom)
        if tag is None:
            continue
        if tag.group(1):
            if open_tags and open_tags[-1][1] == tag.group(2):
                open_tags.pop()
        elif not atom.endswith("/>"):
            open_tags.append((atom, tag.group(2)))
    pieces.append(reopen + "".join(atoms))
    return pieces


def _word_break(atoms: list[str]) -> int:
    """Where to cut `atoms`: after the last space of their second half with no tag after it
    (so the tags open at the cut are those open at the end), else at the end."""
    for index in range(len(atoms) - 1, len(atoms) // 2, -1):
        if atoms[index].startswith("<"):
            break
        if atoms[index] == " ":
            return index + 1
    return len(atoms)


def _pack(pieces: Iterable[str], separator: str, limit: int) -> list[str]:
    """Consecutive pieces joined by `separator` into parts of at most `limit` UTF-16 units."""
    parts: list[str] = []
    current: str | None = None
    size = 0
    for piece in pieces:
        piece_size = utf16_len(piece)
        if current is not None and size + len(separator) + piece_size <= limit:
            current += separator + piece
            size += len(separator) + piece_size
        else:
            if current is not None:
                parts.append(current)
            current, size = piece, piece_size
    if current is not None:
        parts.append(current)
    return parts
