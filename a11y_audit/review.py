"""The expert review round-trip: export a KWCAG checklist workbook, import the reviewer's verdicts.

The workbook has an ``about`` sheet, a ``pages`` index, one sheet per audited page (``P01`` …) with the
33 items, the machine outcome and its evidence, and empty verdict / note cells (a drop-down on every
verdict cell), and an ``evidence`` sheet with every violation and needs-review finding, with a screenshot
of the element beside the finding the audit cropped (at most one per page and item, ``audit site --crops``).
Importing validates every cell first; on any error nothing is stored. Importing the same file twice
changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass, replace
from pathlib import Path
from zipfile import BadZipFile

from openpyxl import Workbook, load_workbook
from openpyxl.drawing.image import Image as SheetImage
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from a11y_audit.errors import AuditError
from a11y_audit.models import PageResult
from a11y_audit.rules import load_registry
from a11y_audit.rules.registry import normalise_item_id
from a11y_audit.store import AuditStore, Base

#: Accepted spellings of a verdict (Korean reviewers often write 적합 / 부적합 / 해당없음).
VERDICT_WORDS = {
    "pass": "pass",
    "fail": "fail",
    "n/a": "n/a",
    "na": "n/a",
    "적합": "pass",
    "부적합": "fail",
    "해당없음": "n/a",
    "해당 없음": "n/a",
}
HEADER = ["item", "name_ko", "name_en", "automation", "machine", "evidence", "verdict", "note"]
VERDICT_COL, NOTE_COL = 7, 8  # G, H
FIRST_ROW = 5  # rows 1-3: page URL, title, reviewer; row 4: header
MAX_EVIDENCE = 5
SCREENSHOT_COL = "K"  # on the evidence sheet
#: Excel row heights are in points; images are placed in pixels (96 dpi: 0.75 pt per pixel).
POINTS_PER_PIXEL = 0.75


class ReviewVerdict(Base):
    __tablename__ = "audit_review_verdicts"
    __table_args__ = (
        UniqueConstraint("run_id", "page_url_hash", "item", name="uq_audit_review_verdicts_page_item"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_runs.id", ondelete="CASCADE"))
    page_url: Mapped[str] = mapped_column(Text)
    page_url_hash: Mapped[str] = mapped_column(String(64))
    item: Mapped[str] = mapped_column(String(8))
    verdict: Mapped[str] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    reviewer: Mapped[str] = mapped_column(String(255))
    source_file: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Verdict:
    page_url: str
    item: str
    verdict: str
    note: str | None
    reviewer: str


@dataclass
class ImportSummary:
    file: str
    sha256: str
    verdicts: int  # verdict cells read
    added: int
    changed: int
    unchanged: int


def _url_hash(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()


def _page_url(page: PageResult) -> str:
    return page.url


def _one_per_url(pages: list[PageResult]) -> tuple[list[PageResult], dict[int, str]]:
    """One result per URL, for a run audited on several devices (``audit site --device both``).

    Expert verdicts are recorded per URL and apply to every device of it, so the checklist has one
    sheet per URL: the findings of all its devices and, per item, the worst status of any device.
    Returns the pages and the device of every finding that is not the desktop's (by ``id``)."""
    from a11y_audit.page_summary import STATUS_ORDER

    by_url: dict[str, list[PageResult]] = {}
    for p in pages:
        by_url.setdefault(p.url, []).append(p)
    out: list[PageResult] = []
    device_of: dict[int, str] = {}
    for group in by_url.values():
        audited = [p for p in group if not p.error]
        if len(group) == 1 or len(audited) < 1:
            out.append(group[0])
            continue
        statuses: dict[str, str] = {}
        findings = []
        for p in audited:
            for item, status in p.item_status.items():
                known = statuses.get(item, status)
                statuses[item] = min(known, status, key=STATUS_ORDER.index)
            for f in p.findings:
                findings.append(f)
                if p.device != "desktop":
                    device_of[id(f)] = p.device
        out.append(replace(audited[0], findings=findings, item_status=statuses))
    return out, device_of


