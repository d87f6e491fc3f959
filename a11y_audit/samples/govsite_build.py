"""Builds the sample government website under ``govsite/`` (pages, fixed twins, robots.txt, sitemap.xml).

The site belongs to a fictional ministry, 디지털포용부 (Ministry of Digital Inclusion). Its pages share
one header, main menu and footer, and fall into a handful of templates (home, sub page with side menu,
board list, board post, form, statistics, media, member, popup, English). Accessibility barriers are
planted on purpose and documented, one by one, in ``govsite/barriers.yaml``; some pages have a
fixed twin under ``govsite/fixed/`` with the same content and every barrier removed.

The committed files are the output of this module; after changing it, run::

    python -m a11y_audit.samples.govsite_build

and commit the regenerated files (a test fails while they differ). Links inside the page sources
are written root-relative as ``~/path`` and turned into relative URLs for each page, so the site
works from any folder and any port and never makes an external request.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from a11y_audit.samples import SITEMAP_BASE, govsite_assets

SITE = "디지털포용부"

GNB = [
    ("about/greeting.html", "기관소개", "about"),
    ("notice/list-1.html", "알림마당", "notice"),
    ("minwon/index.html", "민원서비스", "minwon"),
    ("stats/index.html", "정보공개·통계", "stats"),
    ("media/video.html", "홍보·미디어", "media"),
    ("help/faq.html", "고객센터", "help"),
]

LNB = {
    "about": (
        "기관소개",
        [
            ("about/greeting.html", "인사말"),
            ("about/history.html", "연혁"),
            ("about/organization.html", "조직도"),
            ("about/vision.html", "비전과 목표"),
            ("about/location.html", "오시는 길"),
        ],
    ),
    "notice": ("알림마당", [("notice/list-1.html", "공지사항")]),
    "minwon": (
        "민원서비스",
        [
            ("minwon/index.html", "민원 안내"),
            ("minwon/certificate.html", "증명서 발급 신청"),
            ("minwon/report-form.html", "불편 신고"),
            ("minwon/consult.html", "온라인 상담 신청"),
        ],
    ),
    "stats": (
        "정보공개·통계",
        [
            ("stats/index.html", "통계 한눈에 보기"),
            ("stats/internet-usage.html", "연령대별 인터넷 이용률"),
            ("stats/digital-level.html", "디지털정보화 수준"),
            ("stats/region.html", "지역별 교육 실적"),
        ],
    ),
    "media": (
        "홍보·미디어",
        [
            ("media/video.html", "디지털배움터 소개 영상"),
            ("media/video-nocap.html", "키오스크 이용 안내 영상"),
            ("media/gallery.html", "포토 갤러리"),
        ],
    ),
    "help": ("고객센터", [("help/faq.html", "자주 묻는 질문"), ("help/contact.html", "고객센터 연락처")]),
    "policy": (
        "누리집 안내",
        [
            ("policy/privacy.html", "개인정보처리방침"),
            ("policy/copyright.html", "저작권정책"),
            ("policy/accessibility.html", "웹접근성 정책"),
            ("sitemap.html", "사이트맵"),
            ("search.html", "통합검색"),
        ],
    ),
    "member": ("회원", [("member/login.html", "로그인")]),
}

#: The department answering for each section (shown under the content of every sub page).
DEPARTMENTS = {
    "about": ("기획조정실", "044-000-1100"),
    "notice": ("기획조정실", "044-000-1100"),
    "minwon": ("민원담당관", "044-000-0000"),
    "stats": ("디지털역량국", "044-000-1400"),
    "media": ("대변인실", "044-000-1500"),
    "help": ("민원담당관", "044-000-0000"),
    "policy": ("기획조정실", "044-000-1100"),
    "member": ("기획조정실", "044-000-1100"),
}

FIXED_DIR = "fixed"
NEW_WINDOW = '<span class="new-window">(새 창)</span>'
ON = ' class="on" aria-current="true"'
CURRENT = ' aria-current="page"'


@dataclass(frozen=True)
class Page:
    path: str
    html: str


def relative_prefix(path: str) -> str:
    return "../" * path.count("/")


def finish(path: str, html: str) -> Page:
    """Turn ``~/`` root-relative references into relative ones for this page."""
    return Page(path, html.replace("~/", relative_prefix(path)))


# --------------------------------------------------------------------------------------------- layout


def help_block(where: str) -> str:
    heading = "도움이 필요하신가요?"
    return (
        f'<div class="help-info" id="help-info-{where}"><h2>{heading}</h2><ul>'
        '<li><a href="~/help/faq.html">자주 묻는 질문</a></li>'
        '<li><a href="~/help/contact.html">고객센터 연락처</a></li>'
        "<li>전화 상담 044-000-0000 (평일 09:00~18:00)</li></ul></div>"
    )


def skipnav(broken: bool = False) -> str:
    target = "#content" if broken else "#contents"
    return f'<div id="skipnav"><a href="{target}">본문 바로가기</a><a href="#gnb">주메뉴 바로가기</a></div>'


def depth2(section: str) -> str:
    """The second level of the main menu: shown when its menu item is hovered or holds the focus."""
    items = "".join(f'<li><a href="~/{href}">{label}</a></li>' for href, label in LNB[section][1])
    return f'<ul class="depth2">{items}</ul>'


def page_info(path: str, section: str) -> str:
    """Department in charge and the page-satisfaction poll that close every sub page."""
    dept, phone = DEPARTMENTS[section]
    scores = ["매우 만족", "만족", "보통", "불만족", "매우 불만족"]
    radios = "".join(
        f'<label><input type="radio" name="score" value="{5 - i}"> {label}</label>'
        for i, label in enumerate(scores)
    )
    return f"""<div class="page-info">
<dl class="manager"><dt>담당부서</dt><dd>{dept}</dd><dt>전화</dt><dd>{phone}</dd></dl>
<form class="satisfaction" action="~/{path}" method="get">
<fieldset class="choices"><legend>이 페이지에서 제공하는 정보에 만족하십니까?</legend>{radios}</fieldset>
<button type="submit" class="btn">평가하기</button>
</form>
</div>"""


def header(section: str | None, help_at: str) -> str:
    gnb = "".join(
        f'<li><a href="~/{href}"{ON if key == section else ""}>{label}</a>{depth2(key)}</li>'
        for href, label, key in GNB
    )
    left = (
        help_block("top")
        if help_at == "top"
        else '<p class="gov-banner">ddkit 점검 예제용 가상 기관 누리집입니다.</p>'
    )
    return f"""<header id="header">
<div class="topbar"><div class="inner">{left}
<ul class="util"><li><a href="~/member/login.html">로그인</a></li><li><a href="~/sitemap.html">사이트맵</a></li><li><a href="~/en/index.html" lang="en">English</a></li></ul>
</div></div>
<div class="brand inner">
<a class="logo" href="~/index.html"><img src="~/assets/img/logo.svg" alt="디지털포용부 첫 화면" width="220" height="48"></a>
<form class="site-search" action="~/search.html" role="search"><label for="site-q" class="sr-only">통합검색어</label><input type="search" id="site-q" name="q" placeholder="검색어 입력"><button type="submit">검색</button></form>
</div>
<nav id="gnb" aria-label="주메뉴"><ul>{gnb}</ul></nav>
</header>"""


def footer(help_at: str) -> str:
    help_html = help_block("footer") if help_at == "footer" else ""
    return f"""<aside class="quick-menu inner" aria-labelledby="quick-menu-title">
<h2 id="quick-menu-title" class="qm-title">빠른 메뉴</h2>
<ul class="qm-list"><li><a href="~/minwon/certificate.html">증명서 발급 신청</a></li><li><a href="~/minwon/consult.html">온라인 상담 신청</a></li><li><a href="~/stats/index.html">통계 한눈에 보기</a></li><li><a href="~/minwon/report-form.html">불편 신고</a></li></ul>
<p class="qm-top"><a href="#header">맨 위로</a></p>
</aside>
<footer id="footer">
<div class="footer-top"><div class="inner">
<div class="family-site"><h2 class="fs-title">관련 누리집</h2><ul class="fs-list"><li><a href="~/related/digital-baeumteo.html" target="_blank">디지털배움터 {NEW_WINDOW}</a></li><li><a href="~/en/index.html" lang="en">English</a></li></ul></div>
<ul class="sns"><li><a href="~/media/video.html">홍보 영상</a></li><li><a href="~/media/gallery.html">포토 갤러리</a></li><li><a href="~/notice/list-1.html">공지사항</a></li></ul>
</div></div>
<div class="inner">
<ul class="footer-links"><li><a href="~/policy/privacy.html"><strong>개인정보처리방침</strong></a></li><li><a href="~/policy/copyright.html">저작권정책</a></li><li><a href="~/policy/accessibility.html">웹접근성 정책</a></li><li><a href="~/sitemap.html">사이트맵</a></li></ul>
{help_html}
<div class="footer-info">
<p class="footer-logo"><img src="~/assets/img/logo.svg" alt="디지털포용부" width="165" height="36"></p>
<address>(30100) 세종특별자치시 가상로 100 정부세종청사 디지털포용부</address>
<dl class="contact-numbers"><dt>대표전화</dt><dd>044-000-0000</dd><dt>팩스</dt><dd>044-000-0099</dd></dl>
</div>
<p class="copyright">© 디지털포용부. 이 누리집은 ddkit 점검 예제용 가상 기관의 누리집이며, 일부 페이지에 접근성 오류가 일부러 들어 있습니다.</p>
</div></footer>"""


def lnb(section: str, current: str) -> str:
    title, entries = LNB[section]
    items = "".join(
        f'<li><a href="~/{href}"{CURRENT if href == current else ""}>{label}</a></li>'
        for href, label in entries
    )
    return f'<nav class="lnb" aria-label="{title} 메뉴"><div class="lnb-title">{title}</div><ul>{items}</ul></nav>'


def breadcrumb(section: str | None, label: str) -> str:
    parts = ['<li><a href="~/index.html">홈</a></li>']
    if section:
        parts.append(f"<li>{LNB[section][0]}</li>")
    parts.append(f'<li aria-current="page">{label}</li>')
    return f'<nav class="breadcrumb" aria-label="현재 위치"><ol>{"".join(parts)}</ol></nav>'


def document(
    path: str,
    *,
    title: str | None,
    main: str,
    section: str | None = None,
    crumb: str | None = None,
    layout: str = "sub",
    skip: str = "first",
    help_at: str = "footer",
    lang: str | None = "ko",
    head_extra: str = "",
    main_class: str = "content",
) -> Page:
    """A page of the site in the shared layout.

    ``skip``: ``first`` (correct), ``late`` (after the header), ``missing``, ``broken`` (wrong target).
    ``help_at``: ``footer`` (as on every page) or ``top`` (moved into the top bar).
    """
    lang_attr = f' lang="{lang}"' if lang else ""
    title_tag = f"<title>{title}</title>\n" if title is not None else ""
    top = skipnav(broken=skip == "broken") if skip in ("first", "broken") else ""
    late = skipnav() if skip == "late" else ""
    crumbs = breadcrumb(section, crumb) if crumb else ""
    if layout == "sub":
        body = f"""<div class="container inner">
{lnb(section, path.removeprefix(FIXED_DIR + "/"))}
<main id="contents" class="{main_class}">
{crumbs}
{main}
{page_info(path, section)}
</main>
</div>"""
    else:
        body = f"""<main id="contents" class="{main_class} inner">
{crumbs}
{main}
</main>"""
    html = f"""<!DOCTYPE html>
