"""Render reply texts from the Jinja2 templates (Telegram HTML, autoescaped)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from knowledge.base import KnowledgeBase, Side
from knowledge.matching import niche_label, platform_label
from knowledge.parsing import format_count, format_money
from knowledge.replies import Template

TEMPLATE_DIR = Path(__file__).parent / "templates"
TELEGRAM_LIMIT = 4096


def _percent(value: float, digits: int = 1) -> str:
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return f"{text}%"


def _rate(value: float) -> str:
    """A fraction as a percentage: 0.025 -> `2.5%`."""
    return _percent(value * 100, 2)


@dataclass(frozen=True)
class Labels:
    """Display names for niche and platform ids, for templates."""

    kb: KnowledgeBase

    def niche(self, slug: str) -> str:
        return niche_label(self.kb, slug)

    def niches(self, slugs: Iterable[str]) -> str:
        return ", ".join(niche_label(self.kb, slug) for slug in slugs)

    def platform(self, slug: str) -> str:
        return platform_label(self.kb, slug)


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
    )
    env.filters["money"] = format_money
    env.filters["count"] = format_count
    env.filters["percent"] = _percent
    env.filters["rate"] = _rate
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


def split_message(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """Cut a long reply into messages at blank lines (else at line ends), none over `limit`,
    in order.

    Templates close every tag on the line that opens it, so a cut at a line end never
    splits an HTML element. Only a single line longer than `limit` is cut inside.
    """
    if len(text) <= limit:
        return [text]
    blocks: list[str] = []
    for block in text.split("\n\n"):
        if len(block) <= limit:
            blocks.append(block)
            continue
        lines = [piece for line in block.split("\n") for piece in _cut(line, limit)]
        blocks.extend(_pack(lines, "\n", limit))
    return _pack(blocks, "\n\n", limit)


def _cut(line: str, limit: int) -> list[str]:
    return [line[start : start + limit] for start in range(0, len(line), limit)] or [line]


def _pack(pieces: Iterable[str], separator: str, limit: int) -> list[str]:
    """Consecutive pieces joined by `separator` into parts of at most `limit` characters."""
    parts: list[str] = []
    current: str | None = None
    for piece in pieces:
        if current is not None and len(current) + len(separator) + len(piece) <= limit:
            current += separator + piece
        else:
            if current is not None:
                parts.append(current)
            current = piece
    if current is not None:
        parts.append(current)
    return parts
