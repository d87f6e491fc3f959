"""PIPA helpers: the RRN pattern, pseudonyms, the key file, small-cell suppression."""

from __future__ import annotations

import os

import pytest

from training_tracker.errors import TrainingError, TrainingUsageError
from training_tracker.privacy import (
    check_min_cell,
    load_or_create_key,
    looks_like_rrn,
    normalise_phone,
    pseudonym,
    suppress_rows,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("900101-1234567", True),
        ("9001011234567", True),
        ("주민번호 900101 1234567 확인", True),
        ("(900101-5234567)", True),  # foreign registration numbers share the shape
        ("010-1234-5678", False),
        ("90010112345678", False),  # 14 digits
        ("900101-123456", False),  # 12 digits
        ("2025-03-01", False),
    ],
)
def test_rrn_shape(text, expected):
    assert looks_like_rrn(text) is expected


def test_pseudonyms_are_keyed_and_normalised(tmp_path):
    key = load_or_create_key(tmp_path / "k" / "pseudonym.key")
    assert oct(os.stat(tmp_path / "k" / "pseudonym.key").st_mode & 0o777) == "0o600"
    assert load_or_create_key(tmp_path / "k" / "pseudonym.key") == key  # read back, not replaced
    a = pseudonym(key, "홍 길동", "010-1234-5678")
    assert a == pseudonym(key, " 홍  길동", "+82 10 1234 5678") and a.startswith("P") and len(a) == 21
    assert a != pseudonym(b"another key of 16+ bytes", "홍 길동", "010-1234-5678")
    assert a != pseudonym(key, "홍길순", "010-1234-5678")
    assert normalise_phone("+82-10-1234-5678") == "01012345678"
    (tmp_path / "bad.key").write_text("not hex\n")
    with pytest.raises(TrainingError, match="not hex"):
        load_or_create_key(tmp_path / "bad.key")


def test_suppression_blanks_small_counts_and_rates_built_on_them():
    rows = suppress_rows(
        [{"n": 4, "of": 20, "rate": 0.2}, {"n": 12, "of": 20, "rate": 0.6}, {"n": 0, "of": 3, "rate": 0.0}],
        counts=("n", "of"),
        rates={"rate": ("n", "of")},
    )
    assert [(r["n"], r["of"], r["rate"], r["suppressed"]) for r in rows] == [
        (None, 20, None, ["n", "rate"]),
        (12, 20, 0.6, []),
        (None, None, None, ["n", "of", "rate"]),
    ]
    assert check_min_cell(7) == 7
    with pytest.raises(TrainingUsageError):
        check_min_cell(4)
