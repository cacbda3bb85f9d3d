"""SVG charts drawn on the server with pygal: the dashboards and the PDF reports show the same pictures.

Each function returns SVG markup to place inline in a template. No JavaScript and no inline
style: pygal's ``<style>`` element and ``style=""`` attribute are taken out (the
Content-Security-Policy refuses them), and what they said is in ``static/css/charts.css``, which the
pages link (base.html); a PDF puts it back into each chart (``for_print``: WeasyPrint styles an SVG
from its own ``<style>`` only). That file is ``stylesheet()``, written out; a test checks that they
agree (after a change of STYLE or of pygal, write it again:
``.venv/bin/python manage.py shell -c "from reports import charts; charts.write_stylesheet()"``).
"""

from __future__ import annotations

import functools
import html
import itertools
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Protocol

import pygal
from django.conf import settings
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from pygal.style import Style

from evaluation.models import Rating
from kpi_portal import standards
from kpi_portal.text import figure
from org.models import Unit

from .models import PersonMonth, UnitMonth

FONT = "'Noto Sans', 'DejaVu Sans', sans-serif"
STYLE = Style(
    font_family=FONT,
    background="transparent",
    plot_background="transparent",
    foreground="#212529",
    foreground_strong="#212529",
    foreground_subtle="#6c757d",
    colors=("#0d6efd", "#dc3545", "#198754", "#fd7e14", "#6f42c1", "#20c997"),
    label_font_size=12,
    major_label_font_size=12,
    value_font_size=11,
    legend_font_size=12,
    title_font_size=14,
    tooltip_font_size=12,
)
SCRIPT = re.compile(r"<script.*?</script>", re.DOTALL)
STYLE_ELEMENT = re.compile(r"<style[^>]*>(.*?)</style>", re.DOTALL)
# pygal names each chart's rules after its random id; the stylesheet names the class every chart has.
CHART_ID = re.compile(r"#chart-[0-9a-f-]+")
CHART_CLASS = ".pygal-chart"
CHART_OPENING = re.compile(r'<svg [^>]*class="pygal-chart"[^>]*>')
# The tooltip pygal's script would show; hidden by the stylesheet instead.
HIDDEN_TOOLTIP = ' style="opacity: 0"'
# What pygal writes for that tooltip: a ``<desc>`` per value (its value, label, link).
TOOLTIP_DESCRIPTION = re.compile(r'<desc class="[^"]*">[^<]*</desc>')
STROKE_KEYS = ("width", "linejoin", "linecap", "dasharray", "dashoffset")
# Enough series for the charts with the most (the fairness chart of hours: 4 ratings, 2 quartiles):
# pygal writes one colour rule per series.
STYLESHEET_SERIES = 8
STYLESHEET = "css/charts.css"
_LIMITS = [int(limit) for limit in standards.HOUR_BUCKETS]
BUCKET_LABELS = (
    f"< {_LIMITS[0]} h",
    *(f"{low}–{high} h" for low, high in itertools.pairwise(_LIMITS)),
    f"≥ {_LIMITS[-1]} h",
)
# Hours-a-day axes reach the anomaly threshold; the days chart reaches the default daily cap.
HOURS_AXIS = (0, int(standards.ABOVE_HOURS_A_DAY))
DAY_AXIS = (0, standards.DAILY_CAP_DEFAULT_MINUTES // standards.MINUTES_AN_HOUR)


class Rollup(Protocol):
    """What the charts read of a ``UnitMonth`` or of a quarter's ``reports.pdf.PeriodRollup``."""

    @property
    def unit(self) -> Unit | None: ...
    @property
    def headcount(self) -> int: ...
    @property
    def unrated(self) -> int: ...
    @property
    def staffing_need(self) -> Decimal: ...
    @property
    def distribution(self) -> list[int]: ...
    @property
    def ratings(self) -> dict[str, int]: ...


def _plotted(value: Decimal, places: int = standards.DISPLAY_PLACES) -> float:
    return float(standards.rounded(value, places))


def _config(**options) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "disable_xml_declaration": True,
        "width": 640,
        "height": 320,
        "explicit_size": False,
        "print_values": True,
        "value_formatter": lambda value: figure(value, 1) if value is not None else "",
        **options,
    }


