"""KPIs computed in SQL: a handful of aggregate queries over the enrolment table, each one scan,
combined in Python. Counts of people below the suppression threshold are blanked before anything
leaves this module (see ``privacy.suppress_rows``).

Definitions (also in docs/explanation/training-kpis.md):

* enrolments (연인원): learner × course-run enrolments; learners (실인원): distinct learners.
* attended: enrolments with at least one session marked P or L; start rate = attended / enrolments.
* completed: enrolments whose status is ``completed``; completion rate = completed / enrolments.
* sat exam: completed enrolments with a certificate outcome; certified: … with result ``pass``;
  certificate rate = certified / completed (pass rate = certified / sat exam).
* employed: completed enrolments on employment-track runs with an ``employed`` outcome;
  employment rate = employed / completed enrolments on employment-track runs.
* target attainment = actual / target, where actual counts enrolments (or completions, or distinct
  learners with ``target_basis="learners"``) matching the target's year, programme, group and region.
* equity ratio = (group's learners / all learners) ÷ (group's population / whole population).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from training_tracker import models as m
from training_tracker.errors import TrainingError, TrainingUsageError
from training_tracker.privacy import MIN_CELL, check_min_cell, suppress_rows
from training_tracker.regions import SIDO

DEFINITIONS = {
    "enrolments": "learner x course-run enrolments (연인원)",
    "learners": "distinct learners (실인원)",
    "attended": "enrolments with at least one session marked present (P) or late (L)",
    "start_rate": "attended / enrolments",
    "completed": "enrolments with status completed (by the run's completion rule, or imported)",
    "completion_rate": "completed / enrolments",
    "sat_exam": "completed enrolments with a certificate outcome (pass or fail)",
    "certified": "completed enrolments with a certificate outcome 'pass'",
    "certificate_rate": "certified / completed",
    "pass_rate": "certified / sat_exam",
    "employed": "completed enrolments on employment-track runs with an employment outcome 'employed'",
    "employment_rate": "employed / completed enrolments on employment-track runs",
    "attainment": "actual / target; actual counts what the target counts (see target_basis)",
    "equity_ratio": "(group's learners / all learners) / (group's population / whole population)",
    "at_risk": "open enrolment in a run under way that missed a session and has not attended for 7+ days, "
    "or missed more than 25% of the sessions held since enrolment (excused absences are not missed)",
}

Progress = Callable[[str], None]


@dataclass
class KpiReport:
    filters: dict
    as_of: str
    min_cell: int
    target_basis: str
    headline: dict
    funnel: list[dict]
    by_group: list[dict]
    by_region: list[dict]
    by_month: list[dict]
    targets: list[dict]
    equity: list[dict]
    at_risk: list[dict]
    at_risk_total: int
    definitions: dict = field(default_factory=lambda: dict(DEFINITIONS))
    notes: list[str] = field(default_factory=list)


def _rate(num, den) -> float | None:
    if num is None or den is None or den == 0:
        return None
    return round(num / den, 4)


_RATES = {
    "start_rate": ("attended", "enrolments"),
    "completion_rate": ("completed", "enrolments"),
    "certificate_rate": ("certified", "completed"),
    "pass_rate": ("certified", "sat_exam"),
    "employment_rate": ("employed", "completed_employment_track"),
}
_COUNTS = (
    "enrolments",
    "learners",
    "attended",
    "completed",
    "sat_exam",
    "certified",
    "completed_employment_track",
    "employed",
)


def _with_rates(row: dict) -> dict:
    for name, (num, den) in _RATES.items():
        if num in row and den in row:
            row[name] = _rate(row[num], row[den])
    return row


def _learner_filters(query, group, region):
    lrn = m.Learner
    if group is not None:
        query = query.where(lrn.groups.op("&")(m.group_bit(group)) != 0)
    if region is not None:
        query = query.where((lrn.sido_code if len(region) == 2 else lrn.sigungu_code) == region)
    return query


def _run_filters(query, year, programme):
    r = m.CourseRun
    if year is not None:
        query = query.where(r.year == year)
    if programme is not None:
        query = query.where(r.programme == programme)
    return query


def _flags(conn):
    """Per-enrolment 0/1 expressions, summed by the queries below.

    A look-up that cannot match (no attendance marked present or late, no outcome of its kind
    recorded anywhere: one indexed probe each to know) is left out instead of being probed once
    per enrolment, which on a million enrolments costs about half a second.
    """
    e, r = m.Enrolment, m.CourseRun
    a, o = m.Attendance, m.Outcome

    def any_row(table, *conditions) -> bool:
        return (
            conn.execute(sa.select(sa.literal(1)).select_from(table).where(*conditions).limit(1)).first()
            is not None
        )

    def exists(table, *conditions):
        return sa.exists().where(*conditions) if any_row(table, *conditions[1:]) else None

    attended = exists(a, a.enrolment_id == e.id, a.status.in_(("P", "L")))
    sat = exists(o, o.enrolment_id == e.id, o.kind == "certificate")
    passed = exists(o, o.enrolment_id == e.id, o.kind == "certificate", o.result == "pass")
    employed = exists(o, o.enrolment_id == e.id, o.kind == "employment", o.result == "employed")
    completed = e.status == "completed"

    def flag(condition):
        if condition is None:
            return sa.literal_column("0")
        return sa.case((condition, 1), else_=0)

    def when_completed(condition):
        # Nested CASE: the outcome lookups run only for completed enrolments.
        if condition is None:
            return sa.literal_column("0")
        return sa.case((completed, flag(condition)), else_=0)

    return {
        "completed": flag(completed),
        "attended": flag(attended),
        "sat_exam": when_completed(sat),
        "certified": when_completed(passed),
        "completed_employment_track": when_completed(r.employment_track),
        "employed": when_completed(None if employed is None else sa.and_(r.employment_track, employed)),
    }


_FLAGS = ("completed", "attended", "sat_exam", "certified", "completed_employment_track", "employed")


LearnerRange = tuple[int, int] | None


def _in_range(query, column, learners: LearnerRange):
    return query if learners is None else query.where(column.between(*learners))


def _per_learner_table() -> sa.Table:
    """A temporary table for one connection's per-learner counts (see ``_cells_and_learners``)."""
    return sa.Table(
        "kpi_per_learner",
        sa.MetaData(),
        sa.Column("learner_id", sa.Integer),
        sa.Column("year", sa.Integer),
        sa.Column("programme", sa.String(64)),
        sa.Column("enrolments", sa.Integer),
        *(sa.Column(name, sa.Integer) for name in _FLAGS),
        prefixes=["TEMPORARY"],
    )