<html{lang_attr}>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
{title_tag}<link rel="stylesheet" href="~/assets/css/common.css">
{head_extra}</head>
<body>
{top}
{header(section, help_at)}
{late}
{body}
{footer(help_at)}
<script src="~/assets/js/common.js"></script>
</body>
</html>
"""
    return finish(path, html)


def title_of(page: str, section: str | None) -> str:
    if section:
        return f"{page} | {LNB[section][0]} | {SITE}"
    return f"{page} | {SITE}"


# --------------------------------------------------------------------------------------------- home


SLIDES = [
    (
        "slide-1",
        "2025 디지털배움터 교육생 모집",
        "스마트폰 기초부터 온라인 민원까지, 가까운 배움터에서 무료로 배우세요.",
        "notice/view-112.html",
        "2025 디지털배움터 교육 운영계획 보기",
        "assets/img/banner-1.svg",
        "강사가 교육생에게 스마트폰 화면을 보여 주는 모습",
    ),
    (
        "slide-2",
        "키오스크, 이제 어렵지 않아요",
        "무인 주문기 사용법을 영상으로 차근차근 알려 드립니다.",
        "media/video-nocap.html",
        "키오스크 이용 안내 영상 보기",
        "assets/img/banner-2.svg",
        "무인 주문기 화면에 커다란 주문 버튼이 있는 모습",
    ),
    (
        "slide-3",
        "2024 디지털정보격차 실태조사 결과",
        "장애인·고령층·저소득층·농어민의 디지털정보화 수준을 확인하세요.",
        "stats/digital-level.html",
        "디지털정보화 수준 통계 보기",
        "assets/img/banner-3.svg",
        "계층별 디지털정보화 수준을 나타낸 막대그래프",
    ),
]


def slide_html(slide: tuple, extra: str = "") -> str:
    cls, heading, text, href, link, img, alt = slide
    return (
        f'<li class="slide {cls}"{extra}><div><h3>{heading}</h3><p>{text}</p>'
        f'<a href="~/{href}">{link}</a></div><img src="~/{img}" alt="{alt}" width="300" height="183"></li>'
    )


def home(fixed: bool) -> Page:
    slides = "".join(slide_html(s) for s in SLIDES)
    if fixed:
        visual = f"""<section id="main-visual" class="visual carousel" aria-label="주요 소식" data-hide-inactive>
<h2 class="sr-only">주요 소식</h2>
<div class="mv-controls"><button type="button" class="mv-prev">이전 소식</button><button type="button" class="mv-pause">자동 넘김 정지</button><button type="button" class="mv-next">다음 소식</button></div>
<div class="mv-viewport"><ul class="mv-track">{slides}</ul></div>
</section>"""
    else:
        # A clone of the first slide closes the loop of the strip; it is hidden from screen readers
        # but its link stays focusable. No pause control.
        clone = slide_html(SLIDES[0], ' aria-hidden="true"').replace(
            'class="slide slide-1"', 'class="slide slide-1 clone"'
        )
        visual = f"""<section id="main-visual" class="visual carousel" aria-label="주요 소식">
<h2 class="sr-only">주요 소식</h2>
<div class="mv-controls"><button type="button" class="mv-prev">이전 소식</button><button type="button" class="mv-next">다음 소식</button></div>
<div class="mv-viewport"><ul class="mv-track">{slides}{clone}</ul></div>
</section>"""
    popup_onclick = "window.open(this.href, 'holiday', 'width=480,height=560'); return false;"
    popup_label = "설 연휴 민원 접수 일정 안내" + (f" {NEW_WINDOW}" if fixed else "")
    focus_alt_2 = ' alt="들판 너머로 해가 뜨는 농촌 마을 풍경"' if fixed else ""
    latest = "".join(
        f'<li><a href="~/notice/view-{p.no}.html">{p.title}</a><span class="date">{p.date}</span></li>'
        for p in POSTS[:5]
    )
    main = f"""<h1 class="sr-only">디지털포용부 누리집 첫 화면</h1>
{visual}
<div class="home-grid">
<section class="quick" aria-labelledby="quick-title">
<h2 id="quick-title" class="section-title">자주 찾는 서비스</h2>
<ul>
<li><a href="~/minwon/certificate.html"><img src="~/assets/img/ico-apply.svg" alt="" width="32" height="32">증명서 발급 신청</a></li>
<li><a href="~/minwon/consult.html"><img src="~/assets/img/ico-faq.svg" alt="" width="32" height="32">온라인 상담 신청</a></li>
<li><a href="~/stats/index.html"><img src="~/assets/img/ico-stats.svg" alt="" width="32" height="32">통계 한눈에 보기</a></li>
<li><a href="~/notice/view-112.html"><img src="~/assets/img/ico-edu.svg" alt="" width="32" height="32">정보화교육 신청</a></li>
<li><a href="~/media/video.html"><img src="~/assets/img/ico-video.svg" alt="" width="32" height="32">홍보 영상</a></li>
<li><a href="~/notice/view-104.html"><img src="~/assets/img/ico-device.svg" alt="" width="32" height="32">보조기기 보급</a></li>
</ul>
</section>
<section class="latest" aria-labelledby="latest-title">
<h2 id="latest-title" class="section-title">공지사항</h2>
<ul>{latest}</ul>
<a class="more-link" href="~/notice/list-1.html">공지사항 전체 목록</a>
<p><a class="popup-link" href="~/popup/notice-popup.html" onclick="{popup_onclick}">{popup_label}</a></p>
</section>
</div>
<section class="policy-focus" aria-labelledby="focus-title">
<h2 id="focus-title" class="section-title">정책 포커스</h2>
<ul class="focus-cards">
<li><img class="focus-1" src="~/assets/img/focus-1.png" alt="교실에서 어르신들이 강사와 함께 태블릿을 배우는 모습" width="240" height="150"><h3><a href="~/notice/view-103.html">고령층 키오스크 교육 확대</a></h3><p>전국 300곳에서 키오스크 실습 교육을 엽니다.</p></li>
<li><img class="focus-2" src="~/assets/img/focus-2.png"{focus_alt_2} width="240" height="150"><h3><a href="~/notice/view-111.html">농어촌 디지털 포용 자문단</a></h3><p>농어민의 목소리를 정책에 담을 자문위원을 모십니다.</p></li>
<li><img class="focus-3" src="~/assets/img/focus-3.png" alt="청각장애인 교육생이 수어 통역과 함께 수업을 듣는 모습" width="240" height="150"><h3><a href="~/notice/view-104.html">정보통신보조기기 보급</a></h3><p>장애인과 고령층에게 보조기기 구매비를 지원합니다.</p></li>
</ul>
</section>
<section class="banner-zone rolling" aria-labelledby="bz-title">
<h2 id="bz-title" class="section-title">관련 누리집</h2>
<div class="bz-viewport"><ul class="bz-list">
<li><a href="~/related/digital-baeumteo.html" target="_blank">디지털배움터 {NEW_WINDOW}</a></li>
<li><a href="~/en/index.html" lang="en">Ministry of Digital Inclusion (English)</a></li>
<li><a href="~/stats/index.html">정보공개·통계 포털</a></li>
<li><a href="~/help/faq.html">민원 도움말</a></li>
</ul></div>
<div class="bz-controls"><button type="button" class="bz-toggle">배너 움직임 정지</button></div>
</section>"""
    path = f"{FIXED_DIR}/home.html" if fixed else "index.html"
    return document(path, title=SITE, main=main, layout="wide", main_class="home")


# --------------------------------------------------------------------------------------------- about


def greeting(fixed: bool) -> Page:
    # Background music that starts on its own, loops, and has no control to stop it; the twin drops it.
    audio = "" if fixed else '<audio class="bgm" src="~/assets/media/greeting-bgm.wav" autoplay loop></audio>'
    main = f"""<h1>인사말</h1>
{audio}
<p>안녕하십니까. 디지털포용부 누리집을 찾아 주신 여러분을 진심으로 환영합니다.</p>
<p>디지털 기술은 우리의 일상을 빠르게 바꾸고 있습니다. 은행 업무와 병원 예약, 행정 민원까지 온라인으로 처리하는
시대가 되었지만, 여전히 많은 분들이 키오스크 앞에서 망설이고 스마트폰 앱 앞에서 도움을 찾고 계십니다.</p>
<p>디지털포용부는 나이와 장애, 소득과 사는 곳에 관계없이 모든 국민이 디지털 세상의 혜택을 누릴 수 있도록
교육과 기기 보급, 웹 접근성 개선을 꾸준히 추진하겠습니다.</p>
<p>국민 여러분의 의견에 귀 기울이며, 누구도 소외되지 않는 디지털 사회를 함께 만들어 가겠습니다. 감사합니다.</p>
<p class="sign">디지털포용부 장관 <strong>홍길동</strong></p>
<h2>함께 보기</h2>
<ul>
<li><a href="~/about/vision.html">비전과 목표</a></li>
<li><a href="~/related/digital-baeumteo.html" target="_blank">디지털배움터 누리집 {NEW_WINDOW}</a></li>
</ul>"""
    path = f"{FIXED_DIR}/about/greeting.html" if fixed else "about/greeting.html"
    return document(path, title=title_of("인사말", "about"), main=main, section="about", crumb="인사말")


HISTORY = [
    (
        "2020년대",
        [
            ("2025. 3.", "디지털배움터 전국 1,000곳으로 확대"),
            ("2024. 9.", "웹 접근성 품질인증 기준 KWCAG 2.2 적용"),
            ("2022. 12.", "한국형 웹 콘텐츠 접근성 지침 2.2 제정 지원"),
        ],
    ),
    (
        "2010년대",
        [("2018. 6.", "정보통신보조기기 보급 사업 확대"), ("2013. 11.", "웹 접근성 품질인증 법적 근거 마련")],
    ),
]


def history() -> Page:
    blocks = []
    for decade, events in HISTORY:
        items = "".join(f"<li><strong>{when}</strong> {what}</li>" for when, what in events)
        # A heading wrapped in a <div> directly inside the <ul>: the list is not a valid list.
        blocks.append(f'<div class="decade"><h2>{decade}</h2></div>{items}')
    main = f"""<h1>연혁</h1>
