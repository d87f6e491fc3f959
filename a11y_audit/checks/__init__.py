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


@cache
def bundle(name: str) -> str:
    """A bundle of in-page checks (``dom_checks.js``, ``mobile_checks.js``) joined to ``kit.js``.

    The bundle's file is a function of ``(opts, kit)``; what comes back is a function of ``opts`` alone,
    for ``page.evaluate(bundle(name), opts)``, that builds the kit and hands it to the bundle."""
    return f"async (opts) => (\n{script(name)}\n)(opts, (\n{script('kit.js')}\n)(opts))"
