"""Generate a local test site of Korean government-style pages for the site-audit benchmark.

    python benchmarks/gen_site.py OUTDIR [--pages 240] [--seed 7]

Writes static HTML under OUTDIR (home, menu pages, notice-board lists and posts, civil-petition
forms, statistics tables, photo galleries, pages with embedded video iframes), ``paths.txt`` (every
page path, one per line) and ``sitemap.xml`` (with ``{BASE}`` in place of the site's address, filled
in by the benchmark once it knows the port). Deterministic for a given seed. Every page is reachable
from ``/`` within 3 links, so a crawl finds all of them.

The pages carry the usual defects of real sites (images without alt, unlabelled inputs, low contrast
text, a table without headers, an iframe without title) so the audit does real work.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

_WORD_TEXT = (
    "국민 행정 서비스 민원 안내 정책 지원 사업 공고 신청 접수 결과 발표 계획 운영 시행 개정 지역 주민 "
    "복지 안전 교육 문화 환경 정보 공개 통계 자료 보도 설명 참여 제도 개선 협력 추진 기관 센터 "
    "디지털 접근성 공공 데이터 예산 위원회 회의 일정 채용 시험 합격 모집 홍보 행사 축제 교통 주택"
)
WORDS = _WORD_TEXT.split()
MENUS = {
    "기관소개": ["인사말", "연혁", "조직도", "찾아오시는 길", "비전", "청사안내"],
    "정책정보": ["주요정책", "업무계획", "법령정보", "정책자료", "연구보고서", "정책Q&A"],
    "알림마당": ["공지사항", "보도자료", "채용정보", "입찰공고", "행사안내", "포토뉴스"],
    "민원서비스": ["민원신청", "민원안내", "자주묻는질문", "서식자료실", "고객헌장", "신고센터"],
    "정보공개": ["정보공개제도", "사전정보공개", "통계자료", "예산정보", "공공데이터", "감사결과"],
}


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def head(title: str, lang: bool = True) -> str:
    lang_attr = ' lang="ko"' if lang else ""
    return (
        f'<!DOCTYPE html><html{lang_attr}><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>'
        '<link rel="stylesheet" href="/css/common.css"></head><body>'
    )


def header(menu_links: dict[str, list[tuple[str, str]]]) -> str:
    gnb = []
    for top, subs in menu_links.items():
        items = "".join(
            f'<li><a href="{href}">{name}</a><ul class="depth3">'
            + "".join(f'<li><a href="{href}#s{k}">{name} {k}</a></li>' for k in range(1, 5))
            + "</ul></li>"
            for name, href in subs
        )
        gnb.append(f'<li class="depth1"><a href="{subs[0][1]}">{top}</a><ul class="depth2">{items}</ul></li>')
    return (
        '<div id="skip"><a href="#content">본문 바로가기</a></div>'
        '<div class="top-bar"><ul class="util"><li><a href="/login.html">로그인</a></li>'
        '<li><a href="/sitemap.html">사이트맵</a></li><li><a href="/eng.html">ENGLISH</a></li></ul></div>'
        '<header class="header"><h1 class="logo"><a href="/"><img src="/img/logo.png" alt="행정안전처"></a></h1>'
        '<form class="search" action="/search.html"><input type="text" name="q" placeholder="검색어 입력">'
        '<button type="submit"><img src="/img/search.png"></button></form>'
        f'<nav class="gnb"><ul class="gnb-list">{"".join(gnb)}</ul></nav></header>'
    )


def footer(rng: random.Random) -> str:
    related = "".join(f'<option value="{i}">{words(rng, 2)}</option>' for i in range(12))
    return (
        '<div class="banner-zone"><h2>유관기관</h2><ul>'
        + "".join(
            f'<li><a href="/menu/m{k % 5 + 1}_{k % 2 + 4}.html"><img src="/img/icon.png" alt="유관기관 {k}"></a></li>'
            for k in range(24)
        )
        + "</ul></div>"
        '<footer class="footer"><div class="related"><select><option>관련 사이트</option>'
        f"{related}</select><button>이동</button></div>"
        '<ul class="policy"><li><a href="/privacy.html" class="red">개인정보처리방침</a></li>'
        '<li><a href="/copyright.html">저작권정책</a></li><li><a href="/email.html">이메일무단수집거부</a></li></ul>'
        "<address>(30128) 세종특별자치시 정부2청사로 13 대표전화 044-000-0000</address>"
        '<p class="copy" style="color:#aaa">COPYRIGHT © 행정안전처. ALL RIGHTS RESERVED.</p>'
        '<img src="/img/wa-mark.png" alt="과학기술정보통신부 웹 접근성 품질인증 마크"></footer></body></html>'
    )


def lnb(top: str, menu_links: dict[str, list[tuple[str, str]]]) -> str:
    items = "".join(f'<li><a href="{href}">{name}</a></li>' for name, href in menu_links[top])
    return f'<aside class="lnb"><h2>{top}</h2><ul>{items}</ul></aside>'


def paragraph_block(rng: random.Random, n: int) -> str:
    return "".join(f"<p>{words(rng, rng.randint(18, 40))}.</p>" for _ in range(n))


def data_table(rng: random.Random, rows: int, with_headers: bool = True) -> str:
    cols = ["구분", "2021년", "2022년", "2023년", "2024년", "증감률"]
    head_row = (
        "".join(f'<th scope="col">{c}</th>' for c in cols)
        if with_headers
        else "".join(f"<td>{c}</td>" for c in cols)
    )
    body = []
    for _ in range(rows):
        cells = "".join(f"<td>{rng.randint(100, 99999):,}</td>" for _ in range(4))
        label = f'<th scope="row">{words(rng, 2)}</th>' if with_headers else f"<td>{words(rng, 2)}</td>"
        body.append(f"<tr>{label}{cells}<td>{rng.uniform(-9, 9):.1f}%</td></tr>")
    caption = f"<caption>{words(rng, 3)} 현황</caption>" if with_headers else ""
    return f'<table class="tbl">{caption}<thead><tr>{head_row}</tr></thead><tbody>{"".join(body)}</tbody></table>'


def generate(out: Path, pages: int = 240, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "css").mkdir(exist_ok=True)
    (out / "img").mkdir(exist_ok=True)
    (out / "css" / "common.css").write_text(
        "body{font-family:sans-serif;margin:0}.gnb-list{display:flex;gap:2em;list-style:none}"
        ".depth2{display:none}.lnb{float:left;width:200px}.content{margin-left:220px}"
        ".tbl{border-collapse:collapse}.tbl td,.tbl th{border:1px solid #ccc;padding:4px}"
        ".red{color:#e00}.notice-date{color:#bbb}.gallery li{display:inline-block;width:200px}",
        encoding="utf-8",
    )
    # A 1x1 transparent GIF stands in for every image (the audit is about markup, not pixels).
    gif = bytes.fromhex(
        "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b"
    )
    for name in ("logo.png", "search.png", "wa-mark.png", "banner.png", "photo.png", "chart.png", "icon.png"):
        (out / "img" / name).write_bytes(gif)

    n_posts = max(40, pages - 110)
    n_list = (n_posts + 9) // 10
    menu_links: dict[str, list[tuple[str, str]]] = {}
    menu_pages: list[tuple[str, str, str]] = []  # (path, top, name)
    for i, (top, subs) in enumerate(MENUS.items()):
        links = []
        for j, name in enumerate(subs):
            if name == "공지사항":
                path = "/bbs/notice/list_1.html"
            elif name == "민원신청":
                path = "/minwon/apply_1.html"
            elif name == "통계자료":
                path = "/stats/stat_1.html"
            elif name == "포토뉴스":
                path = "/gallery/photo_1.html"
            else:
                path = f"/menu/m{i + 1}_{j + 1}.html"
                menu_pages.append((path, top, name))
            links.append((name, path))
        menu_links[top] = links
    written: list[str] = []

    def write(path: str, html: str) -> None:
        file = out / path.lstrip("/")
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(html, encoding="utf-8")
        written.append(path)

    hdr = header(menu_links)
    # Home
    notices = "".join(
        f'<li><a href="/bbs/notice/view_{k}.html">{words(rng, 6)}</a><span class="notice-date">2025.0{k % 9 + 1}.1{k % 9}</span></li>'
        for k in range(1, 8)
    )
    banners = "".join(
        f'<li><a href="/menu/m{k % 5 + 1}_{k % 2 + 4}.html"><img src="/img/banner.png"'
        + (f' alt="{words(rng, 3)}"' if k % 3 else "")
        + "></a></li>"
        for k in range(12)
    )
    quick = "".join(
        f'<li><a href="{href}"><img src="/img/icon.png" alt="">{name}</a></li>'
        for top in MENUS
        for name, href in menu_links[top][:2]
    )
    write(
        "/index.html",
        head("행정안전처")
        + hdr
        + '<main id="content"><section class="visual"><h2>주요 소식</h2>'
        + paragraph_block(rng, 2)
        + f'</section><section class="quick"><h2>자주 찾는 서비스</h2><ul>{quick}</ul></section>'
        + f'<section class="notice"><h2>공지사항</h2><ul>{notices}</ul><a href="/bbs/notice/list_1.html">더보기</a></section>'
        + f'<section class="banner"><ul>{banners}</ul></section>'
        + '<section class="video"><h2>홍보영상</h2><iframe src="/embed/video_1.html" width="480" height="270"></iframe></section>'
        + '<ul class="more"><li><a href="/video/v_1.html">영상 더보기</a></li><li><a href="/sitemap.html">전체 메뉴</a></li></ul>'
        + "</main>"
        + footer(rng),
    )
    # Utility pages
    for path, title in (
        ("/login.html", "로그인"),
        ("/sitemap.html", "사이트맵"),
        ("/eng.html", "English"),
        ("/privacy.html", "개인정보처리방침"),
        ("/copyright.html", "저작권정책"),
        ("/email.html", "이메일무단수집거부"),
        ("/search.html", "통합검색"),
    ):
        body = paragraph_block(rng, 4)
        if path == "/login.html":
            body = (
                '<form class="login"><label for="uid">아이디</label><input id="uid" type="text">'
                '<input type="password" placeholder="비밀번호"><button type="submit">로그인</button></form>'
                + body
            )
        if path == "/sitemap.html":
            body = "".join(
                f"<h3>{top}</h3><ul>" + "".join(f'<li><a href="{h}">{n}</a></li>' for n, h in subs) + "</ul>"
                for top, subs in menu_links.items()
            )
        write(
            path,
            head(title, lang=path != "/eng.html")
            + hdr
            + f'<main id="content"><h2>{title}</h2>{body}</main>'
            + footer(rng),
        )
    # Menu content pages
    for path, top, name in menu_pages:
        extra = data_table(rng, 6, with_headers=rng.random() > 0.3) if rng.random() > 0.5 else ""
        img = (
            '<img src="/img/chart.png">'
            if rng.random() > 0.6
            else '<img src="/img/photo.png" alt="관련 사진">'
        )
        write(
            path,
            head(f"{name} | {top} | 행정안전처")
            + hdr
            + lnb(top, menu_links)
            + f'<main id="content" class="content"><h2>{name}</h2><div class="location">홈 &gt; {top} &gt; {name}</div>'
            + paragraph_block(rng, rng.randint(3, 7))
            + img
            + extra
            + "</main>"
            + footer(rng),
        )
    # Notice board: lists and posts
    for page_no in range(1, n_list + 1):
        rows = []
        for k in range((page_no - 1) * 10 + 1, min(page_no * 10, n_posts) + 1):
            rows.append(
                f'<tr><td>{n_posts - k + 1}</td><td class="subject"><a href="/bbs/notice/view_{k}.html">{words(rng, 7)}</a></td>'
                f'<td>{words(rng, 1)}과</td><td class="notice-date">2025-{k % 12 + 1:02d}-{k % 28 + 1:02d}</td><td>{rng.randint(10, 9999)}</td></tr>'
            )
        pager = "".join(
            f'<a href="/bbs/notice/list_{p}.html"' + (' class="on"' if p == page_no else "") + f">{p}</a>"
            for p in range(1, n_list + 1)
        )
        write(
            f"/bbs/notice/list_{page_no}.html",
            head(f"공지사항 ({page_no}쪽) | 알림마당 | 행정안전처")
            + hdr
            + lnb("알림마당", menu_links)
            + '<main id="content" class="content"><h2>공지사항</h2>'
            + '<form class="bbs-search"><select name="type"><option>제목</option><option>내용</option></select>'
            + '<input type="text" name="kw" title="검색어"><button>검색</button></form>'
            + '<table class="tbl board"><caption>공지사항 목록</caption><thead><tr><th scope="col">번호</th><th scope="col">제목</th>'
            + '<th scope="col">담당부서</th><th scope="col">등록일</th><th scope="col">조회</th></tr></thead>'
            + f'<tbody>{"".join(rows)}</tbody></table><div class="paging">{pager}</div></main>'
            + footer(rng),
        )
    for k in range(1, n_posts + 1):
        prev_link = f'<a href="/bbs/notice/view_{k - 1}.html">이전글</a>' if k > 1 else ""
        next_link = f'<a href="/bbs/notice/view_{k + 1}.html">다음글</a>' if k < n_posts else ""
        attach = f'<a href="/files/notice_{k}.hwp">첨부파일 {k}.hwp</a>' if k % 2 else ""
        body_img = '<img src="/img/photo.png">' if k % 4 == 0 else ""
        write(
            f"/bbs/notice/view_{k}.html",
            head(f"{words(rng, 5)} | 공지사항 | 행정안전처")
            + hdr
            + lnb("알림마당", menu_links)
            + f'<main id="content" class="content"><h2>공지사항</h2><div class="view"><h3>{words(rng, 7)}</h3>'
            + f'<dl class="info"><dt>작성일</dt><dd>2025-{k % 12 + 1:02d}-{k % 28 + 1:02d}</dd><dt>조회수</dt><dd>{rng.randint(10, 999)}</dd></dl>'
            + f'<div class="body">{paragraph_block(rng, rng.randint(2, 8))}{body_img}</div>'
            + f'<div class="attach">{attach}</div></div>'
            + f'<div class="prev-next">{prev_link}{next_link}</div><a href="/bbs/notice/list_{(k - 1) // 10 + 1}.html" class="btn">목록</a></main>'
            + footer(rng),
        )
    # Civil-petition forms
    n_forms = 12
    for f in range(1, n_forms + 1):
        fields = []
        for q in range(8):
            if q % 3 == 0:
                fields.append(
                    f'<div class="row"><span>{words(rng, 2)}</span><input type="text" name="f{q}"></div>'
                )
            else:
                fields.append(
                    f'<div class="row"><label for="f{f}_{q}">{words(rng, 2)}</label><input id="f{f}_{q}" type="text"></div>'
                )
        fields.append(
            '<div class="row"><label for="kind">민원 종류</label><select id="kind"><option>일반</option><option>고충</option></select></div>'
            '<div class="row"><textarea name="body" rows="6"></textarea></div>'
            '<div class="row"><input type="checkbox" id="agree"><label for="agree">개인정보 수집에 동의합니다</label></div>'
        )
        others = "".join(f'<a href="/minwon/apply_{o}.html">서식 {o}</a> ' for o in range(1, n_forms + 1))
        write(
            f"/minwon/apply_{f}.html",
            head(f"민원신청 {f} | 민원서비스 | 행정안전처")
            + hdr
            + lnb("민원서비스", menu_links)
            + f'<main id="content" class="content"><h2>민원신청</h2>{paragraph_block(rng, 1)}'
            + f'<form class="apply" action="/minwon/submit.html" method="post">{"".join(fields)}<button type="submit">신청</button></form>'
            + f'<div class="forms">{others}</div></main>'
            + footer(rng),
        )
    # Statistics pages
    n_stats = 20
    for st in range(1, n_stats + 1):
        others = "".join(
            f'<li><a href="/stats/stat_{o}.html">통계 {o}</a></li>' for o in range(1, n_stats + 1)
        )
        write(
            f"/stats/stat_{st}.html",
            head(f"통계 {st} | 정보공개 | 행정안전처")
            + hdr
            + lnb("정보공개", menu_links)
            + f'<main id="content" class="content"><h2>{words(rng, 3)} 통계</h2>'
            + data_table(rng, rng.randint(8, 20), with_headers=st % 5 != 0)
            + '<img src="/img/chart.png" alt="그래프">'
            + data_table(rng, 5)
            + f'<ul class="stat-list">{others}</ul></main>'
            + footer(rng),
        )
    # Photo galleries
    n_gallery = 16
    for g in range(1, n_gallery + 1):
        photos = "".join(
            f'<li><a href="/gallery/photo_{(g + i) % n_gallery + 1}.html"><img src="/img/photo.png"'
            + (f' alt="{words(rng, 3)}"' if i % 2 else "")
            + f"><span>{words(rng, 4)}</span></a></li>"
            for i in range(12)
        )
        write(
            f"/gallery/photo_{g}.html",
            head(f"포토뉴스 {g} | 알림마당 | 행정안전처")
            + hdr
            + lnb("알림마당", menu_links)
            + f'<main id="content" class="content"><h2>포토뉴스</h2><ul class="gallery">{photos}</ul></main>'
            + footer(rng),
        )
    # Video pages with embedded iframes
    n_video = 12
    for v in range(1, n_video + 1):
        (out / "embed").mkdir(exist_ok=True)
        (out / "embed" / f"video_{v}.html").write_text(
            f'<!DOCTYPE html><html lang="ko"><head><meta charset="utf-8"><title>영상 {v}</title></head>'
            f'<body><div class="player"><button>재생</button><button></button><p>{words(rng, 8)}</p></div></body></html>',
            encoding="utf-8",
        )
        others = "".join(f'<li><a href="/video/v_{o}.html">영상 {o}</a></li>' for o in range(1, n_video + 1))
        title_attr = ' title="홍보 영상"' if v % 2 else ""
        write(
            f"/video/v_{v}.html",
            head(f"홍보영상 {v} | 행정안전처")
            + hdr
            + f'<main id="content"><h2>홍보영상 {v}</h2><iframe src="/embed/video_{v}.html" width="640" height="360"{title_attr}></iframe>'
            + f'<div class="script"><h3>영상 대본</h3>{paragraph_block(rng, 3)}</div><ul>{others}</ul></main>'
            + footer(rng),
        )
    (out / "paths.txt").write_text("".join(p + "\n" for p in written), encoding="utf-8")
    sitemap = "".join(f"<url><loc>{{BASE}}{p}</loc></url>" for p in written)
    (out / "sitemap.xml").write_text(
        f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{sitemap}</urlset>',
        encoding="utf-8",
    )
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument(
        "--pages", type=int, default=240, help="about this many pages (at least 200 by default)"
    )
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    written = generate(args.out, args.pages, args.seed)
    print(f"{len(written)} pages in {args.out}")


if __name__ == "__main__":
    main()
