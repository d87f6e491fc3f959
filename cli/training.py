"""`ddkit training …`: record digital-skills training (courses, pseudonymous learners, enrolment,
attendance, completion, outcomes), import files, KPIs against targets, forecasts, purge."""

from __future__ import annotations

import datetime as dt
import enum
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from cli.exit_codes import ExitCode
from cli.options import DbOption, JsonOption, database_url
from cli.output import err, out, print_json, progress_enabled

app = typer.Typer(
    help=(
        "Digital-skills training records: import, enrol, attend, complete, KPIs against targets, forecasts.\n\n"
        "Example:\n\n"
        "    ddkit training init\n\n"
        "    ddkit training sample --out sample --seed 1\n\n"
        "    ddkit training kpis --year 2025"
    ),
    no_args_is_help=True,
)
course_app = typer.Typer(
    help="Course runs.\n\nExample:\n\n    ddkit training course add --help", no_args_is_help=True
)
learner_app = typer.Typer(
    help="Learners.\n\nExample:\n\n    ddkit training learner add --help", no_args_is_help=True
)
rule_app = typer.Typer(
    help="Completion rules.\n\nExample:\n\n    ddkit training rule list", no_args_is_help=True
)
break_app = typer.Typer(
    help="Structural breaks.\n\nExample:\n\n    ddkit training break list", no_args_is_help=True
)
app.add_typer(course_app, name="course")
app.add_typer(learner_app, name="learner")
app.add_typer(rule_app, name="rule")
app.add_typer(break_app, name="break")


class Kind(enum.StrEnum):
    sites = "sites"
    courses = "courses"
    learners = "learners"
    enrolments = "enrolments"
    sessions = "sessions"
    attendance = "attendance"
    assessments = "assessments"
    outcomes = "outcomes"
    targets = "targets"
    population = "population"


class Measure(enum.StrEnum):
    enrolments = "enrolments"
    learners = "learners"
    completions = "completions"


class TargetBasis(enum.StrEnum):
    enrolments = "enrolments"
    completions = "completions"
    learners = "learners"


class RegionLevel(enum.StrEnum):
    sido = "sido"
    sigungu = "sigungu"


class Seasonal(enum.StrEnum):
    auto = "auto"
    add = "add"
    none = "none"


KeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        envvar="DDKIT_PSEUDONYM_KEY_FILE",
        help="Secret key that turns names and phone numbers into pseudonyms; keep it outside the database "
        "(default ~/.config/ddkit/pseudonym.key, created with mode 0600).",
        show_default=False,
    ),
]
AsOfOption = Annotated[
    str | None,
    typer.Option("--as-of", help="Reference date YYYY-MM-DD (default today).", show_default=False),
]


@contextmanager
def _no_cycle_collection():
    """Bulk commands run without Python's cyclic garbage collector.

    Loading SQLAlchemy, pyarrow and numpy leaves hundreds of thousands of objects that every
    collection walks again; over a million-row import that costs about half a second of a four
    second run. These commands build no reference cycles worth collecting (reference counting
    frees everything else), and the process ends soon after.
    """
    import gc

    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        # The objects alive now are kept for good: the full collection Python runs at exit would
        # walk them all once more for nothing.
        gc.freeze()
        if enabled:
            gc.enable()


class _NoPandas:
    """An import hook that reports pandas as missing (see ``_pyarrow_without_pandas``)."""

    def find_spec(self, name, path=None, target=None):
        if name == "pandas":
            raise ModuleNotFoundError("not loaded for this command", name=name)
        return None


def _pyarrow_without_pandas() -> None:
    """Keep pyarrow from importing pandas (about 0.25 s of CPU) in a process that runs one import.

    The first time pyarrow converts Python values it imports pandas, only to ask whether they
    are pandas objects; an import never passes any. Told once that pandas is missing, pyarrow
    stops asking (its own pandas conversions would still import it when called). Only done when
    ddkit runs as its own process (the ``ddkit`` script, ``python -m cli``): in a longer-lived
    process pyarrow would keep that belief for whatever runs next.
    """
    import sys

    script = Path(sys.argv[0] if sys.argv else "")
    own_process = script.name == "ddkit" or script.parts[-2:] == ("cli", "__main__.py")
    if not own_process or "pandas" in sys.modules:
        return
    hook = _NoPandas()
    sys.meta_path.insert(0, hook)
    try:
        import pyarrow as pa

        pa.array([0])
    finally:
        sys.meta_path.remove(hook)


@contextmanager
def _progress(label: str):
    """A spinner on stderr while long work runs (only on a terminal); yields the callback."""
    if not progress_enabled():
        yield lambda *args: None
        return
    with err.status(f"{label}…") as status:
        yield lambda *args: status.update(f"{label}: {escape(str(args[-1]))}…")


def _engine(db: str | None):
    from training_tracker.db import open_database

    return open_database(database_url(db))


