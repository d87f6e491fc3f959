"""`ddkit demo`: the whole product on the bundled sample."""

from __future__ import annotations


def demo() -> None:
    """Run ddkit on the bundled sample and write the reports into ./ddkit-demo/.

    Example:

        ddkit demo
    """
