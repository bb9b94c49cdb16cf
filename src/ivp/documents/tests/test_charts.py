"""Tests of the chart images (no database)."""

from __future__ import annotations

import io
import math
import re
import struct

import matplotlib
import pytest
from matplotlib.lines import Line2D
from PIL import Image

from ivp.documents import charts
from ivp.documents.charts import Band, Line, TrendChart, format_number, render_png, render_svg

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

OWN = {"2016": 5.0, "2017": 4.0, "2018": None, "2019": 3.0, "2020": 2.5}
GROUP = {"2016": 4.0, "2017": 3.8, "2018": 3.6, "2019": 3.4, "2020": 3.2}


def _chart(**changes) -> TrendChart:
    fields = {
        "title": "Testreeks per 1.000 inwoners",
        "y_label": "per 1.000 inwoners",
        "lines": (
            Line("Testgemeente", OWN, "own", provisional_from="2020"),
            Line("mediaan testgroep", GROUP, "group"),
            Line("Testland", {"2017": 3.0, "2019": 2.0}, "reference"),
        ),
        "band": Band(
            "P25–P75 testgroep",
            {year: v - 1 for year, v in GROUP.items()},
            {year: v + 1 for year, v in GROUP.items()},
        ),
        "source": "Bron: testbron A (opgehaald 2025-01-01); testbron B",
        "highlight_year": "2019",
    }
    fields.update(changes)
    return TrendChart(**fields)


def _figure(chart: TrendChart, **kwargs):
    with matplotlib.rc_context(charts._RC):
        fig = charts._figure(chart, **kwargs)
        fig.canvas.draw()
    return fig


def _line(fig, label: str) -> Line2D:
    (ax,) = fig.axes
    matches = [line for line in ax.get_lines() if line.get_label() == label]
    assert len(matches) == 1, [line.get_label() for line in ax.get_lines()]
    return matches[0]


def _ydata(line: Line2D, year: int) -> float:
    xs = list(line.get_xdata())
    return float(line.get_ydata()[xs.index(year)])


def _texts(fig) -> list[str]:
    return [text.get_text() for text in fig.findobj(matplotlib.text.Text)]


def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


# --- PNG ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "size"),
    [
        ({}, (886, 443)),  # 15 x 7.5 cm at 150 dpi
        ({"width_cm": 8.0, "height_cm": 5.0, "dpi": 200}, (630, 394)),
        ({"width_cm": 16.5, "height_cm": 9.0, "dpi": 96}, (624, 340)),
    ],
)
def test_png_has_signature_and_requested_pixel_size(kwargs, size):
    data = render_png(_chart(), **kwargs)
    assert data.startswith(PNG_SIGNATURE)
    assert _png_size(data) == size
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == size
        image.load()  # the whole file decodes


def test_png_is_deterministic():
    assert render_png(_chart()) == render_png(_chart())


def test_png_has_no_software_or_date_metadata():
    data = render_png(_chart())
    assert b"Software" not in data
    assert b"matplotlib" not in data.lower()


# --- SVG ---------------------------------------------------------------------------------------


def test_svg_is_inlineable_and_scalable():
    svg = render_svg(_chart())
    assert svg.startswith("<svg ")
    assert "<?xml" not in svg
    assert "DOCTYPE" not in svg
    root = re.match(r"<svg\b[^>]*>", svg).group(0)
    assert 'width="100%"' in root
    assert "height=" not in root
    assert "pt" not in re.sub(r'viewBox="[^"]*"', "", root.replace("http", ""))
    assert re.search(r'viewBox="0 0 [\d.]+ [\d.]+"', root)
    assert 'role="img"' in root
    assert svg.rstrip().endswith("</svg>")


def test_svg_has_title_labels_and_text_as_text():
    svg = render_svg(_chart())
    assert "<title>Testreeks per 1.000 inwoners</title>" in svg
    for label in ("Testgemeente", "mediaan testgroep", "Testland", "P25–P75 testgroep"):
        assert label in svg
    assert "(voorlopig vanaf 2020)" in svg
    assert "Bron: testbron A" in svg
    assert "<text" in svg
    assert "DejaVuSans-" not in svg  # no glyph outlines: fonts stay text


