"""Compute the certification-style estimate from per-page evidence.

Method (docs/explanation/scoring.md): for each KWCAG item, a compliance rate (준수율) over the
sampled pages — content-based items count contents, the others count pages. Needs-review outcomes
give two readings: counted as failures (lower bound) and as passes (upper bound). The estimate is the
mean of the item rates; both readings of the 95-point rule are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from a11y_audit.errors import AuditError
from a11y_audit.models import PageResult
from a11y_audit.rules import load_registry

#: Unit outcomes, worst first.
FAIL, REVIEW, PASS = "fail", "review", "pass"
VERDICTS = {"pass", "fail", "n/a"}


@dataclass(frozen=True)
class RuleSet:
    id: str
    title_en: str
    title_ko: str
    content_items: frozenset[str]
    pass_threshold: float
    weights: dict[str, float]
    notes_en: str
    notes_ko: str


@cache
def load_ruleset(path: str | None = None) -> RuleSet:
    """The bundled rule set, or another YAML file of the same shape."""
    if path:
        text, source = Path(path).read_text(encoding="utf-8"), path
    else:
        text = (
            resources.files("a11y_audit.scoring")
            .joinpath("cert-estimate-2024.yaml")
            .read_text(encoding="utf-8")
        )
        source = "cert-estimate-2024.yaml"
    data = yaml.safe_load(text) or {}
    registry = load_registry()
    ids = {it.id for it in registry.items}
    for key in ("id", "content_items", "pass_threshold"):
        if key not in data:
            raise AuditError(
                f"Scoring rule set {source}: missing field {key!r}.", hint="See docs/explanation/scoring.md."
            )
    unknown = (set(data["content_items"]) | set(data.get("weights") or {})) - ids
    if unknown:
        raise AuditError(
            f"Scoring rule set {source}: unknown KWCAG items {sorted(unknown)}.",
            hint="Use KWCAG 2.2 ids such as 1.1.1.",
        )
    return RuleSet(
        id=str(data["id"]),
        title_en=data.get("title_en", ""),
        title_ko=data.get("title_ko", ""),
        content_items=frozenset(data["content_items"]),
        pass_threshold=float(data["pass_threshold"]),
        weights={str(k): float(v) for k, v in (data.get("weights") or {}).items()},
        notes_en=data.get("notes_en", ""),
        notes_ko=data.get("notes_ko", ""),
    )


@dataclass
class PageEvidence:
    """What scoring needs of one sampled page."""

    page: str  # URL or page id
    item_status: dict[str, str]  # item -> fail / review / manual / pass / inapplicable
    contents: dict[str, dict[str, str]] = field(
        default_factory=dict
    )  # item -> {content key: fail/review/pass}
    verdicts: dict[str, str] = field(default_factory=dict)  # item -> reviewer verdict pass / fail / n/a


#: Rules that test a part of a content, not the content itself: axe checks a table's header cells one
#: by one, but the contents of 1.3.1 are tables (kwcag.md §3.4). A part adds no content of its own;
#: a part that fails or needs review is charged to every content of the item on its page (which
#: table a cell belongs to is not recorded), or forms one content when the page has none.
PART_RULES: dict[str, frozenset[str]] = {"1.3.1": frozenset({"empty-table-header", "scope-attr-valid"})}


def evidence_from_page(result: PageResult) -> PageEvidence:
    """Per-page evidence from an engine result: page statuses, and one content per element for content items."""
    registry = load_registry()
    contents: dict[str, dict[str, str]] = {}
    parts: dict[str, str] = {}  # item -> worst outcome of its part findings
    for f in result.findings:
        if f.selector is None or f.outcome == "inapplicable":
            continue
        for item in f.kwcag:
            if f.outcome == "violation":
                state = REVIEW if registry.is_advisory(f.rule_id) or _non_decisive(f.rule_id) else FAIL
            elif f.outcome == "incomplete":
                state = REVIEW
            else:
                state = PASS
            if f.rule_id in PART_RULES.get(item, ()):
                parts[item] = _worst(parts.get(item, PASS), state)
                continue
            units = contents.setdefault(item, {})
            units[f.selector] = _worst(units.get(f.selector, PASS), state)
    for item, state in parts.items():
        if state == PASS:
            continue
        units = contents.setdefault(item, {})
        if not units:
            units["(parts)"] = state
        for key, value in units.items():
            units[key] = _worst(value, state)
    return PageEvidence(
        page=result.final_url or result.url, item_status=dict(result.item_status), contents=contents
    )


def _non_decisive(rule_id: str) -> bool:
    registry = load_registry()
    try:
        return not registry.check(rule_id).decisive
    except KeyError:
        return False


def _worst(a: str, b: str) -> str:
    order = {FAIL: 0, REVIEW: 1, PASS: 2}
    return a if order[a] <= order[b] else b


@dataclass
class ItemScore:
    item: str
    name_ko: str
    name_en: str
    unit: str  # content / page
    automation: str
    state: str  # scored / not_applicable / not_assessed
    lower: float | None  # needs-review counted as failures
    upper: float | None  # needs-review counted as passes
    units: int  # denominator (pages, or max(pages, contents))
    compliant_lower: int
    compliant_upper: int
    failing_pages: list[str]
    review_pages: list[str]
    reviewed: bool  # a reviewer verdict decided at least one page
    kwcag21_id: str | None


@dataclass
class Estimate:
    ruleset: str
    ruleset_title_en: str
    ruleset_title_ko: str
    pages: int
    threshold: float
    items: list[ItemScore]
    mean_lower: float | None
    mean_upper: float | None
    min_lower: float | None
    min_upper: float | None
    below_threshold: list[str]  # items whose lower bound is below the threshold
    verdict_mean: str  # pass / fail / undecided (mean >= threshold)
    verdict_every_item: str  # pass / fail / undecided (every item >= threshold)
    not_applicable: list[str]
    not_assessed: list[str]
    disclaimer_en: str
    disclaimer_ko: str

    def item(self, item_id: str) -> ItemScore:
        return next(s for s in self.items if s.item == item_id)


def _verdict(lower: float | None, upper: float | None, threshold: float) -> str:
    if lower is None or upper is None:
        return "undecided"
    if lower >= threshold:
        return "pass"
    if upper < threshold:
        return "fail"
    return "undecided"


def _page_outcome(ev: PageEvidence, item_id: str, manual_item: bool) -> str | None:
    """fail / review / pass / None (not applicable on this page) / "manual" (nothing decided)."""
    verdict = ev.verdicts.get(item_id)
    if verdict is not None:
        return {"pass": PASS, "fail": FAIL, "n/a": None}[verdict]
    status = ev.item_status.get(item_id, "manual")
    if status == "inapplicable":
        return None
    if status == "manual" or manual_item:
        return "manual"
    return {"fail": FAIL, "review": REVIEW, "pass": PASS}[status]


def _content_units(ev: PageEvidence, item_id: str) -> dict[str, str] | None:
    """The page's content outcomes for a content item, with a reviewer verdict applied."""
    units = dict(ev.contents.get(item_id, {}))
    verdict = ev.verdicts.get(item_id)
    if verdict == "n/a":
        return {}
    if verdict == "pass":
        return dict.fromkeys(units, PASS)
    if verdict == "fail":
        units = {k: (PASS if v == PASS else FAIL) for k, v in units.items()}
        if not units or all(v == PASS for v in units.values()):
            units["(reviewer)"] = FAIL  # the reviewer found a failure the machine did not list
        return units
    return units


