"""National campaigns: audit hundreds of sites on a Dask cluster, results in the shared database.

A campaign is a list of sites (``sites.csv``: institution, URL, category) audited with one
:func:`a11y_audit.site.audit_site` per Dask task. The campaign and the state of every site live in
the audit database (tables ``audit_campaigns`` and ``audit_campaign_sites``), so any client on any
machine can follow, resume or summarise it.

Exactly once, whatever dies:

* A task first *claims* its site in one transaction: the site becomes ``running`` and, on the first
  attempt, gets a new audit run (``attempt_run_id``) created in that same transaction, so no run is
  ever left unlinked. A later attempt (the worker died, the client died, the campaign was resumed)
  continues that same run with ``audit_site(resume=...)``: pages already stored are not audited or
  stored again (the audit store writes each page once per run).
* The site is marked ``done`` together with its run id and score in one conditional transaction
  (``... WHERE state <> 'done'``): a site's run is recorded only when complete, and only once.
* A worker killed mid-site: the scheduler re-runs its tasks on the other workers; a client killed
  mid-campaign: ``resume=ID`` (``ddkit audit campaign --resume ID``) submits only the unfinished sites.

Each Dask worker keeps one browser for the whole campaign (:class:`BrowserPlugin`, a
``distributed.WorkerPlugin``): it is launched in ``setup`` on a private event-loop thread and lent to
one site audit after another, relaunched if it breaks, and closed in ``teardown``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import csv
import datetime as dt
import hashlib
import importlib
import io
import math
import os
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import pandas as pd
from distributed.diagnostics.plugin import WorkerPlugin
from sqlalchemy import (
    JSON,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy import update as sql_update
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Mapped, mapped_column

from a11y_audit.crawl.frontier import CrawlLimits, canonical_url, url_hash, url_key
from a11y_audit.crawl.politeness import Politeness
from a11y_audit.errors import AuditError, AuditUsageError
from a11y_audit.site import SiteAuditConfig, audit_site, ddkit_version
from a11y_audit.store import AuditStore, Base, Run, _pid_alive

#: Site states: waiting for a worker / claimed by a task / stored with its score / gave up (retried on resume).
SITE_STATES = ("pending", "running", "done", "failed")
CAMPAIGN_STATES = ("running", "finished", "incomplete", "interrupted")
#: Pages per site unless told otherwise: NIA-style assessments look at about ten pages of each site.
DEFAULT_MAX_PAGES = 10
DEFAULT_LAUNCHER = "a11y_audit.campaign:launch_engine_browser"
#: How long a task waits for another live attempt of the same site on the same machine to finish.
WAIT_FOR_OTHER_ATTEMPT_S = 3600.0

#: Accepted header spellings of the three columns of sites.csv (compared case-insensitively).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "institution": ("institution", "기관", "기관명", "name"),
    "url": ("url", "주소", "홈페이지", "website"),
    "category": ("category", "분류", "기관유형", "유형"),
}
_MAX_ERRORS_SHOWN = 20


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# -- sites.csv -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CampaignSite:
    row: int  # line of sites.csv (the header is line 1)
    institution: str
    url: str  # canonical URL
    category: str


@dataclass(frozen=True)
class SitesFile:
    path: str
    sha256: str
    encoding: str
    sites: tuple[CampaignSite, ...]
    ignored_columns: tuple[str, ...] = ()


def read_sites(path: str | os.PathLike[str]) -> SitesFile:
    """Read and validate ``sites.csv``; every problem is reported with its line and column, all at once.

    Columns (header required, any order, extra columns ignored and listed): ``institution``, ``url``,
    ``category`` (Korean headers 기관명 / 주소 / 분류 also work). UTF-8 (with or without BOM) or CP949.
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
    except OSError as exc:
        raise AuditUsageError(
            f"Cannot read {p}: {exc.strerror or exc}.",
            hint="Give the path of a CSV file with the columns institution, url, category.",
        ) from None
    text, encoding = _decode(raw, p)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise AuditError(
            f"{p} is empty.", hint="Write a header line 'institution,url,category' and one line per site."
        ) from None
    except csv.Error as exc:
        raise AuditError(f"{p}, line 1: not readable as CSV ({exc}).") from None
    columns: dict[str, int] = {}
    ignored: list[str] = []
    for i, name in enumerate(header):
        key = name.strip().lower()
        field_name = next((f for f, names in COLUMN_ALIASES.items() if key in names), None)
        if field_name is None or field_name in columns:
            if name.strip():
                ignored.append(name.strip())
            continue
        columns[field_name] = i
    missing = [f for f in COLUMN_ALIASES if f not in columns]
    if missing:
        raise AuditError(
            f"{p}, line 1: missing column(s) {', '.join(missing)} (header read: {', '.join(header) or 'empty'}).",
            hint="The header must name the columns institution, url and category (or 기관명, 주소, 분류).",
        )
    errors: list[str] = []
    sites: list[CampaignSite] = []
    seen: dict[str, int] = {}
    try:
        for cells in reader:
            line = reader.line_num
            if not any(c.strip() for c in cells):
                continue  # a blank line is not a site
            values = {f: (cells[i].strip() if i < len(cells) else "") for f, i in columns.items()}
            row_errors = [f"line {line}, column {f}: empty" for f in COLUMN_ALIASES if not values[f]]
            url = values["url"]
            canon = None
            if url:
                canon = canonical_url(url)
                if canon is None:
                    hint = (
                        f" (write https://{url}/)"
                        if "://" not in url and "." in url and " " not in url
                        else " (an absolute http(s) URL is needed)"
                    )
                    row_errors.append(f"line {line}, column url: {url!r} is not an http(s) URL{hint}")
            if canon is not None:
                key = url_key(canon)
                if key in seen:
                    row_errors.append(
                        f"line {line}, column url: {url!r} is the same site as line {seen[key]}"
                    )
                else:
                    seen[key] = line
            if row_errors:
                errors.extend(row_errors)
                continue
            sites.append(CampaignSite(line, values["institution"], canon or url, values["category"]))
    except csv.Error as exc:
        errors.append(f"line {reader.line_num}: not readable as CSV ({exc})")
    if errors:
        shown = errors[:_MAX_ERRORS_SHOWN]
        more = f"\n  … and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        raise AuditError(
            f"{p}: {len(errors)} problem(s); nothing was stored:\n  " + "\n  ".join(shown) + more,
            hint="Fix these lines (each needs an institution, an absolute http(s) URL and a category; "
            "each site once) and run the command again.",
        )
    if not sites:
        raise AuditError(
            f"{p} has a header but no site.", hint="Add one line per site: institution,url,category"
        )
    return SitesFile(
        path=str(p.resolve()),
        sha256=hashlib.sha256(raw).hexdigest(),
        encoding=encoding,
        sites=tuple(sites),
        ignored_columns=tuple(ignored),
    )