<p>디지털포용부가 걸어온 길입니다.</p>
<ul class="timeline">{"".join(blocks)}</ul>"""
    return document(
        "about/history.html", title=title_of("연혁", "about"), main=main, section="about", crumb="연혁"
    )


def organization() -> Page:
    rows = [
        ("기획조정실", "부 예산·법령·국회 업무, 정책 평가", "044-000-1100"),
        ("디지털포용정책국", "디지털 포용 정책 수립, 디지털배움터 운영", "044-000-1200"),
        ("정보접근성국", "웹·앱 접근성 정책, 품질인증 제도, 보조기기 보급", "044-000-1300"),
        ("디지털역량국", "정보화교육, 디지털역량 진단, 실태조사", "044-000-1400"),
        ("대변인·감사관", "언론 홍보, 자체 감사", "044-000-1500"),
    ]
    body = "".join(f'<tr><th scope="row">{a}</th><td>{b}</td><td>{c}</td></tr>' for a, b, c in rows)
    main = f"""<h1>조직도</h1>
<p><img src="~/assets/img/org-chart.svg" alt="디지털포용부 조직도. 장관 아래 차관이 있고, 차관 아래 기획조정실, 디지털포용정책국, 정보접근성국, 디지털역량국을 둡니다. 대변인·감사관은 차관 직속입니다." width="640" height="300"></p>
<h2>부서별 업무와 연락처</h2>
<table>
<caption>부서별 담당 업무와 대표 전화번호</caption>
<thead><tr><th scope="col">부서</th><th scope="col">담당 업무</th><th scope="col">대표 전화</th></tr></thead>
<tbody>{body}</tbody>
</table>"""
    # No skip link at all on this page.
    return document(
        "about/organization.html",
        title=title_of("조직도", "about"),
        main=main,
        section="about",
        crumb="조직도",
        skip="missing",
    )


def vision() -> Page:
    # The steps are written 1-2-3 in the source but shown 3-2-1 on screen (column-reverse):
    # reading order and visual order disagree.
    main = """<h1>비전과 목표</h1>
<p class="vision-lead">비전: <strong>누구도 소외되지 않는 디지털 대한민국</strong></p>
<h2>3대 추진 전략</h2>
<ol class="strategy" style="display:flex;flex-direction:column-reverse;gap:12px">
<li><strong>1단계 배움:</strong> 생활 속 디지털 역량 교육을 전국 어디서나 받을 수 있게 합니다.</li>
<li><strong>2단계 접근:</strong> 공공·민간 누리집과 키오스크의 접근성을 높입니다.</li>
<li><strong>3단계 참여:</strong> 디지털 취약계층이 정책을 함께 만들도록 참여 통로를 넓힙니다.</li>
</ol>
<h2>2027년까지의 목표</h2>
<ul>
<li>디지털배움터 교육 수료생 연 50만 명</li>
<li>중앙행정기관 누리집 웹 접근성 품질인증 100%</li>
<li>취약계층 디지털정보화 수준 일반국민 대비 80% 이상</li>
</ul>"""
    return document(
        "about/vision.html",
        title=title_of("비전과 목표", "about"),
        main=main,
        section="about",
        crumb="비전과 목표",
    )


def location() -> Page:
    main = """<h1>오시는 길</h1>
<p>(30100) 세종특별자치시 가상로 100 정부세종청사 디지털포용부</p>
<iframe src="map-frame.html" width="600" height="340" class="map-frame"></iframe>
<h2>대중교통 이용</h2>
<ul>
<li>BRT: 정부세종청사 정류장 하차 후 도보 5분</li>
<li>KTX 오송역: BRT 환승, 약 20분</li>
</ul>
<h2>주차 안내</h2>
<p>방문객 주차장은 청사 남쪽 입구에 있으며, 장애인 전용 주차 구역은 민원실 바로 앞에 있습니다.</p>"""
    return document(
        "about/location.html",
        title=title_of("오시는 길", "about"),
        main=main,
        section="about",
        crumb="오시는 길",
    )


def map_frame() -> Page:
    html = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<title>디지털포용부 위치 지도</title>
<link rel="stylesheet" href="~/assets/css/common.css">
</head>
<body>
<main class="map-body" aria-label="위치 지도">
<h1 class="sr-only">디지털포용부 위치 지도</h1>
<img src="~/assets/img/map.svg" alt="정부세종청사는 동서 도로와 남북 도로가 만나는 곳의 북동쪽에 있고, BRT 정부세종청사 정류장은 교차로 남서쪽에 있습니다." width="600" height="340">
</main>
</body>
</html>
"""
    return finish("about/map-frame.html", html)


# --------------------------------------------------------------------------------------------- notice board


@dataclass(frozen=True)
class Post:
    no: int
    title: str
    dept: str
    date: str
    views: int
    body: tuple[str, ...]
    attachment: tuple[str, str] | None = None  # (file path, shown name)


POSTS = [
    Post(
        112,
        "2025년 정보화교육 운영계획 공고",
        "디지털역량국",
        "2025-03-04",
        1532,
        (
            "2025년 정보화교육 운영계획을 다음과 같이 알려 드립니다.",
            "올해는 전국 디지털배움터 1,000곳에서 생활 밀착형 교육 60개 과정을 운영합니다. 고령층을 위한 방문 교육과 장애인을 위한 맞춤형 교육을 새로 엽니다.",
            "교육 신청은 가까운 주민센터나 디지털배움터 누리집에서 할 수 있습니다.",
        ),
        ("files/notice-112-plan.txt", "2025년 정보화교육 운영계획.txt"),
    ),
    Post(
        111,
        "디지털포용 정책 자문위원 공개 모집",
        "디지털포용정책국",
        "2025-02-26",
        874,
        (
            "농어촌과 취약계층의 목소리를 정책에 담기 위해 자문위원을 공개 모집합니다.",
            "모집 인원은 20명이며, 임기는 위촉일부터 2년입니다. 관련 분야 경력 3년 이상인 분이면 누구나 지원할 수 있습니다.",
        ),
    ),
    Post(
        110,
        "개인정보 처리방침 개정 안내",
        "기획조정실",
        "2025-02-17",
        412,
        (
            "개인정보 보호법 개정에 따라 개인정보 처리방침을 고쳤습니다.",
            "주요 변경 사항은 개인정보 보유 기간 명시와 처리 위탁 업체 목록 갱신입니다. 자세한 내용은 개인정보처리방침 페이지를 확인해 주십시오.",
        ),
    ),
    Post(
        109,
        "누리집 서비스 일시 중단 안내(서버 점검)",
        "기획조정실",
        "2025-02-10",
        655,
        (
            "서버 장비 교체 작업으로 누리집 서비스가 잠시 중단됩니다.",
            "중단 일시는 2월 15일(토) 02:00부터 06:00까지입니다. 이용에 불편을 드려 죄송합니다.",
        ),
    ),
    Post(
        108,
        "설 연휴 민원 접수 일정 안내",
        "민원담당관",
        "2025-01-20",
        2210,
        (
            "설 연휴 기간 온라인 민원은 평소와 같이 접수하며, 처리는 연휴가 끝난 뒤 차례대로 진행합니다.",
            "자세한 일정은 안내 창에서 확인해 주십시오.",
        ),
    ),
    Post(
        107,
        "디지털 역량 강화 우수사례 공모전 결과 발표",
        "디지털역량국",
        "2025-01-13",
        1310,
        (
            "디지털 역량 강화 우수사례 공모전에 참여해 주신 모든 분께 감사드립니다.",
            "대상은 '마을 이장님과 함께하는 스마트폰 교실'이 받았습니다. 수상작은 디지털배움터 누리집에서 볼 수 있습니다.",
        ),
    ),
    Post(
        106,
        "2024년 디지털정보격차 실태조사 결과 발표",
        "디지털역량국",
        "2024-12-30",
        3021,
        (
            "2024년 디지털정보격차 실태조사 결과를 발표합니다.",
            "4대 취약계층의 디지털정보화 수준은 일반국민 대비 76.9%로 지난해보다 0.7%포인트 올랐습니다. 자세한 수치는 통계 메뉴에서 확인할 수 있습니다.",
        ),
    ),
    Post(
        105,
        "웹 접근성 품질인증 제도 설명회 개최",
        "정보접근성국",
        "2024-12-16",
        988,
        (
            "웹 접근성 품질인증 제도가 KWCAG 2.2 기준으로 바뀐 데 따른 설명회를 엽니다.",
            "설명회는 12월 20일(금) 14시, 정부세종청사 대회의실에서 열리며 온라인으로도 함께 중계합니다.",
        ),
    ),
    Post(
        104,
        "정보통신보조기기 보급사업 신청 안내",
        "정보접근성국",
        "2024-12-02",
        4120,
        (
            "장애인과 고령층의 정보 접근을 돕는 보조기기 구매비를 지원합니다.",
            "지원 대상 기기는 화면낭독 프로그램, 점자정보단말기, 독서확대기 등 100여 종이며 구매비의 80%를 지원합니다.",
        ),
        ("files/notice-104-devices.txt", "2025 보조기기 지원 품목.txt"),
    ),
    Post(
        103,
        "고령층 키오스크 이용 교육 참여기관 모집",
        "디지털포용정책국",
        "2024-11-18",
        760,
        (
            "고령층 키오스크 실습 교육을 함께 운영할 기관을 모집합니다.",
            "선정된 기관에는 실습용 키오스크와 교재, 강사비를 지원합니다.",
        ),
    ),
    Post(
        102,
        "디지털 포용 주간 행사 개최 안내",
        "디지털포용정책국",
        "2024-11-04",
        530,
        (
            "디지털 포용 주간을 맞아 전국에서 체험 행사를 엽니다.",
            "행사장에서는 키오스크 체험, 스마트폰 사진 교실, 보조기기 전시를 만날 수 있습니다.",
        ),
    ),
    Post(
        101,
        "2025년 디지털배움터 교육 강사 모집 공고",
        "디지털역량국",
        "2024-10-21",
        2875,
        (
            "2025년 디지털배움터에서 활동할 교육 강사를 모집합니다.",
            "모집 분야는 스마트폰 기초, 온라인 민원, 키오스크 활용이며, 교육 경력이 있는 분을 우대합니다.",
            "자세한 자격 요건은 붙임 모집 요강을 참고해 주십시오.",
        ),
        ("files/notice-101-guide.txt", "2025 디지털배움터 강사 모집 요강.txt"),
    ),
]

