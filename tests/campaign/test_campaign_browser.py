"""A whole campaign through the command line with the real Chromium: a local Dask cluster of two worker
processes, each with its own browser, three small sites served on 127.0.0.1."""

from __future__ import annotations

import json

import pytest
from local_sites import serve_sites, write_sites_csv

from a11y_audit.campaign import CampaignStore
from a11y_audit.scoring.runs import score_run
from cli import main

pytestmark = pytest.mark.browser


def test_campaign_on_a_local_cluster_with_chromium_then_summary(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "campaign.db"
    with serve_sites([(3, 0), (3, 2), (3, 1)]) as sites:
        write_sites_csv(tmp_path / "sites.csv", sites, ["중앙", "지자체", "지자체"])
        code = main(
            ["audit", "campaign", "sites.csv", "--name", "시험", "--delay", "0", "--max-pages", "3"]
            + ["--workers", "2", "--json", "--db", str(db)]
        )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    result = json.loads(captured.out)["data"]
    assert result["status"] == "finished" and result["states"]["done"] == 3 and result["workers"] == 2
    assert not (tmp_path / "dask-scratch-space").exists()  # dask's scratch space is not in the working folder

    store = CampaignStore(f"sqlite:///{db}")
    rows = store.sites(1)
    for row, site in zip(rows, sites, strict=True):
        assert row.state == "done" and row.pages == 3 and row.page_errors == 0
        assert {p.url for p in store.audit.pages(row.run_id)} == site.page_urls()
        score = score_run(store.audit, row.run_id)
        # The stored score is the run's certification estimate ...
        assert row.score_lower == round(score.estimate.mean_lower, 4)
        assert row.score_upper == round(score.estimate.mean_upper, 4)
        # ... and 1.1.1 counts the two images of the two subpages: (3 pages - bad) / max(3, 2)
        item = score.estimate.item("1.1.1")
        assert item.lower == pytest.approx(100 * (3 - site.bad_pages) / 3)
    store.close()

    assert main(["audit", "campaign-summary", "1", "--json", "--db", str(db), "--out", "ranking.xlsx"]) == 0
    summary = json.loads(capsys.readouterr().out)["data"]
    ranking = summary["ranking"]
    # Same pages but for the missing alt texts: fewer bad images, better rank.
    assert [r["institution"] for r in ranking] == ["기관 0", "기관 2", "기관 1"]
    assert [r["rank"] for r in ranking] == [1, 2, 3]
    assert [r["rank_in_category"] for r in ranking] == [1, 1, 2]
    assert (tmp_path / "ranking.xlsx").exists()
