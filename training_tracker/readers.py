"""Chunked reading of CSV and XLSX import files into all-string Arrow tables with row numbers.

Row numbers are the ones a spreadsheet shows: the header is row 1, the first record row 2 (a
quoted value spanning two lines is still one row). Everything is read as text so that validation
sees exactly what the file holds (a 13-digit number stays a 13-digit string).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa

from training_tracker.errors import TrainingError

_BLOCK = 1 << 25  # bytes per CSV block handed to Arrow
_BOM = codecs.BOM_UTF8


@dataclass
class Chunk:
    table: pa.Table  # string columns named by the file's headers
    rows: np.ndarray  # the spreadsheet row number of each record


@dataclass
class ReadIssue:
    row: int | None
    column: str | None
    code: str
    message: str


def _normal_encoding(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "utf-8" if name in ("utf-8", "utf-8-sig") else name


def locate_decode_error(path: Path, encoding: str, delimiter: str = ",") -> tuple[int, int, int, str] | None:
    """The first byte that does not decode: (line, column number, byte offset, reason), or None."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    offset = 0
    line = 1
    line_start = b""
    with open(path, "rb") as fh:
        while True:
            block = fh.read(1 << 20)
            final = not block
            try:
                decoder.decode(block, final=final)
            except UnicodeDecodeError as exc:
                # exc.start is relative to the bytes the decoder held plus this block.
                pending = len(exc.object) - len(block)
                bad = offset - pending + exc.start
                fh.seek(0)
                head = fh.read(bad)
                line = head.count(b"\n") + 1
                line_start = head[head.rfind(b"\n") + 1 :]
                column = _field_index(line_start, delimiter.encode("ascii", "replace")) + 1
                return line, column, bad, exc.reason
            if final:
                return None
            offset += len(block)


def _field_index(prefix: bytes, delimiter: bytes) -> int:
    """How many delimiters (outside quotes) precede the end of ``prefix``: the 0-based field index."""
    count, quoted = 0, False
    for byte in prefix:
        if byte == 0x22:
            quoted = not quoted
        elif not quoted and bytes([byte]) == delimiter:
            count += 1
    return count


def _encoding_error(path: Path, encoding: str, delimiter: str, headers: list[str] | None) -> TrainingError:
    found = locate_decode_error(path, encoding, delimiter)
    if found is None:
        return TrainingError(f"{path}: the file could not be decoded as {encoding}")
    line, column, offset, reason = found
    name = headers[column - 1] if headers and 0 < column <= len(headers) else f"#{column}"
    guess = ""
    if _normal_encoding(encoding) == "utf-8" and locate_decode_error(path, "cp949", delimiter) is None:
        guess = " It decodes as CP949 (Korean Windows/Excel)."
    return TrainingError(
        f"{path}: not valid {encoding} at line {line}, column {name} (byte offset {offset}: {reason}).{guess}",
        hint="Set 'encoding: cp949' in the mapping file, or save the file as CSV UTF-8."
        if guess
        else "Save the file as CSV UTF-8, or set the right 'encoding:' in the mapping file.",
    )


