"""Chart images for the veiligheidsanalyse pages and documents.

This module owns every chart image ivp draws: a ``TrendChart`` (a title, one or more year
series, an optional P25–P75 band and a source note) becomes a PNG for the Word/PDF exports
(``documents.model.Figure``) or an inline ``<svg>`` for the HTML pages. Plain Python and
matplotlib: no Django, and nothing is imported from ivp.

Rendering uses matplotlib's object-oriented API (``matplotlib.figure.Figure`` on the Agg
canvas), never pyplot, so no global figure state is kept between requests. The few settings
matplotlib only reads from its global ``rcParams`` (fonts, SVG text, id salt) are applied in an
``rc_context`` under a module lock, so concurrent renders in a threaded server do not see each
other's settings. The same input gives the same bytes: no dates or software versions are
written into the files.
"""

from __future__ import annotations

import hashlib
import io
import math
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html import escape

import matplotlib

matplotlib.use("Agg")  # harmless when already set; pyplot is never imported here

from matplotlib.axes import Axes  # noqa: E402
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.font_manager import FontProperties  # noqa: E402
from matplotlib.legend_handler import HandlerTuple  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

__all__ = [
    "NO_DATA_TEXT",
    "Band",
    "FunnelChart",
    "FunnelPoint",
    "Line",
    "TrendChart",
    "format_number",
    "render_funnel_svg",
    "render_png",
    "render_svg",
]

NO_DATA_TEXT = "Geen cijfers beschikbaar"

# Colours: strong blue for the municipality itself (Rijkshuisstijl), a muted grey-blue for the
# comparison group and dark grey for the national reference. The styles also differ in dash
# pattern and markers, so the chart stays readable without colour vision and in greyscale print;
# every line has at least 3:1 contrast against white (WCAG 1.4.11).
_STYLES: dict[str, dict[str, object]] = {
    "own": {
        "color": "#01689b",
        "linestyle": "-",
        "linewidth": 2.0,
        "marker": "o",
        "markersize": 3.5,
        "zorder": 4,
    },
    "group": {
        "color": "#5a84a8",
        "linestyle": (0, (5, 2.5)),
        "linewidth": 1.5,
        "marker": "s",
        "markersize": 3.0,
        "zorder": 3,
    },
    "reference": {
        "color": "#333333",
        "linestyle": (0, (1, 1.5)),
        "linewidth": 1.6,
        "marker": "D",
        "markersize": 2.8,
        "zorder": 3,
    },
    # the Netherlands: a second reference area, told apart by colour, dash and marker
    "national": {
        "color": "#a90061",
        "linestyle": (0, (6, 2, 1, 2)),
        "linewidth": 1.5,
        "marker": "^",
        "markersize": 3.0,
        "zorder": 3,
    },
}
_PROVISIONAL_DASH = (0, (2.5, 1.8))
_BAND_COLOUR = "#b7cddf"
_BAND_ALPHA = 0.55
_HIGHLIGHT_COLOUR = "#9a9a9a"
_TEXT_COLOUR = "#1a1a1a"
_MUTED_COLOUR = "#555555"
_GRID_COLOUR = "#e1e1e1"

_TITLE_SIZE = 9.5
_BASE_SIZE = 8.0
_LEGEND_SIZE = 7.5
_SOURCE_SIZE = 6.5
_MARGIN_PT = 6.0  # outer margin of the image
_HANDLE_LENGTH = 2.6  # legend handle length, in font sizes
_TICK_PAD = 3.0
_X_TICK_LENGTH = 2.5
_Y_LABEL_PAD = 4.0

_RC = {
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans"],
    "font.size": _BASE_SIZE,
    "text.color": _TEXT_COLOUR,
    "text.parse_math": False,  # a "$" in a label is text, not TeX
    # Unhinted glyphs look smoother at 150 dpi and render about twice as fast; DejaVu Sans
    # covers every character Dutch text needs, so no last-resort font is loaded.
    "text.hinting": "no_hinting",
    "font.enable_last_resort": False,
    "axes.unicode_minus": True,
    "svg.fonttype": "none",
}

_RENDER_LOCK = threading.RLock()
_CM_PER_INCH = 2.54


