"""`ddkit audit …` commands."""

from __future__ import annotations

import typer

app = typer.Typer(help="Audit web pages and sites against KWCAG 2.2 and WCAG 2.2.", no_args_is_help=True)
