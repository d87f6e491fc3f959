"""Charts as inline SVG generated from the data, each with a text alternative and the same numbers in a table.

Rules every chart follows (docs/explanation/report-accessibility.md):

- ``<svg role="img" aria-labelledby="…">`` naming its ``<title>`` and ``<desc>``; the description is
  generated from the data, and :attr:`Chart.table` holds exactly the numbers drawn.
- Every colour of the palette has at least 4.5:1 contrast against the white background, and colour
  never carries meaning alone: each series also has its own fill pattern (bars) or dash pattern and
  marker shape (lines), is named in a legend or a direct label, and every bar carries its value as text.
- Ids inside a chart start with the chart's id, so several charts can share one page.
- Every text that reaches the SVG is escaped here; the function returns :class:`markupsafe.Markup`.
"""

from __future__ import annotations

import base64
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from reports.i18n import Translator
from reports.render import format_number
from reports.tables import Column, Table

BACKGROUND = "#ffffff"
INK = "#1a1a1a"
#: Grid lines are decoration (the data are in labels and the table); the axis itself uses INK.
GRID = "#d4d4d4"
#: Series colours, each ≥ 4.5:1 against BACKGROUND (checked by a test).
PALETTE = ("#1f4e79", "#9a4400", "#2b6a2e", "#6b2c91", "#a3262c", "#4a4a4a")
PATTERNS = ("solid", "diagonal", "dots", "crosshatch", "horizontal", "vertical")
DASHES = ("", "7 4", "2 3", "9 3 2 3", "4 4", "12 4")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "triangle-down")

#: An SVG shown as an image inherits no CSS, so it names its fonts itself (local fonts only).
FONT_FAMILY = (
    "'Noto Sans KR', 'NanumGothic', 'Nanum Gothic', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif"
)
FONT = 13
SMALL = 11


