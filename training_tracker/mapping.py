"""What each import kind expects (fields, types, keys) and the YAML column-mapping files.

A mapping file says which column of the user's file holds which field, how to recode values, and
how to read the file::

    kind: enrolments          # sites | courses | learners | enrolments | sessions | attendance
                              # | assessments | outcomes | targets | population
    encoding: utf-8           # or cp949 / euc-kr (Korean Excel's CSV default)
    delimiter: ","
    sheet: 수강생              # XLSX only; default the first sheet
    date_format: "%Y-%m-%d"   # ISO dates are always accepted as well
    groups_separator: "|"
    columns:                  # field: column header in the file
      learner_id: 가명아이디
      run_code: 과정코드
      enrolled_on: 등록일
    values:                   # optional recoding, per field: file value -> ddkit value
      sex: {남자: M, 여자: F}
    defaults:                 # constants for fields the file lacks
      status: enrolled
    region_codes: sigungu.csv # optional list of valid 5-digit 시군구 codes
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from training_tracker import codes as m
from training_tracker.errors import TrainingError


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # text int float date choice groups bool sido sigungu region learner name phone
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int = 200
    help: str = ""


# Learner identity: either an existing pseudonymous id, or a name + phone turned into a keyed pseudonym.
_IDENTITY = (
    FieldSpec("learner_id", "learner", help="pseudonymous learner id (never an RRN, name or phone number)"),
    FieldSpec("name", "name", help="learner's name: only used to derive the pseudonym, never stored"),
    FieldSpec("phone", "phone", help="phone number: only used to derive the pseudonym, never stored"),
)
_LEARNER_ATTRS = (
    FieldSpec("birth_year", "int", minimum=1900, maximum=2100, help="4-digit year of birth"),
    FieldSpec("sex", "choice", choices=m.SEXES, help="M or F (남/여 accepted)"),
    FieldSpec(
        "sido_code", "sido", help="2-digit 시도 code of residence (derived from sigungu_code if absent)"
    ),
    FieldSpec("sigungu_code", "sigungu", help="5-digit 시군구 code of residence"),
    FieldSpec("groups", "groups", choices=m.GROUPS, help="one or more groups, separated by groups_separator"),
    FieldSpec("eligibility_basis", "text", max_length=64, help="e.g. family_of_disabled"),
    FieldSpec("consent_sensitive", "bool", help="separate consent to process disability data (Y/N)"),
    FieldSpec("disability_type", "choice", choices=m.DISABILITY_TYPES, help="stored only with consent"),
    FieldSpec("disability_severity", "choice", choices=m.SEVERITIES, help="stored only with consent"),
    FieldSpec("retain_until", "date", help="date after which `purge` deletes the learner"),
)

KIND_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "sites": (
        FieldSpec("site_code", "text", required=True, max_length=64),
        FieldSpec("name", "text", required=True),
        FieldSpec("kind", "text", max_length=64, help="복지관, 주민센터, 도서관, 경로당, 거점센터 …"),
        FieldSpec("sido_code", "sido"),
        FieldSpec("sigungu_code", "sigungu"),
        FieldSpec("capacity", "int", minimum=0, maximum=100000),
    ),
    "courses": (
        FieldSpec("run_code", "text", required=True, max_length=64, help="unique code of the course run"),
        FieldSpec("programme", "text", required=True, max_length=64),
        FieldSpec("course_name", "text", required=True),
        FieldSpec("course_type", "text", max_length=64),
        FieldSpec("mode", "choice", required=True, choices=m.MODES),
        FieldSpec("year", "int", minimum=1990, maximum=2100, help="default: year of start_date"),
        FieldSpec("start_date", "date", required=True),
        FieldSpec("end_date", "date", required=True),
        FieldSpec("planned_hours", "float", required=True, minimum=0.01, maximum=10000),
        FieldSpec("planned_sessions", "int", required=True, minimum=1, maximum=10000),
        FieldSpec("capacity", "int", minimum=0, maximum=100000),
        FieldSpec("site_code", "text", max_length=64),
        FieldSpec("sido_code", "sido"),
        FieldSpec("sigungu_code", "sigungu"),
        FieldSpec("employment_track", "bool"),
        FieldSpec("completion_rule", "text", max_length=64, help="rule code, default hours80"),
    ),
    "learners": (
        *_IDENTITY,
        *(
            FieldSpec(f.name, f.type, True, f.choices, f.minimum, f.maximum, f.max_length, f.help)
            if f.name in ("birth_year", "sex", "groups")
            else f
            for f in _LEARNER_ATTRS
        ),
    ),
    "enrolments": (
        *_IDENTITY,
        *_LEARNER_ATTRS,
        FieldSpec("run_code", "text", required=True, max_length=64),
        FieldSpec("enrolled_on", "date", required=True),
        FieldSpec("status", "choice", choices=m.ENROLMENT_STATUSES, help="default enrolled"),
        FieldSpec("completed_on", "date"),
    ),
    "sessions": (
        FieldSpec("run_code", "text", required=True, max_length=64),
        FieldSpec("session_no", "int", required=True, minimum=1, maximum=10000),
        FieldSpec("date", "date", required=True),
        FieldSpec("planned_minutes", "int", minimum=1, maximum=1440, help="default planned hours / sessions"),
    ),
    "attendance": (
        *_IDENTITY,
        FieldSpec("run_code", "text", required=True, max_length=64),
        FieldSpec("session_no", "int", required=True, minimum=1, maximum=10000),
        FieldSpec("session_date", "date", help="creates the session when it is not known yet"),
        FieldSpec("status", "choice", required=True, choices=m.ATTENDANCE_STATUSES),
        FieldSpec(
            "minutes", "int", minimum=0, maximum=1440, help="default: planned minutes for P/L, 0 for E/A"
        ),
    ),
    "assessments": (
        *_IDENTITY,
        FieldSpec("run_code", "text", required=True, max_length=64),
        FieldSpec("kind", "choice", required=True, choices=m.ASSESSMENT_KINDS),
        FieldSpec("score", "float", required=True, minimum=0, maximum=100000),
        FieldSpec("max_score", "float", required=True, minimum=0.01, maximum=100000),
        FieldSpec("taken_on", "date"),
    ),
    "outcomes": (
        _IDENTITY[0],  # outcomes refer to learners already known; "name" here is the certificate's
        FieldSpec("run_code", "text", required=True, max_length=64),
        FieldSpec("kind", "choice", required=True, choices=m.OUTCOME_KINDS),
        FieldSpec("name", "text", max_length=100, help="certificate or contest name; default '-'"),
        FieldSpec(
            "result",
            "choice",
            required=True,
            choices=tuple(sorted({r for rs in m.OUTCOME_RESULTS.values() for r in rs})),
        ),
        FieldSpec("date", "date", required=True),
    ),
    "targets": (
        FieldSpec("year", "int", required=True, minimum=1990, maximum=2100),
        FieldSpec("programme", "text", max_length=64, help="default all"),
        FieldSpec("group", "choice", choices=(*m.GROUPS, m.ALL), help="default all"),
        FieldSpec("region_code", "region", help="2-digit 시도, 5-digit 시군구 or all (default)"),
        FieldSpec("target_enrolled", "int", minimum=0, maximum=100_000_000),
        FieldSpec("target_completed", "int", minimum=0, maximum=100_000_000),
    ),
    "population": (
        FieldSpec("year", "int", required=True, minimum=1990, maximum=2100),
        FieldSpec("region_code", "region", help="2-digit 시도, 5-digit 시군구 or all (default)"),
        FieldSpec("group", "choice", required=True, choices=(*m.GROUPS, m.ALL)),
        FieldSpec("population", "int", required=True, minimum=0, maximum=100_000_000),
    ),
}

#: Fields that identify one record of a kind; a second row with the same key is an error.
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "sites": ("site_code",),
    "courses": ("run_code",),
    "learners": ("pseudonym",),
    "enrolments": ("pseudonym", "run_code"),
    "sessions": ("run_code", "session_no"),
    "attendance": ("pseudonym", "run_code", "session_no"),
    "assessments": ("pseudonym", "run_code", "kind"),
    "outcomes": ("pseudonym", "run_code", "kind", "name"),
    "targets": ("year", "programme", "group", "region_code"),
    "population": ("year", "region_code", "group"),
}
KINDS = tuple(KIND_FIELDS)

#: Korean labels accepted without any mapping (a mapping's ``values:`` comes first).
ALIASES: dict[str, dict[str, str]] = {
    "sex": {"남": "M", "남자": "M", "남성": "M", "여": "F", "여자": "F", "여성": "F", "m": "M", "f": "F"},
    "groups": {
        "장애인": "disabled",
        "고령층": "elderly",
        "장노년층": "elderly",
        "고령자": "elderly",
        "결혼이민자": "marriage_immigrant",
        "다문화": "marriage_immigrant",
        "저소득층": "low_income",
        "농어민": "farmers_fishers",
        "북한이탈주민": "nk_defector",
        "탈북민": "nk_defector",
        "일반": "general",
    },
    "mode": {"집합": "classroom", "방문": "home_visit", "온라인": "online", "찾아가는": "outreach"},
    "disability_type": {
        "지체": "physical",
        "뇌병변": "brain_lesion",
        "시각": "visual",
        "청각": "hearing",
        "언어": "speech",
        "지적": "intellectual",
        "자폐성": "autism",
        "정신": "mental",
        "신장": "kidney",
        "심장": "heart",
        "호흡기": "respiratory",
        "간": "liver",
        "안면": "facial",
        "장루·요루": "stoma",
        "장루요루": "stoma",
        "뇌전증": "epilepsy",
    },
    "disability_severity": {"심한": "severe", "심하지 않은": "mild", "심하지않은": "mild"},
    "status": {
        "수강": "enrolled",
        "수강중": "enrolled",
        "중도포기": "withdrawn",
        "수료": "completed",
        "이수": "completed",
        "미수료": "not_completed",
        "출석": "P",
        "지각": "L",
        "공결": "E",
        "결석": "A",
        "p": "P",
        "l": "L",
        "e": "E",
        "a": "A",
    },
    "kind": {
        "사전": "pre",
        "사후": "post",
        "만족도": "satisfaction",
        "자격증": "certificate",
        "취업": "employment",
        "경진대회": "contest",
    },
    "result": {
        "합격": "pass",
        "불합격": "fail",
        "취업": "employed",
        "미취업": "not_employed",
        "수상": "award",
    },
    "group": {},
}
ALIASES["group"] = {**ALIASES["groups"], "전체": "all"}

TRUE_VALUES = frozenset({"y", "yes", "true", "t", "1", "o", "예", "동의", "네"})
FALSE_VALUES = frozenset({"n", "no", "false", "f", "0", "x", "아니오", "미동의", "아니요"})

_MAPPING_KEYS = {
    "kind",
    "encoding",
    "delimiter",
    "sheet",
    "date_format",
    "groups_separator",
    "columns",
    "values",
    "defaults",
    "region_codes",
}


@dataclass
class ImportMapping:
    kind: str
    columns: dict[str, str] = field(default_factory=dict)  # field -> header in the file
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"
    delimiter: str = ","
    sheet: str | None = None
    date_format: str = "%Y-%m-%d"
    groups_separator: str = "|"
    region_codes: Path | None = None
    source: Path | None = None

    def spec(self, name: str) -> FieldSpec | None:
        return next((f for f in KIND_FIELDS[self.kind] if f.name == name), None)

    def present(self, name: str) -> bool:
        return name in self.columns or name in self.defaults


def _where(mapping_path: Path | None) -> str:
    return f"mapping {mapping_path}" if mapping_path else "import options"


def check_kind(kind: str | None, where: str) -> str:
    if kind not in KIND_FIELDS:
        raise TrainingError(
            f"{where}: kind {kind!r} is not one of {', '.join(KINDS)}",
            hint="Set 'kind:' in the mapping file or pass --kind.",
        )
    return kind


def validate_mapping(mapping: ImportMapping) -> ImportMapping:
    where = _where(mapping.source)
    check_kind(mapping.kind, where)
    names = {f.name for f in KIND_FIELDS[mapping.kind]}
    for section in ("columns", "values", "defaults"):
        for name in getattr(mapping, section):
            if name not in names:
                raise TrainingError(
                    f"{where}: '{section}.{name}' is not a field of kind {mapping.kind}",
                    hint=f"Fields of {mapping.kind}: {', '.join(sorted(names))}.",
                )
    person_fields = [f.name for f in KIND_FIELDS[mapping.kind] if f.type in ("name", "phone")]
    for name in person_fields:
        if name in mapping.defaults:
            raise TrainingError(f"{where}: '{name}' cannot have a default")
    if mapping.spec("learner_id"):
        has_id = mapping.present("learner_id")
        has_person = any(name in mapping.columns for name in person_fields)
        if has_id and has_person:
            raise TrainingError(
                f"{where}: map either learner_id or name/phone, not both",
                hint="learner_id is an existing pseudonym; name and phone are turned into one.",
            )
        if has_person and not all(name in mapping.columns for name in person_fields):
            raise TrainingError(
                f"{where}: map both name and phone (a name alone would merge namesakes)",
                hint="Both are turned into one keyed pseudonym and neither is stored.",
            )
        if not has_id and not has_person:
            needs = "learner_id, or name and phone," if person_fields else "learner_id"
            raise TrainingError(
                f"{where}: kind {mapping.kind} needs {needs} in 'columns'",
                hint="Map the column holding the pseudonymous id (e.g. 가명아이디) to learner_id.",
            )
    for spec in KIND_FIELDS[mapping.kind]:
        if spec.required and not mapping.present(spec.name):
            raise TrainingError(
                f"{where}: required field '{spec.name}' of kind {mapping.kind} is not mapped",
                hint=f"Add '{spec.name}: <column header>' under 'columns:' (or a value under 'defaults:').",
            )
    if mapping.kind == "targets" and not (
        mapping.present("target_enrolled") or mapping.present("target_completed")
    ):
        raise TrainingError(f"{where}: targets need target_enrolled or target_completed")
    try:
        "".encode(mapping.encoding)
    except LookupError as exc:
        raise TrainingError(
            f"{where}: unknown encoding {mapping.encoding!r}", hint="Use utf-8 or cp949."
        ) from exc
    if len(mapping.delimiter) != 1:
        raise TrainingError(f"{where}: delimiter must be one character, got {mapping.delimiter!r}")
    return mapping


def load_mapping(path: Path) -> ImportMapping:
    import yaml

    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise TrainingError(f"cannot read mapping {path}: {exc.strerror}") from exc
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise TrainingError(f"mapping {path} is not valid UTF-8 YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise TrainingError(f"mapping {path} must be a YAML mapping with 'kind' and 'columns'")
    unknown = set(raw) - _MAPPING_KEYS
    if unknown:
        raise TrainingError(
            f"mapping {path}: unknown key(s) {', '.join(sorted(map(str, unknown)))}",
            hint=f"Allowed keys: {', '.join(sorted(_MAPPING_KEYS))}.",
        )

    def str_dict(value, section: str) -> dict[str, str]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise TrainingError(f"mapping {path}: '{section}' must be a mapping")
        return {str(k): "" if v is None else str(v) for k, v in value.items()}

    values = raw.get("values") or {}
    if not isinstance(values, dict):
        raise TrainingError(f"mapping {path}: 'values' must map fields to {{file value: ddkit value}}")
    region_codes = raw.get("region_codes")
    mapping = ImportMapping(
        kind=str(raw.get("kind")),
        columns=str_dict(raw.get("columns"), "columns"),
        values={str(k): str_dict(v, f"values.{k}") for k, v in values.items()},
        defaults=str_dict(raw.get("defaults"), "defaults"),
        encoding=str(raw.get("encoding") or "utf-8"),
        delimiter=str(raw.get("delimiter") or ","),
        sheet=None if raw.get("sheet") is None else str(raw.get("sheet")),
        date_format=str(raw.get("date_format") or "%Y-%m-%d"),
        groups_separator=str(raw.get("groups_separator") or "|"),
        region_codes=(Path(path).parent / str(region_codes)) if region_codes else None,
        source=Path(path),
    )
    return validate_mapping(mapping)


def identity_mapping(kind: str, headers: list[str], **options) -> ImportMapping:
    """No mapping file: columns named exactly like the fields."""
    check_kind(kind, "import options")
    names = {f.name for f in KIND_FIELDS[kind]}
    mapping = ImportMapping(kind=kind, columns={h: h for h in headers if h in names}, **options)
    return validate_mapping(mapping)