def _render(chart) -> SafeString:
    # pygal adds a small inline script for its tooltips; nothing here needs it. Its inline styles go
    # too (``static/css/charts.css`` has them); a series' own stroke (a dashed norm line) becomes
    # SVG presentation attributes on the series' group, which its line inherits.
    svg = SCRIPT.sub("", chart.render(is_unicode=True))
    svg = STYLE_ELEMENT.sub("", svg).replace(HIDDEN_TOOLTIP, "")
    for index, (_values, options) in enumerate(chart.raw_series):
        if stroke := options.get("stroke_style"):
            attributes = "".join(
                f' stroke-{key}="{html.escape(str(stroke[key]))}"' for key in STROKE_KEYS if stroke.get(key)
            )
            svg = svg.replace(
                f'<g class="series serie-{index} ', f'<g{attributes} class="series serie-{index} '
            )
    return mark_safe(svg)


def chart_css(svg: str) -> str:
    """The rules pygal wrote for one chart, named after the class of every chart instead of its id."""
    match = STYLE_ELEMENT.search(svg)
    return CHART_ID.sub(CHART_CLASS, html.unescape(match.group(1))) if match else ""


def stylesheet() -> str:
    """The charts' stylesheet: pygal's rules for STYLE, the same for every chart, and the tooltip hidden."""
    chart = pygal.Bar(**_config())
    for index in range(STYLESHEET_SERIES):
        chart.add(str(index), [index])
    rules = chart_css(chart.render(is_unicode=True))
    return (
        "/* The charts' styles (reports/charts.py: stylesheet()), which pygal would write inline. */\n"
        f"{rules}\n{CHART_CLASS} .tooltip{{opacity:0}}\n"
    )


def for_print(page: str) -> str:
    """``page`` with the charts' styles inside each chart, for WeasyPrint (a PDF has no policy), and
    without the values pygal describes for its tooltips (a printed chart shows none: about a thousand
    elements fewer to lay out in a quarterly report)."""
    style = f"<defs><style>{html.escape(print_stylesheet(), quote=False)}</style></defs>"
    return TOOLTIP_DESCRIPTION.sub("", CHART_OPENING.sub(lambda match: match.group(0) + style, page))


# Rules of the stylesheet a printed chart cannot use: hovering, tooltips, transitions, the chart kinds
# never drawn here. WeasyPrint matches every rule against every element of every chart: the whole
# stylesheet in each of a quarterly report's six charts took about a second of its time.
# (".tooltip " with its space: the rules inside the tooltip go, the one hiding the tooltip stays.)
UNPRINTED_SELECTORS = (
    ":hover",
    ".active",
    ".tooltip ",
    "map-element",
    "gauge-background",
    "no_data",
    "bg-lines",
)
UNPRINTED_DECLARATIONS = ("-webkit-", "-moz-", "transition")


@functools.cache
def print_stylesheet() -> str:
    """``stylesheet()`` less what a chart on paper never uses (``UNPRINTED_SELECTORS``, transitions)."""
    rules = []
    for rule in re.sub(r"/\*.*?\*/", "", stylesheet(), flags=re.DOTALL).split("}"):
        selector, _brace, declarations = rule.partition("{")
        selectors = [
            part.strip()
            for part in selector.split(",")
            if part.strip() and "a:visited" not in part and not any(s in part for s in UNPRINTED_SELECTORS)
        ]
        kept = [
            d.strip()
            for d in declarations.split(";")
            if d.strip() and not d.strip().startswith(UNPRINTED_DECLARATIONS)
        ]
        if selectors and kept:
            rules.append(f"{','.join(selectors)}{{{';'.join(kept)}}}")
    return "\n".join(rules)


def stylesheet_path() -> Path:
    return Path(settings.BASE_DIR) / "static" / STYLESHEET


def write_stylesheet() -> None:
    stylesheet_path().write_text(stylesheet(), encoding="utf-8")


def hours_distribution(rollup: Rollup) -> SafeString:
    """People by approved standard hours a working day."""
    chart = pygal.Bar(
        **_config(show_legend=False, title=_("People by standard hours a day"), print_values=True)
    )
    chart.value_formatter = lambda value: str(int(value))
    chart.x_labels = BUCKET_LABELS
    chart.add(_("People"), rollup.distribution)
    return _render(chart)


def ratings(rollup: Rollup) -> SafeString:
    chart = pygal.HorizontalBar(**_config(show_legend=False, title=_("Ratings"), height=260))
    chart.value_formatter = lambda value: str(int(value))
    labels = [Rating.NOT_COMPLETED, Rating.COMPLETED, Rating.GOOD, Rating.EXCELLENT]
    chart.x_labels = [str(Rating(label).label) for label in labels] + [_("Not rated yet")]
    chart.add(_("People"), [rollup.ratings[label] for label in labels] + [rollup.unrated])
    return _render(chart)


