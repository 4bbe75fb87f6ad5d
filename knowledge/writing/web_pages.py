"""The Mini App's pages (issue 25): whole HTML documents rendered from the templates in
`web/`, autoescaped, in the language being spoken, with the same filters as the replies;
and the few static files they load (a stylesheet and a small script, shipped here: no
build step and nothing fetched from elsewhere)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from knowledge.writing import i18n
from knowledge.writing.render import environment

WEB_DIR = Path(__file__).parent / "web"
STATIC_DIR = WEB_DIR / "static"
STATIC_TYPES = {".css": "text/css", ".js": "text/javascript"}


@cache
def page_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(WEB_DIR),
        autoescape=select_autoescape(["html"], default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    # jinja2.ext.i18n adds this method to the environment.
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext, npgettext=i18n.npgettext
    )
    env.filters.update(environment().filters)
    env.globals["deliverable_words"] = environment().globals["deliverable_words"]
    env.globals["language"] = i18n.current_language
    return env


def render_page(name: str, **context: Any) -> str:
    """The page `name` (`roster.html`) as a whole document."""
    return page_environment().get_template(name).render(**context)


@cache
def static_file(name: str) -> tuple[bytes, str] | None:
    """A static file's bytes and content type; None for a name that is not one (no path
    leads out of `static/`: only the files there, by their bare name)."""
    path = STATIC_DIR / name
    kind = STATIC_TYPES.get(path.suffix)
    if kind is None or "/" in name or "\\" in name or not path.is_file():
        return None
    return path.read_bytes(), kind
