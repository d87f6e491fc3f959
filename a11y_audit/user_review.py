"""The user review (사용자 심사): tasks for testers with disabilities, their results, the combined view.

- Tasks come from the run's audited pages: every page gets the templates (``user-review-*.yaml``)
  whose conditions its own content meets — a form, a table, media, a board, a login … — each with a
  goal and the KWCAG items it exercises. Task ids are stable: ``P03-form`` is the form task of the
  third audited page (the same ``P03`` as the expert checklist).
- The workbook has ``about``, ``tasks``, a hidden ``lists`` sheet feeding the drop-downs, and one sheet
  per tester profile (blind, low vision, physical, hearing, cognitive); a second tester of a profile
  copies the sheet and writes another pseudonym in B2.
- Importing validates every cell first; on any error nothing is stored. Importing the same file twice
  changes nothing.
- Results: task success overall and per profile, satisfaction (mean, SD, n) per profile, the barriers
  users linked to KWCAG items beside the machine outcome and the expert verdict for the same page and
  item, and the cases where users failed on an item the machine passed.
- The combined view states the expert-stage estimate and the user-stage verdict side by side; it never
  folds them into one number.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import JSON, DateTime, Float, ForeignKey, Integer, String, Text, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from a11y_audit.errors import AuditError
from a11y_audit.models import PageResult
from a11y_audit.review import verdicts_for_run
from a11y_audit.rules import load_registry
from a11y_audit.rules.registry import normalise_item_id
from a11y_audit.scoring.runs import score_run
from a11y_audit.store import AuditStore, Base

DEFAULT_CONFIG = "user-review-2024.yaml"
SUCCESS_VALUES = ("yes", "partial", "no")
HEADER = [
    "task",
    "page",
    "goal",
    "items",
    "success",
    "minutes",
    "assistive_technology",
    "satisfaction",
    "barrier_items",
    "barrier_note",
]
# Columns (1-based) of the profile sheets.
COL_TASK, COL_SUCCESS, COL_MINUTES, COL_AT, COL_SAT, COL_ITEMS, COL_NOTE = 1, 5, 6, 7, 8, 9, 10
FIRST_ROW = 5  # rows 1-3: profile, tester, how to fill in; row 4: header
FIXED_SHEETS = ("about", "tasks", "lists")
#: Machine statuses under which a user failure is something automation missed.
MACHINE_MISSED = ("pass", "inapplicable")
_ITEM_SPLIT = re.compile(r"[\s,;/]+")
_MMSS = re.compile(r"^(\d+):([0-5]\d)$")


# -- configuration (versioned data) ----------------------------------------------------------------------
@dataclass(frozen=True)
class AssistiveTech:
    id: str
    label: str
    en: str


@dataclass(frozen=True)
class Profile:
    id: str
    name_ko: str
    name_en: str
    required: bool
    assistive_technology: tuple[str, ...]


@dataclass(frozen=True)
class TaskTemplate:
    id: str
    items: tuple[str, ...]
    goal_ko: str
    goal_en: str
    always: bool = False
    when_items: tuple[str, ...] = ()
    when_rules: tuple[str, ...] = ()
    url: str | None = None
    title: str | None = None
    snippet: str | None = None
    min_elements: int = 1
    unless: tuple[str, ...] = ()
    profiles: tuple[str, ...] = ()  # empty: every profile


@dataclass(frozen=True)
class UserReviewConfig:
    id: str
    title_en: str
    title_ko: str
    source: str
    success_bar: float
    partial_credit: float
    success_words: dict[str, str]  # spelling (lower case) -> yes / partial / no
    satisfaction_min: int
    satisfaction_max: int
    satisfaction_labels_ko: tuple[str, ...]
    satisfaction_labels_en: tuple[str, ...]
    max_minutes: float
    site_frame_share: float
    assistive_technology: tuple[AssistiveTech, ...]
    profiles: tuple[Profile, ...]
    templates: tuple[TaskTemplate, ...]

    def profile(self, profile_id: str) -> Profile | None:
        return next((p for p in self.profiles if p.id == profile_id), None)

    def find_profile(self, text: str) -> Profile | None:
        """A profile by its id, Korean or English name (any case)."""
        key = text.strip().lower()
        return next(
            (p for p in self.profiles if key in (p.id.lower(), p.name_ko.lower(), p.name_en.lower())), None
        )

    def assistive(self, at_id: str) -> AssistiveTech:
        return next(a for a in self.assistive_technology if a.id == at_id)


def _config_error(source: str, message: str) -> AuditError:
    return AuditError(
        f"User-review configuration {source}: {message}",
        hint="See docs/explanation/user-evaluation.md for the fields of the file.",
    )


def _regex(source: str, where: str, value: Any) -> str | None:
    if value is None:
        return None
    try:
        re.compile(str(value))
    except re.error as exc:
        raise _config_error(source, f"{where}: invalid regular expression ({exc})") from None
    return str(value)


@cache
def load_user_review_config(path: str | None = None) -> UserReviewConfig:
    """The bundled configuration, or another YAML file of the same shape (validated)."""
    if path:
        try:
            text, source = Path(path).read_text(encoding="utf-8"), path
        except OSError as exc:
            raise AuditError(
                f"{path}: cannot read ({exc.strerror}).", hint="Give a readable YAML file."
            ) from exc
    else:
        text = resources.files("a11y_audit.scoring").joinpath(DEFAULT_CONFIG).read_text(encoding="utf-8")
        source = DEFAULT_CONFIG
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise _config_error(source, f"not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise _config_error(source, "expected a mapping at the top level")
    for key in ("id", "success_bar", "success_words", "satisfaction", "profiles", "templates"):
        if key not in data:
            raise _config_error(source, f"missing field {key!r}")
    bar = float(data["success_bar"])
    if not 0 < bar <= 100:
        raise _config_error(source, f"success_bar {bar:g} must be above 0 and at most 100")
    partial = float(data.get("partial_credit", 0))
    if not 0 <= partial <= 1:
        raise _config_error(source, f"partial_credit {partial:g} must be between 0 and 1")
    words: dict[str, str] = {}
    for value, spellings in (data["success_words"] or {}).items():
        value = str(value).lower()
        if value not in SUCCESS_VALUES:
            raise _config_error(source, f"success_words: {value!r} is not one of yes, partial, no")
        for s in [value, *(spellings or [])]:
            words[str(s).strip().lower()] = value
    if set(words.values()) != set(SUCCESS_VALUES):
        raise _config_error(source, "success_words must give spellings for yes, partial and no")
    sat = data["satisfaction"] or {}
    lo, hi = int(sat.get("min", 1)), int(sat.get("max", 5))
    if lo >= hi:
        raise _config_error(source, "satisfaction: min must be below max")
    ats = tuple(
        AssistiveTech(str(a["id"]), str(a["label"]), str(a.get("en", a["label"])))
        for a in data.get("assistive_technology") or []
    )
    at_ids = {a.id for a in ats}
    if "other" not in at_ids:
        raise _config_error(source, "assistive_technology must include an entry with id 'other'")
    profiles = []
    for n, raw in enumerate(data["profiles"] or [], start=1):
        pid = str(raw.get("id", ""))
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,30}", pid):
            raise _config_error(source, f"profile #{n}: id {pid!r} must be lower-case letters, digits, '-'")
        unknown = set(raw.get("assistive_technology") or []) - at_ids
        if unknown:
            raise _config_error(source, f"profile {pid}: unknown assistive technology {sorted(unknown)}")
        profiles.append(
            Profile(
                id=pid,
                name_ko=str(raw.get("name_ko", pid)),
                name_en=str(raw.get("name_en", pid)),
                required=bool(raw.get("required", False)),
                assistive_technology=tuple(raw.get("assistive_technology") or sorted(at_ids)),
            )
        )
    if len({p.id for p in profiles}) != len(profiles) or not profiles:
        raise _config_error(source, "profiles must be a non-empty list with distinct ids")
    registry_ids = {it.id for it in load_registry().items}
    profile_ids = {p.id for p in profiles}
    templates = []
    for n, raw in enumerate(data["templates"] or [], start=1):
        tid = str(raw.get("id", ""))
        where = f"template #{n} ({tid})"
        if not re.fullmatch(r"[a-z][a-z0-9-]{0,23}", tid):
            raise _config_error(source, f"{where}: id must be lower-case letters, digits, '-'")
        when = raw.get("when") or {}
        items = tuple(str(i) for i in raw.get("items") or [])
        when_items = tuple(str(i) for i in when.get("items") or [])
        unknown = (set(items) | set(when_items)) - registry_ids
        if unknown:
            raise _config_error(source, f"{where}: unknown KWCAG items {sorted(unknown)}")
        if not items:
            raise _config_error(source, f"{where}: list the KWCAG items the task exercises")
        if not raw.get("goal_ko") or not raw.get("goal_en"):
            raise _config_error(source, f"{where}: goal_ko and goal_en are required")
        unknown_profiles = set(raw.get("profiles") or []) - profile_ids
        if unknown_profiles:
            raise _config_error(source, f"{where}: unknown profiles {sorted(unknown_profiles)}")
        tpl = TaskTemplate(
            id=tid,
            items=items,
            goal_ko=str(raw["goal_ko"]),
            goal_en=str(raw["goal_en"]),
            always=bool(when.get("always", False)),
            when_items=when_items,
            when_rules=tuple(str(r) for r in when.get("rules") or []),
            url=_regex(source, where, when.get("url")),
            title=_regex(source, where, when.get("title")),
            snippet=_regex(source, where, when.get("snippet")),
            min_elements=int(when.get("min_elements", 1)),
            unless=tuple(str(u) for u in raw.get("unless") or []),
            profiles=tuple(str(p) for p in raw.get("profiles") or []),
        )
        if not (tpl.always or tpl.when_items or tpl.when_rules or tpl.url or tpl.title or tpl.snippet):
            raise _config_error(source, f"{where}: 'when' has no condition")
        templates.append(tpl)
    if len({t.id for t in templates}) != len(templates) or not templates:
        raise _config_error(source, "templates must be a non-empty list with distinct ids")
    return UserReviewConfig(
        id=str(data["id"]),
        title_en=str(data.get("title_en", "")),
        title_ko=str(data.get("title_ko", "")),
        source=source,
        success_bar=bar,
        partial_credit=partial,
        success_words=words,
        satisfaction_min=lo,
        satisfaction_max=hi,
        satisfaction_labels_ko=tuple(sat.get("labels_ko") or ()),
        satisfaction_labels_en=tuple(sat.get("labels_en") or ()),
        max_minutes=float(data.get("max_minutes", 240)),
        site_frame_share=float(data.get("site_frame_share", 0.6)),
        assistive_technology=ats,
        profiles=tuple(profiles),
        templates=tuple(templates),
    )


# -- storage ---------------------------------------------------------------------------------------------
class UserResult(Base):
    """One tester's attempt at one task. The task's page, template and items are kept with it, so a
    result stays readable when the templates change later."""

    __tablename__ = "audit_user_results"
    __table_args__ = (
        UniqueConstraint("run_id", "task_id", "profile", "tester", name="uq_audit_user_results_attempt"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("audit_runs.id", ondelete="CASCADE"))
    task_id: Mapped[str] = mapped_column(String(64))
    template: Mapped[str] = mapped_column(String(32))
    page_url: Mapped[str] = mapped_column(Text)
    task_items: Mapped[list] = mapped_column(JSON)
    profile: Mapped[str] = mapped_column(String(32))
    tester: Mapped[str] = mapped_column(String(255))
    success: Mapped[str] = mapped_column(String(8))
    minutes: Mapped[float | None] = mapped_column(Float, nullable=True)
    assistive_tech: Mapped[str | None] = mapped_column(String(255), nullable=True)
    satisfaction: Mapped[int | None] = mapped_column(Integer, nullable=True)
    barrier_items: Mapped[list] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    config_id: Mapped[str] = mapped_column(String(64))
    source_file: Mapped[str | None] = mapped_column(Text, nullable=True)
    source_sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# -- tasks -----------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Task:
    id: str  # P03-form
    page_sheet: str  # P03 (the expert checklist's sheet of the same page)
    page_url: str
    page_title: str
    template: str
    goal_ko: str
    goal_en: str
    items: tuple[str, ...]
    profiles: tuple[str, ...]


def _tested(page: PageResult) -> list:
    return [f for f in page.findings if f.outcome in ("violation", "pass", "incomplete")]


def _frame_keys(pages: list[PageResult], share: float) -> set[tuple[str, str | None]]:
    """(rule, selector) pairs tested on most pages: the site's frame (header, menu, footer)."""
    if len(pages) < 3:
        return set()
    counts: dict[tuple[str, str | None], int] = {}
    for p in pages:
        for key in {(f.rule_id, f.selector) for f in _tested(p)}:
            counts[key] = counts.get(key, 0) + 1
    floor = max(3, math.ceil(share * len(pages)))
    return {k for k, n in counts.items() if n >= floor}


