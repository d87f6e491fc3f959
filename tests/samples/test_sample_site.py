"""The bundled sample site: its files, its documented barriers, its fixed twins and its server (no browser)."""

from __future__ import annotations

import posixpath
import re
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import html5lib
import pytest

from a11y_audit.errors import AuditError
from a11y_audit.models import Finding
from a11y_audit.rules import load_registry
from a11y_audit.samples import (
    FIXED_INDEX,
    govsite_root,
    load_barriers,
    load_twins,
    parse_barriers,
    serve_sample_site,
    site_pages,
    twin_pages,
)
from a11y_audit.samples.govsite_build import TWINS, site_files, write_site
from a11y_audit.samples.matching import (
    SelectorError,
    match_barriers,
    page_doc,
    parse_html,
    select,
    unplanned_findings,
)

ROOT = govsite_root()
REPO = Path(__file__).resolve().parents[2]
BARRIERS = load_barriers()
ALL_HTML = sorted(str(p.relative_to(ROOT)) for p in ROOT.rglob("*.html"))
MAIN_HTML = [p for p in ALL_HTML if not p.startswith("fixed/")]
FIXED_HTML = [p for p in ALL_HTML if p.startswith("fixed/")]


def parse_errors(path: str) -> list[tuple]:
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    parser.parse((ROOT / path).read_bytes())
    return parser.errors


def text_of(el) -> str:
    return re.sub(r"\s+", " ", "".join(el.itertext())).strip()


# --------------------------------------------------------------------------------------------- files


def test_committed_site_is_what_the_generator_writes(tmp_path):
    written = set(write_site(tmp_path))
    committed = {str(p.relative_to(ROOT)) for p in ROOT.rglob("*") if p.is_file()}
    assert committed - written == {"barriers.yaml"}, (
        "stale files: run python -m a11y_audit.samples.govsite_build"
    )
    assert written - committed == set()
    differ = [rel for rel in sorted(written) if (tmp_path / rel).read_bytes() != (ROOT / rel).read_bytes()]
    assert differ == [], f"regenerate the site (python -m a11y_audit.samples.govsite_build): {differ}"


def test_site_size_and_shape():
    pages = site_pages()
    assert len(pages) == 43  # every page but the map frame document, which is not a page of its own
    assert set(pages) == set(MAIN_HTML) - {"about/map-frame.html"}
    assert len(FIXED_HTML) == 8
    assert set(twin_pages()) == set(FIXED_HTML)
    # Package data is small: nothing was copied in, everything is drawn by the generator.
    total = sum(p.stat().st_size for p in ROOT.rglob("*") if p.is_file())
    assert total < 1_000_000


def test_sitemap_and_robots_point_at_the_placeholder_base():
    files = site_files()
    assert "Disallow: /files/" in files["robots.txt"]
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in files["robots.txt"]
    assert files["sitemap.xml"].count("<loc>http://127.0.0.1:8000/") == 43
    assert "fixed/" not in files["sitemap.xml"]


@pytest.mark.parametrize("path", ALL_HTML)
def test_every_reference_resolves_to_a_file_of_the_site(path):
    doc = page_doc(path)
    ids = {el.get("id") for el in doc.order if el.get("id")}
    attrs = ("href", "src", "action", "poster")
    problems = []
    for el in doc.order:
        for attr in attrs:
            url = el.get(attr)
            if url is None or (attr == "href" and el.tag not in ("a", "link", "area")):
                continue
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//|^/", url, re.I):
                problems.append(f"<{el.tag} {attr}={url!r}> is not a relative URL")
                continue
            target, _, fragment = url.partition("#")
            target = target.split("?", 1)[0]
            if not target:
                if (
                    fragment
                    and fragment not in ids
                    and not (path == "notice/view-102.html" and fragment == "content")
                ):
                    problems.append(f"#{fragment} names no element of the page")
                continue
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if resolved.startswith("..") or not (ROOT / resolved).is_file():
                problems.append(f"<{el.tag} {attr}={url!r}> points at a missing file {resolved}")
    assert problems == []


