"""Canonical URLs, scope, include/exclude, caps and crawler-trap bounds (no network)."""

from __future__ import annotations

import pytest

from a11y_audit.crawl.frontier import CrawlLimits, Frontier, canonical_url, read_url_list, site_of, url_key
from a11y_audit.errors import AuditUsageError


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTP://WWW.Example.GO.KR:80/a/?b=2&a=1#top", "http://www.example.go.kr/a/?a=1&b=2"),
        ("https://www.example.go.kr:443/", "https://www.example.go.kr/"),
        ("https://www.example.go.kr:8443/x", "https://www.example.go.kr:8443/x"),
        ("https://x.go.kr", "https://x.go.kr/"),
        ("https://x.go.kr/a;jsessionid=0A1B2C?menu=3", "https://x.go.kr/a?menu=3"),
        ("https://x.go.kr/a?PHPSESSID=9&menuNo=200&JSESSIONID=77", "https://x.go.kr/a?menuNo=200"),
        ("https://x.go.kr/a?ASPSESSIONIDQQ=1&id=2", "https://x.go.kr/a?id=2"),
        (
            "https://x.go.kr/민원/안내?q=한글",
            "https://x.go.kr/%EB%AF%BC%EC%9B%90/%EC%95%88%EB%82%B4?q=%ED%95%9C%EA%B8%80",
        ),
        ("https://x.go.kr/a/./b/../c", "https://x.go.kr/a/c"),
        ("mailto:a@x.go.kr", None),
        ("javascript:void(0)", None),
        ("https://user:pw@x.go.kr/", None),
    ],
)
def test_canonical_url(raw, expected):
    assert canonical_url(raw) == expected


def test_trailing_slash_is_one_page_but_the_first_form_is_fetched():
    assert url_key("https://x.go.kr/board/") == url_key("https://x.go.kr/board") == "https://x.go.kr/board"
    assert url_key("https://x.go.kr/") == "https://x.go.kr/"
    f = Frontier(["https://x.go.kr/"])
    first = f.consider("https://x.go.kr/board/", 1)
    assert first is not None and first.admitted and first.url == "https://x.go.kr/board/"
    assert f.consider("https://x.go.kr/board#list", 1) is None
    assert f.consider("https://x.go.kr:443/board/?", 1) is None
    assert f.admitted == 1


def test_scope_host_and_registrable_domain():
    assert site_of("https://www.mois.go.kr/a", "host") == "www.mois.go.kr"
    assert site_of("https://minwon.mois.go.kr/a", "domain") == "mois.go.kr"
    assert site_of("http://127.0.0.1:8000/a", "domain") == "127.0.0.1:8000"
    host = Frontier(["https://www.mois.go.kr/"], CrawlLimits(scope="host"))
    domain = Frontier(["https://www.mois.go.kr/"], CrawlLimits(scope="domain"))
    for f, admitted in ((host, False), (domain, True)):
        d = f.consider("https://minwon.mois.go.kr/x", 1)
        assert d.admitted is admitted
    # go.kr is a public suffix: another ministry is never the same site
    assert domain.consider("https://www.moe.go.kr/", 1).reason == "out_of_scope"
    # http and https of one host are one site; another port is another site
    assert host.consider("http://www.mois.go.kr/b", 1).admitted
    assert host.consider("https://www.mois.go.kr:8080/b", 1).reason == "out_of_scope"
    assert host.skipped == {"out_of_scope": 2}


def test_include_exclude_and_non_html():
    f = Frontier(["https://x.go.kr/"], CrawlLimits(include=(r"/bbs/",), exclude=(r"/bbs/admin",)))
    assert f.consider("https://x.go.kr/", 0, seed=True).admitted  # seeds ignore --include
    assert f.consider("https://x.go.kr/bbs/list", 1).admitted
    assert f.consider("https://x.go.kr/about", 1).reason == "excluded"
    assert f.consider("https://x.go.kr/bbs/admin/x", 1).reason == "excluded"
    assert f.consider("https://x.go.kr/bbs/file/a.HWP", 1).reason == "non_html"
    assert f.consider("https://x.go.kr/bbs/file/b.pdf?x=1", 1).reason == "non_html"
    assert dict(f.skipped) == {"excluded": 2, "non_html": 2}


