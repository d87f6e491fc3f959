"""Region codes: the 17 시도 of the 행정표준코드 (first two digits of the 법정동 code) and 5-digit 시군구.

Checks are on shape and 시도 membership; a full 시군구 list changes every year or two (226 vs 228
units in recent releases), so a stricter list can be supplied by the user (``region_codes`` in an
import mapping) instead of being hard-coded here. KOSIS statistical codes differ (서울 11, 부산 21 …):
recode them with the mapping's ``values:`` section.
"""

from __future__ import annotations

from pathlib import Path

from training_tracker.errors import TrainingError

#: 시도 code → (Korean name, English name). 42/45 are the codes before 강원특별자치도 (2023-06-11)
#: and 전북특별자치도 (2024-01-18); both old and new codes are accepted so older files still import.
SIDO: dict[str, tuple[str, str]] = {
    "11": ("서울특별시", "Seoul"),
    "26": ("부산광역시", "Busan"),
    "27": ("대구광역시", "Daegu"),
    "28": ("인천광역시", "Incheon"),
    "29": ("광주광역시", "Gwangju"),
    "30": ("대전광역시", "Daejeon"),
    "31": ("울산광역시", "Ulsan"),
    "36": ("세종특별자치시", "Sejong"),
    "41": ("경기도", "Gyeonggi"),
    "42": ("강원도 (2023년 6월 이전)", "Gangwon (before June 2023)"),
    "43": ("충청북도", "Chungbuk"),
    "44": ("충청남도", "Chungnam"),
    "45": ("전라북도 (2024년 1월 이전)", "Jeonbuk (before January 2024)"),
    "46": ("전라남도", "Jeonnam"),
    "47": ("경상북도", "Gyeongbuk"),
    "48": ("경상남도", "Gyeongnam"),
    "50": ("제주특별자치도", "Jeju"),
    "51": ("강원특별자치도", "Gangwon"),
    "52": ("전북특별자치도", "Jeonbuk"),
}


def load_region_codes(path: Path) -> frozenset[str]:
    """A user-supplied list of valid 5-digit 시군구 codes: a text/CSV file, first column, header optional."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise TrainingError(
            f"cannot read region code list {path}: {exc}", hint="Give a UTF-8 CSV of codes."
        ) from exc
    codes = set()
    for line_no, line in enumerate(text.splitlines(), start=1):
        first = line.split(",")[0].strip().strip('"')
        if not first or (line_no == 1 and not first.isdigit()):
            continue
        if len(first) != 5 or not first.isdigit():
            raise TrainingError(
                f"{path}, line {line_no}: {first!r} is not a 5-digit 시군구 code",
                hint="One code per line, e.g. 11110.",
            )
        codes.add(first)
    return frozenset(codes)


def region_level(code: str) -> str:
    """``sido``, ``sigungu`` or ``all`` for a target / population region code."""
    if code == "all":
        return "all"
    return "sido" if len(code) == 2 else "sigungu"
