"""A campaign's storage on SQLite and PostgreSQL: one task per site, exactly once, ranking and export.

The site task runs here in-process (it needs no Dask worker); the cluster tests are in
test_campaign_cluster.py. The browser is the plain-HTTP stand-in (campaign_standin.py).
"""

from __future__ import annotations

import json
import socket

import pandas as pd
import pytest
from local_sites import serve_sites, write_sites_csv
from sqlalchemy import func, select

from a11y_audit.campaign import (
    CampaignSettings,
    CampaignSiteRow,
    CampaignStore,
    audit_campaign_site,
    campaign_summary,
    export_summary,
    read_sites,
)
from a11y_audit.crawl.politeness import Politeness
from a11y_audit.store import PageRow, Run
from cli import main

STANDIN = "campaign_standin:launch"
FAST = CampaignSettings(politeness=Politeness(delay_s=0, jitter=0, backoff_s=0.01, retries=0))


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _new_campaign(db_url, tmp_path, sites, categories, extra_lines=()):
    path = tmp_path / "sites.csv"
    write_sites_csv(path, sites, categories)
    if extra_lines:
        with path.open("a", encoding="utf-8") as fh:
            fh.writelines(line + "\n" for line in extra_lines)
    store = CampaignStore(db_url)
    campaign_id = store.create_campaign(read_sites(path), FAST, name="test")
    return store, campaign_id, {r.source_row: r.id for r in store.sites(campaign_id)}


def test_a_retried_site_continues_its_own_run_and_is_stored_once(db_url, tmp_path, standin_log, monkeypatch):
    with serve_sites([(5, 2)]) as (site,):
        store, campaign_id, ids = _new_campaign(db_url, tmp_path, [site], ["중앙"])
        site_id = ids[2]

        # First attempt: the browser dies after two pages.
        monkeypatch.setenv("CAMPAIGN_STANDIN_FAIL_AFTER", "2")
        first = audit_campaign_site(db_url, campaign_id, site_id, STANDIN)
        assert first.state == "failed" and "stand-in browser is gone" in first.error and first.run_id is None
        row = store.site(site_id)
        run_id = row.attempt_run_id
        assert run_id is not None and row.run_id is None
        assert [p.url for p in store.audit.pages(run_id)] == [site.url("/"), site.url("/p1")]

        # The retry continues that same run: only the three missing pages are audited.
        monkeypatch.delenv("CAMPAIGN_STANDIN_FAIL_AFTER")
        second = audit_campaign_site(db_url, campaign_id, site_id, STANDIN)
        assert second.state == "done" and second.run_id == run_id and second.attempts == 2
        assert second.pages == 5 and not second.already_done
        assert {p.url for p in store.audit.pages(run_id)} == site.page_urls()
        assert standin_log.audits() == {u: 1 for u in site.page_urls()}
        # 4 images on 5 pages, 2 without alt: 1.1.1 is (5 - 2) / max(5, 4) = 60 %
        assert (second.score_lower, second.score_upper) == (80.0, 80.0)  # (60 for 1.1.1 + 100 for 2.4.2) / 2

        # A third run of the task (a duplicate delivery) changes nothing and audits nothing.
        third = audit_campaign_site(db_url, campaign_id, site_id, STANDIN)
        assert third.already_done and third.state == "done" and third.attempts == 2
        assert sum(standin_log.audits().values()) == 5
        with store.audit._session() as s:
            assert s.scalar(select(func.count()).select_from(Run)) == 1
            assert s.scalar(select(func.count()).select_from(PageRow)) == 5
            history = s.get(CampaignSiteRow, site_id).history
        assert len(history) == 2
        store.close()


def test_two_claims_of_one_site_share_one_run(db_url, tmp_path):
    with serve_sites([(2, 0)]) as sites:
        store, _, ids = _new_campaign(db_url, tmp_path, sites, ["x"])
        a = store.claim_site(ids[2], "worker-a")
        b = store.claim_site(ids[2], "worker-b")
        assert a.run_id == b.run_id
        assert store.site(ids[2]).attempts == 2
        assert store.record_done(ids[2], a.run_id, {"pages": 2})
        assert not store.record_done(ids[2], b.run_id, {"pages": 99})  # the second result is not stored
        assert store.site(ids[2]).pages == 2
        assert store.claim_site(ids[2], "worker-c") is None  # done: nothing to claim
        store.close()


