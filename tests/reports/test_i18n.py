"""Korean and English report strings: the same keys and placeholders, and every key used exists."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from reports.errors import ReportUsageError
from reports.i18n import LANGUAGES, load_strings, translator

ROOT = Path(__file__).resolve().parents[2] / "reports"


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_both_languages_have_the_same_keys():
    ko, en = load_strings("ko"), load_strings("en")
    assert set(ko) - set(en) == set()
    assert set(en) - set(ko) == set()
    assert len(ko) > 150


def test_placeholders_match_between_languages():
    ko, en = load_strings("ko"), load_strings("en")
    mismatched = {k: (_fields(ko[k]), _fields(en[k])) for k in ko if _fields(ko[k]) != _fields(en[k])}
    assert mismatched == {}


def test_every_literal_key_used_in_templates_and_code_exists():
    used: set[str] = set()
    for path in [*ROOT.glob("templates/*.j2"), *ROOT.glob("*.py")]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z0-9_.]+)["']""", path.read_text(encoding="utf-8")))
    dynamic = {k for k in used if k.endswith((".", "_"))}  # t("status." ~ value): checked below
    used -= dynamic
    assert len(used) > 100
    for lang in LANGUAGES:
        missing = sorted(k for k in used if k not in load_strings(lang))
        assert missing == [], f"{lang}.yaml lacks {missing}"


def test_keys_built_from_values_exist():
    from a11y_audit.models import IMPACT_ORDER
    from a11y_audit.rules.registry import AUTOMATION
    from reports.audit import STATUSES
    from reports.index import KINDS

    wanted = [f"status.{s}" for s in STATUSES] + [f"impact.{i}" for i in IMPACT_ORDER]
    wanted += [f"automation.{a}" for a in AUTOMATION] + [f"kind.{k}" for k in (*KINDS, "index")]
    wanted += [f"lang.{lang}" for lang in LANGUAGES]
    wanted += [f"audit.reading_{r}" for r in ("mean", "every_item")]
    wanted += [f"audit.change_{c}" for c in ("mean_lower", "mean_upper", "min_lower", "min_upper")]
    wanted += [f"audit.changes_{c}" for c in ("new", "fixed", "new_caption", "fixed_caption")]
    for lang in LANGUAGES:
        assert [k for k in wanted if k not in load_strings(lang)] == []


def test_translator_fills_placeholders_and_rejects_unknown_languages():
    assert (
        translator("ko")("audit.title", site="https://a.go.kr/") == "웹 접근성 진단 보고서: https://a.go.kr/"
    )
    assert translator("en")("layout.skip_to_main") == "Skip to main content"
    assert translator("ko")("layout.skip_to_main") == "본문 바로가기"
    with pytest.raises(ReportUsageError) as info:
        translator("ja")
    assert info.value.exit_code == 2
    with pytest.raises(KeyError):
        translator("ko")("no.such.key")
