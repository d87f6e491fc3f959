"""The one error boundary: every domain error becomes ``Error: …`` / ``Hint: …`` and an exit code."""

from __future__ import annotations

import traceback

from cli.exit_codes import ExitCode
from cli.output import err
from cli.state import state


def domain_error_types() -> tuple[type[BaseException], ...]:
    """Base classes of the errors a user can cause, one per domain package."""
    from a11y_audit.errors import AuditError
    from gap_survey.errors import SurveyError
    from reports.errors import ReportError
    from training_tracker.errors import TrainingError

    return (AuditError, SurveyError, TrainingError, ReportError)


def report_error(exc: BaseException) -> ExitCode:
    """Print a domain error without a traceback (unless --debug) and return its exit code."""
    if state.debug:
        err.print(traceback.format_exc(), markup=False)
    err.print(f"[bold red]Error:[/] {exc}", markup=True, highlight=False, soft_wrap=True)
    hint = getattr(exc, "hint", None)
    if hint:
        err.print(f"[bold]Hint:[/] {hint}", soft_wrap=True)
    code = getattr(exc, "exit_code", None)
    return ExitCode(code) if code is not None else ExitCode.RUNTIME


def report_unexpected(exc: BaseException) -> ExitCode:
    """A bug or an environment failure we did not foresee: still one line unless --debug."""
    if state.debug:
        err.print(traceback.format_exc(), markup=False)
    err.print(f"[bold red]Error:[/] {type(exc).__name__}: {exc}", soft_wrap=True)
    if not state.debug:
        err.print("[bold]Hint:[/] run again with 'ddkit --debug …' to see the traceback, and report it.")
    return ExitCode.RUNTIME
