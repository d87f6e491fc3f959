"""`ddkit report gap`: gap-index results become an accessible report with CIs, trends and comparisons."""

from __future__ import annotations

import hashlib
import json

import pytest

from cli import main
from tests.reports.gap_fixture import gap_result
from tests.reports.html_checks import by_id, parse, structure_problems, table_rows


@pytest.fixture
def result_files(tmp_path):
    latest = tmp_path / "index-2025.json"
    latest.write_text(json.dumps(gap_result(2025, 0.2)), encoding="utf-8")
    earlier = tmp_path / "index-2024.json"
    # The --json envelope is accepted too.
    earlier.write_text(
        json.dumps({"schema_version": "1.0", "kind": "survey.index", "data": gap_result(2024, -0.4)})
    )
    return latest, earlier


def test_gap_report_levels_cis_and_published_comparison(result_files, tmp_path, capsys):
    latest, earlier = result_files
    out = tmp_path / "gap.html"
    assert main(["report", "gap", str(latest), str(earlier), "--out", str(out), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)["data"]
    assert doc["summary"]["years"] == [2024, 2025]
    # 77.9 published + 0.2; CI = ± 1.96 × 0.5
    assert doc["summary"]["four_group_average"] == pytest.approx(
        {"estimate": 78.1, "ci_low": 77.12, "ci_high": 79.08}
    )
    html = out.read_text(encoding="utf-8")
    assert structure_problems(html) == []
    tree, _ = parse(html)
    rows = {(r[0], r[1]): r for r in table_rows(tree, "levels-table")}
    assert rows[("고령층(55세 이상)", "종합")][2:] == ["72.0", "71.0 – 73.0", "0.50", "0.7", "2,200"]
    published = {(r[0], r[1]): r for r in table_rows(tree, "published-table")}
    assert published[("장애인", "종합")][2:] == ["84.3", "83.3 – 85.3", "84.1", "+0.2", "예"]
    assert len(published) == 20  # 5 populations × 4 components have a published 2025 figure
    # Trends: the published series from 2014 plus both computed years with their CIs.
    trend = table_rows(tree, "chart-trend-data")
    assert trend[0][0] == "2014" and trend[-1] == ["2025", "77.9", "84.1", "97.0", "80.6", "71.8"]
    computed = table_rows(tree, "chart-trend-computed")
    assert ["2024", "취약계층 4대 계층 평균", "77.5", "76.5 – 78.5"] in computed
    # Subgroups, method facts and the computation's warnings (escaped) are shown.
    assert table_rows(tree, "domain-1") == [
        ["고령층(55세 이상)", "남", "74.1", "72.5 – 75.7", "1,050"],
        ["고령층(55세 이상)", "여", "69.9", "68.3 – 71.5", "1,250"],
    ]
    assert "&lt;i&gt;assumed&lt;/i&gt;" in html and "<i>assumed</i>" not in html
    assert "&lt;b&gt;Marriage&lt;/b&gt;" not in html  # a known group is named from our strings
    # Inputs with their SHA-256, including the survey file's hash recorded by the computation.
    assert hashlib.sha256(latest.read_bytes()).hexdigest() in html
    assert "cd" * 32 in html
    assert by_id(tree, "chart-total-figure") is not None


def test_english_gap_report(result_files, tmp_path, capsys):
    latest, _ = result_files
    out = tmp_path / "gap-en.html"
    assert main(["report", "gap", str(latest), "--lang", "en", "--out", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "Digital Information Gap Index 2025" in html
    assert structure_problems(html) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON (line 1, column 2"),
        ("[1, 2]", "not a gap-index result"),
        ('{"year": 2025}', "field 'levels' is missing"),
        ('{"year": 2025, "levels": [{"group": "disabled"}]}', "levels[1] has no field 'component'"),
    ],
)
def test_bad_result_files_are_clear_errors(tmp_path, capsys, content, message):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    assert main(["report", "gap", str(bad), "--out", str(tmp_path / "x.html")]) == 3
    err = capsys.readouterr().err
    assert message in err and str(bad) in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_missing_result_file(tmp_path, capsys):
    assert main(["report", "gap", str(tmp_path / "nope.json")]) == 3
    assert "Cannot read the input file" in capsys.readouterr().err


def test_an_earlier_year_stops_the_trend_at_that_year(tmp_path):
    result = tmp_path / "index-2020.json"
    result.write_text(json.dumps(gap_result(2020, 0.0)), encoding="utf-8")
    out = tmp_path / "gap-2020.html"
    assert main(["report", "gap", str(result), "--out", str(out)]) == 0
    tree, _ = parse(out.read_text(encoding="utf-8"))
    years = [r[0] for r in table_rows(tree, "chart-trend-data")]
    assert years[0] == "2014" and years[-1] == "2020"
    # Compared with the figures published for 2020 (the fixture reuses the 2025 levels: 96.6 vs 93.7).
    assert table_rows(tree, "published-table")[0] == [
        "취약계층 4대 계층 평균",
        "접근",
        "96.6",
        "95.6 – 97.6",
        "93.7",
        "+2.9",
        "아니요",
    ]
