"""Pictures of a recommendation and of a campaign's results, as plain data and as PNG.

`plan_chart` and `results_chart` say what to draw (fast, pure); `draw` turns that into a
PNG with matplotlib's Agg canvas. Drawing takes tens of milliseconds of CPU, so the bot runs
it in a worker process (bot/charts.py), and matplotlib is imported there only, on first use:
the bot's own process never loads it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from knowledge.advice.stored import StoredRecommendation
from knowledge.campaigns.checkins import Comparison
from knowledge.writing import i18n
from knowledge.writing.i18n import N_
from knowledge.writing.render import span

PLAN_LABELS = {"plan": N_("This plan"), "micro": N_("All micro"), "macro": N_("All macro")}
MEASURE_NAMES = {
    "reach": N_("People reached"),
    "engagements": N_("Engagements"),
    "clicks": N_("Clicks"),
    "conversions": N_("Sales"),
}
RESULT_MEASURES = ("reach", "engagements", "clicks", "conversions")
PLAN_COLOURS = {"plan": "#2a6fdb", "micro": "#7fb3a6", "macro": "#d9a35b"}
RANGE_COLOUR, ACTUAL_COLOUR = "#c9d7f0", "#1b3f8a"


@dataclass(frozen=True)
class Bar:
    """One bar: its middle figure, the range around it if any, and the words beside it."""

    label: str
    mid: float
    low: float | None = None
    high: float | None = None
    text: str = ""
    colour: str = PLAN_COLOURS["plan"]
    actual: float | None = None  # a reported figure, drawn as a mark over its forecast


@dataclass(frozen=True)
class Panel:
    title: str
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Chart:
    """What a picture shows: its panels, side by side; `language`: the one its words are in
    (the worker drawing it writes the axes' numbers that way)."""

    title: str
    panels: tuple[Panel, ...]
    language: str = i18n.DEFAULT_LANGUAGE


def plan_chart(stored: StoredRecommendation) -> Chart | None:
    """This plan, all micro and all macro, on cost and on the goal's measure (middle figure,
    range as error bars); None when no plan has anyone. An alternative that is the plan
    itself is not drawn twice."""
    plan = stored.plan
    metric = stored.metric
    currency = stored.brief.currency
    shown = [plan] if plan.people else []
    for alternative in (stored.all_micro, stored.all_macro):
        if alternative.people and alternative.key != plan.key:
            shown.append(alternative)
    if not shown:
        return None
    cost = tuple(
        Bar(
            i18n.gettext(PLAN_LABELS[p.label]),
            p.spent_cents / 100,
            text=i18n.money(round(p.spent_cents, -2), currency),
            colour=PLAN_COLOURS[p.label],
        )
        for p in shown
    )
    measure = tuple(
        Bar(
            i18n.gettext(PLAN_LABELS[p.label]),
            p.forecast[metric][1],
            p.forecast[metric][0],
            p.forecast[metric][2],
            span(p.forecast[metric]),
            PLAN_COLOURS[p.label],
        )
        for p in shown
    )
    return Chart(
        i18n.gettext("What %(budget)s buys") % {"budget": i18n.money(plan.budget_cents, currency)},
        (
            Panel(i18n.gettext("Cost (%(currency)s)") % {"currency": currency}, cost),
            Panel(
                i18n.gettext("%(measure)s (range)")
                % {"measure": i18n.gettext(MEASURE_NAMES[metric])},
                measure,
            ),
        ),
        i18n.current_language(),
    )


def results_chart(comparison: Comparison) -> Chart | None:
    """Each measure reported, against its forecast range, on one scale: the share of the
    forecast's middle figure. None when no measure was reported. Early in a campaign the
    totals so far are set against the whole campaign's forecast, and the caption does not
    call them ahead or behind."""
    bars = []
    for key in RESULT_MEASURES:
        actual = comparison.actual.get(key)
        forecast = comparison.forecast.get(key)
        if actual is None or not forecast:
            continue
        low, mid, high = forecast
        text = i18n.gettext("%(actual)s (forecast %(forecast)s)") % {
            "actual": i18n.count(actual),
            "forecast": span(forecast),
        }
        bars.append(
            Bar(i18n.gettext(MEASURE_NAMES[key]), mid, low, high, text, RANGE_COLOUR, float(actual))
        )
    if not bars:
        return None
    title = i18n.gettext("Results so far against the forecast")
    if comparison.partial:
        title = i18n.gettext("Results so far against the whole campaign's forecast")
    panel = Panel(i18n.gettext("Share of the forecast's middle figure"), tuple(bars))
    return Chart(title, (panel,), i18n.current_language())


def draw(chart: Chart) -> bytes:
    """The chart as a PNG (matplotlib's Agg canvas; no display, safe in a worker). Margins
    are fixed rather than worked out (tight_layout would draw the figure twice), and axes
    and ticks kept few: they are most of the drawing time. Numbers on the axes are written
    the chart's language's way."""
    with i18n.speaking(chart.language):
        return _draw(chart)


def _draw(chart: Chart) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    results = any(b.actual is not None for p in chart.panels for b in p.bars)
    rows = max(len(p.bars) for p in chart.panels)
    height = 1.3 + 0.55 * rows
    figure = Figure(figsize=(7.2, height), dpi=100)
    FigureCanvasAgg(figure)
    figure.suptitle(chart.title, fontsize=12, fontweight="bold")
    left = 0.2 if results else 0.13
    figure.subplots_adjust(
        left=left, right=0.97, bottom=0.35 / height, top=1 - 0.75 / height, wspace=0.45
    )
    for index, panel in enumerate(chart.panels):
        axes = figure.add_subplot(1, len(chart.panels), index + 1)
        if results:
            _draw_results(axes, panel)
            axes.xaxis.set_major_formatter(FuncFormatter(_percent))
        else:
            _draw_bars(axes, panel)
            axes.xaxis.set_major_formatter(FuncFormatter(_short_number))
        axes.set_title(panel.title, fontsize=10, loc="left")
        axes.tick_params(axis="x", labelsize=8)
        axes.xaxis.set_major_locator(MaxNLocator(nbins=3))
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
    out = io.BytesIO()
    figure.savefig(out, format="png", pil_kwargs={"compress_level": 3})
    return out.getvalue()


def _draw_bars(axes: Any, panel: Panel) -> None:
    """Bars at their middle figures, with their ranges as error bars."""
    bars = panel.bars[::-1]  # the first bar on top
    positions = list(range(len(bars)))
    ranged = any(b.low is not None for b in bars)
    axes.barh(
        positions,
        [b.mid for b in bars],
        color=[b.colour for b in bars],
        xerr=[
            [b.mid - (b.low if b.low is not None else b.mid) for b in bars],
            [(b.high if b.high is not None else b.mid) - b.mid for b in bars],
        ]
        if ranged
        else None,
        capsize=4,
        height=0.55,
    )
    ends = [b.high if b.high is not None else b.mid for b in bars]
    right = max(ends) or 1
    axes.set_xlim(0, right * 1.5)
    for i, (b, end) in enumerate(zip(bars, ends, strict=True)):
        axes.text(end + right * 0.03, i, b.text, va="center", fontsize=9)
    axes.set_yticks(positions, [b.label for b in bars])


def _draw_results(axes: Any, panel: Panel) -> None:
    """Per measure: the forecast range as a band, its middle as a tick, the reported figure
    as a mark; each as a share of its forecast's middle figure, so all fit one scale."""
    bars = panel.bars[::-1]
    positions = list(range(len(bars)))
    scaled = []
    for b in bars:
        unit = (b.mid or max(b.high or 0.0, b.actual or 0.0, 1.0)) / 100
        low = (b.low if b.low is not None else b.mid) / unit
        high = (b.high if b.high is not None else b.mid) / unit
        scaled.append((low, b.mid / unit, high, (b.actual or 0.0) / unit))
    axes.barh(
        positions,
        [high - low for low, _, high, _ in scaled],
        left=[low for low, _, _, _ in scaled],
        color=[b.colour for b in bars],
        height=0.6,
    )
    axes.plot(
        [mid for _, mid, _, _ in scaled],
        positions,
        marker="|",
        markersize=16,
        linestyle="none",
        color=ACTUAL_COLOUR,
    )
    axes.plot(
        [actual for *_, actual in scaled],
        positions,
        marker="D",
        markersize=9,
        linestyle="none",
        color=ACTUAL_COLOUR,
    )
    right = max(max(high, actual) for _, _, high, actual in scaled) or 100
    axes.set_xlim(0, right * 1.7)
    for i, (b, (_, _, high, actual)) in enumerate(zip(bars, scaled, strict=True)):
        axes.text(max(high, actual) + right * 0.04, i, b.text, va="center", fontsize=9)
    axes.set_yticks(positions, [b.label for b in bars])


def _percent(value: float, _position: float) -> str:
    return f"{value:.0f} %"


def _short_number(value: float, _position: float) -> str:
    return i18n.count(value)
