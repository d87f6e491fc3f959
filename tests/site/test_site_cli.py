"""`ddkit audit site | runs | show | sample` as a user runs them: a real subprocess, the real engine,
a site on 127.0.0.1. The resume test kills the whole process tree with SIGKILL in the middle of a run."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from site_server import LocalSite, page, serve

from a11y_audit.checks.cross_page import RULE as CROSS_PAGE_RULE
from cli import main

pytestmark = pytest.mark.browser

N_PAGES = 16


def ddkit(*args: str, check_rc: int | None = None, timeout: float = 240) -> subprocess.CompletedProcess:
    done = subprocess.run(
        [sys.executable, "-m", "cli", "audit", *args], capture_output=True, text=True, timeout=timeout
    )
    if check_rc is not None:
        assert done.returncode == check_rc, done.stderr
    return done


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cli", "audit", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group: Chromium and the driver get the signal too
    )


def stored(db: str) -> list[tuple]:
    """(id, url, audited_at, findings) per stored page; the findings of the cross-page title rule are
    left out, because it is (re)applied to every page when the run finishes."""
    with sqlite3.connect(db) as conn:
        return conn.execute(
            "select p.id, p.url, p.audited_at, (select count(*) from audit_findings f where f.page_id = p.id"
            " and f.rule_id != ?) from audit_pages p order by p.id",
            (CROSS_PAGE_RULE,),
        ).fetchall()


def wait_for_pages(db: str, n: int, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()[1]
        try:
            if len(stored(db)) >= n:
                return
        except sqlite3.OperationalError:
            pass  # tables not created yet
        time.sleep(0.05)
    raise AssertionError(f"fewer than {n} pages stored after {timeout} s")


def site_pages(site: LocalSite) -> None:
    links = "".join(f'<li><a href="/p{i}">{i}쪽</a></li>' for i in range(1, N_PAGES))
    site.routes["/"] = page(f"<main><h1>홈</h1><ul>{links}</ul></main>", "홈")
    for i in range(1, N_PAGES):
        body = f'<main><h1>{i}쪽</h1><img src="/i{i}.png"><p>본문 {i}</p><a href="/">홈</a><a href="/p{(i % 15) + 1}">다음</a></main>'
        site.routes[f"/p{i}"] = page(body, f"{i}쪽")
    site.delay_s = 0.1  # slow enough that a kill lands in the middle of the run


@pytest.fixture(scope="module")
def site() -> Iterator[LocalSite]:
    s = LocalSite()
    site_pages(s)
    yield from serve(s)


@pytest.fixture(scope="module")
def resumed_run(site, tmp_path_factory) -> dict:
    """A run killed with SIGKILL after a few pages, then resumed to the end."""
    db = str(tmp_path_factory.mktemp("kill") / "ddkit.db")
    proc = start("site", site.url("/"), "--db", db, "--delay", "0", "--concurrency", "2")
    try:
        wait_for_pages(db, 4, proc)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    before = stored(db)
    with sqlite3.connect(db) as conn:
        status_after_kill = conn.execute("select status from audit_runs").fetchone()[0]
    done = ddkit("site", "--resume", "1", "--db", db, "--json", "--fail-on", "critical")
    return {"db": db, "before": before, "status_after_kill": status_after_kill, "resume": done}


def test_kill_9_then_resume_audits_every_page_exactly_once(site, resumed_run):
    before, db = resumed_run["before"], resumed_run["db"]
    assert 4 <= len(before) < N_PAGES
    assert resumed_run["status_after_kill"] == "running"  # killed: nobody could mark it
    done = resumed_run["resume"]
    assert done.returncode == 1, done.stderr  # --fail-on critical: image-alt is critical
    data = json.loads(done.stdout)["data"]
    assert (data["status"], data["pages"], data["queued"], data["errors"]) == ("finished", N_PAGES, 0, 0)
    assert data["session"]["pages"] == N_PAGES - len(before)
    after = stored(db)
    urls = [row[1] for row in after]
    assert sorted(urls) == sorted([site.url("/")] + [site.url(f"/p{i}") for i in range(1, N_PAGES)])
    assert len(urls) == len(set(urls)) == N_PAGES
    assert after[: len(before)] == before  # nothing stored before the kill was lost or rewritten
    with sqlite3.connect(db) as conn:
        duplicates = conn.execute(
            "select count(*) from (select page_id, rule_id, outcome, selector, snippet, message_en, count(*) n"
            " from audit_findings group by page_id, rule_id, outcome, selector, snippet, message_en"
            " having count(*) > 1)"
        ).fetchone()[0]
        empty = conn.execute(
            "select count(*) from audit_pages p where not exists (select 1 from audit_findings f where f.page_id = p.id)"
        ).fetchone()[0]
        queue = dict(conn.execute("select state, count(*) from audit_queue group by state").fetchall())
    assert duplicates == 0
    assert empty == 0
    assert queue == {"done": N_PAGES}


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """The command in this process (no browser needed): exit code, stdout, stderr."""
    code = main(["audit", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_runs_show_and_sample_read_the_stored_run(resumed_run, tmp_path, capsys):
    db = resumed_run["db"]
    code, out, _ = cli(capsys, "runs", "--db", db, "--json")
    runs = json.loads(out)
    assert code == 0 and runs["kind"] == "audit.runs" and runs["schema_version"]
    [run] = runs["data"]
    assert (run["id"], run["status"], run["pages"]) == (1, "finished", N_PAGES)
    code, out, _ = cli(capsys, "show", "1", "--db", db, "--json")
    show = json.loads(out)["data"]
    assert show["violations"] >= N_PAGES - 1 and len(show["pages_list"]) == N_PAGES
    assert {r["rule_id"] for r in show["top_rules"]} >= {"image-alt"}
    code, out, _ = cli(capsys, "show", "1", "--db", db)
    assert code == 0 and "Run 1 (finished): 16 pages audited, 0 with errors" in out
    file = tmp_path / "sample.txt"
    code, out, _ = cli(capsys, "sample", "1", "--size", "3", "--db", db, "--json", "-o", str(file))
    sample = json.loads(out)["data"]
    entries = sample["entries"]
    assert code == 0 and len(entries) == 3
    assert entries[0]["role"] == "home" and entries[0]["url"].endswith("/")
    assert sum(c["size"] for c in sample["clusters"]) == N_PAGES
    assert file.read_text(encoding="utf-8").split() == [e["url"] for e in entries]
    code, out, _ = cli(capsys, "sample", "1", "--db", db)
    assert code == 0 and "home page; stands for cluster" in out
    code, _, err = cli(capsys, "show", "9", "--db", db)
    assert code == 2 and "There is no audit run 9" in err and "Traceback" not in err


def test_ctrl_c_stops_cleanly_and_keeps_what_is_done(site, tmp_path):
    db = str(tmp_path / "int.db")
    proc = start("site", site.url("/"), "--db", db, "--delay", "0", "--concurrency", "1")
    wait_for_pages(db, 2, proc)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Continue with: ddkit audit site --resume 1" in err
    assert "Traceback" not in err
    with sqlite3.connect(db) as conn:
        (status,) = conn.execute("select status from audit_runs").fetchone()
        (pages,) = conn.execute("select count(*) from audit_pages").fetchone()
        (done,) = conn.execute("select count(*) from audit_queue where state = 'done'").fetchone()
    assert status == "interrupted" and 2 <= pages < N_PAGES and done == pages


def test_usage_errors_exit_2_without_traceback(tmp_path, capsys):
    bad = tmp_path / "urls.txt"
    bad.write_text("https://x.go.kr/\nnot a url\n", encoding="utf-8")
    db = str(tmp_path / "u.db")
    code, _, err = cli(capsys, "site", "--urls", str(bad), "--db", db)
    assert code == 2 and "urls.txt, line 2, column 1" in err
    code, _, err = cli(capsys, "site", "--db", db)
    assert code == 2 and "Nothing to audit" in err
    code, _, err = cli(capsys, "site", "https://x.go.kr/", "--resume", "1", "--db", db)
    assert code == 2 and "--resume continues a stored run" in err
    code, _, err = cli(capsys, "site", "https://x.go.kr/", "--exclude", "(", "--db", db)
    assert code == 2 and "--exclude '(' is not a valid regular expression" in err