def test_svg_title_is_escaped():
    svg = render_svg(_chart(title="Overlast <jeugd> & drugs"))
    assert "<title>Overlast &lt;jeugd&gt; &amp; drugs</title>" in svg


def test_svg_has_no_styles_that_leak_or_a_csp_blocks():
    """No <style> element (its rules would reach the page) and no style attributes (a
    Content-Security-Policy without 'unsafe-inline' blocks both): presentation attributes."""
    svg = render_svg(_chart())
    assert "<style" not in svg and " style=" not in svg
    assert ' fill="' in svg and ' stroke="' in svg and ' stroke-linejoin="round"' in svg


def test_svg_is_deterministic_and_ids_differ_between_charts():
    first = render_svg(_chart())
    assert first == render_svg(_chart())
    other = render_svg(_chart(title="Andere reeks"))
    ids = set(re.findall(r'id="([^"]+)"', first))
    other_ids = set(re.findall(r'id="([^"]+)"', other))
    assert {"figure_1", "axes_1"} & {i.split("-", 1)[1] for i in ids}  # matplotlib's names
    assert not ids & other_ids  # every id, the numbered groups too, is the chart's own
    # and every reference inside the SVG points at an id of the same chart
    for ref in re.findall(r'(?:href="#|url\(#)([^")]+)', first):
        assert ref in ids
    assert "<metadata>" not in first


# --- data on the plot --------------------------------------------------------------------------


def test_none_is_a_gap_not_zero():
    fig = _figure(_chart())
    own = _line(fig, "Testgemeente")
    assert math.isnan(_ydata(own, 2018))
    assert _ydata(own, 2017) == 4.0
    assert _ydata(own, 2019) == 3.0


def test_missing_year_inside_the_range_is_a_gap_too():
    fig = _figure(_chart())
    reference = _line(fig, "Testland")
    assert list(reference.get_xdata()) == [2016, 2017, 2018, 2019, 2020]
    assert math.isnan(_ydata(reference, 2018))
    assert math.isnan(_ydata(reference, 2016))
    # isolated values get a marker, or they would not show at all
    assert reference.get_marker() not in ("None", "", None)


def test_provisional_part_is_a_separate_lighter_line_with_legend_note():
    fig = _figure(_chart())
    own = _line(fig, "Testgemeente")
    assert math.isnan(_ydata(own, 2020))
    (ax,) = fig.axes
    provisional = [line for line in ax.get_lines() if line.get_label().startswith("_Testgemeente")]
    assert len(provisional) == 1
    assert _ydata(provisional[0], 2020) == 2.5
    assert _ydata(provisional[0], 2019) == 3.0  # joined to the last definite value
    assert math.isnan(_ydata(provisional[0], 2017))
    assert provisional[0].get_linestyle() != own.get_linestyle()
    legend_texts = [text.get_text() for text in fig.legends[0].get_texts()]
    assert "Testgemeente (voorlopig vanaf 2020)" in legend_texts


def test_provisional_note_only_when_provisional_values_exist():
    lines = (Line("Testgemeente", OWN, "own", provisional_from="2023"),)
    fig = _figure(_chart(lines=lines, band=None))
    legend_texts = [text.get_text() for text in fig.legends[0].get_texts()]
    assert legend_texts == ["Testgemeente"]


def test_y_axis_starts_at_zero_and_x_axis_shows_whole_years():
    fig = _figure(_chart())
    (ax,) = fig.axes
    assert ax.get_ylim()[0] == 0
    assert ax.get_ylim()[1] >= 5.0 * 1.05  # the highest value (own line, band top) fits
    assert [label.get_text() for label in ax.get_xticklabels()] == [
        "2016",
        "2017",
        "2018",
        "2019",
        "2020",
    ]


def test_long_series_labels_every_other_year_ending_on_the_last():
    values = {str(year): float(year - 2000) for year in range(2001, 2021)}
    fig = _figure(_chart(lines=(Line("Lang", values),), band=None, highlight_year=None))
    (ax,) = fig.axes
    labels = [label.get_text() for label in ax.get_xticklabels()]
    assert labels[-1] == "2020"
    assert labels[0] == "2002"
    assert len(labels) == 10


