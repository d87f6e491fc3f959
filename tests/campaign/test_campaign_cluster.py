"""Fault tolerance on a real Dask cluster: a scheduler and two workers started as separate processes on
127.0.0.1; one worker killed (SIGKILL) mid-campaign; the client killed mid-campaign and the campaign
resumed. Every site must end up stored exactly once.

The browser is the plain-HTTP stand-in (campaign_standin.py), so these tests are about the cluster and
the database; test_campaign_browser.py runs a campaign with the real Chromium.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from local_sites import serve_sites, write_sites_csv
from sqlalchemy import func, select

from a11y_audit.campaign import CampaignSettings, CampaignSiteRow, CampaignStore, run_campaign
from a11y_audit.crawl.politeness import Politeness
from a11y_audit.store import PageRow, Run

HERE = Path(__file__).resolve().parent
DASK = Path(sys.executable).with_name("dask")
STANDIN = "campaign_standin:launch"
SETTINGS = CampaignSettings(politeness=Politeness(delay_s=0, jitter=0, backoff_s=0.01, retries=0))
SHAPES = [(5, i % 3) for i in range(6)]  # six sites of five pages
PAGE_DELAY_S = 0.25


def _env(tmp: Path, log: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(HERE), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["TMPDIR"] = str(tmp)  # dask's scratch space
    env["CAMPAIGN_STANDIN_LOG"] = str(log)
    return env


def _wait(condition, timeout: float, what: str, every: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(every)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


class Cluster:
    def __init__(self, tmp: Path, log: Path) -> None:
        self.tmp, self.log = tmp, log
        self.env = _env(tmp, log)
        self.procs: list[subprocess.Popen] = []
        self.workers: dict[str, subprocess.Popen] = {}
        info = tmp / "scheduler.json"
        self.scheduler = self._start(
            [str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard"]
            + ["--scheduler-file", str(info)],
            "scheduler",
        )
        self.address = _wait(
            lambda: info.exists() and json.loads(info.read_text() or "{}").get("address"), 60, "the scheduler"
        )

    def _start(self, argv: list[str], name: str) -> subprocess.Popen:
        logfile = (self.tmp / f"{name}.log").open("wb")
        proc = subprocess.Popen(argv, cwd=self.tmp, env=self.env, stdout=logfile, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def start_worker(self, name: str) -> subprocess.Popen:
        # --no-nanny: the process started here *is* the worker, so SIGKILL kills the worker itself.
        proc = self._start(
            [str(DASK), "worker", self.address, "--name", name, "--nthreads", "1", "--no-nanny"]
            + ["--no-dashboard", "--local-directory", str(self.tmp), "--death-timeout", "60"]
            + ["--preload", "a11y_audit.campaign"],  # imported before the worker joins, not mid-campaign
            name,
        )
        self.workers[name] = proc
        return proc

    def wait_for_workers(self, n: int) -> None:
        from distributed import Client

        with Client(self.address, timeout="30s") as client:
            client.wait_for_workers(n, timeout=90)

    def close(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)


@pytest.fixture(scope="module")
def running_cluster(tmp_path_factory) -> Iterator[Cluster]:
    tmp = tmp_path_factory.mktemp("cluster")
    c = Cluster(tmp, tmp / "standin.log")
    try:
        c.start_worker("w1")
        c.start_worker("w2")
        c.wait_for_workers(2)
        yield c
    finally:
        c.close()


@pytest.fixture
def cluster(running_cluster) -> Cluster:
    """The module's cluster with both workers alive (a test may have killed one); the log starts empty."""
    c = running_cluster
    for name, proc in list(c.workers.items()):
        if proc.poll() is not None:
            c.start_worker(name)
    c.wait_for_workers(2)
    c.log.write_text("", encoding="utf-8")
    return c


