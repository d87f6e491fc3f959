"""Vectorised validation of one chunk of an import file: every cell checked with Arrow compute
kernels over whole columns, every problem reported with its row and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from training_tracker import codes as m
from training_tracker.mapping import ALIASES, FALSE_VALUES, TRUE_VALUES, FieldSpec, ImportMapping
from training_tracker.privacy import (
    ID_HEADER_RE,
    PHONE_ID_REGEX,
    RRN_REGEX,
    looks_like_rrn,
    normalise_phone,
    pseudonyms,
)
from training_tracker.readers import Chunk
from training_tracker.regions import SIDO

MAX_ISSUES = 1000
#: The entry of ``ChunkValidator.convert``'s fields that holds their ``RowCodes``.
ROW_CODES = "_row_codes"
_SIDO = pa.array(sorted(SIDO))
_GROUP_BIT = {g: 1 << i for i, g in enumerate(m.GROUPS)}


@dataclass
class ImportIssue:
    row: int | None
    column: str | None
    field: str | None
    code: str
    message: str

    def where(self) -> str:
        parts = []
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.where()
        return f"{where}: {self.message}" if where else self.message


@dataclass
class Issues:
    """Problems found so far; keeps the first ``MAX_ISSUES`` and counts them all."""

    items: list[ImportIssue] = field(default_factory=list)
    total: int = 0

    def add(self, issue: ImportIssue) -> None:
        self.total += 1
        if len(self.items) < MAX_ISSUES:
            self.items.append(issue)

    def add_mask(
        self,
        mask: np.ndarray,
        rows: np.ndarray,
        column: str | None,
        field_name: str | None,
        code: str,
        message: str | Callable[[int], str],
    ) -> None:
        where = np.flatnonzero(mask)
        if not len(where):
            return
        self.total += len(where)
        room = MAX_ISSUES - len(self.items)
        for i in where[: max(room, 0)]:
            text = message(int(i)) if callable(message) else message
            self.items.append(ImportIssue(int(rows[i]), column, field_name, code, text))


def _mask(array) -> np.ndarray:
    """A boolean Arrow array (nulls = False) as numpy."""
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return np.asarray(pc.fill_null(array, False).to_numpy(zero_copy_only=False), dtype=bool)


def _dictionary_codes(values: pa.Array) -> tuple[pa.Array, np.ndarray]:
    """The distinct values of ``values`` and each row's position among them (a null: their count)."""
    encoded = pc.dictionary_encode(values)
    codes = pc.fill_null(encoded.indices, len(encoded.dictionary)).to_numpy(zero_copy_only=False)
    return encoded.dictionary, np.asarray(codes, dtype=np.int64)


class _Distinct:
    """One column as its distinct values (a null last) and each row's position among them.

    Every check here looks at one value at a time, so it runs once per distinct value and its
    result is spread back to the rows: in an enrolment file a learner's birth year, region and
    groups repeat on each of their rows, and a date or a course code on thousands. A column of
    mostly different values is kept as it is (``codes`` None).
    """

    def __init__(self, values: pa.Array, codes: np.ndarray | None, rows: np.ndarray) -> None:
        self.values = values
        self.codes = codes
        self.rows = rows

    @classmethod
    def of(cls, column: pa.Array, rows: np.ndarray) -> _Distinct:
        distinct, codes = _dictionary_codes(column)
        if len(distinct) * 2 > len(column):
            return cls(column, None, rows)
        return cls(pa.concat_arrays([distinct, pa.nulls(1, distinct.type)]), codes, rows)

    def spread(self, values: pa.Array) -> pa.Array:
        """Values computed for the distinct values, one per row."""
        return values if self.codes is None else values.take(pa.array(self.codes))

    def spread_mask(self, mask: np.ndarray) -> np.ndarray:
        return mask if self.codes is None else mask[self.codes]

    def report(self, issues: Issues):
        """``add(mask, column, field, code, message)`` for masks and messages over the distinct
        values: one issue per file row holding a flagged value, in row order, as if every row
        had been checked on its own."""
        codes = self.codes

        def add(mask, column, field_name, code, message) -> None:
            if codes is not None and callable(message):
                by_value = message
                message = lambda i: by_value(int(codes[i]))  # noqa: E731 - closes over by_value
            issues.add_mask(self.spread_mask(mask), self.rows, column, field_name, code, message)

        return add


