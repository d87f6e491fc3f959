"""How commands talk: progress and logs on stderr, results on stdout (human or one JSON document)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
import pathlib
import sys
from typing import Any

from rich.console import Console

from cli.version import ddkit_version

#: Bumped when a field of the envelope or of a documented payload changes incompatibly.
SCHEMA_VERSION = "1.0"

err = Console(stderr=True, highlight=False)
out = Console(highlight=False, soft_wrap=True)


def _default(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        # A result may leave out what does not belong in JSON (e.g. a page's thumbnail bytes).
        return obj.to_dict() if callable(getattr(obj, "to_dict", None)) else dataclasses.asdict(obj)
    if isinstance(obj, dt.datetime | dt.date):
        return obj.isoformat()
    if isinstance(obj, pathlib.Path):
        return str(obj)
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, set | frozenset | tuple):
        return list(obj)
    if hasattr(obj, "to_dict"):  # pandas objects
        return obj.to_dict(orient="records") if hasattr(obj, "columns") else obj.to_dict()
    if hasattr(obj, "item"):  # numpy scalars
        return obj.item()
    raise TypeError(f"cannot serialise {type(obj).__name__}")


def _clean(value: Any) -> Any:
    """NaN and infinity are not JSON: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def envelope(kind: str, data: Any) -> dict[str, Any]:
    """The one JSON document every ``--json`` command prints."""
    payload = json.loads(json.dumps(data, default=_default, ensure_ascii=False))
    return {
        "schema_version": SCHEMA_VERSION,
        "ddkit_version": ddkit_version(),
        "kind": kind,
        "data": _clean(payload),
    }


def print_json(kind: str, data: Any) -> None:
    sys.stdout.write(json.dumps(envelope(kind, data), ensure_ascii=False, indent=2, allow_nan=False))
    sys.stdout.write("\n")
    sys.stdout.flush()


def progress_enabled() -> bool:
    """Progress bars only on a terminal."""
    return err.is_terminal