def _cells_and_learners(
    conn, year, programme, group, region, learners: LearnerRange = None
) -> tuple[list[dict], list[tuple]]:
    """Enrolment counts by (year, programme, groups, 시도, 시군구), and distinct learners by (groups,
    시도, 시군구), from one pass over the enrolments.

    The enrolments are counted per learner (and year and programme) into a temporary table first;
    both results are read from it, so the learners are joined once each rather than once per
    enrolment and the enrolments are scanned once for both. ``learners`` limits it to a range of
    learner ids (the counts of disjoint ranges add up).
    """
    e, r, lrn = m.Enrolment, m.CourseRun, m.Learner
    flags = _flags(conn)
    per_learner = _run_filters(
        _in_range(
            sa.select(
                e.learner_id,
                r.year,
                r.programme,
                sa.func.count().label("enrolments"),
                *(sa.func.sum(flags[name]).label(name) for name in _FLAGS),
            ).join(r, r.id == e.run_id),
            e.learner_id,
            learners,
        ),
        year,
        programme,
    ).group_by(e.learner_id, r.year, r.programme)
    table = _per_learner_table()
    table.drop(conn, checkfirst=True)  # left on this pooled connection by a run that failed
    table.create(conn)
    conn.execute(table.insert().from_select([c.name for c in table.columns], per_learner))
    t = table.c
    sigungu = sa.func.coalesce(lrn.sigungu_code, "")
    cells = _learner_filters(
        sa.select(
            t.year,
            t.programme,
            lrn.groups,
            lrn.sido_code,
            sigungu.label("sigungu_code"),
            sa.func.count().label("learners_in_programme"),
            sa.func.sum(t.enrolments).label("enrolments"),
            *(sa.func.sum(getattr(t, name)).label(name) for name in _FLAGS),
        ).join(lrn, lrn.id == t.learner_id),
        group,
        region,
    ).group_by(t.year, t.programme, lrn.groups, lrn.sido_code, sigungu)
    people = _learner_filters(
        sa.select(lrn.groups, lrn.sido_code, sigungu, sa.func.count(sa.distinct(t.learner_id))).join(
            lrn, lrn.id == t.learner_id
        ),
        group,
        region,
    ).group_by(lrn.groups, lrn.sido_code, sigungu)
    result = [row._asdict() for row in conn.execute(cells)], [tuple(row) for row in conn.execute(people)]
    table.drop(conn)
    conn.commit()  # keeps the drop: a connection going back to the pool is rolled back
    return result


