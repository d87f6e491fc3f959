"""Take the README's screenshots of the demo reports (docs/images/*.png).

Usage (after `make demo`):

    .venv/bin/python scripts/screenshot-reports.py [DEMO_FOLDER] [--out docs/images]

Serves the demo folder on 127.0.0.1, opens each report in Debian's Chromium at 1280 px wide, and
writes the top of the page (1280×900) as PNG.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

from a11y_audit.browser import LAUNCH_ARGS, find_chromium

REPORTS = ("audit-report-ko", "audit-report-en", "gap-report-ko", "training-report-ko", "index")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default="ddkit-demo", type=Path)
    parser.add_argument("--out", default=Path("docs/images"), type=Path)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(args.folder))
    handler.log_message = lambda *a, **k: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=find_chromium(), args=LAUNCH_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            for name in REPORTS:
                if not (args.folder / f"{name}.html").is_file():
                    print(f"skipped {name}: not in {args.folder}")
                    continue
                page.goto(base + f"{name}.html", wait_until="load")
                target = args.out / f"{name}.png"
                page.screenshot(path=str(target))
                print(f"wrote {target}")
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
