"""ddkit's own KWCAG checks: a DOM bundle evaluated in the page, keyboard checks, raw-HTML markup
checks and cross-page checks. Each check is a small evaluator whose findings have an axe-style outcome
(violation / pass / incomplete / inapplicable); the registry says which KWCAG item each one feeds.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def script(name: str) -> str:
    """The source of one of the JavaScript files shipped in this package."""
    return resources.files("a11y_audit.checks").joinpath(name).read_text(encoding="utf-8")