def test_highlight_year_marker_and_band():
    fig = _figure(_chart())
    (ax,) = fig.axes
    verticals = [
        line
        for line in ax.get_lines()
        if list(line.get_xdata()) == [2019, 2019] and not line.get_label().startswith("Test")
    ]
    assert len(verticals) == 1
    assert len(ax.collections) == 1  # the P25–P75 band


def test_unknown_line_style_is_an_error():
    with pytest.raises(ValueError, match="lijnstijl"):
        render_png(_chart(lines=(Line("X", OWN, "band"),)))


# --- layout ------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [{}, {"width_cm": 8.0, "height_cm": 6.0}])
def test_legend_below_plot_and_everything_inside_the_image(size):
    fig = _figure(_chart(), **size)
    renderer = fig.canvas.get_renderer()
    figure_box = fig.bbox
    (ax,) = fig.axes
    axes_box = ax.get_tightbbox(renderer)
    legend_box = fig.legends[0].get_window_extent(renderer)
    source = next(t for t in fig.texts if t.get_text().startswith("Bron"))
    source_box = source.get_window_extent(renderer)
    for box in (axes_box, legend_box, source_box):
        assert box.x0 >= figure_box.x0 - 0.5
        assert box.x1 <= figure_box.x1 + 0.5
        assert box.y0 >= figure_box.y0 - 0.5
        assert box.y1 <= figure_box.y1 + 0.5
    assert legend_box.y1 <= axes_box.y0 + 0.5  # below the plot and its tick labels
    assert source_box.y1 <= legend_box.y0 + 0.5  # the source note comes last


def test_long_source_and_title_are_wrapped_inside_the_image():
    source = "Bron: " + "; ".join(f"CBS {n}NED (opgehaald 2025-12-21)" for n in range(5))
    title = "Een erg lange titel " * 6
    fig = _figure(_chart(source=source, title=title), width_cm=10.0, height_cm=8.0)
    renderer = fig.canvas.get_renderer()
    for text in fig.texts:
        box = text.get_window_extent(renderer)
        assert box.x1 <= fig.bbox.x1 + 0.5
        assert "\n" in text.get_text()


# --- no data -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "chart",
    [
        _chart(lines=(Line("Leeg", {"2019": None, "2020": None}),), band=None),
        _chart(lines=(), band=None),
        _chart(lines=(Line("Leeg", {}),), band=Band("band", {"2020": None}, {"2020": None})),
    ],
)
def test_no_values_gives_readable_no_data_image(chart):
    fig = _figure(chart)
    assert fig.axes == []
    assert charts.NO_DATA_TEXT in _texts(fig)
    assert charts.NO_DATA_TEXT == "Geen cijfers beschikbaar"
    data = render_png(chart)
    assert _png_size(data) == (886, 443)
    assert "Geen cijfers beschikbaar" in render_svg(chart)


# --- numbers -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1234.5, "1.234,5"),
        (8.2, "8,2"),
        (2.0, "2"),
        (0.0, "0"),
        (-0.0, "0"),
        (1234567.0, "1.234.567"),
        (0.1 + 0.2, "0,3"),
        (-1.5, "-1,5"),
    ],
)
def test_format_number(value, expected):
    assert format_number(value) == expected


def test_format_number_with_fixed_decimals():
    assert format_number(3, decimals=1) == "3,0"
    assert format_number(1234.567, decimals=2) == "1.234,57"
    assert format_number(float("nan")) == ""


def test_y_axis_uses_the_dutch_formatter():
    fig = _figure(_chart())
    (ax,) = fig.axes
    formatter = ax.yaxis.get_major_formatter()
    assert formatter(1234.5) == "1.234,5"
    assert formatter(8.2) == "8,2"
    assert formatter(-1.5) == "\N{MINUS SIGN}1,5"
    assert all("." not in label.get_text() for label in ax.get_yticklabels())
