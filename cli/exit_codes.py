"""The process exit codes of every ddkit command, in one place."""

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    FINDINGS = 1  # findings at or above --fail-on, or a score below --min-score
    USAGE = 2  # bad command line
    RUNTIME = 3  # browser, network, database or bad-file error
    INTERRUPTED = 130  # Ctrl-C