@dataclass(frozen=True)
class Line:
    label: str
    """Legend text, e.g. "'s-Hertogenbosch", "mediaan vergelijkbare gemeenten", "Nederland"."""
    values: Mapping[str, float | None]
    """Year ("2016") to value; None means not published: a gap in the line, never 0."""
    style: str = "own"
    """"own" (solid, strong colour, markers), "group" (dashed, grey-blue), "national"
    (dash-dot, violet: the Netherlands) or "reference"
    (dotted, dark grey)."""
    provisional_from: str | None = None
    """Years from this one on are provisional: drawn lighter and dashed, and the legend says
    "(voorlopig vanaf <year>)"."""


@dataclass(frozen=True)
class Band:
    label: str
    """Legend text, e.g. "P25–P75 vergelijkbare gemeenten"."""
    low: Mapping[str, float | None]
    high: Mapping[str, float | None]


@dataclass(frozen=True)
class TrendChart:
    title: str
    """E.g. "Diefstal/inbraak woning per 1.000 inwoners"; drawn at the top of the image."""
    y_label: str
    """E.g. "per 1.000 inwoners"."""
    lines: tuple[Line, ...]
    band: Band | None = None
    source: str = ""
    """Drawn small under the plot, inside the image."""
    highlight_year: str | None = None
    """The reference year: a thin vertical marker."""


# --- public rendering ---------------------------------------------------------------------------


def render_png(
    chart: TrendChart, *, width_cm: float = 15.0, height_cm: float = 7.5, dpi: int = 150
) -> bytes:
    """The chart as PNG bytes of round(width_cm / 2.54 * dpi) by round(height_cm / 2.54 * dpi)
    pixels, the resolution recorded in the file."""
    with _RENDER_LOCK, matplotlib.rc_context(_RC):
        fig = _figure(chart, width_cm=width_cm, height_cm=height_cm, dpi=dpi)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()


def render_svg(chart: TrendChart, *, width_cm: float = 15.0, height_cm: float = 7.5) -> str:
    """The chart as an ``<svg>`` element to inline in an HTML page.

    No XML declaration or DOCTYPE, no fixed size (``width="100%"`` and the ``viewBox``, so CSS
    scales it), ``role="img"`` with a ``<title>`` holding the chart title, and text kept as text.
    Ids inside are derived from the chart's content, so two different charts on one page do not
    share ids, and the same chart always gives the same string.
    """
    salt = hashlib.sha256(repr((chart, width_cm, height_cm)).encode()).hexdigest()[:12]
    with _RENDER_LOCK, matplotlib.rc_context({**_RC, "svg.hashsalt": salt}):
        fig = _figure(chart, width_cm=width_cm, height_cm=height_cm, dpi=72)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    return _inline_svg(buffer.getvalue(), chart.title, salt)


def format_number(value: float, decimals: int | None = None) -> str:
    """A number the Dutch way: decimal comma, thousands dot ("1.234,5").

    With ``decimals`` None, as many decimals as the value needs (up to 10, trailing zeros
    dropped: 8.2 gives "8,2", 2.0 gives "2"); otherwise exactly that many.
    """
    if not math.isfinite(value):
        return ""
    if decimals is None:
        text = f"{value:,.10f}".rstrip("0").rstrip(".")
    else:
        text = f"{value:,.{decimals}f}"
    text = text.translate(str.maketrans({",": ".", ".": ","}))
    if text.lstrip("-").strip("0,.") == "":
        text = text.lstrip("-")  # no "-0"
    return text


# --- figure --------------------------------------------------------------------------------------