def _applies(tpl: TaskTemplate, page: PageResult, findings: list) -> bool:
    if tpl.always:
        return True
    path = re.sub(r"^[a-z]+://[^/]+", "", page.final_url or page.url, flags=re.I)
    if tpl.url and re.search(tpl.url, path, re.I):
        return True
    if tpl.title and page.title and re.search(tpl.title, page.title, re.I):
        return True
    if tpl.snippet and any(f.snippet and re.search(tpl.snippet, f.snippet, re.I) for f in findings):
        return True
    if tpl.when_items or tpl.when_rules:
        elements = {
            f.selector or f"(page) {f.rule_id}"
            for f in findings
            if f.rule_id in tpl.when_rules or set(f.kwcag) & set(tpl.when_items)
        }
        if len(elements) >= tpl.min_elements:
            return True
    return False


def _home_index(pages: list[PageResult], seeds: list[str]) -> int:
    first_seed = seeds[0] if seeds else None
    for n, p in enumerate(pages):
        if first_seed and first_seed in (p.url, p.final_url):
            return n
    return 0


def generate_tasks(
    pages: list[PageResult], config: UserReviewConfig | None = None, seeds: list[str] | None = None
) -> list[Task]:
    """The tasks of the audited pages (pages with a load error get none), page by page, in template order."""
    config = config or load_user_review_config()
    audited = [p for p in pages if not p.error]
    frame = _frame_keys(audited, config.site_frame_share)
    home = _home_index(audited, seeds or [])
    all_profiles = tuple(p.id for p in config.profiles)
    tasks: list[Task] = []
    for n, page in enumerate(audited, start=1):
        findings = _tested(page)
        if n - 1 != home:
            findings = [f for f in findings if (f.rule_id, f.selector) not in frame]
        applied: list[str] = []
        for tpl in config.templates:
            if set(tpl.unless) & set(applied) or not _applies(tpl, page, findings):
                continue
            applied.append(tpl.id)
            tasks.append(
                Task(
                    id=f"P{n:02d}-{tpl.id}",
                    page_sheet=f"P{n:02d}",
                    page_url=page.url,
                    page_title=page.title or "",
                    template=tpl.id,
                    goal_ko=tpl.goal_ko,
                    goal_en=tpl.goal_en,
                    items=tpl.items,
                    profiles=tpl.profiles or all_profiles,
                )
            )
    return tasks