# ---------------------------------------------------------------------------------------------- colour


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2 relative luminance of ``#rrggbb``."""
    value = hex_colour.lstrip("#")
    channels = [int(value[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(a: str, b: str) -> float:
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


# ---------------------------------------------------------------------------------------------- data


@dataclass
class Series:
    """One named series. ``lower``/``upper`` draw an interval; ``labels`` override the value text
    (e.g. ``"<5"`` for a suppressed count, or ``"1,204 (82.0%)"`` in a funnel)."""

    name: str
    values: list[float | None]
    lower: list[float | None] | None = None
    upper: list[float | None] | None = None
    labels: list[str] | None = None
    #: Palette / pattern / marker index; defaults to the series' position.
    style: int | None = None
    #: A forecast is drawn dashed with open markers and its interval hatched.
    forecast: bool = False


@dataclass
class Chart:
    """A chart: ``svg`` is the standalone SVG document, shown in reports as an image whose ``alt`` is
    ``description``; ``table`` holds exactly the numbers drawn."""

    id: str
    title: str
    description: str
    svg: Markup
    table: Table
    notes: list[str] = field(default_factory=list)
    #: More tables with the chart's numbers, when one table would be too wide to read on a phone.
    extra_tables: list[Table] = field(default_factory=list)

    @property
    def width(self) -> int:
        return int(float(re.search(r'width="([\d.]+)"', self.svg).group(1)))

    @property
    def height(self) -> int:
        return int(float(re.search(r'height="([\d.]+)"', self.svg).group(1)))

    @property
    def data_uri(self) -> str:
        """The SVG as a ``data:`` URI for ``<img src>`` (allowed by the report's CSP: ``img-src data:``)."""
        return "data:image/svg+xml;base64," + base64.b64encode(str(self.svg).encode("utf-8")).decode("ascii")


def _fmt(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".") if not float(v).is_integer() else str(int(v))


def text_width(text: str, size: float = FONT) -> float:
    """A rough width in px: Hangul and CJK about one em, Latin about 0.6 em."""
    width = 0.0
    for ch in text:
        if ord(ch) >= 0x1100:
            width += size * 1.0
        elif ch.isupper() or ch in "mwMW%":
            width += size * 0.68
        elif ch in " .,:;|il'!()[]":
            width += size * 0.32
        else:
            width += size * 0.56
    return width


def clip_text(text: str, max_px: float, size: float = FONT) -> str:
    """Shorten to fit ``max_px`` with an ellipsis (the table beside the chart has the full text)."""
    if text_width(text, size) <= max_px:
        return text
    while text and text_width(text + "…", size) > max_px:
        text = text[:-1]
    return text + "…"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    if ticks[-1] < high:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _style(series: Series, position: int) -> int:
    return (series.style if series.style is not None else position) % len(PALETTE)


def _pattern_defs(chart_id: str, count: int) -> str:
    parts = []
    for i in range(count):
        colour = PALETTE[i % len(PALETTE)]
        kind = PATTERNS[i % len(PATTERNS)]
        pid = f"{chart_id}-fill{i}"
        if kind == "solid":
            continue
        inner = f'<rect width="8" height="8" fill="{colour}"/>'
        if kind == "diagonal":
            inner += '<path d="M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4" stroke="#ffffff" stroke-width="2"/>'
        elif kind == "dots":
            inner += '<circle cx="4" cy="4" r="1.7" fill="#ffffff"/>'
        elif kind == "crosshatch":
            inner += '<path d="M0,4 h8 M4,0 v8" stroke="#ffffff" stroke-width="1.5"/>'
        elif kind == "horizontal":
            inner += '<path d="M0,2 h8 M0,6 h8" stroke="#ffffff" stroke-width="1.5"/>'
        elif kind == "vertical":
            inner += '<path d="M2,0 v8 M6,0 v8" stroke="#ffffff" stroke-width="1.5"/>'
        parts.append(
            f'<pattern id="{pid}" patternUnits="userSpaceOnUse" width="8" height="8">{inner}</pattern>'
        )
    return "".join(parts)


def _fill(chart_id: str, style: int) -> str:
    return PALETTE[style] if PATTERNS[style] == "solid" else f"url(#{chart_id}-fill{style})"


def _marker(shape: str, x: float, y: float, colour: str, *, open_: bool = False, r: float = 4.5) -> str:
    fill = BACKGROUND if open_ else colour
    common = f'fill="{fill}" stroke="{colour}" stroke-width="1.8"'
    if shape == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" {common}/>'
    if shape == "square":
        return f'<rect x="{x - r:.1f}" y="{y - r:.1f}" width="{2 * r:.1f}" height="{2 * r:.1f}" {common}/>'
    if shape == "triangle":
        pts = f"{x:.1f},{y - r - 1:.1f} {x + r + 0.5:.1f},{y + r:.1f} {x - r - 0.5:.1f},{y + r:.1f}"
        return f'<polygon points="{pts}" {common}/>'
    if shape == "triangle-down":
        pts = f"{x:.1f},{y + r + 1:.1f} {x + r + 0.5:.1f},{y - r:.1f} {x - r - 0.5:.1f},{y - r:.1f}"
        return f'<polygon points="{pts}" {common}/>'
    if shape == "diamond":
        pts = (
            f"{x:.1f},{y - r - 1:.1f} {x + r + 1:.1f},{y:.1f} {x:.1f},{y + r + 1:.1f} {x - r - 1:.1f},{y:.1f}"
        )
        return f'<polygon points="{pts}" {common}/>'
    # cross
    return (
        f'<path d="M{x - r:.1f},{y - r:.1f} L{x + r:.1f},{y + r:.1f} M{x - r:.1f},{y + r:.1f} L{x + r:.1f},{y - r:.1f}"'
        f' stroke="{colour}" stroke-width="2.4" fill="none"/>'
    )


def _svg_open(chart_id: str, width: float, height: float, title: str, description: str) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width:.0f}" height="{height:.0f}"'
        f' viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT_FAMILY}"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="{BACKGROUND}"/>'
    )


def _text(x: float, y: float, text: str, *, size: int = FONT, anchor: str = "start", weight: str = "") -> str:
    bold = ' font-weight="700"' if weight == "bold" else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" fill="{INK}" text-anchor="{anchor}"{bold}>'
        f"{escape(text)}</text>"
    )