def export_checklist(store: AuditStore, run_id: int, out: Path) -> Path:
    """Write the checklist workbook for the run's audited pages (pages that failed to load are listed only)."""
    registry = load_registry()
    run = store.run(run_id)
    pages, device_of = _one_per_url(store.page_results(run_id))
    existing = verdicts_for_run(store, run_id)
    crops = store.crops(run_id)
    devices = ["desktop", *sorted({d for _, d, _ in crops} - {"desktop"})]
    wb = Workbook()
    about = wb.active
    about.title = "about"
    about.append(["ddkit expert review checklist / 전문가 심사 체크리스트"])
    about["A1"].font = Font(bold=True, size=14)
    for row in (
        ["run", run_id],
        ["seeds", ", ".join(run.seeds)],
        ["ddkit", run.ddkit_version],
        ["axe-core", run.axe_version or ""],
        ["registry", registry.version],
        [],
        [
            "How to fill in",
            "On each page sheet (P01 …) write a verdict in column G for the items you decided: "
            "pass, fail or n/a (적합, 부적합, 해당없음 are accepted), an optional note in column H, and your name in "
            "cell B3. Leave a verdict empty to keep the machine outcome. Then: ddkit audit review RUN --import FILE",
        ],
        [
            "작성 방법",
            "각 페이지 시트(P01 …)의 G열에 판정(pass / fail / n/a 또는 적합 / 부적합 / 해당없음)을, H열에 "
            "의견을, B3 셀에 심사자 이름을 적은 뒤 ddkit audit review RUN --import FILE 로 가져옵니다.",
        ],
        [
            "Screenshots / 화면",
            "Sheet 'evidence', column K: the element of the first finding of each item on each page, as the "
            "audit saw it. 'evidence' 시트 K열: 페이지별·항목별 첫 지적 요소의 화면입니다.",
        ],
    ):
        about.append(row)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 110
    index = wb.create_sheet("pages")
    index.append(["sheet", "url", "title", "status", "error"])
    evidence = wb.create_sheet("evidence")
    evidence.append(
        [
            "sheet",
            "url",
            "item",
            "rule_id",
            "outcome",
            "impact",
            "selector",
            "snippet",
            "message_ko",
            "message_en",
            "screenshot",
        ]
    )
    validation_cells: list[str] = []
    audited = [p for p in pages if not p.error]
    for n, page in enumerate(audited, start=1):
        name = f"P{n:02d}"
        url = _page_url(page)
        index.append([name, url, page.title or "", page.status or "", ""])
        ws = wb.create_sheet(name)
        ws.append(["page", url])
        ws.append(["title", page.title or ""])
        ws.append(["reviewer", next((v.reviewer for (u, _), v in existing.items() if u == url), "")])
        ws.append(HEADER)
        for cell in ws[4]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDEBF7")
        for it in registry.items:
            findings = [
                f for f in page.findings if it.id in f.kwcag and f.outcome in ("violation", "incomplete")
            ]
            # One crop per item on the sheet: the desktop's, else another device's (a run on both
            # devices merges them into one sheet), beside that device's own finding.
            crop_device, crop = next(
                ((d, crops[(url, d, it.id)]) for d in devices if (url, d, it.id) in crops), (None, None)
            )
            shot = next(  # the finding whose element the crop shows
                (
                    i
                    for i, f in enumerate(findings)
                    if crop is not None
                    and (f.rule_id, f.selector) == (crop.rule_id, crop.selector)
                    and device_of.get(id(f), "desktop") == crop_device
                ),
                None,
            )
            shot_row = None if shot is None else evidence.max_row + 1 + shot
            lines = [
                f"{_on(f, device_of)}[{f.outcome}] {f.rule_id} {f.selector or ''}".strip()
                for f in findings[:MAX_EVIDENCE]
            ]
            if shot is not None and shot < MAX_EVIDENCE:
                lines[shot] += f" (screenshot: evidence!{SCREENSHOT_COL}{shot_row})"
            if len(findings) > MAX_EVIDENCE:
                lines.append(f"… +{len(findings) - MAX_EVIDENCE} (sheet 'evidence')")
            previous = existing.get((url, it.id))
            ws.append(
                [
                    it.id,
                    it.name_ko,
                    it.name_en,
                    it.automation,
                    page.item_status.get(it.id, "manual"),
                    "\n".join(lines),
                    previous.verdict if previous else None,
                    previous.note if previous else None,
                ]
            )
            for f in findings:
                evidence.append(
                    [
                        name,
                        url + (f" [{device_of[id(f)]}]" if id(f) in device_of else ""),
                        it.id,
                        f.rule_id,
                        f.outcome,
                        f.impact or "",
                        f.selector or "",
                        (f.snippet or "")[:500],
                        f.message_ko,
                        f.message_en,
                    ]
                )
            if shot_row is not None:
                _place_screenshot(evidence, shot_row, crop.image)
        last = FIRST_ROW + len(registry.items) - 1
        validation_cells.append(f"'{name}'!G{FIRST_ROW}:G{last}")
        dv = DataValidation(
            type="list",
            formula1='"pass,fail,n/a,적합,부적합,해당없음"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="verdict",
            error="pass, fail or n/a",
        )
        ws.add_data_validation(dv)
        dv.add(f"G{FIRST_ROW}:G{last}")
        for col, width in zip("ABCDEFGH", (7, 24, 30, 10, 12, 60, 10, 40), strict=True):
            ws.column_dimensions[col].width = width
        for row in ws.iter_rows(min_row=FIRST_ROW, max_row=last, min_col=6, max_col=6):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "A5"
    evidence.column_dimensions[SCREENSHOT_COL].width = 48  # about 340 px: the widest crop is 320
    for page in pages:
        if page.error:
            index.append(["", _page_url(page), page.title or "", page.status or "", page.error])
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    wb.save(tmp)
    tmp.replace(out)
    return out