def tasks_for_run(store: AuditStore, run_id: int, config: UserReviewConfig | None = None) -> list[Task]:
    run = store.run(run_id)
    return generate_tasks(store.page_results(run_id), config, list(run.seeds))


# -- attempts --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Attempt:
    """One tester's result for one task (what the workbook row says, normalised)."""

    task_id: str
    template: str
    page_url: str
    task_items: tuple[str, ...]
    profile: str
    tester: str
    success: str  # yes / partial / no
    minutes: float | None
    assistive_tech: str | None  # an id of the configuration, or "other: …"
    satisfaction: int | None
    barrier_items: tuple[str, ...]
    note: str | None


def attempts_for_run(store: AuditStore, run_id: int) -> list[Attempt]:
    """The stored attempts of a run, in task, profile, tester order."""
    with Session(store.engine) as s:
        rows = s.scalars(
            select(UserResult)
            .where(UserResult.run_id == run_id)
            .order_by(UserResult.task_id, UserResult.profile, UserResult.tester)
        ).all()
        return [_attempt(r) for r in rows]


def _attempt(r: UserResult) -> Attempt:
    return Attempt(
        task_id=r.task_id,
        template=r.template,
        page_url=r.page_url,
        task_items=tuple(r.task_items or ()),
        profile=r.profile,
        tester=r.tester,
        success=r.success,
        minutes=r.minutes,
        assistive_tech=r.assistive_tech,
        satisfaction=r.satisfaction,
        barrier_items=tuple(r.barrier_items or ()),
        note=r.note,
    )


# -- export ----------------------------------------------------------------------------------------------
@dataclass
class ExportSummary:
    run: int
    file: str
    config: str
    tasks: int
    pages: int
    pages_without_tasks: int  # pages that failed to load (listed in the 'tasks' sheet)
    profile_sheets: list[str]
    prefilled: int  # stored attempts written back into the workbook


def _sheet_title(profile_id: str, n: int) -> str:
    return profile_id if n == 1 else f"{profile_id} ({n})"


def _at_label(config: UserReviewConfig, value: str | None) -> str | None:
    if not value:
        return None
    if value.startswith("other:"):
        return "기타:" + value[len("other:") :]
    try:
        return config.assistive(value).label
    except StopIteration:
        return value