PAGES_OF_LIST = [POSTS[0:5], POSTS[5:10], POSTS[10:12]]


def notice_list(n: int) -> Page:
    posts = PAGES_OF_LIST[n - 1]
    rows = "".join(
        f'<tr><td>{p.no}</td><td class="title"><a href="~/notice/view-{p.no}.html">{p.title}</a></td>'
        f"<td>{p.dept}</td><td>{p.date}</td><td>{p.views:,}</td></tr>"
        for p in posts
    )
    last = len(PAGES_OF_LIST)
    numbers = "".join(
        f'<a href="~/notice/list-{i}.html"{CURRENT if i == n else ""}>{i}</a>' for i in range(1, last + 1)
    )
    prev = f'<a href="~/notice/list-{n - 1}.html">이전 페이지</a>' if n > 1 else "<span>이전 페이지</span>"
    if n < last and n == 1:
        # The "next" arrow is a 12 x 12 px target squeezed against the page numbers.
        nxt = f'<a class="pg-next" href="~/notice/list-{n + 1}.html" style="min-width:0;min-height:0;margin-left:-6px;padding:0;border:0;line-height:0"><img src="~/assets/img/ico-next.svg" alt="다음 페이지" width="12" height="12"></a>'
    elif n < last:
        nxt = f'<a href="~/notice/list-{n + 1}.html">다음 페이지</a>'
    else:
        nxt = "<span>다음 페이지</span>"
    if n == 2:
        # Icon-only search button with no text at all, and a pale grey guide line.
        button = '<button type="submit" class="btn-primary btn-icon"><img src="~/assets/img/ico-search.svg" alt="" width="20" height="20"></button>'
        guide = '<p class="board-guide" style="color:#b4b4b4">게시물에 대한 문의는 담당 부서로 연락해 주십시오.</p>'
    else:
        button = '<button type="submit" class="btn-primary">검색</button>'
        guide = '<p class="board-guide">게시물에 대한 문의는 담당 부서로 연락해 주십시오.</p>'
    if n == 3:
        title = f"{SITE} >> 알림마당 >> 공지사항 >> 3페이지"
    else:
        title = title_of(f"공지사항 목록 {n}페이지", "notice")
    main = f"""<h1>공지사항</h1>
<form class="board-search" action="~/notice/list-1.html">
<label for="search-field" class="sr-only">검색 항목</label>
<select id="search-field" name="field"><option value="title">제목</option><option value="body">내용</option><option value="dept">담당부서</option></select>
<label for="search-word" class="sr-only">검색어</label><input id="search-word" name="word" type="text">
{button}
</form>
<p class="board-total">전체 {len(POSTS)}건, {n}/{last}페이지</p>
{guide}
<table class="board-list">
<caption>공지사항 목록: 번호, 제목, 담당부서, 등록일, 조회수</caption>
<thead><tr><th scope="col">번호</th><th scope="col">제목</th><th scope="col">담당부서</th><th scope="col">등록일</th><th scope="col">조회수</th></tr></thead>
<tbody>{rows}</tbody>
</table>
<nav class="paging" aria-label="공지사항 목록 페이지">
{prev}
{numbers}
{nxt}
</nav>"""
    return document(f"notice/list-{n}.html", title=title, main=main, section="notice", crumb="공지사항")


def list_page_of(post: Post) -> int:
    for i, chunk in enumerate(PAGES_OF_LIST, start=1):
        if post in chunk:
            return i
    raise ValueError(post.no)


def notice_view(post: Post) -> Page:
    idx = POSTS.index(post)
    newer = POSTS[idx - 1] if idx > 0 else None
    older = POSTS[idx + 1] if idx + 1 < len(POSTS) else None
    paragraphs = [f"<p>{text}</p>" for text in post.body]
    lang = "ko"
    skip = "first"
    title = title_of(post.title, "notice")
    extra_body = ""
    attach = ""
    if post.attachment:
        file_path, shown = post.attachment
        if post.no == 101:
            # The only link to the file is an icon with an empty alt: the link has no name.
            attach = f'<li><span class="file-name">{shown} (2KB)</span> <a class="file-down" href="~/{file_path}"><img src="~/assets/img/ico-download.svg" alt="" width="24" height="24"></a></li>'
        elif post.no == 104:
            # The same attribute twice on one element (a markup error in the raw HTML).
            attach = f'<li><img class="file-icon" class="icon" src="~/assets/img/ico-download.svg" alt="" width="24" height="24"> <a href="~/{file_path}">{shown} 내려받기</a></li>'
        else:
            attach = f'<li><img src="~/assets/img/ico-download.svg" alt="" width="24" height="24"> <a href="~/{file_path}">{shown} 내려받기</a></li>'
        attach = f'<div class="attach"><h2>첨부파일</h2><ul>{attach}</ul></div>'
    if post.no == 102:
        skip = "broken"
    if post.no == 103:
        # A link told apart from the text around it by colour alone, and barely at that.
        extra_body = '<p class="apply-guide" style="color:#222">참여를 원하는 기관은 <a class="plain-link" href="~/minwon/index.html" style="color:#3a3a3a;text-decoration:none">민원 안내 페이지</a>에서 신청서 양식을 확인한 뒤 전자우편으로 제출해 주십시오.</p>'
    if post.no in (104, 105):
        title = title_of("공지사항", "notice")  # the same title on two different posts
    if post.no == 105:
        # Misnested inline tags.
        paragraphs.insert(
            0, '<p class="lead">설명회는 <strong><em>12월 20일(금) 14시</strong></em>에 열립니다.</p>'
        )
    if post.no == 106:
        lang = "en"  # a Korean page declared as English
    if post.no == 107:
        extra_body = '<p>수상작 전체는 <a class="related-link" href="~/related/digital-baeumteo.html" target="_blank">디지털배움터 누리집</a>에서 볼 수 있습니다.</p>'
    if post.no == 108:
        extra_body = (
            '<p><a class="popup-link" href="~/popup/notice-popup.html" onclick="window.open(this.href, \'holiday\', '
            f"'width=480,height=560'); return false;\">설 연휴 민원 접수 일정 안내 {NEW_WINDOW}</a></p>"
        )
    if post.no == 112:
        extra_body = f'<p>교육 과정은 <a href="~/related/digital-baeumteo.html" target="_blank">디지털배움터 누리집 {NEW_WINDOW}</a>에서도 볼 수 있습니다.</p>'
    nav_items = []
    if newer:
        nav_items.append(f'<li>다음 글: <a href="~/notice/view-{newer.no}.html">{newer.title}</a></li>')
    if older:
        nav_items.append(f'<li>이전 글: <a href="~/notice/view-{older.no}.html">{older.title}</a></li>')
    main = f"""<article class="bbs-view">
<h1>{post.title}</h1>
<dl class="meta"><dt>담당부서</dt><dd>{post.dept}</dd><dt>등록일</dt><dd>{post.date}</dd><dt>조회수</dt><dd>{post.views:,}</dd></dl>
<div class="bbs-body">
{"".join(paragraphs)}
{extra_body}
</div>
{attach}
</article>
<nav class="prev-next" aria-label="이전 글과 다음 글"><ul>{"".join(nav_items)}</ul></nav>
<div class="list-actions"><a class="btn" href="~/notice/list-{list_page_of(post)}.html">목록으로 돌아가기</a></div>"""
    return document(
        f"notice/view-{post.no}.html",
        title=title,
        main=main,
        section="notice",
        crumb="공지사항",
        lang=lang,
        skip=skip,
    )


def attachments() -> dict[str, str]:
    return {
        "files/notice-101-guide.txt": "2025 디지털배움터 강사 모집 요강\n\n1. 모집 분야: 스마트폰 기초, 온라인 민원, 키오스크 활용\n2. 자격: 성인 대상 교육 경력 1년 이상\n3. 접수: 2024. 10. 21. ~ 11. 8.\n",
        "files/notice-104-devices.txt": "2025 정보통신보조기기 지원 품목\n\n- 화면낭독 프로그램\n- 점자정보단말기\n- 독서확대기\n- 특수 키보드와 마우스\n",
        "files/notice-112-plan.txt": "2025년 정보화교육 운영계획\n\n- 디지털배움터 1,000곳, 생활 밀착형 60개 과정\n- 고령층 방문 교육, 장애인 맞춤형 교육 신설\n",
    }


# --------------------------------------------------------------------------------------------- minwon


def minwon_index() -> Page:
    services = [
        (
            "minwon/certificate.html",
            "증명서 발급 신청",
            "교육 수료증, 보조기기 지원 확인서 등을 온라인으로 신청합니다.",
            "1일",
        ),
        (
            "minwon/report-form.html",
            "불편 신고",
            "공공 누리집이나 키오스크를 쓰다 겪은 불편을 알려 주세요.",
            "7일",
        ),
        (
            "minwon/consult.html",
            "온라인 상담 신청",
            "디지털 교육과 보조기기에 관해 전문 상담원과 상담합니다.",
            "3일",
        ),
    ]
    rows = "".join(
        f'<tr><th scope="row"><a href="~/{href}">{name}</a></th><td class="title">{desc}</td><td>{days}</td></tr>'
        for href, name, desc, days in services
    )
    main = f"""<h1>민원 안내</h1>
<marquee class="urgent-ticker">[긴급] 2월 15일(토) 02:00~06:00 서버 점검으로 온라인 민원 신청이 잠시 중단됩니다.</marquee>
<form class="board-search" action="~/search.html">
<label for="minwon-q">민원 서비스 찾기</label><input id="minwon-q" name="q" type="text">
<input type="image" class="search-image" src="~/assets/img/btn-search.png" width="24" height="24">
</form>
<h2>온라인으로 신청할 수 있는 민원</h2>
<table>
<caption>온라인 민원 서비스와 처리 기간</caption>
<thead><tr><th scope="col">민원</th><th scope="col">설명</th><th scope="col">처리 기간</th></tr></thead>
<tbody>{rows}</tbody>
</table>
<h2>방문 민원</h2>
<p>정부세종청사 민원실(1층)에서 평일 09:00~18:00에 접수합니다. 청각장애인을 위한 수어 통역은 하루 전에 예약해 주십시오.</p>"""
    return document(
        "minwon/index.html",
        title=title_of("민원 안내", "minwon"),
        main=main,
        section="minwon",
        crumb="민원 안내",
    )


CERT_KINDS = ["정보화교육 수료증", "정보통신보조기기 지원 확인서", "디지털역량 진단 결과서"]


