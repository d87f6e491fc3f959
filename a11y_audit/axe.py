"""Where axe-core comes from: the ``axe.min.js`` inside the ``axe-playwright-python`` wheel.

``DDKIT_AXE_JS`` (or the ``axe_js`` argument) points at a newer ``axe.min.js`` instead. The version is
read from the file's own header and recorded with every result.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from a11y_audit.errors import AuditError

_VERSION_RE = re.compile(r"axe v(\d+\.\d+\.\d+[\w.-]*)")


@dataclass(frozen=True)
class AxeSource:
    path: str
    version: str
    sha256: str
    script: str


@cache
def load_axe(axe_js: str | None = None) -> AxeSource:
    """Read axe-core once per process."""
    chosen = axe_js or os.environ.get("DDKIT_AXE_JS")
    if chosen:
        path = Path(chosen)
        if not path.is_file():
            raise AuditError(
                f"axe-core file {chosen!r} does not exist.",
                hint="Point --axe-js / DDKIT_AXE_JS at an axe.min.js from the axe-core npm package.",
            )
        script = path.read_text(encoding="utf-8")
    else:
        try:
            ref = resources.files("axe_playwright_python").joinpath("axe.min.js")
            script = ref.read_text(encoding="utf-8")
            path = Path(str(ref))
        except (ModuleNotFoundError, FileNotFoundError) as exc:
            raise AuditError(
                "axe-core is missing: the axe-playwright-python package is not installed.",
                hint="Run 'make demo' or 'pip install -r requirements.lock'.",
            ) from exc
    match = _VERSION_RE.search(script[:500])
    if not match:
        raise AuditError(
            f"{path} does not look like axe-core (no 'axe vX.Y.Z' header).",
            hint="Use the axe.min.js file of the axe-core npm package.",
        )
    return AxeSource(
        path=str(path),
        version=match.group(1),
        sha256=hashlib.sha256(script.encode()).hexdigest(),
        script=script,
    )