def _on(f: object, device_of: dict[int, str]) -> str:
    return f"[{device_of[id(f)]}] " if id(f) in device_of else ""


def _place_screenshot(ws, row: int, jpeg: bytes) -> None:
    """Anchor the crop in the screenshot column of ``row`` and make the row tall enough for it."""
    image = SheetImage(io.BytesIO(jpeg))
    ws.add_image(image, f"{SCREENSHOT_COL}{row}")
    height = image.height * POINTS_PER_PIXEL + 4
    current = ws.row_dimensions[row].height or 15
    ws.row_dimensions[row].height = max(current, height)
    for cell in ws[row]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _read_verdicts(path: Path, pages: set[str]) -> list[Verdict]:
    registry = load_registry()
    known_items = {it.id for it in registry.items}
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise AuditError(
            f"{path}: not a readable .xlsx workbook ({exc}).",
            hint="Export a checklist with 'ddkit audit review RUN --export FILE.xlsx' and fill it in.",
        ) from exc
    problems: list[str] = []
    verdicts: list[Verdict] = []
    seen: set[tuple[str, str]] = set()
    sheets = [ws for ws in wb.worksheets if ws.title not in ("about", "pages", "evidence")]
    if not sheets:
        problems.append(f"{path}: no page sheets (P01 …) found")
    for ws in sheets:
        rows = list(ws.iter_rows(values_only=True))
        url = str(rows[0][1]).strip() if rows and len(rows[0]) > 1 and rows[0][1] else ""
        reviewer = str(rows[2][1]).strip() if len(rows) > 2 and len(rows[2]) > 1 and rows[2][1] else ""
        if url not in pages:
            problems.append(f"sheet '{ws.title}' cell B1: page {url!r} is not a page of this run")
            continue
        filled = 0
        for r, row in enumerate(rows[FIRST_ROW - 1 :], start=FIRST_ROW):
            cells = list(row) + [None] * (NOTE_COL - len(row))
            raw_item, raw_verdict, note = cells[0], cells[VERDICT_COL - 1], cells[NOTE_COL - 1]
            if raw_item is None and raw_verdict is None:
                continue
            item = normalise_item_id(str(raw_item or "").strip())
            if item not in known_items:
                problems.append(f"sheet '{ws.title}' cell A{r}: unknown KWCAG item {raw_item!r}")
                continue
            if raw_verdict is None or str(raw_verdict).strip() == "":
                continue
            verdict = VERDICT_WORDS.get(str(raw_verdict).strip().lower())
            if verdict is None:
                problems.append(
                    f"sheet '{ws.title}' cell G{r}: verdict {raw_verdict!r} is not pass, fail or n/a"
                )
                continue
            if (url, item) in seen:
                problems.append(f"sheet '{ws.title}' cell A{r}: item {item} of page {url} appears twice")
                continue
            seen.add((url, item))
            filled += 1
            verdicts.append(Verdict(url, item, verdict, str(note).strip() if note else None, reviewer))
        if filled and not reviewer:
            problems.append(f"sheet '{ws.title}' cell B3: verdicts without a reviewer name")
    wb.close()
    if problems:
        shown = "\n  ".join(problems[:30])
        more = f"\n  … and {len(problems) - 30} more" if len(problems) > 30 else ""
        raise AuditError(
            f"{path}: {len(problems)} problem(s); nothing was imported:\n  {shown}{more}",
            hint="Correct the cells named above and import the file again.",
        )
    return verdicts


