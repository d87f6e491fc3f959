"""Fixtures of the campaign tests: a log shared with worker processes, small local sites."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest


class StandInLog:
    def __init__(self, path: Path) -> None:
        self.path = path

    def events(self, kind: str) -> list[tuple[str, str]]:
        """(pid, detail) of every logged event of this kind, in order."""
        if not self.path.exists():
            return []
        rows = []
        for line in self.path.read_text(encoding="utf-8").splitlines():
            event, pid, *rest = line.split(" ", 2)
            if event == kind:
                rows.append((pid, rest[0] if rest else ""))
        return rows

    def audits(self) -> Counter:
        return Counter(url for _, url in self.events("audit"))


@pytest.fixture
def standin_log(tmp_path, monkeypatch) -> StandInLog:
    path = tmp_path / "standin.log"
    monkeypatch.setenv("CAMPAIGN_STANDIN_LOG", str(path))
    return StandInLog(path)