def estimate(pages: list[PageEvidence], ruleset: RuleSet | None = None) -> Estimate:
    """Per-item rates and the overall estimate for the sampled pages."""
    ruleset = ruleset or load_ruleset()
    registry = load_registry()
    n_pages = len(pages)
    if n_pages == 0:
        raise AuditError(
            "Nothing to score: the run has no audited pages.", hint="Audit pages first (ddkit audit site)."
        )
    scores: list[ItemScore] = []
    for it in registry.items:
        manual_item = it.automation == "manual"
        reviewed = any(it.id in ev.verdicts for ev in pages)
        outcomes = {ev.page: _page_outcome(ev, it.id, manual_item) for ev in pages}
        failing = [p for p, o in outcomes.items() if o == FAIL]
        review = [p for p, o in outcomes.items() if o == REVIEW]
        decided = [o for o in outcomes.values() if o in (FAIL, REVIEW, PASS)]
        undecided = [p for p, o in outcomes.items() if o == "manual"]
        base = dict(
            item=it.id,
            name_ko=it.name_ko,
            name_en=it.name_en,
            automation=it.automation,
            failing_pages=failing,
            review_pages=review,
            reviewed=reviewed,
            kwcag21_id=it.kwcag21_id,
        )
        if not decided and not undecided:
            scores.append(
                ItemScore(
                    **base,
                    unit=_unit(it.id, ruleset),
                    state="not_applicable",
                    lower=None,
                    upper=None,
                    units=0,
                    compliant_lower=0,
                    compliant_upper=0,
                )
            )
            continue
        if not decided:
            scores.append(
                ItemScore(
                    **base,
                    unit=_unit(it.id, ruleset),
                    state="not_assessed",
                    lower=None,
                    upper=None,
                    units=0,
                    compliant_lower=0,
                    compliant_upper=0,
                )
            )
            continue
        if it.id in ruleset.content_items:
            units: list[str] = []
            for ev in pages:
                page_units = _content_units(ev, it.id)
                if outcomes[ev.page] == "manual" and not ev.contents.get(it.id):
                    page_units = {"(undecided)": REVIEW}
                units.extend(page_units.values())
            n_contents = len(units)
            if n_contents == 0:
                scores.append(
                    ItemScore(
                        **base,
                        unit="content",
                        state="not_applicable",
                        lower=None,
                        upper=None,
                        units=0,
                        compliant_lower=0,
                        compliant_upper=0,
                    )
                )
                continue
            denominator = max(n_pages, n_contents)
            surplus = denominator - n_contents  # pages without such content count as compliant units
            lower_ok = sum(u == PASS for u in units) + surplus
            upper_ok = sum(u != FAIL for u in units) + surplus
            scores.append(
                ItemScore(
                    **base,
                    unit="content",
                    state="scored",
                    lower=100 * lower_ok / denominator,
                    upper=100 * upper_ok / denominator,
                    units=denominator,
                    compliant_lower=lower_ok,
                    compliant_upper=upper_ok,
                )
            )
        else:
            # A page where the item does not apply has nothing to violate: it counts as compliant.
            lower_ok = sum(o in (PASS, None) for o in outcomes.values())
            upper_ok = sum(o not in (FAIL,) for o in outcomes.values())
            scores.append(
                ItemScore(
                    **base,
                    unit="page",
                    state="scored",
                    lower=100 * lower_ok / n_pages,
                    upper=100 * upper_ok / n_pages,
                    units=n_pages,
                    compliant_lower=lower_ok,
                    compliant_upper=upper_ok,
                )
            )
    scored = [s for s in scores if s.state == "scored"]
    threshold = ruleset.pass_threshold

    def mean(attr: str) -> float | None:
        if not scored:
            return None
        weights = [ruleset.weights.get(s.item, 1.0) for s in scored]
        return sum(w * getattr(s, attr) for w, s in zip(weights, scored, strict=True)) / sum(weights)

    mean_lower, mean_upper = mean("lower"), mean("upper")
    min_lower = min((s.lower for s in scored), default=None)
    min_upper = min((s.upper for s in scored), default=None)
    return Estimate(
        ruleset=ruleset.id,
        ruleset_title_en=ruleset.title_en,
        ruleset_title_ko=ruleset.title_ko,
        pages=n_pages,
        threshold=threshold,
        items=scores,
        mean_lower=mean_lower,
        mean_upper=mean_upper,
        min_lower=min_lower,
        min_upper=min_upper,
        below_threshold=[s.item for s in scored if s.lower < threshold],
        verdict_mean=_verdict(mean_lower, mean_upper, threshold),
        verdict_every_item=_verdict(min_lower, min_upper, threshold),
        not_applicable=[s.item for s in scores if s.state == "not_applicable"],
        not_assessed=[s.item for s in scores if s.state == "not_assessed"],
        disclaimer_en=(
            "An automated estimate, not a certification: expert and user reviews decide. " + ruleset.notes_en
        ),
        disclaimer_ko=("자동 추정치이며 인증 결과가 아닙니다. " + ruleset.notes_ko),
    )


def _unit(item_id: str, ruleset: RuleSet) -> str:
    return "content" if item_id in ruleset.content_items else "page"