def export_tasks(
    store: AuditStore, run_id: int, out: Path, config: UserReviewConfig | None = None
) -> ExportSummary:
    """Write the task workbook: the tasks of the run's audited pages, one sheet per tester profile."""
    config = config or load_user_review_config()
    registry = load_registry()
    run = store.run(run_id)
    pages = store.page_results(run_id)
    tasks = generate_tasks(pages, config, list(run.seeds))
    if not tasks:
        raise AuditError(
            f"Run {run_id} has no successfully audited page to make tasks from.",
            hint=f"See 'ddkit audit show {run_id}' for the page errors.",
        )
    stored = attempts_for_run(store, run_id)
    wb = Workbook()
    about = wb.active
    about.title = "about"
    about.append(["ddkit user review tasks / 장애인 사용자 심사 과업"])
    about["A1"].font = Font(bold=True, size=14)
    sat_labels = ", ".join(
        f"{config.satisfaction_min + i} {k} ({e})"
        for i, (k, e) in enumerate(
            zip(config.satisfaction_labels_ko, config.satisfaction_labels_en, strict=False)
        )
    )
    for row in (
        ["run", run_id],
        ["seeds", ", ".join(run.seeds)],
        ["ddkit", run.ddkit_version],
        ["configuration", f"{config.id} ({config.source})"],
        ["success bar", f"{config.success_bar:g} % of tasks (partial counts {config.partial_credit:g})"],
        ["satisfaction", f"{config.satisfaction_min}–{config.satisfaction_max}: {sat_labels}"],
        [],
        [
            "How to fill in",
            "One sheet per tester profile. Write the tester's pseudonym (e.g. U1; no names, no health "
            "details) in cell B2. For each task the tester carried out: success in column E (yes, partial, "
            "no), minutes taken in F, the assistive technology used in G, satisfaction 1–5 in H, the KWCAG "
            "items of any barrier in I (e.g. 1.1.1, 3.3.2) and what happened in J. Leave E empty for a task "
            "not carried out. A second tester of the same profile: copy the sheet and change B2. "
            "Then: ddkit audit tasks RUN --import FILE",
        ],
        [
            "작성 방법",
            "장애 유형별 시트에 평가자 가명(예: U1, 실명·건강 정보 금지)을 B2 셀에 적습니다. 수행한 과업마다 "
            "E열 성공 여부(yes / partial / no 또는 성공 / 부분성공 / 실패), F열 소요 시간(분), G열 사용한 "
            "보조기기, H열 만족도(1–5), I열 장벽이 있었던 KWCAG 항목(예: 1.1.1, 3.3.2), J열 장벽 내용을 "
            "적습니다. 수행하지 않은 과업은 E열을 비워 둡니다. 같은 유형의 두 번째 평가자는 시트를 복사해 "
            "B2를 바꿉니다. 그 뒤 ddkit audit tasks RUN --import FILE 로 가져옵니다.",
        ],
    ):
        about.append(row)
    about.column_dimensions["A"].width = 16
    about.column_dimensions["B"].width = 110
    for row in about.iter_rows(min_row=9, max_row=10, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")

    index = wb.create_sheet("tasks")
    index.append(
        ["task", "page", "url", "title", "template", "goal_ko", "goal_en", "items", "item_names", "profiles"]
    )
    for cell in index[1]:
        cell.font = Font(bold=True)
    for t in tasks:
        index.append(
            [
                t.id,
                t.page_sheet,
                t.page_url,
                t.page_title,
                t.template,
                t.goal_ko,
                t.goal_en,
                ", ".join(t.items),
                "; ".join(f"{i} {registry.item(i).name_ko}" for i in t.items),
                ", ".join(t.profiles),
            ]
        )
    failed = [p for p in pages if p.error]
    for p in failed:
        index.append(["", "", p.url, p.title or "", "", "(page failed to load: no task)", "", "", "", ""])

    lists = wb.create_sheet("lists")
    success_choices = ["yes", "partial", "no", "성공", "부분성공", "실패"]
    lists.cell(1, 1, "success")
    for r, word in enumerate(success_choices, start=2):
        lists.cell(r, 1, word)
    at_ranges: dict[str, str] = {}
    for c, profile in enumerate(config.profiles, start=2):
        lists.cell(1, c, profile.id)
        for r, at_id in enumerate(profile.assistive_technology, start=2):
            lists.cell(r, c, config.assistive(at_id).label)
        col = lists.cell(1, c).column_letter
        at_ranges[profile.id] = f"lists!${col}$2:${col}${1 + len(profile.assistive_technology)}"
    lists.sheet_state = "hidden"

    by_profile_tester: dict[str, dict[str, dict[str, Attempt]]] = {}
    for a in stored:
        by_profile_tester.setdefault(a.profile, {}).setdefault(a.tester, {})[a.task_id] = a
    sheets: list[str] = []
    prefilled = 0
    for profile in config.profiles:
        profile_tasks = [t for t in tasks if profile.id in t.profiles]
        testers = sorted(by_profile_tester.get(profile.id, {})) or [""]
        for n, tester in enumerate(testers, start=1):
            title = _sheet_title(profile.id, n)
            sheets.append(title)
            ws = wb.create_sheet(title)
            ws.append(["profile", profile.id, profile.name_ko, profile.name_en])
            ws.append(["tester", tester or None, "pseudonym only / 가명만"])
            ws.append(
                [
                    "fill in",
                    "E: yes / partial / no · F: minutes · G: assistive technology · H: satisfaction "
                    f"{config.satisfaction_min}–{config.satisfaction_max} · I: KWCAG items of barriers · "
                    "J: barrier note",
                ]
            )
            ws.append(HEADER)
            for cell in ws[4]:
                cell.font = Font(bold=True)
                cell.fill = PatternFill("solid", fgColor="DDEBF7")
            ws["A1"].font = ws["A2"].font = Font(bold=True)
            previous = by_profile_tester.get(profile.id, {}).get(tester, {})
            for t in profile_tasks:
                a = previous.get(t.id)
                if a:
                    prefilled += 1
                ws.append(
                    [
                        t.id,
                        t.page_url,
                        f"{t.goal_ko}\n{t.goal_en}",
                        ", ".join(t.items),
                        a.success if a else None,
                        a.minutes if a else None,
                        _at_label(config, a.assistive_tech) if a else None,
                        a.satisfaction if a else None,
                        ", ".join(a.barrier_items) if a and a.barrier_items else None,
                        a.note if a else None,
                    ]
                )
            last = FIRST_ROW + max(len(profile_tasks), 1) - 1
            validations = [
                DataValidation(
                    type="list",
                    formula1="lists!$A$2:$A$7",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="success",
                    error="yes, partial or no (성공, 부분성공, 실패)",
                    sqref=f"E{FIRST_ROW}:E{last}",
                ),
                DataValidation(
                    type="decimal",
                    operator="between",
                    formula1="0",
                    formula2=f"{config.max_minutes:g}",
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="minutes",
                    error=f"minutes between 0 and {config.max_minutes:g}",
                    sqref=f"F{FIRST_ROW}:F{last}",
                ),
                DataValidation(
                    type="list",
                    formula1=at_ranges[profile.id],
                    allow_blank=True,
                    showErrorMessage=True,
                    errorStyle="warning",  # "기타: …" may be typed in
                    errorTitle="assistive technology",
                    error="Choose from the list, or write 기타: … / other: …",
                    sqref=f"G{FIRST_ROW}:G{last}",
                ),
                DataValidation(
                    type="whole",
                    operator="between",
                    formula1=str(config.satisfaction_min),
                    formula2=str(config.satisfaction_max),
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="satisfaction",
                    error=f"a whole number from {config.satisfaction_min} to {config.satisfaction_max}",
                    sqref=f"H{FIRST_ROW}:H{last}",
                ),
            ]
            for dv in validations:
                ws.add_data_validation(dv)
            for col, width in zip("ABCDEFGHIJ", (14, 40, 60, 22, 10, 9, 18, 12, 16, 50), strict=True):
                ws.column_dimensions[col].width = width
            for row in ws.iter_rows(min_row=FIRST_ROW, max_row=last, min_col=3, max_col=3):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")
            ws.freeze_panes = "B5"
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".part")
    wb.save(tmp)
    tmp.replace(out)
    return ExportSummary(
        run=run_id,
        file=str(out),
        config=config.id,
        tasks=len(tasks),
        pages=len(pages) - len(failed),
        pages_without_tasks=len(failed),
        profile_sheets=sheets,
        prefilled=prefilled,
    )