def _cells(conn, year, programme, group, region, learners: LearnerRange = None) -> list[dict]:
    return _cells_and_learners(conn, year, programme, group, region, learners)[0]


def _months(conn, year, programme, group, region, learners: LearnerRange = None) -> list[dict]:
    """Enrolments, completions and distinct learners by month of enrolment."""
    e, r, lrn = m.Enrolment, m.CourseRun, m.Learner
    month = m.year_month(e.enrolled_on)
    query = _run_filters(
        _in_range(
            sa.select(
                month.label("month"),
                sa.func.count().label("enrolments"),
                sa.func.count(sa.distinct(e.learner_id)).label("learners"),
                sa.func.sum(sa.case((e.status == "completed", 1), else_=0)).label("completed"),
            ).join(r, r.id == e.run_id),
            e.learner_id,
            learners,
        ),
        year,
        programme,
    )
    if group is not None or region is not None:  # the learner join only when it filters
        query = _learner_filters(query.join(lrn, lrn.id == e.learner_id), group, region)
    return [row._asdict() for row in conn.execute(query.group_by(month))]


def _learners_by_cell(conn, year, programme, group, region, learners: LearnerRange = None):
    """Distinct learners by (groups, 시도, 시군구): learners with at least one matching enrolment.

    One row per learner, looked up through the (learner, run) index: no sort of the enrolments."""
    e, r, lrn = m.Enrolment, m.CourseRun, m.Learner
    enrolled = _run_filters(
        sa.select(e.id).join(r, r.id == e.run_id).where(e.learner_id == lrn.id), year, programme
    ).exists()
    sigungu = sa.func.coalesce(lrn.sigungu_code, "")
    query = _learner_filters(
        _in_range(
            sa.select(lrn.groups, lrn.sido_code, sigungu, sa.func.count()).where(enrolled), lrn.id, learners
        ),
        group,
        region,
    ).group_by(lrn.groups, lrn.sido_code, sigungu)
    return [tuple(row) for row in conn.execute(query)]


def _check_filters(year, programme, group, region, target_basis, region_level) -> None:
    if group is not None and group not in m.GROUPS:
        raise TrainingUsageError(f"--group {group!r} is not one of {', '.join(m.GROUPS)}")
    if region is not None and not (region.isdigit() and len(region) in (2, 5) and region[:2] in SIDO):
        raise TrainingUsageError(f"--region {region!r} is not a 2-digit 시도 or 5-digit 시군구 code")
    if target_basis not in ("enrolments", "completions", "learners"):
        raise TrainingUsageError("--target-basis must be enrolments, completions or learners")
    if region_level not in ("sido", "sigungu"):
        raise TrainingUsageError("--region-level must be sido or sigungu")
    if year is not None and not 1990 <= year <= 2100:
        raise TrainingUsageError(f"--year {year} is out of range")


