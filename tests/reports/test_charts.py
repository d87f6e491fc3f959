"""SVG charts: contrast of the palette, the same numbers in the table, escaping, valid SVG."""

from __future__ import annotations

import base64
import xml.etree.ElementTree as ET

import pytest

from reports.charts import BACKGROUND, INK, PALETTE, Series, bar_chart, contrast_ratio, line_chart, nice_ticks
from reports.i18n import translator

SVG = "{http://www.w3.org/2000/svg}"
T = translator("en")


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast_ratio("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the classic 4.5:1 grey
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


def test_every_chart_colour_has_at_least_4_5_to_1_against_the_background():
    for colour in (*PALETTE, INK):
        assert contrast_ratio(colour, BACKGROUND) >= 4.5, colour


def test_nice_ticks():
    assert nice_ticks(0, 97) == [0, 20, 40, 60, 80, 100]
    assert nice_ticks(0, 3) == [0, 1, 2, 3]
    assert nice_ticks(60, 80) == [60, 65, 70, 75, 80]


def test_bar_chart_table_holds_the_drawn_numbers_and_text_is_escaped():
    chart = bar_chart(
        "c1",
        "Levels <by> group",
        ["Disabled", "<b>Elderly</b>"],
        [Series("Total", [84.1, 71.8], lower=[83.0, 70.9], upper=[85.2, 72.7])],
        T,
        category_label="Group",
        reference=(100.0, "General public = 100"),
    )
    assert [c.label for c in chart.table.columns] == ["Group", "Total", "Total, 95% interval"]
    assert chart.table.rows == [
        ["Disabled", "84.1", "83.0 – 85.2"],
        ["<b>Elderly</b>", "71.8", "70.9 – 72.7"],
    ]
    root = ET.fromstring(str(chart.svg))  # well-formed XML, so the escaping held
    texts = [el.text for el in root.iter(f"{SVG}text")]
    assert "<b>Elderly</b>" in texts and "84.1" in texts and "General public = 100" in texts
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "Levels <by> group"
    assert "Disabled 84.1; <b>Elderly</b> 71.8" in chart.description
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    assert ids and all(i.startswith("c1-") for i in ids)
    assert base64.b64decode(chart.data_uri.split(",", 1)[1]).decode() == str(chart.svg)
    assert (chart.width, chart.height) == (720, int(float(root.get("height"))))


def test_series_are_told_apart_by_pattern_not_colour_alone():
    chart = bar_chart("c2", "Two", ["A"], [Series("x", [1.0]), Series("y", [2.0])], T, category_label="k")
    root = ET.fromstring(str(chart.svg))
    fills = {el.get("fill") for el in root.iter(f"{SVG}rect") if el.get("height") == "18.0"}
    assert fills == {PALETTE[0], "url(#c2-fill1)"}  # solid, then a striped pattern
    assert root.find(f".//{SVG}pattern[@id='c2-fill1']") is not None


def test_long_series_are_summarised_by_their_extremes():
    cats = [f"c{i}" for i in range(10)]
    chart = bar_chart("c3", "Ten", cats, [Series("v", [float(i) for i in range(10)])], T, category_label="k")
    assert "the highest is c9 9.0, the lowest c0 0.0" in chart.description


def test_line_chart_with_forecast_interval_and_break():
    years = ["2021", "2022", "2023", "2024", "2025"]
    observed = Series("Enrolled", [100.0, 120.0, 130.0, None, None])
    forecast = Series(
        "Forecast",
        [None, None, 130.0, 140.0, 150.0],
        lower=[None, None, 130.0, 120.0, 110.0],
        upper=[None, None, 130.0, 160.0, 190.0],
        forecast=True,
        style=0,
    )
    chart = line_chart(
        "c4", "Trend", years, [observed, forecast], T, x_label="Year", breaks=[(2, "2023: new programme")]
    )
    root = ET.fromstring(str(chart.svg))
    assert root.find(f".//{SVG}polygon[@fill='url(#c4-band1)']") is not None
    assert chart.table.rows[3] == ["2024", "n/a", "140.0", "120.0 – 160.0"]
    assert "Enrolled: 100.0 in 2021 to 130.0 in 2023" in chart.description
    assert chart.notes == ["2023: new programme"]


def test_status_badges_and_links_in_the_stylesheet_keep_4_5_to_1():
    import re
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "reports" / "templates" / "report.css").read_text()
    badges = re.findall(r"\.status-\w+ \{ color: (#\w{6}); background: (#\w{6}); \}", css)
    assert len(badges) == 6
    for fg, bg in badges:
        assert contrast_ratio(fg, bg) >= 4.5, (fg, bg)
    link = re.search(r"^a \{ color: (#\w{6});", css, re.M).group(1)
    assert contrast_ratio(link, "#ffffff") >= 4.5 and contrast_ratio(link, "#f6f8fa") >= 4.5