# -- import ----------------------------------------------------------------------------------------------
@dataclass
class ImportSummary:
    file: str
    sha256: str
    attempts: int  # task rows with a result
    not_attempted: int  # task rows left empty (tasks not carried out), counted per sheet
    sheets: int
    added: int
    changed: int
    unchanged: int


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _CellError(ValueError):
    """A cell value that cannot be accepted; the message says why."""


def _minutes(value: Any, max_minutes: float) -> float | None:
    if value is None or _text(value) == "":
        return None
    if isinstance(value, dt.time):
        minutes = value.hour * 60 + value.minute + value.second / 60
    elif isinstance(value, dt.timedelta):
        minutes = value.total_seconds() / 60
    elif isinstance(value, bool):
        raise _CellError(f"time {value!r} is not a number of minutes")
    elif isinstance(value, int | float):
        minutes = float(value)
    else:
        text = _text(value).replace(",", ".")
        m = _MMSS.match(text)
        if m:
            minutes = int(m.group(1)) + int(m.group(2)) / 60
        else:
            try:
                minutes = float(text)
            except ValueError:
                raise _CellError(f"time {value!r} is not a number of minutes (e.g. 4.5 or 4:30)") from None
    if not math.isfinite(minutes) or minutes < 0 or minutes > max_minutes:
        raise _CellError(f"time {value!r} is outside 0–{max_minutes:g} minutes")
    return round(minutes, 4)


def _assistive(value: Any, config: UserReviewConfig) -> str | None:
    """The configured id, or "other: …" for a technology written as 기타: … / other: …"""
    text = _text(value)
    if not text:
        return None
    key = text.lower()
    for a in config.assistive_technology:
        if key in (a.id.lower(), a.label.lower(), a.en.lower()):
            return a.id
    m = re.match(r"^(기타|other)\s*[:：]\s*(.+)$", text, re.I)
    if m:
        return f"other: {m.group(2).strip()}"
    raise _CellError(f"assistive technology {text!r} is not in the list (or write '기타: …' / 'other: …')")


def _satisfaction(value: Any, config: UserReviewConfig) -> int | None:
    text = _text(value)
    if not text:
        return None
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not number.is_integer() or not config.satisfaction_min <= number <= config.satisfaction_max:
        raise _CellError(
            f"satisfaction {value!r} is not a whole number from {config.satisfaction_min} "
            f"to {config.satisfaction_max}"
        )
    return int(number)


def _barrier_items(value: Any, known: set[str]) -> tuple[str, ...]:
    text = _text(value)
    if not text:
        return ()
    items: list[str] = []
    for part in _ITEM_SPLIT.split(text):
        if not part:
            continue
        item = normalise_item_id(part)
        if item not in known:
            raise _CellError(f"unknown KWCAG item {part!r} in {text!r} (write items such as 1.1.1, 3.3.2)")
        if item not in items:
            items.append(item)
    return tuple(items)


def _read_attempts(
    path: Path, tasks: dict[str, Task], config: UserReviewConfig
) -> tuple[list[Attempt], int, int]:
    known_items = {it.id for it in load_registry().items}
    try:
        wb = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, OSError, KeyError, ValueError) as exc:
        raise AuditError(
            f"{path}: not a readable .xlsx workbook ({exc}).",
            hint="Export the task workbook with 'ddkit audit tasks RUN --export FILE.xlsx' and fill it in.",
        ) from exc
    problems: list[str] = []
    attempts: list[Attempt] = []
    seen: dict[tuple[str, str, str], str] = {}  # (profile, tester, task) -> where first seen
    not_attempted = 0
    sheets = [ws for ws in wb.worksheets if ws.title not in FIXED_SHEETS]
    if not sheets:
        problems.append(f"{path}: no profile sheets found")
    for ws in sheets:
        rows = list(ws.iter_rows(values_only=True))
        first = list(rows[0]) + [None, None] if rows else [None, None]
        raw_profile = _text(first[1])
        profile = config.find_profile(raw_profile) if raw_profile else None
        if profile is None:
            known = ", ".join(p.id for p in config.profiles)
            problems.append(f"sheet '{ws.title}' cell B1: unknown profile {raw_profile!r} (one of {known})")
            continue
        tester = _text(rows[1][1]) if len(rows) > 1 and len(rows[1]) > 1 else ""
        filled = 0
        for r, row in enumerate(rows[FIRST_ROW - 1 :], start=FIRST_ROW):
            cells = list(row) + [None] * (COL_NOTE - len(row))
            task_id = _text(cells[COL_TASK - 1])
            results = [cells[c - 1] for c in (COL_SUCCESS, COL_MINUTES, COL_AT, COL_SAT, COL_ITEMS, COL_NOTE)]
            has_result = any(_text(v) for v in results)
            if not task_id and not has_result:
                continue
            where = f"sheet '{ws.title}'"
            task = tasks.get(task_id)
            if task is None:
                problems.append(f"{where} cell A{r}: unknown task {task_id!r} (see the 'tasks' sheet)")
                continue
            if profile.id not in task.profiles:
                problems.append(f"{where} cell A{r}: task {task_id} is not a task for profile {profile.id}")
                continue
            raw_success = _text(cells[COL_SUCCESS - 1])
            if not raw_success:
                if has_result:
                    problems.append(
                        f"{where} cell E{r}: results without a success value (yes, partial or no)"
                    )
                else:
                    not_attempted += 1
                continue
            row_problems: list[str] = []
            success = config.success_words.get(raw_success.lower())
            if success is None:
                row_problems.append(f"cell E{r}: success {raw_success!r} is not yes, partial or no")
            parsed: dict[int, Any] = {}
            for col, parse in (
                (COL_MINUTES, lambda v: _minutes(v, config.max_minutes)),
                (COL_AT, lambda v: _assistive(v, config)),
                (COL_SAT, lambda v: _satisfaction(v, config)),
                (COL_ITEMS, lambda v: _barrier_items(v, known_items)),
            ):
                try:
                    parsed[col] = parse(cells[col - 1])
                except _CellError as exc:
                    row_problems.append(f"cell {'ABCDEFGHIJ'[col - 1]}{r}: {exc}")
            key = (profile.id, tester, task_id)
            if key in seen:
                row_problems.append(
                    f"cell A{r}: task {task_id} of tester {tester!r} ({profile.id}) already given in {seen[key]}"
                )
            if row_problems:
                problems.extend(f"{where} {p}" for p in row_problems)
                continue
            seen[key] = f"sheet '{ws.title}' row {r}"
            filled += 1
            note = _text(cells[COL_NOTE - 1]) or None
            attempts.append(
                Attempt(
                    task_id=task_id,
                    template=task.template,
                    page_url=task.page_url,
                    task_items=task.items,
                    profile=profile.id,
                    tester=tester,
                    success=success,  # type: ignore[arg-type]  # None only with a problem
                    minutes=parsed[COL_MINUTES],
                    assistive_tech=parsed[COL_AT],
                    satisfaction=parsed[COL_SAT],
                    barrier_items=parsed[COL_ITEMS],
                    note=note,
                )
            )
        if filled and not tester:
            problems.append(f"sheet '{ws.title}' cell B2: results without a tester pseudonym")
    wb.close()
    if problems:
        shown = "\n  ".join(problems[:30])
        more = f"\n  … and {len(problems) - 30} more" if len(problems) > 30 else ""
        raise AuditError(
            f"{path}: {len(problems)} problem(s); nothing was imported:\n  {shown}{more}",
            hint="Correct the cells named above and import the file again.",
        )
    return attempts, not_attempted, len(sheets)


