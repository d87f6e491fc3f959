"""PIPA safeguards: no identity numbers, keyed pseudonyms, consent-gated sensitive fields, purge,
and small-cell suppression of every published count.

* Resident registration numbers (주민등록번호), foreign registration numbers (외국인등록번호) and
  passport numbers are never stored. RRN-shaped values (6 digits, optional separator, 7 digits) in
  any column refuse the whole file; the value itself is never echoed.
* Names and phone numbers become ``P`` + a truncated HMAC-SHA256 under a key kept outside the
  database (default ``~/.config/ddkit/pseudonym.key``, mode 0600); the name and number are dropped.
* Published counts below ``MIN_CELL`` people are replaced by ``None`` (shown as "<5").
"""

from __future__ import annotations

import hmac
import os
import re
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from training_tracker.errors import TrainingError, TrainingUsageError

#: 6 digits (birth date), an optional separator, 7 digits; RE2 syntax (pyarrow), so no look-arounds.
RRN_REGEX = r"(^|[^0-9])[0-9]{6}[-‐–— ]?[0-9]{7}($|[^0-9])"
_RRN_RE = re.compile(RRN_REGEX)
#: Column headers that announce an identity number (resident, foreign registration, passport).
ID_HEADER_RE = re.compile(
    r"주민\s*(등록)?\s*번호|외국인\s*등록|여권|passport|\brrn\b|resident.?reg|alien.?reg|foreign.?reg|jumin",
    re.IGNORECASE,
)
#: A learner id that is really a Korean mobile or landline number.
PHONE_ID_REGEX = r"^(\+?82[- ]?)?0?[1-9][0-9]?[- ]?[0-9]{3,4}[- ]?[0-9]{4}$"

MIN_CELL = 5
KEY_ENV = "DDKIT_PSEUDONYM_KEY_FILE"


def looks_like_rrn(value: str) -> bool:
    return bool(_RRN_RE.search(value))


def default_key_path() -> Path:
    env = os.environ.get(KEY_ENV)
    if env:
        return Path(env).expanduser()
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "ddkit" / "pseudonym.key"


def load_or_create_key(path: Path | None = None) -> bytes:
    """The pseudonym key; created (32 random bytes, hex, mode 0600) on first use."""
    path = Path(path).expanduser() if path else default_key_path()
    if path.exists():
        try:
            text = path.read_text(encoding="ascii").strip()
            key = bytes.fromhex(text)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise TrainingError(
                f"pseudonym key file {path} is unreadable or not hex",
                hint="Restore the key from your backup; without it names map to new pseudonyms.",
            ) from exc
        if len(key) < 16:
            raise TrainingError(f"pseudonym key in {path} is too short ({len(key)} bytes, need 16+)")
        return key
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # created by a concurrent process: use theirs
        return load_or_create_key(path)
    except OSError as exc:
        raise TrainingError(
            f"cannot create pseudonym key file {path}: {exc.strerror}",
            hint="Give --key-file (or DDKIT_PSEUDONYM_KEY_FILE) a writable path outside the database.",
        ) from exc
    key = secrets.token_bytes(32)
    with os.fdopen(fd, "w", encoding="ascii") as fh:
        fh.write(key.hex() + "\n")
    return key


def key_is_private(path: Path) -> bool:
    """False when group or others can read the key file."""
    return (path.stat().st_mode & 0o077) == 0


def normalise_name(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def normalise_phone(phone: str) -> str:
    digits = re.sub(r"[^0-9]", "", phone)
    if digits.startswith("82") and len(digits) >= 11:  # +82 10-… → 010-…
        digits = "0" + digits[2:]
    return digits


def pseudonym(key: bytes, name: str | None, phone: str | None) -> str:
    message = f"{normalise_name(name or '')}\x1f{normalise_phone(phone or '')}".encode()
    return "P" + hmac.digest(key, message, "sha256").hex()[:20]


def pseudonyms(key: bytes, names: Sequence[str | None], phones: Sequence[str | None]) -> list[str]:
    return [pseudonym(key, n, p) for n, p in zip(names, phones, strict=True)]


def check_min_cell(min_cell: int) -> int:
    if min_cell < MIN_CELL:
        raise TrainingUsageError(
            f"--min-cell {min_cell} is below {MIN_CELL}",
            hint=f"Cells with fewer than {MIN_CELL} people are always suppressed; you may only raise it.",
        )
    return min_cell


def suppress_count(value: int | None, min_cell: int = MIN_CELL) -> int | None:
    if value is None:
        return None
    return None if value < min_cell else int(value)


def suppress_rows(
    rows: Iterable[dict[str, Any]],
    counts: Sequence[str],
    rates: dict[str, tuple[str, str]] | None = None,
    min_cell: int = MIN_CELL,
) -> list[dict[str, Any]]:
    """Suppress people counts below ``min_cell``, and every rate whose numerator or denominator is.

    Each row gets ``suppressed``: the names of the fields that were blanked.
    """
    rates = rates or {}
    result = []
    for row in rows:
        row = dict(row)
        hidden = []
        for field in counts:
            if row.get(field) is not None and row[field] < min_cell:
                row[field] = None
                hidden.append(field)
        for field, (num, den) in rates.items():
            if row.get(field) is None:
                continue
            if num in hidden or den in hidden or row.get(num) is None or row.get(den) is None:
                row[field] = None
                hidden.append(field)
        row["suppressed"] = hidden
        result.append(row)
    return result