def certificate(fixed: bool) -> Page:
    options = "".join(f'<option value="{i}">{kind}</option>' for i, kind in enumerate(CERT_KINDS, start=1))
    if fixed:
        guide = '<p class="form-guide"><span class="req">(필수)</span> 표시가 붙은 항목은 반드시 입력해야 합니다.</p>'
        name_row = '<div class="row"><label for="applicant-name">성명 <span class="req">(필수)</span></label><input id="applicant-name" type="text" name="name" autocomplete="name" required></div>'
        birth_label = '<label for="birth">생년월일 <span class="req">(필수)</span></label>'
        tel_label = '<label for="tel">휴대전화 <span class="req">(필수)</span></label>'
        kind_row = f'<div class="row"><label for="cert-kind">증명서 종류 <span class="req">(필수)</span></label><select id="cert-kind" name="kind" required>{options}</select></div>'
        instruction = '<p class="instr">작성을 마치면 <strong>신청</strong> 버튼을 누르세요.</p>'
        req = " required"
    else:
        # Required fields are marked by red colour alone; two fields have no label at all.
        guide = '<p class="form-guide">빨간색으로 표시된 항목은 반드시 입력해야 합니다.</p>'
        name_row = '<div class="row"><span class="lbl req-color">성명</span><input type="text" name="name" class="applicant-name"></div>'
        birth_label = '<label for="birth" class="req-color">생년월일</label>'
        tel_label = '<label for="tel" class="req-color">휴대전화</label>'
        kind_row = f'<div class="row"><span class="lbl req-color">증명서 종류</span><select name="kind" class="cert-kind">{options}</select></div>'
        instruction = '<p class="instr">작성을 마치면 오른쪽 아래의 초록색 버튼을 누르세요.</p>'
        req = ""
    main = f"""<h1>증명서 발급 신청</h1>
<p>디지털포용부가 발급하는 증명서를 온라인으로 신청할 수 있습니다. 발급된 증명서는 전자우편이나 우편으로 받습니다.</p>
{guide}
<form class="apply-form" action="~/minwon/certificate.html" method="get">
<fieldset><legend>신청인 정보</legend>
{name_row}
<div class="row">{birth_label}<input id="birth" type="text" name="birth" inputmode="numeric" autocomplete="bday"{req}></div>
<p class="hint" id="birth-hint">예: 19800101 (숫자 8자리)</p>
<div class="row">{tel_label}<input id="tel" type="tel" name="tel" autocomplete="tel"{req}></div>
<div class="row"><label for="email">전자우편</label><input id="email" type="email" name="email" autocomplete="email"></div>
</fieldset>
<fieldset><legend>발급 내용</legend>
{kind_row}
<div class="row"><label for="copies">발급 부수</label><input id="copies" type="number" name="copies" min="1" max="5" value="1"></div>
<fieldset class="choices"><legend>수령 방법</legend>
<label><input type="radio" name="delivery" value="email" checked> 전자우편</label>
<label><input type="radio" name="delivery" value="post"> 우편</label>
</fieldset>
</fieldset>
{instruction}
<div class="form-actions"><button type="reset" class="btn">다시 쓰기</button><button type="submit" class="btn-green">신청</button></div>
</form>"""
    path = f"{FIXED_DIR}/minwon/certificate.html" if fixed else "minwon/certificate.html"
    return document(
        path,
        title=title_of("증명서 발급 신청", "minwon"),
        main=main,
        section="minwon",
        crumb="증명서 발급 신청",
    )


def report_form() -> Page:
    # The text area has a caption-like <div> but no label; errors are announced by alert() only.
    main = """<h1>불편 신고</h1>
<p>공공 누리집이나 무인 주문기(키오스크)를 이용하다 겪은 불편을 알려 주시면 해당 기관에 개선을 요청합니다.</p>
<form class="apply-form" action="~/minwon/report-form.html" method="get" onsubmit="if (!this.subject.value) { alert('입력 오류'); return false; }">
<div class="row"><label for="subject">제목</label><input id="subject" type="text" name="subject"></div>
<div class="row"><label for="where">불편을 겪은 곳</label><input id="where" type="text" name="where"></div>
<div class="row"><div class="lbl">내용</div><textarea name="body" class="report-body" rows="6" cols="40"></textarea></div>
<div class="row"><label for="evidence">사진 첨부</label><input id="evidence" type="file" name="evidence"></div>
<div class="form-actions"><button type="submit" class="btn-primary">신고하기</button></div>
</form>"""
    return document(
        "minwon/report-form.html",
        title=title_of("불편 신고", "minwon"),
        main=main,
        section="minwon",
        crumb="불편 신고",
    )


def consult() -> Page:
    # Two elements share one id.
    main = """<h1>온라인 상담 신청</h1>
<ol class="steps">
<li><h2>상담 신청</h2><p id="step-guide">아래 양식을 작성해 상담을 신청합니다.</p></li>
<li><h2>상담원 배정</h2><p id="step-guide">영업일 기준 하루 안에 담당 상담원을 배정합니다.</p></li>
<li><h2>상담 진행</h2><p>배정된 상담원이 전화나 전자우편으로 연락드립니다.</p></li>
</ol>
<form class="apply-form" action="~/minwon/consult.html" method="get">
<div class="row"><label for="c-name">성명</label><input id="c-name" type="text" name="name" autocomplete="name"></div>
<div class="row"><label for="c-phone">연락처</label><input id="c-phone" type="tel" name="phone" autocomplete="tel"></div>
<div class="row"><label for="c-topic">상담 분야</label><select id="c-topic" name="topic"><option>디지털 교육</option><option>정보통신보조기기</option><option>웹 접근성</option><option>기타</option></select></div>
<div class="row"><label for="c-body">상담 내용</label><textarea id="c-body" name="body" rows="6" cols="40"></textarea></div>
<fieldset class="choices"><legend>개인정보 수집·이용 동의</legend>
<label><input type="radio" name="agree" value="yes"> 동의합니다</label>
<label><input type="radio" name="agree" value="no" checked> 동의하지 않습니다</label>
</fieldset>
<div class="form-actions"><button type="submit" class="btn-primary">상담 신청</button></div>
</form>"""
    return document(
        "minwon/consult.html",
        title=title_of("온라인 상담 신청", "minwon"),
        main=main,
        section="minwon",
        crumb="온라인 상담 신청",
    )


# --------------------------------------------------------------------------------------------- statistics

USAGE = [
    ("10대", 99.1, 99.3, 99.5),
    ("20대", 99.9, 99.9, 99.9),
    ("30대", 99.9, 99.9, 99.9),
    ("40대", 99.5, 99.7, 99.8),
    ("50대", 97.9, 98.4, 98.9),
    ("60대", 90.5, 92.1, 94.0),
    ("70대 이상", 46.2, 52.8, 58.3),
]

LEVELS = [
    ("장애인", 82.2, 63.9, 75.9, 76.3),
    ("고령층", 76.2, 54.0, 68.4, 70.7),
    ("저소득층", 96.2, 75.2, 84.0, 86.2),
    ("농어민", 80.4, 57.5, 71.1, 72.5),
]

REGIONS = [
    ("서울", 5820, 71240, 91.2),
    ("부산", 2410, 30315, 89.7),
    ("대구", 1690, 21050, 90.4),
    ("광주", 980, 12330, 92.0),
    ("세종", 320, 4120, 93.1),
    ("제주", 510, 6275, 88.5),
]

SAMPLE_NOTE = '<p class="note">이 누리집의 통계는 예제용 가상 수치입니다. 실제 통계로 인용하지 마십시오.</p>'


def level_chart_svg() -> str:
    """The bar chart of the statistics overview (its numbers are repeated in a table on the page)."""
    bars = "".join(
        f'<rect x="{60 + i * 80}" y="{200 - round(v[4] * 1.8)}" width="48" height="{round(v[4] * 1.8)}" fill="#2d5c9a"/>'
        f'<text x="{84 + i * 80}" y="222" text-anchor="middle">{v[0]}</text>'
        f'<text x="{84 + i * 80}" y="{194 - round(v[4] * 1.8)}" text-anchor="middle">{v[4]}</text>'
        for i, v in enumerate(LEVELS)
    )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="420" height="240" viewBox="0 0 420 240" font-family="sans-serif" font-size="13">'
        f'<rect width="420" height="240" fill="#ffffff"/><line x1="40" y1="200" x2="400" y2="200" stroke="#333"/>{bars}</svg>\n'
    )


def stats_index() -> Page:
    rows = "".join(f'<tr><th scope="row">{v[0]}</th><td class="num">{v[4]}</td></tr>' for v in LEVELS)
    main = f"""<h1>통계 한눈에 보기</h1>
{SAMPLE_NOTE}
<h2>실시간 민원 처리 현황</h2>
<p>이 화면은 5분마다 자동으로 새로 고쳐집니다.</p>
<dl class="live-stats"><dt>오늘 접수</dt><dd>128건</dd><dt>처리 완료</dt><dd>97건</dd><dt>처리 중</dt><dd>31건</dd></dl>
<h2>계층별 디지털정보화 종합 수준</h2>
<p><img src="~/assets/img/chart-levels.svg" alt="계층별 디지털정보화 종합 수준 막대그래프 (일반국민 100 기준). 수치는 아래 표와 같습니다." width="420" height="240"></p>
<table>
<caption>계층별 디지털정보화 종합 수준 (일반국민 = 100)</caption>
<thead><tr><th scope="col">계층</th><th scope="col">종합 수준</th></tr></thead>
<tbody>{rows}</tbody>
</table>
<h2>세부 통계</h2>
<ul>
<li><a href="~/stats/internet-usage.html">연령대별 인터넷 이용률</a></li>
<li><a href="~/stats/digital-level.html">계층별 디지털정보화 수준</a></li>
<li><a href="~/stats/region.html">지역별 디지털배움터 교육 실적</a></li>
</ul>"""
    return document(
        "stats/index.html",
        title=title_of("통계 한눈에 보기", "stats"),
        main=main,
        section="stats",
        crumb="통계 한눈에 보기",
        skip="late",
        head_extra='<meta http-equiv="refresh" content="300">\n',
    )