def test_the_fixed_twins_are_not_linked_from_the_site():
    linking = []
    for path in MAIN_HTML:
        for el in page_doc(path).order:
            url = el.get("href") or el.get("src") or ""
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), url.split("#")[0] or "."))
            if resolved.startswith("fixed/") or resolved == "fixed":
                linking.append((path, url))
    assert linking == []
    index_links = {
        posixpath.normpath(posixpath.join("fixed", el.get("href")))
        for el in select(page_doc(FIXED_INDEX), "ul.twin-list a")
    }
    assert {t.fixed for t in load_twins()} <= index_links


def test_page_titles_are_unique_but_for_the_planted_pair():
    titles: dict[str, list[str]] = {}
    for path in MAIN_HTML:
        found = select(page_doc(path), "title")
        titles.setdefault(text_of(found[0]) if found else "", []).append(path)
    repeated = {t: p for t, p in titles.items() if len(p) > 1}
    assert repeated == {
        "공지사항 | 알림마당 | 디지털포용부": ["notice/view-104.html", "notice/view-105.html"]
    }
    assert titles[""] == ["popup/notice-popup.html"]  # B44: the pop-up has no title


def test_markup_errors_only_where_planted():
    with_errors = {path: [e[1] for e in parse_errors(path)] for path in ALL_HTML if parse_errors(path)}
    assert with_errors == {
        "notice/view-104.html": ["duplicate-attribute"],
        "notice/view-105.html": ["adoption-agency-1.3", "adoption-agency-1.2"],
    }


@pytest.mark.parametrize("path", FIXED_HTML)
def test_fixed_twins_parse_without_any_html5lib_error(path):
    assert parse_errors(path) == []


# --------------------------------------------------------------------------------------------- barriers


def test_barrier_counts():
    automated = [b for b in BARRIERS if b.machine_detectable]
    assert len(BARRIERS) == 52
    assert len(automated) == 45
    assert len({b.item for b in automated}) == 21
    assert len({b.page for b in BARRIERS}) == 31
    assert [b.id for b in BARRIERS if not b.machine_detectable] == [f"H0{i}" for i in range(1, 8)]
    assert {b.expected for b in automated} == {"violation", "needs_review"}
    assert [b.id for b in automated if b.expected == "needs_review"] == ["B03", "B32", "B45"]


def test_every_barrier_names_one_of_the_33_items_and_rules_that_feed_it():
    registry = load_registry()
    item_ids = {item.id for item in registry.items}
    assert len(item_ids) == 33
    wrong = []
    for b in BARRIERS:
        if b.item not in item_ids:
            wrong.append(f"{b.id}: unknown item {b.item}")
        for rule in b.rules:
            fed = registry.item_for_rule(rule)
            if fed is None or fed.id != b.item:
                wrong.append(f"{b.id}: rule {rule} feeds {fed.id if fed else 'nothing'}, not {b.item}")
        if b.machine_detectable and not b.rules:
            wrong.append(f"{b.id}: machine-detectable but no rule")
    assert wrong == []


@pytest.mark.parametrize("barrier", BARRIERS, ids=[b.id for b in BARRIERS])
def test_every_selector_matches_exactly_one_element(barrier):
    doc = page_doc(barrier.page)
    assert len(select(doc, barrier.element)) == 1, barrier.element
    for other in barrier.also:
        assert len(select(doc, other)) == 1, other


def test_bad_barrier_entries_are_reported_with_their_place(tmp_path):
    (tmp_path / "index.html").write_text("<!DOCTYPE html><title>x</title>", encoding="utf-8")
    good = {
        "id": "X1",
        "item": "1.1.1",
        "page": "index.html",
        "element": "img",
        "wrong_ko": "가",
        "wrong_en": "a",
        "machine_detectable": True,
        "expected": "violation",
        "rules": ["image-alt"],
    }
    assert parse_barriers([good], "b.yaml", tmp_path)[0].rules == ("image-alt",)
    cases = [
        ({**good, "element": ""}, "barrier #1 (X1): missing field(s) element"),
        ({**good, "page": "nope.html"}, "barrier #1 (X1): page 'nope.html' does not exist"),
        ({**good, "machine_detectable": "yes"}, "machine_detectable must be true or false"),
        ({**good, "expected": "maybe"}, "expected must be one of violation, needs_review"),
        ({**good, "rules": "image-alt"}, "rules must be a list"),
    ]
    for entry, message in cases:
        with pytest.raises(AuditError) as caught:
            parse_barriers([entry], "b.yaml", tmp_path)
        assert message in str(caught.value)
        assert str(caught.value).startswith("b.yaml")
    with pytest.raises(AuditError, match="barrier id 'X1' is used twice"):
        parse_barriers([good, good], "b.yaml", tmp_path)