def import_results(
    store: AuditStore, run_id: int, path: Path, config: UserReviewConfig | None = None
) -> ImportSummary:
    """Validate the whole workbook, then store its results in one transaction (idempotent)."""
    config = config or load_user_review_config()
    store.run(run_id)  # raises for an unknown run
    if not path.is_file():
        raise AuditError(f"{path}: no such file.", hint="Give the path of the filled-in task workbook.")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    tasks = {t.id: t for t in tasks_for_run(store, run_id, config)}
    attempts, not_attempted, n_sheets = _read_attempts(path, tasks, config)
    added = changed = unchanged = 0
    now = dt.datetime.now(dt.UTC)
    with Session(store.engine) as s, s.begin():
        current = {
            (r.task_id, r.profile, r.tester): r
            for r in s.scalars(select(UserResult).where(UserResult.run_id == run_id))
        }
        for a in attempts:
            row = current.get((a.task_id, a.profile, a.tester))
            values = dict(
                template=a.template,
                page_url=a.page_url,
                task_items=list(a.task_items),
                success=a.success,
                minutes=a.minutes,
                assistive_tech=a.assistive_tech,
                satisfaction=a.satisfaction,
                barrier_items=list(a.barrier_items),
                note=a.note,
            )
            if row is None:
                s.add(
                    UserResult(
                        run_id=run_id,
                        task_id=a.task_id,
                        profile=a.profile,
                        tester=a.tester,
                        config_id=config.id,
                        source_file=str(path),
                        source_sha256=digest,
                        recorded_at=now,
                        **values,
                    )
                )
                added += 1
            elif _attempt(row) != a:
                for k, v in values.items():
                    setattr(row, k, v)
                row.config_id, row.source_file, row.source_sha256, row.recorded_at = (
                    config.id,
                    str(path),
                    digest,
                    now,
                )
                changed += 1
            else:
                unchanged += 1
    return ImportSummary(
        file=str(path),
        sha256=digest,
        attempts=len(attempts),
        not_attempted=not_attempted,
        sheets=n_sheets,
        added=added,
        changed=changed,
        unchanged=unchanged,
    )


# -- results ---------------------------------------------------------------------------------------------
@dataclass
class GroupResult:
    """Task success and satisfaction of one profile (or of everyone: ``profile == "all"``)."""

    profile: str
    name_ko: str
    name_en: str
    required: bool
    testers: int
    tasks: int  # tasks offered to this profile
    tasks_attempted: int  # tasks with at least one attempt
    attempts: int
    yes: int
    partial: int
    no: int
    success_rate: float | None  # percent; partial counts `partial_credit`
    meets_bar: bool | None
    satisfaction_mean: float | None
    satisfaction_sd: float | None  # sample SD (n - 1); None below n = 2
    satisfaction_n: int
    minutes_mean: float | None
    minutes_n: int


@dataclass
class BarrierReport:
    task_id: str
    page_url: str
    profile: str
    tester: str
    success: str
    note: str | None


@dataclass
class ItemBarriers:
    """What users reported against one KWCAG item, beside the machine and the expert on the same pages."""

    item: str
    name_ko: str
    name_en: str
    automation: str
    reports: int
    reports_in_failed_tasks: int  # attempts with success partial or no
    profiles: list[str]
    pages: list[str]
    machine: dict[
        str, str
    ]  # page -> machine status of the item (fail / review / manual / pass / inapplicable)
    machine_violations: int  # violation findings of the item on those pages
    expert: dict[str, str]  # page -> expert verdict, where one was recorded
    missed_by_machine: bool  # users failed on a page where the machine passed the item
    notes: list[BarrierReport]


@dataclass
class MissedByMachine:
    """A user failed a task on an item the machine passed (or found nothing to test) on that page."""

    task_id: str
    page_url: str
    item: str
    name_ko: str
    profile: str
    tester: str
    success: str
    machine_status: str
    expert_verdict: str | None
    note: str | None


@dataclass
class UserReviewResult:
    run_id: int
    config: str
    success_bar: float
    partial_credit: float
    tasks: int
    overall: GroupResult
    profiles: list[GroupResult]
    missing_required_profiles: list[str]
    verdict: str  # pass / fail / incomplete / not_done (overall rate against the bar)
    verdict_every_profile: str  # pass / fail / incomplete / not_done (every profile's rate)
    barriers: list[ItemBarriers]
    missed_by_machine: list[MissedByMachine]
    failed_without_items: list[BarrierReport]  # failed attempts that name no KWCAG item
    unknown_profiles: list[str]  # stored profiles no longer in the configuration (still counted)


def _mean_sd(values: list[float]) -> tuple[float | None, float | None]:
    if not values:
        return None, None
    mean = statistics.fmean(values)
    return mean, (statistics.stdev(values) if len(values) >= 2 else None)


