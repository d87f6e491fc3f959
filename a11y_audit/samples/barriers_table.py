"""The Markdown tables of planted barriers and fixed twins shown in docs/explanation/sample-site.md.

The document embeds them with cog (``cog -r docs/explanation/sample-site.md``); a test fails when the
document differs from ``govsite/barriers.yaml``.
"""

from __future__ import annotations

from a11y_audit.samples import Barrier, load_barriers, load_twins

HEADER = (
    "| ID | KWCAG 2.2 | Page | Element | What is wrong | 문제 | Automated | Expected | Rules |\n"
    "|---|---|---|---|---|---|---|---|---|\n"
)


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace("\n", " ")


def _row(b: Barrier) -> str:
    rules = ", ".join(f"`{r}`" for r in b.rules) or "—"
    automated = "yes" if b.machine_detectable else "no"
    expected = (b.expected or "").replace("_", " ") or "—"
    return (
        f"| {b.id} | {b.item} | `{b.page}` | `{_cell(b.element)}` | {_cell(b.wrong_en)} | {_cell(b.wrong_ko)} "
        f"| {automated} | {expected} | {rules if b.machine_detectable else '—'} |\n"
    )


def markdown_table(barriers: list[Barrier] | None = None) -> str:
    return HEADER + "".join(_row(b) for b in (barriers if barriers is not None else load_barriers()))


def twins_table() -> str:
    rows = "".join(f"| `{t.page}` | `{t.fixed}` | {_cell(t.summary)} |\n" for t in load_twins())
    return "| Page | Fixed twin | What the twin fixes |\n|---|---|---|\n" + rows