def _value_text(series: Series, i: int, digits: int, t: Translator) -> str:
    if series.labels is not None and series.labels[i] is not None:
        return series.labels[i]
    return format_number(series.values[i], digits, t)


def interval_text(low: float | None, high: float | None, digits: int, t: Translator) -> str:
    """``77.1 – 79.1``, or the word for "not available" when either end is missing."""
    if low is None or high is None:
        return format_number(None, digits, t)
    return f"{format_number(low, digits, t)} – {format_number(high, digits, t)}"


def _summary(t: Translator, pairs: list[tuple[str, str, float | None]], limit: int = 8) -> str:
    """The data in words when short; otherwise the highest and lowest values (all are in the table)."""
    if len(pairs) <= limit:
        return "; ".join(f"{k} {v}" for k, v, _ in pairs)
    known = [p for p in pairs if p[2] is not None]
    if not known:
        return t("chart.too_many", count=len(pairs))
    high = max(known, key=lambda p: p[2])
    low = min(known, key=lambda p: p[2])
    return t(
        "chart.extremes", count=len(pairs), high=high[0], high_value=high[1], low=low[0], low_value=low[1]
    )


# ---------------------------------------------------------------------------------------------- bar chart


def bar_chart(
    chart_id: str,
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    t: Translator,
    *,
    category_label: str,
    digits: int = 1,
    axis_max: float | None = None,
    reference: tuple[float, str] | None = None,
    targets: Sequence[float | None] | None = None,
    target_label: str | None = None,
    table_caption: str | None = None,
    extra_columns: Sequence[tuple[str, Sequence[str]]] = (),
) -> Chart:
    """Horizontal bars, one group per category and one bar per series, each bar labelled with its value.

    ``reference`` draws a labelled dashed line (e.g. 100 = the general public, 95 = the certification
    threshold); ``targets`` draws a labelled target tick per category; intervals draw whiskers.
    """
    cats = list(categories)
    n_series = len(series)
    for s in series:
        if len(s.values) != len(cats):
            raise ValueError(
                f"chart {chart_id}: series {s.name!r} has {len(s.values)} values for {len(cats)} categories"
            )
    values = [v for s in series for arr in (s.values, s.upper or []) for v in arr if v is not None]
    if targets:
        values += [v for v in targets if v is not None]
    if reference:
        values.append(reference[0])
    top = axis_max if axis_max is not None else (max(values) if values else 1.0)
    ticks = nice_ticks(0.0, top if top > 0 else 1.0)
    scale_max = ticks[-1]

    label_w = min(max((text_width(c) for c in cats), default=40) + 14, 240)
    value_w = 92
    width = 720.0
    plot_x = label_w
    plot_w = width - label_w - value_w
    bar_h, bar_gap, group_gap = 18.0, 4.0, 14.0
    group_h = n_series * bar_h + (n_series - 1) * bar_gap
    legend_items = n_series > 1 or bool(targets) or any(s.lower for s in series)
    top_pad = 30.0 + (24.0 if legend_items else 0.0) + (16.0 if reference else 0.0)
    plot_h = len(cats) * group_h + max(len(cats) - 1, 0) * group_gap
    height = top_pad + plot_h + 40

    def x_of(v: float) -> float:
        return plot_x + plot_w * max(0.0, v) / scale_max

    pairs: list[tuple[str, str, float | None]] = []
    for ci, cat in enumerate(cats):
        for s in series:
            label = cat if n_series == 1 else f"{cat} · {s.name}"
            pairs.append((label, _value_text(s, ci, digits, t), s.values[ci]))
    description = t("chart.bar_desc", title=title, data=_summary(t, pairs))

    out = [_svg_open(chart_id, width, height, title, description)]
    out.append(f"<defs>{_pattern_defs(chart_id, max(_style(s, i) for i, s in enumerate(series)) + 1)}</defs>")

    # Legend: swatch with the series' pattern and its name; whisker and target symbols when used.
    if legend_items:
        lx, ly = plot_x, 22.0
        for i, s in enumerate(series):
            st = _style(s, i)
            out.append(
                f'<rect x="{lx:.1f}" y="{ly - 11:.1f}" width="14" height="14" fill="{_fill(chart_id, st)}"'
                f' stroke="{PALETTE[st]}" stroke-width="1.5"/>'
            )
            out.append(_text(lx + 19, ly, s.name, size=SMALL))
            lx += 19 + text_width(s.name, SMALL) + 16
        if any(s.lower for s in series):
            out.append(
                f'<path d="M{lx:.1f},{ly - 4:.1f} h16 M{lx:.1f},{ly - 9:.1f} v10 M{lx + 16:.1f},{ly - 9:.1f} v10"'
                f' stroke="{INK}" stroke-width="1.5" fill="none"/>'
            )
            out.append(_text(lx + 21, ly, t("chart.interval_95"), size=SMALL))
            lx += 21 + text_width(t("chart.interval_95"), SMALL) + 16
        if targets:
            out.append(
                f'<path d="M{lx + 6:.1f},{ly - 12:.1f} v14" stroke="{INK}" stroke-width="3"/>'
                f'<polygon points="{lx:.1f},{ly - 12:.1f} {lx + 12:.1f},{ly - 12:.1f} {lx + 6:.1f},{ly - 5:.1f}" fill="{INK}"/>'
            )
            out.append(_text(lx + 17, ly, target_label or t("chart.target"), size=SMALL))

    # Grid and axis.
    axis_y = top_pad + plot_h + 6
    for tick in ticks:
        x = x_of(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{top_pad - 6:.1f}" x2="{x:.1f}" y2="{axis_y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            _text(
                x,
                axis_y + 16,
                format_number(tick, 0 if float(tick).is_integer() else 1, t),
                size=SMALL,
                anchor="middle",
            )
        )
    out.append(
        f'<line x1="{plot_x:.1f}" y1="{top_pad - 6:.1f}" x2="{plot_x:.1f}" y2="{axis_y:.1f}" stroke="{INK}" stroke-width="1.5"/>'
    )
    out.append(
        f'<line x1="{plot_x:.1f}" y1="{axis_y:.1f}" x2="{plot_x + plot_w:.1f}" y2="{axis_y:.1f}" stroke="{INK}" stroke-width="1.5"/>'
    )

    # Bars.
    for ci, cat in enumerate(cats):
        gy = top_pad + ci * (group_h + group_gap)
        out.append(_text(plot_x - 8, gy + group_h / 2 + 4.5, clip_text(cat, label_w - 14), anchor="end"))
        for si, s in enumerate(series):
            st = _style(s, si)
            y = gy + si * (bar_h + bar_gap)
            v = s.values[ci]
            end = plot_x
            if v is not None:
                end = x_of(v)
                out.append(
                    f'<rect x="{plot_x:.1f}" y="{y:.1f}" width="{max(end - plot_x, 0.0):.1f}" height="{bar_h:.1f}"'
                    f' fill="{_fill(chart_id, st)}" stroke="{PALETTE[st]}" stroke-width="1.5"/>'
                )
            if s.lower and s.upper and s.lower[ci] is not None and s.upper[ci] is not None:
                lo, hi = x_of(s.lower[ci]), x_of(s.upper[ci])
                mid = y + bar_h / 2
                out.append(
                    f'<path d="M{lo:.1f},{mid:.1f} H{hi:.1f} M{lo:.1f},{mid - 6:.1f} v12 M{hi:.1f},{mid - 6:.1f} v12"'
                    f' stroke="{INK}" stroke-width="1.6" fill="none"/>'
                )
                end = max(end, hi)
            out.append(_text(end + 6, y + bar_h / 2 + 4.5, _value_text(s, ci, digits, t), size=SMALL))
        if targets and targets[ci] is not None:
            tx = x_of(targets[ci])
            out.append(
                f'<path d="M{tx:.1f},{gy - 4:.1f} v{group_h + 8:.1f}" stroke="{INK}" stroke-width="3"/>'
                f'<polygon points="{tx - 6:.1f},{gy - 8:.1f} {tx + 6:.1f},{gy - 8:.1f} {tx:.1f},{gy - 1:.1f}" fill="{INK}"/>'
            )

    if reference:
        rx = x_of(reference[0])
        out.append(
            f'<line x1="{rx:.1f}" y1="{top_pad - 10:.1f}" x2="{rx:.1f}" y2="{axis_y:.1f}" stroke="{INK}"'
            f' stroke-width="1.5" stroke-dasharray="5 4"/>'
        )
        anchor = "end" if rx > plot_x + plot_w * 0.6 else "start"
        out.append(
            _text(rx + (-4 if anchor == "end" else 4), top_pad - 14, reference[1], size=SMALL, anchor=anchor)
        )
    out.append("</svg>")

    # The same numbers in a table.
    columns = [Column(category_label)]
    for s in series:
        columns.append(Column(s.name, numeric=True))
        if s.lower and s.upper:
            columns.append(Column(t("chart.col_interval", name=s.name), numeric=True))
    if targets:
        columns.append(Column(target_label or t("chart.target"), numeric=True))
    for name, _ in extra_columns:
        columns.append(Column(name, numeric=True))
    table = Table(
        id=f"{chart_id}-data", caption=table_caption or t("chart.data_of", title=title), columns=columns
    )
    for ci, cat in enumerate(cats):
        row: list[str] = [cat]
        for s in series:
            row.append(_value_text(s, ci, digits, t))
            if s.lower and s.upper:
                row.append(interval_text(s.lower[ci], s.upper[ci], digits, t))
        if targets:
            row.append(format_number(targets[ci], digits, t))
        for _, cells in extra_columns:
            row.append(cells[ci])
        table.add(*row)
    return Chart(id=chart_id, title=title, description=description, svg=Markup("".join(out)), table=table)


# ---------------------------------------------------------------------------------------------- line chart


def line_chart(
    chart_id: str,
    title: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    t: Translator,
    *,
    x_label: str,
    digits: int = 1,
    y_min: float | None = None,
    y_max: float | None = None,
    breaks: Sequence[tuple[int, str]] = (),
    table_caption: str | None = None,
    interval_label: str | None = None,
) -> Chart:
    """Lines over ``x_labels`` (years); each series has its own colour, dash pattern and marker shape and a
    direct label at its last point. Forecast series are dashed with open markers and a hatched interval.
    ``breaks`` mark a series break before the given x index."""
    xs = list(x_labels)
    for s in series:
        if len(s.values) != len(xs):
            raise ValueError(
                f"chart {chart_id}: series {s.name!r} has {len(s.values)} values for {len(xs)} x values"
            )
    all_values = [
        v for s in series for arr in (s.values, s.lower or [], s.upper or []) for v in arr if v is not None
    ]
    lo = y_min if y_min is not None else (min(all_values) if all_values else 0.0)
    hi = y_max if y_max is not None else (max(all_values) if all_values else 1.0)
    if y_min is None:
        lo = max(0.0, lo - (hi - lo) * 0.1) if lo >= 0 else lo - (hi - lo) * 0.1
    ticks = nice_ticks(lo, hi)
    y_lo, y_hi = ticks[0], ticks[-1]

    width, height = 720.0, 380.0
    left, right, top, bottom = 60.0, 210.0, 26.0 + (18.0 if breaks else 0.0), 44.0
    plot_w, plot_h = width - left - right, height - top - bottom
    has_band = any(s.lower and s.upper for s in series)
    if has_band:
        height += 22
    step = plot_w / max(len(xs) - 1, 1)

    def px(i: int) -> float:
        return left + (i * step if len(xs) > 1 else plot_w / 2)

    def py(v: float) -> float:
        return top + plot_h - plot_h * (v - y_lo) / ((y_hi - y_lo) or 1)

    trends = []
    for s in series[:6]:
        known = [i for i, v in enumerate(s.values) if v is not None]
        if known:
            first, last = known[0], known[-1]
            trends.append(
                t(
                    "chart.trend",
                    name=s.name,
                    first_x=xs[first],
                    first=_value_text(s, first, digits, t),
                    last_x=xs[last],
                    last=_value_text(s, last, digits, t),
                )
            )
    if len(series) > 6:
        trends.append(t("chart.too_many", count=len(series) * len(xs)))
    description = t("chart.line_desc", title=title, data="; ".join(trends))

    out = [_svg_open(chart_id, width, height, title, description)]
    defs = []
    for i, s in enumerate(series):
        if s.lower and s.upper:
            colour = PALETTE[_style(s, i)]
            defs.append(
                f'<pattern id="{chart_id}-band{i}" patternUnits="userSpaceOnUse" width="7" height="7">'
                f'<path d="M-1,1 l2,-2 M0,7 l7,-7 M6,8 l2,-2" stroke="{colour}" stroke-width="1"/></pattern>'
            )
    out.append(f"<defs>{''.join(defs)}</defs>")

    for tick in ticks:
        y = py(tick)
        out.append(
            f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{left + plot_w:.1f}" y2="{y:.1f}" stroke="{GRID}" stroke-width="1"/>'
        )
        out.append(
            _text(
                left - 8,
                y + 4,
                format_number(tick, 0 if float(tick).is_integer() else 1, t),
                size=SMALL,
                anchor="end",
            )
        )
    out.append(
        f'<line x1="{left:.1f}" y1="{top:.1f}" x2="{left:.1f}" y2="{top + plot_h:.1f}" stroke="{INK}" stroke-width="1.5"/>'
    )
    out.append(
        f'<line x1="{left:.1f}" y1="{top + plot_h:.1f}" x2="{left + plot_w:.1f}" y2="{top + plot_h:.1f}" stroke="{INK}" stroke-width="1.5"/>'
    )
    every = max(1, math.ceil(len(xs) / 12))
    for i, label in enumerate(xs):
        if i % every == 0 or i == len(xs) - 1:
            out.append(_text(px(i), top + plot_h + 18, label, size=SMALL, anchor="middle"))

    for index, label in breaks:
        if 0 < index < len(xs):
            bx = (px(index - 1) + px(index)) / 2
            out.append(
                f'<line x1="{bx:.1f}" y1="{top - 4:.1f}" x2="{bx:.1f}" y2="{top + plot_h:.1f}" stroke="{INK}" stroke-width="1.2" stroke-dasharray="2 3"/>'
            )
            out.append(_text(bx + 3, top - 8, label, size=SMALL))

    end_labels: list[tuple[float, str, int, bool]] = []
    for i, s in enumerate(series):
        st = _style(s, i)
        colour = PALETTE[st]
        idx = [k for k, v in enumerate(s.values) if v is not None]
        if s.lower and s.upper:
            band = [k for k in idx if s.lower[k] is not None and s.upper[k] is not None]
            if len(band) == 1:  # one point: an error bar instead of a band
                k = band[0]
                lo_y, hi_y = py(s.lower[k]), py(s.upper[k])
                out.append(
                    f'<path d="M{px(k):.1f},{lo_y:.1f} V{hi_y:.1f} M{px(k) - 5:.1f},{lo_y:.1f} h10'
                    f' M{px(k) - 5:.1f},{hi_y:.1f} h10" stroke="{colour}" stroke-width="1.6" fill="none"/>'
                )
            elif band:
                upper = " ".join(f"{px(k):.1f},{py(s.upper[k]):.1f}" for k in band)
                lower = " ".join(f"{px(k):.1f},{py(s.lower[k]):.1f}" for k in reversed(band))
                out.append(
                    f'<polygon points="{upper} {lower}" fill="url(#{chart_id}-band{i})" stroke="none"/>'
                )
                for bound in (s.upper, s.lower):
                    pts = " ".join(f"{px(k):.1f},{py(bound[k]):.1f}" for k in band)
                    out.append(
                        f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="1" stroke-dasharray="3 2"/>'
                    )
        if idx:
            pts = " ".join(f"{px(k):.1f},{py(s.values[k]):.1f}" for k in idx)
            dash = DASHES[1] if s.forecast and not DASHES[st] else DASHES[st]
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            out.append(
                f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2.4"{dash_attr}/>'
            )
            for k in idx:
                out.append(_marker(MARKERS[st], px(k), py(s.values[k]), colour, open_=s.forecast))
            end_labels.append((py(s.values[idx[-1]]), s.name, st, s.forecast))

    # Direct labels at the right, nudged apart so they never overlap.
    end_labels.sort()
    placed: list[float] = []
    for y, name, st, is_forecast in end_labels:
        y = max(y, (placed[-1] + 15) if placed else top)
        placed.append(y)
        lx = left + plot_w + 12
        out.append(_marker(MARKERS[st], lx + 4, y - 4, PALETTE[st], open_=is_forecast, r=4))
        out.append(_text(lx + 13, y, clip_text(name, right - 28, SMALL), size=SMALL))

    if has_band:
        ly = height - 10
        first = next(i for i, s in enumerate(series) if s.lower and s.upper)
        widest = max(
            sum(1 for k in range(len(xs)) if s.lower[k] is not None and s.upper[k] is not None)
            for s in series
            if s.lower and s.upper
        )
        if widest >= 2:  # a hatched band
            out.append(
                f'<rect x="{left:.1f}" y="{ly - 11:.1f}" width="22" height="13" fill="url(#{chart_id}-band{first})"'
                f' stroke="{INK}" stroke-width="1"/>'
            )
            label = interval_label or t("chart.interval_95_band")
        else:  # error bars
            out.append(
                f'<path d="M{left + 11:.1f},{ly - 12:.1f} v14 M{left + 6:.1f},{ly - 12:.1f} h10'
                f' M{left + 6:.1f},{ly + 2:.1f} h10" stroke="{INK}" stroke-width="1.6" fill="none"/>'
            )
            label = interval_label or t("chart.interval_95")
        out.append(_text(left + 28, ly, label, size=SMALL))
    out.append("</svg>")

    columns = [Column(x_label)]
    for s in series:
        columns.append(Column(s.name, numeric=True))
        if s.lower and s.upper:
            columns.append(Column(t("chart.col_interval", name=s.name), numeric=True))
    table = Table(
        id=f"{chart_id}-data", caption=table_caption or t("chart.data_of", title=title), columns=columns
    )
    for i, x in enumerate(xs):
        row = [x]
        for s in series:
            row.append(
                _value_text(s, i, digits, t) if s.values[i] is not None else format_number(None, digits, t)
            )
            if s.lower and s.upper:
                row.append(interval_text(s.lower[i], s.upper[i], digits, t))
        table.add(*row)
    notes = [label for index, label in breaks]
    return Chart(
        id=chart_id, title=title, description=description, svg=Markup("".join(out)), table=table, notes=notes
    )
