"""One page result per URL and device (``--device both``): migration 0007 and the store, on a real
SQLite file and a real PostgreSQL database."""

from __future__ import annotations

import datetime as dt
from importlib import resources

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import event

from a11y_audit.models import Finding, PageResult
from a11y_audit.store import AuditStore, QueueItem, _sqlite_pragmas


def _finding(rule: str, outcome: str = "violation") -> Finding:
    return Finding(rule, "kwcag", outcome, "serious", ["1.1.1"], ["1.1.1"], "#x", "<img>", "en", "ko")


def _engine_at(db_url: str, revision: str) -> sa.Engine:
    engine = sa.create_engine(db_url)
    if db_url.startswith("sqlite"):
        event.listen(engine, "connect", _sqlite_pragmas)  # foreign keys on, as the store opens it
    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("a11y_audit").joinpath("migrations")))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)
    return engine


def test_migration_0007_keeps_findings_and_crops_and_allows_a_second_device(db_url):
    engine = _engine_at(db_url, "0006")
    now = dt.datetime(2026, 11, 28, tzinfo=dt.UTC)
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into audit_runs (id, kind, status, started_at, updated_at, ddkit_version, seeds, config)"
                " values (1, 'site', 'finished', :t, :t, '1', '[]', '{}')"
            ),
            {"t": now},
        )
        conn.execute(
            sa.text(
                "insert into audit_queue (id, run_id, url_hash, url, depth, state)"
                " values (1, 1, 'h1', 'http://127.0.0.1/', 0, 'done')"
            )
        )
        conn.execute(
            sa.text(
                "insert into audit_pages (id, run_id, url_hash, url, depth, device, timings, item_status,"
                " n_links, n_violations, n_incomplete, attempts, audited_at)"
                " values (7, 1, 'h1', 'http://127.0.0.1/', 0, NULL, '{}', '{}', 0, 2, 0, 1, :t)"
            ),
            {"t": now},
        )
        for n in (1, 2):
            conn.execute(
                sa.text(
                    "insert into audit_findings (page_id, run_id, rule_id, source, outcome, kwcag, wcag,"
                    " message_en, message_ko, data) values (7, 1, :r, 'axe', 'violation', '[]', '[]', '', '', '{}')"
                ),
                {"r": f"rule-{n}"},
            )
        conn.execute(
            sa.text(
                "insert into audit_crops (page_id, run_id, item, rule_id, selector, image)"
                " values (7, 1, '1.1.1', 'rule-1', '#x', :img)"
            ),
            {"img": b"\xff\xd8jpeg"},
        )
    AuditStore(db_url).close()  # opening upgrades to head: 0007 rebuilds audit_pages on SQLite
    with engine.connect() as conn:
        assert conn.execute(sa.text("select count(*) from audit_findings where page_id = 7")).scalar() == 2
        assert conn.execute(sa.text("select count(*) from audit_crops where page_id = 7")).scalar() == 1
        assert conn.execute(sa.text("select device from audit_pages where id = 7")).scalar() == "desktop"
        uniques = {
            u["name"]: u["column_names"] for u in sa.inspect(conn).get_unique_constraints("audit_pages")
        }
        assert uniques["uq_audit_pages_run_url_device"] == ["run_id", "url_hash", "device"]
        assert "uq_audit_pages_run_url" not in uniques
    engine.dispose()

    store = AuditStore(db_url)
    item = QueueItem(1, "http://127.0.0.1/", "h1", 0, None)
    phone = PageResult(url=item.url, device="mobile", findings=[_finding("mobile-zoom")])
    assert store.record_page(1, item, phone) == []
    assert store.record_page(1, item, PageResult(url=item.url, device="mobile")) is None  # stored already
    results = store.page_results(1)
    assert sorted((r.device, len(r.findings)) for r in results) == [("desktop", 2), ("mobile", 1)]
    assert store.summary(1).devices == {"desktop": 1, "mobile": 1}
    store.close()


def test_a_url_stays_queued_until_its_last_device_is_stored(db_url):
    store = AuditStore(db_url)
    run = store.create_run(["http://127.0.0.1/"], {}, "1")

    class Seed:
        url, key, hash, depth, reason = "http://127.0.0.1/", "k", "h1", 0, None

    store.add_decisions(run, [Seed()])
    (item,) = store.queued(run)
    store.record_page(run, item, PageResult(url=item.url, device="desktop"), finish_queue=False)
    assert [q.url for q in store.queued(run)] == [item.url]
    assert store.stored_devices(run) == {"h1": {"desktop"}}
    store.record_page(run, item, PageResult(url=item.url, device="mobile"))
    assert store.queued(run) == []
    assert store.stored_devices(run) == {}
    assert [p.device for p in store.pages(run)] == ["desktop", "mobile"]
    store.close()
