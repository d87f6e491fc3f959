"""The codebook is data, checked on load; errors name the file and the key path."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from gap_survey.codebook import CodebookError, default_codebook_path, load_codebook


def test_default_codebook_has_40_items_and_the_published_groups(codebook):
    assert [len(c.items) for c in codebook.components.values()] == [6, 14, 20]
    assert len(codebook.item_columns()) == 40
    assert codebook.reference_group == "general"
    assert codebook.index_groups == ("disabled", "low_income", "farmers_fishers", "elderly")
    surveyed = [g for g, spec in codebook.groups.items() if spec.role == "surveyed"]
    assert surveyed == ["marriage_migrants", "nk_defectors"]
    elderly = codebook.groups["elderly"].where
    assert [(c.variable, c.codes, c.min) for c in elderly] == [
        ("sample_type", (1,), None),
        ("age", None, 55.0),
    ]
    points = codebook.components["competency"].items[0].points
    assert points == {1: 0.0, 2: pytest.approx(100 / 3), 3: pytest.approx(200 / 3), 4: 100.0}
    assert codebook.components["access"].missing_codes == frozenset({9})
    assert len(codebook.sha256) == 64


def test_default_codebook_says_what_is_assumed():
    text = default_codebook_path().read_text(encoding="utf-8")
    assert "OUR ASSUMPTION" in text
    assert "not published" in text


def _write(tmp_path: Path, raw: dict) -> Path:
    path = tmp_path / "cb.yaml"
    path.write_text(yaml.safe_dump(raw), encoding="utf-8")
    return path


def _raw() -> dict:
    return yaml.safe_load(default_codebook_path().read_text(encoding="utf-8"))


def test_unknown_scale_names_the_key_path(tmp_path):
    raw = _raw()
    raw["components"]["access"]["items"][2]["scale"] = "five_point"
    with pytest.raises(
        CodebookError, match=r"components\.access\.items\[2\]\.scale: unknown scale 'five_point'"
    ):
        load_codebook(_write(tmp_path, raw))


def test_two_reference_groups_are_refused(tmp_path):
    raw = _raw()
    raw["groups"]["disabled"]["role"] = "reference"
    with pytest.raises(CodebookError, match="exactly one group must have role 'reference'"):
        load_codebook(_write(tmp_path, raw))


def test_group_code_must_be_declared(tmp_path):
    raw = _raw()
    raw["groups"]["disabled"]["where"]["sample_type"] = [7]
    with pytest.raises(
        CodebookError, match=r"groups\.disabled\.where\.sample_type: code 7 is not among the codes"
    ):
        load_codebook(_write(tmp_path, raw))


def test_points_outside_0_100_are_refused(tmp_path):
    raw = _raw()
    raw["scales"]["yes_no"]["points"] = {1: 120, 2: 0}
    with pytest.raises(CodebookError, match=r"scales\.yes_no\.points\.1: points must lie in 0-100"):
        load_codebook(_write(tmp_path, raw))


def test_yaml_syntax_error_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("codebook_version: x\ndesign: [unclosed\n", encoding="utf-8")
    with pytest.raises(CodebookError, match=r"broken\.yaml is not valid YAML at line \d+, column \d+"):
        load_codebook(path)


def test_missing_codebook_file(tmp_path):
    with pytest.raises(CodebookError, match="does not exist") as info:
        load_codebook(tmp_path / "nope.yaml")
    assert "ddkit survey codebook --out" in info.value.hint


def test_replicate_weights_by_prefix_resolve_in_numeric_order(tmp_path):
    raw = _raw()
    raw["design"]["replicate_weights"] = {"prefix": "rw_", "type": "jk1"}
    cb = load_codebook(_write(tmp_path, raw))
    assert cb.replicate_columns(["rw_10", "x", "rw_2", "rw_1"]) == ("rw_1", "rw_2", "rw_10")
    raw["design"]["replicate_weights"] = {"prefix": "rw_", "type": "jkn"}
    with pytest.raises(CodebookError, match="needs 'scale' and/or 'rscales'"):
        load_codebook(_write(tmp_path, raw))
