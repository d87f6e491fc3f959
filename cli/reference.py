"""The command reference (docs/reference/cli.md), generated from the commands themselves.

``cog -r docs/reference/cli.md`` rewrites it; a test fails when the file is out of date.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import typer


def iter_commands() -> Iterator[tuple[str, object]]:
    """(full name, click command) for every leaf command, in help order."""
    from cli import app

    root = typer.main.get_command(app)

    def walk(cmd, path: list[str]):
        sub = getattr(cmd, "commands", None)
        if sub:
            for name in cmd.list_commands(None):
                yield from walk(sub[name], [*path, name])
        else:
            yield " ".join(path), cmd

    yield from walk(root, ["ddkit"])


def _param_row(param) -> str:
    names = ", ".join(f"`{o}`" for o in (*param.opts, *param.secondary_opts))
    kind = "argument" if param.param_type_name == "argument" else "option"
    default = "" if param.required or param.default in (None, False, ()) else f"`{param.default}`"
    if hasattr(default, "value"):
        default = f"`{default.value}`"
    help_text = (getattr(param, "help", None) or "").replace("|", "\\|").replace("\n", " ")
    if getattr(param, "envvar", None):
        help_text += f" (env `{param.envvar}`)"
    if param.required:
        help_text += " **required**"
    return f"| {names} | {kind} | {default} | {help_text} |"


def cli_reference() -> str:
    """Markdown for every command: usage, description with examples, and parameters."""
    lines: list[str] = []
    for name, cmd in iter_commands():
        params = [p for p in cmd.params if p.name != "help"]
        usage = " ".join([name, *[f"{p.name.upper()}" for p in params if p.param_type_name == "argument"]])
        lines += [f"## `{name}`", "", f"```text\n{usage} [OPTIONS]\n```", ""]
        lines += [inspect.cleandoc(cmd.help or "").replace("\n    ", "\n    "), ""]
        if params:
            lines += ["| parameter | kind | default | description |", "|---|---|---|---|"]
            lines += [_param_row(p) for p in params]
            lines.append("")
    return "\n".join(lines)