def _decode(raw: bytes, path: Path) -> tuple[str, str]:
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp949"), "cp949"
    except UnicodeDecodeError as exc:
        raise AuditError(
            f"{path}: byte {exc.start} is neither UTF-8 nor CP949 text.",
            hint="Save the file as 'CSV UTF-8' (Excel: Save As → CSV UTF-8).",
        ) from None


# -- settings ------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class CampaignSettings:
    """The site-audit settings every site of a campaign is audited with (stored with the campaign)."""

    limits: CrawlLimits = field(default_factory=lambda: CrawlLimits(max_pages=DEFAULT_MAX_PAGES))
    politeness: Politeness = field(default_factory=Politeness)
    concurrency: int = 1  # browser pages per site; the cluster's workers give the parallelism
    ignore_robots: bool = False
    tags: tuple[str, ...] | None = None
    axe_js: str | None = None
    timeout_ms: int = 30_000
    device: str = "desktop"
    user_agent: str | None = None

    def __post_init__(self) -> None:
        if self.concurrency < 1:
            raise AuditUsageError("--concurrency must be at least 1.")
        if self.device not in ("desktop", "mobile"):
            # A worker lends one browser per device to its sites; --device both needs two views of it.
            raise AuditUsageError(
                f"A campaign audits on one device: desktop or mobile, not {self.device!r}.",
                hint="Run the campaign once per device, or use 'ddkit audit site --device both' per site.",
            )

    def site_config(self, url: str) -> SiteAuditConfig:
        return SiteAuditConfig(seeds=(url,), **{f.name: getattr(self, f.name) for f in fields(self)})

    def engine_options(self) -> Any:
        from a11y_audit.engine import AuditOptions

        kwargs: dict[str, Any] = {"timeout_ms": self.timeout_ms, "device": self.device, "axe_js": self.axe_js}
        if self.tags:
            kwargs["tags"] = tuple(self.tags)
        if self.user_agent:
            kwargs["user_agent"] = self.user_agent
        return AuditOptions(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CampaignSettings:
        data = dict(data)
        limits = data.pop("limits", {}) or {}
        polite = data.pop("politeness", {}) or {}
        known = {f.name for f in fields(cls)}
        kwargs = {k: tuple(v) if isinstance(v, list) else v for k, v in data.items() if k in known}
        return cls(
            limits=CrawlLimits(**{k: tuple(v) if isinstance(v, list) else v for k, v in limits.items()}),
            politeness=Politeness(**polite),
            **kwargs,
        )


# -- tables --------------------------------------------------------------------------------------------------
class Campaign(Base):
    __tablename__ = "audit_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str | None] = mapped_column(Text, nullable=True)
    status: Mapped[str] = mapped_column(String(16), default="running")
    source_file: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    sites_total: Mapped[int] = mapped_column(Integer)
    settings: Mapped[dict] = mapped_column(JSON)
    ddkit_version: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    scheduler: Mapped[str | None] = mapped_column(String(255), nullable=True)  # last used
    host: Mapped[str | None] = mapped_column(String(255), nullable=True)  # the client that last ran it
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)


class CampaignSiteRow(Base):
    __tablename__ = "audit_campaign_sites"
    __table_args__ = (
        UniqueConstraint("campaign_id", "url_hash", name="uq_audit_campaign_sites_url"),
        Index("ix_audit_campaign_sites_state", "campaign_id", "state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("audit_campaigns.id", ondelete="CASCADE"))
    source_row: Mapped[int] = mapped_column(Integer)
    institution: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(Text)
    url_hash: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(12), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    history: Mapped[list] = mapped_column(JSON, default=list)  # one entry per attempt: worker, start
    attempt_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_runs.id", ondelete="SET NULL"), nullable=True
    )
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("audit_runs.id", ondelete="SET NULL"), nullable=True
    )
    worker: Mapped[str | None] = mapped_column(String(255), nullable=True)
    started_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    pages: Mapped[int | None] = mapped_column(Integer, nullable=True)
    page_errors: Mapped[int | None] = mapped_column(Integer, nullable=True)
    violations: Mapped[int | None] = mapped_column(Integer, nullable=True)
    axe_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    score_lower: Mapped[float | None] = mapped_column(Float, nullable=True)
    score_upper: Mapped[float | None] = mapped_column(Float, nullable=True)
    min_item_lower: Mapped[float | None] = mapped_column(Float, nullable=True)
    verdict_mean: Mapped[str | None] = mapped_column(String(12), nullable=True)
    verdict_every_item: Mapped[str | None] = mapped_column(String(12), nullable=True)
    items_below: Mapped[int | None] = mapped_column(Integer, nullable=True)
    score_note: Mapped[str | None] = mapped_column(Text, nullable=True)
    audit_s: Mapped[float | None] = mapped_column(Float, nullable=True)  # audit_site, last attempt
    task_s: Mapped[float | None] = mapped_column(Float, nullable=True)  # the whole task, last attempt