def internet_usage(fixed: bool) -> Page:
    if fixed:
        body = "".join(
            f'<tr><th scope="row">{a}</th><td class="num">{b}</td><td class="num">{c}</td><td class="num">{d}</td></tr>'
            for a, b, c, d in USAGE
        )
        table = f"""<table class="usage-table">
<caption>연령대별 인터넷 이용률 (단위: %, 2022~2024년)</caption>
<thead><tr><th scope="col">연령대</th><th scope="col">2022년</th><th scope="col">2023년</th><th scope="col">2024년</th></tr></thead>
<tbody>{body}</tbody>
</table>"""
    else:
        # A data table built from <td> only: it has a caption, but no header cells.
        body = "".join(
            f'<tr><td>{a}</td><td class="num">{b}</td><td class="num">{c}</td><td class="num">{d}</td></tr>'
            for a, b, c, d in USAGE
        )
        table = f"""<table class="usage-table">
<caption>연령대별 인터넷 이용률 (단위: %, 2022~2024년)</caption>
<tr><td><b>연령대</b></td><td><b>2022년</b></td><td><b>2023년</b></td><td><b>2024년</b></td></tr>
{body}
</table>"""
    main = f"""<h1>연령대별 인터넷 이용률</h1>
{SAMPLE_NOTE}
<p>최근 1개월 안에 인터넷을 이용한 사람의 비율입니다. 70대 이상의 이용률이 빠르게 오르고 있지만 여전히 다른 연령대와 차이가 큽니다.</p>
{table}
<p>조사 기간: 매년 8~10월, 표본: 전국 25,000가구 만 3세 이상 가구원.</p>"""
    path = f"{FIXED_DIR}/stats/internet-usage.html" if fixed else "stats/internet-usage.html"
    return document(
        path,
        title=title_of("연령대별 인터넷 이용률", "stats"),
        main=main,
        section="stats",
        crumb="연령대별 인터넷 이용률",
    )


def digital_level() -> Page:
    body = "".join(
        f'<tr><th scope="row">{a}</th><td class="num">{b}</td><td class="num">{c}</td><td class="num">{d}</td><td class="num">{e}</td></tr>'
        for a, b, c, d, e in LEVELS
    )
    # Header cells are right, but the data table has no caption.
    main = f"""<h1>디지털정보화 수준</h1>
{SAMPLE_NOTE}
<p>일반국민의 수준을 100으로 놓고 취약계층의 접근·역량·활용 수준을 비교한 값입니다.</p>
<table class="level-table">
<thead><tr><th scope="col">계층</th><th scope="col">접근</th><th scope="col">역량</th><th scope="col">활용</th><th scope="col">종합</th></tr></thead>
<tbody>{body}</tbody>
</table>
<p>종합 수준은 접근 20%, 역량 40%, 활용 40%의 가중치로 계산합니다.</p>"""
    return document(
        "stats/digital-level.html",
        title=title_of("디지털정보화 수준", "stats"),
        main=main,
        section="stats",
        crumb="디지털정보화 수준",
    )


def region() -> Page:
    body = "".join(
        f'<tr><th scope="row">{a}</th><td class="num">{b:,}</td><td class="num">{c:,}</td><td class="num">{d}</td></tr>'
        for a, b, c, d in REGIONS
    )
    main = f"""<h1>지역별 교육 실적</h1>
{SAMPLE_NOTE}
<table>
<caption>2024년 시도별 디지털배움터 교육 실적</caption>
<thead><tr><th scope="col">시도</th><th scope="col">개설 과정 수</th><th scope="col">수강생 수</th><th scope="col">수료율(%)</th></tr></thead>
<tbody>{body}</tbody>
</table>
<p>나머지 시도의 실적은 다음 분기에 공개합니다.</p>"""
    # The help block sits in the top bar here, not in the footer as on every other page.
    return document(
        "stats/region.html",
        title=title_of("지역별 교육 실적", "stats"),
        main=main,
        section="stats",
        crumb="지역별 교육 실적",
        help_at="top",
    )


# --------------------------------------------------------------------------------------------- media


def video_page() -> Page:
    main = """<h1>디지털배움터 소개 영상</h1>
<div class="video-wrap"><video controls preload="none" width="640" height="360" poster="~/assets/img/poster-intro.png">
<source src="~/assets/media/baeumteo-intro.wav" type="audio/wav">
<track kind="captions" src="~/assets/media/baeumteo-intro.ko.vtt" srclang="ko" label="한국어 자막" default>
</video></div>
<section class="transcript" aria-labelledby="transcript-title">
<h2 id="transcript-title">영상 대본</h2>
<p>안녕하세요. 디지털배움터를 소개합니다. 디지털배움터는 가까운 주민센터와 도서관에서 누구나 무료로 디지털 교육을 받을 수 있는 곳입니다.</p>
<p>스마트폰 기초부터 키오스크 이용, 온라인 민원 신청까지 강사와 서포터즈가 눈높이에 맞춰 알려 드립니다. 교육 신청은 디지털포용부 누리집이나 전화 044-000-0000으로 하실 수 있습니다.</p>
</section>"""
    return document(
        "media/video.html",
        title=title_of("디지털배움터 소개 영상", "media"),
        main=main,
        section="media",
        crumb="디지털배움터 소개 영상",
    )


def video_nocap(fixed: bool) -> Page:
    track = (
        '\n<track kind="captions" src="~/assets/media/kiosk-guide.ko.vtt" srclang="ko" label="한국어 자막" default>'
        if fixed
        else ""
    )
    transcript = (
        """
<section class="transcript" aria-labelledby="transcript-title">
<h2 id="transcript-title">영상 대본</h2>
<p>무인 주문기, 키오스크 사용법을 차례대로 알려 드립니다. 먼저 화면 아래의 '주문 시작' 버튼을 누릅니다. 화면 읽기 기능이 필요하면 헤드폰을 연결하세요.</p>
<p>메뉴를 고른 뒤 수량을 정하고 '담기'를 누릅니다. 마지막으로 결제 방법을 고르고 카드를 넣으면 주문이 끝납니다.</p>
</section>"""
        if fixed
        else ""
    )
    main = f"""<h1>키오스크 이용 안내 영상</h1>
<p>식당과 병원, 민원실에서 만나는 무인 주문기 사용법을 영상으로 알려 드립니다.</p>
<div class="video-wrap"><video controls preload="none" width="640" height="360" poster="~/assets/img/poster-kiosk.png">
<source src="~/assets/media/kiosk-guide.wav" type="audio/wav">{track}
</video></div>{transcript}"""
    path = f"{FIXED_DIR}/media/video-nocap.html" if fixed else "media/video-nocap.html"
    return document(
        path,
        title=title_of("키오스크 이용 안내 영상", "media"),
        main=main,
        section="media",
        crumb="키오스크 이용 안내 영상",
    )


GALLERY_ALTS = [
    "디지털배움터 교실에서 어르신 네 분이 강사의 화면을 보며 스마트폰을 배우는 모습",
    "디지털 포용 주간 행사장 밖으로 보이는 들판과 해",
    "디지털배움터 수료식에 모인 교육생들",
    "농촌 마을 찾아가는 교육 버스가 선 언덕 풍경",
    "보조기기 체험 부스에서 교육생 다섯 명이 화면 확대 프로그램을 써 보는 모습",
]


def gallery(fixed: bool) -> Page:
    if fixed:
        alts = GALLERY_ALTS
        photo3 = f'<a href="~/notice/view-107.html"><img src="~/assets/img/gallery-3.png" alt="{alts[2]}: 공모전 결과 발표 글 보기" width="360" height="240"></a>'
        note = '<p class="gallery-note">사진은 교육생의 동의를 받아 게시했습니다.</p>'
        tools = '<div class="photo-tools"><button type="button" class="zoom-btn" style="width:32px;height:32px"><img src="~/assets/img/ico-zoom.svg" alt="크게 보기" width="24" height="24"></button><a class="btn" href="~/assets/img/gallery-5.png" download>원본 사진 내려받기</a></div>'
        more = '<button type="button" class="btn more-photos">사진 더 보기</button>'
    else:
        alts = ["이미지", "gallery_0312.png", "", GALLERY_ALTS[3], GALLERY_ALTS[4]]
        photo3 = '<a href="~/notice/view-107.html"><img src="~/assets/img/gallery-3.png" alt="" width="360" height="240"></a>'
        note = '<p class="gallery-note" style="color:#a8a8a8">사진은 교육생의 동의를 받아 게시했습니다.</p>'
        tools = '<div class="photo-tools"><button type="button" class="zoom-btn" style="width:12px;height:12px"><img src="~/assets/img/ico-zoom.svg" alt="크게 보기" width="10" height="10"></button><a class="btn" href="~/assets/img/gallery-5.png" download>원본 사진 내려받기</a></div>'
        more = '<div class="more-photos" onclick="this.textContent = \'더 볼 사진이 없습니다.\'">사진 더 보기</div>'
    captions = [
        "스마트폰 기초 교실 (2025년 3월)",
        "디지털 포용 주간 (2024년 11월)",
        "공모전 시상식 (2025년 1월)",
        "찾아가는 교육 (2024년 10월)",
        "보조기기 체험 (2024년 12월)",
    ]
    figures = [
        f'<li><figure class="photo-1"><img src="~/assets/img/gallery-1.png" alt="{alts[0]}" width="360" height="240"><figcaption>{captions[0]}</figcaption></figure></li>',
        f'<li><figure class="photo-2"><img src="~/assets/img/gallery-2.png" alt="{alts[1]}" width="360" height="240"><figcaption>{captions[1]}</figcaption></figure></li>',
        f'<li><figure class="photo-3">{photo3}<figcaption>{captions[2]}</figcaption></figure></li>',
        f'<li><figure class="photo-4"><img src="~/assets/img/gallery-4.png" alt="{alts[3]}" width="360" height="240"><figcaption>{captions[3]}</figcaption></figure></li>',
        f'<li><figure class="photo-5"><img src="~/assets/img/gallery-5.png" alt="{alts[4]}" width="360" height="240"><figcaption>{captions[4]}</figcaption></figure>{tools}</li>',
    ]
    main = f"""<h1>포토 갤러리</h1>
<p>디지털포용부의 교육과 행사 현장을 사진으로 전합니다.</p>
{note}
<ul class="gallery">{"".join(figures)}</ul>
{more}"""
    path = f"{FIXED_DIR}/media/gallery.html" if fixed else "media/gallery.html"
    return document(
        path, title=title_of("포토 갤러리", "media"), main=main, section="media", crumb="포토 갤러리"
    )


# --------------------------------------------------------------------------------------------- member