def _audits(log: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for line in log.read_text(encoding="utf-8").splitlines() if log.exists() else []:
        event, _pid, *rest = line.split(" ", 2)
        if event == "audit":
            counts[rest[0]] = counts.get(rest[0], 0) + 1
    return counts


def _launches(log: Path) -> list[str]:
    return [
        line.split(" ")[1]
        for line in log.read_text(encoding="utf-8").splitlines()
        if line.startswith("launch")
    ]


def _assert_stored_exactly_once(store: CampaignStore, campaign_id: int, sites) -> list[CampaignSiteRow]:
    rows = store.sites(campaign_id)
    assert [r.state for r in rows] == ["done"] * len(sites)
    run_ids = [r.run_id for r in rows]
    assert None not in run_ids and len(set(run_ids)) == len(sites)
    with store.audit._session() as s:
        assert s.scalar(select(func.count()).select_from(Run)) == len(sites)  # no stray or duplicate run
        for row, site in zip(rows, sites, strict=True):
            urls = s.scalars(select(PageRow.url).where(PageRow.run_id == row.run_id)).all()
            assert sorted(urls) == sorted(site.page_urls()), row.institution
            assert row.pages == site.pages
    return rows


def test_a_worker_killed_mid_campaign_has_its_site_finished_elsewhere_exactly_once(cluster, db_url, tmp_path):
    with serve_sites(SHAPES, delay_s=PAGE_DELAY_S) as sites:
        write_sites_csv(tmp_path / "sites.csv", sites, ["중앙", "지자체"] * 3)
        outcome: dict = {}

        def client() -> None:
            try:
                outcome["result"] = run_campaign(
                    db_url,
                    sites=tmp_path / "sites.csv",
                    settings=SETTINGS,
                    scheduler=cluster.address,
                    launcher=STANDIN,
                )
            except BaseException as exc:  # noqa: BLE001 - reported by the test below
                outcome["error"] = exc

        store = CampaignStore(db_url)  # creates the tables before the client and the workers open them
        thread = threading.Thread(target=client, daemon=True)
        thread.start()

        def w1_mid_site():
            for row in store.sites(1) if store.list_campaigns() else []:
                if row.state == "running" and (row.worker or "").startswith("w1 ") and row.attempt_run_id:
                    pages = [p.url for p in store.audit.pages(row.attempt_run_id)]
                    if 1 <= len(pages) < row_pages(row):
                        return row, pages
            return None

        def row_pages(row) -> int:
            return next(s.pages for s in sites if s.url("/") == row.url)

        victim, stored_before = _wait(w1_mid_site, 180, "worker w1 to be part-way through a site", every=0.02)
        cluster.workers["w1"].send_signal(signal.SIGKILL)
        cluster.workers["w1"].wait(10)
        thread.join(240)
        assert not thread.is_alive(), "the campaign did not finish after the worker was killed"
        assert "error" not in outcome, outcome.get("error")
        result = outcome["result"]
        assert result.status == "finished" and result.states["done"] == len(sites)

        rows = _assert_stored_exactly_once(store, result.campaign_id, sites)
        moved = next(r for r in rows if r.id == victim.id)
        assert moved.attempts == 2 and moved.run_id == victim.attempt_run_id  # the same run, continued
        assert [h["worker"].split(" ")[0] for h in moved.history] == ["w1", "w2"]
        audits = _audits(cluster.log)
        assert all(audits[url] == 1 for url in stored_before)  # stored pages were not audited again
        assert sum(audits.values()) <= sum(s.pages for s in sites) + 1  # at most the page in flight, twice
        assert len(_launches(cluster.log)) == 2  # one browser per worker, not one per site
        store.close()


CLIENT = """
import sys
from a11y_audit.campaign import CampaignSettings, run_campaign
from a11y_audit.crawl.politeness import Politeness
db_url, sites, scheduler = sys.argv[1:4]
settings = CampaignSettings(politeness=Politeness(delay_s=0, jitter=0, backoff_s=0.01, retries=0))
run_campaign(db_url, sites=sites, settings=settings, scheduler=scheduler, launcher="campaign_standin:launch")
"""


def test_a_campaign_resumes_after_its_client_dies(cluster, db_url, tmp_path):
    with serve_sites(SHAPES, delay_s=PAGE_DELAY_S) as sites:
        write_sites_csv(tmp_path / "sites.csv", sites, ["중앙", "지자체"] * 3)
        store = CampaignStore(db_url)  # creates the tables before the client and the workers open them
        client = subprocess.Popen(
            [sys.executable, "-c", CLIENT, db_url, str(tmp_path / "sites.csv"), cluster.address],
            env=cluster.env,
            cwd=tmp_path,
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / "client.log").open("wb"),
        )
        try:
            _wait(lambda: store.list_campaigns() and store.states(1)["done"] >= 2, 180, "two sites stored")
        finally:
            client.send_signal(signal.SIGKILL)
            client.wait(10)
        before = store.info(1)
        assert before.status == "running" and before.states["done"] < len(sites)  # the client died mid-way
        done_before = {r.url for r in store.sites(1) if r.state == "done"}

        result = run_campaign(db_url, resume=1, scheduler=cluster.address, launcher=STANDIN)
        assert result.status == "finished" and result.states["done"] == len(sites)
        assert 1 <= result.sites_this_session <= len(sites) - before.states["done"]
        _assert_stored_exactly_once(store, 1, sites)
        audits = _audits(cluster.log)
        for site in sites:
            if site.url("/") in done_before:
                assert all(audits[u] == 1 for u in site.page_urls())  # finished sites were not redone
        assert store.info(1).status == "finished"
        store.close()