# -- plain results -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class SiteOutcome:
    """What one task reports back to the client."""

    site_id: int
    institution: str
    url: str
    state: str
    run_id: int | None
    pages: int | None
    score_lower: float | None
    score_upper: float | None
    attempts: int
    error: str | None = None
    already_done: bool = False  # another attempt had stored it: this task did nothing


@dataclass(frozen=True)
class _Claim:
    site_id: int
    url: str
    run_id: int


@dataclass(frozen=True)
class CampaignProgress:
    campaign_id: int
    total: int
    done: int
    failed: int
    elapsed_s: float
    sites_per_minute: float  # in this session
    last: SiteOutcome | None = None

    @property
    def remaining(self) -> int:
        return self.total - self.done - self.failed


@dataclass
class CampaignInfo:
    id: int
    name: str | None
    status: str
    created_at: dt.datetime
    finished_at: dt.datetime | None
    source_file: str | None
    source_sha256: str | None
    ddkit_version: str
    scheduler: str | None
    sites_total: int
    states: dict[str, int]
    settings: dict[str, Any] = field(default_factory=dict)


@dataclass
class CampaignResult:
    campaign_id: int
    status: str
    states: dict[str, int]
    sites_this_session: int
    elapsed_s: float
    cluster_start_s: float
    scheduler: str
    workers: int
    notes: list[str] = field(default_factory=list)


# -- the store -----------------------------------------------------------------------------------------------
class CampaignStore:
    """Campaign and per-site task state, in the audit database (migrated on open by :class:`AuditStore`)."""

    def __init__(self, url: str) -> None:
        self.audit = AuditStore(url)
        self.url = url
        self.engine = self.audit.engine
        self._session = self.audit._session

    def close(self) -> None:
        self.audit.close()

    # campaigns
    def create_campaign(self, sites: SitesFile, settings: CampaignSettings, name: str | None = None) -> int:
        with self._session.begin() as s:
            campaign = Campaign(
                name=name,
                status="running",
                source_file=sites.path,
                source_sha256=sites.sha256,
                sites_total=len(sites.sites),
                settings=settings.to_dict(),
                ddkit_version=ddkit_version(),
                host=socket.gethostname(),
                pid=os.getpid(),
            )
            s.add(campaign)
            s.flush()
            s.add_all(
                CampaignSiteRow(
                    campaign_id=campaign.id,
                    source_row=site.row,
                    institution=site.institution,
                    category=site.category,
                    url=site.url,
                    url_hash=url_hash(url_key(site.url)),
                    state="pending",
                    attempts=0,
                    history=[],
                )
                for site in sites.sites
            )
            return campaign.id

    def campaign(self, campaign_id: int) -> Campaign:
        with self._session() as s:
            campaign = s.get(Campaign, campaign_id)
            if campaign is None:
                raise AuditUsageError(
                    f"There is no campaign {campaign_id} in this database.",
                    hint="'ddkit audit campaigns' lists the campaigns of this database (--db / DDKIT_DB).",
                )
            s.expunge(campaign)
            return campaign

    def claim_campaign(self, campaign_id: int, scheduler: str | None) -> Campaign:
        """Take over a campaign for ``resume``; refuses while a live client on this machine runs it."""
        campaign = self.campaign(campaign_id)
        if (
            campaign.status == "running"
            and campaign.pid
            and campaign.pid != os.getpid()
            and campaign.host == socket.gethostname()
            and _pid_alive(campaign.pid)
        ):
            raise AuditUsageError(
                f"Campaign {campaign_id} is still being run by process {campaign.pid}.",
                hint="Wait for it, or stop it (Ctrl-C) before resuming.",
            )
        with self._session.begin() as s:
            s.execute(
                sql_update(Campaign)
                .where(Campaign.id == campaign_id)
                .values(
                    status="running",
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    scheduler=scheduler,
                    updated_at=_now(),
                    finished_at=None,
                )
            )
        return self.campaign(campaign_id)

    def set_status(self, campaign_id: int, status: str) -> None:
        assert status in CAMPAIGN_STATES
        values: dict[str, Any] = {"status": status, "updated_at": _now()}
        if status != "running":
            values["finished_at"] = _now()
        with self._session.begin() as s:
            s.execute(sql_update(Campaign).where(Campaign.id == campaign_id).values(**values))

    def states(self, campaign_id: int) -> dict[str, int]:
        from sqlalchemy import func

        with self._session() as s:
            rows = s.execute(
                select(CampaignSiteRow.state, func.count())
                .where(CampaignSiteRow.campaign_id == campaign_id)
                .group_by(CampaignSiteRow.state)
            ).all()
        counts = dict.fromkeys(SITE_STATES, 0)
        counts.update({state: n for state, n in rows})
        return counts

    def info(self, campaign_id: int) -> CampaignInfo:
        c = self.campaign(campaign_id)
        return CampaignInfo(
            id=c.id,
            name=c.name,
            status=c.status,
            created_at=c.created_at,
            finished_at=c.finished_at,
            source_file=c.source_file,
            source_sha256=c.source_sha256,
            ddkit_version=c.ddkit_version,
            scheduler=c.scheduler,
            sites_total=c.sites_total,
            states=self.states(campaign_id),
            settings=dict(c.settings or {}),
        )

    def list_campaigns(self) -> list[CampaignInfo]:
        with self._session() as s:
            ids = s.scalars(select(Campaign.id).order_by(Campaign.id)).all()
        return [self.info(i) for i in ids]

    def unfinished(self, campaign_id: int) -> list[int]:
        """Sites not stored yet (pending, running when a client or worker died, or failed), in file order."""
        with self._session() as s:
            return list(
                s.scalars(
                    select(CampaignSiteRow.id)
                    .where(CampaignSiteRow.campaign_id == campaign_id, CampaignSiteRow.state != "done")
                    .order_by(CampaignSiteRow.source_row)
                ).all()
            )

    def sites(self, campaign_id: int) -> list[CampaignSiteRow]:
        with self._session() as s:
            rows = s.scalars(
                select(CampaignSiteRow)
                .where(CampaignSiteRow.campaign_id == campaign_id)
                .order_by(CampaignSiteRow.source_row)
            ).all()
            for r in rows:
                s.expunge(r)
            return list(rows)

    def site(self, site_id: int) -> CampaignSiteRow:
        with self._session() as s:
            row = s.get(CampaignSiteRow, site_id)
            if row is None:
                raise AuditError(f"There is no campaign site {site_id} in this database.")
            s.expunge(row)
            return row

    def outcome(self, site_id: int, *, already_done: bool = False) -> SiteOutcome:
        r = self.site(site_id)
        return SiteOutcome(
            site_id=r.id,
            institution=r.institution,
            url=r.url,
            state=r.state,
            run_id=r.run_id,
            pages=r.pages,
            score_lower=r.score_lower,
            score_upper=r.score_upper,
            attempts=r.attempts,
            error=r.error,
            already_done=already_done,
        )

    # per-site task state
    def claim_site(self, site_id: int, worker: str) -> _Claim | None:
        """Mark the site running for this attempt and make sure it has its audit run; None if done.

        The conditional UPDATE comes first so that concurrent claims of one site are serialised
        (SQLite's write lock, PostgreSQL's row lock) before the run is created."""
        with self._session.begin() as s:
            claimed = s.execute(
                sql_update(CampaignSiteRow)
                .where(CampaignSiteRow.id == site_id, CampaignSiteRow.state != "done")
                .values(
                    state="running",
                    attempts=CampaignSiteRow.attempts + 1,
                    worker=worker[:255],
                    started_at=_now(),
                    error=None,
                )
            ).rowcount
            if not claimed:
                return None
            row = s.get(CampaignSiteRow, site_id)
            assert row is not None
            if row.attempt_run_id is None:
                campaign = s.get(Campaign, row.campaign_id)
                assert campaign is not None
                config = CampaignSettings.from_dict(campaign.settings).site_config(row.url)
                run = Run(
                    seeds=[row.url],
                    config=config.to_dict(),
                    ddkit_version=ddkit_version(),
                    host=socket.gethostname(),
                    pid=os.getpid(),
                )
                s.add(run)
                s.flush()
                row.attempt_run_id = run.id
            row.history = [
                *(row.history or []),
                {
                    "worker": worker,
                    "host": socket.gethostname(),
                    "pid": os.getpid(),
                    "at": _now().isoformat(),
                },
            ]
            return _Claim(site_id, row.url, row.attempt_run_id)

    def record_done(self, site_id: int, run_id: int, values: dict[str, Any]) -> bool:
        """Store the site's result; False (and nothing written) if another attempt stored it first."""
        with self._session.begin() as s:
            changed = s.execute(
                sql_update(CampaignSiteRow)
                .where(CampaignSiteRow.id == site_id, CampaignSiteRow.state != "done")
                .values(state="done", run_id=run_id, finished_at=_now(), error=None, **values)
            ).rowcount
            if changed:
                campaign_id = s.scalar(
                    select(CampaignSiteRow.campaign_id).where(CampaignSiteRow.id == site_id)
                )
                s.execute(sql_update(Campaign).where(Campaign.id == campaign_id).values(updated_at=_now()))
            return bool(changed)

    def record_failed(self, site_id: int, error: str, task_s: float | None = None) -> bool:
        with self._session.begin() as s:
            return bool(
                s.execute(
                    sql_update(CampaignSiteRow)
                    .where(CampaignSiteRow.id == site_id, CampaignSiteRow.state != "done")
                    .values(state="failed", error=error, finished_at=_now(), task_s=task_s)
                ).rowcount
            )


