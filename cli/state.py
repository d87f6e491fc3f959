"""Global options given before the command group (``ddkit --debug ...``)."""

from dataclasses import dataclass


@dataclass
class GlobalState:
    debug: bool = False


state = GlobalState()
