"""User review round-trip through real workbooks and a real store (SQLite file and PostgreSQL).

Every rate, mean and standard deviation below is worked out by hand in the comments next to it.
"""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from user_review_site import APPLY, BOARD, EXPECTED_TASKS, HOME, LOGIN, MEDIA, site

from a11y_audit.errors import AuditError
from a11y_audit.review import export_checklist, import_verdicts
from a11y_audit.scoring.runs import score_run
from a11y_audit.user_review import (
    attempts_for_run,
    combined_view,
    export_tasks,
    generate_tasks,
    import_results,
    load_user_review_config,
    tasks_for_run,
    user_review_results,
    user_review_summary,
)

BUNDLED = (
    Path(__file__).resolve().parents[2] / "a11y_audit" / "scoring" / "user-review-2024.yaml"
).read_text(encoding="utf-8")
COLUMNS = {"success": "E", "minutes": "F", "at": "G", "sat": "H", "items": "I", "note": "J"}


def _rows(ws) -> dict[str, int]:
    return {ws.cell(r, 1).value: r for r in range(5, ws.max_row + 1) if ws.cell(r, 1).value}


def fill(ws, tester: str, results: dict[str, tuple]) -> None:
    """results: task id -> (success, minutes, assistive technology, satisfaction, barrier items, note)."""
    ws["B2"] = tester
    rows = _rows(ws)
    for task, values in results.items():
        for key, value in zip(COLUMNS, values, strict=False):
            ws[f"{COLUMNS[key]}{rows[task]}"] = value


def copy_sheet(wb, name: str, new_title: str):
    ws = wb.copy_worksheet(wb[name])
    ws.title = new_title
    return ws


# Eleven attempts by five testers:
#   blind U1:    P01-navigate yes 5 · P01-images no 1 (1.1.1) · P02-form partial 3 (3.3.2) · P03-table yes 4
#   blind U2:    P01-navigate yes 4 · P05-login no 2 (no item named)
#   physical P1: P01-navigate yes 5 · P02-form yes 5 · P04-media yes 4
#   hearing H1:  P01-navigate yes 3 · P04-media partial 2 (1.2.1)
RESULTS = {
    ("blind", "U1"): {
        "P01-navigate": ("yes", 2.5, "센스리더", 5),
        "P01-images": ("no", "4:30", "NVDA", 1, "1.1.1", "배너 대체 텍스트가 내용을 전하지 않음"),
        "P02-form": ("부분 성공", 6, "sense-reader", 3, "3.3.2", "전화번호 칸 이름을 읽지 않음"),
        "P03-table": ("yes", 3, "센스리더", 4),
    },
    ("blind", "U2"): {
        "P01-navigate": ("yes", 2, "VoiceOver", 4),
        "P05-login": ("실패", 10, "voiceover", 2, None, "로그인 버튼을 찾지 못함"),
    },
    ("physical", "P1"): {
        "P01-navigate": ("yes", 1.5, "키보드만", 5),
        "P02-form": ("yes", 4, "keyboard only", 5),
        "P04-media": ("yes", 2, "스위치", 4),
    },
    ("hearing", "H1"): {
        "P01-navigate": ("yes", 1, "없음", 3),
        "P04-media": ("부분성공", 5, "보청기·인공와우", 2, "5.2.1", "자막이 음성보다 늦음"),
    },
}


def _filled_workbook(store, run, tmp_path, name="tasks.xlsx"):
    path = tmp_path / name
    export_tasks(store, run, path)
    wb = load_workbook(path)
    copy_sheet(wb, "blind", "blind (2)")
    sheets = {("blind", "U1"): "blind", ("blind", "U2"): "blind (2)", ("physical", "P1"): "physical"}
    sheets[("hearing", "H1")] = "hearing"
    for key, results in RESULTS.items():
        fill(wb[sheets[key]], key[1], results)
    wb.save(path)
    return path


