"""The report strings in Korean and English: ``ko.yaml`` and ``en.yaml`` hold the same keys.

Strings are nested YAML mappings flattened to dotted keys (``audit.title``). A string may hold
``{name}`` placeholders filled by :meth:`Translator.__call__`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from reports.errors import ReportUsageError

#: The report languages; the first is the default.
LANGUAGES: tuple[str, ...] = ("ko", "en")


def _flatten(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for key, value in data.items():
        dotted = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, dotted + "."))
        else:
            flat[dotted] = str(value)
    return flat


@cache
def load_strings(lang: str) -> dict[str, str]:
    """All strings of one language as ``{dotted.key: text}``."""
    if lang not in LANGUAGES:
        raise ReportUsageError(
            f"Unknown report language {lang!r}.", hint=f"Use one of: {', '.join(LANGUAGES)}."
        )
    text = resources.files("reports.i18n").joinpath(f"{lang}.yaml").read_text(encoding="utf-8")
    return _flatten(yaml.safe_load(text) or {})


@dataclass(frozen=True)
class Translator:
    """``t("audit.title")`` or ``t("chart.bar_desc", n=3)`` in the report's language."""

    lang: str

    def __call__(self, key: str, /, **values: Any) -> str:
        try:
            text = load_strings(self.lang)[key]
        except KeyError:
            # A missing key is a bug in ddkit, not a user error: fail loudly in tests.
            raise KeyError(f"report string {key!r} is missing from {self.lang}.yaml") from None
        return text.format(**values) if values else text

    def has(self, key: str) -> bool:
        return key in load_strings(self.lang)


def translator(lang: str) -> Translator:
    load_strings(lang)  # validates the language
    return Translator(lang)
