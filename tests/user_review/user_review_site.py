"""A hand-made five-page site: what the machine found on each page, as the audit stores it.

Every page shares the header search box (#q) and the logo (#logo): the site's frame.

| page | own content | machine |
|---|---|---|
| /index.html (home) | two banner images, a link opening a new window | 1.1.1 pass |
| /apply.html | a form with three fields | 3.3.2 fail (#phone has no label) |
| /notice/list.html | a board list in a data table | 1.3.1 pass |
| /media/intro.html | a captioned video | 1.2.1 pass |
| /member/login.html | id and password fields | 3.3.2 pass |
"""

from __future__ import annotations

from a11y_audit.models import Finding, PageResult
from a11y_audit.rules import load_registry

REGISTRY = load_registry()
BASE = "http://127.0.0.1:8000"
HOME, APPLY, BOARD, MEDIA, LOGIN = (
    f"{BASE}/index.html",
    f"{BASE}/apply.html",
    f"{BASE}/notice/list.html",
    f"{BASE}/media/intro.html",
    f"{BASE}/member/login.html",
)


def finding(rule: str, outcome: str, item: str, selector: str | None, snippet: str = "") -> Finding:
    return Finding(
        rule,
        "axe",
        outcome,
        "serious" if outcome == "violation" else None,
        [item],
        [item],
        selector,
        snippet or (f"<x {selector}>" if selector else None),
        f"{rule} message",
        f"{rule} 메시지",
        None,
    )


def page(url: str, title: str, findings: list[Finding], **status: str) -> PageResult:
    item_status = {
        it.id: ("manual" if it.automation == "manual" else "inapplicable") for it in REGISTRY.items
    }
    item_status.update({"2.4.1": "pass", "2.4.2": "pass", "3.1.1": "pass", "3.3.2": "pass", "1.1.1": "pass"})
    item_status.update({k.replace("_", "."): v for k, v in status.items()})
    frame = [
        finding("label", "pass", "3.3.2", "#q", '<input id="q" title="검색어">'),
        finding("image-alt", "pass", "1.1.1", "#logo", '<img id="logo" alt="디지털포용부">'),
        finding("bypass", "pass", "2.4.1", None),
        finding("document-title", "pass", "2.4.2", None),
        finding("html-has-lang", "pass", "3.1.1", "html"),
    ]
    return PageResult(
        url=url,
        final_url=url,
        status=200,
        title=title,
        findings=frame + findings,
        item_status=item_status,
        axe_version="4.12.1",
    )


def site() -> list[PageResult]:
    return [
        page(
            HOME,
            "디지털포용부",
            [
                finding(
                    "image-alt", "pass", "1.1.1", "#banner1", '<img id="banner1" alt="디지털배움터 모집">'
                ),
                finding("image-alt", "pass", "1.1.1", "#banner2", '<img id="banner2" alt="정보격차 해소">'),
                finding(
                    "kwcag-new-window", "pass", "3.2.1", "#ext", '<a id="ext" target="_blank" title="새 창">'
                ),
            ],
            **{"3_2_1": "pass"},
        ),
        page(
            APPLY,
            "교육 신청 | 디지털포용부",
            [
                finding("label", "pass", "3.3.2", "#name", '<input id="name">'),
                finding("label", "pass", "3.3.2", "#email", '<input id="email" type="email">'),
                finding("label", "violation", "3.3.2", "#phone", '<input id="phone">'),
            ],
            **{"3_3_2": "fail"},
        ),
        page(
            BOARD,
            "공지사항 목록 | 디지털포용부",
            [
                finding("td-has-header", "pass", "1.3.1", "table.board", '<table class="board">'),
                finding("link-name", "pass", "2.4.3", "table.board a", "<a href=view-1.html>"),
            ],
            **{"1_3_1": "pass", "2_4_3": "pass"},
        ),
        page(
            MEDIA,
            "소개 영상 | 디지털포용부",
            [
                finding("video-caption", "pass", "1.2.1", "video", "<video><track kind=captions>"),
                finding("kwcag-autoplay", "pass", "1.4.2", "video", "<video>"),
            ],
            **{"1_2_1": "pass", "1_4_2": "pass"},
        ),
        page(
            LOGIN,
            "로그인 | 디지털포용부",
            [
                finding("label", "pass", "3.3.2", "#uid", '<input id="uid">'),
                finding("label", "pass", "3.3.2", "#upw", '<input id="upw" type="password">'),
            ],
        ),
    ]


#: The tasks the bundled templates make of the site, in order.
EXPECTED_TASKS = [
    "P01-navigate",
    "P01-images",  # banner1, banner2 and the logo (the home page keeps the site's frame)
    "P01-new-window",
    "P02-navigate",
    "P02-form",  # name, email, phone (the search box #q is the frame)
    "P03-navigate",
    "P03-board",
    "P03-table",
    "P04-navigate",
    "P04-media",
    "P05-navigate",
    "P05-login",  # by URL, title and the password field; not also "form"
]