# -- one site: the Dask task ---------------------------------------------------------------------------------
_STORES: dict[str, CampaignStore] = {}
_STORES_LOCK = threading.Lock()


def _store_for(db_url: str) -> CampaignStore:
    """One store per database per process: a worker opens (and checks the migrations of) it once."""
    with _STORES_LOCK:
        store = _STORES.get(db_url)
        if store is None:
            store = _STORES[db_url] = CampaignStore(db_url)
        return store


def audit_campaign_site(
    db_url: str, campaign_id: int, site_id: int, launcher: str = DEFAULT_LAUNCHER
) -> SiteOutcome:
    """Audit one site of a campaign and store its result exactly once (the body of one Dask task).

    Safe to run again for the same site at any time: a done site is returned untouched; an unfinished
    one continues its own audit run."""
    started = time.monotonic()
    worker, plugin = _current_worker(db_url, campaign_id)
    store = _store_for(db_url)
    claim = store.claim_site(site_id, worker)
    if claim is None:
        return store.outcome(site_id, already_done=True)
    try:
        if not _wait_for_other_attempt(store, claim):
            return store.outcome(site_id, already_done=True)
        settings = CampaignSettings.from_dict(store.campaign(campaign_id).settings)
        factory = plugin.lend() if plugin is not None else _own_browser_factory(launcher, settings)
        t0 = time.monotonic()
        result = audit_site(None, db_url, resume=claim.run_id, browser_factory=factory)
        audit_s = time.monotonic() - t0
        if result.status != "finished":
            raise AuditError(f"the site audit ended {result.status}")
        values = _score_values(store.audit, claim.run_id)
        values.update(
            pages=result.summary.pages,
            page_errors=result.summary.errors,
            violations=result.summary.violations,
            axe_version=result.summary.axe_version,
            audit_s=round(audit_s, 3),
            task_s=round(time.monotonic() - started, 3),
        )
        stored = store.record_done(site_id, claim.run_id, values)
        return store.outcome(site_id, already_done=not stored)
    except AuditError as exc:
        store.record_failed(site_id, _one_line(exc), round(time.monotonic() - started, 3))
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other sites; it is stored and shown
        store.record_failed(
            site_id,
            f"internal error: {type(exc).__name__}: {_one_line(exc)}",
            round(time.monotonic() - started, 3),
        )
    return store.outcome(site_id)


