"""Where audits are kept: runs, their crawl queue, pages and findings (SQLAlchemy 2, Alembic).

Any SQLAlchemy URL works; the default is an SQLite file in WAL mode. The schema is created and
upgraded by the migrations in ``a11y_audit/migrations`` when the store is opened, with its own version
table (``alembic_version_audit``) so other parts of ddkit can keep their tables in the same file.
Everything is portable SQL: no SQLite-only statements.

Every audited page is written in one transaction together with the queue rows its links produced and
the queue row of the page itself, so a process killed at any moment leaves a consistent database:
a page is either fully stored (and its queue row ``done``) or not at all (its queue row still
``queued``), and ``--resume`` audits exactly the pages that are not stored yet.
"""

from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from sqlalchemy import (
    JSON,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    create_engine,
    delete,
    event,
    func,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    Session,
    mapped_column,
    relationship,
    sessionmaker,
    undefer,
)

from a11y_audit.errors import AuditError, AuditUsageError
from a11y_audit.models import ElementCrop, Finding, PageResult

VERSION_TABLE = "alembic_version_audit"

RUN_STATES = ("running", "finished", "interrupted", "failed")


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    pass


class Run(Base):
    __tablename__ = "audit_runs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default="site")
    status: Mapped[str] = mapped_column(String(16), default="running")
    started_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    ddkit_version: Mapped[str] = mapped_column(String(32))
    axe_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    seeds: Mapped[list] = mapped_column(JSON)
    config: Mapped[dict] = mapped_column(JSON)
    host: Mapped[str | None] = mapped_column(String(255), nullable=True)  # machine and process
    pid: Mapped[int | None] = mapped_column(Integer, nullable=True)  # that last ran it


class QueueEntry(Base):
    """Every URL the frontier decided about: ``queued`` → ``done``, or ``skipped`` with a reason."""

    __tablename__ = "audit_queue"
    __table_args__ = (
        UniqueConstraint("run_id", "url_hash", name="uq_audit_queue_run_url"),
        Index("ix_audit_queue_run_state", "run_id", "state", "depth", "id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_runs.id", ondelete="CASCADE"))
    url_hash: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    depth: Mapped[int] = mapped_column(Integer)
    found_on: Mapped[str | None] = mapped_column(Text, nullable=True)
    state: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(String(24), nullable=True)


