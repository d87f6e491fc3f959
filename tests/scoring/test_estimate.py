"""The certification estimate on hand-made evidence whose rates are worked out here by hand."""

from __future__ import annotations

import pytest

from a11y_audit.models import Finding, PageResult
from a11y_audit.rules import load_registry
from a11y_audit.scoring import PageEvidence, estimate, load_ruleset
from a11y_audit.scoring.estimate import evidence_from_page

REGISTRY = load_registry()


def _statuses(**overrides: str) -> dict[str, str]:
    """Every item inapplicable except manual-only items (manual), then the overrides (1_1_1 → 1.1.1)."""
    base = {it.id: ("manual" if it.automation == "manual" else "inapplicable") for it in REGISTRY.items}
    base.update({k.replace("_", "."): v for k, v in overrides.items()})
    return base


def _pages() -> list[PageEvidence]:
    return [
        PageEvidence(
            "A",
            _statuses(**{"1_1_1": "fail", "3_1_1": "pass", "2_4_1": "fail"}),
            contents={"1.1.1": {"#img1": "pass", "#img2": "fail"}},
        ),
        PageEvidence(
            "B",
            _statuses(**{"1_1_1": "review", "3_1_1": "pass", "2_4_1": "pass"}),
            contents={"1.1.1": {"#img3": "review"}},
        ),
        PageEvidence("C", _statuses(**{"3_1_1": "review", "2_4_1": "pass"})),
        PageEvidence("D", _statuses(**{"3_1_1": "pass", "2_4_1": "pass"})),
    ]


def test_rates_bounds_and_verdicts_by_hand():
    est = estimate(_pages())
    assert est.pages == 4
    alt = est.item("1.1.1")
    # 3 contents on 4 pages: denominator max(4, 3) = 4, one page-without-content unit counts as compliant.
    assert (alt.unit, alt.units) == ("content", 4)
    assert alt.lower == pytest.approx(50.0)  # img1 + surplus = 2 of 4
    assert alt.upper == pytest.approx(75.0)  # img1 + img3 + surplus = 3 of 4
    lang = est.item("3.1.1")
    assert (lang.lower, lang.upper) == (pytest.approx(75.0), pytest.approx(100.0))
    assert lang.review_pages == ["C"]
    skip = est.item("2.4.1")
    assert (skip.lower, skip.upper) == (pytest.approx(75.0), pytest.approx(75.0))
    assert skip.failing_pages == ["A"]
    assert est.mean_lower == pytest.approx((50 + 75 + 75) / 3)
    assert est.mean_upper == pytest.approx((75 + 100 + 75) / 3)
    assert est.min_lower == pytest.approx(50.0)
    assert est.below_threshold == ["1.1.1", "2.4.1", "3.1.1"]
    assert est.verdict_mean == "fail"
    assert est.verdict_every_item == "fail"
    manual = sorted(it.id for it in REGISTRY.items if it.automation == "manual")
    assert sorted(est.not_assessed) == manual
    assert len(est.not_applicable) == 33 - 3 - len(manual)
    assert "not a certification" in est.disclaimer_en


def test_reviewer_verdicts_decide_review_items_and_manual_items():
    pages = _pages()
    pages[1].verdicts["1.1.1"] = "pass"  # the reviewer accepts img3's alt text
    pages[2].verdicts["3.1.1"] = "pass"
    for ev in pages:
        ev.verdicts["1.3.3"] = "pass"
    pages[3].verdicts["1.3.3"] = "fail"
    est = estimate(pages)
    assert est.item("1.1.1").lower == pytest.approx(75.0)
    assert est.item("1.1.1").upper == pytest.approx(75.0)
    assert est.item("3.1.1").lower == pytest.approx(100.0)
    instructions = est.item("1.3.3")
    assert instructions.state == "scored" and instructions.reviewed
    assert instructions.lower == pytest.approx(75.0)
    assert "1.3.3" not in est.not_assessed


def test_undecided_mean_verdict_when_bounds_straddle_the_threshold():
    pages = [PageEvidence(str(i), _statuses(**{"3_1_1": "pass"})) for i in range(19)]
    pages.append(PageEvidence("19", _statuses(**{"3_1_1": "review"})))
    est = estimate(pages)
    assert est.item("3.1.1").lower == pytest.approx(95.0)
    assert est.verdict_mean == "pass"
    pages[0].item_status["3.1.1"] = "review"
    est = estimate(pages)
    assert est.item("3.1.1").lower == pytest.approx(90.0)
    assert est.item("3.1.1").upper == pytest.approx(100.0)
    assert est.verdict_mean == "undecided"


def test_ruleset_is_versioned_data_with_the_four_content_items():
    rs = load_ruleset()
    assert rs.id == "kwcag22-cert-2024.09"
    assert rs.content_items == {"1.1.1", "1.2.1", "1.3.1", "3.3.2"}
    assert rs.pass_threshold == 95


def test_table_header_cells_are_parts_of_their_table_not_contents():
    def cell(rule: str, outcome: str, selector: str) -> Finding:
        return Finding(rule, "axe", outcome, None, ["1.3.1"], ["1.3.1"], selector, "<th>", "", "")

    table_ok = cell("th-has-data-cells", "pass", "#t1")
    headers_ok = [cell("empty-table-header", "pass", f"#t1 th:nth-child({n})") for n in (1, 2, 3)]
    # Three passing header cells of one good table: one content, not four.
    one = evidence_from_page(PageResult("A", findings=[table_ok, *headers_ok]))
    assert one.contents["1.3.1"] == {"#t1": "pass"}
    # A doubtful cell (scope-attr-valid is advisory: review) makes each table of its page doubtful.
    doubtful = cell("scope-attr-valid", "violation", "th:nth-child(2)")
    other = cell("td-headers-attr", "pass", "#t2")
    two = evidence_from_page(PageResult("B", findings=[table_ok, other, *headers_ok, doubtful]))
    assert two.contents["1.3.1"] == {"#t1": "review", "#t2": "review"}
    # Cells flagged on a page where no rule looked at a table form one content.
    alone = evidence_from_page(PageResult("C", findings=[doubtful]))
    assert alone.contents["1.3.1"] == {"(parts)": "review"}
