"""Rendering core: safe links, language tags, formats, atomic writes, reproducible output."""

from __future__ import annotations

import pytest

from reports.errors import ReportError
from reports.i18n import translator
from reports.render import (
    data_fingerprint,
    format_number,
    format_percent,
    lang_attr,
    now_utc,
    render_template,
    safe_href,
    write_html,
)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://www.gov.kr/a?b=1", "https://www.gov.kr/a?b=1"),
        ("http://x.kr/", "http://x.kr/"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//evil.example/", None),
        ("https://x.kr/\nSet-Cookie", None),
        ("", None),
        (None, None),
    ],
)
def test_only_plain_http_urls_become_links(url, expected):
    assert safe_href(url) == expected


def test_language_tags_from_audited_pages_are_checked():
    assert lang_attr("ko") == "ko" and lang_attr("en-US") == "en-US"
    assert lang_attr('ko" onmouseover="x') is None and lang_attr("") is None and lang_attr(None) is None


def test_number_formats():
    t = translator("ko")
    assert format_number(1234.56, 1, t) == "1,234.6"
    assert format_number(1234, 0, t) == "1,234"
    assert format_number(float("nan"), 1, t) == "없음"
    assert format_percent(95.24, 1, t) == "95.2%"
    assert format_percent(None, 1, translator("en")) == "n/a"


def test_write_is_atomic_and_a_failure_is_a_clear_error(tmp_path):
    target = write_html("<p>one</p>", tmp_path / "sub" / "r.html")
    assert target.read_text(encoding="utf-8") == "<p>one</p>"
    assert [p.name for p in target.parent.iterdir()] == ["r.html"]  # no temporary file left
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ReportError, match="Cannot write the report"):
        write_html("<p/>", blocker / "r.html")


def test_source_date_epoch_fixes_the_report_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert now_utc().isoformat() == "2026-01-01T00:00:00+00:00"


def test_data_fingerprint_is_stable_and_sensitive():
    a = {"b": [1, 2], "a": "x"}
    assert data_fingerprint(a) == data_fingerprint({"a": "x", "b": [1, 2]})
    assert data_fingerprint(a) != data_fingerprint({"a": "x", "b": [1, 3]})


def test_templates_autoescape_every_value():
    from reports.render import Provenance

    html = render_template(
        "index.html.j2",
        "en",
        report_kind="index",
        page_title="<i>t</i>",
        provenance=Provenance(),
        toc=[],
        groups=[],
        others=["<img src=x onerror=alert(1)>.html"],
        folder="<b>",
    )
    assert "<i>t</i>" not in html and "&lt;i&gt;t&lt;/i&gt;" in html
    assert "<img src=x" not in html and "<b>" not in html