def _score_values(audit: AuditStore, run_id: int) -> dict[str, Any]:
    from a11y_audit.scoring.runs import score_run

    try:
        score = score_run(audit, run_id)
    except AuditError as exc:
        return {"score_note": _one_line(exc)}
    est = score.estimate
    if est.mean_lower is None:
        return {"score_note": "no KWCAG item could be scored automatically on these pages"}
    return {
        "score_lower": _round(est.mean_lower),
        "score_upper": _round(est.mean_upper),
        "min_item_lower": _round(est.min_lower),
        "verdict_mean": est.verdict_mean,
        "verdict_every_item": est.verdict_every_item,
        "items_below": len(est.below_threshold),
        "score_note": None,
    }


def _round(x: float | None) -> float | None:
    return None if x is None else round(float(x), 4)


def _one_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def _wait_for_other_attempt(store: CampaignStore, claim: _Claim) -> bool:
    """An earlier attempt of this site may still be running in another process on this machine (its
    client died, the task was re-sent): wait for it rather than audit the same run twice at once.
    Returns False when that attempt stored the site meanwhile."""
    deadline = time.monotonic() + WAIT_FOR_OTHER_ATTEMPT_S
    while time.monotonic() < deadline:
        run = store.audit.run(claim.run_id)
        busy = (
            run.status == "running"
            and run.pid
            and run.pid != os.getpid()
            and run.host == socket.gethostname()
            and _pid_alive(run.pid)
        )
        if not busy:
            return True
        if store.site(claim.site_id).state == "done":
            return False
        time.sleep(1.0)
    raise AuditError(f"run {claim.run_id} is still being audited by process {run.pid} after an hour")


def _current_worker(db_url: str, campaign_id: int) -> tuple[str, BrowserPlugin | None]:
    try:
        from distributed import get_worker

        w = get_worker()
    except (ImportError, ValueError):
        return f"{socket.gethostname()}:{os.getpid()}", None
    plugin = w.plugins.get(plugin_name(db_url, campaign_id))
    label = str(w.address) if str(w.name) == str(w.address) else f"{w.name} {w.address}"
    return label, plugin if isinstance(plugin, BrowserPlugin) else None


# -- one browser per worker -----------------------------------------------------------------------------------
def plugin_name(db_url: str, campaign_id: int) -> str:
    """One plugin per campaign; campaigns of different databases can share a cluster."""
    database = hashlib.sha256(db_url.encode("utf-8")).hexdigest()[:10]
    return f"ddkit-browser-{database}-{campaign_id}"


async def launch_engine_browser(settings: CampaignSettings) -> Any:
    """The default launcher: one Chromium through the audit engine."""
    from a11y_audit.engine import Browser

    return await Browser.launch(settings.engine_options())


def resolve_launcher(spec: str) -> Callable[[CampaignSettings], Any]:
    """``module:function`` → the async function that launches a browser for a campaign's settings."""
    module_name, _, attr = spec.partition(":")
    try:
        obj: Any = importlib.import_module(module_name)
        for part in attr.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError, ValueError) as exc:
        raise AuditError(f"Cannot load the browser launcher {spec!r}: {exc}") from exc
    return obj


def _own_browser_factory(launcher: str, settings: CampaignSettings):
    """Outside a Dask worker (or without the plugin): a browser for this one site audit."""
    launch = resolve_launcher(launcher)

    async def make(_config: Any) -> Any:
        return await launch(settings)

    return make