def _date(value: str | None) -> dt.date | None:
    from training_tracker.records import parse_date

    return parse_date("--as-of", value)


def _table(title: str | None = None) -> Table:
    return Table(
        title=title,
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        padding=(0, 1, 0, 0),
        title_justify="left",
    )


def _show(table: Table) -> None:
    """A table under its title (printed apart, so a long title never wraps inside the table's width)."""
    console = out if out.is_terminal else Console(highlight=False, width=160)
    title, table.title = table.title, None
    if title:
        console.print(f"[bold]{escape(str(title))}[/]")
    console.print(table)


def _cell(row: dict, name: str, min_cell: int = 5, pct: bool = False) -> str:
    value = row.get(name)
    if value is None:
        return f"<{min_cell}" if name in row.get("suppressed", ()) else "–"
    if pct:
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return escape(str(value))


def _notes(messages: list[str]) -> None:
    for message in messages:
        err.print(f"[yellow]Note:[/] {escape(message)}", soft_wrap=True)


# -- init / sample / import --------------------------------------------------------------------------
@app.command()
def init(db: DbOption = None, json_output: JsonOption = False) -> None:
    """Create the training tables in the database, or upgrade them to this version.

    Safe to run again: an up-to-date database is left as it is.

    Example:

        ddkit training init

        ddkit training init --db training.db
    """
    from training_tracker.db import init_database

    result = init_database(database_url(db))
    if json_output:
        print_json("training.init", result)
        return
    if result.created:
        out.print(f"Created the training tables (schema {result.version}) in {escape(result.url)}")
    elif result.previous_version != result.version:
        out.print(
            f"Upgraded the training schema {result.previous_version} → {result.version} in {escape(result.url)}"
        )
    else:
        out.print(f"Training schema {result.version} is up to date in {escape(result.url)}")


@app.command()
def sample(
    out_dir: Annotated[
        Path, typer.Option("--out", "-o", help="Folder to write the files to.", show_default=False)
    ],
    seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 1,
    learners: Annotated[
        int, typer.Option("--learners", help="Learners in the pool.", min=20, max=100_000)
    ] = 400,
    as_of: AsOfOption = None,
    json_output: JsonOption = False,
) -> None:
    """Write synthetic training records (CSV files with Korean headers, and their mapping files).

    Course runs 2022-2025 across programmes, modes and regions, learners across the groups,
    enrolments, sessions, attendance, assessments, outcomes, targets and population. Every person
    and figure is invented. The folder's README.txt lists the commands that import them in order.

    Example:

        ddkit training sample --out sample --seed 1
    """
    from training_tracker.sample import FILES, IMPORT_ORDER, generate_sample, write_sample

    data = generate_sample(seed, learners=learners, as_of=_date(as_of))
    paths = write_sample(data, out_dir)
    counts = {kind: len(getattr(data, kind)) for kind in IMPORT_ORDER}
    if json_output:
        print_json(
            "training.sample",
            {
                "out": str(out_dir),
                "seed": seed,
                "as_of": data.as_of,
                "files": [
                    {
                        "kind": k,
                        "file": str(p),
                        "mapping": str(p).replace(".csv", ".mapping.yaml"),
                        "rows": counts[k],
                    }
                    for k, p in zip(IMPORT_ORDER, paths, strict=True)
                ],
            },
        )
        return
    table = _table(f"Sample training records in {out_dir} (seed {seed}, as of {data.as_of})")
    table.add_column("file")
    table.add_column("rows", justify="right")
    for kind in IMPORT_ORDER:
        table.add_row(FILES[kind][0], f"{counts[kind]:,}")
    _show(table)
    out.print(f"Import them in order: see {escape(str(out_dir / 'README.txt'))}")