def test_tasks_follow_what_each_page_contains():
    tasks = generate_tasks(site(), seeds=[HOME])
    assert [t.id for t in tasks] == EXPECTED_TASKS
    form = next(t for t in tasks if t.id == "P02-form")
    assert form.page_url == APPLY and form.page_sheet == "P02"
    assert form.items == ("3.3.2", "1.3.3", "3.3.1", "3.3.4", "2.1.1", "2.1.2", "3.2.1")
    assert form.profiles == ("blind", "low-vision", "physical", "hearing", "cognitive")
    assert "양식" in form.goal_ko and "form" in form.goal_en
    # Two pages only: no site frame can be told apart, so the search box (#q) and the logo count.
    two = generate_tasks(site()[1:3])
    assert [t.id for t in two] == ["P01-navigate", "P01-form", "P02-navigate", "P02-board", "P02-table"]


def test_export_writes_one_validated_sheet_per_profile(store, add_run, tmp_path):
    run = add_run(site())
    summary = export_tasks(store, run, tmp_path / "tasks.xlsx")
    assert (summary.tasks, summary.pages, summary.pages_without_tasks, summary.prefilled) == (12, 5, 0, 0)
    wb = load_workbook(tmp_path / "tasks.xlsx")
    assert wb.sheetnames == [
        "about",
        "tasks",
        "lists",
        "blind",
        "low-vision",
        "physical",
        "hearing",
        "cognitive",
    ]
    assert wb["lists"].sheet_state == "hidden"
    index = list(wb["tasks"].iter_rows(values_only=True))
    assert index[0][:5] == ("task", "page", "url", "title", "template")
    assert [r[0] for r in index[1:]] == EXPECTED_TASKS
    assert index[5][7] == "3.3.2, 1.3.3, 3.3.1, 3.3.4, 2.1.1, 2.1.2, 3.2.1"
    blind = wb["blind"]
    assert (blind["A1"].value, blind["B1"].value) == ("profile", "blind")
    assert [c.value for c in blind[4]] == [
        "task",
        "page",
        "goal",
        "items",
        "success",
        "minutes",
        "assistive_technology",
        "satisfaction",
        "barrier_items",
        "barrier_note",
    ]
    assert blind["A5"].value == "P01-navigate" and blind["B5"].value == HOME
    validations = {str(dv.sqref): dv for dv in blind.data_validations.dataValidation}
    assert set(validations) == {"E5:E16", "F5:F16", "G5:G16", "H5:H16"}
    assert validations["E5:E16"].formula1 == "lists!$A$2:$A$7"
    assert (validations["H5:H16"].type, validations["H5:H16"].formula1, validations["H5:H16"].formula2) == (
        "whole",
        "1",
        "5",
    )
    lists = wb["lists"]
    assert [lists.cell(r, 1).value for r in range(2, 8)] == [
        "yes",
        "partial",
        "no",
        "성공",
        "부분성공",
        "실패",
    ]
    at_column = validations["G5:G16"].formula1  # the blind profile's drop-down
    assert at_column == "lists!$B$2:$B$7"
    assert [lists.cell(r, 2).value for r in range(2, 8)] == [
        "센스리더",
        "NVDA",
        "JAWS",
        "VoiceOver",
        "TalkBack",
        "기타",
    ]


