"""Element crops (engine option ``crops``) in the real Chromium: the right element, above and below the
fold, on a desktop and on a phone, capped per item and per page, and off at 0."""

from __future__ import annotations

import asyncio
import io

import pytest
from audit_site import TEST_OPTIONS
from PIL import Image

from a11y_audit.engine import Browser
from a11y_audit.serve import serve

pytestmark = pytest.mark.browser

#: Solid colour blocks, so a crop can be checked by its pixels.
RED = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#d00"/></svg>'
BLUE = '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect width="120" height="80" fill="#00d"/></svg>'
PAGE = """<!doctype html><html lang="ko"><head><meta charset="utf-8"><title>잘라내기 | 시험</title>
<style>body { margin: 0; font-size: 16px } img { display: block; margin: 20px } .far { height: 3000px }</style>
</head><body><main><h1>잘라내기</h1>
<p>검색 <input type="text" id="q"></p>
<img src="red.svg" id="tiny" width="0" height="0">
<div class="far"></div>
<img src="red.svg" id="bottom" width="120" height="80">
<img src="blue.svg" id="second" width="120" height="80">
</main></body></html>"""


@pytest.fixture(scope="module")
def crops(tmp_path_factory):
    """The page audited with crops on the desktop (cap 10 and cap 1), on a phone, and with crops off."""
    root = tmp_path_factory.mktemp("crops")
    (root / "page.html").write_text(PAGE, encoding="utf-8")
    (root / "red.svg").write_text(RED, encoding="utf-8")
    (root / "blue.svg").write_text(BLUE, encoding="utf-8")
    # The same page with the first visible image drawn smaller by the style sheet: the same rule,
    # selector and snippet, another box size.
    (root / "smaller.html").write_text(
        PAGE.replace("margin: 20px }", "margin: 20px } #bottom { width: 60px; height: 40px }"),
        encoding="utf-8",
    )

    async def run(url: str) -> dict:
        from dataclasses import replace

        out = {}
        for name, options in (
            ("desktop", replace(TEST_OPTIONS, crops=10)),
            ("one", replace(TEST_OPTIONS, crops=1)),
            ("off", TEST_OPTIONS),
        ):
            browser = await Browser.launch(options)
            try:
                worker = await browser.worker()
                out[name] = await worker.audit(url)
                if name == "desktop":
                    cached = len(browser.crop_cache)
                    out["again"] = await worker.audit(url)  # the same elements: no new capture
                    out["cache_after_again"] = (cached, len(browser.crop_cache))
                    out["smaller"] = await worker.audit(url.replace("page.html", "smaller.html"))
                    out["cache_after_smaller"] = len(browser.crop_cache)
                    phone = await browser.for_device("mobile")
                    out["mobile"] = await (await phone.worker()).audit(url)
            finally:
                await browser.close()
        return out

    with serve(root) as server:
        return asyncio.run(run(server.url_for("page.html")))


def _image(crop) -> Image.Image:
    return Image.open(io.BytesIO(crop.image))


@pytest.mark.parametrize("device", ["desktop", "mobile"])
def test_one_crop_per_item_of_the_first_failing_element(crops, device):
    result = crops[device]
    assert result.error is None
    by_item = {c.item: c for c in result.crops}
    assert {"1.1.1", "3.3.2"} <= set(by_item), sorted((c.item, c.rule_id, c.selector) for c in result.crops)
    # 1.1.1: three images without alt; the first has no size, so the crop shows the next one,
    # 3,000 px below the fold.
    alt = by_item["1.1.1"]
    assert (alt.rule_id, alt.selector) == ("image-alt", "#bottom")
    with _image(alt) as shot:
        assert shot.format == "JPEG"
        # 120 x 80 CSS px plus 8 px around, at scale 1 in image pixels (the phone's 2.6 device pixels
        # per CSS pixel are scaled away).
        assert abs(shot.width - 136) <= 1 and abs(shot.height - 96) <= 1
        red, green, blue = shot.convert("RGB").getpixel((shot.width // 2, shot.height // 2))
        assert red > 180 and green < 60 and blue < 60  # the red image, not the blank page above it
    label = by_item["3.3.2"]
    assert label.selector in ("#q", "input")
    assert 1 <= len(label.image) < 10_000
    assert result.timings_ms["crops"] > 0


def test_elements_without_a_box_and_page_level_findings_have_no_crop(crops):
    findings = {f.selector for f in crops["desktop"].findings if f.outcome == "violation"}
    assert "#tiny" in findings  # axe reports it ...
    selectors = {c.selector for c in crops["desktop"].crops}
    assert "#tiny" not in selectors and "html" not in selectors  # ... but 0 x 0 px shows nothing


def test_the_cap_per_page_and_zero_for_none(crops):
    assert len(crops["one"].crops) == 1
    assert crops["off"].crops == [] and "crops" not in crops["off"].timings_ms
    assert "crops" not in crops["desktop"].to_dict()  # never in JSON


def test_an_element_cropped_before_is_not_captured_again(crops):
    first = {c.item: c for c in crops["desktop"].crops}
    again = {c.item: c for c in crops["again"].crops}
    assert set(again) == set(first)
    assert all(again[item].image == first[item].image for item in first)  # the stored image, reused
    before, after = crops["cache_after_again"]
    assert before == len(first) and after == before  # nothing was captured for the second page


def test_the_same_element_at_another_size_is_captured_anew(crops):
    smaller = {c.item: c for c in crops["smaller"].crops}
    assert smaller["1.1.1"].selector == "#bottom"
    with _image(smaller["1.1.1"]) as shot:
        assert abs(shot.width - 76) <= 1 and abs(shot.height - 56) <= 1  # 60 x 40 plus 8 px around
    assert crops["cache_after_smaller"] == crops["cache_after_again"][1] + 1
