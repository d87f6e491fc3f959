"""Every KWCAG check on its fixture page, in the real Chromium, against fixtures/expected.yaml."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import yaml
from audit_site import FIXTURES, by_rule

from a11y_audit.rules import load_registry

EXPECTED = yaml.safe_load((FIXTURES / "expected.yaml").read_text(encoding="utf-8"))
REGISTRY = load_registry()
MANUAL_ITEMS = [it.id for it in REGISTRY.items if it.automation == "manual"]


@pytest.mark.browser
@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_fixture_page_gives_the_expected_findings(audit, page):
    spec = EXPECTED[page]
    result = audit(page)
    assert result.error is None
    for check, outcomes in spec.get("checks", {}).items():
        want = {k: sorted(v, key=lambda s: (s is None, s or "")) for k, v in outcomes.items()}
        assert by_rule(result, check) == want, check
    for item, status in (spec.get("items") or {}).items():
        assert result.item_status[item] == status, item
    if "markup" in spec:
        got = [
            [f.data["code"], f.data["line"], f.data["column"]]
            for f in result.findings
            if f.rule_id == "kwcag-markup" and f.outcome == "violation"
        ]
        assert got == spec["markup"]


@pytest.mark.browser
@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_item_statuses_follow_the_findings(audit, page):
    """pass only with a decisive pass and nothing failing or open; manual items stay manual."""
    result = audit(page)
    assert set(result.item_status) == {it.id for it in REGISTRY.items}
    for item in MANUAL_ITEMS:
        assert result.item_status[item] == "manual"
    for item, status in result.item_status.items():
        mine = [f for f in result.findings if item in f.kwcag]
        decisive_pass = [f for f in mine if f.outcome == "pass" and REGISTRY.is_decisive(f.rule_id)]
        open_or_failed = [f for f in mine if f.outcome in ("violation", "incomplete")]
        if status == "pass":
            assert decisive_pass and not open_or_failed, item
        if status == "fail":
            assert any(f.outcome == "violation" and REGISTRY.is_decisive(f.rule_id) for f in mine), item


@pytest.mark.browser
def test_findings_carry_everything_a_report_needs(audit):
    result = audit("alt.html")
    generic = next(
        f for f in result.findings if f.rule_id == "kwcag-alt-quality" and f.selector == "#alt-generic-ko"
    )
    assert generic.source == "kwcag"
    assert generic.outcome == "violation"
    assert generic.impact == "serious"
    assert generic.kwcag == ["1.1.1"]
    assert generic.wcag == ["1.1.1"]
    assert generic.snippet.startswith('<img id="alt-generic-ko"')
    assert "이미지" in generic.message_ko and "generic word" in generic.message_en
    assert generic.help_url == "https://nia-a11y.github.io/kwcag22tech/1/1/1"
    axe_alt = next(f for f in result.findings if f.rule_id == "image-alt" and f.selector == "#alt-good")
    assert (axe_alt.source, axe_alt.outcome, axe_alt.kwcag, axe_alt.wcag) == (
        "axe",
        "pass",
        ["1.1.1"],
        ["1.1.1"],
    )
    assert axe_alt.message_ko.startswith("[1.1.1 적절한 대체 텍스트 제공] 통과: ")
    assert axe_alt.help_url.startswith("https://dequeuniversity.com/rules/axe/")
    # One selector per element whatever found it: axe and ddkit agree, so a content is counted once.
    ours = {f.selector for f in result.findings if f.rule_id == "kwcag-alt-quality"}
    axes = {f.selector for f in result.findings if f.rule_id == "image-alt"}
    assert {"#alt-good", "#alt-generic-ko"} <= ours & axes


@pytest.mark.browser
def test_markup_findings_point_at_line_and_column(audit):
    result = audit("markup.html")
    dup = next(f for f in result.findings if f.data.get("code") == "duplicate-attribute")
    assert dup.message_en == "<div> declares the attribute class more than once."
    assert dup.snippet == '<div id="m-dup-attr" class="box" class="wide">속성 중복</div>'
    dup_id = next(f for f in result.findings if f.data.get("code") == "duplicate-id")
    assert (dup_id.data["id"], dup_id.data["first_line"]) == ("m-dup-id", 8)
    unclosed = next(
        f for f in result.findings if f.data.get("kind") == "unclosed" and "section" in f.message_en
    )
    assert unclosed.data["found_at"] == {"line": 18, "column": 1}


class _Marks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.marks: set[tuple[str, str, str]] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("data-expect"):
            check, outcome = a["data-expect"].split(":")
            self.marks.add((check, outcome, f"#{a['id']}" if a.get("id") else tag))


@pytest.mark.parametrize("page", sorted(EXPECTED))
def test_fixture_marks_match_the_expected_file(page):
    parser = _Marks()
    parser.feed((FIXTURES / page).read_text(encoding="utf-8"))
    listed = {
        (check, outcome, sel)
        for check, outcomes in EXPECTED[page].get("checks", {}).items()
        for outcome, sels in outcomes.items()
        for sel in sels
        if sel is not None
    }
    assert parser.marks == listed