def test_ranking_by_score_and_category_and_the_exports(db_url, tmp_path, capsys):
    dead = f"http://127.0.0.1:{_closed_port()}/"
    with serve_sites([(3, 0), (5, 2), (4, 1), (5, 2)]) as sites:
        store, campaign_id, ids = _new_campaign(
            db_url, tmp_path, sites, ["광역", "광역", "기초", "기초"], extra_lines=[f"기관 닫힘,{dead},기초"]
        )
        for site_id in ids.values():
            assert audit_campaign_site(db_url, campaign_id, site_id, STANDIN).state == "done"
        store.close()
    summary = campaign_summary(db_url, campaign_id)
    r = summary.ranking
    # Two scored items: 1.1.1 and 2.4.2 (unique page titles, 100 on every site, applied when a run finishes).
    # 100 (3 pages, 2 good images); (75 + 100)/2 with 75 = (4-1)/4; (60 + 100)/2 with 60 = (5-2)/5 twice,
    # sharing rank 3; the closed site last
    assert list(r["institution"]) == ["기관 0", "기관 2", "기관 1", "기관 3", "기관 닫힘"]
    assert list(r["rank"].astype(object).where(r["rank"].notna(), None)) == [1, 2, 3, 3, None]
    assert list(r["rank_in_category"].astype(object).where(r["rank_in_category"].notna(), None)) == [
        1,
        1,
        2,
        2,
        None,
    ]
    assert list(r["score_lower"].iloc[:4]) == [100.0, 87.5, 80.0, 80.0]
    assert "no successfully audited page" in r["note"].iloc[4]
    assert summary.pages == 3 + 5 + 4 + 5 + 1
    cats = summary.by_category.set_index("category")
    assert list(summary.by_category["category"]) == ["광역", "기초"]  # mean 90 before 83.75
    assert cats.loc["광역", "mean_lower"] == 90.0 and cats.loc["기초", "mean_lower"] == 83.75
    assert (
        cats.loc["기초", "sites"] == 3
        and cats.loc["기초", "scored"] == 2
        and cats.loc["기초", "not_scored"] == 1
    )

    only = campaign_summary(db_url, campaign_id, category="기초")
    assert list(only.ranking["institution"]) == ["기관 2", "기관 3", "기관 닫힘"]
    assert list(only.ranking["rank"].iloc[:2]) == [1, 2]

    written = export_summary(summary, tmp_path / "ranking.csv")
    assert [p.name for p in written] == ["ranking.csv", "ranking-by-category.csv"]
    assert written[0].read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the Hangul
    back = pd.read_csv(written[0], encoding="utf-8-sig")
    assert list(back["institution"]) == list(r["institution"]) and list(back["rank"].iloc[:4]) == [1, 2, 3, 3]

    assert main(["audit", "campaign-summary", str(campaign_id), "--out", str(tmp_path / "r.xlsx"), "--json",
                 "--db", db_url]) == 0  # fmt: skip
    data = json.loads(capsys.readouterr().out)["data"]
    assert [x["rank"] for x in data["ranking"]] == [1, 2, 3, 3, None]
    assert data["campaign"]["states"]["done"] == 5 and data["written"] == [str(tmp_path / "r.xlsx")]
    sheets = pd.read_excel(tmp_path / "r.xlsx", sheet_name=None)
    assert list(sheets) == ["ranking", "by category", "about"]
    assert list(sheets["ranking"]["institution"]) == list(r["institution"])
    assert list(sheets["by category"]["mean_lower"]) == [90.0, 83.75]

    assert main(["audit", "campaign-summary", str(campaign_id), "--category", "없음", "--db", db_url]) == 2
    assert (
        main(
            ["audit", "campaign-summary", str(campaign_id), "--out", str(tmp_path / "r.pdf"), "--db", db_url]
        )
        == 2
    )
    assert main(["audit", "campaign-summary", str(campaign_id), "--db", db_url]) == 0
    shown = capsys.readouterr().out
    assert "기관 0" in shown and "80.0" in shown


@pytest.mark.parametrize("kind", ["relative", "memory"])
def test_the_database_url_given_to_workers(kind, tmp_path, monkeypatch):
    from a11y_audit.campaign import shared_database_url
    from a11y_audit.errors import AuditUsageError

    monkeypatch.chdir(tmp_path)
    if kind == "relative":
        assert shared_database_url("sqlite:///c.db") == f"sqlite:///{tmp_path / 'c.db'}"
    else:
        with pytest.raises(AuditUsageError, match="not an in-memory one"):
            shared_database_url("sqlite://")