def test_round_trip_rates_means_and_barriers(store, add_run, tmp_path):
    run = add_run(site())
    # The expert found the home page's images fine (1.1.1 pass): the machine agreed.
    checklist = export_checklist(store, run, tmp_path / "checklist.xlsx")
    cwb = load_workbook(checklist)
    cwb["P01"]["B3"] = "김심사"
    cwb["P01"]["G5"] = "적합"  # row 5 is item 1.1.1
    cwb.save(checklist)
    import_verdicts(store, run, checklist)

    path = _filled_workbook(store, run, tmp_path)
    summary = import_results(store, run, path)
    assert (summary.attempts, summary.added, summary.changed, summary.unchanged) == (11, 11, 0, 0)
    assert summary.sheets == 6
    # Rows left empty: blind 12 + 12 (two sheets), low-vision 12, physical 12, hearing 12, cognitive 12
    # = 72 task rows, minus the 11 filled in.
    assert summary.not_attempted == 72 - 11

    r = user_review_results(store, run)
    o = r.overall
    # yes: U1 2 + U2 1 + P1 3 + H1 1 = 7; partial: U1 P02-form, H1 P04-media = 2; no: U1 P01-images, U2 = 2
    assert (o.attempts, o.yes, o.partial, o.no, o.testers) == (11, 7, 2, 2, 4)
    assert o.success_rate == pytest.approx(100 * 7 / 11)  # 63.6 %
    # satisfaction, all 11: 5 1 3 4 | 4 2 | 5 5 4 | 3 2 → 38 / 11
    assert o.satisfaction_mean == pytest.approx(38 / 11)
    assert o.satisfaction_n == 11
    # minutes: 2.5 4.5 6 3 | 2 10 | 1.5 4 2 | 1 5 → 41.5 / 11
    assert o.minutes_mean == pytest.approx(41.5 / 11)
    groups = {g.profile: g for g in r.profiles}
    blind, physical, hearing = groups["blind"], groups["physical"], groups["hearing"]
    # blind: 6 attempts, 3 yes → 50 %; satisfaction 5 1 3 4 4 2: mean 19/6,
    # squares 25+1+9+16+16+4 = 71, variance (71 - 6·(19/6)²) / 5 = (71 - 361/6) / 5 = 13/6
    assert (blind.attempts, blind.yes, blind.partial, blind.no, blind.testers) == (6, 3, 1, 2, 2)
    assert blind.success_rate == pytest.approx(50.0)
    assert blind.satisfaction_mean == pytest.approx(19 / 6)
    assert blind.satisfaction_sd == pytest.approx(math.sqrt(13 / 6))
    assert blind.satisfaction_n == 6
    assert (blind.tasks, blind.tasks_attempted) == (12, 5)  # P01-navigate twice counts once
    # physical: 3 of 3 → 100 %; 5 5 4: mean 14/3, variance (66 - 3·(14/3)²) / 2 = (2/3) / 2 = 1/3
    assert physical.success_rate == pytest.approx(100.0) and physical.meets_bar is True
    assert physical.satisfaction_mean == pytest.approx(14 / 3)
    assert physical.satisfaction_sd == pytest.approx(math.sqrt(1 / 3))
    # hearing: 1 of 2 → 50 %; 3 2: mean 2.5, variance 0.5
    assert hearing.success_rate == pytest.approx(50.0)
    assert hearing.satisfaction_sd == pytest.approx(math.sqrt(0.5))
    assert groups["cognitive"].attempts == 0 and groups["cognitive"].success_rate is None
    assert r.missing_required_profiles == []  # blind, physical, hearing all have results
    assert (r.verdict, r.verdict_every_profile, r.success_bar) == ("fail", "fail", 100.0)

    # Barriers against KWCAG items, beside the machine and the expert on the same page.
    barriers = {b.item: b for b in r.barriers}
    assert list(barriers) == ["1.1.1", "1.2.1", "3.3.2"]  # registry order; "5.2.1" was read as 1.2.1
    alt = barriers["1.1.1"]
    assert (alt.reports, alt.reports_in_failed_tasks, alt.profiles) == (1, 1, ["blind"])
    assert alt.machine == {HOME: "pass"} and alt.expert == {HOME: "pass"} and alt.missed_by_machine
    label = barriers["3.3.2"]
    assert label.machine == {APPLY: "fail"} and label.machine_violations == 1
    assert not label.missed_by_machine  # the machine found it too
    captions = barriers["1.2.1"]
    assert captions.machine == {MEDIA: "pass"} and captions.missed_by_machine
    missed = [
        (m.task_id, m.item, m.profile, m.tester, m.machine_status, m.expert_verdict)
        for m in r.missed_by_machine
    ]
    assert missed == [
        ("P01-images", "1.1.1", "blind", "U1", "pass", "pass"),
        ("P04-media", "1.2.1", "hearing", "H1", "pass", None),
    ]
    assert [(f.task_id, f.tester) for f in r.failed_without_items] == [("P05-login", "U2")]

    stored = {(a.task_id, a.profile, a.tester): a for a in attempts_for_run(store, run)}
    images = stored[("P01-images", "blind", "U1")]
    assert (images.minutes, images.assistive_tech, images.satisfaction) == (4.5, "nvda", 1)
    assert stored[("P04-media", "hearing", "H1")].assistive_tech == "hearing-aid"
    assert stored[("P04-media", "hearing", "H1")].barrier_items == ("1.2.1",)
    assert stored[("P05-login", "blind", "U2")].page_url == LOGIN

    # Half credit for partial successes (another configuration file): (7 + 0.5·2) / 11
    half = tmp_path / "half.yaml"
    half.write_text(BUNDLED.replace("partial_credit: 0\n", "partial_credit: 0.5\n"), encoding="utf-8")
    assert user_review_results(store, run, load_user_review_config(str(half))).overall.success_rate == (
        pytest.approx(100 * 8 / 11)
    )


