"""Images, sounds, captions, style sheet and script of the sample government website.

Everything is drawn here from code (no downloaded or copied media), so the sample site is small,
free of licences and reproducible: PNGs are written with :mod:`zlib`, sounds with :mod:`wave`.
No video codec is available offline, so the "video" files are short generated tones played by a
``<video>`` element; the accessibility checks look at the markup and its caption tracks.
"""

from __future__ import annotations

import io
import math
import struct
import wave
import zlib

# --------------------------------------------------------------------------------------------- PNG


class Canvas:
    """An RGB raster with the few drawing operations the sample pictures need."""

    def __init__(self, width: int, height: int, colour: tuple[int, int, int]) -> None:
        self.width, self.height = width, height
        self.rows = [bytearray(bytes(colour) * width) for _ in range(height)]

    def pixel(self, x: int, y: int, colour: tuple[int, int, int]) -> None:
        if 0 <= x < self.width and 0 <= y < self.height:
            self.rows[y][3 * x : 3 * x + 3] = bytes(colour)

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: tuple[int, int, int]) -> None:
        x0, x1 = max(0, x0), min(self.width, x1)
        for y in range(max(0, y0), min(self.height, y1)):
            self.rows[y][3 * x0 : 3 * x1] = bytes(colour) * (x1 - x0)

    def vertical_gradient(self, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> None:
        for y in range(self.height):
            t = y / max(1, self.height - 1)
            colour = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
            self.rows[y][:] = bytes(colour) * self.width

    def circle(self, cx: int, cy: int, r: int, colour: tuple[int, int, int]) -> None:
        for y in range(cy - r, cy + r + 1):
            half = int(math.sqrt(max(0, r * r - (y - cy) ** 2)))
            self.rect(cx - half, y, cx + half + 1, y + 1, colour)

    def hill(
        self, base: int, amplitude: int, period: float, phase: float, colour: tuple[int, int, int]
    ) -> None:
        """Fill below a sine-shaped skyline."""
        for x in range(self.width):
            top = int(base - amplitude * math.sin(x / period + phase))
            self.rect(x, top, x + 1, self.height, colour)

    def glyph(
        self, char: str, x: int, y: int, scale: int, colour: tuple[int, int, int], slant: int = 0
    ) -> None:
        for row, bits in enumerate(_FONT[char]):
            for col, bit in enumerate(bits):
                if bit == "1":
                    dx = x + col * scale + (slant * (6 - row)) // 3
                    self.rect(dx, y + row * scale, dx + scale, y + (row + 1) * scale, colour)

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self.rows)
        header = struct.pack(">IIBBBBB", self.width, self.height, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(raw, 9))
            + _chunk(b"IEND", b"")
        )


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


# 5x7 digits for the CAPTCHA-like picture.
_FONT = {
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
    "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
    "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    "8": ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
    "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
}