def _group(
    profile: str,
    name_ko: str,
    name_en: str,
    required: bool,
    attempts: list[Attempt],
    tasks_offered: int,
    config: UserReviewConfig,
    bar: float,
) -> GroupResult:
    yes = sum(a.success == "yes" for a in attempts)
    partial = sum(a.success == "partial" for a in attempts)
    no = sum(a.success == "no" for a in attempts)
    rate = 100 * (yes + config.partial_credit * partial) / len(attempts) if attempts else None
    sat_mean, sat_sd = _mean_sd([float(a.satisfaction) for a in attempts if a.satisfaction is not None])
    minutes = [a.minutes for a in attempts if a.minutes is not None]
    return GroupResult(
        profile=profile,
        name_ko=name_ko,
        name_en=name_en,
        required=required,
        testers=len({(a.profile, a.tester) for a in attempts}),
        tasks=tasks_offered,
        tasks_attempted=len({a.task_id for a in attempts}),
        attempts=len(attempts),
        yes=yes,
        partial=partial,
        no=no,
        success_rate=rate,
        meets_bar=None if rate is None else rate >= bar - 1e-9,
        satisfaction_mean=sat_mean,
        satisfaction_sd=sat_sd,
        satisfaction_n=sum(a.satisfaction is not None for a in attempts),
        minutes_mean=statistics.fmean(minutes) if minutes else None,
        minutes_n=len(minutes),
    )


def summarise(
    attempts: list[Attempt],
    tasks: list[Task],
    pages: list[PageResult],
    verdicts: dict[tuple[str, str], str],
    config: UserReviewConfig | None = None,
    *,
    run_id: int = 0,
    bar: float | None = None,
) -> UserReviewResult:
    """Rates, satisfaction, barriers and machine-missed cases from attempts and the run's evidence.

    ``verdicts`` maps (page URL, item) to the expert verdict (pass / fail / n/a)."""
    config = config or load_user_review_config()
    bar = config.success_bar if bar is None else float(bar)
    registry = load_registry()
    by_url = {p.url: p for p in pages}
    profile_ids = [p.id for p in config.profiles]
    unknown_profiles = sorted({a.profile for a in attempts} - set(profile_ids))
    groups = []
    for p in config.profiles:
        mine = [a for a in attempts if a.profile == p.id]
        offered = sum(p.id in t.profiles for t in tasks)
        groups.append(_group(p.id, p.name_ko, p.name_en, p.required, mine, offered, config, bar))
    for pid in unknown_profiles:
        mine = [a for a in attempts if a.profile == pid]
        groups.append(_group(pid, pid, pid, False, mine, 0, config, bar))
    overall = _group("all", "전체", "all profiles", False, attempts, len(tasks), config, bar)
    missing = [g.profile for g in groups if g.required and g.attempts == 0]
    # Below the bar on the results so far is a failure; at or above it, the stage is only complete
    # once every required profile has results.
    if not attempts:
        verdict = every = "not_done"
    else:
        tested = [g for g in groups if g.attempts]
        verdict = "fail" if not overall.meets_bar else ("incomplete" if missing else "pass")
        every = "fail" if not all(g.meets_bar for g in tested) else ("incomplete" if missing else "pass")

    def machine_status(url: str, item: str) -> str:
        page = by_url.get(url)
        if page is None or page.error:
            return "untested"
        return page.item_status.get(item, "manual")

    barriers: dict[str, ItemBarriers] = {}
    missed: list[MissedByMachine] = []
    without_items: list[BarrierReport] = []
    for a in attempts:
        report = BarrierReport(a.task_id, a.page_url, a.profile, a.tester, a.success, a.note)
        failed = a.success != "yes"
        if failed and not a.barrier_items:
            without_items.append(report)
        for item in a.barrier_items:
            it = registry.item(item)
            entry = barriers.get(item)
            if entry is None:
                entry = barriers[item] = ItemBarriers(
                    item=item,
                    name_ko=it.name_ko,
                    name_en=it.name_en,
                    automation=it.automation,
                    reports=0,
                    reports_in_failed_tasks=0,
                    profiles=[],
                    pages=[],
                    machine={},
                    machine_violations=0,
                    expert={},
                    missed_by_machine=False,
                    notes=[],
                )
            entry.reports += 1
            entry.reports_in_failed_tasks += failed
            if a.profile not in entry.profiles:
                entry.profiles.append(a.profile)
            status = machine_status(a.page_url, item)
            expert = verdicts.get((a.page_url, item))
            if a.page_url not in entry.pages:
                entry.pages.append(a.page_url)
                entry.machine[a.page_url] = status
                page = by_url.get(a.page_url)
                entry.machine_violations += sum(
                    1 for f in (page.findings if page else []) if item in f.kwcag and f.outcome == "violation"
                )
                if expert:
                    entry.expert[a.page_url] = expert
            entry.notes.append(report)
            if failed and status in MACHINE_MISSED:
                entry.missed_by_machine = True
                missed.append(
                    MissedByMachine(
                        a.task_id,
                        a.page_url,
                        item,
                        it.name_ko,
                        a.profile,
                        a.tester,
                        a.success,
                        status,
                        expert,
                        a.note,
                    )
                )
    order = {it.id: n for n, it in enumerate(registry.items)}
    for entry in barriers.values():
        entry.profiles.sort(key=lambda p: profile_ids.index(p) if p in profile_ids else len(profile_ids))
    return UserReviewResult(
        run_id=run_id,
        config=config.id,
        success_bar=bar,
        partial_credit=config.partial_credit,
        tasks=len(tasks),
        overall=overall,
        profiles=groups,
        missing_required_profiles=missing,
        verdict=verdict,
        verdict_every_profile=every,
        barriers=sorted(barriers.values(), key=lambda b: order[b.item]),
        missed_by_machine=missed,
        failed_without_items=without_items,
        unknown_profiles=unknown_profiles,
    )


def user_review_results(
    store: AuditStore, run_id: int, config: UserReviewConfig | None = None, *, bar: float | None = None
) -> UserReviewResult:
    """The user review of a stored run (with no stored attempts, every count is zero and the verdict
    ``not_done``)."""
    config = config or load_user_review_config()
    store.run(run_id)
    pages = store.page_results(run_id)
    tasks = tasks_for_run(store, run_id, config)
    verdicts = {(u, i): v.verdict for (u, i), v in verdicts_for_run(store, run_id).items()}
    return summarise(attempts_for_run(store, run_id), tasks, pages, verdicts, config, run_id=run_id, bar=bar)