def test_import_is_idempotent_and_updates_a_changed_cell(store, add_run, tmp_path):
    run = add_run(site())
    path = _filled_workbook(store, run, tmp_path)
    import_results(store, run, path)
    again = import_results(store, run, path)
    assert (again.added, again.changed, again.unchanged) == (0, 0, 11)
    wb = load_workbook(path)
    rows = _rows(wb["hearing"])
    wb["hearing"][f"E{rows['P04-media']}"] = "yes"
    wb["hearing"][f"I{rows['P04-media']}"] = None
    wb.save(path)
    changed = import_results(store, run, path)
    assert (changed.added, changed.changed, changed.unchanged) == (0, 1, 10)
    assert len(attempts_for_run(store, run)) == 11
    r = user_review_results(store, run)
    assert r.overall.success_rate == pytest.approx(100 * 8 / 11)
    assert [m.item for m in r.missed_by_machine] == ["1.1.1"]
    # A re-export writes the stored results back, one sheet per stored tester.
    summary = export_tasks(store, run, tmp_path / "again.xlsx")
    assert summary.prefilled == 11
    assert summary.profile_sheets == ["blind", "blind (2)", "low-vision", "physical", "hearing", "cognitive"]
    wb2 = load_workbook(tmp_path / "again.xlsx")
    assert wb2["blind (2)"]["B2"].value == "U2"
    rows2 = _rows(wb2["blind"])
    assert wb2["blind"][f"G{rows2['P01-images']}"].value == "NVDA"
    assert wb2["blind"][f"F{rows2['P01-images']}"].value == 4.5
    reimport = import_results(store, run, tmp_path / "again.xlsx")
    assert (reimport.added, reimport.changed, reimport.unchanged) == (0, 0, 11)