def compute_kpis(
    engine: Engine,
    *,
    year: int | None = None,
    programme: str | None = None,
    group: str | None = None,
    region: str | None = None,
    region_level: str = "sido",
    target_basis: str = "enrolments",
    as_of: dt.date | None = None,
    min_cell: int = MIN_CELL,
    gap_index: Path | None = None,
    at_risk_limit: int = 200,
    progress: Progress | None = None,
) -> KpiReport:
    """Every KPI table for the filtered enrolments, small cells suppressed."""
    check_min_cell(min_cell)
    _check_filters(year, programme, group, region, target_basis, region_level)
    as_of = as_of or dt.date.today()
    gap = load_gap_index(gap_index) if gap_index else None
    say = progress or (lambda _msg: None)

    def on_own_connection(query, learners):
        with engine.connect() as conn:
            return query(conn, year, programme, group, region, learners)

    # The two scans of the enrolments are each split into two halves by learner id (a learner's
    # counts all fall in one half, so the halves add up) and run on their own connections, two at
    # a time: SQLite (WAL) serves concurrent readers, and the work spreads evenly over two cores.
    with engine.connect() as conn:
        low, high = conn.execute(sa.select(sa.func.min(m.Learner.id), sa.func.max(m.Learner.id))).one()
    halves = _halves(low, high)
    with ThreadPoolExecutor(max_workers=PARALLEL_QUERIES) as pool, engine.connect() as conn:
        say("enrolments by group and region, distinct learners, months")
        pending = {
            query: [pool.submit(on_own_connection, query, half) for half in halves]
            for query in (_cells_and_learners, _months)  # the longest first
        }
        say("targets")
        target_rows = _targets_for(conn, year, programme, group, region)
        learner_targets = None
        if target_basis == "learners" and target_rows:
            learner_targets = {id(t): _learners_for_target(conn, t, group, region) for t in target_rows}
        population = _population(conn, year, region)
        say("at-risk list")
        at_risk = _at_risk(conn, as_of, year, programme, group, region)
        both = [f.result() for f in pending[_cells_and_learners]]
        cube = _add_up([cells for cells, _ in both], _CELL_KEY)
        learners_by_cell = _add_up_tuples([people for _, people in both])
        months = _add_up([f.result() for f in pending[_months]], ("month",))
        total_learners = sum(int(row[3]) for row in learners_by_cell)

    headline = {c: 0 for c in _COUNTS}
    for row in cube:
        for c in _COUNTS:
            if c != "learners":
                headline[c] += int(row[c] or 0)
    headline["learners"] = int(total_learners)
    headline = _with_rates(headline)

    report = KpiReport(
        filters={"year": year, "programme": programme, "group": group, "region": region},
        as_of=as_of.isoformat(),
        min_cell=min_cell,
        target_basis=target_basis,
        headline={},
        funnel=[],
        by_group=[],
        by_region=[],
        by_month=[],
        targets=[],
        equity=[],
        at_risk=[],
        at_risk_total=len(at_risk),
    )
    report.funnel = _funnel(headline, min_cell)
    [report.headline] = suppress_rows([headline], _COUNTS, _RATES, min_cell)
    report.by_group = _by_group(cube, learners_by_cell, target_rows, min_cell)
    report.by_region = _by_region(cube, learners_by_cell, target_rows, region_level, min_cell)
    report.by_month = _by_month(months, target_rows, min_cell)
    report.targets = _target_table(cube, target_rows, target_basis, learner_targets, min_cell)
    report.equity = _equity(learners_by_cell, total_learners, population, gap, year, min_cell)
    report.at_risk = at_risk[:at_risk_limit]
    if len(at_risk) > at_risk_limit:
        report.notes.append(f"at-risk list cut to the first {at_risk_limit} of {len(at_risk)}")
    report.notes.append(
        "a learner in several groups is counted once in each group, so group rows add up to more than the total"
    )
    report.notes.append(
        f"counts of fewer than {min_cell} people, and rates built on them, are suppressed (shown as <{min_cell})"
    )
    if gap_index is None:
        report.notes.append("no gap-index results given (--gap-index): the gap level column is empty")
    return report