# -- combined certification view --------------------------------------------------------------------------
@dataclass
class StageVerdict:
    stage: str  # expert / user
    name_ko: str
    name_en: str
    verdict: str  # the worst of its readings: fail > incomplete / undecided / not_done > pass
    readings: dict[str, str]  # e.g. {"mean >= 95": "pass", "every item >= 95": "fail"}
    measure: str  # what the figures are
    value_lower: float | None
    value_upper: float | None  # equal to value_lower where there is no uncertainty band
    bar: float
    n: int  # pages scored / task attempts
    note: str


@dataclass
class CombinedView:
    """The certification stages side by side; never one merged number."""

    run_id: int
    stages: list[StageVerdict]
    failing_stages: list[str]
    all_stages_pass: bool
    statement_en: str
    statement_ko: str


_VERDICT_RANK = {"fail": 0, "incomplete": 1, "undecided": 1, "not_done": 1, "not_available": 1, "pass": 2}


def _worst_verdict(readings: Iterable[str]) -> str:
    return min(readings, key=lambda v: _VERDICT_RANK.get(v, 1))


def combined_view(
    store: AuditStore,
    run_id: int,
    user: UserReviewResult | None = None,
    config: UserReviewConfig | None = None,
    *,
    bar: float | None = None,
) -> CombinedView:
    user = user or user_review_results(store, run_id, config, bar=bar)
    try:
        score = score_run(store, run_id)
    except AuditError as exc:
        expert = StageVerdict(
            stage="expert",
            name_ko="전문가 심사 (자동 추정 + 전문가 판정)",
            name_en="Expert review (automated estimate + expert verdicts)",
            verdict="not_available",
            readings={},
            measure="mean item compliance rate (%)",
            value_lower=None,
            value_upper=None,
            bar=95.0,
            n=0,
            note=str(exc),
        )
    else:
        est = score.estimate
        readings = {
            f"mean ≥ {est.threshold:g}": est.verdict_mean,
            f"every item ≥ {est.threshold:g}": est.verdict_every_item,
        }
        expert = StageVerdict(
            stage="expert",
            name_ko="전문가 심사 (자동 추정 + 전문가 판정)",
            name_en="Expert review (automated estimate + expert verdicts)",
            verdict=_worst_verdict(readings.values()),
            readings=readings,
            measure="mean item compliance rate (%), lower–upper bound",
            value_lower=est.mean_lower,
            value_upper=est.mean_upper,
            bar=est.threshold,
            n=score.pages_scored,
            note=(
                f"{score.verdicts} expert verdicts used; rule set {est.ruleset}. Machine outcomes stand "
                "where no expert verdict was recorded: an estimate, not the certification body's score."
            ),
        )
    rate = user.overall.success_rate
    user_readings = {
        f"all tasks ≥ {user.success_bar:g} %": user.verdict,
        f"every profile ≥ {user.success_bar:g} %": user.verdict_every_profile,
    }
    testers = user.overall.testers
    note = (
        f"{user.overall.attempts} task attempts by {testers} tester{'s' if testers != 1 else ''}; "
        f"configuration {user.config}."
    )
    if user.missing_required_profiles:
        note += f" No results yet for required profiles: {', '.join(user.missing_required_profiles)}."
    user_stage = StageVerdict(
        stage="user",
        name_ko="사용자 심사 (장애인 평가자 과업 수행)",
        name_en="User review (tasks by testers with disabilities)",
        verdict=_worst_verdict(user_readings.values()),
        readings=user_readings,
        measure="task success rate (%)",
        value_lower=rate,
        value_upper=rate,
        bar=user.success_bar,
        n=user.overall.attempts,
        note=note,
    )
    stages = [expert, user_stage]
    failing = [s.stage for s in stages if s.verdict == "fail"]
    all_pass = all(s.verdict == "pass" for s in stages)

    def show(s: StageVerdict) -> str:
        if s.value_lower is None:
            figure = "no figure"
        elif s.value_upper is not None and abs(s.value_upper - s.value_lower) > 1e-9:
            figure = f"{s.value_lower:.1f}–{s.value_upper:.1f}"
        else:
            figure = f"{s.value_lower:.1f}"
        return f"{s.stage} stage: {s.verdict} ({figure} against {s.bar:g})"

    if failing:
        tail_en = f"Not certifiable as it stands: the {' and '.join(failing)} " + (
            "stages fail." if len(failing) > 1 else "stage fails."
        )
        tail_ko = f"현재 상태로는 인증 불가: {', '.join('전문가' if f == 'expert' else '사용자' for f in failing)} 심사 미달."
    elif all_pass:
        tail_en = "Both stages pass on their own terms."
        tail_ko = "두 단계 모두 각자의 기준을 충족합니다."
    else:
        tail_en = "Undecided: at least one stage is not complete or not decided."
        tail_ko = "미정: 완료되지 않았거나 판정되지 않은 단계가 있습니다."
    return CombinedView(
        run_id=run_id,
        stages=stages,
        failing_stages=failing,
        all_stages_pass=all_pass,
        statement_en="; ".join(show(s) for s in stages)
        + ". Each stage is judged separately and must pass on its own. "
        + tail_en,
        statement_ko="각 단계는 따로 판정하며 모두 통과해야 합니다. " + tail_ko,
    )


# -- for reports ---------------------------------------------------------------------------------------------
@dataclass
class UserReviewSummary:
    """Plain data for the audit report's user-evaluation section."""

    results: UserReviewResult
    combined: CombinedView
    config_title_en: str
    config_title_ko: str
    profile_names: dict[str, dict[str, str]] = field(default_factory=dict)  # id -> {"ko": …, "en": …}


def user_review_summary(
    store: AuditStore, run_id: int, config: UserReviewConfig | None = None
) -> UserReviewSummary | None:
    """The user-evaluation section's data, or None when no user results are stored for the run."""
    config = config or load_user_review_config()
    results = user_review_results(store, run_id, config)
    if results.overall.attempts == 0:
        return None
    return UserReviewSummary(
        results=results,
        combined=combined_view(store, run_id, results, config),
        config_title_en=config.title_en,
        config_title_ko=config.title_ko,
        profile_names={p.id: {"ko": p.name_ko, "en": p.name_en} for p in config.profiles},
    )


def user_review_payload(store: AuditStore, run_id: int) -> dict[str, Any] | None:
    """What ``ddkit audit export --format json`` adds under ``user_review`` (None without results)."""
    attempts = attempts_for_run(store, run_id)
    if not attempts:
        return None
    results = user_review_results(store, run_id)
    return {"attempts": attempts, "results": results, "combined": combined_view(store, run_id, results)}
