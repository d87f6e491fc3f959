"""Errors a user can cause in gap_survey; the CLI turns them into a message, a hint and an exit code."""

from __future__ import annotations


class SurveyError(Exception):
    """Base class. ``hint`` says what to do; ``exit_code`` is 3 (runtime/bad input) unless set."""

    exit_code: int = 3

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class SurveyUsageError(SurveyError):
    """The command line asked for something impossible (exit code 2)."""

    exit_code = 2