class SourceFile:
    """One CSV or XLSX file, read in chunks of at most ``chunk_rows`` records."""

    def __init__(
        self, path: Path, *, encoding: str = "utf-8", delimiter: str = ",", sheet: str | None = None
    ):
        self.path = Path(path)
        if not self.path.is_file():
            raise TrainingError(f"no such file: {self.path}", hint="Check the path.")
        self.encoding = _normal_encoding(encoding)
        self.delimiter = delimiter
        self.sheet = sheet
        self.issues: list[ReadIssue] = []
        self.blank_rows = 0
        suffix = self.path.suffix.lower()
        if suffix in (".xlsx", ".xlsm"):
            self.format = "xlsx"
        elif suffix in (".csv", ".txt", ".tsv"):
            self.format = "csv"
        else:
            raise TrainingError(
                f"{self.path}: unsupported file type {suffix or '(none)'}",
                hint="Import .csv or .xlsx files (save .xls files as .xlsx first).",
            )
        self.headers = self._csv_headers() if self.format == "csv" else self._xlsx_headers()
        self._check_headers()

    # -- headers -------------------------------------------------------------------------------
    def _csv_headers(self) -> list[str]:
        with open(self.path, "rb") as fh:
            head = fh.read(1 << 20)
        if head.startswith(_BOM):
            head = head[len(_BOM) :]
        decoder = codecs.getincrementaldecoder(self.encoding)(errors="strict")
        try:
            text = decoder.decode(head, final=len(head) < (1 << 20))
        except UnicodeDecodeError:
            first_line_end = head.find(b"\n")
            try:
                head[: first_line_end if first_line_end >= 0 else len(head)].decode(self.encoding)
            except UnicodeDecodeError:
                raise _encoding_error(self.path, self.encoding, self.delimiter, None) from None
            text = head[: first_line_end + 1].decode(self.encoding)
        if not text.strip():
            raise TrainingError(
                f"{self.path}: the file is empty", hint="The first row must hold column headers."
            )
        reader = csv.reader(io.StringIO(text), delimiter=self.delimiter)
        return [h.strip() for h in next(reader)]

    def _open_workbook(self):
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - openpyxl raises many types for a broken file
            raise TrainingError(
                f"{self.path}: cannot read as XLSX ({type(exc).__name__}: {exc})",
                hint="Open it in Excel and save it again as .xlsx (not password-protected).",
            ) from exc
        if self.sheet is None:
            return workbook, workbook.worksheets[0]
        if self.sheet not in workbook.sheetnames:
            raise TrainingError(
                f"{self.path}: no sheet named {self.sheet!r}",
                hint=f"Sheets in this file: {', '.join(workbook.sheetnames)}.",
            )
        return workbook, workbook[self.sheet]

    def _xlsx_headers(self) -> list[str]:
        workbook, sheet = self._open_workbook()
        try:
            first = next(sheet.iter_rows(values_only=True), None)
        finally:
            workbook.close()
        if not first or all(v is None for v in first):
            raise TrainingError(
                f"{self.path}: the first row is empty", hint="Row 1 must hold column headers."
            )
        while first and first[-1] is None:
            first = first[:-1]
        return ["" if v is None else str(v).strip() for v in first]

    def _check_headers(self) -> None:
        seen: dict[str, int] = {}
        for index, name in enumerate(self.headers, start=1):
            if not name:
                raise TrainingError(
                    f"{self.path}: row 1, column {index} has no header",
                    hint="Give every column a header, or delete the empty column.",
                )
            if name in seen:
                raise TrainingError(
                    f"{self.path}: row 1: header {name!r} appears in columns {seen[name]} and {index}",
                    hint="Rename one of the two columns.",
                )
            seen[name] = index

    # -- records -------------------------------------------------------------------------------
    def chunks(self, chunk_rows: int = 200_000) -> Iterator[Chunk]:
        if self.format == "csv":
            yield from self._csv_chunks(chunk_rows)
        else:
            yield from self._xlsx_chunks(chunk_rows)

    def _csv_chunks(self, chunk_rows: int) -> Iterator[Chunk]:
        import pyarrow.csv as pcsv

        skipped: list[int] = []

        def invalid_row(row) -> str:
            number = row.number
            skipped.append(number if number is not None else -1)
            self.issues.append(
                ReadIssue(
                    number,
                    None,
                    "columns",
                    f"has {row.actual_columns} fields, the header has {row.expected_columns}",
                )
            )
            return "skip"

        read_options = pcsv.ReadOptions(
            encoding="utf8" if self.encoding == "utf-8" else self.encoding,
            block_size=_BLOCK,
            # Single-threaded, the reader numbers the rows it rejects (no measurable cost here).
            use_threads=False,
        )
        parse_options = pcsv.ParseOptions(
            delimiter=self.delimiter, newlines_in_values=True, invalid_row_handler=invalid_row
        )
        convert_options = pcsv.ConvertOptions(
            column_types={h: pa.string() for h in self.headers}, strings_can_be_null=False
        )
        seen = 0
        try:
            reader = pcsv.open_csv(
                self.path,
                read_options=read_options,
                parse_options=parse_options,
                convert_options=convert_options,
            )
            for batch in reader:
                n = batch.num_rows
                rows = np.arange(seen, seen + n, dtype=np.int64) + 2
                if skipped:  # records after a skipped row are one further down the file
                    known = np.sort(np.array([s for s in skipped if s > 0], dtype=np.int64))
                    for s in known:
                        rows[rows >= s] += 1
                seen += n
                table = pa.Table.from_batches([batch])
                if chunk_rows and n > chunk_rows:
                    for start in range(0, n, chunk_rows):
                        yield Chunk(table.slice(start, chunk_rows), rows[start : start + chunk_rows])
                else:
                    yield Chunk(table, rows)
            if any(s < 0 for s in skipped):
                self._number_invalid_rows()
        except (pa.ArrowInvalid, UnicodeDecodeError) as exc:
            text = str(exc)
            if isinstance(exc, UnicodeDecodeError) or "UTF8" in text or "UTF-8" in text:
                raise _encoding_error(self.path, self.encoding, self.delimiter, self.headers) from None
            # Arrow's parse messages quote the offending row; never echo file content.
            reason = text.split(":")[0] if ":" in text else text
            raise TrainingError(
                f"{self.path}: cannot parse the CSV after row {seen + 1} ({reason})",
                hint='Check quoting in that area (an unclosed " swallows the rest of the file) and the delimiter.',
            ) from None

    def _number_invalid_rows(self) -> None:
        """Arrow's parallel reader does not number the rows it rejects: find them with a plain
        reader (only on this failure path) so the report names the exact rows."""
        self.issues = [i for i in self.issues if i.code != "columns"]
        width = len(self.headers)
        encoding = "utf-8-sig" if self.encoding == "utf-8" else self.encoding
        with open(self.path, encoding=encoding, newline="") as fh:
            for number, record in enumerate(csv.reader(fh, delimiter=self.delimiter), start=1):
                if number > 1 and len(record) != width and any(field.strip() for field in record):
                    self.issues.append(
                        ReadIssue(
                            number, None, "columns", f"has {len(record)} fields, the header has {width}"
                        )
                    )

    def _xlsx_chunks(self, chunk_rows: int) -> Iterator[Chunk]:
        workbook, sheet = self._open_workbook()
        width = len(self.headers)
        columns: list[list[str | None]] = [[] for _ in range(width)]
        rows: list[int] = []
        try:
            for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
                if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                    self.blank_rows += 1
                    continue
                if len(values) > width and any(v is not None for v in values[width:]):
                    self.issues.append(
                        ReadIssue(number, None, "columns", f"has values beyond the {width} headed columns")
                    )
                for i in range(width):
                    columns[i].append(_cell_text(values[i]) if i < len(values) else None)
                rows.append(number)
                if len(rows) >= chunk_rows:
                    yield self._xlsx_chunk(columns, rows)
                    columns = [[] for _ in range(width)]
                    rows = []
        finally:
            workbook.close()
        if rows:
            yield self._xlsx_chunk(columns, rows)

    def _xlsx_chunk(self, columns: list[list[str | None]], rows: list[int]) -> Chunk:
        table = pa.table(
            {h: pa.array(col, type=pa.string()) for h, col in zip(self.headers, columns, strict=True)}
        )
        return Chunk(table, np.asarray(rows, dtype=np.int64))


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def file_sha256(path: Path) -> str:
    import hashlib

    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
