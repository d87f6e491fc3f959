"""The audit store on a real database (SQLite file and PostgreSQL): migrations, one transaction per
page, idempotent inserts, summaries."""

from __future__ import annotations

import sqlalchemy as sa

from a11y_audit.crawl.frontier import Frontier
from a11y_audit.models import Finding, PageResult
from a11y_audit.store import VERSION_TABLE, AuditStore


def _finding(
    rule: str, outcome: str = "violation", impact: str | None = "serious", selector: str = "img"
) -> Finding:
    return Finding(rule, "axe", outcome, impact, ["1.1.1"], ["1.1.1"], selector, "<img>", "msg", "메시지")


def test_migrations_use_their_own_version_table_beside_other_alembic_users(db_url):
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:  # another part of ddkit keeps its own version in the same database
        conn.execute(sa.text("create table alembic_version (version_num varchar(32) not null)"))
        conn.execute(sa.text("insert into alembic_version values ('training_0007')"))
    store = AuditStore(db_url)
    AuditStore(db_url).close()  # opening again is a no-op upgrade
    tables = set(sa.inspect(engine).get_table_names())
    assert {
        "audit_runs",
        "audit_queue",
        "audit_pages",
        "audit_findings",
        "audit_run_errors",
        VERSION_TABLE,
    } <= tables
    with engine.connect() as conn:
        assert conn.execute(sa.text("select version_num from alembic_version")).scalar() == "training_0007"
        assert conn.execute(sa.text(f"select count(*) from {VERSION_TABLE}")).scalar() == 1
    store.close()
    engine.dispose()


def test_one_transaction_per_page_and_no_duplicates(db_url):
    store = AuditStore(db_url)
    run = store.create_run(["https://x.go.kr/"], {"k": 1}, "0.1.0")
    frontier = Frontier(["https://x.go.kr/"])
    seed = frontier.consider("https://x.go.kr/", 0, seed=True)
    store.add_decisions(run, [seed])
    [item] = store.queued(run)
    links = [
        frontier.consider(u, 1) for u in ("https://x.go.kr/a", "https://other.kr/", "https://x.go.kr/b.pdf")
    ]
    result = PageResult(
        url=item.url,
        final_url=item.url,
        status=200,
        title="홈",
        template_signature="00ff00ff00ff00ff",
        findings=[
            _finding("image-alt"),
            _finding("image-alt", selector="#logo"),
            _finding("image-alt", "pass", None),
        ],
        item_status={"1.1.1": "fail", "2.4.2": "pass"},
        links=["https://x.go.kr/a"],
        timings_ms={"nav": 10.0, "axe": 20.0, "checks": 3.0, "total": 35.0},
    )
    added = store.record_page(run, item, result, decisions=links)
    assert [q.url for q in added] == ["https://x.go.kr/a"]
    assert store.record_page(run, item, result, decisions=[]) is None  # a second insert is refused
    assert [q.url for q in store.queued(run)] == ["https://x.go.kr/a"]
    s = store.summary(run)
    assert (s.pages, s.errors, s.queued, s.violations) == (1, 0, 1, 2)
    assert s.skipped == {"non_html": 1, "out_of_scope": 1}
    assert s.top_rules == [{"rule_id": "image-alt", "impact": "serious", "elements": 2, "pages": 1}]
    assert s.item_fail_pages == {"1.1.1": 1}
    [back] = store.page_results(run)
    assert back.findings == result.findings and back.item_status == result.item_status
    assert back.timings_ms == result.timings_ms and back.template_signature == "00ff00ff00ff00ff"
    store.add_run_error(run, "https://x.go.kr/sitemap.xml", "sitemap", "not XML")
    store.add_run_error(run, "https://x.go.kr/sitemap.xml", "sitemap", "not XML")
    assert len(store.summary(run).run_errors) == 1
    store.finish_run(run, "finished", "4.12.1")
    [listed] = store.list_runs()
    assert (listed.status, listed.axe_version, listed.pages) == ("finished", "4.12.1", 1)
    store.close()
