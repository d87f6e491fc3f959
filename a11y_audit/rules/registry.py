"""Load and validate the KWCAG 2.2 registry; look items up by any of their numberings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from pathlib import Path

import yaml

from a11y_audit.errors import AuditError

_ITEM_ID = re.compile(r"^[1-4]\.\d\.\d$")
_STD_ID = re.compile(r"^[5-8]\.\d\.\d$")
AUTOMATION = {"auto", "partial", "manual"}
UNITS = {"content", "page"}
IMPACTS = {"minor", "moderate", "serious", "critical"}


@dataclass(frozen=True)
class KwcagItem:
    id: str
    std_id: str
    kwcag21_id: str | None
    kwcag20_id: str | None
    principle: str
    guideline: str
    name_ko: str
    name_en: str
    wcag: tuple[str, ...]
    automation: str
    unit: str
    axe_rules: tuple[str, ...]
    kwcag_checks: tuple[str, ...]
    review_notes: str = ""
    #: Why ``wcag`` is empty (KWCAG-specific items with no WCAG success criterion).
    wcag_note: str = ""

    @property
    def help_url(self) -> str:
        """NIA's technique page for the item (웹 접근성을 고려한 콘텐츠 제작기법 2.2)."""
        return "https://nia-a11y.github.io/kwcag22tech/" + self.id.replace(".", "/")


@dataclass(frozen=True)
class KwcagCheck:
    id: str
    item: str | None  # None: a check of a WCAG success criterion that has no KWCAG 2.2 item
    wcag: tuple[str, ...]
    decisive: bool
    impact: str = "moderate"  # axe's scale: minor / moderate / serious / critical
    #: For a check with no KWCAG item: why, and the W3C page its findings link to.
    why: str = ""
    help_url: str = ""


@dataclass(frozen=True)
class Registry:
    version: str
    standard: str
    items: tuple[KwcagItem, ...]
    checks: tuple[KwcagCheck, ...]
    advisory_rules: frozenset[str]
    best_practice_only: dict[str, str]
    #: axe rules that axe leaves off by default (deprecated / experimental / disabled) and KWCAG needs.
    axe_enable: tuple[str, ...] = ()
    #: ddkit's checks of WCAG success criteria with no KWCAG 2.2 item: reported, never scored.
    wcag_only_checks: tuple[KwcagCheck, ...] = ()
    _by_id: dict[str, KwcagItem] = field(repr=False, default_factory=dict)
    _by_rule: dict[str, KwcagItem] = field(repr=False, default_factory=dict)

    def item(self, item_id: str) -> KwcagItem:
        """An item by its KWCAG 2.2 id (``1.1.1``) or the standard's clause number (``5.1.1``)."""
        key = normalise_item_id(item_id)
        try:
            return self._by_id[key]
        except KeyError:
            raise AuditError(
                f"Unknown KWCAG 2.2 item {item_id!r}.",
                hint="Items run from 1.1.1 to 4.2.1 (or 5.1.1 to 8.2.1 in the standard's numbering).",
            ) from None

    def item_for_rule(self, rule_id: str) -> KwcagItem | None:
        """The KWCAG item an axe rule or a ddkit check feeds, or None for best-practice-only rules."""
        return self._by_rule.get(rule_id)

    def is_advisory(self, rule_id: str) -> bool:
        return rule_id in self.advisory_rules

    def is_decisive(self, rule_id: str) -> bool:
        """Whether a violation of this rule fails its item (otherwise it only asks for review)."""
        if rule_id in self.advisory_rules or rule_id not in self._by_rule:
            return False
        for c in self.checks:
            if c.id == rule_id:
                return c.decisive
        return True

    def check(self, check_id: str) -> KwcagCheck:
        for c in (*self.checks, *self.wcag_only_checks):
            if c.id == check_id:
                return c
        raise KeyError(check_id)

    @cached_property
    def content_rules(self) -> tuple[str, ...]:
        """axe rules of the content-based items (scored element by element: every pass is kept)."""
        return tuple(sorted({r for it in self.items if it.unit == "content" for r in it.axe_rules}))

    @property
    def axe_rules(self) -> frozenset[str]:
        return frozenset(r for it in self.items for r in it.axe_rules)

    def from_legacy(self, legacy_id: str, version: str = "2.1") -> KwcagItem:
        """The KWCAG 2.2 item an older report's item number refers to (``version`` "2.1" or "2.0").

        Older reports also use either numbering (``3.3.2`` or the standard's ``7.3.2``).
        """
        if version not in ("2.1", "2.0"):
            raise AuditError(f"Unknown KWCAG version {version!r}.", hint="Use 2.1 or 2.0.")
        key = normalise_item_id(legacy_id)
        for it in self.items:
            if (it.kwcag21_id if version == "2.1" else it.kwcag20_id) == key:
                return it
        raise AuditError(
            f"KWCAG {version} has no item {legacy_id!r}, or it has no KWCAG 2.2 counterpart.",
            hint="See docs/explanation/kwcag-mapping.md for the numbering of each version.",
        )

    def legacy_id(self, item_id: str, version: str = "2.1") -> str | None:
        it = self.item(item_id)
        return it.kwcag21_id if version == "2.1" else it.kwcag20_id


def normalise_item_id(item_id: str) -> str:
    """``5.1.1`` (the standard's clause numbering) → ``1.1.1``; ``1.1.1`` stays."""
    text = item_id.strip()
    if _STD_ID.match(text):
        head, rest = text.split(".", 1)
        return f"{int(head) - 4}.{rest}"
    return text


def _fail(where: str, message: str) -> AuditError:
    return AuditError(
        f"KWCAG registry {where}: {message}", hint="Fix the registry file; it is validated at load."
    )


