"""Item statuses from findings, worked out by hand."""

from __future__ import annotations

import pytest

from a11y_audit.checks.cross_page import apply_title_uniqueness
from a11y_audit.models import Finding, PageResult
from a11y_audit.page_summary import item_statuses, summarise, violations_at_or_above
from a11y_audit.rules import load_registry

REGISTRY = load_registry()


def f(rule, outcome, item, impact="serious", selector="#x"):
    return Finding(rule, "axe", outcome, impact, [item] if item else [], [], selector, None, "", "")


@pytest.mark.parametrize(
    ("findings", "item", "status"),
    [
        ([], "1.1.1", "manual"),  # nothing ran: never pass
        ([f("image-alt", "pass", "1.1.1")], "1.1.1", "pass"),
        ([f("image-alt", "pass", "1.1.1"), f("image-alt", "violation", "1.1.1")], "1.1.1", "fail"),
        ([f("image-alt", "pass", "1.1.1"), f("image-alt", "incomplete", "1.1.1")], "1.1.1", "review"),
        (
            [f("image-alt", "pass", "1.1.1"), f("image-redundant-alt", "violation", "1.1.1")],
            "1.1.1",
            "review",
        ),
        ([f("image-redundant-alt", "pass", "1.1.1")], "1.1.1", "manual"),  # advisory pass alone
        ([f("kwcag-char-shortcut", "pass", "2.1.4")], "2.1.4", "manual"),  # non-decisive check
        ([f("kwcag-char-shortcut", "violation", "2.1.4")], "2.1.4", "review"),
        (
            [f("accesskeys", "inapplicable", "2.1.4"), f("kwcag-char-shortcut", "inapplicable", "2.1.4")],
            "2.1.4",
            "inapplicable",
        ),
        ([f("image-alt", "inapplicable", "1.1.1"), f("kwcag-alt-quality", "pass", "1.1.1")], "1.1.1", "pass"),
        ([f("region", "violation", "2.4.1"), f("kwcag-skip-link", "violation", "2.4.1")], "2.4.1", "fail"),
    ],
)
def test_item_status(findings, item, status):
    assert item_statuses(findings, REGISTRY)[item] == status


def test_manual_items_are_manual_even_with_findings_elsewhere():
    statuses = item_statuses([f("image-alt", "pass", "1.1.1")], REGISTRY)
    assert [k for k, v in statuses.items() if v == "manual" and k in ("1.3.3", "1.4.4", "2.4.4")] == [
        "1.3.3",
        "1.4.4",
        "2.4.4",
    ]
    assert len(statuses) == 33


def test_fail_on_counts_only_decisive_violations_at_or_above_the_level():
    page = PageResult(
        url="http://x/",
        findings=[
            f("image-alt", "violation", "1.1.1", "critical"),
            f("color-contrast", "violation", "1.4.3", "serious"),
            f("kwcag-markup", "violation", "4.1.1", "moderate"),
            f("region", "violation", "2.4.1", "moderate"),  # advisory: review only
            f("landmark-unique", "violation", None, "critical"),  # best practice only
            f("image-alt", "incomplete", "1.1.1", "critical"),
        ],
    )
    assert [violations_at_or_above([page], lvl) for lvl in ("minor", "moderate", "serious", "critical")] == [
        3,
        3,
        2,
        1,
    ]


def test_summary_counts_pages_and_findings():
    a = PageResult(url="a", findings=[f("image-alt", "violation", "1.1.1"), f("image-alt", "pass", "1.1.1")])
    b = PageResult(url="b", findings=[f("image-alt", "pass", "1.1.1")])
    c = PageResult(url="c", error="HTTP 404 Not Found")
    for p in (a, b):
        p.item_status = item_statuses(p.findings, REGISTRY)
    s = summarise([a, b, c], REGISTRY)
    assert (s.pages, s.pages_with_errors) == (3, 1)
    alt = s.item("1.1.1")
    assert (alt.status, alt.pages, alt.violations, alt.passes) == ("fail", {"fail": 1, "pass": 1}, 1, 2)
    assert s.findings == {"violation": 1, "pass": 2}


def _page(url, title):
    p = PageResult(url=url, final_url=url, title=title, findings=[f("document-title", "pass", "2.4.2")])
    p.item_status = item_statuses(p.findings, REGISTRY)
    return p


def test_titles_shared_by_pages_are_violations():
    pages = [
        _page("http://s/1", "공지사항 | 부처"),
        _page("http://s/2", " 공지사항  |  부처"),
        _page("http://s/3", "소개 | 부처"),
    ]
    assert apply_title_uniqueness(pages, REGISTRY) == 2
    outcomes = [[x.outcome for x in p.findings if x.rule_id == "kwcag-title-unique"] for p in pages]
    assert outcomes == [["violation"], ["violation"], ["pass"]]
    assert pages[0].item_status["2.4.2"] == "fail" and pages[2].item_status["2.4.2"] == "pass"
    dup = next(x for x in pages[0].findings if x.rule_id == "kwcag-title-unique")
    assert dup.data["same_title"] == ["http://s/2"]
    assert (
        dup.message_en
        == "Page title '공지사항 | 부처' is the same on 2 audited pages: each page needs its own title."
    )


def test_a_single_page_gets_no_title_uniqueness_finding():
    pages = [_page("http://s/1", "공지사항"), _page("http://s/1", "공지사항")]  # the same page twice
    assert apply_title_uniqueness(pages, REGISTRY) == 0
    assert not [x for p in pages for x in p.findings if x.rule_id == "kwcag-title-unique"]
