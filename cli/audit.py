"""`ddkit audit …`: the command group; each verb lives in its own module and registers itself here."""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(help="Audit web pages and sites against KWCAG 2.2 and WCAG 2.2.", no_args_is_help=True)

# Modules that add verbs to `app` (each defines `register(app)`). A module that does not exist yet is
# simply not registered, so verbs can land one at a time.
_VERB_MODULES = (
    "cli.audit_page",
    "cli.audit_site",
    "cli.audit_score",
    "cli.audit_campaign",
    "cli.audit_tasks",
)

for _name in _VERB_MODULES:
    try:
        _module = importlib.import_module(_name)
    except ModuleNotFoundError as _exc:
        if _exc.name != _name:
            raise
        continue
    _module.register(app)
