"""``ddkit training import``: CSV/XLSX files into the tracker, one transaction per file.

Every row is validated (vectorised, see ``validate.py``); any problem, an RRN-shaped value in any
column included, rolls the whole file back and is reported with its row and column. Records whose
key is already stored are left as they are and counted, so importing the same file twice adds
nothing. Bulk writes stay inside the one transaction: on SQLite whole Arrow columns go in as JSON
documents that SQLite unpacks itself (``json_each``), elsewhere through the DB-API's ``executemany``.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.engine import Connection, Engine

from training_tracker import codes as m
from training_tracker.errors import TrainingError, TrainingUsageError
from training_tracker.mapping import KIND_KEYS, ImportMapping, identity_mapping, load_mapping
from training_tracker.privacy import load_or_create_key
from training_tracker.readers import Chunk, SourceFile, file_sha256
from training_tracker.validate import (
    ROW_CODES,
    ChunkValidator,
    ImportIssue,
    Issues,
    RowCodes,
    _mask,
    region_codes_for,
)

Progress = Callable[[int, str], None]
DEFAULT_RETAIN_YEARS = 3


@dataclass
class ImportResult:
    file: str
    kind: str
    sha256: str
    dry_run: bool
    rows: int = 0
    added: dict[str, int] = field(default_factory=dict)
    already_present: int = 0
    updated: int = 0
    warnings: list[str] = field(default_factory=list)
    errors: list[ImportIssue] = field(default_factory=list)
    errors_total: int = 0
    stored: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.errors_total == 0


# -- small SQL helpers (portable: INSERT … ON CONFLICT works on SQLite ≥ 3.24 and PostgreSQL) ------
def _placeholder(conn: Connection) -> str:
    return "?" if conn.dialect.paramstyle == "qmark" else "%s"


def _insert(
    conn: Connection, table: str, columns: Sequence[str], rows: Iterable[tuple], conflict: str = ""
) -> int:
    """executemany inside the open transaction; returns the rows actually inserted."""
    ph = _placeholder(conn)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join([ph] * len(columns))})"
    if conflict:
        sql += f" ON CONFLICT {conflict}"
    if conn.dialect.name == "sqlite":
        # The DB-API cursor of the same connection (same transaction) takes an iterator: no list of
        # a million tuples is built first.
        cursor = conn.connection.driver_connection.cursor()
        try:
            cursor.executemany(sql, rows)
            return max(cursor.rowcount, 0)
        finally:
            cursor.close()
    rows = [tuple(_portable(v) for v in row) for row in rows]
    if not rows:
        return 0
    result = conn.exec_driver_sql(sql, rows)
    return max(result.rowcount, 0)


# SQLite ≥ 3.38 always has the JSON functions (before, they were a compile-time option).
_SQLITE_JSON = sqlite3.sqlite_version_info >= (3, 38, 0)
#: Rows per JSON document (about 1.3 MB for an enrolment file): bounds the memory of one statement;
#: larger documents measured no faster.
_JSON_ROWS = 50_000
_CONTROL = r"[\x00-\x1f]"


def _json_cells(values: pa.Array) -> pa.Array | None:
    """Each value as a JSON literal (``null`` for nulls); None for a type this does not encode."""
    kind = values.type
    if pa.types.is_boolean(kind):
        values = pc.cast(values, pa.int8())
        kind = values.type
    if pa.types.is_integer(kind) or pa.types.is_date(kind):
        text = pc.cast(values, pa.string())
        if pa.types.is_date(kind):
            text = pc.binary_join_element_wise('"', text, '"', "")
        return pc.fill_null(text, "null")
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        values = pc.cast(values, pa.string())
        if pc.any(pc.match_substring_regex(values, _CONTROL)).as_py():
            return None  # would need \u escapes; rare enough to leave to executemany
        for char in ("\\", '"'):  # the backslash first
            if pc.any(pc.match_substring(values, char)).as_py():
                values = pc.replace_substring(values, char, "\\" + char)
        return pc.fill_null(pc.binary_join_element_wise('"', values, '"', ""), "null")
    if pa.types.is_null(kind):
        return pa.array(["null"] * len(values), pa.string())
    return None


#: 1970-01-01 as a Julian day number, for SQLite's date().
_EPOCH_JULIAN = 2440587.5


def _json_rows(arrays: Sequence[pa.Array]) -> tuple[pa.Array, str, str] | None:
    """Each row as a JSON array, the SQL that picks its values and the document's brackets; None
    if a type is not carried."""
    cells = [_json_cells(a) for a in arrays]
    if any(c is None for c in cells):
        return None
    rows = pc.binary_join_element_wise("[", pc.binary_join_element_wise(*cells, ","), "]", "")
    return rows, ", ".join(f"json_extract(value, '$[{i}]')" for i in range(len(arrays))), "[]"


#: At most this many distinct texts in a column are packed as a code (unpacked by a CASE).
_PACKED_TEXTS = 16
_DECIMAL = r"^(0|[1-9][0-9]{0,17})$"


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _code_column(values: pa.Array) -> tuple[np.ndarray, str] | None:
    """A column as small whole numbers (0 for null) and the SQL turning ``{}`` (its number) back
    into the value; None for a column that does not pack."""
    kind = values.type
    if values.null_count == len(values):
        return np.zeros(len(values), dtype=np.int64), "NULL"
    if pa.types.is_boolean(kind):
        values, kind = pc.cast(values, pa.int8()), pa.int8()
    if pa.types.is_string(kind) or pa.types.is_large_string(kind):
        distinct = pc.unique(values.drop_null())
        if len(distinct) <= _PACKED_TEXTS:
            if pc.any(pc.match_substring_regex(distinct, _CONTROL)).as_py():
                return None
            codes = pc.fill_null(pc.add(pc.index_in(values, value_set=distinct), 1), 0)
            numbers = np.asarray(codes.to_numpy(zero_copy_only=False), dtype=np.int64)
            cases = " ".join(f"WHEN {i + 1} THEN {_sql_text(v)}" for i, v in enumerate(distinct.to_pylist()))
            return numbers, f"CASE {{}} {cases} END"
        if not pc.all(pc.match_substring_regex(values.drop_null(), _DECIMAL)).as_py():
            return None
        # Codes written as plain decimals (시군구, 시도): a number, printed back as the same text.
        values = pc.cast(values, pa.int64())
        text = True
    elif pa.types.is_integer(kind) or pa.types.is_date32(kind):
        text = False
    else:
        return None
    is_date = pa.types.is_date32(values.type)
    numbers = pc.cast(values, pa.int32()) if is_date else pc.cast(values, pa.int64())
    low = int(pc.min(numbers).as_py())
    if pc.max(numbers).as_py() - low >= 1 << 62:
        return None
    shifted = pc.fill_null(pc.add(pc.subtract(pc.cast(numbers, pa.int64()), low), 1), 0)
    value = f"NULLIF({{}}, 0) - 1 + {low}" if values.null_count else f"{{}} - 1 + {low}"
    if is_date:
        value = f"date({_EPOCH_JULIAN} + {value})"
    elif text:
        value = f"CAST({value} AS TEXT)"
    return np.asarray(shifted.to_numpy(zero_copy_only=False), dtype=np.int64), value


def _packed(arrays: Sequence[pa.Array]) -> tuple[pa.Array, str, str] | None:
    """Rows packed into one whole number each (after an optional leading key), the SQL that unpacks
    them, and the JSON brackets of the document; None when they do not pack.

    Each column takes the bits of its range: whole numbers and dates less their smallest value,
    texts of a few distinct values as a code, texts of plain decimals as numbers; 0 is null. When
    all fit in 62 bits a row travels as one JSON number, or, with a first column of distinct texts
    (a learner's pseudonym), as one ``"key": number`` member of a JSON object. SQLite reads these
    much faster than a JSON array per row: 200,000 enrolments inserted in 0.11 s of CPU instead of
    0.25 s.
    """
    key, n = None, len(arrays[0])
    first = arrays[0]
    if (
        len(arrays) > 1
        and (pa.types.is_string(first.type) or pa.types.is_large_string(first.type))
        and not first.null_count
        and pc.count_distinct(first).as_py() == n
    ):
        key = _json_cells(first)
        if key is None:
            return None
        arrays = arrays[1:]
    parts = []
    for values in arrays:
        coded = _code_column(values)
        if coded is None:
            return None
        parts.append(coded)
    widths = [int(numbers.max()).bit_length() for numbers, _ in parts]
    if sum(widths) > 62:
        return None
    packed = np.zeros(n, dtype=np.int64)
    picks, shift = [], 0
    for (numbers, unpack), bits in zip(reversed(parts), reversed(widths), strict=True):
        field = f"((value >> {shift}) & {(1 << bits) - 1})" if bits else "0"
        picks.append(unpack.format(field))
        packed |= numbers << shift
        shift += bits
    rows = pc.cast(pa.array(packed), pa.string())
    if key is None:
        return rows, ", ".join(reversed(picks)), "[]"
    return pc.binary_join_element_wise(key, rows, ":"), ", ".join(["key", *reversed(picks)]), "{}"


def _insert_arrays(
    conn: Connection, table: str, columns: Sequence[str], arrays: Sequence[pa.Array], conflict: str = ""
) -> int:
    """Insert whole Arrow columns inside the open transaction; returns the rows actually inserted.

    On SQLite the rows travel as one JSON document per batch and SQLite unpacks them itself
    (``json_each``): no Python object per value and no per-row round trip through the DB-API,
    which is most of the cost of ``executemany`` for a million rows. A row is one JSON number when
    its values are whole numbers and dates that pack into one (see ``_packed``), a JSON array
    otherwise. Rows are inserted in the arrays' order. Other databases, and values JSON does not
    carry here, use ``executemany``.
    """
    n = len(arrays[0]) if arrays else 0
    if not n:
        return 0
    if conn.dialect.name == "sqlite" and _SQLITE_JSON:
        encoded = _packed(arrays) or _json_rows(arrays)
        if encoded is not None:
            rows, picks, brackets = encoded
            # "WHERE true" lets SQLite's parser tell the upsert clause from a join constraint.
            sql = f"INSERT INTO {table} ({', '.join(columns)}) SELECT {picks} FROM json_each(?) WHERE true"
            if conflict:
                sql += f" ON CONFLICT {conflict}"
            cursor = conn.connection.driver_connection.cursor()
            added = 0
            try:
                for start in range(0, n, _JSON_ROWS):
                    part = rows.slice(start, _JSON_ROWS)
                    listed = pa.ListArray.from_arrays(pa.array([0, len(part)], pa.int32()), part)
                    document = brackets[0] + pc.binary_join(listed, ",")[0].as_py() + brackets[1]
                    cursor.execute(sql, (document,))
                    added += max(cursor.rowcount, 0)
            finally:
                cursor.close()
            return added
    return _insert(conn, table, columns, zip(*(a.to_pylist() for a in arrays), strict=True), conflict)


def _fetch_arrays(conn: Connection, table: str, columns: Sequence[str], where: str = "", params: tuple = ()):
    """Whole columns of ``table`` as Arrow string arrays (null for NULL), in one consistent row order.

    On SQLite each column comes back as one ``group_concat`` string split by Arrow, instead of a
    Python tuple per row: reading 350,000 learners drops from about a second to a tenth. The
    split is checked against the row count and falls back to plain rows if a value holds the
    separator. Other databases read rows.
    """
    if conn.dialect.name == "sqlite":
        sep = "\x1f"
        concat = ", ".join(f"group_concat(ifnull(CAST({c} AS TEXT), ''), char(31))" for c in columns)
        row = _fetch(conn, f"SELECT count(*), {concat} FROM {table} {where}", params)[0]
        count, texts = row[0], row[1:]
        arrays = []
        for text in texts:
            if not count:
                arrays.append(pa.array([], pa.string()))
                continue
            parts = pc.split_pattern(pa.array([text], pa.string()), sep).flatten()
            if len(parts) != count:
                arrays = None
                break
            arrays.append(pc.if_else(pc.equal(parts, ""), pa.scalar(None, pa.string()), parts))
        if arrays is not None:
            return arrays
    rows = _fetch(conn, f"SELECT {', '.join(columns)} FROM {table} {where}", params)
    listed = list(zip(*rows, strict=True)) if rows else [[] for _ in columns]
    return [pa.array([None if v is None else _text(v) for v in col], pa.string()) for col in listed]


def _portable(value):
    # SQLite takes ISO strings for DATE columns; other drivers want date objects.
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _fetch(conn: Connection, sql: str, params: tuple = ()) -> list[tuple]:
    """Plain tuples straight from the DB-API cursor (much faster than Row objects for big reads)."""
    if params and _placeholder(conn) != "?":
        sql = sql.replace("?", "%s")
    cursor = conn.connection.driver_connection.cursor()
    try:
        cursor.execute(sql, params)
        return cursor.fetchall()
    finally:
        cursor.close()


def _col(values) -> list:
    """A field array (Arrow or numpy) as a Python list for executemany."""
    if values is None:
        return []
    if isinstance(values, np.ndarray):
        return values.tolist()
    return values.to_pylist()


class CodeIndex:
    """code → id for a small table (runs, sites, rules)."""

    def __init__(self, pairs: list[tuple[str, int]]) -> None:
        self.codes = pa.array([p[0] for p in pairs], type=pa.string())
        self.ids = np.array([p[1] for p in pairs], dtype=np.int64)

    def lookup(self, codes: pa.Array, row_codes: RowCodes | None = None) -> tuple[np.ndarray, np.ndarray]:
        found, positions = _positions(codes, self.codes, row_codes)
        ids = self.ids[positions] if len(self.ids) else np.zeros(len(codes), dtype=np.int64)
        return np.where(found, ids, 0), found


def _combined(codes: list[np.ndarray]) -> np.ndarray:
    """One whole number per row, equal exactly where every one of ``codes`` is equal."""
    combined = codes[0]
    for more in codes[1:]:
        base = int(more.max()) + 1 if len(more) else 1
        if len(combined) and (int(combined.max()) + 1) * base >= 1 << 62:
            combined = np.unique(combined, return_inverse=True)[1].astype(np.int64).reshape(-1)
        combined = combined * base + more
    return combined


def _positions(
    values: pa.Array, value_set: pa.Array, row_codes: RowCodes | None
) -> tuple[np.ndarray, np.ndarray]:
    """Whether each value is in ``value_set`` and where (0 when not): looked up once per distinct
    value when ``row_codes`` knows them (a learner's rows, a course run's thousands)."""
    distinct, codes = row_codes.distinct(values) if row_codes is not None else (values, None)
    index = pc.index_in(distinct, value_set=value_set)
    found = _mask(pc.is_valid(index))
    positions = np.asarray(pc.fill_null(index, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
    return (found, positions) if codes is None else (found[codes], positions[codes])


def _int_keys(a: np.ndarray, b: np.ndarray) -> pa.Array:
    return pa.array((a.astype(np.int64) << 32) | b.astype(np.int64))


# -- the stores: one per kind ------------------------------------------------------------------------
class Store:
    kind = ""
    handles_duplicates = False  # True: the store finds duplicate rows itself (cheaper keys)

    def __init__(
        self, conn: Connection, mapping: ImportMapping, issues: Issues, result: ImportResult, **options
    ):
        self.conn = conn
        self.mapping = mapping
        self.issues = issues
        self.result = result
        self.options = options

    def header(self, name: str) -> str:
        return self.mapping.columns.get(name, "(default)")

    def add(self, table: str, n: int) -> None:
        self.result.added[table] = self.result.added.get(table, 0) + n

    def process(self, fields: dict, chunk: Chunk, bad: np.ndarray) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Checks across chunks; called once after the last chunk."""

    def require_known(
        self, found: np.ndarray, bad: np.ndarray, chunk: Chunk, name: str, code: str, message
    ) -> None:
        missing = ~found & ~bad
        self.issues.add_mask(missing, chunk.rows, self.header(name), name, code, message)
        bad |= missing

    def runs(self) -> CodeIndex:
        if not hasattr(self, "_runs"):
            self._runs = CodeIndex(_fetch(self.conn, "SELECT code, id FROM training_course_run"))
        return self._runs

    def run_ids(self, fields: dict, chunk: Chunk, bad: np.ndarray) -> np.ndarray:
        run_ids, found = self.runs().lookup(fields["run_code"], fields.get(ROW_CODES))
        codes = fields["run_code"]
        self.require_known(
            found,
            bad,
            chunk,
            "run_code",
            "unknown_run",
            lambda i: f"course run {codes[i].as_py()!r} is not known; import the courses file first",
        )
        return run_ids


class LearnerIndex:
    """pseudonym → learner id, with the attributes compared across rows and files."""

    ATTRS = ("birth_year", "sex", "sido_code", "sigungu_code", "groups")
    TYPES = {"birth_year": pa.int64(), "groups": pa.int64()}

    def __init__(self, conn: Connection, with_attrs: bool = True) -> None:
        # Without attributes to compare (a file that only names learners), only the ids are read.
        names = ("pseudonym", "id", *(self.ATTRS if with_attrs else ()))
        columns = _fetch_arrays(conn, "training_learner", names)
        self.keys = columns[0]
        self.ids = np.asarray(pc.cast(columns[1], pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)
        self.attrs = (
            {
                name: pc.cast(columns[2 + i], self.TYPES.get(name, pa.string()))
                for i, name in enumerate(self.ATTRS)
            }
            if with_attrs
            else None
        )
        # spreadsheet row that created a learner (0: stored before this file)
        self.first_row = np.zeros(len(self.ids), dtype=np.int64)
        self.max_id = int(self.ids.max()) if len(self.ids) else 0
        self._added: list[tuple] = []

    def lookup(
        self, keys: pa.Array, row_codes: RowCodes | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        self._settle()
        found, positions = _positions(keys, self.keys, row_codes)
        ids = self.ids[positions] if len(self.ids) else np.zeros(len(keys), dtype=np.int64)
        return np.where(found, ids, 0), found, positions

    def extend(self, keys: pa.Array, ids: np.ndarray, attrs: dict[str, pa.Array], rows: np.ndarray) -> None:
        """Learners just created; joined to the index when it is next looked up (after the last
        chunk, never)."""
        self._added.append((keys, ids, attrs, rows))
        if len(ids):
            self.max_id = max(self.max_id, int(ids.max()))

    def _settle(self) -> None:
        for keys, ids, attrs, rows in self._added:
            self.keys = pa.concat_arrays([self.keys, keys])
            self.ids = np.concatenate([self.ids, ids])
            for name in self.ATTRS if self.attrs is not None else ():
                self.attrs[name] = pa.concat_arrays(
                    [self.attrs[name], attrs[name].cast(self.attrs[name].type)]
                )
            self.first_row = np.concatenate([self.first_row, rows])
        self._added = []


class LearnerWriter:
    """Creates learners (and their groups) from rows that carry learner attributes."""

    COLUMNS = (
        "pseudonym",
        "birth_year",
        "sex",
        "sido_code",
        "sigungu_code",
        "groups",
        "eligibility_basis",
        "consent_sensitive",
        "disability_type",
        "disability_severity",
        "retain_until",
    )

    def __init__(self, store: Store, retain_until: str) -> None:
        self.store = store
        self.conn = store.conn
        self.index = LearnerIndex(store.conn, with_attrs=store.mapping.present("birth_year"))
        self.retain_until = retain_until
        self.differs_stored: set[int] = set()
        self.differs_example: int | None = None

    def attrs_present(self) -> bool:
        return self.store.mapping.present("birth_year")

    def resolve(self, fields: dict, chunk: Chunk, bad: np.ndarray, create: bool) -> np.ndarray:
        """Learner ids for every row (0 where unknown), creating new learners when ``create``."""
        keys = fields["pseudonym"]
        ids, found, positions = self.index.lookup(keys, fields.get(ROW_CODES))
        if create:
            self._compare(fields, chunk, bad, found, positions)
            new_rows = ~found & ~bad
            if new_rows.any():
                created = self._create(fields, chunk, bad, new_rows)
                hit = ~found & (created > 0)
                ids[hit] = created[hit]
                found |= hit
        self.store.require_known(
            found,
            bad,
            chunk,
            "learner_id",
            "unknown_learner",
            lambda i: (
                f"learner {keys[i].as_py()!r} is not known; import the learners first"
                + (" or add their birth_year, sex, region and groups to this file" if not create else "")
            ),
        )
        return ids

    def _row_values(self, fields: dict, name: str, n: int) -> pa.Array:
        value = fields.get(name)
        if value is None:
            return pa.nulls(n, type=LearnerIndex.TYPES.get(name, pa.string()))
        return value

    def _compare(self, fields: dict, chunk: Chunk, bad: np.ndarray, found: np.ndarray, positions: np.ndarray):
        """Rows naming a known learner with other attributes: an error when the learner was created
        from an earlier row of this file, a counted warning when it was stored before."""
        check = found & ~bad
        if not check.any():
            return
        n = chunk.table.num_rows
        differs = np.zeros(n, dtype=bool)
        where = pa.array(positions)
        for name in LearnerIndex.ATTRS:
            values = fields.get(name)
            if values is None:
                continue
            stored = pc.take(self.index.attrs[name], where)
            given = _mask(pc.is_valid(values))
            same = _mask(pc.equal(values.cast(stored.type), stored))
            differs |= check & given & ~same
        if not differs.any():
            return
        first_rows = self.index.first_row[positions]
        in_file = differs & (first_rows > 0)
        self.store.issues.add_mask(
            in_file,
            chunk.rows,
            self.store.header("learner_id"),
            "learner_id",
            "learner_conflict",
            lambda i: (
                f"learner {fields['pseudonym'][i].as_py()!r} has other birth_year/sex/region/groups "
                f"than in row {first_rows[i]}"
            ),
        )
        bad |= in_file
        stored_before = differs & (first_rows == 0)
        if stored_before.any():
            self.differs_stored.update(self.index.ids[positions[stored_before]].tolist())
            if self.differs_example is None:
                self.differs_example = int(chunk.rows[np.flatnonzero(stored_before)[0]])

    def _create(self, fields: dict, chunk: Chunk, bad: np.ndarray, new_rows: np.ndarray):
        """Insert the learners first seen in this chunk; returns each row's new learner id (0 for a
        row whose learner was not created here)."""
        n = chunk.table.num_rows
        store = self.store
        empty = np.zeros(n, dtype=np.int64)
        for name, what in (
            ("birth_year", "birth_year"),
            ("sex", "sex"),
            ("sido_code", "sido_code or sigungu_code"),
        ):
            values = fields.get(name)
            missing = new_rows & (
                ~_mask(pc.is_valid(values)) if values is not None else np.ones(n, dtype=bool)
            )
            store.issues.add_mask(
                missing,
                chunk.rows,
                store.header(name),
                name,
                "missing",
                f"{what} is needed for a learner not stored yet",
            )
            bad |= missing
        groups = fields.get("groups")
        no_groups = new_rows & (
            ~_mask(pc.greater(groups, 0)) if groups is not None else np.ones(n, dtype=bool)
        )
        store.issues.add_mask(
            no_groups & ~bad,
            chunk.rows,
            store.header("groups"),
            "groups",
            "missing",
            "groups are needed for a learner not stored yet",
        )
        bad |= no_groups
        new_rows &= ~bad
        if not new_rows.any():
            return empty
        keys = fields["pseudonym"]
        row_codes = fields.get(ROW_CODES) or RowCodes()
        key_codes = row_codes.of(keys)  # one number per learner
        # First row of each new pseudonym; later rows of the same learner in this chunk must agree.
        candidate = np.flatnonzero(new_rows)
        codes = key_codes[candidate]
        _, first_pos = np.unique(codes, return_index=True)
        first_of_code = np.empty(int(key_codes.max()) + 1, dtype=np.int64)
        first_of_code[codes[first_pos]] = candidate[first_pos]
        first_for_row = first_of_code[codes]  # chunk index of each candidate's first row
        if len(first_pos) < len(candidate):  # some learner has several rows here: they must agree
            # One number per row standing for all its attributes, compared with the learner's
            # first row.
            signature = _combined(
                [row_codes.of(fields[name]) for name in LearnerIndex.ATTRS if fields.get(name) is not None]
            )
            differ = signature[candidate] != signature[first_for_row]
            conflict = np.zeros(n, dtype=bool)
            conflict[candidate[differ]] = True
            first_rows = np.zeros(n, dtype=np.int64)
            first_rows[candidate] = chunk.rows[first_for_row]
            store.issues.add_mask(
                conflict,
                chunk.rows,
                store.header("learner_id"),
                "learner_id",
                "learner_conflict",
                lambda i: (
                    f"learner {keys[i].as_py()!r} has other birth_year/sex/region/groups than in row "
                    f"{first_rows[i]}"
                ),
            )
            bad |= conflict
        firsts = candidate[first_pos]
        firsts = firsts[~bad[firsts]]
        if not len(firsts):
            return empty
        # Insert in pseudonym order: the unique index then grows at its end, which is much faster.
        first_keys = keys.take(pa.array(firsts))
        firsts = firsts[np.asarray(pc.sort_indices(first_keys).to_numpy(zero_copy_only=False))]
        take = pa.array(firsts)
        count = len(firsts)
        # Only the columns this file has (and retain_until): the others take their defaults, and
        # fewer bound values per row make a large insert markedly faster.
        names, columns = [], []
        for name in self.COLUMNS:
            values = fields.get(name) if name != "pseudonym" else keys
            if values is None and name != "retain_until":
                continue
            if values is None:
                given = pa.array([self.retain_until] * count, pa.string())
            else:
                given = values.take(take)
                if name == "retain_until":
                    given = pc.coalesce(given, self.retain_until)
                elif name == "consent_sensitive":
                    given = pc.fill_null(given.cast(pa.bool_()), False)
            names.append(name)
            columns.append(given)
        before = self.index.max_id
        added = _insert_arrays(self.conn, "training_learner", names, columns)
        store.add("learners", added)
        new_keys = keys.take(take)
        ids = self._created_ids(before, added, new_keys)
        attrs = {name: self._row_values(fields, name, n).take(take) for name in LearnerIndex.ATTRS}
        self.index.extend(new_keys, ids, attrs, chunk.rows[firsts])
        created = np.zeros(len(first_of_code), dtype=np.int64)
        created[key_codes[firsts]] = ids
        return created[key_codes]

    def _created_ids(self, before: int, added: int, inserted: pa.Array) -> np.ndarray:
        """Ids of the learners just inserted, in insertion order.

        New rows take the ids after the largest one (SQLite's rowid; PostgreSQL's sequence within
        this transaction), so when exactly ``added`` ids follow ``before`` without a gap they are
        ours, in order, and need not be read back. Anything else (a concurrent writer, a sequence
        cache) falls back to reading the new rows.
        """
        count, low, high = _fetch(
            self.conn, "SELECT count(*), min(id), max(id) FROM training_learner WHERE id > ?", (before,)
        )[0]
        if count == added == len(inserted) and (not count or (low == before + 1 and high == before + count)):
            return np.arange(before + 1, before + count + 1, dtype=np.int64)
        created = _fetch(
            self.conn, "SELECT id, pseudonym FROM training_learner WHERE id > ? ORDER BY id", (before,)
        )
        created_ids = np.array([r[0] for r in created], dtype=np.int64)
        created_keys = pa.array([r[1] for r in created], type=pa.string())
        order = pc.index_in(inserted, value_set=created_keys)
        return created_ids[np.asarray(order.to_numpy(zero_copy_only=False), dtype=np.int64)]

    def finish(self) -> None:
        if self.differs_stored:
            self.store.result.warnings.append(
                f"{len(self.differs_stored)} learner(s) already stored have other birth_year/sex/region/groups "
                f"in this file (first at row {self.differs_example}); the stored values were kept. "
                "Import a learners file to change them."
            )


class SiteStore(Store):
    kind = "sites"

    def process(self, fields, chunk, bad):
        sido = fields.get("sido_code")
        missing = ~_mask(pc.is_valid(sido)) & ~bad if sido is not None else ~bad
        self.issues.add_mask(
            missing,
            chunk.rows,
            self.header("sido_code"),
            "sido_code",
            "missing",
            "sido_code (or sigungu_code) is needed",
        )
        bad |= missing
        keep = pa.array(~bad)
        cols = ("code", "name", "kind", "sido_code", "sigungu_code", "capacity")
        src = ("site_code", "name", "kind", "sido_code", "sigungu_code", "capacity")
        data = [
            _col(fields[s].filter(keep)) if fields.get(s) is not None else [None] * int((~bad).sum())
            for s in src
        ]
        rows = list(zip(*data, strict=True))
        added = _insert(self.conn, "training_site", cols, rows, "DO NOTHING")
        self.add("sites", added)
        self.result.already_present += len(rows) - added


class CourseStore(Store):
    kind = "courses"

    def process(self, fields, chunk, bad):
        n = chunk.table.num_rows
        site_ids = np.zeros(n, dtype=np.int64)
        site_sido = pa.nulls(n, pa.string())
        site_sigungu = pa.nulls(n, pa.string())
        if fields.get("site_code") is not None:
            sites = _fetch(self.conn, "SELECT code, id, sido_code, sigungu_code FROM training_site")
            index = CodeIndex([(s[0], s[1]) for s in sites])
            site_ids, found = index.lookup(fields["site_code"])
            given = _mask(pc.is_valid(fields["site_code"]))
            codes = fields["site_code"]
            self.require_known(
                found | ~given,
                bad,
                chunk,
                "site_code",
                "unknown_site",
                lambda i: f"site {codes[i].as_py()!r} is not known; import the sites file first",
            )
            pos = pc.index_in(fields["site_code"], value_set=index.codes)
            site_sido = pc.take(pa.array([s[2] for s in sites], pa.string()), pos)
            site_sigungu = pc.take(pa.array([s[3] for s in sites], pa.string()), pos)
        rules = {r[0] for r in _fetch(self.conn, "SELECT DISTINCT code FROM training_completion_rule")}
        rule = fields.get("completion_rule")
        if rule is None:
            rule = pa.array(["hours80"] * n, pa.string())
        rule = pc.coalesce(rule, "hours80")
        unknown_rule = ~_mask(pc.is_in(rule, value_set=pa.array(sorted(rules), pa.string())))
        self.issues.add_mask(
            unknown_rule & ~bad,
            chunk.rows,
            self.header("completion_rule"),
            "completion_rule",
            "unknown_rule",
            lambda i: (
                f"completion rule {rule[i].as_py()!r} is not defined "
                f"(known: {', '.join(sorted(rules))}); add it with 'ddkit training rule add'"
            ),
        )
        bad |= unknown_rule
        year = fields.get("year")
        start_year = pc.cast(
            pc.utf8_slice_codeunits(pc.fill_null(fields["start_date"], "0000"), 0, 4), pa.int64()
        )
        year = start_year if year is None else pc.coalesce(year, start_year)
        sido = (
            pc.coalesce(fields["sido_code"], site_sido) if fields.get("sido_code") is not None else site_sido
        )
        sigungu = (
            pc.coalesce(fields["sigungu_code"], site_sigungu)
            if fields.get("sigungu_code") is not None
            else site_sigungu
        )
        employment = fields.get("employment_track")
        keep = ~bad
        k = pa.array(keep)
        count = int(keep.sum())

        def col(name):
            value = fields.get(name)
            return _col(value.filter(k)) if value is not None else [None] * count

        rows = list(
            zip(
                col("run_code"),
                col("programme"),
                col("course_name"),
                col("course_type"),
                col("mode"),
                _col(year.filter(k)),
                col("start_date"),
                col("end_date"),
                col("planned_hours"),
                col("planned_sessions"),
                col("capacity"),
                [int(x) or None for x in site_ids[keep].tolist()],
                _col(sido.filter(k)),
                _col(sigungu.filter(k)),
                _col(employment.filter(k)) if employment is not None else [False] * count,
                _col(rule.filter(k)),
                strict=True,
            )
        )
        cols = (
            "code",
            "programme",
            "course_name",
            "course_type",
            "mode",
            "year",
            "start_date",
            "end_date",
            "planned_hours",
            "planned_sessions",
            "capacity",
            "site_id",
            "sido_code",
            "sigungu_code",
            "employment_track",
            "completion_rule",
        )
        added = _insert(self.conn, "training_course_run", cols, rows, "DO NOTHING")
        self.add("course_runs", added)
        self.result.already_present += len(rows) - added


class LearnerStore(Store):
    """A learner register: new learners are added, stored ones updated (consent withdrawal clears
    their disability fields)."""

    kind = "learners"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writer = LearnerWriter(self, self.options["retain_until"])

    def process(self, fields, chunk, bad):
        ids, found, positions = self.writer.index.lookup(fields["pseudonym"], fields.get(ROW_CODES))
        existing = found & ~bad
        new = ~found & ~bad
        if new.any():
            self.writer._create(fields, chunk, bad, new.copy())
        if existing.any():
            self._update(fields, chunk, existing & ~bad, ids)

    def _update(self, fields, chunk, rows_mask, ids):
        rows_idx = np.flatnonzero(rows_mask)
        take = pa.array(rows_idx)
        learner_ids = ids[rows_idx].tolist()
        columns = [c for c in LearnerWriter.COLUMNS if c != "pseudonym"]
        stored: dict[int, list] = {}
        for part in _chunks(learner_ids, 500):
            marks = ", ".join("?" * len(part))
            for row in _fetch(
                self.conn,
                f"SELECT id, {', '.join(columns)} FROM training_learner WHERE id IN ({marks})",
                tuple(part),
            ):
                stored[row[0]] = list(row[1:])
        given = {c: _col(fields[c].take(take)) for c in columns if fields.get(c) is not None}
        consent_at = columns.index("consent_sensitive")
        updates = []
        for position, learner_id in enumerate(learner_ids):
            old = stored[learner_id]
            new = list(old)
            for c, values in given.items():
                if values[position] is not None or c in ("disability_type", "disability_severity"):
                    new[columns.index(c)] = values[position]
            if not new[consent_at]:  # no consent (or consent withdrawn): disability data must go
                new[columns.index("disability_type")] = None
                new[columns.index("disability_severity")] = None
            if [_text(v) for v in new] != [_text(v) for v in old]:
                updates.append((*new, learner_id))
        if updates:
            ph = _placeholder(self.conn)
            sets = ", ".join(f"{c} = {ph}" for c in columns)
            self.conn.exec_driver_sql(f"UPDATE training_learner SET {sets} WHERE id = {ph}", updates)
        changed_ids = {u[-1] for u in updates}
        self.result.updated += len(changed_ids)
        self.result.already_present += len(learner_ids) - len(changed_ids)


def _text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _chunks(values: list, size: int):
    for start in range(0, len(values), size):
        yield values[start : start + size]


class EnrolmentStore(Store):
    """Enrolment rows (optionally carrying learner attributes, creating new learners).

    Valid rows are gathered over all chunks and written at the end in (learner, run) order, the
    order of the table's one index, so inserts stay local: several times faster than file order.
    """

    kind = "enrolments"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writer = LearnerWriter(self, self.options["retain_until"])
        self.parts: list[tuple] = []

    handles_duplicates = True

    def process(self, fields, chunk, bad):
        run_ids = self.run_ids(fields, chunk, bad)
        learner_ids = self.writer.resolve(fields, chunk, bad, create=self.writer.attrs_present())
        keep = ~bad
        if not keep.any():
            return
        k = pa.array(keep)
        status = fields.get("status")
        completed = fields.get("completed_on")
        # The date as a date (it was checked), cast once per distinct date: with the two ids it
        # packs into one number per row.
        distinct, codes = (fields.get(ROW_CODES) or RowCodes()).distinct(fields["enrolled_on"])
        enrolled_on = distinct.cast(pa.date32())
        if codes is not None:
            enrolled_on = enrolled_on.take(pa.array(codes))
        self.parts.append(
            (
                learner_ids[keep],
                run_ids[keep],
                chunk.rows[keep],
                enrolled_on.filter(k),
                None if status is None else pc.fill_null(status.filter(k), "enrolled"),
                None if completed is None else completed.filter(k).cast(pa.string()),
            )
        )

    def _column(self, index: int, take: pa.Array) -> pa.Array:
        return pa.chunked_array([p[index] for p in self.parts]).take(take).combine_chunks()

    def finish(self):
        self.writer.finish()
        if not self.parts:
            return
        learners = np.concatenate([p[0] for p in self.parts])
        runs = np.concatenate([p[1] for p in self.parts])
        rows = np.concatenate([p[2] for p in self.parts])
        # One sort serves twice: equal neighbours are duplicate rows, and (learner, run) is the
        # order of the table's index, so the inserts stay local.
        keys = (learners << 32) | runs
        order = np.argsort(keys, kind="stable")
        sorted_keys = keys[order]
        repeat = np.flatnonzero(sorted_keys[1:] == sorted_keys[:-1]) + 1
        if len(repeat):
            starts = np.flatnonzero(np.r_[True, sorted_keys[1:] != sorted_keys[:-1]])
            first_row = rows[order[starts[np.searchsorted(starts, repeat, side="right") - 1]]]
            duplicate = np.zeros(len(rows), dtype=bool)
            duplicate[order[repeat]] = True
            first_of = dict(zip(order[repeat].tolist(), first_row.tolist(), strict=True))
            self.issues.add_mask(
                duplicate,
                rows,
                ", ".join(self.mapping.columns.get(f, f) for f in ("learner_id", "run_code")),
                None,
                "duplicate_row",
                lambda i: f"duplicates row {first_of[i]} (same learner + run_code)",
            )
        if self.issues.total:
            return
        take = pa.array(order)
        names = ["learner_id", "run_id", "enrolled_on"]
        columns = [pa.array(learners[order]), pa.array(runs[order]), self._column(3, take)]
        for index, name in ((4, "status"), (5, "completed_on")):
            if self.parts[0][index] is not None:  # otherwise the column's default
                names.append(name)
                columns.append(self._column(index, take))
        self.parts = []
        added = _insert_arrays(self.conn, "training_enrolment", names, columns, "DO NOTHING")
        self.add("enrolments", added)
        self.result.already_present += len(order) - added


class EnrolmentRefs:
    """(run, learner) → enrolment id, loaded per run as needed."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.loaded: set[int] = set()
        self.keys = pa.array([], pa.int64())
        self.ids = np.zeros(0, dtype=np.int64)

    def lookup(self, run_ids: np.ndarray, learner_ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        wanted = sorted(set(np.unique(run_ids).tolist()) - self.loaded - {0})
        for part in _chunks(wanted, 500):
            marks = ", ".join("?" * len(part))
            rows = _fetch(
                self.conn,
                f"SELECT run_id, learner_id, id FROM training_enrolment WHERE run_id IN ({marks})",
                tuple(part),
            )
            if rows:
                arr = np.array(rows, dtype=np.int64)
                self.keys = pa.concat_arrays([self.keys, _int_keys(arr[:, 0], arr[:, 1])])
                self.ids = np.concatenate([self.ids, arr[:, 2]])
            self.loaded.update(part)
        index = pc.index_in(_int_keys(run_ids, learner_ids), value_set=self.keys)
        found = _mask(pc.is_valid(index))
        positions = np.asarray(pc.fill_null(index, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
        ids = self.ids[positions] if len(self.ids) else np.zeros(len(run_ids), dtype=np.int64)
        return np.where(found, ids, 0), found


class _PerEnrolmentStore(Store):
    """Base for attendance, assessments and outcomes: rows refer to a learner's enrolment in a run."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.writer = LearnerWriter(self, retain_until="")  # these kinds never create learners
        self.refs = EnrolmentRefs(self.conn)

    def enrolment_ids(self, fields, chunk, bad) -> tuple[np.ndarray, np.ndarray]:
        run_ids = self.run_ids(fields, chunk, bad)
        learner_ids = self.writer.resolve(fields, chunk, bad, create=False)
        enrolment_ids, found = self.refs.lookup(run_ids, learner_ids)
        keys, codes = fields["pseudonym"], fields["run_code"]
        self.require_known(
            found,
            bad,
            chunk,
            "run_code",
            "not_enrolled",
            lambda i: f"learner {keys[i].as_py()!r} is not enrolled in course run {codes[i].as_py()!r}",
        )
        return enrolment_ids, run_ids


class SessionStore(Store):
    kind = "sessions"

    def process(self, fields, chunk, bad):
        run_ids = self.run_ids(fields, chunk, bad)
        minutes = _default_minutes(self.conn, run_ids)
        planned = fields.get("planned_minutes")
        if planned is not None:
            minutes = np.where(_mask(pc.is_valid(planned)), np.asarray(pc.fill_null(planned, 0)), minutes)
        keep = ~bad
        k = pa.array(keep)
        rows = list(
            zip(
                run_ids[keep].tolist(),
                _col(fields["session_no"].filter(k)),
                _col(fields["date"].filter(k)),
                minutes[keep].astype(int).tolist(),
                strict=True,
            )
        )
        added = _insert(
            self.conn,
            "training_session",
            ("run_id", "session_no", "date", "planned_minutes"),
            rows,
            "DO NOTHING",
        )
        self.add("sessions", added)
        self.result.already_present += len(rows) - added


def _default_minutes(conn: Connection, run_ids: np.ndarray) -> np.ndarray:
    """planned hours × 60 / planned sessions of each row's run."""
    runs = _fetch(conn, "SELECT id, planned_hours, planned_sessions FROM training_course_run")
    per_run = {r[0]: round(r[1] * 60 / r[2]) for r in runs}
    return np.array([per_run.get(r, 0) for r in run_ids.tolist()], dtype=np.int64)


class AttendanceStore(_PerEnrolmentStore):
    kind = "attendance"

    def process(self, fields, chunk, bad):
        enrolment_ids, run_ids = self.enrolment_ids(fields, chunk, bad)
        session_nos = np.asarray(
            pc.fill_null(fields["session_no"], 0).to_numpy(zero_copy_only=False), dtype=np.int64
        )
        sessions = {
            (r[0], r[1]): (r[2], _text(r[3]), r[4])
            for r in _fetch(
                self.conn, "SELECT run_id, session_no, id, date, planned_minutes FROM training_session"
            )
        }
        dates = fields.get("session_date")
        dates_list = dates.to_pylist() if dates is not None else [None] * len(run_ids)
        defaults = _default_minutes(self.conn, run_ids)
        to_create: dict[tuple[int, int], tuple[str, int, int]] = {}
        n = chunk.table.num_rows
        for i in range(n):
            if bad[i]:
                continue
            key = (int(run_ids[i]), int(session_nos[i]))
            date = dates_list[i]
            if key in sessions:
                stored_date = sessions[key][1]
                if date is not None and stored_date != date:
                    self.issues.add(
                        ImportIssue(
                            int(chunk.rows[i]),
                            self.header("session_date"),
                            "session_date",
                            "session_date_mismatch",
                            f"session {key[1]} of this run is stored with date {stored_date}, "
                            f"this row says {date}",
                        )
                    )
                    bad[i] = True
            elif date is None:
                self.issues.add(
                    ImportIssue(
                        int(chunk.rows[i]),
                        self.header("session_no"),
                        "session_no",
                        "unknown_session",
                        f"session {key[1]} of course run {fields['run_code'][i].as_py()!r} is not "
                        "known; import the sessions file first or add a session_date column",
                    )
                )
                bad[i] = True
            elif key in to_create and to_create[key][0] != date:
                self.issues.add(
                    ImportIssue(
                        int(chunk.rows[i]),
                        self.header("session_date"),
                        "session_date",
                        "session_date_mismatch",
                        f"session {key[1]} has date {to_create[key][0]} in row {to_create[key][2]} "
                        f"and {date} here",
                    )
                )
                bad[i] = True
            elif key not in to_create:
                to_create[key] = (date, int(defaults[i]), int(chunk.rows[i]))
        if to_create:
            rows = [(k[0], k[1], v[0], v[1]) for k, v in sorted(to_create.items())]
            added = _insert(
                self.conn,
                "training_session",
                ("run_id", "session_no", "date", "planned_minutes"),
                rows,
                "DO NOTHING",
            )
            self.add("sessions", added)
            sessions.update(
                {
                    (r[0], r[1]): (r[2], _text(r[3]), r[4])
                    for r in _fetch(
                        self.conn,
                        "SELECT run_id, session_no, id, date, planned_minutes FROM training_session",
                    )
                }
            )
        keep = np.flatnonzero(~bad)
        status = fields["status"].to_pylist()
        minutes = fields.get("minutes")
        minutes_list = minutes.to_pylist() if minutes is not None else [None] * n
        rows = []
        for i in keep.tolist():
            session_id, _date, planned = sessions[(int(run_ids[i]), int(session_nos[i]))]
            value = minutes_list[i]
            if value is None:
                value = planned if status[i] in ("P", "L") else 0
            rows.append((session_id, int(enrolment_ids[i]), status[i], int(value)))
        added = _insert(
            self.conn,
            "training_attendance",
            ("session_id", "enrolment_id", "status", "minutes"),
            rows,
            "DO NOTHING",
        )
        self.add("attendance", added)
        self.result.already_present += len(rows) - added


class AssessmentStore(_PerEnrolmentStore):
    kind = "assessments"

    def process(self, fields, chunk, bad):
        enrolment_ids, _ = self.enrolment_ids(fields, chunk, bad)
        keep = ~bad
        k = pa.array(keep)
        taken = fields.get("taken_on")
        rows = list(
            zip(
                enrolment_ids[keep].tolist(),
                _col(fields["kind"].filter(k)),
                _col(fields["score"].filter(k)),
                _col(fields["max_score"].filter(k)),
                _col(taken.filter(k)) if taken is not None else [None] * int(keep.sum()),
                strict=True,
            )
        )
        added = _insert(
            self.conn,
            "training_assessment",
            ("enrolment_id", "kind", "score", "max_score", "taken_on"),
            rows,
            "DO NOTHING",
        )
        self.add("assessments", added)
        self.result.already_present += len(rows) - added


class OutcomeStore(_PerEnrolmentStore):
    kind = "outcomes"

    def process(self, fields, chunk, bad):
        enrolment_ids, _ = self.enrolment_ids(fields, chunk, bad)
        keep = ~bad
        k = pa.array(keep)
        names = fields.get("name")
        names = _col(names.filter(k)) if names is not None else [None] * int(keep.sum())
        rows = list(
            zip(
                enrolment_ids[keep].tolist(),
                _col(fields["kind"].filter(k)),
                [v or "-" for v in names],
                _col(fields["result"].filter(k)),
                _col(fields["date"].filter(k)),
                strict=True,
            )
        )
        added = _insert(
            self.conn,
            "training_outcome",
            ("enrolment_id", "kind", "name", "result", "date"),
            rows,
            "DO NOTHING",
        )
        self.add("outcomes", added)
        self.result.already_present += len(rows) - added


class _UpsertStore(Store):
    """Targets and population: a stored key with another number is updated (and counted)."""

    table = ""
    key_columns: tuple[str, ...] = ()
    value_columns: tuple[str, ...] = ()
    field_of = {"group_code": "group"}

    def process(self, fields, chunk, bad):
        keep = ~bad
        k = pa.array(keep)
        count = int(keep.sum())

        def col(column):
            name = self.field_of.get(column, column)
            value = fields.get(name)
            if value is None:
                return [m.ALL if column in ("programme", "group_code", "region_code") else None] * count
            values = _col(value.filter(k))
            if column in ("programme", "group_code", "region_code"):
                values = [v or m.ALL for v in values]
            return values

        keys = list(zip(*(col(c) for c in self.key_columns), strict=True))
        values = list(zip(*(col(c) for c in self.value_columns), strict=True))
        stored = {
            tuple(r[: len(self.key_columns)]): tuple(r[len(self.key_columns) :])
            for r in _fetch(
                self.conn, f"SELECT {', '.join(self.key_columns + self.value_columns)} FROM {self.table}"
            )
        }
        new, changed = [], []
        for key, value in zip(keys, values, strict=True):
            if key not in stored:
                new.append(key + value)
            elif stored[key] != value:
                changed.append(value + key)
            else:
                self.result.already_present += 1
        added = _insert(self.conn, self.table, self.key_columns + self.value_columns, new)
        self.add(self.kind, added)
        if changed:
            ph = _placeholder(self.conn)
            sets = ", ".join(f"{c} = {ph}" for c in self.value_columns)
            where = " AND ".join(f"{c} = {ph}" for c in self.key_columns)
            self.conn.exec_driver_sql(f"UPDATE {self.table} SET {sets} WHERE {where}", changed)
            self.result.updated += len(changed)


class TargetStore(_UpsertStore):
    kind = "targets"
    table = "training_target"
    key_columns = ("year", "programme", "group_code", "region_code")
    value_columns = ("target_enrolled", "target_completed")


class PopulationStore(_UpsertStore):
    kind = "population"
    table = "training_population"
    key_columns = ("year", "region_code", "group_code")
    value_columns = ("population",)


STORES: dict[str, type[Store]] = {
    cls.kind: cls
    for cls in (
        SiteStore,
        CourseStore,
        LearnerStore,
        EnrolmentStore,
        SessionStore,
        AttendanceStore,
        AssessmentStore,
        OutcomeStore,
        TargetStore,
        PopulationStore,
    )
}


# -- duplicate rows within one file ----------------------------------------------------------------
class DuplicateFinder:
    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.fields = KIND_KEYS[kind]
        self.keys: list[pa.Array] = []
        self.rows: list[np.ndarray] = []

    def add(self, fields: dict, chunk: Chunk, bad: np.ndarray) -> None:
        parts = []
        for name in self.fields:
            value = fields.get(name)
            if value is None:
                value = pa.nulls(chunk.table.num_rows, pa.string())
            parts.append(
                pc.fill_null(
                    pc.cast(value, pa.string()), m.ALL if self.kind in ("targets", "population") else ""
                )
            )
        key = parts[0] if len(parts) == 1 else pc.binary_join_element_wise(*parts, "\x1f")
        keep = pa.array(~bad)
        self.keys.append(key.filter(keep))
        self.rows.append(chunk.rows[~bad])

    def report(self, issues: Issues, header: str) -> None:
        if not self.keys:
            return
        keys = pa.chunked_array(self.keys, type=pa.string()).combine_chunks()
        rows = np.concatenate(self.rows)
        encoded = pc.dictionary_encode(keys)
        if len(encoded.dictionary) == len(keys):
            return
        codes = np.asarray(encoded.indices.to_numpy(zero_copy_only=False))
        order = np.argsort(codes, kind="stable")
        sorted_codes = codes[order]
        repeat = np.zeros(len(codes), dtype=bool)
        repeat[order[1:]] = sorted_codes[1:] == sorted_codes[:-1]
        first_of = np.empty(codes.max() + 1, dtype=np.int64)
        starts = np.flatnonzero(np.r_[True, sorted_codes[1:] != sorted_codes[:-1]])
        first_of[sorted_codes[starts]] = rows[order[starts]]
        what = " + ".join("learner" if f == "pseudonym" else f for f in self.fields)
        issues.add_mask(
            repeat,
            rows,
            header,
            None,
            "duplicate_row",
            lambda i: f"duplicates row {first_of[codes[i]]} (same {what})",
        )


# -- the entry point -------------------------------------------------------------------------------
def _retain_until(years: int, today: dt.date) -> str:
    return dt.date(today.year + years, 12, 31).isoformat()


def import_file(
    engine: Engine,
    path: Path,
    *,
    mapping_path: Path | None = None,
    kind: str | None = None,
    key_file: Path | None = None,
    dry_run: bool = False,
    retain_years: int = DEFAULT_RETAIN_YEARS,
    today: dt.date | None = None,
    chunk_rows: int = 1_000_000,
    progress: Progress | None = None,
) -> ImportResult:
    """Validate and store one file; nothing is stored unless every row is valid (or with ``dry_run``)."""
    started = time.perf_counter()
    path = Path(path)
    today = today or dt.date.today()
    if retain_years < 0:
        raise TrainingUsageError("--retain-years must be 0 or more")
    if mapping_path is not None:
        mapping = load_mapping(mapping_path)
        if kind is not None and kind != mapping.kind:
            raise TrainingUsageError(
                f"--kind {kind} contradicts 'kind: {mapping.kind}' in {mapping_path}",
                hint="Drop --kind when a mapping file is given.",
            )
        source = SourceFile(path, encoding=mapping.encoding, delimiter=mapping.delimiter, sheet=mapping.sheet)
    else:
        if kind is None:
            raise TrainingUsageError(
                "give --mapping FILE or --kind KIND",
                hint="Without a mapping file the columns must be named like the fields of --kind.",
            )
        source = SourceFile(path)
        mapping = identity_mapping(kind, source.headers)
    missing = [
        f"{field_name} -> {header!r}"
        for field_name, header in mapping.columns.items()
        if header not in source.headers
    ]
    if missing:
        raise TrainingError(
            f"{path}: row 1 lacks column(s) named in the mapping: {', '.join(missing)}",
            hint=f"Columns in the file: {', '.join(source.headers)}.",
        )
    region_codes = region_codes_for(mapping)
    # The file's hash is computed on a second thread while the rows are read and checked (hashlib
    # releases the GIL): on two cores it costs no wall time.
    hashing = ThreadPoolExecutor(max_workers=1)
    digest = hashing.submit(file_sha256, path)
    hashing.shutdown(wait=False)
    result = ImportResult(file=str(path), kind=mapping.kind, sha256="", dry_run=dry_run)
    issues = Issues()
    key_cache: list[bytes] = []

    def key() -> bytes:
        if not key_cache:
            key_cache.append(load_or_create_key(key_file))
        return key_cache[0]

    validator = ChunkValidator(mapping, issues, region_codes=region_codes, key=key)
    duplicates = DuplicateFinder(mapping.kind)
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            # A 64 MiB page cache keeps a million-row transaction's pages in memory instead of
            # spilling them early; a larger one (256 MiB was tried) only makes the kernel zero more
            # fresh memory (0.2 s more system time for the narrow benchmark file). Foreign keys
            # are not re-checked row by row: every id written here was just looked up in this same
            # transaction, and checking a million references again costs seconds.
            conn.exec_driver_sql("PRAGMA cache_size=-65536")
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        transaction = conn.begin()
        try:
            store = STORES[mapping.kind](
                conn, mapping, issues, result, retain_until=_retain_until(retain_years, today)
            )
            for chunk in source.chunks(chunk_rows):
                fields, bad = validator.convert(chunk)
                store.process(fields, chunk, bad)
                if not store.handles_duplicates:
                    duplicates.add(fields, chunk, bad)
                result.rows += chunk.table.num_rows
                if progress:
                    progress(result.rows, f"{result.rows:,} rows checked")
            for read_issue in source.issues:
                issues.add(
                    ImportIssue(read_issue.row, read_issue.column, None, read_issue.code, read_issue.message)
                )
            key_columns = [
                mapping.columns.get(
                    "learner_id" if f == "pseudonym" else f, "learner" if f == "pseudonym" else f
                )
                for f in KIND_KEYS[mapping.kind]
            ]
            duplicates.report(issues, ", ".join(key_columns))
            store.finish()
            if validator.dropped_sensitive:
                result.warnings.append(
                    f"disability fields of {validator.dropped_sensitive} row(s) were dropped: no consent to "
                    "process sensitive data (consent_sensitive) is recorded for them"
                )
            if source.blank_rows:
                result.warnings.append(f"{source.blank_rows} blank row(s) were skipped")
            result.sha256 = digest.result()
            result.errors = sorted(issues.items, key=lambda i: (i.row or 0, i.column or ""))
            result.errors_total = issues.total
            if issues.total:
                transaction.rollback()
                result.added, result.already_present, result.updated = {}, 0, 0
            elif dry_run:
                transaction.rollback()
            else:
                conn.exec_driver_sql(
                    "INSERT INTO training_import (file_name, sha256, kind, rows, added, already_present, imported_at) "
                    f"VALUES ({', '.join([_placeholder(conn)] * 7)})",
                    (
                        path.name,
                        result.sha256,
                        mapping.kind,
                        result.rows,
                        sum(result.added.values()),
                        result.already_present,
                        dt.datetime.now().replace(microsecond=0),
                    ),
                )
                transaction.commit()
                result.stored = True
        except BaseException:
            transaction.rollback()
            raise
        finally:
            if sqlite:
                conn.exec_driver_sql("PRAGMA cache_size=-2000")
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    result.seconds = round(time.perf_counter() - started, 3)
    return result
