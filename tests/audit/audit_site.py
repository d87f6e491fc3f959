"""The loopback test site of the audit tests, and small helpers.

The site serves ``fixtures/`` plus a few endpoints under ``/_/`` that misbehave on purpose (HTTP
errors, slow or endless responses, downloads, redirect loops, a 20 MB page, a sound file).
The browser resolves every host except 127.0.0.1 to "not found", so no test can reach the network.
"""

from __future__ import annotations

import io
import math
import threading
import time
import wave
from pathlib import Path

from a11y_audit.engine import AuditOptions
from a11y_audit.models import PageResult
from a11y_audit.serve import QuietHandler

FIXTURES = Path(__file__).parent / "fixtures"
#: Every name resolves to nothing, except the loopback address the tests serve on.
NO_NETWORK = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
TEST_OPTIONS = AuditOptions(
    timeout_ms=4000,
    load_wait_ms=2000,
    page_budget_ms=30_000,
    launch_args=(NO_NETWORK,),
)
STOP = threading.Event()


def tone_wav(seconds: float = 6.0, rate: int = 8000) -> bytes:
    """A mono 8-bit sine tone (audible, so 'playing with sound' is real)."""
    frames = bytes(int(128 + 60 * math.sin(2 * math.pi * 440 * i / rate)) for i in range(int(seconds * rate)))
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(1)
        w.setframerate(rate)
        w.writeframes(frames)
    return buf.getvalue()


TONE = tone_wav()
PNG_1x1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
BIG_SIZE = 20_000_000


class SiteHandler(QuietHandler):
    """Fixtures plus misbehaving endpoints."""

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        path = self.path.split("?")[0]
        if not path.startswith("/_/"):
            return super().do_GET()
        name = path[3:]
        if name.startswith("status/"):
            return self._send(int(name.split("/")[1]), b"<!doctype html><title>error</title><p>error</p>")
        if name == "tone.wav":
            return self._send(200, TONE, "audio/wav")
        if name == "doc.pdf":
            return self._send(200, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "application/pdf")
        if name == "img.png":
            return self._send(200, PNG_1x1, "image/png")
        if name == "download":
            return self._send(
                200, b"a,b\n1,2\n", "text/csv", {"Content-Disposition": 'attachment; filename="data.csv"'}
            )
        if name == "redirect-loop":
            return self._send(302, b"", "text/html", {"Location": "/_/redirect-loop"})
        if name == "big":
            return self._big()
        if name == "slow":  # never answers in time
            return self._wait(30)
        if name == "endless":  # starts an HTML page and never finishes it
            return self._endless()
        if name == "hang":  # a sub-resource that never arrives
            return self._wait(30)
        if name == "embed":
            return self._send(200, b"<!doctype html><title>player</title><p>player</p>")
        return self._send(404, b"not found")

    def _send(self, code: int, body: bytes, ctype: str = "text/html; charset=utf-8", headers=None) -> None:
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _big(self) -> None:
        line = b"<p>" + b"\xea\xb0\x80" * 30 + b"</p>\n"
        head = b"<!doctype html><html lang=ko><title>big</title><body>\n"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(BIG_SIZE))
        self.end_headers()
        try:
            self.wfile.write(head)
            sent = len(head)
            while sent < BIG_SIZE:
                chunk = (line * 1000)[: BIG_SIZE - sent]
                self.wfile.write(chunk)
                sent += len(chunk)
        except OSError:
            pass  # the browser stopped reading: that is the point

    def _wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and not STOP.is_set():
            time.sleep(0.1)

    def _endless(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.end_headers()
        try:
            self.wfile.write(b"<!doctype html><html lang=ko><title>endless</title><body><p>")
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and not STOP.is_set():
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass


def by_rule(result: PageResult, rule: str) -> dict[str, list]:
    """outcome -> sorted selectors of one rule's findings."""
    out: dict[str, list] = {}
    for f in result.findings:
        if f.rule_id == rule:
            out.setdefault(f.outcome, []).append(f.selector)
    return {k: sorted(v, key=lambda s: (s is None, s or "")) for k, v in out.items()}
