"""The ``ddkit`` command: the Typer app, its groups, and the one error boundary."""

from __future__ import annotations

import importlib
import sys

import typer

from cli.errors import domain_error_types, report_error, report_unexpected
from cli.exit_codes import ExitCode
from cli.output import err
from cli.state import state
from cli.version import ddkit_version

#: Command groups and single commands, by name: their modules are imported only when needed.
GROUPS = {"audit": "cli.audit", "survey": "cli.survey", "training": "cli.training", "report": "cli.report"}
COMMANDS = {"demo": "cli.demo", "doctor": "cli.doctor"}


def build_app(only: str | None = None) -> typer.Typer:
    """The ``ddkit`` app with every group, or with just the group or command named ``only``.

    A command line names one group: building only that one spares every run the import of the
    other groups' modules (the audit group's alone: 80 ms in ``python -X importtime``) and Typer's
    inspection of their commands' signatures.
    """
    app = typer.Typer(
        name="ddkit",
        help=(
            "Digital-divide kit: audit public websites against KWCAG 2.2, compute the Digital "
            "Information Gap Index, and track digital-skills training.\n\n"
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
    app.callback()(_global_options)
    for name, module in GROUPS.items():
        if only in (None, name):
            app.add_typer(importlib.import_module(module).app, name=name)
    for name, module in COMMANDS.items():
        if only in (None, name):
            app.command(name=name)(getattr(importlib.import_module(module), name))
    return app


def _named(args: list[str]) -> str | None:
    """The group or command a command line names (None: help, --version, a typo …)."""
    for arg in args:
        if arg == "--debug":
            continue
        if arg.startswith("-"):
            return None
        return arg if arg in GROUPS or arg in COMMANDS else None
    return None


def __getattr__(name: str):
    if name == "app":  # the whole app (the reference generator, tests)
        return build_app()
    raise AttributeError(f"module 'cli' has no attribute {name!r}")


def _version_callback(value: bool) -> None:
    if value:
        typer.echo(f"ddkit {ddkit_version()}")
        raise typer.Exit()


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
    command = typer.main.get_command(build_app(_named(args)))
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
