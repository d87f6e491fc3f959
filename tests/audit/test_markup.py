"""KWCAG 4.1.1 from raw HTML: which parse errors count, and exactly where they are."""

from __future__ import annotations

from a11y_audit.checks.markup import check_markup


def _errors(html: str | bytes, ctype: str | None = None, **kw):
    body = html.encode() if isinstance(html, str) else html
    return check_markup(body, ctype, **kw)


def test_clean_html5_with_optional_end_tags_has_no_errors():
    report = _errors(
        "<!doctype html><html><head><title>t</title></head><body><p>a<p>b<ul><li>x<li>y</ul><br/></body></html>"
    )
    assert report.errors == [] and report.total == 0


def test_positions_are_one_based_at_the_start_of_the_tag():
    html = "<!doctype html>\n<body>\n  <b><i>x</b></i>\n  <span>y</div>\n</body>"
    got = [(e.kind, e.code, e.line, e.column, e.tag) for e in _errors(html).errors]
    assert got == [
        ("misnested", "adoption-agency-1.3", 3, 10, "b"),  # </b> starts in column 10
        ("misnested", "adoption-agency-1.2", 3, 14, "i"),
        ("unclosed", "expected-one-end-tag-but-got-another", 4, 3, "span"),  # where <span> opens
        ("unclosed", "end-tag-too-early", 4, 10, "div"),  # the stray </div>
    ]


def test_duplicate_attributes_name_the_attribute():
    report = _errors('<!doctype html><body>\n<input type="text" id="a" TYPE="search" class=x class=y>')
    (e,) = report.errors
    assert (e.kind, e.line, e.column, e.tag, e.data["attributes"]) == (
        "duplicate-attribute",
        2,
        1,
        "input",
        ["type", "class"],
    )


def test_duplicate_ids_point_at_both_places_and_ignore_template_content():
    html = '<!doctype html><body>\n<p id="x">1</p>\n<template><p id="x">t</p></template>\n<div id="x">2</div>\n<div id="y"></div>'
    (e,) = _errors(html).errors
    assert (e.kind, e.line, e.column, e.tag) == ("duplicate-id", 4, 1, "div")
    assert e.data == {"id": "x", "first_line": 2, "first_column": 1}


def test_unclosed_elements_at_the_end_are_reported_where_they_open():
    html = "<!doctype html><body>\n<main>\n<section>\n<p>text\n"
    got = [(e.code, e.line, e.column, e.tag) for e in _errors(html).errors]
    assert got == [
        ("expected-closing-tag-but-got-eof", 2, 1, "main"),
        ("expected-closing-tag-but-got-eof", 3, 1, "section"),
    ]


def test_irrelevant_parse_errors_are_left_out():
    # No doctype, a bare ampersand, a second <body>, content after </html>: not accessibility problems.
    html = "<html><body>Tom & Jerry<body class=x><p>ok</p></body></html><script>1</script>"
    assert _errors(html).errors == []


def test_the_declared_charset_is_used():
    body = '<!doctype html><meta charset="euc-kr"><body><p id="가">하나</p><p id="가">둘</p>'.encode("euc-kr")
    report = _errors(body, "text/html; charset=EUC-KR")
    assert report.encoding == "euc-kr"
    (e,) = report.errors
    assert e.data["id"] == "가" and "둘" in e.snippet


def test_an_unknown_charset_in_the_header_falls_back_to_sniffing():
    report = _errors("<!doctype html><body><p id=a></p><p id=a></p>", "text/html; charset=x-no-such")
    assert [e.kind for e in report.errors] == ["duplicate-id"]


def test_only_the_first_bytes_are_parsed_and_the_rest_is_counted():
    html = "<!doctype html><body>" + "<p>ok</p>" * 100 + "<b><i>x</b></i>"
    report = _errors(html, max_bytes=200)
    assert (report.size, report.checked, report.errors) == (len(html), 200, [])
    assert [e.code for e in _errors(html).errors] == ["adoption-agency-1.3", "adoption-agency-1.2"]