def import_verdicts(store: AuditStore, run_id: int, path: Path) -> ImportSummary:
    """Validate the whole workbook, then store its verdicts in one transaction (idempotent)."""
    store.run(run_id)  # raises for an unknown run
    if not path.is_file():
        raise AuditError(f"{path}: no such file.", hint="Give the path of the filled-in checklist workbook.")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    pages = {_page_url(p) for p in store.page_results(run_id) if not p.error}
    verdicts = _read_verdicts(path, pages)
    added = changed = unchanged = 0
    now = dt.datetime.now(dt.UTC)
    with Session(store.engine) as s, s.begin():
        current = {
            (v.page_url, v.item): v
            for v in s.scalars(select(ReviewVerdict).where(ReviewVerdict.run_id == run_id))
        }
        for v in verdicts:
            row = current.get((v.page_url, v.item))
            if row is None:
                s.add(
                    ReviewVerdict(
                        run_id=run_id,
                        page_url=v.page_url,
                        page_url_hash=_url_hash(v.page_url),
                        item=v.item,
                        verdict=v.verdict,
                        note=v.note,
                        reviewer=v.reviewer,
                        source_file=str(path),
                        source_sha256=digest,
                        recorded_at=now,
                    )
                )
                added += 1
            elif (row.verdict, row.note, row.reviewer) != (v.verdict, v.note, v.reviewer):
                row.verdict, row.note, row.reviewer = v.verdict, v.note, v.reviewer
                row.source_file, row.source_sha256, row.recorded_at = str(path), digest, now
                changed += 1
            else:
                unchanged += 1
    return ImportSummary(
        file=str(path),
        sha256=digest,
        verdicts=len(verdicts),
        added=added,
        changed=changed,
        unchanged=unchanged,
    )


def verdicts_for_run(store: AuditStore, run_id: int) -> dict[tuple[str, str], ReviewVerdict]:
    with Session(store.engine) as s:
        rows = s.scalars(select(ReviewVerdict).where(ReviewVerdict.run_id == run_id)).all()
        s.expunge_all()
    return {(r.page_url, r.item): r for r in rows}
