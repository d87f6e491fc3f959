"""The rest of the audit store's database features on both backends (SQLite file and PostgreSQL): a
crawl with redirects and a resume after a failed browser, claiming a run, sampling a stored run, and
the migrations down to nothing and back up."""

from __future__ import annotations

import subprocess
from importlib import resources

import pytest
import sqlalchemy as sa
from site_server import page
from standin import StandInBrowser, factory

from a11y_audit.crawl.politeness import Politeness
from a11y_audit.errors import AuditError, AuditUsageError
from a11y_audit.sampling import sample_run
from a11y_audit.site import SiteAuditConfig, audit_site
from a11y_audit.store import VERSION_TABLE, AuditStore

FAST = Politeness(delay_s=0, jitter=0, backoff_s=0.05)


def test_crawl_with_redirects_and_a_resume_after_the_browser_failed(db_url, local_site):
    local_site.routes["/"] = page(
        '<a href="/old">old</a><a href="/new">new</a>'
        + "".join(f'<a href="/p{i}">{i}</a>' for i in range(6)),
        "홈",
    )
    local_site.routes["/old"] = (301, {"Location": "/new"}, b"")
    local_site.routes["/new"] = page('<a href="/">홈</a>', "새 페이지")
    local_site.fallback = lambda path, n: (
        page("<img src='/x.png'><p>본문</p>", f"본문 {path}") if path.startswith("/p") else None
    )
    config = SiteAuditConfig(seeds=(local_site.url("/"),), concurrency=1, politeness=FAST)
    with pytest.raises(AuditError, match="stand-in browser is gone"):
        audit_site(config, db_url, browser_factory=factory(StandInBrowser(fail_after=4)))
    store = AuditStore(db_url)
    [run] = store.list_runs()
    assert run.status == "failed" and run.pages == 4 and run.queued == 4

    browser = StandInBrowser()
    result = audit_site(None, db_url, resume=run.id, browser_factory=factory(browser))
    assert result.status == "finished" and len(browser.audits) == 4  # only what was missing
    s = store.summary(run.id)
    # home, /old (landed on /new, whose own queue row became an alias), /p0../p5
    assert (s.pages, s.errors, s.queued) == (8, 0, 0)
    assert s.skipped == {"alias": 1}
    assert s.violations == 6 and s.item_fail_pages == {"1.1.1": 6}  # distinct titles: 2.4.2 passes
    assert s.top_rules == [{"rule_id": "image-alt", "impact": "critical", "elements": 6, "pages": 6}]
    urls = [p.url for p in store.pages(run.id)]
    assert len(urls) == len(set(urls)) == 8
    store.close()


def test_a_run_held_by_a_live_process_is_not_claimed(db_url):
    store = AuditStore(db_url)
    run_id = store.create_run(["https://x.go.kr/"], {}, "0.1.0")
    holder = subprocess.Popen(["sleep", "60"])
    try:
        with store.engine.begin() as conn:
            conn.execute(
                sa.text("update audit_runs set pid = :pid where id = :id"), {"pid": holder.pid, "id": run_id}
            )
        with pytest.raises(AuditUsageError, match=f"still being audited by process {holder.pid}"):
            store.claim_run(run_id)
    finally:
        holder.kill()
        holder.wait()
    claimed = store.claim_run(run_id)
    assert claimed.status == "running" and claimed.pid != holder.pid
    store.close()


def test_sampling_a_stored_run(db_url, local_site):
    local_site.routes["/"] = page(
        "".join(f'<a href="/b{i}">{i}</a>' for i in range(5)) + '<a href="/f">f</a>'
    )
    local_site.fallback = lambda path, n: (
        page("<ul><li>글</li><li>글</li></ul>", "게시판") if path.startswith("/b") else None
    )
    local_site.routes["/f"] = page("<form><label>이름<input></label><button>보내기</button></form>", "신청")
    config = SiteAuditConfig(seeds=(local_site.url("/"),), politeness=FAST)
    result = audit_site(config, db_url, browser_factory=factory(StandInBrowser()))
    sample = sample_run(db_url, result.run_id, size=3)
    assert sample.pages_considered == 7
    assert [e.role for e in sample.entries] == ["home", "template", "template"]
    assert sample.entries[0].url == local_site.url("/")
    assert {e.cluster_size for e in sample.entries[1:]} == {5, 1}


def test_migrations_go_down_to_nothing_and_up_again(db_url):
    from alembic import command
    from alembic.config import Config

    AuditStore(db_url).close()
    engine = sa.create_engine(db_url)
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("a11y_audit").joinpath("migrations")))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.downgrade(cfg, "base")
    assert not [t for t in sa.inspect(engine).get_table_names() if t.startswith("audit_")]
    store = AuditStore(db_url)  # upgrades to the newest revision again
    assert store.create_run(["https://x.go.kr/"], {}, "0.1.0") == 1
    with engine.connect() as conn:
        assert conn.execute(sa.text(f"select count(*) from {VERSION_TABLE}")).scalar() == 1
    store.close()
    engine.dispose()