def test_broken_workbook_names_sheet_and_cell_and_stores_nothing(store, add_run, tmp_path):
    run = add_run(site())
    good = _filled_workbook(store, run, tmp_path, "good.xlsx")
    import_results(store, run, good)
    before = attempts_for_run(store, run)
    broken = tmp_path / "broken.xlsx"
    shutil.copy(good, broken)
    wb = load_workbook(broken)
    blind, physical = wb["blind"], wb["physical"]
    rows = _rows(blind)
    blind[f"E{rows['P01-navigate']}"] = "no"  # a good change, which must not be stored either
    blind[f"E{rows['P03-navigate']}"] = "maybe"
    blind[f"H{rows['P03-board']}"] = 6
    blind[f"E{rows['P03-board']}"] = "yes"
    blind[f"H{rows['P04-navigate']}"] = 3.5
    blind[f"E{rows['P04-navigate']}"] = "yes"
    blind[f"F{rows['P04-media']}"] = -1
    blind[f"E{rows['P04-media']}"] = "yes"
    blind[f"G{rows['P05-navigate']}"] = "텔레파시"
    blind[f"E{rows['P05-navigate']}"] = "no"
    blind[f"I{rows['P05-navigate']}"] = "1.1.1, 9.9.9"
    blind[f"J{rows['P02-navigate']}"] = "메모만 적음"  # a note without a success value
    blind.cell(17, 1, "P09-nothing").offset(0, 4).value = "yes"  # unknown task
    wb["hearing"]["B1"] = "martian"
    physical["B2"] = None  # results without a tester
    wb.save(broken)
    with pytest.raises(AuditError) as info:
        import_results(store, run, broken)
    message = str(info.value)
    # Rows of the blind sheet: P01-navigate 5, P01-images 6, P01-new-window 7, P02-navigate 8,
    # P02-form 9, P03-navigate 10, P03-board 11, P03-table 12, P04-navigate 13, P04-media 14,
    # P05-navigate 15, P05-login 16.
    assert (rows["P03-navigate"], rows["P05-login"]) == (10, 16)
    expected = [
        "sheet 'blind' cell E10: success 'maybe' is not yes, partial or no",
        "sheet 'blind' cell E8: results without a success value (yes, partial or no)",
        "sheet 'blind' cell H11: satisfaction 6 is not a whole number from 1 to 5",
        "sheet 'blind' cell H13: satisfaction 3.5 is not a whole number from 1 to 5",
        "sheet 'blind' cell F14: time -1 is outside 0–240 minutes",
        "sheet 'blind' cell G15: assistive technology '텔레파시' is not in the list",
        "sheet 'blind' cell I15: unknown KWCAG item '9.9.9'",
        "sheet 'blind' cell A17: unknown task 'P09-nothing'",
        "sheet 'hearing' cell B1: unknown profile 'martian'",
        "sheet 'physical' cell B2: results without a tester pseudonym",
    ]
    for line in expected:
        assert line in message
    assert f"{len(expected)} problem(s); nothing was imported" in message
    assert attempts_for_run(store, run) == before


def test_the_same_tester_twice_and_unreadable_files_are_refused(store, add_run, tmp_path):
    run = add_run(site())
    path = tmp_path / "t.xlsx"
    export_tasks(store, run, path)
    wb = load_workbook(path)
    fill(wb["blind"], "U1", {"P01-navigate": ("yes",)})
    twin = copy_sheet(wb, "blind", "blind (2)")  # the same tester twice
    twin["B2"] = "U1"
    wb.save(path)
    with pytest.raises(AuditError, match=r"sheet 'blind \(2\)' cell A5: task P01-navigate of tester 'U1'"):
        import_results(store, run, path)
    not_xlsx = tmp_path / "n.xlsx"
    not_xlsx.write_text("not a workbook")
    with pytest.raises(AuditError, match="not a readable .xlsx workbook"):
        import_results(store, run, not_xlsx)
    with pytest.raises(AuditError, match="no such file"):
        import_results(store, run, tmp_path / "missing.xlsx")


def test_combined_view_keeps_the_stages_apart(store, add_run, tmp_path):
    run = add_run(site())
    assert user_review_summary(store, run) is None  # no user results: no report section
    empty = combined_view(store, run)
    user_stage = next(s for s in empty.stages if s.stage == "user")
    assert user_stage.verdict == "not_done" and user_stage.n == 0
    path = _filled_workbook(store, run, tmp_path)
    import_results(store, run, path)
    view = combined_view(store, run)
    expert, user = view.stages
    assert (expert.stage, user.stage) == ("expert", "user")
    estimate = score_run(store, run).estimate  # the expert stage is the certification estimate, as is
    assert (expert.value_lower, expert.value_upper) == (estimate.mean_lower, estimate.mean_upper)
    assert expert.readings == {
        "mean ≥ 95": estimate.verdict_mean,
        "every item ≥ 95": estimate.verdict_every_item,
    }
    assert expert.bar == 95 and expert.n == 5
    assert user.value_lower == pytest.approx(100 * 7 / 11) and user.bar == 100 and user.n == 11
    assert user.verdict == "fail"
    assert "user" in view.failing_stages and not view.all_stages_pass
    assert "user stage: fail (63.6 against 100)" in view.statement_en
    # With a 60 % bar the user stage passes overall but not for every profile (blind 50 %, hearing 50 %).
    relaxed = user_review_results(store, run, bar=60)
    assert (relaxed.verdict, relaxed.verdict_every_profile) == ("pass", "fail")
    low = user_review_results(store, run, bar=50)
    assert (low.verdict, low.verdict_every_profile) == ("pass", "pass")
    summary = user_review_summary(store, run)
    assert summary is not None and summary.results.overall.attempts == 11
    assert summary.profile_names["blind"]["en"] == "Blind screen-reader users"