class RowCodes:
    """Whole numbers standing for the converted fields' values, one per row, so that later steps
    group rows by a value (a learner, their attributes) without hashing a million texts again:
    the distinct values a field was checked on are encoded instead of its rows."""

    def __init__(self) -> None:
        self._known: dict[int, tuple[pa.Array, pa.Array, np.ndarray | None]] = {}

    def keep(self, values: pa.Array, distinct: pa.Array, codes: np.ndarray | None) -> None:
        """``values`` (a field's rows) are ``distinct`` taken at ``codes`` (None: they are the same)."""
        self._known[id(values)] = (values, distinct, codes)

    def distinct(self, values: pa.Array) -> tuple[pa.Array, np.ndarray | None]:
        """The values ``values`` were checked on and each row's position among them (None: the
        rows themselves)."""
        known = self._known.get(id(values))
        return (known[1], known[2]) if known is not None and known[0] is values else (values, None)

    def of(self, values: pa.Array) -> np.ndarray:
        """One whole number per row of ``values``, equal exactly where the values are (null too)."""
        distinct, codes = self.distinct(values)
        numbers = _dictionary_codes(distinct)[1]
        return numbers if codes is None else numbers[codes]


def _show(value) -> str:
    text = str(value)
    if looks_like_rrn(text):  # never echo an identity number, even in an error message
        return "(an RRN-shaped value, not shown)"
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _format_regex(date_format: str) -> tuple[str, list[str]]:
    """A strftime-like date format as an RE2 pattern with one group per %Y/%y/%m/%d."""
    out, order, i = [], [], 0
    while i < len(date_format):
        ch = date_format[i]
        if ch == "%" and i + 1 < len(date_format):
            code = date_format[i + 1]
            if code == "Y":
                out.append("([0-9]{4})")
            elif code in "md":
                out.append("([0-9]{1,2})")
            elif code == "y":
                out.append("([0-9]{2})")
            else:
                raise ValueError(f"date_format directive %{code} is not supported (use %Y %y %m %d)")
            order.append(code)
            i += 2
        else:
            out.append(re.escape(ch))
            i += 1
    if sorted(order) not in (["Y", "d", "m"], ["d", "m", "y"]):
        raise ValueError("date_format needs a year, a month and a day")
    return "^" + "".join(out) + "$", order


