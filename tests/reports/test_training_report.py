"""The training report: KPIs against targets, funnel, trend and forecast, equity; small cells hidden."""

from __future__ import annotations

import pytest

from reports.build import render_training
from tests.reports.html_checks import parse, structure_problems, table_rows
from tests.reports.training_fixture import training_data


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("training") / "training.html"
    written = render_training(training_data(), lang="ko", out=out)
    html = out.read_text(encoding="utf-8")
    return written, html, parse(html)[0]


def test_kpis_against_targets_by_group(report):
    _, _, tree = report
    assert table_rows(tree, "groups-table") == [
        ["고령층(55세 이상)", "800", "750", "106.7%", "660", "82.5%"],
        ["장애인", "300", "320", "93.8%", "228", "76.0%"],
        ["저소득층", "147", "100", "147.0%", "110", "74.8%"],
        # 3 enrolled, 2 completed: hidden, and so is every rate computed from them.
        ["북한이탈주민", "<5", "10", "<5", "<5", "<5"],
        # Suppressed by the tracker already (no value, field named); no target.
        ["결혼이민자", "<5", "없음", "없음", "<5", "<5"],
    ]


def test_regions_are_named_and_small_regions_hidden(report):
    _, _, tree = report
    assert table_rows(tree, "regions-table") == [
        ["서울특별시", "700", "650", "107.7%", "560", "80.0%"],
        ["경기도", "546", "500", "109.2%", "437", "80.0%"],
        ["제주특별자치도", "<5", "50", "<5", "<5", "<5"],
    ]


def test_funnel_with_step_conversion(report):
    _, _, tree = report
    assert table_rows(tree, "funnel-table") == [
        ["등록", "1,250", "100.0%", "100.0%"],
        ["1회 이상 출석", "1,190", "95.2%", "95.2%"],
        ["수료", "1,000", "84.0%", "80.0%"],
        ["자격 취득", "212", "21.2%", "17.0%"],
        ["취업", "<5", "<5", "<5"],
    ]


def test_trend_and_forecast_with_interval(report):
    _, _, tree = report
    rows = table_rows(tree, "chart-trend-data")
    assert rows[0] == ["2020", "820", "640", "없음", "없음"]
    assert rows[5] == ["2025", "1,250", "1,000", "1,250(실측)", "없음"]
    assert rows[6] == ["2026", "없음", "없음", "1,302", "1,150 – 1,455"]
    assert rows[7] == ["2027", "없음", "없음", "1,341", "1,105 – 1,577"]


def test_equity_ratios_beside_gap_index_levels(report):
    _, _, tree = report
    assert table_rows(tree, "equity-table") == [
        ["고령층(55세 이상)", "64.0%", "40.0%", "1.60", "71.8(2025년)"],
        ["장애인", "24.0%", "10.0%", "2.40", "84.1(2025년)"],
        ["저소득층", "11.8%", "9.0%", "1.31", "97.0(2025년)"],
        ["북한이탈주민", "<5", "0.1%", "<5", "없음"],
    ]


def test_every_suppressed_cell_is_counted_and_reported(report):
    written, html, _ = report
    # groups 4 + 3, regions 4, funnel 3, equity 1
    assert written.summary["suppressed_cells"] == 15
    assert "이 보고서에서 가린 칸: 15개" in html
    assert written.summary["enrolled"] == 1250


def test_training_report_structure_and_escaping(report):
    _, html, _ = report
    assert structure_problems(html) == []
    assert "&lt;target-file&gt;" in html and "<target-file>" not in html


def test_english_training_report(tmp_path):
    out = tmp_path / "t-en.html"
    render_training(training_data(), lang="en", out=out)
    html = out.read_text(encoding="utf-8")
    assert structure_problems(html) == []
    tree, _ = parse(html)
    assert table_rows(tree, "regions-table")[0][0] == "Seoul"
    assert "Cells suppressed in this report: 15." in html


@pytest.fixture
def kpi_file(tmp_path):
    import dataclasses
    import json

    raw = dataclasses.asdict(training_data())
    for row in raw["equity"]:
        row["gap_level"] = row["gap_year"] = None  # filled from the published gap index
    path = tmp_path / "kpis-2025.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path, raw


def test_cli_from_json_fills_gap_levels_and_raises_min_cell(kpi_file, tmp_path, capsys):
    import json

    from cli import main

    path, _ = kpi_file
    out = tmp_path / "t.html"
    assert (
        main(
            [
                "report",
                "training",
                "--year",
                "2025",
                "--data",
                str(path),
                "--min-cell",
                "200",
                "--out",
                str(out),
                "--json",
            ]
        )
        == 0
    )
    doc = json.loads(capsys.readouterr().out)["data"]
    assert doc["summary"]["min_cell"] == 200
    tree, _ = parse(out.read_text(encoding="utf-8"))
    assert table_rows(tree, "groups-table")[2] == ["저소득층", "<200", "100", "<200", "<200", "<200"]
    # Published 2025 totals beside the groups that are in the index; none for the others.
    assert [r[4] for r in table_rows(tree, "equity-table")] == [
        "71.8(2025년)",
        "84.1(2025년)",
        "97.0(2025년)",
        "없음",
    ]


@pytest.mark.parametrize(
    ("change", "code", "message"),
    [
        (lambda raw: raw.update(year=2024), 2, "holds 2024, not 2025"),
        (
            lambda raw: raw["by_group"][0].update(enrolled="many"),
            3,
            "by_group[0].enrolled: expected a whole number",
        ),
        (lambda raw: raw["funnel"][1].update(people=3), 3, "funnel[1]: unknown field(s) people"),
        (lambda raw: raw.pop("total"), 3, "field 'total' is missing"),
        (lambda raw: raw["trend_enrolled"].pop(), 3, "trend_enrolled has 5 values for 6 trend_years"),
    ],
)
def test_bad_kpi_json_is_a_clear_error(kpi_file, tmp_path, capsys, change, code, message):
    import json

    from cli import main

    path, raw = kpi_file
    change(raw)
    path.write_text(json.dumps(raw), encoding="utf-8")
    assert (
        main(["report", "training", "--year", "2025", "--data", str(path), "--out", str(tmp_path / "x.html")])
        == code
    )
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert not (tmp_path / "x.html").exists()


def test_min_cell_can_only_be_raised(kpi_file, capsys):
    from cli import main

    assert main(["report", "training", "--year", "2025", "--data", str(kpi_file[0]), "--min-cell", "3"]) == 2
    assert "always suppressed" in capsys.readouterr().err
