"""The training tracker's vocabularies (groups, modes, statuses …) and the group bit set.

Kept apart from the SQLAlchemy models so that importing files and validating them does not load
the ORM; ``models`` re-exports every name.
"""

from __future__ import annotations

#: Vocabularies shared by the models, the importers and the CLI.
GROUPS = (
    "disabled",  # 장애인 (and, with eligibility_basis, their co-resident family)
    "elderly",  # 고령층 / 장노년층
    "marriage_immigrant",  # 결혼이민자
    "low_income",  # 저소득층
    "farmers_fishers",  # 농어민
    "nk_defector",  # 북한이탈주민
    "general",  # 일반
)
MODES = ("classroom", "home_visit", "online", "outreach")
SEXES = ("M", "F")
SEVERITIES = ("severe", "mild")  # 장애의 정도가 심한 / 심하지 않은 (since July 2019)
DISABILITY_TYPES = (
    "physical",  # 지체
    "brain_lesion",  # 뇌병변
    "visual",  # 시각
    "hearing",  # 청각
    "speech",  # 언어
    "intellectual",  # 지적
    "autism",  # 자폐성
    "mental",  # 정신
    "kidney",  # 신장
    "heart",  # 심장
    "respiratory",  # 호흡기
    "liver",  # 간
    "facial",  # 안면
    "stoma",  # 장루·요루
    "epilepsy",  # 뇌전증
)
ENROLMENT_STATUSES = ("enrolled", "withdrawn", "completed", "not_completed")
ATTENDANCE_STATUSES = ("P", "L", "E", "A")  # present, late, excused, absent
ASSESSMENT_KINDS = ("pre", "post", "satisfaction")
OUTCOME_KINDS = ("certificate", "employment", "contest")
OUTCOME_RESULTS = {
    "certificate": ("pass", "fail"),
    "employment": ("employed", "not_employed"),
    "contest": ("participant", "finalist", "award"),
}
RULE_BASES = ("hours", "sessions")
BREAK_KINDS = ("launch", "budget_cut", "definition_change", "other")
#: Targets and population rows use this for "every programme / group / region".
ALL = "all"


def group_bit(code: str) -> int:
    """The bit of one group in ``Learner.groups``."""
    return 1 << GROUPS.index(code)


def group_mask(codes) -> int:
    mask = 0
    for code in codes:
        mask |= group_bit(code)
    return mask


def group_codes(mask: int) -> list[str]:
    return [code for i, code in enumerate(GROUPS) if mask & (1 << i)]