class _LoopThread:
    """An event loop on its own thread: the worker's browser lives there for the whole campaign."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="ddkit-browser-loop", daemon=True)
        self.thread.start()

    def submit(self, coro) -> concurrent.futures.Future:
        return asyncio.run_coroutine_threadsafe(coro, self.loop)

    async def cancel_all(self) -> None:
        """Cancel every other coroutine on this loop (an audit still waiting on the browser gets an error
        instead of waiting forever)."""
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


class BrowserClosed(AuditError):
    """The worker's browser was closed (the campaign's plugin was removed) under a running audit."""


class BrowserPlugin(WorkerPlugin):
    """Keeps one browser per Dask worker for a campaign (registered as a ``distributed.WorkerPlugin``).

    ``setup`` launches it on a private event-loop thread; each site audit borrows it through
    :meth:`lend` (its pages are opened for that site and closed after it); a broken browser is
    relaunched before the next site; ``teardown`` closes it, failing any audit still using it.

    Registering the plugin of a campaign that a worker already has (a resumed campaign whose old
    client died) keeps the running browser: tasks of the old client may still be using it."""

    idempotent = True

    def __init__(self, settings: CampaignSettings, launcher: str = DEFAULT_LAUNCHER) -> None:
        self.settings = settings
        self.launcher = launcher
        self.browser: Any = None
        self.broken = False
        self.closed = False
        self.launches = 0
        self._thread: _LoopThread | None = None
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"settings": self.settings.to_dict(), "launcher": self.launcher}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(CampaignSettings.from_dict(state["settings"]), state["launcher"])

    async def setup(self, worker: Any = None) -> None:
        self._thread = _LoopThread()
        await asyncio.wrap_future(self._thread.submit(self._launch()))

    async def teardown(self, worker: Any = None) -> None:
        self.closed = True
        thread, self._thread = self._thread, None
        if thread is None:
            return
        with contextlib.suppress(Exception):
            await asyncio.wait_for(asyncio.wrap_future(thread.submit(self._shutdown(thread))), 30)
        thread.stop()

    async def _launch(self) -> None:
        self.browser = await resolve_launcher(self.launcher)(self.settings)
        self.broken = False
        self.launches += 1

    async def _close(self) -> None:
        browser, self.browser = self.browser, None
        if browser is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(browser.close(), 20)

    async def _shutdown(self, thread: _LoopThread) -> None:
        await thread.cancel_all()
        await self._close()

    def lend(self):
        """A browser factory for one ``audit_site`` call (run on the task's thread)."""
        with self._lock:
            if self.closed or self._thread is None:
                raise BrowserClosed("the worker's browser for this campaign was closed")
            if self.browser is None or self.broken:
                self._thread.submit(self._close()).result(30)
                self._thread.submit(self._launch()).result(120)
        lent = _LentBrowser(self)

        async def make(_config: Any) -> Any:
            return lent

        return make


class _LentBrowser:
    """The worker's browser as one site audit sees it; ``close`` closes only this audit's pages."""

    def __init__(self, plugin: BrowserPlugin) -> None:
        self.plugin = plugin
        self.pages: list[_LentPage] = []

    async def on_browser_loop(self, coro) -> Any:
        thread = self.plugin._thread
        if thread is None or self.plugin.closed:
            coro.close()
            raise BrowserClosed("the worker's browser for this campaign was closed")
        try:
            return await asyncio.wrap_future(thread.submit(coro))
        except asyncio.CancelledError:
            if self.plugin.closed:  # cancelled by teardown, not by this audit
                raise BrowserClosed("the worker's browser for this campaign was closed") from None
            raise

    async def worker(self) -> _LentPage:
        browser = self.plugin.browser
        if browser is None:
            raise BrowserClosed("the worker's browser for this campaign was closed")
        try:
            page = await self.on_browser_loop(browser.worker())
        except BrowserClosed:
            raise
        except AuditError:
            self.plugin.broken = True
            raise
        lent = _LentPage(self, page)
        self.pages.append(lent)
        return lent

    async def close(self) -> None:
        for page in self.pages:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(page.close(), 10)


class _LentPage:
    def __init__(self, browser: _LentBrowser, page: Any) -> None:
        self.browser, self.page, self.closed = browser, page, False

    async def audit(self, url: str) -> Any:
        return await self.browser.on_browser_loop(self.page.audit(url))

    async def close(self) -> None:
        if not self.closed:
            self.closed = True
            await self.browser.on_browser_loop(self.page.close())


# -- the campaign: the client side -----------------------------------------------------------------------------
def shared_database_url(db_url: str) -> str:
    """The URL every worker can open: a relative SQLite path is made absolute (workers have other cwds)."""
    url = make_url(db_url)
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        if url.database == ":memory:" or url.database.startswith("file:"):
            return db_url
        return url.set(database=os.path.abspath(url.database)).render_as_string(hide_password=False)
    if url.get_backend_name() == "sqlite":
        raise AuditUsageError(
            "A campaign needs a database file or server that every worker can open, not an in-memory one.",
            hint="Use --db campaign.db (workers on this machine) or a PostgreSQL URL (workers anywhere).",
        )
    return db_url


@contextlib.contextmanager
def _client(scheduler: str | None, workers: int, threads_per_worker: int) -> Iterator[tuple[Any, str, float]]:
    """A Dask client: to the scheduler given, or to a local cluster of ``workers`` processes."""
    from distributed import Client, LocalCluster

    t0 = time.monotonic()
    if scheduler:
        try:
            client = Client(scheduler)  # waits distributed.comm.timeouts.connect (30 s by default)
        except (OSError, TimeoutError) as exc:
            raise AuditError(
                f"Cannot reach the Dask scheduler at {scheduler}: {_one_line(exc)}",
                hint="Start it with 'dask scheduler' on that machine (port 8786) and one 'dask worker "
                f"{scheduler}' per worker machine; see docs/how-to/campaign.md.",
            ) from None
        try:
            yield client, scheduler, time.monotonic() - t0
        finally:
            client.close()
        return
    if workers < 1 or threads_per_worker < 1:
        raise AuditUsageError("--workers and --threads must be at least 1.")
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=threads_per_worker,
        processes=True,
        dashboard_address=None,
        local_directory=tempfile.gettempdir(),  # dask's scratch space: never the working folder
        preload=["a11y_audit.campaign"],  # imported as each worker starts, not while it is busy
    )
    try:
        client = Client(cluster)
        try:
            yield client, "local", time.monotonic() - t0
        finally:
            client.close()
    finally:
        cluster.close()


