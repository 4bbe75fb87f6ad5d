"""Pictures after a reply: drawn in a worker while the user already reads the text, then
sent with a caption that says the same in words."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from telegram import Update

from handlers.context import BotContext
from knowledge.campaigns.by_creator import ByCreator
from knowledge.campaigns.checkins import Comparison
from knowledge.pictures.charts import Chart, results_chart
from knowledge.pictures.creator_chart import creators_chart, left_out
from knowledge.writing.render import render
from knowledge.writing.replies import Template

log = logging.getLogger(__name__)


def send_chart_after(
    update: Update,
    context: BotContext,
    chart_of: Callable[[], Chart | None],
    caption: Template,
    **values: Any,
) -> None:
    """Send the chart `chart_of` works out once drawn, without holding up the handler
    (nothing when charts are off, when it is not even worked out, or nothing to draw)."""
    if context.services.charts is None:
        return
    chart = chart_of()
    if chart is None:
        return
    context.application.create_task(_send(update, context, chart, caption, values), update=update)


def send_results_chart_after(update: Update, context: BotContext, comparison: Comparison) -> None:
    """The chart of a campaign's results against their forecast ranges, once drawn."""
    send_chart_after(
        update,
        context,
        lambda: results_chart(comparison),
        Template.CHART_RESULTS_CAPTION,
        partial=comparison.partial,
    )


def send_creators_chart_after(update: Update, context: BotContext, by: ByCreator | None) -> None:
    """The chart of results per side and per creator against their own forecasts, once
    drawn (nothing when no creator reported the goal's measure)."""
    if by is None:
        return
    send_chart_after(
        update,
        context,
        lambda: creators_chart(by),
        Template.CHART_CREATORS_CAPTION,
        by=by,
        left=left_out(by),
    )


async def _send(
    update: Update, context: BotContext, chart: Chart, caption: Template, values: dict[str, Any]
) -> None:
    chat = update.effective_chat
    charts = context.services.charts
    if chat is None or charts is None:
        return
    try:
        png = await charts.draw(chart)
    except Exception:  # a broken worker or a drawing bug: the text already said it all
        log.exception("A chart could not be drawn")
        return
    await chat.send_photo(png, caption=render(caption, chart=chart, **values))
