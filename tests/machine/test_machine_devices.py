"""The findings CSV says which device each finding was found on (``--device both`` runs)."""

from __future__ import annotations

import csv
import io

from a11y_audit.models import Finding, PageResult
from reports.machine import findings_csv


def test_findings_csv_has_the_device_of_every_row():
    zoom = Finding("mobile-zoom", "kwcag", "violation", "serious", [], ["1.4.4"], None, None, "en", "ko")
    alt = Finding(
        "image-alt", "axe", "violation", "critical", ["1.1.1"], ["1.1.1"], "img", "<img>", "en", "ko"
    )
    url = "https://www.example.go.kr/"
    rows = list(
        csv.DictReader(
            io.StringIO(
                findings_csv(
                    [
                        PageResult(url=url, device="desktop", findings=[alt]),
                        PageResult(url=url, device="mobile", findings=[alt, zoom]),
                    ]
                )
            )
        )
    )
    assert [(r["rule_id"], r["device"], r["kwcag"], r["wcag"]) for r in rows] == [
        ("image-alt", "desktop", "1.1.1", "1.1.1"),
        ("image-alt", "mobile", "1.1.1", "1.1.1"),
        ("mobile-zoom", "mobile", "", "1.4.4"),
    ]