def login(fixed: bool) -> Page:
    if fixed:
        head = ""
        pw_row = '<div class="row"><label for="userPw">비밀번호</label><input id="userPw" name="userPw" type="password" autocomplete="current-password"></div>'
        id_auto = "username"
        captcha = """<div class="captcha"><img src="~/assets/img/captcha.png" alt="자동입력 방지 문자 그림. 그림을 보기 어려우면 음성으로 들을 수 있습니다." width="160" height="50">
<p><a href="~/assets/media/captcha-audio.wav">자동입력 방지 문자 음성으로 듣기</a></p>
<div class="row"><label for="captchaInput">자동입력 방지 문자</label><input id="captchaInput" name="captcha" type="text" inputmode="numeric"></div></div>"""
        alternatives = """<h2>다른 방법으로 로그인</h2>
<p>비밀번호나 자동입력 방지 문자를 쓰기 어려우면 인증서로 로그인할 수 있습니다.</p>
<div class="form-actions"><button type="button" class="btn">간편인증 로그인</button><button type="button" class="btn">공동·금융인증서 로그인</button></div>"""
    else:
        # Focus outline removed; the password label points at an id that does not exist; the
        # CAPTCHA picture has no alt and no other way to pass it.
        head = "<style>.login-form input:focus { outline: none; }</style>\n"
        pw_row = '<div class="row"><label for="pw">비밀번호</label><input id="userPw" name="userPw" type="password" autocomplete="off"></div>'
        id_auto = "off"
        captcha = """<div class="captcha"><img class="captcha-img" src="~/assets/img/captcha.png" width="160" height="50">
<div class="row"><label for="captchaInput">자동입력 방지 문자</label><input id="captchaInput" name="captcha" type="text"></div>
<p class="hint">위 그림의 숫자를 입력하세요.</p></div>"""
        alternatives = ""
    main = f"""<div class="member-box">
<h1>로그인</h1>
<form class="login-form" action="~/member/login.html" method="get">
<div class="row"><label for="userId">아이디</label><input id="userId" name="userId" type="text" autocomplete="{id_auto}"></div>
{pw_row}
{captcha}
<div class="form-actions"><button type="submit" class="btn-primary">로그인</button></div>
</form>
{alternatives}
<ul class="member-links"><li><a href="~/help/contact.html">아이디·비밀번호 찾기 문의</a></li><li><a href="~/policy/privacy.html">개인정보 처리 안내</a></li></ul>
</div>"""
    path = f"{FIXED_DIR}/member/login.html" if fixed else "member/login.html"
    return document(
        path, title=title_of("로그인", "member"), main=main, section="member", crumb="로그인", head_extra=head
    )


# --------------------------------------------------------------------------------------------- help, policy


FAQ = [
    (
        "디지털배움터 교육은 누가 받을 수 있나요?",
        "디지털 교육이 필요한 국민 누구나 무료로 받을 수 있습니다. 나이 제한은 없습니다.",
    ),
    ("증명서는 며칠 만에 발급되나요?", "온라인으로 신청하면 보통 1일 안에 전자우편으로 발급됩니다."),
    (
        "보조기기 지원은 어떻게 신청하나요?",
        "매년 상반기 공고에 따라 온라인이나 주민센터에서 신청합니다. 공지사항을 확인해 주십시오.",
    ),
    (
        "누리집 글자를 크게 볼 수 있나요?",
        "브라우저의 확대 기능(Ctrl 키와 + 키)을 쓰면 화면이 깨지지 않고 커집니다.",
    ),
]


def faq() -> Page:
    items = []
    for i, (q, a) in enumerate(FAQ, start=1):
        expanded = "yes" if i == 3 else "false"  # "yes" is not a valid value of aria-expanded
        items.append(
            f'<li><h2 class="sr-only">질문 {i}</h2><button type="button" class="faq-q" id="faq-q{i}" aria-expanded="{expanded}" aria-controls="faq-a{i}">Q. {q}</button>'
            f'<div class="faq-a" id="faq-a{i}" hidden><p>A. {a}</p></div></li>'
        )
    # The visible button text is not part of its accessible name.
    main = f"""<h1>자주 묻는 질문</h1>
<form class="board-search" action="~/search.html">
<label for="faq-word">질문 검색</label><input id="faq-word" name="q" type="text">
<button type="submit" class="btn-primary faq-search" aria-label="찾아보기 실행">검색</button>
</form>
<ul class="faq-list">{"".join(items)}</ul>
<p>찾는 답이 없으면 <a href="~/minwon/consult.html">온라인 상담 신청</a>을 이용해 주십시오.</p>"""
    return document(
        "help/faq.html",
        title=title_of("자주 묻는 질문", "help"),
        main=main,
        section="help",
        crumb="자주 묻는 질문",
    )


def contact() -> Page:
    rows = [
        ("민원 접수·처리", "민원담당관", "044-000-0000"),
        ("디지털배움터 교육", "디지털역량국", "044-000-1400"),
        ("보조기기 보급", "정보접근성국", "044-000-1300"),
        ("누리집 이용 불편", "기획조정실", "044-000-1100"),
    ]
    body = "".join(f'<tr><th scope="row">{a}</th><td>{b}</td><td>{c}</td></tr>' for a, b, c in rows)
    main = f"""<h1>고객센터 연락처</h1>
<p>평일 09:00~18:00에 전화로 상담합니다. 청각·언어장애인은 문자 상담(010-0000-0000)을 이용하실 수 있습니다.</p>
<table>
<caption>분야별 상담 부서와 전화번호</caption>
<thead><tr><th scope="col">분야</th><th scope="col">담당 부서</th><th scope="col">전화번호</th></tr></thead>
<tbody>{body}</tbody>
</table>
<p>방문 상담은 <a href="~/about/location.html">오시는 길</a>을 참고해 주십시오.</p>"""
    # The page does not declare its language.
    return document(
        "help/contact.html",
        title=title_of("고객센터 연락처", "help"),
        main=main,
        section="help",
        crumb="고객센터 연락처",
        lang=None,
    )


PRIVACY_ARTICLES = [
    (
        "제1조 (개인정보의 처리 목적)",
        "디지털포용부는 민원 처리, 교육 신청 접수, 보조기기 지원 심사를 위해 필요한 최소한의 개인정보를 처리합니다. 처리한 개인정보는 이 목적 외의 용도로 이용하지 않으며, 목적이 바뀌면 미리 동의를 받습니다.",
    ),
    (
        "제2조 (처리하는 개인정보 항목)",
        "성명, 생년월일, 연락처, 전자우편 주소, 주소, 교육 이수 내역을 처리합니다. 보조기기 지원 심사에는 장애 정도 확인 자료가 추가로 필요할 수 있습니다.",
    ),
    (
        "제3조 (개인정보의 보유 기간)",
        "민원 기록은 처리를 마친 날부터 3년, 교육 이수 내역은 5년 동안 보관한 뒤 지체 없이 파기합니다.",
    ),
    (
        "제4조 (개인정보의 제3자 제공)",
        "법령에 근거가 있거나 정보주체의 동의가 있는 경우를 빼고는 개인정보를 제3자에게 제공하지 않습니다.",
    ),
    (
        "제5조 (처리 위탁)",
        "디지털배움터 교육 운영과 누리집 유지보수를 전문 업체에 위탁하며, 위탁 업체 목록은 이 방침과 함께 공개합니다.",
    ),
    (
        "제6조 (정보주체의 권리)",
        "정보주체는 언제든지 자신의 개인정보를 열람하고 정정·삭제·처리 정지를 요구할 수 있습니다.",
    ),
    ("제7조 (개인정보 보호책임자)", "개인정보 보호책임자는 기획조정실장이며, 문의는 고객센터로 해 주십시오."),
]


def privacy() -> Page:
    articles = "".join(f"<h3>{h}</h3><p>{t}</p>" for h, t in PRIVACY_ARTICLES)
    # The scrolling box cannot be reached or scrolled with the keyboard.
    main = f"""<h1>개인정보처리방침</h1>
<p>디지털포용부는 「개인정보 보호법」에 따라 정보주체의 개인정보를 보호하고 관련 고충을 신속하게 처리하기 위해 다음과 같이 개인정보 처리방침을 둡니다.</p>
<h2>개인정보 처리방침 전문</h2>
<div class="terms-box">{articles}</div>
<p>시행일: 2025년 2월 17일</p>"""
    return document(
        "policy/privacy.html",
        title=title_of("개인정보처리방침", "policy"),
        main=main,
        section="policy",
        crumb="개인정보처리방침",
    )


def copyright_page() -> Page:
    main = """<h1>저작권정책</h1>
<p>디지털포용부 누리집의 글과 사진은 공공누리 제1유형(출처 표시) 조건에 따라 자유롭게 이용할 수 있습니다.</p>
<h2>이용 조건</h2>
<ul>
<li>출처를 밝혀 주십시오. 예: "출처: 디지털포용부 누리집"</li>
<li>개인의 초상이 담긴 사진은 따로 동의를 받아야 합니다.</li>
<li>로고와 상징은 허락 없이 쓸 수 없습니다.</li>
</ul>"""
    return document(
        "policy/copyright.html",
        title=title_of("저작권정책", "policy"),
        main=main,
        section="policy",
        crumb="저작권정책",
    )


def accessibility_policy() -> Page:
    main = """<h1>웹접근성 정책</h1>
<p>디지털포용부는 장애인과 고령자를 포함한 모든 이용자가 누리집을 쉽게 쓸 수 있도록 한국형 웹 콘텐츠 접근성 지침(KWCAG) 2.2를 따르려고 노력합니다.</p>
<h2>이 누리집에 대하여</h2>
<p>이 누리집은 점검 도구 ddkit의 예제입니다. 점검 결과를 확인할 수 있도록 일부 페이지에 접근성 오류를 일부러 넣어 두었으며, 그 목록은 ddkit 설명서에 있습니다.</p>
<h2>접근성 문의</h2>
<p>누리집을 이용하다 불편을 겪으셨다면 <a href="~/minwon/report-form.html">불편 신고</a>로 알려 주십시오.</p>"""
    return document(
        "policy/accessibility.html",
        title=title_of("웹접근성 정책", "policy"),
        main=main,
        section="policy",
        crumb="웹접근성 정책",
    )


def sitemap_page() -> Page:
    groups = []
    for key, (title, entries) in LNB.items():
        items = "".join(f'<li><a href="~/{href}">{label}</a></li>' for href, label in entries)
        groups.append(
            f'<section aria-labelledby="sm-{key}"><h2 id="sm-{key}">{title}</h2><ul>{items}</ul></section>'
        )
    main = f"""<h1>사이트맵</h1>
<div class="sitemap-groups">{"".join(groups)}</div>"""
    return document(
        "sitemap.html", title=title_of("사이트맵", "policy"), main=main, section="policy", crumb="사이트맵"
    )


def search_page() -> Page:
    results = [
        ("notice/view-112.html", "2025년 정보화교육 운영계획 공고"),
        ("notice/view-101.html", "2025년 디지털배움터 교육 강사 모집 공고"),
        ("media/video.html", "디지털배움터 소개 영상"),
    ]
    items = "".join(f'<li><a href="~/{href}">{label}</a></li>' for href, label in results)
    main = f"""<h1>통합검색</h1>
<form class="board-search" action="~/search.html">
<label for="result-q">검색어</label><input id="result-q" name="q" type="text" value="디지털배움터">
<button type="submit" class="btn-primary">다시 검색</button>
</form>
<h2>'디지털배움터' 검색 결과 3건</h2>
<ul>{items}</ul>"""
    return document(
        "search.html", title=title_of("통합검색", "policy"), main=main, section="policy", crumb="통합검색"
    )


