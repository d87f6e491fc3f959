"""The loopback file server used for local files and folders."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from a11y_audit.errors import AuditError
from a11y_audit.serve import html_files, serve


def test_serves_files_on_loopback_with_utf8_html(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "한글 페이지.html").write_text("<p>안녕</p>", encoding="utf-8")
    (tmp_path / "style.css").write_text("p{}", encoding="utf-8")
    with serve(tmp_path) as server:
        assert server.url.startswith("http://127.0.0.1:") and server.port > 0
        url = server.url_for("sub/한글 페이지.html")
        assert url == server.url + "sub/%ED%95%9C%EA%B8%80%20%ED%8E%98%EC%9D%B4%EC%A7%80.html"
        assert server.url_for(tmp_path / "style.css") == server.url + "style.css"
        with urllib.request.urlopen(url, timeout=5) as resp:
            assert resp.headers["Content-Type"] == "text/html; charset=utf-8"
            assert resp.read().decode() == "<p>안녕</p>"
        with pytest.raises(urllib.error.HTTPError) as info:  # no directory listings
            urllib.request.urlopen(server.url + "sub/", timeout=5)
        assert info.value.code == 404
    with pytest.raises(OSError):
        urllib.request.urlopen(url, timeout=2)


def test_html_files_are_found_recursively_in_order_without_hidden_folders(tmp_path):
    for name in ["b.html", "a.htm", "c.txt", "sub/d.html", ".git/e.html", "sub/.cache/f.html"]:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")
    assert [p.relative_to(tmp_path).as_posix() for p in html_files(tmp_path)] == [
        "a.htm",
        "b.html",
        "sub/d.html",
    ]


def test_serving_a_missing_folder_is_an_audit_error(tmp_path):
    with pytest.raises(AuditError, match="is not a folder"), serve(tmp_path / "nope"):
        pass