#: Queries run at the same time (one per core of a small server).
PARALLEL_QUERIES = 2
_CELL_KEY = ("year", "programme", "groups", "sido_code", "sigungu_code")


def _halves(low: int | None, high: int | None) -> list[LearnerRange]:
    """Two ranges of learner ids covering ``low``..``high`` (one unbounded range when empty)."""
    if low is None or high is None or high - low < 2:
        return [None]
    middle = (low + high) // 2
    return [(low, middle), (middle + 1, high)]


def _add_up(parts: list[list[dict]], key: tuple[str, ...]) -> list[dict]:
    """Rows of the same key from disjoint learner ranges, summed (every other field is a count)."""
    total: dict[tuple, dict] = {}
    for rows in parts:
        for row in rows:
            k = tuple(row[name] for name in key)
            if k not in total:
                total[k] = dict(row)
                continue
            into = total[k]
            for name, value in row.items():
                if name not in key:
                    into[name] = int(into[name] or 0) + int(value or 0)
    return list(total.values())


def _add_up_tuples(parts: list[list[tuple]]) -> list[tuple]:
    total: dict[tuple, int] = {}
    for rows in parts:
        for *k, n in rows:
            total[tuple(k)] = total.get(tuple(k), 0) + int(n)
    return [(*k, n) for k, n in total.items()]


# -- breakdowns ------------------------------------------------------------------------------------
def _sum(rows, keys=_COUNTS) -> dict:
    total = {c: 0 for c in keys if c != "learners"}
    for row in rows:
        for c in total:
            total[c] += int(row[c] or 0)
    return total


def _funnel(headline: dict, min_cell: int) -> list[dict]:
    steps = [
        ("enrolled", headline["enrolments"]),
        ("attended", headline["attended"]),
        ("completed", headline["completed"]),
        ("certified", headline["certified"]),
        ("employed", headline["employed"]),
    ]
    rows = []
    previous = None
    for step, value in steps:
        rows.append(
            {
                "step": step,
                "count": value,
                "of_previous": _rate(value, previous) if previous is not None else None,
                "of_enrolled": _rate(value, headline["enrolments"]),
            }
        )
        previous = value
    # Suppress a step and every ratio built on a suppressed step.
    hidden_steps = {r["step"] for r in rows if r["count"] < min_cell}
    out = []
    for i, row in enumerate(rows):
        hidden = []
        if row["step"] in hidden_steps:
            row["count"] = None
            hidden.append("count")
        prev_hidden = i > 0 and rows[i - 1]["step"] in hidden_steps
        if row["of_previous"] is not None and (row["step"] in hidden_steps or prev_hidden):
            row["of_previous"] = None
            hidden.append("of_previous")
        if row["of_enrolled"] is not None and (row["step"] in hidden_steps or "enrolled" in hidden_steps):
            row["of_enrolled"] = None
            hidden.append("of_enrolled")
        row["suppressed"] = hidden
        out.append(row)
    return out


def _matches_target(target: dict, row: dict) -> bool:
    if target["year"] != row["year"]:
        return False
    if target["programme"] != m.ALL and target["programme"] != row["programme"]:
        return False
    if target["group_code"] != m.ALL and not (row["groups"] & m.group_bit(target["group_code"])):
        return False
    code = target["region_code"]
    if code != m.ALL:
        if len(code) == 2 and row["sido_code"] != code:
            return False
        if len(code) == 5 and row["sigungu_code"] != code:
            return False
    return True