def test_twins_agree_with_the_generator():
    assert [(t.page, t.fixed) for t in load_twins()] == [(page, fixed) for page, fixed, _, _ in TWINS]
    assert len(TWINS) >= 5


# --------------------------------------------------------------------------------------------- KWCAG practice

MEANINGLESS_ALT = re.compile(
    r"^(이미지|사진|그림|아이콘|image|photo|icon)$|\.(png|jpe?g|gif|svg)$|(이미지|사진|그림|아이콘)$", re.I
)
REPEATED_SPECIAL = re.compile(r"([^\w\s])\s?\1")
FOCUSABLE = ("a", "button", "input", "select", "textarea")


def practice_problems(path: str) -> list[str]:
    """What a page does against KWCAG practice, judged from its markup (the fixed twins must have none)."""
    doc = page_doc(path)
    problems = []
    html = doc.root
    if html.get("lang") != "ko":
        problems.append("3.1.1 html lang is not ko")
    titles = select(doc, "title")
    title = text_of(titles[0]) if titles else ""
    if not title or REPEATED_SPECIAL.search(title):
        problems.append(f"2.4.2 title {title!r}")
    ids = [el.get("id") for el in doc.order if el.get("id")]
    if len(ids) != len(set(ids)):
        problems.append("4.1.1 duplicate ids")
    focusable = [
        el
        for el in doc.order
        if el.tag in FOCUSABLE and el.get("type") != "hidden" and (el.tag != "a" or el.get("href"))
    ]
    first = focusable[0] if focusable else None
    target = (first.get("href") or "")[1:] if first is not None and first.tag == "a" else ""
    if (
        first is None
        or "본문" not in text_of(first)
        or not select(doc, f"main#{target}" if target else "nothing")
    ):
        problems.append("2.4.1 the first focusable element is not a working 본문 바로가기 link")
    for img in select(doc, "img"):
        alt = img.get("alt")
        if alt is None or (alt.strip() and MEANINGLESS_ALT.search(alt.strip())):
            problems.append(f"1.1.1 img {img.get('src')} alt={alt!r}")
    for el in select(doc, "a, button"):
        name = (
            text_of(el)
            or " ".join(i.get("alt") or "" for i in el.iter("img")).strip()
            or el.get("aria-label")
            or ""
        )
        if el.tag == "a" and el.get("href") is None:
            continue
        if not name:
            problems.append(f"2.4.3/4.2.1 <{el.tag}> without a name")
        if el.get("aria-label") and text_of(el) and text_of(el) not in el.get("aria-label"):
            problems.append(f"2.5.3 visible text {text_of(el)!r} not in the name")
        opens_window = el.get("target") == "_blank" or "window.open" in (el.get("onclick") or "")
        if opens_window and "새 창" not in name + (el.get("title") or ""):
            problems.append(f"3.2.1 {name!r} opens a window without saying so")
    for table in select(doc, "table"):
        captions = select_in(doc, table, "caption")
        ths = select_in(doc, table, "th")
        if (
            not captions
            or not text_of(captions[0])
            or not ths
            or any(th.get("scope") not in ("row", "col") for th in ths)
        ):
            problems.append("1.3.1 table without caption or scoped header cells")
    for media in select(doc, "audio, video"):
        if media.get("autoplay") is not None:
            problems.append("1.4.2 media plays by itself")
        if media.tag == "video" and not any(
            t.get("kind") == "captions" for t in select_in(doc, media, "track")
        ):
            problems.append("1.2.1 video without captions")
    labelled = {lab.get("for") for lab in select(doc, "label") if lab.get("for")}
    for field in select(doc, "input, select, textarea"):
        if field.get("type") in ("hidden", "submit", "button", "reset", "image"):
            continue
        wrapped = any(a.tag == "label" for a in doc.ancestors(field))
        if not wrapped and field.get("id") not in labelled:
            problems.append(f"3.3.2 <{field.tag} name={field.get('name')}> without a label")
    if select(doc, "marquee") or select(doc, 'meta[http-equiv="refresh"]'):
        problems.append("2.2.x moving or refreshing content")
    for visual in select(doc, "#main-visual"):
        if not any("정지" in text_of(b) for b in select_in(doc, visual, "button")):
            problems.append("2.2.2 rotating banner without a pause button")
    for el in doc.order:
        if el.get("onclick") and el.tag not in ("a", "button", "input"):
            problems.append(f"2.1.1 <{el.tag} onclick> is not a control")
        if el.tag == "style" and re.search(r"outline\s*:\s*(none|0)", "".join(el.itertext())):
            problems.append("2.1.2 focus outline removed")
    for ul in select(doc, "ul, ol"):
        if any(child.tag != "li" for child in doc.element_children(ul)):
            problems.append("1.3.2 list with children that are not li")
    return problems