def landscape(width: int, height: int, sky: tuple, ground: tuple, sun: bool, seed: int) -> bytes:
    """A flat-colour "photo": sky, sun, two ranges of hills."""
    c = Canvas(width, height, sky)
    c.vertical_gradient(sky, tuple(min(255, v + 60) for v in sky))
    if sun:
        c.circle(width * (2 + seed % 3) // 6, height // 4, height // 9, (255, 214, 102))
    c.hill(
        height * 3 // 5, height // 10, width / (5 + seed), seed * 0.7, tuple(max(0, v - 40) for v in ground)
    )
    c.hill(height * 3 // 4, height // 14, width / (3 + seed), seed * 1.3, ground)
    return c.png()


def people(width: int, height: int, bg: tuple, seed: int) -> bytes:
    """A flat-colour "photo" of a class: a screen and a row of people at desks."""
    c = Canvas(width, height, bg)
    c.rect(width // 4, height // 8, width * 3 // 4, height * 3 // 8, (40, 62, 92))
    c.rect(width // 4 + 6, height // 8 + 6, width * 3 // 4 - 6, height * 3 // 8 - 6, (120, 170, 220))
    palette = [(201, 98, 58), (70, 120, 80), (150, 90, 160), (60, 100, 170), (190, 150, 60)]
    n = 4 + seed % 2
    for i in range(n):
        x = width * (i + 1) // (n + 1)
        c.circle(x, height * 9 // 16, height // 14, (236, 200, 170))
        c.rect(
            x - height // 10,
            height * 5 // 8,
            x + height // 10,
            height * 7 // 8,
            palette[(i + seed) % len(palette)],
        )
    c.rect(0, height * 13 // 16, width, height, (150, 110, 80))
    return c.png()


def captcha(text: str) -> bytes:
    c = Canvas(160, 50, (236, 240, 228))
    for i in range(0, 160, 7):  # noise lines
        c.rect(i, (i * 13) % 50, i + 5, (i * 13) % 50 + 1, (150, 160, 140))
    for i, ch in enumerate(text):
        c.glyph(ch, 12 + i * 28, 8 + (i % 2) * 6, 4, (50, 60, 120), slant=(i % 3) - 1)
    return c.png()


def poster(width: int, height: int, bg: tuple, accent: tuple) -> bytes:
    c = Canvas(width, height, bg)
    c.rect(0, height * 3 // 4, width, height, accent)
    c.circle(width // 2, height * 3 // 8, height // 6, (255, 255, 255))
    # a "play" triangle
    for dy in range(-height // 12, height // 12):
        half = height // 12 - abs(dy)
        c.rect(
            width // 2 - height // 24,
            height * 3 // 8 + dy,
            width // 2 - height // 24 + 2 * half,
            height * 3 // 8 + dy + 1,
            accent,
        )
    return c.png()


def search_button() -> bytes:
    c = Canvas(24, 24, (26, 58, 107))
    c.circle(10, 10, 6, (255, 255, 255))
    c.circle(10, 10, 4, (26, 58, 107))
    for d in range(5):
        c.rect(14 + d, 14 + d, 17 + d, 17 + d, (255, 255, 255))
    return c.png()


def png_assets() -> dict[str, bytes]:
    return {
        "assets/img/gallery-1.png": people(360, 240, (225, 232, 240), 1),
        "assets/img/gallery-2.png": landscape(360, 240, (110, 160, 215), (86, 140, 70), True, 2),
        "assets/img/gallery-3.png": people(360, 240, (240, 230, 215), 2),
        "assets/img/gallery-4.png": landscape(360, 240, (150, 180, 225), (120, 150, 60), False, 3),
        "assets/img/gallery-5.png": people(360, 240, (220, 236, 226), 3),
        "assets/img/focus-1.png": people(240, 150, (232, 238, 246), 4),
        "assets/img/focus-2.png": landscape(240, 150, (120, 170, 210), (90, 150, 90), True, 4),
        "assets/img/focus-3.png": people(240, 150, (246, 238, 226), 5),
        "assets/img/captcha.png": captcha("4827"),
        "assets/img/poster-intro.png": poster(640, 360, (26, 58, 107), (243, 162, 0)),
        "assets/img/poster-kiosk.png": poster(640, 360, (18, 94, 84), (255, 196, 0)),
        "assets/img/btn-search.png": search_button(),
    }


# --------------------------------------------------------------------------------------------- WAV


def tone(seconds: float, notes: list[float], rate: int = 8000) -> bytes:
    """A quiet 8-bit mono melody: the notes share the duration equally."""
    frames = bytearray()
    n = int(seconds * rate)
    per = max(1, n // len(notes))
    for i in range(n):
        freq = notes[min(len(notes) - 1, i // per)]
        fade = min(1.0, (i % per) / 200, (per - i % per) / 200)
        frames.append(128 + int(24 * fade * math.sin(2 * math.pi * freq * i / rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(bytes(frames))
    return buffer.getvalue()


def wav_assets() -> dict[str, bytes]:
    return {
        # Longer than 3 s and looped: the planted auto-playing sound of the greeting page.
        "assets/media/greeting-bgm.wav": tone(4.0, [392.0, 440.0, 523.3, 440.0]),
        "assets/media/baeumteo-intro.wav": tone(3.0, [523.3, 659.3, 784.0]),
        "assets/media/kiosk-guide.wav": tone(3.0, [440.0, 554.4, 659.3]),
        "assets/media/captcha-audio.wav": tone(2.0, [660.0, 880.0, 660.0, 990.0]),
    }


# --------------------------------------------------------------------------------------------- SVG

LOGO_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="220" height="48" viewBox="0 0 220 48">
<rect x="2" y="6" width="36" height="36" rx="8" fill="#1a3a6b"/>
<circle cx="20" cy="24" r="9" fill="#f3a200"/>
<text x="48" y="31" font-family="sans-serif" font-size="22" font-weight="700" fill="#1a3a6b">디지털포용부</text>
</svg>
"""

ORG_CHART_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="640" height="300" viewBox="0 0 640 300" font-family="sans-serif" font-size="14">
<rect x="260" y="10" width="120" height="40" fill="#1a3a6b"/><text x="320" y="36" fill="#fff" text-anchor="middle">장관</text>
<rect x="260" y="80" width="120" height="40" fill="#2d5c9a"/><text x="320" y="106" fill="#fff" text-anchor="middle">차관</text>
<line x1="320" y1="50" x2="320" y2="80" stroke="#333"/><line x1="320" y1="120" x2="320" y2="150" stroke="#333"/>
<line x1="90" y1="150" x2="550" y2="150" stroke="#333"/>
<g fill="#e8eef6" stroke="#2d5c9a">
<rect x="20" y="170" width="140" height="44"/><rect x="175" y="170" width="140" height="44"/>
<rect x="330" y="170" width="140" height="44"/><rect x="485" y="170" width="140" height="44"/></g>
<g fill="#1a1a1a" text-anchor="middle"><text x="90" y="197">기획조정실</text><text x="245" y="197">디지털포용정책국</text>
<text x="400" y="197">정보접근성국</text><text x="555" y="197">디지털역량국</text></g>
<rect x="450" y="80" width="150" height="40" fill="#e8eef6" stroke="#2d5c9a"/><text x="525" y="106" text-anchor="middle">대변인·감사관</text>
<line x1="380" y1="100" x2="450" y2="100" stroke="#333"/>
</svg>
"""

MAP_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="600" height="340" viewBox="0 0 600 340" font-family="sans-serif" font-size="14">
<rect width="600" height="340" fill="#eef2e6"/>
<path d="M0 210 H600" stroke="#c9cfd8" stroke-width="26"/><path d="M300 0 V340" stroke="#c9cfd8" stroke-width="22"/>
<path d="M0 90 C150 120 420 40 600 80" stroke="#a9c7e8" stroke-width="18" fill="none"/>
<rect x="330" y="140" width="120" height="50" fill="#1a3a6b"/><text x="390" y="170" fill="#fff" text-anchor="middle">정부세종청사</text>
<circle cx="250" cy="240" r="10" fill="#c0392b"/><text x="150" y="272" fill="#1a1a1a">BRT 정부세종청사 정류장</text>
</svg>
"""

BANNER_SVGS = {
    "assets/img/banner-1.svg": ("#1a3a6b", "#f3a200"),
    "assets/img/banner-2.svg": ("#125e54", "#ffd166"),
    "assets/img/banner-3.svg": ("#5b2a86", "#f28482"),
}


def banner_svg(bg: str, accent: str) -> str:
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="360" height="220" viewBox="0 0 360 220">
<rect width="360" height="220" rx="12" fill="{bg}"/>
<circle cx="270" cy="80" r="50" fill="{accent}"/>
<rect x="40" y="120" width="150" height="90" rx="8" fill="#ffffff"/>
<rect x="55" y="135" width="120" height="55" fill="{accent}"/>
<rect x="200" y="150" width="120" height="60" rx="8" fill="#ffffff" opacity="0.8"/>
</svg>
"""


ICON_SVGS = {
    # Quick-menu icons: decorative, always next to their text.
    "assets/img/ico-apply.svg": '<path d="M8 4h16v24H8z" fill="none" stroke="#1a3a6b" stroke-width="2"/><path d="M12 10h8M12 15h8M12 20h5" stroke="#1a3a6b" stroke-width="2"/>',
    "assets/img/ico-stats.svg": '<path d="M6 26V14h5v12zM14 26V8h5v18zM22 26V18h5v8z" fill="#1a3a6b"/>',
    "assets/img/ico-edu.svg": '<path d="M4 12l12-6 12 6-12 6z" fill="#1a3a6b"/><path d="M9 15v6c4 3 10 3 14 0v-6" fill="none" stroke="#1a3a6b" stroke-width="2"/>',
    "assets/img/ico-faq.svg": '<circle cx="16" cy="16" r="11" fill="none" stroke="#1a3a6b" stroke-width="2"/><path d="M12 13a4 4 0 1 1 5 4v3" fill="none" stroke="#1a3a6b" stroke-width="2"/><circle cx="17" cy="24" r="1.5" fill="#1a3a6b"/>',
    "assets/img/ico-video.svg": '<rect x="4" y="8" width="18" height="16" rx="2" fill="#1a3a6b"/><path d="M22 14l7-4v12l-7-4z" fill="#1a3a6b"/>',
    "assets/img/ico-device.svg": '<rect x="9" y="3" width="14" height="26" rx="2" fill="none" stroke="#1a3a6b" stroke-width="2"/><circle cx="16" cy="25" r="1.5" fill="#1a3a6b"/>',
    "assets/img/ico-download.svg": '<path d="M16 4v15M10 13l6 6 6-6M6 24h20" fill="none" stroke="#1a3a6b" stroke-width="2.5"/>',
    "assets/img/ico-zoom.svg": '<circle cx="14" cy="14" r="8" fill="none" stroke="#1a3a6b" stroke-width="2.5"/><path d="M20 20l7 7M10 14h8M14 10v8" stroke="#1a3a6b" stroke-width="2.5"/>',
    "assets/img/ico-next.svg": '<path d="M11 6l10 10-10 10" fill="none" stroke="#1a3a6b" stroke-width="3"/>',
    "assets/img/ico-search.svg": '<circle cx="13" cy="13" r="8" fill="none" stroke="#ffffff" stroke-width="3"/><path d="M19 19l8 8" stroke="#ffffff" stroke-width="3"/>',
}


def svg_assets() -> dict[str, str]:
    files = {
        "assets/img/logo.svg": LOGO_SVG,
        "assets/img/org-chart.svg": ORG_CHART_SVG,
        "assets/img/map.svg": MAP_SVG,
    }
    for path, (bg, accent) in BANNER_SVGS.items():
        files[path] = banner_svg(bg, accent)
    for path, body in ICON_SVGS.items():
        files[path] = (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">{body}</svg>\n'
        )
    return files


# --------------------------------------------------------------------------------------------- captions

INTRO_VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
안녕하세요. 디지털배움터를 소개합니다.

00:00:04.000 --> 00:00:09.000
디지털배움터는 가까운 주민센터와 도서관에서
누구나 무료로 디지털 교육을 받을 수 있는 곳입니다.

00:00:09.000 --> 00:00:14.000
스마트폰 기초부터 키오스크 이용, 온라인 민원 신청까지
강사와 서포터즈가 눈높이에 맞춰 알려 드립니다.

00:00:14.000 --> 00:00:18.000
교육 신청은 디지털포용부 누리집이나
전화 044-000-0000으로 하실 수 있습니다.
"""

KIOSK_VTT = """WEBVTT

00:00:00.000 --> 00:00:04.000
무인 주문기, 키오스크 사용법을 차례대로 알려 드립니다.

00:00:04.000 --> 00:00:09.000
먼저 화면 아래의 '주문 시작' 버튼을 누릅니다.
화면 읽기 기능이 필요하면 헤드폰을 연결하세요.

00:00:09.000 --> 00:00:14.000
메뉴를 고른 뒤 수량을 정하고 '담기'를 누릅니다.

00:00:14.000 --> 00:00:19.000
마지막으로 결제 방법을 고르고 카드를 넣으면 주문이 끝납니다.
"""


def text_assets() -> dict[str, str]:
    files = dict(svg_assets())
    files["assets/media/baeumteo-intro.ko.vtt"] = INTRO_VTT
    files["assets/media/kiosk-guide.ko.vtt"] = KIOSK_VTT
    files["assets/css/common.css"] = COMMON_CSS
    files["assets/js/common.js"] = COMMON_JS
    return files


def binary_assets() -> dict[str, bytes]:
    return {**png_assets(), **wav_assets()}


# --------------------------------------------------------------------------------------------- CSS / JS

COMMON_CSS = """/* 디지털포용부 누리집 공통 스타일 (ddkit sample site) */
*, *::before, *::after { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; font-family: "Noto Sans KR", "NanumGothic", "Nanum Gothic", "Malgun Gothic", sans-serif;
  color: #222; background: #fff; line-height: 1.6; }
a { color: #0b4f9c; }
a:hover { color: #06356a; }
:focus-visible { outline: 3px solid #d97800; outline-offset: 2px; }
img { max-width: 100%; }
.sr-only { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.inner { max-width: 1120px; margin: 0 auto; padding: 0 20px; }

/* skip links: off screen until focused */
#skipnav a { position: absolute; left: 0; top: -120px; z-index: 100; display: block; padding: 10px 20px;
  background: #1a3a6b; color: #fff; font-weight: 700; }
#skipnav a:focus { top: 0; }

/* header */
.topbar { background: #f2f4f7; border-bottom: 1px solid #d6dbe3; }
.topbar .inner { display: flex; justify-content: space-between; align-items: center; }
.gov-banner { margin: 0; font-size: 0.875rem; color: #333; }
.util { display: flex; gap: 4px; list-style: none; margin: 0; padding: 4px 0; }
.util a { display: inline-block; min-height: 28px; padding: 2px 10px; line-height: 24px; color: #333;
  font-size: 0.875rem; text-decoration: none; }
.util a:hover, .util a:focus { text-decoration: underline; }
.brand { display: flex; justify-content: space-between; align-items: center; padding-top: 14px; padding-bottom: 14px; }
.logo { display: inline-block; }
.logo img { display: block; }
.site-search { display: flex; gap: 6px; }
.site-search input { width: 240px; height: 40px; padding: 0 10px; border: 2px solid #1a3a6b; font-size: 1rem; }
.site-search button, .btn, .btn-primary, .btn-green { display: inline-block; min-width: 44px; min-height: 40px;
  padding: 8px 16px; border: 1px solid #1a3a6b; background: #1a3a6b; color: #fff; font-size: 1rem;
  line-height: 22px; text-decoration: none; cursor: pointer; }
.btn { background: #fff; color: #1a3a6b; }
.btn-green { background: #1b6e3a; border-color: #1b6e3a; }
#gnb { background: #1a3a6b; }
#gnb ul { display: flex; list-style: none; margin: 0 auto; padding: 0 20px; max-width: 1120px; }
#gnb a { display: block; padding: 14px 22px; color: #fff; font-size: 1.0625rem; font-weight: 700; text-decoration: none; }
#gnb a:hover, #gnb a:focus { text-decoration: underline; }
#gnb a.on { box-shadow: inset 0 -4px 0 #f3a200; }
#gnb > ul > li { position: relative; }
#gnb .depth2 { display: none; position: absolute; left: 0; top: 100%; z-index: 10; min-width: 220px; margin: 0;
  padding: 8px 0; list-style: none; background: #fff; border: 2px solid #1a3a6b; }
#gnb li:hover > .depth2, #gnb li:focus-within > .depth2 { display: block; }
#gnb .depth2 a { padding: 8px 16px; color: #222; font-size: 1rem; font-weight: 400; }

/* sub page layout */
.container { display: flex; gap: 32px; padding-top: 28px; padding-bottom: 48px; }
.lnb { flex: 0 0 200px; }
.lnb-title { margin: 0 0 8px; padding: 18px 16px; background: #2d5c9a; color: #fff; font-size: 1.25rem; font-weight: 700; }
.lnb ul { list-style: none; margin: 0; padding: 0; border: 1px solid #d6dbe3; }
.lnb li + li { border-top: 1px solid #d6dbe3; }
.lnb a { display: block; padding: 10px 16px; color: #222; text-decoration: none; }
.lnb a[aria-current="page"] { font-weight: 700; color: #0b4f9c; text-decoration: underline; }
.content { flex: 1 1 auto; min-width: 0; }
.breadcrumb ol { display: flex; flex-wrap: wrap; gap: 4px; list-style: none; margin: 0 0 8px; padding: 0; font-size: 0.875rem; color: #555; }
.breadcrumb li + li::before { content: "›"; margin-right: 4px; }
.breadcrumb a { display: inline-block; min-width: 24px; min-height: 24px; color: #444; text-align: center; }
.content h1 { margin: 0 0 24px; padding-bottom: 12px; border-bottom: 2px solid #1a3a6b; font-size: 1.75rem; }
.content h2 { margin: 32px 0 12px; font-size: 1.3125rem; color: #1a3a6b; }
.content h3 { margin: 24px 0 8px; font-size: 1.125rem; }
.note { padding: 12px 16px; background: #f5f7fa; border-left: 4px solid #2d5c9a; }

/* department and satisfaction poll under every sub page */
.page-info { margin-top: 40px; padding: 16px 20px; border: 1px solid #d6dbe3; background: #f5f7fa; }
.page-info .manager { display: flex; flex-wrap: wrap; gap: 4px 12px; margin: 0 0 12px; }
.page-info .manager dt { font-weight: 700; }
.page-info .manager dd { margin: 0 12px 0 0; }
.satisfaction { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 12px 24px; }
.satisfaction .choices { flex-wrap: wrap; gap: 8px 16px; }
.satisfaction legend { margin-bottom: 6px; font-weight: 700; }

/* tables */
table { width: 100%; border-collapse: collapse; margin: 8px 0 24px; border-top: 2px solid #1a3a6b; }
caption { padding: 6px 0; text-align: left; font-weight: 700; color: #222; }
th, td { padding: 10px 8px; border-bottom: 1px solid #d6dbe3; text-align: center; }
th { background: #f2f4f7; }
td.title { text-align: left; }
td.title a { display: inline-block; min-height: 24px; }
td.num { text-align: right; }

/* board */
.board-search { display: flex; gap: 6px; justify-content: flex-end; align-items: center; margin-bottom: 12px; }
.board-search select, .board-search input { height: 40px; padding: 0 8px; border: 1px solid #767676; font-size: 1rem; }
.board-total { margin: 0 0 4px; }
.paging { display: flex; justify-content: center; align-items: center; gap: 8px; margin: 24px 0; }
.paging a, .paging span { display: inline-block; min-width: 32px; min-height: 32px; padding: 3px 8px;
  border: 1px solid #c2c8d0; color: #222; text-align: center; text-decoration: none; line-height: 24px; }
.paging a[aria-current="page"] { background: #1a3a6b; border-color: #1a3a6b; color: #fff; font-weight: 700; }
.paging span { color: #555; }
.bbs-view .meta { display: flex; flex-wrap: wrap; gap: 4px 20px; margin: 0 0 16px; padding: 10px 0;
  border-bottom: 1px solid #d6dbe3; color: #444; }
.bbs-view .meta dt { font-weight: 700; }
.bbs-view .meta dd { margin: 0; }
.bbs-body { min-height: 160px; }
.attach ul, .prev-next ul { list-style: none; margin: 0; padding: 0; }
.attach li, .prev-next li { padding: 8px 0; border-bottom: 1px solid #e3e6eb; }
.attach a, .prev-next a { display: inline-block; min-height: 24px; }
.list-actions { margin-top: 20px; text-align: right; }

/* forms */
fieldset { margin: 0 0 20px; padding: 12px 20px 20px; border: 1px solid #c2c8d0; }
legend { padding: 0 6px; font-weight: 700; }
.row { display: flex; align-items: center; gap: 12px; margin: 10px 0; }
.row > label, .row > .lbl { flex: 0 0 140px; font-weight: 700; }
.row input[type="text"], .row input[type="tel"], .row input[type="email"], .row input[type="number"],
.row input[type="password"], .row input[type="file"], .row select, .row textarea { flex: 1 1 auto; min-height: 40px;
  padding: 6px 8px; border: 1px solid #767676; font-size: 1rem; font-family: inherit; }
.row textarea { min-height: 140px; }
.choices { display: flex; gap: 20px; border: 0; margin: 0; padding: 0; }
.choices label { display: inline-flex; align-items: center; gap: 6px; min-height: 28px; }
.choices input { width: 20px; height: 20px; }
.req { color: #b3261e; font-weight: 700; }
.req-color { color: #c00000; }
.form-actions { display: flex; gap: 10px; justify-content: center; margin-top: 24px; }
.hint { margin: 0; font-size: 0.9375rem; color: #444; }

/* home */
.home .section-title { margin: 0 0 12px; font-size: 1.375rem; color: #1a3a6b; }
#main-visual { position: relative; margin: 24px 0; }
.mv-viewport { overflow: hidden; border-radius: 12px; }
.mv-track { display: flex; list-style: none; margin: 0; padding: 0; transition: transform 0.6s ease; }
.mv-track .slide { flex: 0 0 100%; display: flex; align-items: center; gap: 32px; padding: 32px 48px; min-height: 260px; color: #fff; }
.mv-track .slide-1 { background: #1a3a6b; }
.mv-track .slide-2 { background: #125e54; }
.mv-track .slide-3 { background: #5b2a86; }
.slide h3 { margin: 0 0 8px; font-size: 1.625rem; }
.slide p { margin: 0 0 16px; }
.slide a { display: inline-block; min-height: 40px; padding: 8px 16px; background: #fff; color: #1a1a1a; font-weight: 700; text-decoration: none; }
.slide a:hover, .slide a:focus { text-decoration: underline; }
.slide img { flex: 0 0 auto; width: 300px; }
.mv-controls { position: absolute; right: 16px; bottom: 16px; z-index: 2; display: flex; gap: 8px; }
.mv-controls button { min-width: 40px; min-height: 40px; padding: 6px 12px; border: 1px solid #fff; background: #0d2342;
  color: #fff; font-size: 0.9375rem; cursor: pointer; }
.home-grid { display: grid; grid-template-columns: 1fr 1fr; gap: 32px; margin: 32px 0; }
.quick ul { display: grid; grid-template-columns: repeat(3, 1fr); gap: 12px; list-style: none; margin: 0; padding: 0; }
.quick a { display: flex; flex-direction: column; align-items: center; gap: 6px; padding: 16px 8px; border: 1px solid #d6dbe3;
  border-radius: 8px; color: #222; text-decoration: none; text-align: center; }
.quick a:hover, .quick a:focus { border-color: #1a3a6b; text-decoration: underline; }
.latest ul { list-style: none; margin: 0; padding: 0; }
.latest li { display: flex; justify-content: space-between; gap: 12px; padding: 8px 0; border-bottom: 1px solid #e3e6eb; }
.latest li a { display: inline-block; min-height: 24px; }
.latest .date { flex: 0 0 auto; color: #555; font-size: 0.875rem; }
.more-link { display: inline-block; margin-top: 10px; min-height: 24px; }
.focus-cards { display: grid; grid-template-columns: repeat(3, 1fr); gap: 20px; list-style: none; margin: 0; padding: 0; }
.focus-cards li { border: 1px solid #d6dbe3; border-radius: 8px; overflow: hidden; }
.focus-cards img { display: block; width: 100%; height: auto; }
.focus-cards h3 { margin: 12px 14px 6px; font-size: 1.0625rem; }
.focus-cards h3 a { display: inline-block; min-height: 24px; }
.focus-cards p { margin: 0 14px 14px; color: #444; font-size: 0.9375rem; }
.banner-zone { display: flex; align-items: center; gap: 16px; margin: 32px 0; padding: 12px 16px; border: 1px solid #d6dbe3; }
.banner-zone .section-title { margin: 0; font-size: 1.0625rem; }
.bz-viewport { flex: 1 1 auto; overflow: hidden; }
.bz-list { display: flex; gap: 12px; list-style: none; margin: 0; padding: 0; transition: transform 0.4s ease; }
.bz-list a { display: inline-block; min-height: 40px; padding: 8px 14px; border: 1px solid #c2c8d0; border-radius: 20px;
  color: #222; white-space: nowrap; text-decoration: none; }
.bz-list a:hover, .bz-list a:focus { text-decoration: underline; }
.bz-controls button { min-width: 40px; min-height: 40px; padding: 6px 12px; border: 1px solid #1a3a6b; background: #fff; color: #1a3a6b; cursor: pointer; }

/* media */
.video-wrap video { display: block; width: 100%; max-width: 640px; height: auto; background: #000; }
.transcript { margin-top: 16px; padding: 16px 20px; background: #f5f7fa; }
.gallery { display: grid; grid-template-columns: repeat(3, 1fr); gap: 20px; list-style: none; margin: 0; padding: 0; }
.gallery figure { margin: 0; }
.gallery img { display: block; width: 100%; height: auto; }
.gallery figcaption { padding: 6px 0; font-size: 0.9375rem; }
.photo-tools { display: flex; align-items: center; gap: 4px; margin-top: 6px; }
.zoom-btn { display: inline-flex; align-items: center; justify-content: center; padding: 0; border: 1px solid #1a3a6b; background: #fff; cursor: pointer; }
.zoom-btn img { display: block; }

/* member */
.member-box { max-width: 520px; margin: 0 auto; padding: 28px 32px; border: 1px solid #c2c8d0; border-radius: 8px; }
.member-box .row > label { flex-basis: 120px; }
.captcha { margin: 16px 0; padding: 12px; background: #f5f7fa; }
.captcha img { display: block; margin-bottom: 8px; border: 1px solid #c2c8d0; }
.member-links { display: flex; gap: 16px; list-style: none; margin: 20px 0 0; padding: 0; }
.member-links a { display: inline-block; min-height: 24px; }

/* misc */
.faq-list { list-style: none; margin: 0; padding: 0; border-top: 2px solid #1a3a6b; }
.faq-list li { border-bottom: 1px solid #d6dbe3; }
.faq-q { display: block; width: 100%; min-height: 48px; padding: 12px 16px; border: 0; background: #fff; color: #222;
  font-size: 1rem; text-align: left; cursor: pointer; }
.faq-q:hover, .faq-q:focus { background: #f2f4f7; text-decoration: underline; }
.faq-a { padding: 4px 16px 16px 32px; }
.sitemap-groups { display: grid; grid-template-columns: repeat(3, 1fr); gap: 24px; }
.sitemap-groups ul { list-style: none; margin: 0; padding: 0; }
.sitemap-groups li a { display: inline-block; min-height: 28px; }
.timeline li { margin: 6px 0; }
.steps { padding-left: 1.4em; }
.terms-box { height: 220px; overflow: auto; padding: 12px 16px; border: 1px solid #c2c8d0; background: #fafbfc; }
.twin-list li { margin: 10px 0; }
.twin-list a { display: inline-block; min-height: 24px; }

/* quick menu and footer */
.quick-menu { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; margin-top: 24px; padding-top: 12px;
  padding-bottom: 12px; border-top: 1px solid #d6dbe3; }
.qm-title { margin: 0; font-size: 1rem; }
.qm-list { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0; padding: 0; }
.qm-list a, .qm-top a { display: inline-block; min-height: 28px; line-height: 28px; }
.qm-top { margin: 0 0 0 auto; }
.footer-top { padding-bottom: 16px; margin-bottom: 16px; border-bottom: 1px solid #56647a; }
.footer-top .inner { display: flex; flex-wrap: wrap; justify-content: space-between; gap: 12px; }
.family-site { display: flex; align-items: center; gap: 12px; }
.fs-title { margin: 0; font-size: 1rem; }
.fs-list, .sns { display: flex; flex-wrap: wrap; gap: 4px 16px; list-style: none; margin: 0; padding: 0; }
.fs-list a, .sns a { display: inline-block; min-height: 28px; line-height: 28px; }
.footer-info { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 24px; }
.footer-logo { margin: 0; padding: 4px 8px; background: #fff; }
.footer-logo img { display: block; }
.contact-numbers { display: flex; gap: 4px 8px; margin: 0; }
.contact-numbers dt { font-weight: 700; }
.contact-numbers dd { margin: 0 12px 0 0; }

/* footer */
#footer { margin-top: 48px; padding: 28px 0 36px; background: #26313f; color: #eef1f5; }
#footer a { color: #fff; }
.footer-links { display: flex; flex-wrap: wrap; gap: 4px 20px; list-style: none; margin: 0 0 16px; padding: 0; }
.footer-links a { display: inline-block; min-height: 28px; line-height: 28px; }
.help-info { margin: 0 0 16px; padding: 12px 16px; border: 1px solid #56647a; }
.help-info h2 { margin: 0 0 6px; font-size: 1rem; }
.help-info ul { display: flex; flex-wrap: wrap; gap: 4px 24px; list-style: none; margin: 0; padding: 0; }
.help-info a { display: inline-block; min-height: 28px; line-height: 28px; }
.topbar .help-info { margin: 4px 0; padding: 2px 8px; border-color: #c2c8d0; }
.topbar .help-info h2 { display: inline; margin-right: 8px; font-size: 0.875rem; }
.topbar .help-info ul { display: inline-flex; font-size: 0.875rem; }
.topbar .help-info a { color: #0b4f9c; }
#footer address { font-style: normal; }
.copyright { margin: 8px 0 0; font-size: 0.875rem; }

/* popup */
.popup-body { margin: 0; padding: 20px; }
.popup-body h1 { margin: 0 0 12px; font-size: 1.375rem; color: #1a3a6b; }
.popup-actions { display: flex; justify-content: space-between; align-items: center; margin-top: 16px; }
"""

COMMON_JS = """/* 디지털포용부 누리집 공통 스크립트 (ddkit sample site) */
(function () {
  'use strict';

  // Main visual: one slide every 5 seconds. A pause button is wired up only where the page has one.
  function carousel(root) {
    var track = root.querySelector('.mv-track');
    var slides = root.querySelectorAll('.mv-track > .slide');
    var pause = root.querySelector('.mv-pause');
    var usesHidden = root.hasAttribute('data-hide-inactive');
    var count = usesHidden ? slides.length : root.querySelectorAll('.mv-track > .slide:not(.clone)').length;
    var index = 0;
    var timer = null;
    function show(i) {
      index = (i + count) % count;
      if (usesHidden) {
        for (var k = 0; k < slides.length; k++) { slides[k].hidden = (k !== index); }
      } else {
        track.style.transform = 'translateX(' + (-100 * index) + '%)';
      }
      var status = root.querySelector('.mv-status');
      if (status) { status.textContent = (index + 1) + ' / ' + count; }
    }
    function start() { timer = window.setInterval(function () { show(index + 1); }, 5000); }
    function stop() { window.clearInterval(timer); timer = null; }
    var prev = root.querySelector('.mv-prev');
    var next = root.querySelector('.mv-next');
    if (prev) { prev.addEventListener('click', function () { show(index - 1); }); }
    if (next) { next.addEventListener('click', function () { show(index + 1); }); }
    if (pause) {
      pause.addEventListener('click', function () {
        if (timer) { stop(); pause.textContent = '자동 넘김 시작'; }
        else { start(); pause.textContent = '자동 넘김 정지'; }
      });
    }
    show(0);
    start();
  }

  // Related-site banner strip: scrolls every 3 seconds, with a stop/start button.
  function bannerZone(root) {
    var list = root.querySelector('.bz-list');
    var toggle = root.querySelector('.bz-toggle');
    var step = 0;
    var timer = null;
    function tick() { step = (step + 1) % 3; list.style.transform = 'translateX(' + (-120 * step) + 'px)'; }
    function start() { timer = window.setInterval(tick, 3000); }
    start();
    if (toggle) {
      toggle.addEventListener('click', function () {
        if (timer) { window.clearInterval(timer); timer = null; toggle.textContent = '배너 움직임 시작'; }
        else { start(); toggle.textContent = '배너 움직임 정지'; }
      });
    }
  }

  // FAQ accordion: the button toggles its answer.
  function faq(button) {
    button.addEventListener('click', function () {
      var answer = document.getElementById(button.getAttribute('aria-controls'));
      var open = answer.hidden;
      answer.hidden = !open;
      button.setAttribute('aria-expanded', open ? 'true' : 'false');
    });
  }

  document.addEventListener('DOMContentLoaded', function () {
    var mv = document.getElementById('main-visual');
    if (mv) { carousel(mv); }
    var bz = document.querySelector('.banner-zone');
    if (bz) { bannerZone(bz); }
    var questions = document.querySelectorAll('.faq-q');
    for (var i = 0; i < questions.length; i++) { faq(questions[i]); }
    var close = document.querySelector('.popup-close');
    if (close) { close.addEventListener('click', function () { window.close(); }); }
  });
}());
"""