# --------------------------------------------------------------------------------------------- other templates


def english() -> Page:
    html = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ministry of Digital Inclusion (English)</title>
<link rel="stylesheet" href="~/assets/css/common.css">
</head>
<body>
<div id="skipnav"><a href="#contents">Skip to main content</a></div>
<header id="header">
<div class="topbar"><div class="inner"><p class="gov-banner">A fictional ministry: the sample website of ddkit.</p>
<ul class="util"><li><a href="~/index.html" lang="ko">한국어</a></li></ul></div></div>
<div class="brand inner"><a class="logo" href="~/en/index.html"><img src="~/assets/img/logo.svg" alt="Ministry of Digital Inclusion, English home" width="220" height="48"></a></div>
<nav id="gnb" aria-label="Main menu"><ul><li><a href="#about">About us</a></li><li><a href="#services">What we do</a></li><li><a href="#contact">Contact</a></li></ul></nav>
</header>
<main id="contents" class="content inner">
<h1>Ministry of Digital Inclusion</h1>
<p>The Ministry of Digital Inclusion works so that everyone in Korea, whatever their age, disability, income or home town, can use digital services with confidence.</p>
<h2 id="about">About us</h2>
<p>We run digital learning centres, fund assistive devices and oversee the web accessibility quality mark based on KWCAG 2.2.</p>
<h2 id="services">What we do</h2>
<ul>
<li>Digital skills classes in 1,000 learning centres</li>
<li>Assistive technology grants for people with disabilities and older people</li>
<li>Web and kiosk accessibility policy</li>
</ul>
<h2 id="contact">Contact</h2>
<p>Government Complex Sejong, 100 Gasang-ro, Sejong 30100, Republic of Korea.</p>
</main>
<footer id="footer"><div class="inner">
<div class="help-info" id="help-info-footer"><h2>Need help?</h2><ul><li><a href="~/help/faq.html" lang="ko" hreflang="ko">자주 묻는 질문 (FAQ, in Korean)</a></li><li><a href="~/help/contact.html" lang="ko" hreflang="ko">고객센터 연락처 (contact centre, in Korean)</a></li><li>Phone +82 44 000 0000 (weekdays 9:00-18:00)</li></ul></div>
<p class="copyright">© Ministry of Digital Inclusion (fictional). Part of the ddkit sample website; some Korean pages contain accessibility barriers on purpose.</p>
</div></footer>
</body>
</html>
"""
    return finish("en/index.html", html)


def popup() -> Page:
    # A pop-up window without a <title>.
    html = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<link rel="stylesheet" href="~/assets/css/common.css">
</head>
<body class="popup-body">
<div id="skipnav"><a href="#contents">본문 바로가기</a></div>
<main id="contents">
<h1>설 연휴 민원 접수 일정 안내</h1>
<table>
<caption>설 연휴 민원 접수와 처리 일정</caption>
<thead><tr><th scope="col">구분</th><th scope="col">기간</th><th scope="col">비고</th></tr></thead>
<tbody>
<tr><th scope="row">온라인 접수</th><td>연휴 중 상시</td><td>평소와 같음</td></tr>
<tr><th scope="row">방문 접수</th><td>1월 27일~1월 30일 휴무</td><td>31일부터 정상 운영</td></tr>
<tr><th scope="row">처리</th><td>1월 31일부터 차례대로</td><td>처리 기간에서 연휴 제외</td></tr>
</tbody>
</table>
<div class="popup-actions">
<label><input type="checkbox" name="hide-today"> 오늘 하루 이 창 열지 않기</label>
<button type="button" class="btn popup-close">창 닫기</button>
</div>
</main>
<script src="~/assets/js/common.js"></script>
</body>
</html>
"""
    return finish("popup/notice-popup.html", html)


def related_site() -> Page:
    html = """<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>디지털배움터 | 디지털포용부 지원 사업</title>
<link rel="stylesheet" href="~/assets/css/common.css">
</head>
<body>
<div id="skipnav"><a href="#contents">본문 바로가기</a></div>
<header id="header">
<div class="brand inner"><p class="logo"><strong>디지털배움터</strong></p></div>
<nav id="gnb" aria-label="디지털배움터 메뉴"><ul><li><a href="#courses">교육 과정</a></li><li><a href="#apply">교육 신청</a></li></ul></nav>
</header>
<main id="contents" class="content inner">
<h1>디지털배움터</h1>
<p>가까운 주민센터와 도서관에서 누구나 무료로 디지털 교육을 받을 수 있습니다.</p>
<h2 id="courses">교육 과정</h2>
<ul><li>스마트폰 기초</li><li>키오스크 활용</li><li>온라인 민원 신청</li><li>디지털 금융 안전</li></ul>
<h2 id="apply">교육 신청</h2>
<p>전화 044-000-1400 또는 가까운 디지털배움터에서 신청하십시오.</p>
<p><a href="~/index.html">디지털포용부 누리집으로 돌아가기</a></p>
</main>
<footer id="footer"><div class="inner">
<div class="help-info" id="help-info-footer"><h2>도움이 필요하신가요?</h2><ul><li><a href="~/help/faq.html">자주 묻는 질문</a></li><li><a href="~/help/contact.html">고객센터 연락처</a></li><li>전화 상담 044-000-0000 (평일 09:00~18:00)</li></ul></div>
<p class="copyright">© 디지털배움터 (ddkit 점검 예제용 가상 누리집)</p>
</div></footer>
</body>
</html>
"""
    return finish("related/digital-baeumteo.html", html)


# --------------------------------------------------------------------------------------------- fixed twins

#: (original page, its fixed twin): the pages whose every planted barrier is fixed in the twin.
TWINS: list[tuple[str, str, Callable[[bool], Page], str]] = [
    (
        "index.html",
        f"{FIXED_DIR}/home.html",
        home,
        "첫 화면: 자동 넘김 배너 정지 버튼, 복제 슬라이드 제거, 대체 텍스트, 새 창 안내",
    ),
    (
        "about/greeting.html",
        f"{FIXED_DIR}/about/greeting.html",
        greeting,
        "인사말: 저절로 재생되고 멈출 수 없던 배경 음악 없앰",
    ),
    (
        "minwon/certificate.html",
        f"{FIXED_DIR}/minwon/certificate.html",
        certificate,
        "증명서 발급 신청: 모든 입력란에 레이블, 필수 항목을 글자로 표시, 색·위치에 기대지 않는 안내",
    ),
    (
        "stats/internet-usage.html",
        f"{FIXED_DIR}/stats/internet-usage.html",
        internet_usage,
        "연령대별 인터넷 이용률: 표 제목과 제목 셀(scope)",
    ),
    (
        "media/video-nocap.html",
        f"{FIXED_DIR}/media/video-nocap.html",
        video_nocap,
        "키오스크 이용 안내 영상: 한국어 자막과 대본",
    ),
    (
        "media/gallery.html",
        f"{FIXED_DIR}/media/gallery.html",
        gallery,
        "포토 갤러리: 알맞은 대체 텍스트, 이름 있는 이미지 링크, 명도 대비, 충분한 버튼 크기, 키보드로 쓰는 버튼",
    ),
    (
        "member/login.html",
        f"{FIXED_DIR}/member/login.html",
        login,
        "로그인: 레이블 연결, 보안문자 대체 텍스트와 음성, 인증서 로그인, 초점 표시",
    ),
]


def fixed_index() -> Page:
    items = "".join(
        f'<li><a href="~/{twin}">{label.split(":")[0]} 개선 페이지</a>: {label.split(": ", 1)[1]} (원래 페이지: <a href="~/{original}">{original}</a>)</li>'
        for original, twin, _, label in TWINS
    )
    main = f"""<h1>개선 페이지 모음</h1>
<p>아래 페이지는 원래 페이지와 내용이 같고, 일부러 넣은 접근성 오류를 모두 고친 것입니다. 점검 도구가 이 페이지들에서 오류를 보고하지 않아야 합니다.</p>
<p>이 목록은 누리집의 다른 페이지에서 연결되어 있지 않습니다. 원래 페이지와 따로 점검하십시오.</p>
<ul class="twin-list">{items}</ul>"""
    return document(
        f"{FIXED_DIR}/index.html",
        title=f"개선 페이지 모음 | {SITE} 점검 예제",
        main=main,
        layout="wide",
        crumb="개선 페이지 모음",
    )


# --------------------------------------------------------------------------------------------- the whole site


def main_pages() -> list[Page]:
    pages = [
        home(False),
        greeting(False),
        history(),
        organization(),
        vision(),
        location(),
        map_frame(),
        *(notice_list(n) for n in range(1, len(PAGES_OF_LIST) + 1)),
        *(notice_view(p) for p in POSTS),
        minwon_index(),
        certificate(False),
        report_form(),
        consult(),
        stats_index(),
        internet_usage(False),
        digital_level(),
        region(),
        video_page(),
        video_nocap(False),
        gallery(False),
        login(False),
        faq(),
        contact(),
        privacy(),
        copyright_page(),
        accessibility_policy(),
        sitemap_page(),
        search_page(),
        english(),
        popup(),
        related_site(),
    ]
    return pages


def fixed_pages() -> list[Page]:
    return [fixed_index(), *(build(True) for _, _, build, _ in TWINS)]


def sitemap_xml(pages: list[Page]) -> str:
    # Frame documents are not pages of their own.
    locs = "".join(
        f"<url><loc>{SITEMAP_BASE}{p.path}</loc></url>\n" for p in pages if p.path != "about/map-frame.html"
    )
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{locs}</urlset>\n'


def robots_txt() -> str:
    return f"User-agent: *\nDisallow: /files/\nDisallow: /admin/\n\nSitemap: {SITEMAP_BASE}sitemap.xml\n"


def site_files() -> dict[str, str | bytes]:
    """Every file of the site (except barriers.yaml, which is written by hand), by relative path."""
    pages = main_pages()
    files: dict[str, str | bytes] = {p.path: p.html for p in pages}
    files.update({p.path: p.html for p in fixed_pages()})
    files.update(attachments())
    files["assets/img/chart-levels.svg"] = level_chart_svg()
    files.update(govsite_assets.text_assets())
    files.update(govsite_assets.binary_assets())
    files["sitemap.xml"] = sitemap_xml(pages)
    files["robots.txt"] = robots_txt()
    return files


def write_site(root: Path) -> list[str]:
    """Write every generated file under ``root``; returns the relative paths written."""
    written = []
    for rel, content in sorted(site_files().items()):
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8", newline="\n")
        written.append(rel)
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path(__file__).with_name("govsite")
    write_site(root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
