"""A real audit store (SQLite file and PostgreSQL) filled with hand-made page results."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from a11y_audit.crawl.frontier import Decision, url_hash, url_key
from a11y_audit.models import PageResult
from a11y_audit.store import AuditStore


@pytest.fixture
def store(db_url):
    s = AuditStore(db_url)
    yield s
    s.close()


@pytest.fixture
def add_run(store) -> Callable[[list[PageResult]], int]:
    def add(results: list[PageResult]) -> int:
        run = store.create_run([results[0].url], {}, "test")
        decisions = []
        for r in results:
            key = url_key(r.url)
            decisions.append(Decision(r.url, key, url_hash(key), 0))
        store.add_decisions(run, decisions)
        by_url = {q.url: q for q in store.queued(run)}
        for r in results:
            store.record_page(run, by_url[r.url], r)
        store.finish_run(run, "finished", axe_version="4.12.1")
        return run

    return add