def parse_registry(data: dict, source: str = "kwcag22.yaml") -> Registry:
    items: list[KwcagItem] = []
    for n, raw in enumerate(data.get("items") or [], start=1):
        where = f"{source} item #{n} ({raw.get('id', '?')})"
        if not _ITEM_ID.match(str(raw.get("id", ""))):
            raise _fail(where, "id must look like 1.1.1")
        if normalise_item_id(str(raw.get("std_id", ""))) != raw["id"]:
            raise _fail(where, f"std_id {raw.get('std_id')!r} does not match the id")
        if raw.get("automation") not in AUTOMATION:
            raise _fail(where, f"automation must be one of {sorted(AUTOMATION)}")
        if raw.get("unit") not in UNITS:
            raise _fail(where, f"unit must be one of {sorted(UNITS)}")
        for key in ("name_ko", "name_en", "principle", "guideline"):
            if not raw.get(key):
                raise _fail(where, f"{key} is empty")
        if not raw.get("wcag") and not raw.get("wcag_note"):
            raise _fail(where, "wcag is empty: list the WCAG success criteria or say why in wcag_note")
        items.append(
            KwcagItem(
                id=raw["id"],
                std_id=raw["std_id"],
                kwcag21_id=raw.get("kwcag21_id"),
                kwcag20_id=raw.get("kwcag20_id"),
                principle=raw["principle"],
                guideline=raw["guideline"],
                name_ko=raw["name_ko"],
                name_en=raw["name_en"],
                wcag=tuple(raw.get("wcag") or ()),
                automation=raw["automation"],
                unit=raw["unit"],
                axe_rules=tuple(raw.get("axe_rules") or ()),
                kwcag_checks=tuple(raw.get("kwcag_checks") or ()),
                review_notes=raw.get("review_notes") or "",
                wcag_note=raw.get("wcag_note") or "",
            )
        )
    if len(items) != 33 or len({i.id for i in items}) != 33:
        raise _fail(source, f"expected 33 distinct items, found {len(items)}")
    by_id = {i.id: i for i in items}
    by_rule: dict[str, KwcagItem] = {}
    for it in items:
        for rule in (*it.axe_rules, *it.kwcag_checks):
            if rule in by_rule:
                raise _fail(
                    source, f"rule {rule!r} feeds both {by_rule[rule].id} and {it.id}; give it one item"
                )
            by_rule[rule] = it
    checks = tuple(
        KwcagCheck(
            id=c["id"],
            item=c["item"],
            wcag=tuple(c.get("wcag") or ()),
            decisive=bool(c.get("decisive", True)),
            impact=str(c.get("impact", "moderate")),
        )
        for c in data.get("kwcag_checks") or []
    )
    for c in checks:
        if c.item not in by_id or c.id not in by_id[c.item].kwcag_checks:
            raise _fail(source, f"check {c.id!r} is not listed under item {c.item}")
    for c in checks:
        if c.impact not in IMPACTS:
            raise _fail(source, f"check {c.id!r}: impact must be one of {sorted(IMPACTS)}")
    declared = {c.id for c in checks}
    if len(declared) != len(checks):
        raise _fail(source, "a check id is declared twice under kwcag_checks")
    for it in items:
        missing = set(it.kwcag_checks) - declared
        if missing:
            raise _fail(source, f"item {it.id} lists checks with no kwcag_checks entry: {sorted(missing)}")
    bp = {e["rule"]: e["why"] for e in data.get("best_practice_only") or []}
    overlap = set(bp) & set(by_rule)
    if overlap:
        raise _fail(source, f"rules both mapped and best-practice-only: {sorted(overlap)}")
    advisory = frozenset(data.get("advisory_rules") or ())
    unknown = advisory - set(by_rule)
    if unknown:
        raise _fail(source, f"advisory rules that feed no item: {sorted(unknown)}")
    wcag_only = tuple(
        KwcagCheck(
            id=c["id"],
            item=None,
            wcag=tuple(c.get("wcag") or ()),
            decisive=False,
            impact=str(c.get("impact", "moderate")),
            why=str(c.get("why") or ""),
            help_url=str(c.get("help_url") or ""),
        )
        for c in data.get("wcag_only_checks") or []
    )
    for c in wcag_only:
        if c.id in by_rule or c.id in declared or c.id in bp:
            raise _fail(source, f"wcag-only check {c.id!r} is also mapped to an item or listed elsewhere")
        if not c.wcag or not c.why:
            raise _fail(source, f"wcag-only check {c.id!r} needs its wcag criteria and why it has no item")
        if c.impact not in IMPACTS:
            raise _fail(source, f"check {c.id!r}: impact must be one of {sorted(IMPACTS)}")
    enable = tuple(data.get("axe_enable") or ())
    unmapped = set(enable) - set(by_rule) - set(bp)
    if unmapped:
        raise _fail(source, f"axe_enable rules that feed no item: {sorted(unmapped)}")
    return Registry(
        version=str(data.get("version")),
        standard=str(data.get("standard")),
        items=tuple(items),
        checks=checks,
        advisory_rules=advisory,
        best_practice_only=bp,
        axe_enable=enable,
        wcag_only_checks=wcag_only,
        _by_id=by_id,
        _by_rule=by_rule,
    )


@cache
def load_registry(path: str | None = None) -> Registry:
    """The bundled registry (or another file with the same shape)."""
    if path:
        text, source = Path(path).read_text(encoding="utf-8"), path
    else:
        text = resources.files("a11y_audit.rules").joinpath("kwcag22.yaml").read_text(encoding="utf-8")
        source = "kwcag22.yaml"
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _fail(source, f"not valid YAML: {exc}") from exc
    return parse_registry(data, source)
