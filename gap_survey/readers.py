"""Read and write survey microdata: CSV, XLSX, SPSS .sav, Stata .dta and Parquet.

Each format is read with the library made for it (pandas' CSV reader, openpyxl, pyreadstat,
pyarrow). SPSS and Stata files are read as codes, not value labels, because the codebook speaks
in codes. Only the columns the codebook needs are read.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from gap_survey.errors import SurveyError

FORMATS = {
    ".csv": "csv",
    ".txt": "csv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".sav": "sav",
    ".zsav": "sav",
    ".dta": "dta",
    ".parquet": "parquet",
    ".pq": "parquet",
}
XLSX_MAX_ROWS = 1_048_575  # one header row + data rows


def survey_format(path: str | Path) -> str:
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SurveyError(
            f"{path}: unknown file type {path.suffix or '(no extension)'!r}.",
            hint="Survey files must end in .csv, .xlsx, .sav, .dta or .parquet.",
        )
    return fmt


def _missing_file(path: Path) -> SurveyError:
    return SurveyError(f"Survey file {path} does not exist.", hint="Check the path and try again.")


def file_columns(path: str | Path) -> list[str]:
    """The column names of a survey file, read without loading its data."""
    path = Path(path)
    fmt = survey_format(path)
    if not path.is_file():
        raise _missing_file(path)
    try:
        if fmt == "csv":
            return [str(c) for c in pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns]
        if fmt == "xlsx":
            return [str(c) for c in pd.read_excel(path, nrows=0, engine="openpyxl").columns]
        if fmt == "parquet":
            import pyarrow.parquet as pq

            return [str(c) for c in pq.read_schema(path).names]
        import pyreadstat

        reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
        _, meta = reader(str(path), metadataonly=True)
        return [str(c) for c in meta.column_names]
    except SurveyError:
        raise
    except Exception as exc:  # noqa: BLE001 - every reader has its own exception types
        raise SurveyError(
            f"Cannot read {path} as {fmt.upper()}: {type(exc).__name__}: {exc}",
            hint="Check that the file is not damaged and that its extension matches its content.",
        ) from None


def read_survey(path: str | Path, columns: Sequence[str] | None = None) -> pd.DataFrame:
    """Read ``columns`` (all when ``None``) of a survey file into a DataFrame.

    Row ``i`` of the frame (0-based) is respondent ``i + 1`` of the file; validation messages count
    respondents from 1, so in a CSV or XLSX file respondent 1 is on line/row 2, after the header.
    """
    path = Path(path)
    fmt = survey_format(path)
    if not path.is_file():
        raise _missing_file(path)
    cols = list(dict.fromkeys(columns)) if columns is not None else None
    try:
        if fmt == "csv":
            frame = pd.read_csv(path, usecols=cols, encoding="utf-8-sig", low_memory=False)
        elif fmt == "xlsx":
            frame = pd.read_excel(path, usecols=cols, engine="openpyxl")
        elif fmt == "parquet":
            frame = pd.read_parquet(path, columns=cols, engine="pyarrow")
        else:
            import pyreadstat

            reader = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
            frame, _ = reader(str(path), usecols=cols, apply_value_formats=False)
    except SurveyError:
        raise
    except Exception as exc:  # noqa: BLE001
        raise SurveyError(
            f"Cannot read {path} as {fmt.upper()}: {type(exc).__name__}: {exc}",
            hint="Check that the file is not damaged and that its extension matches its content.",
        ) from None
    frame.columns = [str(c) for c in frame.columns]
    if cols is not None:
        frame = frame[[c for c in cols if c in frame.columns]]
    return frame


def write_survey(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    value_labels: dict[str, dict[int, str]] | None = None,
    column_labels: dict[str, str] | None = None,
) -> Path:
    """Write microdata in the format named by the file extension (labels go into .sav/.dta)."""
    path = Path(path)
    fmt = survey_format(path)
    if fmt == "xlsx" and len(frame) > XLSX_MAX_ROWS:
        raise SurveyError(
            f"{path}: {len(frame):,} respondents do not fit in one XLSX sheet (at most {XLSX_MAX_ROWS:,}).",
            hint="Write Parquet, CSV, .sav or .dta instead.",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    try:
        if fmt == "csv":
            frame.to_csv(tmp, index=False)
        elif fmt == "xlsx":
            frame.to_excel(tmp, index=False, engine="openpyxl")
        elif fmt == "parquet":
            frame.to_parquet(tmp, index=False, engine="pyarrow")
        else:
            import pyreadstat

            labels = column_labels or {}
            names = list(frame.columns)
            if fmt == "sav":
                pyreadstat.write_sav(
                    frame,
                    str(tmp),
                    column_labels=[labels.get(c, "") for c in names],
                    variable_value_labels=value_labels or {},
                )
            else:
                # Stata value labels must be on integer columns; pyreadstat writes labels per variable.
                pyreadstat.write_dta(
                    frame,
                    str(tmp),
                    column_labels=[labels.get(c, "")[:80] for c in names],
                    variable_value_labels=value_labels or {},
                )
        tmp.replace(path)
    except SurveyError:
        raise
    except OSError as exc:
        raise SurveyError(
            f"Cannot write {path}: {exc.strerror or exc}.", hint="Check the folder and permissions."
        ) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    return path