def _target_sum(targets: list[dict], *, group: str, region: str) -> tuple[int | None, int | None]:
    rows = [t for t in targets if t["group_code"] == group and t["region_code"] == region]
    if not rows:
        return None, None
    enrolled = [t["target_enrolled"] for t in rows if t["target_enrolled"] is not None]
    completed = [t["target_completed"] for t in rows if t["target_completed"] is not None]
    return (sum(enrolled) if enrolled else None), (sum(completed) if completed else None)


def _by_group(cube, learners_by_cell, targets, min_cell) -> list[dict]:
    rows = []
    for code in m.GROUPS:
        bit = m.group_bit(code)
        members = [r for r in cube if r["groups"] & bit]
        row = {"group": code, **_sum(members)}
        row["learners"] = sum(int(n) for g, _s, _g2, n in learners_by_cell if g & bit)
        target_enrolled, target_completed = _target_sum(targets, group=code, region=m.ALL)
        row["target_enrolled"] = target_enrolled
        row["attainment"] = _rate(row["enrolments"], target_enrolled)
        row["target_completed"] = target_completed
        row["completion_attainment"] = _rate(row["completed"], target_completed)
        rows.append(_with_rates(row))
    return suppress_rows(rows, _COUNTS, {**_RATES, **_ATTAIN}, min_cell)


_ATTAIN = {
    "attainment": ("enrolments", "target_enrolled"),
    "completion_attainment": ("completed", "target_completed"),
}


def _by_region(cube, learners_by_cell, targets, level, min_cell) -> list[dict]:
    key = "sido_code" if level == "sido" else "sigungu_code"
    regions = sorted({r[key] for r in cube if r[key]})
    rows = []
    for code in regions:
        members = [r for r in cube if r[key] == code]
        row = {
            "region": code,
            "name": SIDO.get(code[:2], ("", ""))[0] if level == "sido" else None,
            **_sum(members),
        }
        index = 1 if level == "sido" else 2
        row["learners"] = sum(int(cell[3]) for cell in learners_by_cell if cell[index] == code)
        target_enrolled, target_completed = _target_sum(targets, group=m.ALL, region=code)
        row["target_enrolled"] = target_enrolled
        row["attainment"] = _rate(row["enrolments"], target_enrolled)
        row["target_completed"] = target_completed
        row["completion_attainment"] = _rate(row["completed"], target_completed)
        rows.append(_with_rates(row))
    return suppress_rows(rows, _COUNTS, {**_RATES, **_ATTAIN}, min_cell)


def _by_month(months, targets, min_cell) -> list[dict]:
    overall = [t for t in targets if t["group_code"] == m.ALL and t["region_code"] == m.ALL]
    rows = []
    cumulative = 0
    for raw in sorted(months, key=lambda r: r["month"]):
        year, month_of_year = int(raw["month"][:4]), int(raw["month"][5:7])
        row = {
            "month": raw["month"],
            "enrolments": int(raw["enrolments"]),
            "learners": int(raw["learners"]),
            "completed": int(raw["completed"] or 0),
        }
        row["completion_rate"] = _rate(row["completed"], row["enrolments"])
        cumulative += row["enrolments"]
        row["cumulative_enrolments"] = cumulative
        yearly = [t["target_enrolled"] for t in overall if t["year"] == year and t["target_enrolled"]]
        if yearly:
            # Pro-rata: by the end of month k, k/12 of the year's target.
            row["target_to_date"] = round(sum(yearly) * month_of_year / 12)
            row["attainment_to_date"] = _rate(cumulative, row["target_to_date"])
        else:
            row["target_to_date"] = None
            row["attainment_to_date"] = None
        rows.append(row)
    return suppress_rows(
        rows,
        ("enrolments", "learners", "completed", "cumulative_enrolments"),
        {
            "completion_rate": ("completed", "enrolments"),
            "attainment_to_date": ("cumulative_enrolments", "target_to_date"),
        },
        min_cell,
    )