def select_in(doc, scope, selector: str) -> list:
    return [el for el in select(doc, selector) if scope in doc.ancestors(el)]


@pytest.mark.parametrize("path", FIXED_HTML)
def test_fixed_twins_follow_kwcag_practice(path):
    assert practice_problems(path) == []


@pytest.mark.parametrize("twin", load_twins(), ids=[t.page for t in load_twins()])
def test_the_practice_check_finds_the_barriers_of_each_original(twin):
    expected = {b.item for b in BARRIERS if b.page == twin.page}
    found = {problem.split(" ")[0] for problem in practice_problems(twin.page)}
    assert found, f"{twin.page} should show its planted barriers"
    assert any(item in problem for problem in found for item in expected)


# --------------------------------------------------------------------------------------------- matching


def test_selector_subset():
    doc = parse_html(
        '<html><body><ul id="m"><li class="a b">1</li><li><a href="x/view-107.html">2</a></li></ul>'
        '<p data-x="one two">t</p></body></html>'
    )
    assert [el.text for el in select(doc, "ul#m > li.a.b")] == ["1"]
    assert len(select(doc, 'a[href$="view-107.html"]')) == 1
    assert len(select(doc, 'a[href^="x/"], p[data-x*="two"]')) == 2
    assert [el.tag for el in select(doc, "li:nth-child(2) > a")] == ["a"]
    assert select(doc, "ul > a") == []
    assert len(select(doc, "body li:nth-of-type(1)")) == 1
    with pytest.raises(SelectorError):
        select(doc, "li:hover")


def finding(rule, item, selector, outcome="violation"):
    return Finding(
        rule_id=rule,
        source="axe",
        outcome=outcome,
        impact="serious",
        kwcag=[item] if item else [],
        wcag=[],
        selector=selector,
        snippet=None,
        message_en="",
        message_ko="",
    )


def test_match_barriers_needs_the_right_item_and_element():
    results = {
        "index.html": [
            finding("image-alt", "1.1.1", ".focus-2"),
            finding("aria-hidden-focus", "2.1.2", ".clone a"),  # a descendant of the barrier element
            finding("kwcag-auto-moving", "2.2.2", "#main-visual", "incomplete"),
            finding("kwcag-new-window", "3.2.1", ".focus-1"),  # right item, wrong element
        ],
        "notice/view-104.html": [finding("kwcag-markup", "4.1.1", None)],  # page-level, rule listed by B16
        "popup/notice-popup.html": [
            finding("kwcag-title-quality", "2.4.2", "title")
        ],  # no <title> in the page
    }
    by_id = {m.barrier.id: m for m in match_barriers(results)}
    assert (by_id["B01"].outcome, by_id["B01"].rules) == ("violation", ["image-alt"])
    assert by_id["B02"].as_expected
    assert (by_id["B03"].outcome, by_id["B03"].as_expected) == ("needs_review", True)
    assert by_id["B04"].found is False
    assert by_id["B16"].outcome == "violation"
    assert by_id["B17"].found is False  # view-104's title is not reported by anything here
    assert by_id["B44"].outcome == "violation"
    assert by_id["B05"].audited is False
    assert sum(m.audited for m in by_id.values()) == 7