@app.command(name="import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV or XLSX file.", show_default=False)],
    mapping: Annotated[
        Path | None,
        typer.Option(
            "--mapping",
            "-m",
            help="YAML column mapping (kind, columns, values, encoding …).",
            show_default=False,
        ),
    ] = None,
    kind: Annotated[
        Kind | None,
        typer.Option(
            "--kind",
            help="What the file holds, when there is no mapping (columns named like the fields).",
            show_default=False,
        ),
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Check every row and report; store nothing.")
    ] = False,
    retain_years: Annotated[
        int,
        typer.Option(
            "--retain-years",
            help="New learners without a retain-until date are kept until 31 Dec of this many years ahead.",
            min=0,
            max=50,
        ),
    ] = 3,
    key_file: KeyFileOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Import a CSV or XLSX file: every row checked, one transaction, the same file twice adds nothing.

    Any problem refuses the whole file and is reported with its row (the header is row 1) and
    column: a value shaped like a resident registration number in any column, bad codes, dates
    or numbers, unknown courses or learners, duplicate rows, a wrong encoding. Names and phone
    numbers become keyed pseudonyms and are not stored; disability fields are kept only where
    consent is recorded.

    Example:

        ddkit training import enrolments.csv --mapping enrolments.mapping.yaml --dry-run

        ddkit training import enrolments.csv --mapping enrolments.mapping.yaml

        ddkit training import courses.csv --kind courses
    """
    with _no_cycle_collection():
        result = _import(file, mapping, kind, key_file, dry_run, retain_years, db)
    if json_output:
        print_json("training.import", result)
    else:
        _import_report(result)
    if not result.ok:
        raise typer.Exit(ExitCode.RUNTIME)


def _import(file, mapping, kind, key_file, dry_run, retain_years, db):
    _pyarrow_without_pandas()
    from training_tracker.importers import import_file

    engine = _engine(db)
    try:
        with _progress(f"Importing {file.name}") as say:
            result = import_file(
                engine,
                file,
                mapping_path=mapping,
                kind=kind.value if kind else None,
                key_file=key_file,
                dry_run=dry_run,
                retain_years=retain_years,
                progress=say,
            )
    finally:
        engine.dispose()
    return result


def _import_report(result) -> None:
    name = escape(Path(result.file).name)
    if not result.ok:
        err.print(
            f"[bold red]Refused:[/] {name}: {result.errors_total:,} problem(s) in {result.rows:,} rows; "
            "nothing from this file was stored.",
            soft_wrap=True,
        )
        for issue in result.errors[:20]:
            err.print(f"  {name}: {escape(str(issue))}", soft_wrap=True)
        if result.errors_total > 20:
            err.print(f"  … and {result.errors_total - 20:,} more (all of them with --json)")
        _notes(result.warnings)
        return
    added = ", ".join(f"{table} {n:,}" for table, n in result.added.items() if n) or "nothing new"
    verb = "would add" if result.dry_run else "added"
    out.print(f"{name}: {result.rows:,} rows checked, {verb} {added}.", soft_wrap=True)
    if result.already_present:
        out.print(f"  {result.already_present:,} already stored (left as they are).")
    if result.updated:
        out.print(f"  {result.updated:,} updated.")
    if result.dry_run:
        out.print("  Dry run: nothing was stored.")
    _notes(result.warnings)


# -- single records -------------------------------------------------------------------------------
@course_app.command("add")
def course_add(
    code: Annotated[str, typer.Option("--code", help="Unique code of the run.", show_default=False)],
    programme: Annotated[
        str, typer.Option("--programme", help="Programme, e.g. digital_baeumteo.", show_default=False)
    ],
    name: Annotated[str, typer.Option("--name", help="Course name.", show_default=False)],
    mode: Annotated[
        str, typer.Option("--mode", help="classroom, home_visit, online or outreach.", show_default=False)
    ],
    start: Annotated[str, typer.Option("--start", help="First day, YYYY-MM-DD.", show_default=False)],
    end: Annotated[str, typer.Option("--end", help="Last day, YYYY-MM-DD.", show_default=False)],
    hours: Annotated[float, typer.Option("--hours", help="Planned hours.", show_default=False)],
    sessions: Annotated[int, typer.Option("--sessions", help="Planned sessions.", show_default=False)],
    year: Annotated[
        int | None, typer.Option("--year", help="Programme year (default: year of --start).")
    ] = None,
    course_type: Annotated[str | None, typer.Option("--type", help="기초, 활용, 자격증, 전문 …")] = None,
    capacity: Annotated[int | None, typer.Option("--capacity", help="Seats.")] = None,
    site: Annotated[
        str | None, typer.Option("--site", help="Site code (imported with a sites file).")
    ] = None,
    sido: Annotated[str | None, typer.Option("--sido", help="2-digit 시도 code.")] = None,
    sigungu: Annotated[str | None, typer.Option("--sigungu", help="5-digit 시군구 code.")] = None,
    employment_track: Annotated[
        bool, typer.Option("--employment-track", help="An employment-track course.")
    ] = False,
    rule: Annotated[str, typer.Option("--rule", help="Completion rule code.")] = "hours80",
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add a course run.

    Example:

        ddkit training course add --code R2025-01 --programme digital_baeumteo --name "스마트폰 기초" --mode classroom --start 2025-03-03 --end 2025-03-28 --hours 20 --sessions 10 --sigungu 11110
    """
    from training_tracker.records import add_course

    engine = _engine(db)
    try:
        result = add_course(
            engine,
            code=code,
            programme=programme,
            course_name=name,
            mode=mode,
            start_date=start,
            end_date=end,
            planned_hours=hours,
            planned_sessions=sessions,
            year=year,
            course_type=course_type,
            capacity=capacity,
            site_code=site,
            sido_code=sido,
            sigungu_code=sigungu,
            employment_track=employment_track,
            completion_rule=rule,
        )
    finally:
        engine.dispose()
    if json_output:
        print_json("training.course", result)
    else:
        out.print(
            f"Added course run {escape(code)} ({escape(programme)}, {result['mode']}, {result['year']})."
        )