def _figure(
    chart: TrendChart, *, width_cm: float = 15.0, height_cm: float = 7.5, dpi: int = 150
) -> Figure:
    """The matplotlib Figure of a chart, laid out and ready to save (exposed for tests)."""
    width_px = max(1, round(width_cm / _CM_PER_INCH * dpi))
    height_px = max(1, round(height_cm / _CM_PER_INCH * dpi))
    # A hair over the exact size: Agg truncates the pixel size, and px / dpi * dpi may come out
    # a rounding error below px.
    fig = Figure(figsize=((width_px + 1e-7) / dpi, (height_px + 1e-7) / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")

    series = _Series.from_chart(chart)
    if series.empty:
        _draw_empty(fig, chart)
    else:
        _draw_chart(fig, chart, series)
    return fig


class _Series:
    """The chart's data on one continuous axis of whole years, NaN where nothing is known."""

    def __init__(self, years: list[int], chart: TrendChart) -> None:
        self.years = years
        self.lines = [(line, _on_axis(line.values, years)) for line in chart.lines]
        self.band = None
        if chart.band is not None:
            self.band = (
                _on_axis(chart.band.low, years),
                _on_axis(chart.band.high, years),
            )

    @classmethod
    def from_chart(cls, chart: TrendChart) -> _Series:
        mappings: list[Mapping[str, float | None]] = [line.values for line in chart.lines]
        if chart.band is not None:
            mappings += [chart.band.low, chart.band.high]
        known = sorted(
            {
                _year(key)
                for mapping in mappings
                for key, value in mapping.items()
                if _finite(value) is not None
            }
        )
        years = list(range(known[0], known[-1] + 1)) if known else []
        return cls(years, chart)

    @property
    def empty(self) -> bool:
        return not self.years

    def max_value(self) -> float:
        values = [v for _, ys in self.lines for v in ys]
        if self.band is not None:
            values += self.band[1] + self.band[0]
        return max((v for v in values if not math.isnan(v)), default=0.0)

    def min_value(self) -> float:
        values = [v for _, ys in self.lines for v in ys]
        if self.band is not None:
            values += self.band[0] + self.band[1]
        return min((v for v in values if not math.isnan(v)), default=0.0)


def _draw_chart(fig: Figure, chart: TrendChart, series: _Series) -> None:
    renderer = fig.canvas.get_renderer()
    width_pt = fig.get_figwidth() * 72
    text_width_pt = width_pt - 2 * _MARGIN_PT

    ax = fig.add_axes((0, 0, 1, 1))  # placed by _layout once the text around it is known
    years = series.years
    handles: list[tuple[object, str]] = []

    # Band first (lowest), then the lines in the order given; the band's legend entry follows
    # the first comparison-group line, where it belongs.
    band_handle = None
    if series.band is not None and chart.band is not None:
        low, high = series.band
        present = [not (math.isnan(lo) or math.isnan(hi)) for lo, hi in zip(low, high, strict=True)]
        if any(present):
            ax.fill_between(
                years,
                [lo if ok else 0.0 for lo, ok in zip(low, present, strict=True)],
                [hi if ok else 0.0 for hi, ok in zip(high, present, strict=True)],
                where=present,
                color=_BAND_COLOUR,
                alpha=_BAND_ALPHA,
                linewidth=0,
                zorder=1,
            )
            band_handle = (
                Patch(facecolor=_BAND_COLOUR, alpha=_BAND_ALPHA, linewidth=0),
                chart.band.label,
            )

    for line, values in series.lines:
        handles.append(_draw_line(ax, line, years, values))
        if band_handle is not None and line.style == "group":
            handles.append(band_handle)
            band_handle = None
    if band_handle is not None:
        handles.append(band_handle)

    if chart.highlight_year is not None:
        try:
            highlight = _year(chart.highlight_year)
        except ValueError:
            highlight = None
        if highlight is not None and years[0] <= highlight <= years[-1]:
            ax.axvline(highlight, color=_HIGHLIGHT_COLOUR, linewidth=0.8, zorder=2)

    _style_axes(ax, chart, series)

    title_lines = _wrap(chart.title, _TITLE_SIZE, text_width_pt, renderer, bold=True)
    source_lines = _wrap(chart.source, _SOURCE_SIZE, text_width_pt, renderer)
    _add_legend(fig, handles, text_width_pt, renderer)
    _layout(fig, ax, renderer, chart, title_lines, source_lines)


def _draw_line(ax: Axes, line: Line, years: list[int], values: list[float]) -> tuple[object, str]:
    if line.style not in _STYLES:
        raise ValueError(f"Onbekende lijnstijl {line.style!r} voor {line.label!r}")
    style = dict(_STYLES[line.style])
    zorder = style.pop("zorder")

    start = None
    if line.provisional_from is not None:
        start = _year(line.provisional_from)
    if start is None or not any(
        not math.isnan(v) for y, v in zip(years, values, strict=True) if y >= start
    ):
        start = None  # nothing provisional to show

    marked = _marker_indices(values, line.style)
    if not marked:
        style["marker"] = "None"  # nor in the legend
    definite = [
        v if start is None or y < start else math.nan for y, v in zip(years, values, strict=True)
    ]
    main = Line2D(
        years,
        definite,
        label=line.label,
        markevery=[i for i in marked if start is None or years[i] < start],
        clip_on=False,
        zorder=zorder,
        **style,
    )
    ax.add_line(main)
    if start is None:
        return (main, line.label)

    # The provisional part, joined to the value of the year just before it when there is one.
    joined = [v if y >= start else math.nan for y, v in zip(years, values, strict=True)]
    if start - 1 in years:
        joined[years.index(start - 1)] = values[years.index(start - 1)]
    provisional_style = dict(style)
    if line.style == "own":
        provisional_style["linestyle"] = _PROVISIONAL_DASH
    provisional = Line2D(
        years,
        joined,
        label=f"_{line.label} (voorlopig)",
        markevery=[i for i in marked if years[i] >= start],
        markerfacecolor="white",
        markeredgewidth=1.1,
        alpha=0.75,
        clip_on=False,
        zorder=zorder,
        **provisional_style,
    )
    ax.add_line(provisional)
    return ((main, provisional), f"{line.label} (voorlopig vanaf {start})")


def _marker_indices(values: list[float], style: str) -> list[int]:
    """Markers on every known value of the own line; elsewhere only where a value stands alone
    (between gaps), which a line alone would not show."""
    known = [not math.isnan(v) for v in values]
    if style == "own":
        return [i for i, k in enumerate(known) if k]
    return [
        i
        for i, k in enumerate(known)
        if k and not (i > 0 and known[i - 1]) and not (i + 1 < len(known) and known[i + 1])
    ]


def _style_axes(ax: Axes, chart: TrendChart, series: _Series) -> None:
    years = series.years
    ax.set_xlim(years[0] - 0.4, years[-1] + 0.4)
    ax.set_xticks(years, labels=[str(year) for year in years])  # thinned out in _layout

    top = series.max_value()
    bottom = min(0.0, series.min_value())
    if top <= 0 and bottom == 0:
        top = 1.0
    span = top - bottom
    ax.set_ylim(bottom - (0.05 * span if bottom < 0 else 0.0), top + 0.08 * span)
    if bottom < 0:
        ax.axhline(0, color="#999999", linewidth=0.8, zorder=2)
    ax.yaxis.set_major_formatter(FuncFormatter(_tick_label))

    ax.grid(axis="y", color=_GRID_COLOUR, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.spines["bottom"].set_color("#999999")
    ax.spines["bottom"].set_linewidth(0.8)
    ax.tick_params(axis="both", labelsize=_BASE_SIZE, colors=_TEXT_COLOUR, length=0, pad=_TICK_PAD)
    ax.tick_params(axis="x", length=_X_TICK_LENGTH, color="#999999", width=0.6)
    ax.set_facecolor("white")


def _tick_label(value: float, _pos: object = None) -> str:
    return format_number(value).replace("-", "\N{MINUS SIGN}")


def _add_legend(
    fig: Figure, handles: list[tuple[object, str]], width_pt: float, renderer: RendererAgg
) -> None:
    """A frameless legend under the plot, read left to right, in as few rows as fit."""
    if not handles:
        return
    prop = FontProperties(size=_LEGEND_SIZE)
    scale = fig.dpi / 72
    entries = [
        (_HANDLE_LENGTH + 0.8) * _LEGEND_SIZE
        + renderer.get_text_width_height_descent(label, prop, ismath=False)[0] / scale
        for _, label in handles
    ]
    spacing = 1.8 * _LEGEND_SIZE
    ncols = 1
    for candidate in range(len(entries), 0, -1):
        columns = [max(entries[c::candidate]) for c in range(candidate)]
        if sum(columns) + spacing * (candidate - 1) + 2 * _LEGEND_SIZE * 0.4 <= width_pt:
            ncols = candidate
            break
    rows = math.ceil(len(handles) / ncols)

    # matplotlib fills a legend column by column; reorder so it reads row by row.
    order = [
        r * ncols + c for c in range(ncols) for r in range(rows) if r * ncols + c < len(handles)
    ]
    ordered = [handles[i] for i in order]
    fig.legend(
        [h for h, _ in ordered],
        [label for _, label in ordered],
        loc="lower center",
        ncols=ncols,
        frameon=False,
        fontsize=_LEGEND_SIZE,
        handlelength=_HANDLE_LENGTH,
        handletextpad=0.8,
        columnspacing=1.8,
        borderaxespad=0,
        borderpad=0.4,
        labelspacing=0.35,
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0.2)},
    )


def _layout(
    fig: Figure,
    ax: Axes,
    renderer: RendererAgg,
    chart: TrendChart,
    title_lines: list[str],
    source_lines: list[str],
) -> None:
    """Places title, plot, legend and source note top to bottom, measured in points.

    The room for the tick labels and the y label is measured from the text itself, which is
    much faster than asking matplotlib for the tight bounding box of the axes.
    """
    width_pt = fig.get_figwidth() * 72
    height_pt = fig.get_figheight() * 72
    scale = fig.dpi / 72
    prop = FontProperties(size=_BASE_SIZE)

    def text_size(text: str) -> tuple[float, float]:
        width, height, _ = renderer.get_text_width_height_descent(text, prop, ismath=False)
        return width / scale, height / scale

    line_height = text_size("lp")[1]

    y = height_pt - _MARGIN_PT
    if title_lines:
        title = fig.text(
            _MARGIN_PT / width_pt,
            y / height_pt,
            "\n".join(title_lines),
            ha="left",
            va="top",
            fontsize=_TITLE_SIZE,
            fontweight="bold",
            linespacing=1.25,
        )
        y -= title.get_window_extent(renderer).height / scale + 6
    plot_top = y - 4

    y = _MARGIN_PT
    if source_lines:
        source = fig.text(
            _MARGIN_PT / width_pt,
            y / height_pt,
            "\n".join(source_lines),
            ha="left",
            va="bottom",
            fontsize=_SOURCE_SIZE,
            color=_MUTED_COLOUR,
            linespacing=1.25,
        )
        y += source.get_window_extent(renderer).height / scale + 4
    if fig.legends:
        legend = fig.legends[0]
        legend.set_bbox_to_anchor((0.5, y / height_pt), transform=fig.transFigure)
        y += legend.get_window_extent(renderer).height / scale + 2
    # x tick labels: tick length, pad, text
    bottom = y + _X_TICK_LENGTH + _TICK_PAD + line_height
    height = max(10.0, plot_top - bottom)

    # The y ticks depend on the height of the axes, so place it vertically first.
    ax.set_position((0.1, bottom / height_pt, 0.8, height / height_pt))
    low, high = ax.get_ylim()
    formatter = ax.yaxis.get_major_formatter()
    tick_width = max(
        (
            text_size(formatter(tick))[0]
            for tick in ax.yaxis.get_majorticklocs()
            if low - 1e-9 <= tick <= high + 1e-9
        ),
        default=0.0,
    )
    label_lines = _wrap(chart.y_label, _BASE_SIZE, height, renderer)
    left = _MARGIN_PT + tick_width + _TICK_PAD
    if label_lines:
        ax.set_ylabel(
            "\n".join(label_lines),
            fontsize=_BASE_SIZE,
            color=_MUTED_COLOUR,
            labelpad=_Y_LABEL_PAD,
            linespacing=1.15,
        )
        left += _Y_LABEL_PAD + line_height * (1 + 1.15 * (len(label_lines) - 1))

    # Year labels: all of them up to 15 years, else every other (_style_axes); fewer still
    # when the plot is too narrow for them. Always ending on the latest year.
    first, last = ax.get_xlim()
    years = list(range(round(first + 0.4), round(last - 0.4) + 1))
    right = width_pt - _MARGIN_PT
    label_width = text_size(str(years[-1]))[0]
    per_year = (right - left) / max(1e-9, last - first)
    step = 1 if len(years) <= 15 else 2
    while step < len(years) and label_width + 4 > step * per_year:
        step += 1
    shown = years[::-1][::step][::-1]
    ax.set_xticks(shown, labels=[str(year) for year in shown])

    # The last year's label is centred on its tick and may reach past the axes.
    overhang = label_width / 2 - 0.4 * per_year
    if overhang > 0:
        right -= overhang
    ax.set_position(
        (
            left / width_pt,
            bottom / height_pt,
            max(10.0, right - left) / width_pt,
            height / height_pt,
        )
    )


def _draw_empty(fig: Figure, chart: TrendChart) -> None:
    renderer = fig.canvas.get_renderer()
    width_pt = fig.get_figwidth() * 72
    height_pt = fig.get_figheight() * 72
    text_width = width_pt - 2 * _MARGIN_PT
    title_lines = _wrap(chart.title, _TITLE_SIZE, text_width, renderer, bold=True)
    if title_lines:
        fig.text(
            _MARGIN_PT / width_pt,
            1 - _MARGIN_PT / height_pt,
            "\n".join(title_lines),
            ha="left",
            va="top",
            fontsize=_TITLE_SIZE,
            fontweight="bold",
            linespacing=1.25,
        )
    fig.text(
        0.5,
        0.5,
        NO_DATA_TEXT,
        ha="center",
        va="center",
        fontsize=11,
        color=_MUTED_COLOUR,
    )
    source_lines = _wrap(chart.source, _SOURCE_SIZE, text_width, renderer)
    if source_lines:
        fig.text(
            _MARGIN_PT / width_pt,
            _MARGIN_PT / height_pt,
            "\n".join(source_lines),
            ha="left",
            va="bottom",
            fontsize=_SOURCE_SIZE,
            color=_MUTED_COLOUR,
            linespacing=1.25,
        )


# --- helpers -------------------------------------------------------------------------------------


def _wrap(
    text: str, size: float, width_pt: float, renderer: RendererAgg, *, bold: bool = False
) -> list[str]:
    """``text`` broken at spaces into lines no wider than ``width_pt`` at font size ``size``."""
    if not text.strip():
        return []
    prop = FontProperties(size=size, weight="bold" if bold else "normal")
    scale = renderer.dpi / 72

    def fits(candidate: str) -> bool:
        width = renderer.get_text_width_height_descent(candidate, prop, ismath=False)[0]
        return width / scale <= width_pt

    if "\n" not in text and fits(text):
        return [text.strip()]
    lines: list[str] = []
    for paragraph in text.splitlines():
        current = ""
        for word in paragraph.split():
            candidate = f"{current} {word}" if current else word
            if current and not fits(candidate):
                lines.append(current)
                current = word
            else:
                current = candidate
        if current:
            lines.append(current)
    return lines


def _year(key: str | int) -> int:
    try:
        return int(str(key).strip())
    except ValueError:
        raise ValueError(f"Geen jaartal: {key!r}") from None


def _finite(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return number if math.isfinite(number) else None


def _on_axis(values: Mapping[str, float | None], years: Iterable[int]) -> list[float]:
    by_year: dict[int, float] = {}
    for key, value in values.items():
        number = _finite(value)
        if number is not None:
            by_year[_year(key)] = number
    return [by_year.get(year, math.nan) for year in years]


_SVG_FONTS = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"
_SVG_START = re.compile(r"<svg\b[^>]*>", re.DOTALL)


def _inline_svg(svg: str, title: str, salt: str) -> str:
    match = _SVG_START.search(svg)
    if match is None:  # pragma: no cover - matplotlib always writes one
        raise RuntimeError("matplotlib schreef geen <svg>-element")
    tag = match.group(0)
    tag = re.sub(r'\s(width|height)="[^"]*"', "", tag)
    tag = tag.replace("<svg", f'<svg width="100%" role="img" class="ivp-chart ivp-chart-{salt}"', 1)
    body = svg[match.end() :]
    body = re.sub(r"\s*<metadata>.*?</metadata>", "", body, count=1, flags=re.DOTALL)
    # matplotlib's stylesheet uses a bare "*" selector, which would reach every element of the
    # page the SVG is inlined in: keep it to this chart.
    body = body.replace("*{", f".ivp-chart-{salt} *{{")
    # Sizes were measured in DejaVu Sans; Liberation Sans (Arial's metrics) is the closest
    # stand-in where a browser lacks it.
    body = body.replace("font-family: 'DejaVu Sans', sans-serif", f"font-family: {_SVG_FONTS}")
    body = _presentation_attributes(body)
    body = _unique_ids(body, salt)
    return f"{tag}\n <title>{escape(title, quote=False)}</title>{body}".rstrip() + "\n"


_SVG_ID = re.compile(r'\sid="([^"]+)"')


def _unique_ids(body: str, salt: str) -> str:
    """Prefix every id in the SVG (and the references to it) with the chart's salt:
    matplotlib numbers its groups ``figure_1``, ``axes_1`` … in every chart, and two charts on
    one page must not share an id."""
    ids = set(_SVG_ID.findall(body))
    if not ids:
        return body
    names = "|".join(re.escape(i) for i in sorted(ids, key=len, reverse=True))
    body = re.sub(rf'(\sid=")({names})"', rf'\g<1>c{salt}-\g<2>"', body)
    return re.sub(rf"#({names})\b(?=[\"')])", rf"#c{salt}-\g<1>", body)


def data_table(chart: TrendChart) -> tuple[list[str], list[tuple[str, list[str]]]]:
    """The chart's numbers as a table, its text alternative: the years, and per line (and
    for the band its lower and upper edge) the values in Dutch notation ("—" where none)."""
    series = _Series.from_chart(chart)
    years = [str(y) for y in series.years]

    def cells(values: Mapping[str, float | None]) -> list[str]:
        return [
            "—" if math.isnan(v) else format_number(v, 1) for v in _on_axis(values, series.years)
        ]

    rows = [(line.label, cells(line.values)) for line in chart.lines]
    if chart.band is not None:
        rows.append((f"{chart.band.label} (onderkant)", cells(chart.band.low)))
        rows.append((f"{chart.band.label} (bovenkant)", cells(chart.band.high)))
    return years, rows


# SVG presentation attributes: the same properties as attributes, which a page's
# Content-Security-Policy (style-src 'self', no 'unsafe-inline') does not block, unlike
# ``style="…"`` attributes and ``<style>`` elements.
_PRESENTATION = frozenset(
    {
        "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity",
        "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-dasharray",
        "stroke-dashoffset", "opacity", "font-family", "font-size", "font-weight",
        "font-style", "text-anchor", "clip-path", "dominant-baseline", "white-space",
    }
)  # fmt: skip
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_STYLE_ELEMENT = re.compile(r"\s*<style[^>]*>(.*?)</style>", re.DOTALL)


def _presentation_attributes(body: str) -> str:
    """Rewrite matplotlib's inline styles as presentation attributes (the SVG looks the
    same, and a strict Content-Security-Policy lets it through): ``style="fill: #fff;
    stroke: red"`` → ``fill="#fff" stroke="red"``; the ``*{stroke-linejoin: round;
    stroke-linecap: butt}`` rule of its ``<style>`` element goes onto the root group."""
    defaults = ""
    element = _STYLE_ELEMENT.search(body)
    if element:
        inner = re.search(r"\{([^}]*)\}", element.group(1))
        defaults = _as_attributes(inner.group(1)) if inner else ""
        body = body[: element.start()] + body[element.end() :]
    body = _STYLE_ATTRIBUTE.sub(lambda m: _as_attributes(m.group(1)), body)
    if defaults:
        body = re.sub(r"<g\b", "<g" + defaults, body, count=1)
    return body


def _as_attributes(style: str) -> str:
    out = []
    for declaration in style.split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip(), value.strip()
        if name in _PRESENTATION and value:
            out.append(f' {name}="{escape(value, quote=True)}"')
    return "".join(out)


# --- funnel chart ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FunnelPoint:
    label: str
    population: float
    rate: float


@dataclass(frozen=True)
class FunnelChart:
    """A gemeente among its comparison group: the rate (y) against the number of inhabitants
    (x, logarithmic), the group's median and the control limits that allow for the usual
    spread between gemeenten (a funnel plot, Spiegelhalter 2005)."""

    title: str
    own: FunnelPoint
    others: tuple[FunnelPoint, ...]
    target: float
    """The median rate of the others: the horizontal line."""
    curve: tuple[tuple[float, float, float], ...]
    """(inhabitants, lower limit, upper limit) along the x axis, ascending."""
    description: str
    """The result in words: the text alternative of the image."""
    y_label: str = "per 1.000 inwoners"
    x_label: str = "inwoners"
    target_label: str = "mediaan"
    limits_label: str = "grenzen van de gewone spreiding (95%)"
    others_label: str = "vergelijkbare gemeenten"


def render_funnel_svg(chart: FunnelChart, *, width_cm: float = 15.0, height_cm: float = 8.0) -> str:
    """The funnel chart as an inline ``<svg>`` (as :func:`render_svg`), with the result in
    words as its ``<desc>``."""
    salt = hashlib.sha256(repr((chart, width_cm, height_cm)).encode()).hexdigest()[:12]
    with _RENDER_LOCK, matplotlib.rc_context({**_RC, "svg.hashsalt": salt}):
        width_px = max(1, round(width_cm / _CM_PER_INCH * 72))
        height_px = max(1, round(height_cm / _CM_PER_INCH * 72))
        fig = Figure(figsize=((width_px + 1e-7) / 72, (height_px + 1e-7) / 72), dpi=72)
        FigureCanvasAgg(fig)
        fig.patch.set_facecolor("white")
        _draw_funnel(fig, chart)
        buffer = io.StringIO()
        fig.savefig(buffer, format="svg", metadata={"Date": None})
    svg = _inline_svg(buffer.getvalue(), chart.title, salt)
    return svg.replace(
        "</title>", f"</title>\n <desc>{escape(chart.description, quote=False)}</desc>", 1
    )


def _draw_funnel(fig: Figure, chart: FunnelChart) -> None:
    from matplotlib.ticker import FixedLocator, NullLocator

    renderer = fig.canvas.get_renderer()
    width_pt = fig.get_figwidth() * 72
    height_pt = fig.get_figheight() * 72
    ax = fig.add_axes((0.12, 0.3, 0.84, 0.55))
    xs = [p.population for p in (*chart.others, chart.own)]
    curve_x = [c[0] for c in chart.curve]
    ax.plot(
        curve_x,
        [c[1] for c in chart.curve],
        color=_STYLES["reference"]["color"],
        linestyle=(0, (4, 2)),
        linewidth=1.1,
        zorder=2,
    )
    ax.plot(
        curve_x,
        [c[2] for c in chart.curve],
        color=_STYLES["reference"]["color"],
        linestyle=(0, (4, 2)),
        linewidth=1.1,
        zorder=2,
    )
    ax.axhline(chart.target, color=_STYLES["group"]["color"], linewidth=1.3, zorder=2)
    ax.scatter(
        [p.population for p in chart.others],
        [p.rate for p in chart.others],
        s=14,
        facecolor="white",
        edgecolor=_STYLES["group"]["color"],
        linewidth=1.0,
        zorder=3,
    )
    ax.scatter(
        [chart.own.population],
        [chart.own.rate],
        s=60,
        marker="D",
        color=_STYLES["own"]["color"],
        zorder=4,
    )
    ax.annotate(
        chart.own.label,
        (chart.own.population, chart.own.rate),
        xytext=(6, 4),
        textcoords="offset points",
        fontsize=_BASE_SIZE,
        fontweight="bold",
        color=_STYLES["own"]["color"],
    )
    ax.set_xscale("log")
    low_x = min([*xs, *curve_x]) / 1.15
    high_x = max([*xs, *curve_x]) * 1.15
    ax.set_xlim(low_x, high_x)
    steps = (1.0, 1.5, 2.0, 3.0, 5.0, 7.0)
    ticks = [m * 10.0**k for k in range(3, 7) for m in steps if low_x <= m * 10.0**k <= high_x]
    if len(ticks) > 7:
        ticks = [
            t for t in ticks if round(t / 10 ** math.floor(math.log10(t)), 1) in (1.0, 2.0, 5.0)
        ]
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_number(v, 0)))
    values = [p.rate for p in (*chart.others, chart.own)] + [c[2] for c in chart.curve]
    top = max([v for v in values if math.isfinite(v)] + [chart.target]) * 1.08
    ax.set_ylim(0, top if top > 0 else 1)
    ax.yaxis.set_major_formatter(FuncFormatter(_tick_label))
    ax.grid(axis="y", color=_GRID_COLOUR, linewidth=0.6, zorder=0)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(axis="both", labelsize=_BASE_SIZE, colors=_TEXT_COLOUR)
    ax.set_xlabel(chart.x_label, fontsize=_BASE_SIZE, color=_MUTED_COLOUR)
    ax.set_ylabel(chart.y_label, fontsize=_BASE_SIZE, color=_MUTED_COLOUR)
    title_lines = _wrap(chart.title, _TITLE_SIZE, width_pt - 2 * _MARGIN_PT, renderer, bold=True)
    fig.text(
        _MARGIN_PT / width_pt,
        1 - _MARGIN_PT / height_pt,
        "\n".join(title_lines),
        ha="left",
        va="top",
        fontsize=_TITLE_SIZE,
        fontweight="bold",
        linespacing=1.25,
    )
    handles = [
        (
            Line2D([], [], marker="D", color=_STYLES["own"]["color"], linestyle="None"),
            chart.own.label,
        ),
        (
            Line2D(
                [],
                [],
                marker="o",
                markerfacecolor="white",
                markeredgecolor=_STYLES["group"]["color"],
                linestyle="None",
            ),
            chart.others_label,
        ),
        (Line2D([], [], color=_STYLES["group"]["color"], linewidth=1.3), chart.target_label),
        (
            Line2D([], [], color=_STYLES["reference"]["color"], linestyle=(0, (4, 2))),
            chart.limits_label,
        ),
    ]
    _add_legend(fig, handles, width_pt - 2 * _MARGIN_PT, renderer)
    legend_height = 0.0
    if fig.legends:
        legend = fig.legends[0]
        legend.set_bbox_to_anchor((0.5, _MARGIN_PT / height_pt), transform=fig.transFigure)
        legend_height = legend.get_window_extent(renderer).height / (fig.dpi / 72)
    title_height = len(title_lines) * _TITLE_SIZE * 1.4 + 8
    bottom = _MARGIN_PT + legend_height + 30
    top = height_pt - _MARGIN_PT - title_height
    ax.set_position(
        (58 / width_pt, bottom / height_pt, 1 - 70 / width_pt, max(20.0, top - bottom) / height_pt)
    )
