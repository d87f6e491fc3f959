"""The ``ddkit`` command: the Typer app, its groups, and the one error boundary."""

from __future__ import annotations

import sys

import typer

from cli import audit, demo, doctor, report, survey, training
from cli.errors import domain_error_types, report_error, report_unexpected
from cli.exit_codes import ExitCode
from cli.output import err
from cli.state import state
from cli.version import ddkit_version

app = typer.Typer(
    name="ddkit",
    help=(
        "Digital-divide kit: audit public websites against KWCAG 2.2, compute the Digital Information "
        "Gap Index, and track digital-skills training.\n\n"
        "Examples:\n\n"
        "  ddkit audit page https://www.example.go.kr/\n\n"
        "  ddkit survey index survey.csv --codebook codebook.yaml --year 2024\n\n"
        "  ddkit training kpis --year 2025\n\n"
        "  ddkit doctor"
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)
app.add_typer(audit.app, name="audit")
app.add_typer(survey.app, name="survey")
app.add_typer(training.app, name="training")
app.add_typer(report.app, name="report")
app.command(name="demo")(demo.demo)
app.command(name="doctor")(doctor.doctor)


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"ddkit {ddkit_version()}")
        raise typer.Exit()


@app.callback()
def _global_options(
    version: bool = typer.Option(
        False, "--version", callback=_version_callback, is_eager=True, help="Print the version and exit."
    ),
    debug: bool = typer.Option(False, "--debug", help="Show tracebacks for errors."),
) -> None:
    state.debug = debug


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script.

    Typer handles usage errors (exit 2), ``typer.Exit`` and Ctrl-C (exit 130); domain errors and
    anything unforeseen are turned into one ``Error:``/``Hint:`` message here. With ``argv`` given
    (tests), the exit code is returned instead of exiting.
    """
    args = sys.argv[1:] if argv is None else list(argv)
    state.debug = "--debug" in args  # known before parsing, so even a parse failure honours it
    command = typer.main.get_command(app)
    try:
        command.main(args=args, prog_name="ddkit", standalone_mode=True)
        code = int(ExitCode.OK)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else int(ExitCode.RUNTIME))
    except KeyboardInterrupt:
        err.print("Interrupted; everything finished so far is kept.")
        code = int(ExitCode.INTERRUPTED)
    except domain_error_types() as exc:
        code = int(report_error(exc))
    except Exception as exc:  # noqa: BLE001 - the boundary: never a bare traceback
        code = int(report_unexpected(exc))
    if argv is None:
        sys.exit(code)
    return code