@learner_app.command("add")
def learner_add(
    birth_year: Annotated[int, typer.Option("--birth-year", help="Year of birth.", show_default=False)],
    sex: Annotated[str, typer.Option("--sex", help="M or F (남/여).", show_default=False)],
    group: Annotated[
        list[str],
        typer.Option(
            "--group",
            "-g",
            help="Group (repeat for several): disabled, elderly, marriage_immigrant, low_income, farmers_fishers, nk_defector, general.",
            show_default=False,
        ),
    ],
    learner: Annotated[str | None, typer.Option("--learner", help="An existing pseudonymous id.")] = None,
    name: Annotated[
        str | None, typer.Option("--name", help="Name: only used to derive the pseudonym.")
    ] = None,
    phone: Annotated[
        str | None, typer.Option("--phone", help="Phone number: only used to derive the pseudonym.")
    ] = None,
    sido: Annotated[str | None, typer.Option("--sido", help="2-digit 시도 code of residence.")] = None,
    sigungu: Annotated[
        str | None, typer.Option("--sigungu", help="5-digit 시군구 code of residence.")
    ] = None,
    eligibility: Annotated[
        str | None, typer.Option("--eligibility", help="Eligibility basis, e.g. family_of_disabled.")
    ] = None,
    consent_sensitive: Annotated[
        bool,
        typer.Option("--consent-sensitive", help="Separate consent to process disability data is on file."),
    ] = False,
    disability_type: Annotated[
        str | None, typer.Option("--disability-type", help="Stored only with --consent-sensitive.")
    ] = None,
    severity: Annotated[
        str | None, typer.Option("--severity", help="severe or mild; only with --consent-sensitive.")
    ] = None,
    retain_until: Annotated[
        str | None, typer.Option("--retain-until", help="Purge after this date (YYYY-MM-DD).")
    ] = None,
    key_file: KeyFileOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add a learner; with --name and --phone, prints the keyed pseudonym they map to (neither is stored).

    Example:

        ddkit training learner add --name 홍길동 --phone 010-1234-5678 --birth-year 1950 --sex M --group elderly --sigungu 11110

        ddkit training learner add --learner L0001 --birth-year 1975 --sex F --group disabled --sido 41 --consent-sensitive --disability-type visual
    """
    from training_tracker.records import add_learner

    engine = _engine(db)
    try:
        result = add_learner(
            engine,
            learner_id=learner,
            name=name,
            phone=phone,
            key_file=key_file,
            birth_year=birth_year,
            sex=sex,
            groups=group,
            sido_code=sido,
            sigungu_code=sigungu,
            eligibility_basis=eligibility,
            consent_sensitive=consent_sensitive,
            disability_type=disability_type,
            disability_severity=severity,
            retain_until=retain_until,
        )
    finally:
        engine.dispose()
    if json_output:
        print_json("training.learner", result)
    elif result["created"]:
        out.print(f"Added learner {escape(result['learner'])}.")
    else:
        out.print(f"Learner {escape(result['learner'])} is already stored; nothing changed.")


@app.command()
def enrol(
    learner: Annotated[str, typer.Option("--learner", help="Pseudonymous learner id.", show_default=False)],
    run: Annotated[str, typer.Option("--run", help="Course run code.", show_default=False)],
    on: Annotated[str | None, typer.Option("--on", help="Enrolment date (default today).")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Enrol a learner in a course run (again: nothing changes).

    Example:

        ddkit training enrol --learner L0001 --run R2025-01 --on 2025-03-01
    """
    from training_tracker.records import enrol as enrol_learner

    engine = _engine(db)
    try:
        result = enrol_learner(engine, learner=learner, run_code=run, enrolled_on=on)
    finally:
        engine.dispose()
    if json_output:
        print_json("training.enrol", result)
    elif result["created"]:
        out.print(f"Enrolled {escape(learner)} in {escape(run)}.")
    else:
        out.print(f"{escape(learner)} is already enrolled in {escape(run)} ({result['status']}).")


def _marks(values: list[str], status: str):
    from training_tracker.errors import TrainingUsageError
    from training_tracker.records import AttendanceMark

    marks = []
    for value in values:
        learner, _, minutes = value.partition("=")
        if minutes and not minutes.isdigit():
            raise TrainingUsageError(f"{value!r}: write LEARNER or LEARNER=MINUTES")
        marks.append(AttendanceMark(learner.strip(), status, int(minutes) if minutes else None))
    return marks


@app.command()
def attend(
    run: Annotated[str, typer.Argument(help="Course run code.", show_default=False)],
    session_no: Annotated[int, typer.Argument(help="Session number (1, 2 …).", show_default=False)],
    date: Annotated[
        str | None, typer.Option("--date", help="Session date; needed for a new session.")
    ] = None,
    present: Annotated[
        list[str] | None,
        typer.Option("--present", "-p", help="Present learner (LEARNER or LEARNER=MINUTES); repeat."),
    ] = None,
    late: Annotated[
        list[str] | None, typer.Option("--late", "-l", help="Late learner, LEARNER=MINUTES attended.")
    ] = None,
    excused: Annotated[
        list[str] | None, typer.Option("--excused", "-e", help="Excused absence (공결).")
    ] = None,
    absent: Annotated[list[str] | None, typer.Option("--absent", "-a", help="Absent learner.")] = None,
    planned_minutes: Annotated[
        int | None,
        typer.Option("--planned-minutes", help="Length of a new session (default planned hours / sessions)."),
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Record attendance for one session (P present, L late, E excused, A absent); corrections overwrite.

    Example:

        ddkit training attend R2025-01 1 --date 2025-03-03 -p L0001 -p L0002 -l L0003=90 -a L0004
    """
    from training_tracker.records import record_attendance

    marks = (
        _marks(present or [], "P")
        + _marks(late or [], "L")
        + _marks(excused or [], "E")
        + _marks(absent or [], "A")
    )
    engine = _engine(db)
    try:
        result = record_attendance(
            engine,
            run_code=run,
            session_no=session_no,
            date=date,
            marks=marks,
            planned_minutes=planned_minutes,
        )
    finally:
        engine.dispose()
    if json_output:
        print_json("training.attend", result)
    else:
        counts = {s: sum(1 for mk in result["marks"] if mk["status"] == s) for s in "PLEA"}
        made = " (new session)" if result["session_created"] else ""
        out.print(
            f"{escape(run)} session {session_no} on {result['date']}{made}: "
            f"present {counts['P']}, late {counts['L']}, excused {counts['E']}, absent {counts['A']}."
        )


@app.command()
def complete(
    run: Annotated[str | None, typer.Argument(help="Course run code (or --all).", show_default=False)] = None,
    all_runs: Annotated[bool, typer.Option("--all", help="Every run that has ended by --as-of.")] = False,
    final: Annotated[
        bool, typer.Option("--final", help="The run is over: who has not met the rule has not completed.")
    ] = False,
    recompute: Annotated[
        bool,
        typer.Option("--recompute", help="Judge decided enrolments again (with the rule's latest version)."),
    ] = False,
    as_of: AsOfOption = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Apply a run's completion rule (default hours80: attended ≥ 80% of planned hours).

    The rule's latest version is used and recorded on each decided enrolment, so a later rule
    change does not rewrite history (unless --recompute).

    Example:

        ddkit training complete R2025-01 --final

        ddkit training complete --all --final --as-of 2025-12-31
    """
    from training_tracker.errors import TrainingUsageError
    from training_tracker.records import complete_finished_runs, complete_run

    if (run is None) == (not all_runs):
        raise TrainingUsageError("give a run code or --all (not both)")
    engine = _engine(db)
    try:
        if all_runs:
            results = complete_finished_runs(engine, as_of=as_of, final=final, recompute=recompute)
        else:
            results = [complete_run(engine, run, final=final, recompute=recompute, as_of=as_of)]
    finally:
        engine.dispose()
    if json_output:
        print_json("training.complete", results if all_runs else results[0])
        return
    table = _table("Completion")
    for column in ("run", "rule", "needed", "completed", "not completed", "open", "unchanged"):
        table.add_column(column, justify="left" if column in ("run", "rule") else "right")
    for r in results:
        unit = "min" if r.basis == "hours" else "sessions"
        table.add_row(
            escape(r.run),
            f"{r.rule} v{r.rule_version}",
            f"{r.needed:g} {unit}",
            str(r.completed),
            str(r.not_completed),
            str(r.still_open),
            str(r.unchanged),
        )
    _show(table)


@rule_app.command("add")
def rule_add(
    code: Annotated[
        str,
        typer.Option("--code", help="Rule code; an existing code gets a new version.", show_default=False),
    ],
    basis: Annotated[
        str, typer.Option("--basis", help="hours (attended minutes) or sessions (attended sessions).")
    ] = "hours",
    min_ratio: Annotated[
        float, typer.Option("--min-ratio", help="Share of planned hours or sessions needed.")
    ] = 0.8,
    min_post_score: Annotated[
        float | None,
        typer.Option("--min-post-score", help="Also a post-test of at least this % of its maximum."),
    ] = None,
    description: Annotated[
        str | None, typer.Option("--description", help="What the rule is and where it comes from.")
    ] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Add a completion rule, or a new version of one.

    Example:

        ddkit training rule add --code sessions75 --basis sessions --min-ratio 0.75

        ddkit training rule add --code itq --basis hours --min-ratio 0.8 --min-post-score 60
    """
    from training_tracker.records import add_rule

    engine = _engine(db)
    try:
        result = add_rule(
            engine,
            code=code,
            basis=basis,
            min_ratio=min_ratio,
            min_post_score=min_post_score,
            description=description,
        )
    finally:
        engine.dispose()
    if json_output:
        print_json("training.rule", result)
    else:
        out.print(
            f"Rule {escape(code)} version {result['version']}: {basis} ≥ {min_ratio:g}"
            + (f" and post-test ≥ {min_post_score:g}%" if min_post_score is not None else "")
        )


@rule_app.command("list")
def rule_list(db: DbOption = None, json_output: JsonOption = False) -> None:
    """List the completion rules and their versions.

    Example:

        ddkit training rule list
    """
    from training_tracker.records import list_rules

    engine = _engine(db)
    try:
        rules = list_rules(engine)
    finally:
        engine.dispose()
    if json_output:
        print_json("training.rules", rules)
        return
    table = _table("Completion rules")
    for column in ("code", "version", "basis", "min ratio", "min post score", "description"):
        table.add_column(column)
    for r in rules:
        table.add_row(
            escape(r["code"]),
            str(r["version"]),
            r["basis"],
            f"{r['min_ratio']:g}",
            "–" if r["min_post_score"] is None else f"{r['min_post_score']:g}%",
            escape(r["description"] or ""),
        )
    _show(table)


@break_app.command("add")
def break_add(
    month: Annotated[
        str, typer.Option("--month", help="First month of the new regime, YYYY-MM.", show_default=False)
    ],
    kind: Annotated[
        str, typer.Option("--kind", help="launch, budget_cut, definition_change or other.")
    ] = "other",
    programme: Annotated[
        str, typer.Option("--programme", help="Programme it applies to (default all).")
    ] = "all",
    note: Annotated[str | None, typer.Option("--note", help="What happened.")] = None,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Mark a structural break; forecasts fit only the data from the latest break on.

    Example:

        ddkit training break add --month 2024-01 --kind budget_cut --note "budget -60%"
    """
    from training_tracker.records import add_break

    engine = _engine(db)
    try:
        result = add_break(engine, month=month, kind=kind, programme=programme, note=note)
    finally:
        engine.dispose()
    if json_output:
        print_json("training.break", result)
    else:
        out.print(f"Break {result['month']} ({result['kind']}) for {escape(programme)}.")


@break_app.command("list")
def break_list(db: DbOption = None, json_output: JsonOption = False) -> None:
    """List the structural breaks.

    Example:

        ddkit training break list
    """
    from training_tracker.records import list_breaks

    engine = _engine(db)
    try:
        breaks = list_breaks(engine)
    finally:
        engine.dispose()
    if json_output:
        print_json("training.breaks", breaks)
        return
    table = _table("Structural breaks")
    for column in ("month", "programme", "kind", "note"):
        table.add_column(column)
    for b in breaks:
        table.add_row(b["month"], escape(b["programme"]), b["kind"], escape(b["note"] or ""))
    _show(table)


# -- KPIs -----------------------------------------------------------------------------------------
@app.command()
def kpis(
    year: Annotated[int | None, typer.Option("--year", help="Programme year of the course runs.")] = None,
    programme: Annotated[str | None, typer.Option("--programme", help="Only this programme.")] = None,
    group: Annotated[str | None, typer.Option("--group", help="Only learners in this group.")] = None,
    region: Annotated[
        str | None,
        typer.Option("--region", help="Only learners living in this 시도 (2 digits) or 시군구 (5)."),
    ] = None,
    region_level: Annotated[
        RegionLevel, typer.Option("--region-level", help="Regions by 시도 or 시군구.")
    ] = RegionLevel.sido,
    target_basis: Annotated[
        TargetBasis, typer.Option("--target-basis", help="What targets count.")
    ] = TargetBasis.enrolments,
    as_of: AsOfOption = None,
    min_cell: Annotated[int, typer.Option("--min-cell", help="Suppress counts below this (5 or more).")] = 5,
    gap_index: Annotated[
        Path | None,
        typer.Option(
            "--gap-index",
            help="CSV of gap-index levels (year, group, value) to show beside the equity ratios.",
            show_default=False,
        ),
    ] = None,
    at_risk_limit: Annotated[
        int, typer.Option("--at-risk-limit", help="Longest at-risk list to print.", min=0)
    ] = 200,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """KPIs: enrolments and learners, start, completion, certificate and employment rates, target
    attainment by group, region and month, the funnel, the at-risk list and equity ratios.

    Counts of fewer than 5 people (and rates built on them) are suppressed everywhere.

    Example:

        ddkit training kpis --year 2025

        ddkit training kpis --year 2025 --group disabled --region 41 --json

        ddkit training kpis --year 2025 --gap-index gap_index_published.csv
    """
    with _no_cycle_collection():
        report = _kpis(
            db,
            year,
            programme,
            group,
            region,
            region_level,
            target_basis,
            as_of,
            min_cell,
            gap_index,
            at_risk_limit,
        )
    if json_output:
        print_json("training.kpis", report)
        return
    _kpi_tables(report)


def _kpis(
    db, year, programme, group, region, region_level, target_basis, as_of, min_cell, gap_index, at_risk_limit
):
    from training_tracker.kpis import compute_kpis

    engine = _engine(db)
    try:
        with _progress("Computing KPIs") as say:
            report = compute_kpis(
                engine,
                year=year,
                programme=programme,
                group=group,
                region=region,
                region_level=region_level.value,
                target_basis=target_basis.value,
                as_of=_date(as_of),
                min_cell=min_cell,
                gap_index=gap_index,
                at_risk_limit=at_risk_limit,
                progress=say,
            )
    finally:
        engine.dispose()
    return report


def _kpi_tables(report) -> None:
    c = report.min_cell
    h = report.headline
    filters = ", ".join(f"{k} {v}" for k, v in report.filters.items() if v is not None) or "all records"
    table = _table(f"Training KPIs ({filters}; as of {report.as_of})")
    table.add_column("measure")
    table.add_column("value", justify="right")
    for name, pct in (
        ("enrolments", False),
        ("learners", False),
        ("attended", False),
        ("start_rate", True),
        ("completed", False),
        ("completion_rate", True),
        ("certified", False),
        ("certificate_rate", True),
        ("employed", False),
        ("employment_rate", True),
    ):
        table.add_row(name.replace("_", " "), _cell(h, name, c, pct))
    _show(table)

    table = _table("Funnel")
    for column in ("step", "count", "of previous", "of enrolled"):
        table.add_column(column, justify="left" if column == "step" else "right")
    for row in report.funnel:
        table.add_row(
            row["step"],
            _cell(row, "count", c),
            _cell(row, "of_previous", c, True),
            _cell(row, "of_enrolled", c, True),
        )
    _show(table)

    for title, rows, key in (
        ("By group", report.by_group, "group"),
        ("By region", report.by_region, "region"),
    ):
        table = _table(title)
        for column in (key, "enrolments", "learners", "completed", "completion", "target", "attainment"):
            table.add_column(column, justify="left" if column == key else "right")
        for row in rows:
            label = row[key] + (f" {row['name']}" if row.get("name") else "")
            table.add_row(
                escape(label),
                _cell(row, "enrolments", c),
                _cell(row, "learners", c),
                _cell(row, "completed", c),
                _cell(row, "completion_rate", c, True),
                _cell(row, "target_enrolled", c),
                _cell(row, "attainment", c, True),
            )
        _show(table)

    table = _table("By month")
    for column in ("month", "enrolments", "learners", "cumulative", "target to date", "attainment"):
        table.add_column(column, justify="left" if column == "month" else "right")
    for row in report.by_month:
        table.add_row(
            row["month"],
            _cell(row, "enrolments", c),
            _cell(row, "learners", c),
            _cell(row, "cumulative_enrolments", c),
            _cell(row, "target_to_date", c),
            _cell(row, "attainment_to_date", c, True),
        )
    _show(table)

    if report.targets:
        table = _table(f"Targets (actual = {report.target_basis})")
        for column in ("year", "programme", "group", "region", "target", "actual", "attainment"):
            table.add_column(
                column, justify="right" if column in ("target", "actual", "attainment") else "left"
            )
        for row in report.targets:
            table.add_row(
                str(row["year"]),
                escape(row["programme"]),
                row["group"],
                row["region"],
                _cell(row, "target", c),
                _cell(row, "actual", c),
                _cell(row, "attainment", c, True),
            )
        _show(table)

    table = _table("Equity (share of trainees ÷ share of population)")
    for column in (
        "group",
        "learners",
        "share of trainees",
        "share of population",
        "equity ratio",
        "gap index",
    ):
        table.add_column(column, justify="left" if column == "group" else "right")
    for row in report.equity:
        gap = (
            "–"
            if row["gap_index_level"] is None
            else f"{row['gap_index_level']:.1f} ({row['gap_index_year']})"
        )
        table.add_row(
            row["group"],
            _cell(row, "learners", c),
            _cell(row, "share_of_trainees", c, True),
            _cell(row, "share_of_population", c, True),
            _cell(row, "equity_ratio", c),
            gap,
        )
    _show(table)

    if report.at_risk_total:
        table = _table(f"At risk ({report.at_risk_total:,} open enrolments)")
        for column in ("learner", "run", "days since attended", "missed / held", "why"):
            table.add_column(column)
        for row in report.at_risk[:20]:
            table.add_row(
                escape(row["learner"]),
                escape(row["run"]),
                str(row["days_since_attended"]),
                f"{row['sessions_missed']} / {row['sessions_held']}",
                ", ".join(row["reasons"]),
            )
        _show(table)
        if report.at_risk_total > 20:
            out.print(f"  … {report.at_risk_total - 20:,} more with --json")
    _notes(report.notes)


# -- forecast -------------------------------------------------------------------------------------
@app.command()
def forecast(
    measure: Annotated[
        Measure, typer.Option("--measure", help="What to forecast, per month.")
    ] = Measure.enrolments,
    programme: Annotated[str | None, typer.Option("--programme", help="Only this programme.")] = None,
    group: Annotated[str | None, typer.Option("--group", help="Only learners in this group.")] = None,
    region: Annotated[
        str | None, typer.Option("--region", help="Only learners living in this 시도 or 시군구.")
    ] = None,
    horizon: Annotated[int, typer.Option("--horizon", help="Periods ahead.", min=1, max=120)] = 12,
    until: Annotated[
        str | None,
        typer.Option("--until", help="Last month to use, YYYY-MM (leave out a month still under way)."),
    ] = None,
    series: Annotated[
        Path | None,
        typer.Option(
            "--series",
            help="Forecast this CSV (period,value; YYYY or YYYY-MM) instead of the database.",
            show_default=False,
        ),
    ] = None,
    breaks: Annotated[
        list[str] | None,
        typer.Option(
            "--break",
            help="A structural break, YYYY-MM[:kind] (or YYYY[:kind] for a yearly series); repeat.",
            show_default=False,
        ),
    ] = None,
    db_breaks: Annotated[
        bool, typer.Option("--db-breaks/--no-db-breaks", help="Also use the breaks marked in the database.")
    ] = True,
    seasonal: Annotated[
        Seasonal, typer.Option("--seasonal", help="Monthly seasonality: auto (with 36+ months), add, none.")
    ] = Seasonal.auto,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Forecast demand: ETS with a damped trend against the naive and drift baselines.

    The method with the lowest backtest error (rolling origin) gives the forecast, with 80% and
    95% prediction intervals. Only the data from the latest structural break on are used.

    Example:

        ddkit training forecast --horizon 12 --until 2025-09

        ddkit training forecast --series baeumteo_yearly.csv --break 2024:budget_cut --horizon 2
    """
    from training_tracker.forecast import (
        breaks_from_db,
        forecast_series,
        monthly_series,
        parse_break,
        read_series_csv,
    )

    marked = [parse_break(b) for b in breaks or []]
    if series is not None:
        points, frequency = read_series_csv(series)
        source = str(series)
        if db_breaks and (db is not None):
            engine = _engine(db)
            try:
                marked += breaks_from_db(engine, programme)
            finally:
                engine.dispose()
    else:
        engine = _engine(db)
        try:
            points = monthly_series(
                engine, measure.value, programme=programme, group=group, region=region, until=until
            )
            if db_breaks:
                marked += breaks_from_db(engine, programme)
        finally:
            engine.dispose()
        frequency, source = "month", "database"
    with _progress("Forecasting") as say:
        result = forecast_series(
            points,
            frequency=frequency,
            horizon=horizon,
            breaks=marked,
            seasonal=seasonal.value,
            measure=measure.value if series is None else "value",
            source=source,
            progress=say,
        )
    if json_output:
        print_json("training.forecast", result)
        return
    out.print(
        f"Forecast of {result.measure} ({result.frequency}ly, from {escape(result.source)}), fitted on "
        f"{result.fitted_from} to {result.series[-1]['period']}: best method [bold]{result.method}[/]."
    )
    table = _table(f"Backtest ({result.backtest_horizon}-step rolling origin)")
    for column in ("method", "MAE", "RMSE", "forecasts"):
        table.add_column(column, justify="left" if column == "method" else "right")
    for row in result.backtest:
        table.add_row(
            row["method"],
            "–" if row["mae"] is None else f"{row['mae']:,.1f}",
            "–" if row["rmse"] is None else f"{row['rmse']:,.1f}",
            str(row["errors"]),
        )
    _show(table)
    table = _table(f"Forecast ({result.method})")
    for column in ("period", "mean", "80% interval", "95% interval"):
        table.add_column(column, justify="left" if column == "period" else "right")
    for row in result.forecast:
        table.add_row(
            row["period"],
            f"{row['mean']:,.0f}",
            f"{row['lower_80']:,.0f} – {row['upper_80']:,.0f}",
            f"{row['lower_95']:,.0f} – {row['upper_95']:,.0f}",
        )
    _show(table)
    _notes(result.notes)


# -- purge ----------------------------------------------------------------------------------------
@app.command()
def purge(
    as_of: AsOfOption = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Count what would be deleted; delete nothing.")
    ] = False,
    db: DbOption = None,
    json_output: JsonOption = False,
) -> None:
    """Delete learners whose retain-until date has passed, with all their records, and say how many.

    Example:

        ddkit training purge --dry-run

        ddkit training purge
    """
    from training_tracker.records import purge_expired

    engine = _engine(db)
    try:
        result = purge_expired(engine, as_of=as_of, dry_run=dry_run)
    finally:
        engine.dispose()
    if json_output:
        print_json("training.purge", result)
        return
    verb = "Would delete" if dry_run else "Deleted"
    out.print(
        f"{verb} {result.learners:,} learner(s) retained until before {result.as_of}, with "
        f"{result.enrolments:,} enrolment(s), {result.attendance:,} attendance record(s), "
        f"{result.assessments:,} assessment(s) and {result.outcomes:,} outcome(s)."
    )