def parse_dates(values: pa.Array, date_format: str) -> tuple[pa.Array, np.ndarray]:
    """ISO strings (null where missing) and a mask of present-but-invalid values.

    ``date_format`` and ISO ``YYYY-MM-DD`` (what XLSX date cells become) are both accepted; impossible
    dates such as 2025-02-30 are errors, not silently rolled over.
    """
    n = len(values)
    present = _mask(pc.is_valid(values))
    if n and present.any():
        # Fast path, the common case: every date already zero-padded ISO. strptime is lenient
        # (2025-02-30 becomes 2 March), so a date counts only if it prints back identically.
        parsed = pc.strptime(values, format="%Y-%m-%d", unit="s", error_is_null=True)
        printed = pc.cast(pc.cast(parsed, pa.date32()), pa.string())  # far cheaper than strftime
        exact = _mask(pc.equal(printed, values))
        if (exact | ~present).all():
            return values, np.zeros(n, dtype=bool)
    year = np.zeros(n, dtype=np.int64)
    month = np.zeros(n, dtype=np.int64)
    day = np.zeros(n, dtype=np.int64)
    matched = np.zeros(n, dtype=bool)
    formats = [_format_regex(date_format)]
    if date_format != "%Y-%m-%d":
        formats.append(_format_regex("%Y-%m-%d"))
    # A spreadsheet date-time (an XLSX cell with a time of day): the date part counts.
    formats.append(
        (r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})[ T][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?$", ["Y", "m", "d"])
    )
    for pattern, order in formats:
        if not (present & ~matched).any():  # every date read already: skip the other patterns
            break
        parts = pc.extract_regex(values, pattern=_named(pattern))
        ok = _mask(pc.is_valid(parts)) & ~matched
        if not ok.any():
            continue
        for index, code in enumerate(order):
            # The struct's children ignore its nulls (an unmatched row can hold ''): mask them first.
            raw = pc.if_else(pa.array(ok), parts.field(f"g{index}"), "0")
            numbers = np.asarray(pc.cast(raw, pa.int64()).to_numpy(zero_copy_only=False))
            if code == "Y":
                year = np.where(ok, numbers, year)
            elif code == "y":
                year = np.where(ok, 2000 + numbers - np.where(numbers > 69, 100, 0), year)
            elif code == "m":
                month = np.where(ok, numbers, month)
            else:
                day = np.where(ok, numbers, day)
        matched |= ok
    valid = matched & (month >= 1) & (month <= 12) & (day >= 1) & (year >= 1900) & (year <= 2200)
    months = np.where(valid, (year - 1970) * 12 + month - 1, 0).astype("datetime64[M]")
    days = months.astype("datetime64[D]") + np.where(valid, day - 1, 0).astype("timedelta64[D]")
    valid &= days.astype("datetime64[M]") == months  # day beyond the end of the month
    iso = pa.array(days.astype("datetime64[D]").astype(np.int64).astype(np.int32), type=pa.date32())
    iso = pc.cast(iso, pa.string())
    return pc.if_else(pa.array(valid), iso, pa.scalar(None, pa.string())), present & ~valid


