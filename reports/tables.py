"""Data tables: every chart's numbers and every list in a report, rendered with caption and header scope.

A table is plain data (caption, columns, rows of already-formatted cells); the ``table`` macro in
``templates/macros.html.j2`` renders it with ``<caption>``, ``<th scope="col">`` and, when the first
column names the row, ``<th scope="row">``. Cells are plain strings (escaped when rendered) or
:class:`markupsafe.Markup` built by ddkit itself from escaped parts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

#: Counts from 1 to this value minus one are shown as "<5" in training reports (small-cell suppression).
DEFAULT_MIN_CELL = 5

Cell = str | Markup


@dataclass(frozen=True)
class Column:
    label: str
    numeric: bool = False


@dataclass
class Table:
    id: str
    caption: str
    columns: list[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    #: The first cell of each row names the row (rendered as ``<th scope="row">``).
    row_headers: bool = True
    notes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        for n, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(
                    f"table {self.id}: row {n} has {len(row)} cells for {len(self.columns)} columns"
                )

    def add(self, *cells: Cell) -> None:
        if len(cells) != len(self.columns):
            raise ValueError(f"table {self.id}: {len(cells)} cells for {len(self.columns)} columns")
        self.rows.append(list(cells))


@dataclass
class Suppressor:
    """Primary small-cell suppression: a count from 1 to ``min_cell - 1`` is shown as ``<min_cell``,
    and a rate whose numerator or denominator is such a count is suppressed with it.
    Every suppressed cell is counted so the report can say how many there were."""

    min_cell: int = DEFAULT_MIN_CELL
    suppressed: int = 0

    @property
    def label(self) -> str:
        return f"<{self.min_cell}"

    def is_small(self, count: int | float | None) -> bool:
        return count is not None and 0 < count < self.min_cell

    def count(self, value: int | None, formatted: str) -> str:
        if self.is_small(value):
            self.suppressed += 1
            return self.label
        return formatted

    def rate(self, numerator: int | None, denominator: int | None, formatted: str) -> str:
        if self.is_small(numerator) or self.is_small(denominator):
            self.suppressed += 1
            return self.label
        return formatted