def _target_table(cube, targets, basis, learner_targets, min_cell) -> list[dict]:
    rows = []
    for target in targets:
        members = [r for r in cube if _matches_target(target, r)]
        total = _sum(members)
        if basis == "learners":
            actual = learner_targets[id(target)]
            target_value = target["target_enrolled"]
        elif basis == "completions":
            actual, target_value = total["completed"], target["target_completed"]
        else:
            actual, target_value = total["enrolments"], target["target_enrolled"]
        rows.append(
            {
                "year": target["year"],
                "programme": target["programme"],
                "group": target["group_code"],
                "region": target["region_code"],
                "target": target_value,
                "actual": actual,
                "attainment": _rate(actual, target_value),
                "completed": total["completed"],
                "target_completed": target["target_completed"],
                "completion_attainment": _rate(total["completed"], target["target_completed"]),
            }
        )
    return suppress_rows(
        rows,
        ("actual", "completed"),
        {"attainment": ("actual", "target"), "completion_attainment": ("completed", "target_completed")},
        min_cell,
    )


def _learners_for_target(conn, target: dict, group, region) -> int:
    """Distinct learners matching one target row (and the report's group / region filters)."""
    programme = None if target["programme"] == m.ALL else target["programme"]
    cells = _learners_by_cell(conn, target["year"], programme, group, region)
    row = {"year": target["year"], "programme": target["programme"]}
    return sum(
        int(n)
        for groups, sido, sigungu, n in cells
        if _matches_target(target, {**row, "groups": groups, "sido_code": sido, "sigungu_code": sigungu})
    )


def _targets_for(conn, year, programme, group, region) -> list[dict]:
    t = m.Target
    query = sa.select(t.year, t.programme, t.group_code, t.region_code, t.target_enrolled, t.target_completed)
    if year is not None:
        query = query.where(t.year == year)
    if programme is not None:
        query = query.where(t.programme.in_((programme, m.ALL)))
    if group is not None:
        query = query.where(t.group_code.in_((group, m.ALL)))
    if region is not None:
        query = query.where(t.region_code.in_((region, region[:2], m.ALL)))
    query = query.order_by(t.year, t.programme, t.group_code, t.region_code)
    return [row._asdict() for row in conn.execute(query)]


def _population(conn, year, region) -> dict:
    """{group: population} for the region (or 'all') and the latest year up to ``year``."""
    p = m.Population
    code = region or m.ALL
    years = (
        conn.execute(sa.select(p.year).where(p.region_code == code).distinct().order_by(p.year))
        .scalars()
        .all()
    )
    if not years:
        return {}
    usable = [y for y in years if year is None or y <= year]
    chosen = usable[-1] if usable else years[0]
    rows = conn.execute(
        sa.select(p.group_code, p.population).where(p.year == chosen, p.region_code == code)
    ).all()
    return {"year": chosen, "region": code, "values": dict(rows)}