def test_unplanned_findings_are_those_that_cover_no_barrier():
    results = {
        "index.html": [finding("image-alt", "1.1.1", ".focus-2"), finding("image-alt", "1.1.1", ".focus-1")],
        "fixed/home.html": [
            finding("color-contrast", "1.4.3", ".slide-1 h3"),
            finding("region", "2.4.1", "#x", "incomplete"),
        ],
    }
    unplanned = [(page, f.selector) for page, f in unplanned_findings(results)]
    assert unplanned == [("index.html", ".focus-1"), ("fixed/home.html", ".slide-1 h3")]
    # A violation of an advisory rule only asks for review, as on the page summary.
    advisory = {"fixed/home.html": [finding("region", "2.4.1", "#skipnav")]}
    assert unplanned_findings(advisory) == []
    assert [f.rule_id for _, f in unplanned_findings(advisory, outcomes=("incomplete",))] == ["region"]


def test_a_violation_of_a_non_decisive_check_is_a_review():
    results = {"member/login.html": [finding("kwcag-focus-visible", "2.1.2", "#userPw")]}
    (b45,) = [m for m in match_barriers(results) if m.barrier.id == "B45"]
    assert (b45.outcome, b45.as_expected) == ("needs_review", True)


# --------------------------------------------------------------------------------------------- server


def fetch(url: str) -> tuple[int, str, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), b""


def test_server_serves_the_site_on_loopback(sample_site):
    assert sample_site.base_url.startswith("http://127.0.0.1:")
    status, ctype, body = fetch(sample_site.url("index.html"))
    assert (status, ctype) == (200, "text/html; charset=utf-8")
    assert "<title>디지털포용부</title>" in body.decode("utf-8")
    assert fetch(sample_site.url("assets/media/kiosk-guide.ko.vtt"))[1] == "text/vtt; charset=utf-8"
    assert fetch(sample_site.url("about/"))[0] == 404  # no directory listings
    assert fetch(sample_site.url("nope.html"))[0] == 404
    assert fetch(sample_site.base_url)[0] == 200


def test_server_rewrites_sitemap_and_robots_to_its_own_address(sample_site):
    robots = fetch(sample_site.url("robots.txt"))[2].decode()
    assert f"Sitemap: {sample_site.base_url}sitemap.xml" in robots
    locs = re.findall(r"<loc>([^<]+)</loc>", fetch(sample_site.url("sitemap.xml"))[2].decode())
    assert len(locs) == 43
    assert all(loc.startswith(sample_site.base_url) for loc in locs)
    assert [fetch(loc)[0] for loc in locs] == [200] * 43


def test_server_on_a_busy_port_is_an_audit_error():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(AuditError, match=f"127.0.0.1:{port}"):
            serve_sample_site(port)


# --------------------------------------------------------------------------------------------- docs and CLI


def test_sample_site_doc_lists_every_barrier_and_is_current():
    done = subprocess.run(
        [sys.executable, "-m", "cogapp", "--check", "docs/explanation/sample-site.md"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, "run: cog -r docs/explanation/sample-site.md\n" + done.stdout + done.stderr
    text = (REPO / "docs/explanation/sample-site.md").read_text(encoding="utf-8")
    assert all(f"| {b.id} | {b.item} |" in text for b in BARRIERS)


def test_demo_describes_the_sample_site():
    from cli.demo import sample_site_facts

    data = sample_site_facts()
    assert (data["pages"], data["barriers"], data["machine_detectable"], data["fixed_twins"]) == (
        43,
        52,
        45,
        7,
    )
    assert len(data["kwcag_items"]) == 21
