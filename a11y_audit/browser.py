"""Which Chromium to drive and how to launch it.

Playwright's own browser download is not available on the machines ddkit targets, so ddkit drives
Debian's ``chromium`` package (``DDKIT_CHROMIUM`` overrides the path).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from functools import cache

from a11y_audit.errors import AuditError

#: Flags that keep a headless Chromium quiet on a machine with a closed network and no GPU.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-default-apps",
    "--disable-extensions",
    "--mute-audio",
]

_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")

INSTALL_HINT = (
    "Install Debian's Chromium with 'sudo apt-get install chromium' (make demo / make test do this), "
    "or set DDKIT_CHROMIUM to the path of a Chromium or Chrome executable."
)


@dataclass(frozen=True)
class ChromiumInfo:
    path: str
    version: str


def find_chromium() -> str:
    """Path of the Chromium executable, or :class:`AuditError` with how to install one."""
    override = os.environ.get("DDKIT_CHROMIUM")
    if override:
        if os.path.isfile(override) and os.access(override, os.X_OK):
            return override
        raise AuditError(
            f"DDKIT_CHROMIUM points at {override!r}, which is not an executable file.", hint=INSTALL_HINT
        )
    for name in _CANDIDATES:
        path = shutil.which(name)
        if path:
            return path
    raise AuditError("No Chromium browser was found on this machine.", hint=INSTALL_HINT)


@cache
def chromium_info() -> ChromiumInfo:
    path = find_chromium()
    try:
        done = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30)
        version = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else "unknown"
    except (OSError, subprocess.TimeoutExpired):
        version = "unknown"
    return ChromiumInfo(path=path, version=version)