def test_depth_and_page_caps_count_what_they_leave_out():
    f = Frontier(["https://x.go.kr/"], CrawlLimits(max_pages=3, max_depth=2))
    assert f.consider("https://x.go.kr/", 0, seed=True).admitted
    assert f.consider("https://x.go.kr/a", 2).admitted
    assert f.consider("https://x.go.kr/deep", 3).reason == "max_depth"
    assert f.consider("https://x.go.kr/b", 1).admitted
    assert f.consider("https://x.go.kr/c", 1).reason == "max_pages"
    assert f.consider("https://x.go.kr/c", 1) is None  # counted once however often it is linked
    assert f.admitted == 3
    assert dict(f.skipped) == {"max_depth": 1, "max_pages": 1}


def test_calendar_trap_is_bounded_by_query_variants_and_numeric_patterns():
    f = Frontier(
        ["https://x.go.kr/"], CrawlLimits(max_query_variants=12, max_pattern_variants=30, max_pages=10_000)
    )
    admitted = [
        f.consider(f"https://x.go.kr/calendar?ym={2000 + m // 12}-{m % 12 + 1}", 1) for m in range(100)
    ]
    assert sum(d.admitted for d in admitted) == 12
    assert f.skipped["trap_query"] == 88
    paths = [f.consider(f"https://x.go.kr/cal/{y}/{m}", 1) for y in range(2000, 2010) for m in range(1, 13)]
    assert sum(d.admitted for d in paths) == 30
    assert f.skipped["trap_pattern"] == 90


def test_repeating_or_very_long_paths_are_traps():
    f = Frontier(["https://x.go.kr/"])
    assert f.consider("https://x.go.kr/a/b/a/b/a/b/a/b", 1).reason == "trap_path"
    assert f.consider("https://x.go.kr/" + "/".join(f"s{i}" for i in range(20)), 1).reason == "trap_path"
    assert f.consider("https://x.go.kr/a/b/a/b/a/b", 1).admitted  # each segment 3 times: still fine


def test_robots_decision_and_restore_from_stored_decisions():
    f = Frontier(["https://x.go.kr/"])
    stored = []
    for url, depth in [("https://x.go.kr/", 0), ("https://x.go.kr/a", 1), ("https://x.go.kr/private/1", 1)]:
        d = f.consider(url, depth, lambda u: "/private" not in u)
        stored.append((d.url, d.reason))
    assert [r for _, r in stored] == [None, None, "robots"]
    again = Frontier(["https://x.go.kr/"])
    again.restore(stored)
    assert again.admitted == 2 and again.skipped == {"robots": 1}
    assert again.consider("https://x.go.kr/a", 1) is None
    assert again.consider("https://x.go.kr/private/1", 1) is None
    assert again.consider("https://x.go.kr/b", 1).admitted


def test_bad_patterns_and_limits_are_usage_errors():
    with pytest.raises(AuditUsageError, match=r"--exclude '\(' is not a valid regular expression"):
        CrawlLimits(exclude=("(",))
    with pytest.raises(AuditUsageError, match="--scope"):
        CrawlLimits(scope="site")  # type: ignore[arg-type]
    with pytest.raises(AuditUsageError, match="--max-pages"):
        CrawlLimits(max_pages=0)


def test_url_list_file(tmp_path):
    good = tmp_path / "urls.txt"
    good.write_text("# sample\nhttps://x.go.kr/\n\n  https://x.go.kr/a  \n", encoding="utf-8")
    assert read_url_list(str(good)) == ["https://x.go.kr/", "https://x.go.kr/a"]
    bad = tmp_path / "bad.txt"
    bad.write_text("https://x.go.kr/\nwww.x.go.kr/b\n", encoding="utf-8")
    with pytest.raises(
        AuditUsageError, match=r"bad.txt, line 2, column 1: 'www.x.go.kr/b' is not an http\(s\) URL"
    ):
        read_url_list(str(bad))