def load_gap_index(path: Path) -> dict:
    """Gap-index levels by group: a CSV with year, group and value (or level / index) columns;
    with a component column only the 'total' rows are used (the format of NIA's published table and
    of ``ddkit survey index --json`` exports converted to CSV)."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise TrainingError(f"cannot read gap-index file {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise TrainingError(f"gap-index file {path} is not UTF-8") from exc
    if not rows:
        raise TrainingError(f"gap-index file {path} has no rows")
    columns = set(rows[0])
    value_column = next((c for c in ("value", "level", "index") if c in columns), None)
    if not {"year", "group"} <= columns or value_column is None:
        raise TrainingError(
            f"gap-index file {path} needs columns year, group and value",
            hint=f"Its columns are: {', '.join(rows[0])}.",
        )
    levels: dict[str, dict[int, float]] = {}
    for line, row in enumerate(rows, start=2):
        if "component" in columns and row["component"] not in ("total", ""):
            continue
        try:
            year, value = int(row["year"]), float(row[value_column])
        except ValueError:
            raise TrainingError(f"{path}, line {line}: year or {value_column} is not a number") from None
        levels.setdefault(row["group"].strip(), {})[year] = value
    return levels


def _equity(learners_by_cell, total_learners, population, gap, year, min_cell) -> list[dict]:
    values = population.get("values", {}) if population else {}
    whole = values.get(m.ALL)
    rows = []
    for code in m.GROUPS:
        bit = m.group_bit(code)
        learners = sum(int(n) for g, _s, _g2, n in learners_by_cell if g & bit)
        pop = values.get(code)
        share_trainees = _rate(learners, total_learners)
        share_population = _rate(pop, whole)
        ratio = None
        if share_trainees is not None and share_population:
            ratio = round((learners / total_learners) / (pop / whole), 3)
        gap_level = gap_year = None
        if gap and code in gap:
            years = sorted(y for y in gap[code] if year is None or y <= year)
            if years:
                gap_year = years[-1]
                gap_level = gap[code][gap_year]
        rows.append(
            {
                "group": code,
                "learners": learners,
                "all_learners": int(total_learners),
                "share_of_trainees": share_trainees,
                "population": pop,
                "whole_population": whole,
                "population_year": population.get("year") if population else None,
                "share_of_population": share_population,
                "equity_ratio": ratio,
                "gap_index_level": gap_level,
                "gap_index_year": gap_year,
            }
        )
    return suppress_rows(
        rows,
        ("learners", "all_learners"),
        {"share_of_trainees": ("learners", "all_learners"), "equity_ratio": ("learners", "all_learners")},
        min_cell,
    )


# -- at-risk list ---------------------------------------------------------------------------------
def _at_risk(conn, as_of: dt.date, year, programme, group, region) -> list[dict]:
    e, r, s, a, lrn = m.Enrolment, m.CourseRun, m.Session, m.Attendance, m.Learner
    # Nobody can be at risk without a session held in a run under way: skip the enrolment scan.
    held = (
        sa.select(s.id)
        .join(r, r.id == s.run_id)
        .where(r.start_date <= as_of, r.end_date >= as_of, s.date <= as_of)
        .limit(1)
    )
    if conn.execute(held).first() is None:
        return []
    present = a.status.in_(("P", "L"))
    query = (
        sa.select(
            lrn.pseudonym,
            r.code,
            e.enrolled_on,
            sa.func.count(s.id).label("held"),
            sa.func.sum(sa.case((a.status.in_(("P", "L", "E")), 1), else_=0)).label("kept"),
            sa.func.max(sa.case((present, s.date))).label("last_attended"),
            sa.func.max(s.date).label("last_session"),
        )
        .select_from(e)
        .join(r, r.id == e.run_id)
        .join(lrn, lrn.id == e.learner_id)
        .join(s, sa.and_(s.run_id == e.run_id, s.date >= e.enrolled_on, s.date <= as_of))
        .outerjoin(a, sa.and_(a.session_id == s.id, a.enrolment_id == e.id))
        .where(e.status == "enrolled", r.start_date <= as_of, r.end_date >= as_of)
        .group_by(e.id, lrn.pseudonym, r.code, e.enrolled_on)
    )
    query = _learner_filters(_run_filters(query, year, programme), group, region)
    rows = []
    for learner, run, enrolled_on, held, kept, last_attended, last_session in conn.execute(query):
        held, kept = int(held or 0), int(kept or 0)
        missed = held - kept
        since = _as_date(last_attended) or _as_date(enrolled_on)
        days = (as_of - since).days
        reasons = []
        if days >= 7 and last_session is not None and _as_date(last_session) > since:
            reasons.append("absent_7_days")
        if held and missed / held > 0.25:
            reasons.append("missed_over_25_percent")
        if reasons:
            rows.append(
                {
                    "learner": learner,
                    "run": run,
                    "days_since_attended": days,
                    "sessions_held": held,
                    "sessions_missed": missed,
                    "missed_share": round(missed / held, 3) if held else None,
                    "reasons": reasons,
                }
            )
    rows.sort(key=lambda x: (-x["days_since_attended"], x["run"], x["learner"]))
    return rows


def _as_date(value) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