def run_campaign(
    db_url: str,
    *,
    sites: str | os.PathLike[str] | None = None,
    settings: CampaignSettings | None = None,
    name: str | None = None,
    resume: int | None = None,
    scheduler: str | None = None,
    workers: int = 2,
    threads_per_worker: int = 1,
    launcher: str = DEFAULT_LAUNCHER,
    progress: Callable[[CampaignProgress], None] | None = None,
) -> CampaignResult:
    """Audit every site of ``sites`` (a new campaign) or the unfinished sites of campaign ``resume``.

    Ctrl-C marks the campaign ``interrupted`` and re-raises; everything stored so far is kept and
    ``resume=ID`` continues. Sites that failed are counted and listed; resuming retries them."""
    db_url = shared_database_url(db_url)
    notes: list[str] = []
    if scheduler and make_url(db_url).get_backend_name() == "sqlite":
        notes.append(
            f"The database is the SQLite file {make_url(db_url).database}: every worker must reach that same "
            "path (workers on this machine only). Use a PostgreSQL URL for workers on other machines."
        )
    store = CampaignStore(db_url)
    try:
        if resume is not None:
            if sites is not None:
                raise AuditUsageError("--resume continues a stored campaign: give no sites file with it.")
            campaign = store.claim_campaign(resume, scheduler or "local")
            campaign_id = campaign.id
            settings = CampaignSettings.from_dict(campaign.settings)
        else:
            if sites is None:
                raise AuditUsageError(
                    "Give a sites file (institution, url, category) or --resume ID.",
                    hint="Example: ddkit audit campaign sites.csv",
                )
            sites_file = read_sites(sites)
            if sites_file.ignored_columns:
                notes.append(f"Columns not used: {', '.join(sites_file.ignored_columns)}.")
            settings = settings or CampaignSettings()
            campaign_id = store.create_campaign(sites_file, settings, name)
            with store._session.begin() as s:
                s.execute(
                    sql_update(Campaign)
                    .where(Campaign.id == campaign_id)
                    .values(scheduler=scheduler or "local")
                )
        todo = store.unfinished(campaign_id)
        states = store.states(campaign_id)
        total = sum(states.values())
        started = time.monotonic()
        done_before = states["done"]
        counts = {"done": done_before, "failed": 0}
        session_sites = 0
        cluster_s = 0.0
        address = scheduler or "local"
        n_workers = 0

        def report(last: SiteOutcome | None) -> None:
            if progress is not None:
                elapsed = time.monotonic() - started
                progress(
                    CampaignProgress(
                        campaign_id=campaign_id,
                        total=total,
                        done=counts["done"],
                        failed=counts["failed"],
                        elapsed_s=elapsed,
                        sites_per_minute=60.0 * (counts["done"] + counts["failed"] - done_before) / elapsed
                        if elapsed > 0
                        else 0.0,
                        last=last,
                    )
                )

        report(None)
        if todo:
            try:
                with _client(scheduler, workers, threads_per_worker) as (client, address, cluster_s):
                    n_workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
                    notes.extend(_version_notes(client))
                    session_sites = _run_tasks(
                        client, store, db_url, campaign_id, todo, settings, launcher, counts, report
                    )
            except BaseException:  # Ctrl-C, an unreachable scheduler, a lost database: resumable
                with contextlib.suppress(Exception):
                    store.set_status(campaign_id, "interrupted")
                raise
        states = store.states(campaign_id)
        status = "finished" if states["done"] == total else "incomplete"
        store.set_status(campaign_id, status)
        return CampaignResult(
            campaign_id=campaign_id,
            status=status,
            states=states,
            sites_this_session=session_sites,
            elapsed_s=time.monotonic() - started,
            cluster_start_s=cluster_s,
            scheduler=address,
            workers=n_workers,
            notes=notes,
        )
    finally:
        store.close()


def _version_notes(client: Any) -> list[str]:
    """Workers running another ddkit version than this client (their results could differ)."""
    mine = ddkit_version()
    try:
        theirs = client.run(ddkit_version)
    except Exception:  # noqa: BLE001 - only a warning: the campaign itself still runs
        return []
    other = sorted({f"{v} on {addr}" for addr, v in theirs.items() if v != mine})
    if not other:
        return []
    return [f"ddkit {mine} here, but {', '.join(other)}: install the same version on every worker."]


def _run_tasks(
    client: Any,
    store: CampaignStore,
    db_url: str,
    campaign_id: int,
    todo: list[int],
    settings: CampaignSettings,
    launcher: str,
    counts: dict[str, int],
    report: Callable[[SiteOutcome | None], None],
) -> int:
    from distributed import as_completed

    name = plugin_name(db_url, campaign_id)
    try:
        client.register_plugin(BrowserPlugin(settings, launcher), name=name)
    except Exception as exc:  # noqa: BLE001 - whatever a worker raised while launching its browser
        raise AuditError(
            f"A worker could not launch its browser: {_one_line(exc)}",
            hint=getattr(exc, "hint", None) or "Run 'ddkit doctor' on the worker machines.",
        ) from None
    try:
        futures = {
            client.submit(
                audit_campaign_site,
                db_url,
                campaign_id,
                site_id,
                launcher,
                key=f"ddkit-campaign-{campaign_id}-site-{site_id}",
                pure=False,
            ): site_id
            for site_id in todo
        }
        finished = 0
        try:
            for future in as_completed(futures):
                site_id = futures[future]
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - e.g. KilledWorker: the site is recorded, not lost
                    store.record_failed(site_id, f"the task failed: {type(exc).__name__}: {_one_line(exc)}")
                    outcome = store.outcome(site_id)
                finished += 1
                if outcome.state == "done":
                    counts["done"] += 1
                else:
                    counts["failed"] += 1
                report(outcome)
        finally:
            client.cancel(list(futures))
        return finished
    finally:
        with contextlib.suppress(Exception):
            client.unregister_worker_plugin(name)


# -- summary and ranking --------------------------------------------------------------------------------------
RANKING_COLUMNS = [
    "rank",
    "rank_in_category",
    "institution",
    "category",
    "url",
    "score_lower",
    "score_upper",
    "min_item_lower",
    "items_below",
    "verdict_mean",
    "verdict_every_item",
    "pages",
    "page_errors",
    "violations",
    "state",
    "run_id",
    "attempts",
    "note",
    "source_row",
]
CATEGORY_COLUMNS = [
    "rank",
    "category",
    "sites",
    "scored",
    "mean_lower",
    "mean_upper",
    "median_lower",
    "min_lower",
    "max_lower",
    "pass_mean",
    "not_scored",
]


@dataclass
class CampaignSummary:
    campaign: CampaignInfo
    ranking: pd.DataFrame  # one row per site, best first; unscored sites last with no rank
    by_category: pd.DataFrame  # one row per category, best mean lower bound first
    pages: int
    failures: list[dict[str, Any]]
    method: str = (
        "Sites are ranked by the lower bound of the certification estimate (needs-review counted as "
        "failures), then by the upper bound; equal scores share a rank. An automated estimate, not a "
        "certification."
    )