def trend(rollups: Sequence[UnitMonth]) -> SafeString:
    """Average approved standard hours a working day, month by month, against the 8-hour norm."""
    chart = pygal.Line(
        **_config(title=_("Standard hours a day, by month"), range=HOURS_AXIS, legend_at_bottom=True)
    )
    chart.x_labels = [date_format(r.month, "YEAR_MONTH_FORMAT") for r in rollups]
    chart.add(_("Approved standard hours a day"), [_plotted(r.hours_per_day) for r in rollups])
    norm = float(standards.DAILY_NORM_HOURS)
    chart.add(_("Norm: 8 hours"), [norm] * len(rollups), show_dots=False, stroke_style={"dasharray": "6, 4"})
    return _render(chart)


def staffing(rollups: Sequence[Rollup]) -> SafeString:
    """Headcount against the staffing the approved work needs, unit by unit."""
    chart = pygal.Bar(
        **_config(title=_("Headcount and staffing need"), legend_at_bottom=True, x_label_rotation=0)
    )
    chart.x_labels = [r.unit.code if r.unit else _("Agency") for r in rollups]
    chart.add(_("Headcount"), [r.headcount for r in rollups])
    chart.add(_("Staffing need"), [_plotted(r.staffing_need, 1) for r in rollups])
    return _render(chart)


def person_trend(rows: Sequence[PersonMonth]) -> SafeString:
    """One person's approved standard hours a day over months, against 8 hours."""
    chart = pygal.Bar(
        **_config(title=_("My standard hours a day, by month"), range=HOURS_AXIS, legend_at_bottom=True)
    )
    chart.x_labels = [date_format(r.month, "YEAR_MONTH_FORMAT") for r in rows]
    chart.add(_("Approved standard hours a day"), [_plotted(r.hours_per_day) for r in rows])
    chart.add(_("My own estimate"), [_plotted(r.estimate_hours_per_day) for r in rows])
    return _render(chart)


def days(points: Sequence[tuple[str, Decimal]]) -> SafeString:
    """Approved standard hours of each working day of a month."""
    chart = pygal.Bar(**_config(show_legend=False, title=_("Approved standard hours by day"), range=DAY_AXIS))
    chart.x_labels = [label for label, _hours in points]
    chart.add(_("Hours"), [_plotted(hours) for _label, hours in points])
    return _render(chart)


CALIBRATION_BINS = 12  # about this many bars in a stage's calibration chart


def calibration_distribution(values: Sequence[float], *, norm: int | None, median: Decimal) -> SafeString:
    """How a stage's own estimates per unit spread (entries by minutes per unit), against its norm.

    A histogram of about ``CALIBRATION_BINS`` bars from 0 (``values`` sorted); the few values far to
    the right are counted in the last bar so that the bulk stays readable. The norm and the median are
    drawn as thin bars as tall as the tallest one.
    """
    tail = [values[int(0.95 * (len(values) - 1))]] if values else []
    reach = max([float(norm or 0), float(median), *tail]) * 1.1
    width = _nice_step(reach / CALIBRATION_BINS) if reach > 0 else 1.0
    count = max(1, int(-(-reach // width)))
    bars = [0] * count
    for value in values:
        bars[min(int(value // width), count - 1)] += 1
    chart = pygal.Histogram(
        **_config(
            title=_("Entries by own estimate per unit of output (minutes)"),
            legend_at_bottom=True,
            print_values=False,
        )
    )
    chart.value_formatter = lambda value: str(int(value))
    chart.add(_("Entries"), [(n, i * width, (i + 1) * width) for i, n in enumerate(bars)])
    tallest = max(bars) or 1
    mark = width / 10
    if norm:
        chart.add(_("Norm: %(minutes)s minutes") % {"minutes": norm}, [(tallest, norm - mark, norm + mark)])
    chart.add(
        _("Median: %(minutes)s minutes") % {"minutes": figure(median)},
        [(tallest, float(median) - mark, float(median) + mark)],
    )
    return _render(chart)


def _nice_step(raw: float) -> float:
    """The smallest of 1, 2, 2.5, 5, 10 × 10ⁿ not below ``raw``: bar edges that read as round minutes."""
    power = 1.0
    while power * 10 <= raw:
        power *= 10
    while power > raw:
        power /= 10
    return next(step * power for step in (1, 2, 2.5, 5, 10) if step * power >= raw)
