"""Write result tables as CSV (one file per table) or XLSX (one sheet per table).

``write_tables({"levels": t1, "scores": t2}, "out.csv")`` writes ``out.csv`` (the first table)
and ``out.scores.csv`` beside it; ``out.xlsx`` gets a sheet per table. Files are written to a
temporary name and renamed, so a failed write never leaves half a file.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from gap_survey.errors import SurveyError, SurveyUsageError

TABLE_FORMATS = (".csv", ".xlsx")


def table_paths(path: str | Path, names: list[str]) -> dict[str, Path]:
    """Where each table goes: the first at ``path``, the others at ``<stem>.<name><suffix>``."""
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        return dict.fromkeys(names, path)
    return {
        name: path if i == 0 else path.with_name(f"{path.stem}.{name}{path.suffix}")
        for i, name in enumerate(names)
    }


def write_tables(tables: dict[str, pd.DataFrame], path: str | Path) -> list[Path]:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_FORMATS:
        raise SurveyUsageError(
            f"Cannot write tables to {path}: unknown type {suffix or '(none)'!r}.",
            hint="Use --out FILE.csv, FILE.xlsx or FILE.json.",
        )
    if not path.parent.exists():
        raise SurveyError(
            f"Folder {path.parent} does not exist.", hint="Create it first or choose another --out."
        )
    written: list[Path] = []
    pending: list[Path] = []
    try:
        if suffix == ".xlsx":
            tmp = path.with_name(path.name + ".part")
            pending.append(tmp)
            with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
                for name, table in tables.items():
                    table.to_excel(writer, sheet_name=name[:31], index=False)
            tmp.replace(path)
            return [path]
        for name, target in table_paths(path, list(tables)).items():
            tmp = target.with_name(target.name + ".part")
            pending.append(tmp)
            tables[name].to_csv(tmp, index=False)
            tmp.replace(target)
            written.append(target)
    except OSError as exc:
        raise SurveyError(
            f"Cannot write {path}: {exc.strerror or exc}.", hint="Check the folder and permissions."
        ) from None
    finally:
        for tmp in pending:
            tmp.unlink(missing_ok=True)
    return written