def _plain_ints(text: pa.Array) -> pa.Array | None:
    """Whole numbers when every present value is ``-?[0-9]+`` (Arrow's cast then accepts exactly
    what the full check would); None otherwise, for the full check with its messages."""
    if pc.any(pc.match_substring(text, "x", ignore_case=True)).as_py():  # the cast reads 0x10 as hex
        return None
    try:
        return pc.cast(text, pa.int64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None


def _named(pattern: str) -> str:
    """Name the capture groups g0, g1 … (extract_regex needs named groups)."""
    counter = iter(range(100))
    return re.sub(r"\((?!\?)", lambda _m: f"(?P<g{next(counter)}>", pattern)


class ChunkValidator:
    """Turns a raw chunk into typed, recoded field arrays; collects issues."""

    def __init__(
        self,
        mapping: ImportMapping,
        issues: Issues,
        *,
        region_codes: frozenset[str] | None = None,
        key: Callable[[], bytes] | None = None,
    ) -> None:
        self.mapping = mapping
        self.issues = issues
        self.region_codes = pa.array(sorted(region_codes)) if region_codes else None
        self.key = key
        self.dropped_sensitive = 0
        self.fields = {f.name: f for f in _specs(mapping)}

    # -- whole-file privacy scans ---------------------------------------------------------------
    def scan_identity_numbers(self, chunk: Chunk, columns: dict[str, _Distinct] | None = None) -> np.ndarray:
        """Rows holding an RRN-shaped value (any column) or anything under an ID-number header."""
        columns = {} if columns is None else columns
        bad = np.zeros(chunk.table.num_rows, dtype=bool)
        for header, column in zip(chunk.table.column_names, chunk.table.columns, strict=True):
            if column.null_count == len(column):
                continue
            distinct = self._distinct(chunk, header, columns)
            values, report = distinct.values, distinct.report(self.issues)
            if ID_HEADER_RE.search(header):
                filled = _mask(pc.greater(pc.utf8_length(pc.utf8_trim_whitespace(values)), 0))
                report(
                    filled,
                    header,
                    None,
                    "identity_number",
                    "this column's header names an identity number (RRN / foreign registration / "
                    "passport); such numbers must never be imported (value not shown)",
                )
                bad |= distinct.spread_mask(filled)
                continue
            longest = pc.max(pc.utf8_length(values)).as_py()
            if longest is None or longest < 13:
                continue
            hits = _mask(pc.match_substring_regex(values, RRN_REGEX))
            report(
                hits,
                header,
                None,
                "rrn",
                "holds a 13-digit value shaped like a resident registration number (value not shown); "
                "remove it from the file",
            )
            bad |= distinct.spread_mask(hits)
        return bad

    # -- fields ------------------------------------------------------------------------------------
    @staticmethod
    def _distinct(chunk: Chunk, header: str, columns: dict[str, _Distinct]) -> _Distinct:
        if header not in columns:
            columns[header] = _Distinct.of(chunk.table.column(header).combine_chunks(), chunk.rows)
        return columns[header]

    def raw(
        self, chunk: Chunk, name: str, columns: dict[str, _Distinct] | None = None
    ) -> tuple[_Distinct | None, str]:
        """The trimmed text of a field (null when empty), as distinct values, and its column."""
        if name in self.mapping.columns:
            header = self.mapping.columns[name]
            source = self._distinct(chunk, header, {} if columns is None else columns)
        elif name in self.mapping.defaults:
            header = "(default)"
            default = pa.array([self.mapping.defaults[name]], type=pa.string())
            source = _Distinct(default, np.zeros(chunk.table.num_rows, dtype=np.int64), chunk.rows)
        else:
            return None, ""
        column = pc.utf8_trim_whitespace(source.values)
        column = pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)
        return _Distinct(column, source.codes, source.rows), header

    def recode(self, name: str, column: pa.Array) -> pa.Array:
        mapped = self.mapping.values.get(name) or {}
        aliases = ALIASES.get(name, {})
        for table in (mapped, aliases):
            if not table:
                continue
            keys = pa.array(list(table), type=pa.string())
            vals = pa.array(list(table.values()), type=pa.string())
            index = pc.index_in(column, value_set=keys)
            column = pc.if_else(pc.is_valid(index), pc.take(vals, index), column)
        return column

    def convert(self, chunk: Chunk) -> tuple[dict[str, object], np.ndarray]:
        """Typed field arrays (and their ``RowCodes`` under ``ROW_CODES``) and a mask of rows with at
        least one problem."""
        columns: dict[str, _Distinct] = {}
        bad = self.scan_identity_numbers(chunk, columns)
        out: dict[str, object] = {}
        codes = RowCodes()
        for spec in self.fields.values():
            distinct, header = self.raw(chunk, spec.name, columns)
            if distinct is None:
                if spec.required:  # cannot happen after validate_mapping, but keep the invariant
                    raise AssertionError(spec.name)
                out[spec.name] = None
                continue
            column = distinct.values
            if spec.type not in ("name", "phone"):
                column = self.recode(spec.name, column)
            report = distinct.report(self.issues)
            if spec.required or spec.type in ("name", "phone"):
                missing = ~_mask(pc.is_valid(column))
                report(missing, header, spec.name, "missing", f"{spec.name} is empty")
                bad |= distinct.spread_mask(missing)
            value, invalid = self._typed(spec, column, header, report)
            bad |= distinct.spread_mask(invalid)
            out[spec.name] = distinct.spread(value)
            codes.keep(out[spec.name], value, distinct.codes)
        self._cross_checks(out, chunk, bad)
        out["pseudonym"] = self._pseudonym(out, chunk, bad)
        out[ROW_CODES] = codes
        return out, bad

    def _typed(self, spec: FieldSpec, column: pa.Array, header: str, report):
        """Typed values and a mask of invalid ones; ``report`` (see ``_Distinct.report``) takes
        the problems."""
        t = spec.type
        text = column
        if t in ("text", "learner"):
            too_long = _mask(pc.greater(pc.utf8_length(text), spec.max_length))
            report(
                too_long,
                header,
                spec.name,
                "too_long",
                f"{spec.name} is longer than {spec.max_length} characters",
            )
            invalid = too_long
            if t == "learner":
                phone_like = _mask(pc.match_substring_regex(text, PHONE_ID_REGEX))
                report(
                    phone_like,
                    header,
                    spec.name,
                    "phone_as_id",
                    "learner_id looks like a phone number (value not shown); map that column to 'phone' "
                    "so it is turned into a pseudonym",
                )
                invalid = invalid | phone_like
            return text, invalid
        if t in ("name", "phone"):
            return text, np.zeros(len(text), dtype=bool)
        if t in ("int", "float"):
            numbers = _plain_ints(text) if t == "int" else None
            if numbers is not None:  # the common case: every value plain digits, cast in one go
                shape_bad = np.zeros(len(text), dtype=bool)
            else:
                cleaned = pc.replace_substring(text, ",", "")
                pattern = r"^[+-]?[0-9]+(\.0*)?$" if t == "int" else r"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)$"
                ok = _mask(pc.match_substring_regex(cleaned, pattern))
                present = _mask(pc.is_valid(text))
                shape_bad = present & ~ok
                number_text = pc.if_else(pa.array(ok), cleaned, pa.scalar(None, pa.string()))
                if t == "int":
                    number_text = pc.replace_substring_regex(number_text, r"\.0*$", "")
                    numbers = pc.cast(number_text, pa.int64())
                else:
                    numbers = pc.cast(number_text, pa.float64())
            kind = "a whole number" if t == "int" else "a number"
            report(
                shape_bad,
                header,
                spec.name,
                "not_number",
                lambda i: f"{spec.name} {_show(text[i].as_py())} is not {kind}",
            )
            out_of_range = np.zeros(len(text), dtype=bool)
            if spec.minimum is not None:
                out_of_range |= _mask(pc.less(numbers, spec.minimum))
            if spec.maximum is not None:
                out_of_range |= _mask(pc.greater(numbers, spec.maximum))
            report(
                out_of_range,
                header,
                spec.name,
                "out_of_range",
                lambda i: f"{spec.name} {numbers[i].as_py()} is outside {_range(spec)}",
            )
            numbers = pc.if_else(pa.array(out_of_range), pa.scalar(None, numbers.type), numbers)
            return numbers, shape_bad | out_of_range
        if t == "date":
            iso, invalid = parse_dates(text, self.mapping.date_format)
            report(
                invalid,
                header,
                spec.name,
                "bad_date",
                lambda i: (
                    f"{spec.name} {_show(text[i].as_py())} is not a date in the form "
                    f"{self.mapping.date_format} (or YYYY-MM-DD)"
                ),
            )
            return iso, invalid
        if t == "bool":
            lowered = pc.utf8_lower(text)
            is_true = _mask(pc.is_in(lowered, value_set=pa.array(sorted(TRUE_VALUES))))
            is_false = _mask(pc.is_in(lowered, value_set=pa.array(sorted(FALSE_VALUES))))
            present = _mask(pc.is_valid(text))
            invalid = present & ~is_true & ~is_false
            report(
                invalid,
                header,
                spec.name,
                "bad_bool",
                lambda i: f"{spec.name} {_show(text[i].as_py())} is not yes/no (Y/N, 예/아니오, 1/0)",
            )
            return pa.array(np.where(present & ~invalid, is_true, False)), invalid
        if t == "choice":
            ok = _mask(pc.is_in(text, value_set=pa.array(spec.choices)))
            invalid = _mask(pc.is_valid(text)) & ~ok
            report(
                invalid,
                header,
                spec.name,
                "bad_code",
                lambda i: f"{spec.name} {_show(text[i].as_py())} is not one of {', '.join(spec.choices)}",
            )
            return text, invalid
        if t == "groups":
            return self._groups(spec, text, header, report)
        if t in ("sido", "sigungu", "region"):
            return self._region(spec, text, header, report)
        raise AssertionError(t)

    def _groups(self, spec: FieldSpec, text: pa.Array, header: str, report):
        lists = pc.split_pattern(text, self.mapping.groups_separator)
        flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
        parents = np.asarray(pc.list_parent_indices(lists).to_numpy(zero_copy_only=False))
        flat = self.recode(spec.name, flat)
        known = pc.index_in(flat, value_set=pa.array(m.GROUPS))
        unknown = ~_mask(pc.is_valid(known))
        invalid = np.zeros(len(text), dtype=bool)
        if unknown.any():
            bad_values = flat.filter(pa.array(unknown)).to_pylist()
            bad_rows = parents[unknown]
            invalid[bad_rows] = True
            first_bad: dict[int, str] = {}
            for r, v in zip(bad_rows.tolist(), bad_values, strict=True):
                first_bad.setdefault(r, v)
            report(
                invalid,
                header,
                spec.name,
                "bad_code",
                lambda i: (
                    f"group {_show(first_bad[i])} is not one of {', '.join(m.GROUPS)} "
                    f"(separate several with {self.mapping.groups_separator!r})"
                ),
            )
        bits = np.array([1 << i for i in range(len(m.GROUPS))], dtype=np.int64)
        codes = np.asarray(pc.fill_null(known, 0).to_numpy(zero_copy_only=False), dtype=np.int64)
        mask = np.zeros(len(text), dtype=np.int64)
        np.bitwise_or.at(mask, parents[~unknown], bits[codes[~unknown]])
        present = _mask(pc.is_valid(text))
        return pa.array(mask, mask=~present), invalid

    def _region(self, spec: FieldSpec, text: pa.Array, header: str, report):
        present = _mask(pc.is_valid(text))
        is_all = _mask(pc.equal(text, m.ALL)) if spec.type == "region" else np.zeros(len(text), dtype=bool)
        if spec.type == "region":
            text = pc.if_else(pa.array(present), text, pa.scalar(m.ALL))
            present = np.ones(len(text), dtype=bool)
        prefix = pc.utf8_slice_codeunits(text, 0, 2)
        sido_ok = _mask(pc.is_in(prefix, value_set=_SIDO))
        length = np.asarray(pc.fill_null(pc.utf8_length(text), 0).to_numpy(zero_copy_only=False))
        digits = _mask(pc.match_substring_regex(text, r"^[0-9]+$"))
        ok_sido = digits & (length == 2) & sido_ok
        ok_sigungu = digits & (length == 5) & sido_ok
        if self.region_codes is not None:
            ok_sigungu &= _mask(pc.is_in(text, value_set=self.region_codes))
        if spec.type == "sido":
            ok, what = ok_sido, "a 2-digit 시도 code (e.g. 11 서울)"
        elif spec.type == "sigungu":
            ok, what = ok_sigungu, "a 5-digit 시군구 code of a known 시도 (e.g. 11110)"
        else:
            ok, what = ok_sido | ok_sigungu | is_all, "a 시도 or 시군구 code, or 'all'"
        invalid = present & ~ok
        report(
            invalid,
            header,
            spec.name,
            "bad_code",
            lambda i: f"{spec.name} {_show(text[i].as_py())} is not {what}",
        )
        return text, invalid

    def _cross_checks(self, out: dict, chunk: Chunk, bad: np.ndarray) -> None:
        rows = chunk.rows
        sido, sigungu = out.get("sido_code"), out.get("sigungu_code")
        if sigungu is not None:
            derived = pc.utf8_slice_codeunits(sigungu, 0, 2)
            if sido is None:
                out["sido_code"] = derived
            else:
                both = _mask(pc.and_(pc.is_valid(sido), pc.is_valid(sigungu)))
                mismatch = both & ~_mask(pc.equal(sido, derived))
                header = self.mapping.columns.get("sigungu_code", "(default)")
                self.issues.add_mask(
                    mismatch,
                    rows,
                    header,
                    "sigungu_code",
                    "region_mismatch",
                    lambda i: f"시군구 {sigungu[i].as_py()} is not in 시도 {sido[i].as_py()}",
                )
                bad |= mismatch
                out["sido_code"] = pc.coalesce(sido, derived)
        for start, end in (("start_date", "end_date"), ("enrolled_on", "completed_on")):
            if out.get(start) is not None and out.get(end) is not None:
                before = _mask(pc.less(out[end], out[start]))
                header = self.mapping.columns.get(end, "(default)")
                self.issues.add_mask(before, rows, header, end, "date_order", f"{end} is before {start}")
                bad |= before
        if out.get("score") is not None and out.get("max_score") is not None:
            over = _mask(pc.greater(out["score"], out["max_score"]))
            header = self.mapping.columns.get("score", "(default)")
            self.issues.add_mask(over, rows, header, "score", "score_above_max", "score is above max_score")
            bad |= over
        if self.mapping.kind == "outcomes" and out.get("result") is not None:
            combo = pc.binary_join_element_wise(out["kind"], out["result"], ":")
            allowed = pa.array([f"{k}:{r}" for k, rs in m.OUTCOME_RESULTS.items() for r in rs])
            wrong = _mask(pc.is_valid(combo)) & ~_mask(pc.is_in(combo, value_set=allowed))
            header = self.mapping.columns.get("result", "(default)")
            self.issues.add_mask(
                wrong,
                rows,
                header,
                "result",
                "bad_code",
                lambda i: (
                    f"result {_show(out['result'][i].as_py())} does not fit kind {out['kind'][i].as_py()} "
                    f"(allowed: {', '.join(m.OUTCOME_RESULTS.get(out['kind'][i].as_py(), ()))})"
                ),
            )
            bad |= wrong
        if (
            out.get("status") is not None
            and out.get("minutes") is not None
            and self.mapping.kind == "attendance"
        ):
            absent_with_minutes = _mask(pc.and_(pc.equal(out["status"], "A"), pc.greater(out["minutes"], 0)))
            header = self.mapping.columns.get("minutes", "(default)")
            self.issues.add_mask(
                absent_with_minutes,
                rows,
                header,
                "minutes",
                "absent_minutes",
                "status A (absent) with minutes above 0",
            )
            bad |= absent_with_minutes
        if out.get("disability_type") is not None or out.get("disability_severity") is not None:
            consent = out.get("consent_sensitive")
            consent_mask = (
                _mask(consent) if consent is not None else np.zeros(chunk.table.num_rows, dtype=bool)
            )
            given = np.zeros(chunk.table.num_rows, dtype=bool)
            for name in ("disability_type", "disability_severity"):
                values = out.get(name)
                if values is None:
                    continue
                given |= _mask(pc.is_valid(values))
                out[name] = pc.if_else(pa.array(consent_mask), values, pa.scalar(None, pa.string()))
            self.dropped_sensitive += int((given & ~consent_mask & ~bad).sum())

    def _pseudonym(self, out: dict, chunk: Chunk, bad: np.ndarray):
        if "learner_id" not in self.fields:
            return None
        if out.get("learner_id") is not None:
            return out["learner_id"]
        names, phones = out.get("name"), out.get("phone")
        if names is None and phones is None:
            return None
        n = chunk.table.num_rows
        names_list = names.to_pylist() if names is not None else [None] * n
        phones_list = phones.to_pylist() if phones is not None else [None] * n
        if phones is not None:
            digits = np.array([len(normalise_phone(p)) if p else 0 for p in phones_list])
            wrong = (digits > 0) & ((digits < 9) | (digits > 11))
            header = self.mapping.columns.get("phone", "(default)")
            self.issues.add_mask(
                wrong,
                chunk.rows,
                header,
                "phone",
                "bad_phone",
                "phone is not a 9 to 11 digit number (value not shown)",
            )
            bad |= wrong
        key = self.key() if self.key else b""
        values = pseudonyms(key, names_list, phones_list)
        return pa.array(values, type=pa.string())


def _range(spec: FieldSpec) -> str:
    low = "" if spec.minimum is None else f"{spec.minimum:g}"
    high = "" if spec.maximum is None else f"{spec.maximum:g}"
    return f"{low}..{high}"


def _specs(mapping: ImportMapping):
    from training_tracker.mapping import KIND_FIELDS

    return KIND_FIELDS[mapping.kind]


def region_codes_for(mapping: ImportMapping) -> frozenset[str] | None:
    if mapping.region_codes is None:
        return None
    from training_tracker.regions import load_region_codes

    return load_region_codes(Path(mapping.region_codes))