def test_missing_required_profile_leaves_a_passing_stage_incomplete(store, add_run, tmp_path):
    run = add_run(site())
    path = tmp_path / "t.xlsx"
    export_tasks(store, run, path)
    wb = load_workbook(path)
    fill(wb["blind"], "U1", {"P01-navigate": ("yes", 2, "NVDA", 5), "P02-form": ("yes", 3, "NVDA", 4)})
    wb.save(path)
    import_results(store, run, path)
    r = user_review_results(store, run)
    assert r.overall.success_rate == pytest.approx(100.0)
    assert r.missing_required_profiles == ["physical", "hearing"]
    assert r.verdict == "incomplete"
    view = combined_view(store, run, r)
    assert view.stages[1].verdict == "incomplete" and "user" not in view.failing_stages


def test_tasks_for_run_skip_pages_that_failed_to_load(store, add_run):
    pages = site()
    pages[2].error = "net::ERR_CONNECTION_REFUSED"
    run = add_run(pages)
    ids = [t.id for t in tasks_for_run(store, run)]
    assert ids[:3] == ["P01-navigate", "P01-images", "P01-new-window"]
    assert "P03-board" not in ids and ids[-1] == "P04-login"  # the login page is now the fourth
    assert BOARD not in {t.page_url for t in tasks_for_run(store, run)}


def test_another_configuration_restricts_a_template_to_some_profiles(store, add_run, tmp_path):
    text = BUNDLED.replace(
        "  - id: media\n    when:", "  - id: media\n    profiles: [hearing, blind]\n    when:"
    ).replace("success_bar: 100\n", "success_bar: 95\n")
    path = tmp_path / "mine.yaml"
    path.write_text(text, encoding="utf-8")
    cfg = load_user_review_config(str(path))
    assert cfg.success_bar == 95
    run = add_run(site())
    media = next(t for t in tasks_for_run(store, run, cfg) if t.template == "media")
    assert media.profiles == ("hearing", "blind")
    summary = export_tasks(store, run, tmp_path / "t.xlsx", cfg)
    wb = load_workbook(summary.file)
    assert "P04-media" not in _rows(wb["physical"]) and "P04-media" in _rows(wb["hearing"])
    ws = wb["physical"]
    ws["B2"] = "P1"
    ws.cell(17, 1, "P04-media").offset(0, 4).value = "yes"
    wb.save(summary.file)
    with pytest.raises(
        AuditError, match=r"sheet 'physical' cell A17: task P04-media is not a task for profile physical"
    ):
        import_results(store, run, Path(summary.file), cfg)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("success_bar: 100", "success_bar: 120"), "success_bar 120 must be above 0 and at most 100"),
        (
            ('items: ["1.3.1", "1.3.2", "1.4.1"]', 'items: ["1.3.1", "9.9.9"]'),
            "unknown KWCAG items ['9.9.9']",
        ),
        (("  - {id: other, label: 기타, en: other}\n", ""), "must include an entry with id 'other'"),
        (("partial_credit: 0\n", "partial_credit: 2\n"), "partial_credit 2 must be between 0 and 1"),
    ],
)
def test_a_broken_configuration_is_a_clear_error(tmp_path, change, message):
    assert change[0] in BUNDLED
    path = tmp_path / "bad.yaml"
    path.write_text(BUNDLED.replace(change[0], change[1]), encoding="utf-8")
    with pytest.raises(AuditError, match=re.escape(message)):
        load_user_review_config(str(path))
