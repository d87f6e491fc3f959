"""The installed ddkit version."""

from functools import cache
from importlib.metadata import PackageNotFoundError, version


@cache
def ddkit_version() -> str:
    try:
        return version("ddkit")
    except PackageNotFoundError:  # running from a source tree that was not installed
        return "0+unknown"
