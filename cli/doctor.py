"""`ddkit doctor`: what ddkit will use on this machine, and how to fix what is missing."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from a11y_audit.errors import AuditError
from cli.exit_codes import ExitCode
from cli.options import DbOption, JsonOption, database_url
from cli.output import out, print_json
from cli.version import ddkit_version


def _check_database(url: str) -> tuple[bool, str]:
    import sqlalchemy as sa

    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        path = Path(parsed.database)
        if not path.exists():  # doctor looks, it does not create the file
            folder = path.parent if str(path.parent) else Path(".")
            if folder.is_dir() and os.access(folder, os.W_OK):
                return True, "will be created on first use"
            return False, f"folder {folder} does not exist or is not writable"
    try:
        engine = sa.create_engine(url)
        with engine.connect() as conn:
            conn.execute(sa.text("select 1"))
        engine.dispose()
        return True, "reachable"
    except Exception as exc:  # noqa: BLE001 - any driver error is a finding to show, not a crash
        return False, f"{type(exc).__name__}: {str(exc).splitlines()[0]}"


def doctor(json_output: JsonOption = False, db: DbOption = None) -> None:
    """Check the browser, axe-core and the database.

    Example:

        ddkit doctor

        ddkit doctor --db postgresql+psycopg://ddkit@127.0.0.1/ddkit --json
    """
    from a11y_audit.axe import load_axe  # here, not at the top: every other command starts faster
    from a11y_audit.browser import chromium_info

    checks: list[dict] = []
    try:
        info = chromium_info()
        checks.append(
            {"name": "chromium", "ok": True, "value": f"{info.path} ({info.version})", "hint": None}
        )
    except AuditError as exc:
        checks.append({"name": "chromium", "ok": False, "value": str(exc), "hint": exc.hint})
    try:
        axe = load_axe()
        checks.append({"name": "axe-core", "ok": True, "value": f"{axe.version} ({axe.path})", "hint": None})
    except AuditError as exc:
        checks.append({"name": "axe-core", "ok": False, "value": str(exc), "hint": exc.hint})
    url = database_url(db)
    ok, detail = _check_database(url)
    checks.append(
        {
            "name": "database",
            "ok": ok,
            "value": f"{url} ({detail})",
            "hint": None if ok else "Check --db / DDKIT_DB; for PostgreSQL, that the server runs.",
        }
    )
    all_ok = all(c["ok"] for c in checks)
    if json_output:
        print_json("doctor", {"ddkit_version": ddkit_version(), "ok": all_ok, "checks": checks})
    else:
        out.print(f"ddkit {ddkit_version()}")
        for c in checks:
            mark = "[green]ok[/]" if c["ok"] else "[red]MISSING[/]"
            out.print(f"  {mark:<18} {c['name']:<9} {c['value']}")
            if c["hint"]:
                out.print(f"  {'':<9}  fix: {c['hint']}")
    if not all_ok:
        raise typer.Exit(ExitCode.RUNTIME)