class PageRow(Base):
    __tablename__ = "audit_pages"
    __table_args__ = (
        # One result per URL and device (--device both audits every URL on the desktop and a phone).
        UniqueConstraint("run_id", "url_hash", "device", name="uq_audit_pages_run_url_device"),
        Index("ix_audit_pages_run_signature", "run_id", "template_signature"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_runs.id", ondelete="CASCADE"))
    url_hash: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(Text)
    final_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    depth: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[int | None] = mapped_column(Integer, nullable=True)
    content_type: Mapped[str | None] = mapped_column(String(255), nullable=True)
    title: Mapped[str | None] = mapped_column(Text, nullable=True)
    lang: Mapped[str | None] = mapped_column(String(64), nullable=True)
    device: Mapped[str | None] = mapped_column(String(32), nullable=True)
    axe_version: Mapped[str | None] = mapped_column(String(32), nullable=True)
    template_signature: Mapped[str | None] = mapped_column(String(16), nullable=True)
    timings: Mapped[dict] = mapped_column(JSON, default=dict)
    item_status: Mapped[dict] = mapped_column(JSON, default=dict)
    n_links: Mapped[int] = mapped_column(Integer, default=0)
    n_violations: Mapped[int] = mapped_column(Integer, default=0)
    n_incomplete: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    error_kind: Mapped[str | None] = mapped_column(String(32), nullable=True)
    duplicate_of: Mapped[str | None] = mapped_column(Text, nullable=True)
    audited_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)
    #: The viewport as a small JPEG (engine option ``thumbnail``); deferred: loaded only for reports.
    thumbnail: Mapped[bytes | None] = mapped_column(LargeBinary, nullable=True, deferred=True)

    findings: Mapped[list[FindingRow]] = relationship(
        back_populates="page", cascade="all, delete-orphan", order_by="FindingRow.id"
    )


class FindingRow(Base):
    __tablename__ = "audit_findings"
    __table_args__ = (
        Index("ix_audit_findings_page", "page_id"),
        Index("ix_audit_findings_run_rule", "run_id", "rule_id", "outcome"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("audit_pages.id", ondelete="CASCADE"))
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_runs.id", ondelete="CASCADE"))
    rule_id: Mapped[str] = mapped_column(String(128))
    source: Mapped[str] = mapped_column(String(16))
    outcome: Mapped[str] = mapped_column(String(16))
    impact: Mapped[str | None] = mapped_column(String(16), nullable=True)
    kwcag: Mapped[list] = mapped_column(JSON, default=list)
    wcag: Mapped[list] = mapped_column(JSON, default=list)
    selector: Mapped[str | None] = mapped_column(Text, nullable=True)
    snippet: Mapped[str | None] = mapped_column(Text, nullable=True)
    message_en: Mapped[str] = mapped_column(Text, default="")
    message_ko: Mapped[str] = mapped_column(Text, default="")
    help_url: Mapped[str | None] = mapped_column(Text, nullable=True)
    data: Mapped[dict] = mapped_column(JSON, default=dict)

    page: Mapped[PageRow] = relationship(back_populates="findings")


class CropRow(Base):
    """A small JPEG of the element of one finding: at most one per page and KWCAG item (engine option
    ``crops``), shown beside the evidence in the review checklist."""

    __tablename__ = "audit_crops"
    __table_args__ = (
        UniqueConstraint("page_id", "item", name="uq_audit_crops_page_item"),
        Index("ix_audit_crops_run", "run_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page_id: Mapped[int] = mapped_column(ForeignKey("audit_pages.id", ondelete="CASCADE"))
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_runs.id", ondelete="CASCADE"))
    item: Mapped[str] = mapped_column(String(8))
    rule_id: Mapped[str] = mapped_column(String(128))
    selector: Mapped[str] = mapped_column(Text)
    image: Mapped[bytes] = mapped_column(LargeBinary)


class RunError(Base):
    """Problems of a run that belong to no page: an unreadable sitemap, an unreachable robots.txt."""

    __tablename__ = "audit_run_errors"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_runs.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=_now)


# -- plain results ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class QueueItem:
    id: int
    url: str
    url_hash: str
    depth: int
    found_on: str | None


@dataclass
class RunSummary:
    id: int
    status: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    seeds: list[str]
    ddkit_version: str
    axe_version: str | None
    pages: int
    errors: int
    queued: int
    violations: int
    config: dict[str, Any] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    error_kinds: dict[str, int] = field(default_factory=dict)
    run_errors: list[dict[str, str]] = field(default_factory=list)
    top_rules: list[dict[str, Any]] = field(default_factory=list)
    item_fail_pages: dict[str, int] = field(default_factory=dict)
    templates: int = 0
    #: Stored page results per device ("desktop", "mobile").
    devices: dict[str, int] = field(default_factory=dict)
    #: Separate mobile sites the run followed (a phone was redirected to m.<site>): host and message.
    mobile_sites: list[dict[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class StoredPage:
    id: int
    url: str
    final_url: str | None
    depth: int
    status: int | None
    title: str | None
    template_signature: str | None
    error: str | None
    error_kind: str | None
    n_violations: int
    queue_order: int
    device: str = "desktop"


# -- the store ---------------------------------------------------------------------------------------------
def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # durable against a killed process, the case we test
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def migrate(engine) -> None:
    """Bring the audit tables to the newest revision (programmatic Alembic, no alembic.ini)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(resources.files("a11y_audit").joinpath("migrations")))
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, "head")


class AuditStore:
    """Open (and migrate) the database at ``url``. One store per process; not shared across threads."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            if url.startswith("sqlite"):
                self.engine = create_engine(url, connect_args={"timeout": 30})
                event.listen(self.engine, "connect", _sqlite_pragmas)
            else:
                self.engine = create_engine(url, pool_pre_ping=True)
            migrate(self.engine)
        except SQLAlchemyError as exc:
            raise AuditError(
                f"Cannot open the audit database {_safe(url)}: {exc.__class__.__name__}: {_first_line(exc)}",
                hint="Check --db / DDKIT_DB: a writable file path or a SQLAlchemy URL.",
            ) from exc
        self._session = sessionmaker(self.engine, expire_on_commit=False)

    def close(self) -> None:
        self.engine.dispose()

    # -- runs --------------------------------------------------------------------------------------------
    def create_run(self, seeds: list[str], config: dict[str, Any], ddkit_version: str) -> int:
        with self._session.begin() as s:
            run = Run(
                seeds=list(seeds),
                config=config,
                ddkit_version=ddkit_version,
                host=socket.gethostname(),
                pid=os.getpid(),
            )
            s.add(run)
            s.flush()
            return run.id

    def run(self, run_id: int) -> Run:
        with self._session() as s:
            run = s.get(Run, run_id)
            if run is None:
                raise AuditUsageError(
                    f"There is no audit run {run_id} in {_safe(self.url)}.",
                    hint="'ddkit audit runs' lists the runs of this database (--db / DDKIT_DB).",
                )
            s.expunge(run)
            return run

    def claim_run(self, run_id: int) -> Run:
        """Take over a run for ``--resume``; refuses while another live process on this machine runs it."""
        run = self.run(run_id)
        if (
            run.status == "running"
            and run.pid
            and run.pid != os.getpid()
            and run.host == socket.gethostname()
        ) and _pid_alive(run.pid):
            raise AuditUsageError(
                f"Run {run_id} is still being audited by process {run.pid}.",
                hint="Wait for it to finish, or stop it (Ctrl-C) before resuming.",
            )
        with self._session.begin() as s:
            s.execute(
                update(Run)
                .where(Run.id == run_id)
                .values(
                    status="running",
                    pid=os.getpid(),
                    host=socket.gethostname(),
                    updated_at=_now(),
                    finished_at=None,
                )
            )
        return self.run(run_id)

    def finish_run(self, run_id: int, status: str, axe_version: str | None = None) -> None:
        assert status in RUN_STATES
        values: dict[str, Any] = {"status": status, "updated_at": _now()}
        if status != "running":
            values["finished_at"] = _now()
        if axe_version:
            values["axe_version"] = axe_version
        with self._session.begin() as s:
            s.execute(update(Run).where(Run.id == run_id).values(**values))
        if status == "finished":
            self.apply_cross_page_rules(run_id)

    def apply_cross_page_rules(self, run_id: int) -> int:
        """Rules that need every page of the run (unique page titles), applied when a run finishes.

        Replaces the run's earlier findings of those rules, so applying them again (after a resume)
        changes nothing. Returns the number of pages whose findings changed. Only the pages' titles
        and the findings of the rule's own item are read back, not every finding of the run.
        """
        from a11y_audit.checks.cross_page import RULE as TITLE_RULE
        from a11y_audit.checks.cross_page import apply_title_uniqueness
        from a11y_audit.rules import load_registry

        item = load_registry().item_for_rule(TITLE_RULE)
        item_rules = sorted({*item.axe_rules, *item.kwcag_checks, TITLE_RULE})
        with self._session() as s:
            pages = s.execute(
                select(
                    PageRow.id, PageRow.url, PageRow.final_url, PageRow.title, PageRow.device, PageRow.error,
                    PageRow.item_status,
                )
                .where(PageRow.run_id == run_id)
                .order_by(PageRow.id)
            ).all()  # fmt: skip
            of_page: dict[int, list[Finding]] = {}
            for row in s.scalars(
                select(FindingRow)
                .where(FindingRow.run_id == run_id, FindingRow.rule_id.in_(item_rules))
                .order_by(FindingRow.id)
            ):
                of_page.setdefault(row.page_id, []).append(_finding(row))
        results = [
            PageResult(
                url=p.url,
                final_url=p.final_url,
                title=p.title,
                device=p.device or "desktop",
                error=p.error,
                findings=of_page.get(p.id, []),
                item_status=dict(p.item_status or {}),
            )
            for p in pages
        ]
        before = [([f for f in r.findings if f.rule_id == TITLE_RULE], dict(r.item_status)) for r in results]
        # Titles are compared among the pages of one device: the same URL on a phone is not a second page.
        for device in sorted({r.device for r in results}):
            apply_title_uniqueness([r for r in results if r.device == device])
        changed = []
        for p, r, (old, stored) in zip(pages, results, before, strict=True):
            # only the rule's own item may change status
            r.item_status = {**stored, item.id: r.item_status.get(item.id, stored.get(item.id))}
            new = [f for f in r.findings if f.rule_id == TITLE_RULE]
            if new != old:
                changed.append((p.id, r, old, new))
        if not changed:
            return 0

        def count(findings: list[Finding], outcome: str) -> int:
            return sum(1 for f in findings if f.outcome == outcome)

        with self._session.begin() as s:
            for page_id, r, old, new in changed:
                page = s.get(PageRow, page_id)
                if page is None:
                    continue
                s.execute(
                    delete(FindingRow).where(FindingRow.page_id == page.id, FindingRow.rule_id == TITLE_RULE)
                )
                if new:
                    s.execute(insert(FindingRow), [_finding_values(f, run_id, page.id) for f in new])
                page.item_status = dict(r.item_status)
                # The page's other findings are unchanged: only the rule's own count moves.
                page.n_violations = (
                    (page.n_violations or 0) - count(old, "violation") + count(new, "violation")
                )
                page.n_incomplete = (
                    (page.n_incomplete or 0) - count(old, "incomplete") + count(new, "incomplete")
                )
        return len(changed)

    def list_runs(self) -> list[RunSummary]:
        with self._session() as s:
            ids = s.scalars(select(Run.id).order_by(Run.id)).all()
        return [self.summary(i, detail=False) for i in ids]

    def add_run_error(self, run_id: int, source: str, kind: str, message: str) -> None:
        """Record a problem of the run (once: a resumed run does not repeat it)."""
        with self._session.begin() as s:
            known = s.scalar(
                select(RunError.id).where(
                    RunError.run_id == run_id, RunError.source == source, RunError.kind == kind
                )
            )
            if known is None:
                s.add(RunError(run_id=run_id, source=source, kind=kind, message=message))

    def run_notes(self, run_id: int, kind: str) -> list[tuple[str, str]]:
        """(source, message) of the run's records of one kind, e.g. ``mobile_site``."""
        with self._session() as s:
            rows = s.execute(
                select(RunError.source, RunError.message)
                .where(RunError.run_id == run_id, RunError.kind == kind)
                .order_by(RunError.id)
            ).all()
        return [(source, message) for source, message in rows]

    # -- queue -------------------------------------------------------------------------------------------
    def add_decisions(self, run_id: int, decisions: Iterable[Any], found_on: str | None = None) -> None:
        """Store frontier decisions (seeds, sitemap URLs) in one transaction."""
        with self._session.begin() as s:
            self._add_decisions(s, run_id, decisions, found_on)

    @staticmethod
    def _add_decisions(
        s: Session, run_id: int, decisions: Iterable[Any], found_on: str | None
    ) -> list[QueueItem]:
        rows = [
            QueueEntry(
                run_id=run_id,
                url_hash=d.hash,
                url=d.url,
                depth=d.depth,
                found_on=found_on,
                state="queued" if d.reason is None else "skipped",
                reason=d.reason,
            )
            for d in decisions
        ]
        s.add_all(rows)
        s.flush()
        return [QueueItem(r.id, r.url, r.url_hash, r.depth, r.found_on) for r in rows if r.state == "queued"]

    def queue_decisions(self, run_id: int) -> list[tuple[str, str | None]]:
        """(URL, skip reason) for every decision of the run, in discovery order (rebuilds a frontier)."""
        with self._session() as s:
            rows = s.execute(
                select(QueueEntry.url, QueueEntry.reason)
                .where(QueueEntry.run_id == run_id)
                .order_by(QueueEntry.id)
            ).all()
        return [(u, r) for u, r in rows]

    def queued(self, run_id: int) -> list[QueueItem]:
        """Pages still to audit, shallowest first, then in discovery order."""
        with self._session() as s:
            rows = s.execute(
                select(QueueEntry)
                .where(QueueEntry.run_id == run_id, QueueEntry.state == "queued")
                .order_by(QueueEntry.depth, QueueEntry.id)
            ).scalars()
            return [QueueItem(q.id, q.url, q.url_hash, q.depth, q.found_on) for q in rows]

    def skipped(self, run_id: int) -> dict[str, int]:
        with self._session() as s:
            rows = s.execute(
                select(QueueEntry.reason, func.count())
                .where(QueueEntry.run_id == run_id, QueueEntry.state == "skipped")
                .group_by(QueueEntry.reason)
            ).all()
        return {r: n for r, n in sorted(rows)}

    # -- pages -------------------------------------------------------------------------------------------
    def record_page(
        self,
        run_id: int,
        item: QueueItem,
        result: PageResult,
        *,
        decisions: Sequence[Any] = (),
        error_kind: str | None = None,
        attempts: int = 1,
        duplicate_of: str | None = None,
        keep_findings: bool = True,
        alias_queue_ids: Sequence[int] = (),
        finish_queue: bool = True,
    ) -> list[QueueItem] | None:
        """Store one audited page, its findings, the links it added to the queue, and mark its queue
        row done, all in one transaction. ``alias_queue_ids``: queued rows of URLs that turned out to be
        this same page (a redirect landed there); they become skipped. ``finish_queue`` False leaves
        the queue row queued: the URL still has to be audited on another device.

        Returns the newly queued pages, or None (and nothing written) if the page was already stored
        (on the same device)."""
        findings = result.findings if keep_findings else []
        try:
            with self._session.begin() as s:
                exists = s.scalar(
                    select(PageRow.id).where(
                        PageRow.run_id == run_id,
                        PageRow.url_hash == item.url_hash,
                        PageRow.device == result.device,
                    )
                )
                if exists is not None:
                    return None
                page = PageRow(
                    run_id=run_id,
                    url_hash=item.url_hash,
                    url=item.url,
                    final_url=result.final_url,
                    depth=item.depth,
                    status=result.status,
                    content_type=_clip(result.content_type, 255),
                    title=result.title,
                    lang=_clip(result.lang, 64),
                    device=result.device,
                    axe_version=result.axe_version,
                    template_signature=result.template_signature,
                    timings=dict(result.timings_ms or {}),
                    item_status=dict(result.item_status or {}),
                    n_links=len(result.links or []),
                    n_violations=sum(1 for f in findings if f.outcome == "violation"),
                    n_incomplete=sum(1 for f in findings if f.outcome == "incomplete"),
                    attempts=attempts,
                    error=result.error,
                    error_kind=error_kind if result.error else None,
                    duplicate_of=duplicate_of,
                    thumbnail=result.thumbnail,
                )
                s.add(page)
                s.flush()
                if findings:
                    # One executemany through Core: an ORM object per finding costs ~10x more.
                    s.execute(insert(FindingRow), [_finding_values(f, run_id, page.id) for f in findings])
                crops = {c.item: c for c in result.crops or ()} if keep_findings else {}
                if crops:
                    s.execute(
                        insert(CropRow),
                        [
                            {
                                "page_id": page.id,
                                "run_id": run_id,
                                "item": c.item,
                                "rule_id": c.rule_id,
                                "selector": c.selector,
                                "image": c.image,
                            }
                            for c in crops.values()
                        ],
                    )
                added = self._add_decisions(s, run_id, decisions, found_on=item.url)
                if finish_queue:
                    s.execute(update(QueueEntry).where(QueueEntry.id == item.id).values(state="done"))
                if alias_queue_ids:
                    s.execute(
                        update(QueueEntry)
                        .where(QueueEntry.id.in_(list(alias_queue_ids)), QueueEntry.state == "queued")
                        .values(state="skipped", reason="alias")
                    )
                s.execute(update(Run).where(Run.id == run_id).values(updated_at=_now()))
        except IntegrityError:
            return None
        return added

    def finish_queue_row(self, queue_id: int) -> None:
        """Mark a queue row done whose page results are all stored already."""
        with self._session.begin() as s:
            s.execute(update(QueueEntry).where(QueueEntry.id == queue_id).values(state="done"))

    def stored_devices(self, run_id: int) -> dict[str, set[str]]:
        """Devices already stored for URLs still queued (a run stopped between the devices of a URL)."""
        with self._session() as s:
            rows = s.execute(
                select(PageRow.url_hash, PageRow.device)
                .join(
                    QueueEntry,
                    (QueueEntry.run_id == PageRow.run_id) & (QueueEntry.url_hash == PageRow.url_hash),
                )
                .where(PageRow.run_id == run_id, QueueEntry.state == "queued")
            ).all()
        out: dict[str, set[str]] = {}
        for url_hash, device in rows:
            out.setdefault(url_hash, set()).add(device or "desktop")
        return out

    def pages(self, run_id: int) -> list[StoredPage]:
        with self._session() as s:
            order = {
                h: i
                for h, i in s.execute(
                    select(QueueEntry.url_hash, QueueEntry.id).where(QueueEntry.run_id == run_id)
                ).all()
            }
            rows = (
                s.execute(select(PageRow).where(PageRow.run_id == run_id).order_by(PageRow.id))
                .scalars()
                .all()
            )
            out = [
                StoredPage(
                    id=p.id,
                    url=p.url,
                    final_url=p.final_url,
                    depth=p.depth,
                    status=p.status,
                    title=p.title,
                    template_signature=p.template_signature,
                    error=p.error,
                    error_kind=p.error_kind,
                    n_violations=p.n_violations,
                    queue_order=order.get(p.url_hash, 0),
                    device=p.device or "desktop",
                )
                for p in rows
            ]
        return sorted(out, key=lambda p: (p.depth, p.queue_order, p.device))

    def page_results(self, run_id: int, *, thumbnails: bool = False) -> list[PageResult]:
        """The stored pages as engine results (for scoring and reports); ``thumbnails`` also loads
        each page's stored JPEG (left out otherwise: scoring and exports never need the bytes)."""
        query = select(PageRow).where(PageRow.run_id == run_id).order_by(PageRow.id)
        if thumbnails:
            query = query.options(undefer(PageRow.thumbnail))
        with self._session() as s:
            rows = s.execute(query).scalars().all()
            results = []
            for p in rows:
                results.append(
                    PageResult(
                        url=p.url,
                        final_url=p.final_url,
                        status=p.status,
                        content_type=p.content_type,
                        title=p.title,
                        lang=p.lang,
                        device=p.device or "desktop",
                        axe_version=p.axe_version,
                        timings_ms=dict(p.timings or {}),
                        template_signature=p.template_signature,
                        findings=[_finding(f) for f in p.findings],
                        item_status=dict(p.item_status or {}),
                        error=p.error,
                        thumbnail=p.thumbnail if thumbnails else None,
                    )
                )
        return results

    def crops(self, run_id: int) -> dict[tuple[str, str, str], ElementCrop]:
        """The run's element crops by (page URL, device, KWCAG item)."""
        with self._session() as s:
            rows = s.execute(
                select(
                    PageRow.url,
                    PageRow.device,
                    CropRow.item,
                    CropRow.rule_id,
                    CropRow.selector,
                    CropRow.image,
                )
                .join(PageRow, PageRow.id == CropRow.page_id)
                .where(CropRow.run_id == run_id)
                .order_by(CropRow.id)
            ).all()
        return {
            (url, device or "desktop", item): ElementCrop(item, rule, selector, image)
            for url, device, item, rule, selector, image in rows
        }

    def counts(self, run_id: int) -> tuple[int, int, int]:
        """(pages stored, pages with an error, pages still queued)."""
        with self._session() as s:
            pages = s.scalar(select(func.count()).select_from(PageRow).where(PageRow.run_id == run_id)) or 0
            errors = (
                s.scalar(
                    select(func.count())
                    .select_from(PageRow)
                    .where(PageRow.run_id == run_id, PageRow.error.is_not(None))
                )
                or 0
            )
            queued = (
                s.scalar(
                    select(func.count())
                    .select_from(QueueEntry)
                    .where(QueueEntry.run_id == run_id, QueueEntry.state == "queued")
                )
                or 0
            )
        return pages, errors, queued

    def summary(self, run_id: int, *, detail: bool = True) -> RunSummary:
        run = self.run(run_id)
        pages, errors, queued = self.counts(run_id)
        with self._session() as s:
            violations = (
                s.scalar(
                    select(func.count())
                    .select_from(FindingRow)
                    .where(FindingRow.run_id == run_id, FindingRow.outcome == "violation")
                )
                or 0
            )
            summary = RunSummary(
                id=run.id,
                status=run.status,
                started_at=run.started_at,
                finished_at=run.finished_at,
                seeds=list(run.seeds),
                ddkit_version=run.ddkit_version,
                axe_version=run.axe_version,
                pages=pages,
                errors=errors,
                queued=queued,
                violations=violations,
            )
            if not detail:
                return summary
            summary.config = dict(run.config)
            summary.skipped = self.skipped(run_id)
            summary.error_kinds = {
                k: n
                for k, n in s.execute(
                    select(PageRow.error_kind, func.count())
                    .where(PageRow.run_id == run_id, PageRow.error.is_not(None))
                    .group_by(PageRow.error_kind)
                ).all()
            }
            notes = s.execute(
                select(RunError).where(RunError.run_id == run_id).order_by(RunError.id)
            ).scalars()
            for e in notes:
                entry = {"source": e.source, "kind": e.kind, "message": e.message}
                if e.kind == "mobile_site":
                    summary.mobile_sites.append({"host": e.source, "message": e.message})
                else:
                    summary.run_errors.append(entry)
            summary.devices = {
                d or "desktop": n
                for d, n in s.execute(
                    select(PageRow.device, func.count())
                    .where(PageRow.run_id == run_id)
                    .group_by(PageRow.device)
                    .order_by(PageRow.device)
                ).all()
            }
            summary.top_rules = [
                {"rule_id": r, "impact": imp, "elements": n, "pages": p}
                for r, imp, n, p in s.execute(
                    select(
                        FindingRow.rule_id,
                        func.max(FindingRow.impact),
                        func.count(),
                        func.count(func.distinct(FindingRow.page_id)),
                    )
                    .where(FindingRow.run_id == run_id, FindingRow.outcome == "violation")
                    .group_by(FindingRow.rule_id)
                    .order_by(func.count(func.distinct(FindingRow.page_id)).desc(), FindingRow.rule_id)
                ).all()
            ]
            fails: dict[str, int] = {}
            signatures = set()
            for status, sig in s.execute(
                select(PageRow.item_status, PageRow.template_signature).where(PageRow.run_id == run_id)
            ).all():
                for item, state in (status or {}).items():
                    if state == "fail":
                        fails[item] = fails.get(item, 0) + 1
                if sig:
                    signatures.add(sig)
            summary.item_fail_pages = dict(
                sorted(fails.items(), key=lambda kv: [int(x) for x in kv[0].split(".")])
            )
            summary.templates = len(signatures)
        return summary


def _finding_values(f: Finding, run_id: int, page_id: int) -> dict[str, Any]:
    return {
        "page_id": page_id,
        "run_id": run_id,
        "rule_id": f.rule_id,
        "source": f.source,
        "outcome": f.outcome,
        "impact": f.impact,
        "kwcag": list(f.kwcag),
        "wcag": list(f.wcag),
        "selector": f.selector,
        "snippet": f.snippet,
        "message_en": f.message_en or "",
        "message_ko": f.message_ko or "",
        "help_url": f.help_url,
        "data": dict(f.data or {}),
    }


def _finding(r: FindingRow) -> Finding:
    return Finding(
        rule_id=r.rule_id,
        source=r.source,  # type: ignore[arg-type]
        outcome=r.outcome,  # type: ignore[arg-type]
        impact=r.impact,
        kwcag=list(r.kwcag or []),
        wcag=list(r.wcag or []),
        selector=r.selector,
        snippet=r.snippet,
        message_en=r.message_en,
        message_ko=r.message_ko,
        help_url=r.help_url,
        data=dict(r.data or {}),
    )


def _clip(value: str | None, n: int) -> str | None:
    return value[:n] if value else value


def _safe(url: str) -> str:
    """The database URL without a password."""
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - only for a message
        return "(database)"


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else ""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (killed, not yet reaped by its parent) is not running.
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(") ", 1)[1][:1] != "Z"
    except OSError:
        return True