def campaign_summary(db_url: str, campaign_id: int, category: str | None = None) -> CampaignSummary:
    """The campaign's ranking by score, overall and within each category, and the per-category table."""
    store = CampaignStore(db_url)
    try:
        info = store.info(campaign_id)
        rows = store.sites(campaign_id)
    finally:
        store.close()
    if category is not None:
        known = sorted({r.category for r in rows})
        rows = [r for r in rows if r.category == category]
        if not rows:
            raise AuditUsageError(
                f"Campaign {campaign_id} has no site in category {category!r}.",
                hint=f"Categories: {', '.join(known)}.",
            )
    records = [
        {
            "institution": r.institution,
            "category": r.category,
            "url": r.url,
            "score_lower": r.score_lower,
            "score_upper": r.score_upper,
            "min_item_lower": r.min_item_lower,
            "items_below": r.items_below,
            "verdict_mean": r.verdict_mean,
            "verdict_every_item": r.verdict_every_item,
            "pages": r.pages,
            "page_errors": r.page_errors,
            "violations": r.violations,
            "state": r.state,
            "run_id": r.run_id,
            "attempts": r.attempts,
            "note": r.error or r.score_note,
            "source_row": r.source_row,
        }
        for r in rows
    ]
    frame = pd.DataFrame.from_records(records, columns=[c for c in RANKING_COLUMNS if "rank" not in c])
    frame["rank"] = _competition_rank(frame)
    frame["rank_in_category"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
    for _, group in frame.groupby("category"):
        frame.loc[group.index, "rank_in_category"] = _competition_rank(group)
    frame = frame.sort_values(
        ["rank", "institution", "source_row"], na_position="last", kind="mergesort"
    ).reset_index(drop=True)
    frame = frame[RANKING_COLUMNS]
    for col in ("rank", "rank_in_category", "pages", "page_errors", "violations", "run_id", "items_below"):
        frame[col] = frame[col].astype("Int64")
    return CampaignSummary(
        campaign=info,
        ranking=frame,
        by_category=_by_category(frame),
        pages=int(frame["pages"].fillna(0).sum()),
        failures=[
            {
                "institution": r.institution,
                "url": r.url,
                "state": r.state,
                "error": r.error,
                "row": r.source_row,
            }
            for r in rows
            if r.state != "done"
        ],
    )


def _competition_rank(frame: pd.DataFrame) -> pd.Series:
    """1, 2, 2, 4 … over (lower, upper), best first; sites without a score get no rank."""
    scored = frame["score_lower"].notna()
    order = sorted(
        frame.index[scored], key=lambda i: (-frame.at[i, "score_lower"], -(frame.at[i, "score_upper"] or 0.0))
    )
    ranks = pd.Series([pd.NA] * len(frame), index=frame.index, dtype="Int64")
    previous: tuple[float, float] | None = None
    for position, i in enumerate(order, start=1):
        key = (frame.at[i, "score_lower"], frame.at[i, "score_upper"])
        if key != previous:
            rank = position
            previous = key
        ranks.at[i] = rank
    return ranks


def _by_category(ranking: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for category, group in ranking.groupby("category", sort=True):
        lower = [float(x) for x in group["score_lower"].dropna()]
        upper = [float(x) for x in group["score_upper"].dropna()]
        rows.append(
            {
                "category": category,
                "sites": len(group),
                "scored": len(lower),
                "mean_lower": round(statistics.fmean(lower), 4) if lower else None,
                "mean_upper": round(statistics.fmean(upper), 4) if upper else None,
                "median_lower": round(statistics.median(lower), 4) if lower else None,
                "min_lower": min(lower) if lower else None,
                "max_lower": max(lower) if lower else None,
                "pass_mean": int((group["verdict_mean"] == "pass").sum()),
                "not_scored": len(group) - len(lower),
            }
        )
    table = pd.DataFrame.from_records(rows, columns=[c for c in CATEGORY_COLUMNS if c != "rank"])
    ranked = table.rename(columns={"mean_lower": "score_lower", "mean_upper": "score_upper"})
    table["rank"] = _competition_rank(ranked)
    table = table.sort_values(["rank", "category"], na_position="last", kind="mergesort").reset_index(
        drop=True
    )
    table["rank"] = table["rank"].astype("Int64")
    return table[CATEGORY_COLUMNS]


def export_summary(summary: CampaignSummary, path: str | os.PathLike[str]) -> list[Path]:
    """Write the ranking: ``.xlsx`` (sheets ranking, by category, about) or ``.csv`` (the ranking, and the
    per-category table beside it as ``NAME-by-category.csv``). Returns the files written."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise AuditUsageError(
            f"Cannot export to {out.name}: give a .csv or .xlsx file name.",
            hint="Example: --out ranking.xlsx",
        )
    try:
        if suffix == ".csv":
            second = out.with_name(f"{out.stem}-by-category.csv")
            # utf-8-sig: Excel opens Hangul correctly only with the byte-order mark.
            summary.ranking.to_csv(out, index=False, encoding="utf-8-sig")
            summary.by_category.to_csv(second, index=False, encoding="utf-8-sig")
            return [out, second]
        with pd.ExcelWriter(out, engine="openpyxl") as xlsx:
            summary.ranking.to_excel(xlsx, sheet_name="ranking", index=False)
            summary.by_category.to_excel(xlsx, sheet_name="by category", index=False)
            _about_frame(summary).to_excel(xlsx, sheet_name="about", index=False)
        return [out]
    except OSError as exc:
        raise AuditUsageError(f"Cannot write {out}: {exc.strerror or exc}.") from None


def _about_frame(summary: CampaignSummary) -> pd.DataFrame:
    c = summary.campaign
    rows = [
        ("campaign", c.id),
        ("name", c.name or ""),
        ("status", c.status),
        ("sites", c.sites_total),
        *((f"sites {state}", n) for state, n in c.states.items()),
        ("pages audited", summary.pages),
        ("sites file", c.source_file or ""),
        ("sites file SHA-256", c.source_sha256 or ""),
        ("created (UTC)", f"{c.created_at:%Y-%m-%d %H:%M}"),
        ("ddkit", c.ddkit_version),
        ("method", summary.method),
    ]
    return pd.DataFrame(rows, columns=["field", "value"]).astype({"value": str})


def finite(x: Any) -> float | None:
    """A float for display, or None for missing values (NaN, NA)."""
    if x is None or x is pd.NA:
        return None
    try:
        value = float(x)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None
