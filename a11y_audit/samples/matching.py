"""Compare audit findings with the barriers planted in the sample site.

``match_barriers`` says, for every machine-detectable barrier, whether an audit reported it on the right
KWCAG item and on the right element; ``unplanned_findings`` lists the violations that match no planted
barrier (on a fixed twin, every violation is unplanned). Elements are compared on the raw HTML of the
page, parsed with html5lib, through the small CSS subset that axe-core's selectors and the barrier file
use: type, ``#id``, ``.class``, ``[attr]``, ``[attr=v]``, ``^=``, ``$=``, ``*=``, ``:nth-child(n)``,
``:nth-of-type(n)``, ``:first-child``, ``:last-child``, the descendant and ``>`` combinators and ``,``.
A finding covers a barrier when one of its elements is the barrier's element (or one of its ``also``
elements), an ancestor or a descendant. A violation counts as one only when its rule is decisive for
the item in the KWCAG registry, as in the page summary; otherwise it asks for review.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import html5lib

from a11y_audit.rules import load_registry
from a11y_audit.samples import Barrier, govsite_root, load_barriers

#: Barrier elements that stand for the whole page: a page-level finding (no selector) covers them.
PAGE_LEVEL = {"html", "head", "body", "title"}
FRAME_SEPARATOR = " >>> "


class FindingLike(Protocol):
    rule_id: str
    outcome: str
    kwcag: list[str]
    selector: str | None


class SelectorError(ValueError):
    """A selector outside the supported subset."""


# --------------------------------------------------------------------------------------------- selectors

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<comb>>)
    | (?P<comma>,)
    | (?P<type>[a-zA-Z][\w-]*|\*)
    | \#(?P<id>(?:\\.|[\w-])+)
    | \.(?P<cls>(?:\\.|[\w-])+)
    | \[\s*(?P<attr>[\w:-]+)\s*(?:(?P<op>[\^$*]?=)\s*(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[\w-]+))\s*)?\]
    | :(?P<pseudo>nth-child|nth-of-type|first-child|last-child|first-of-type)(?:\(\s*(?P<n>\d+)\s*\))?
    )""",
    re.VERBOSE,
)


@dataclass
class _Compound:
    tag: str | None = None
    tests: list[tuple[str, ...]] = field(default_factory=list)


def _unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def parse_selector(selector: str) -> list[list[tuple[str, _Compound]]]:
    """A selector list as [[(combinator, compound), …], …]; raises :class:`SelectorError`."""
    groups: list[list[tuple[str, _Compound]]] = [[]]
    pos, comb, current = 0, " ", None
    text = selector.strip()
    while pos < len(text):
        if text[pos].isspace():
            if current is not None:
                groups[-1].append((comb, current))
                current, comb = None, " "
            pos += 1
            continue
        m = _TOKEN.match(text, pos)
        if not m or m.end() == pos:
            raise SelectorError(f"unsupported selector {selector!r} at {text[pos : pos + 20]!r}")
        pos = m.end()
        if m.group("comb") or m.group("comma"):
            if current is not None:
                groups[-1].append((comb, current))
                current = None
            if m.group("comma"):
                groups.append([])
                comb = " "
            else:
                comb = ">"
            continue
        if current is None:
            current = _Compound()
        if m.group("type"):
            current.tag = None if m.group("type") == "*" else m.group("type").lower()
        elif m.group("id"):
            current.tests.append(("id", _unescape(m.group("id"))))
        elif m.group("cls"):
            current.tests.append(("class", _unescape(m.group("cls"))))
        elif m.group("attr"):
            value = next((v for v in (m.group("dq"), m.group("sq"), m.group("bare")) if v is not None), None)
            current.tests.append(("attr", m.group("attr").lower(), m.group("op") or "", value or ""))
        else:
            current.tests.append(("pseudo", m.group("pseudo"), m.group("n") or "1"))
    if current is not None:
        groups[-1].append((comb, current))
    if any(not g for g in groups):
        raise SelectorError(f"empty part in selector {selector!r}")
    return groups


class _Doc:
    """An html5lib tree with parent links."""

    def __init__(self, root: ET.Element) -> None:
        self.root = root
        self.parent: dict[ET.Element, ET.Element] = {}
        self.order: list[ET.Element] = []
        for el in root.iter():
            if isinstance(el.tag, str):
                self.order.append(el)
            for child in el:
                self.parent[child] = el

    def element_children(self, el: ET.Element) -> list[ET.Element]:
        return [c for c in el if isinstance(c.tag, str)]

    def ancestors(self, el: ET.Element) -> Iterable[ET.Element]:
        while el in self.parent:
            el = self.parent[el]
            yield el


def _matches_compound(doc: _Doc, el: ET.Element, comp: _Compound) -> bool:
    if comp.tag and el.tag.lower() != comp.tag:
        return False
    for test in comp.tests:
        kind = test[0]
        if kind == "id" and el.get("id") != test[1]:
            return False
        if kind == "class" and test[1] not in (el.get("class") or "").split():
            return False
        if kind == "attr":
            _, name, op, value = test
            actual = el.get(name)
            if actual is None:
                return False
            if (
                (op == "=" and actual != value)
                or (op == "^=" and not actual.startswith(value))
                or (op == "$=" and not actual.endswith(value))
                or (op == "*=" and value not in actual)
            ):
                return False
        if kind == "pseudo":
            _, name, n = test
            parent = doc.parent.get(el)
            siblings = doc.element_children(parent) if parent is not None else [el]
            if name.endswith("of-type"):
                siblings = [s for s in siblings if s.tag == el.tag]
            index = siblings.index(el) + 1
            wanted = len(siblings) if name == "last-child" else (1 if name.startswith("first") else int(n))
            if index != wanted:
                return False
    return True


def _matches_chain(doc: _Doc, el: ET.Element, chain: list[tuple[str, _Compound]]) -> bool:
    comb, comp = chain[-1]
    if not _matches_compound(doc, el, comp):
        return False
    if len(chain) == 1:
        return True
    rest = chain[:-1]
    if comb == ">":
        parent = doc.parent.get(el)
        return parent is not None and _matches_chain(doc, parent, rest)
    return any(_matches_chain(doc, anc, rest) for anc in doc.ancestors(el))


def select(doc: _Doc, selector: str) -> list[ET.Element]:
    """Every element of ``doc`` the selector matches, in document order."""
    groups = parse_selector(selector)
    return [el for el in doc.order if any(_matches_chain(doc, el, chain) for chain in groups)]


def parse_html(data: bytes | str) -> _Doc:
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    return _Doc(parser.parse(data))


@cache
def page_doc(path: str, root: str | None = None) -> _Doc:
    """The parsed raw HTML of a page of the sample site (cached)."""
    base = Path(root) if root else govsite_root()
    return parse_html((base / path).read_bytes())


# --------------------------------------------------------------------------------------------- matching


@dataclass
class BarrierMatch:
    barrier: Barrier
    outcome: str | None  # "violation", "needs_review", or None when nothing covered it
    rules: list[str]  # rule ids of the covering findings
    audited: bool  # False when the barrier's page was not in the results

    @property
    def found(self) -> bool:
        return self.outcome is not None

    @property
    def as_expected(self) -> bool:
        return self.outcome == self.barrier.expected


def _barrier_elements(doc: _Doc, barrier: Barrier) -> list[ET.Element]:
    elements = []
    for selector in (barrier.element, *barrier.also):
        elements.extend(select(doc, selector))
    return elements


def covers(doc: _Doc, barrier: Barrier, finding: FindingLike) -> bool:
    """Whether ``finding`` (of the barrier's page) points at the barrier's element.

    A finding without an element (or whose element is not in the raw HTML, such as the missing
    ``<title>``) covers the barrier when the barrier stands for the whole page or lists the rule.
    """
    selector = finding.selector
    found: list[ET.Element] = []
    if selector:
        if FRAME_SEPARATOR in selector:
            return False  # an element inside a frame document: never a planted element of this page
        try:
            found = select(doc, selector)
        except SelectorError:
            return False
    if not found:
        return barrier.element in PAGE_LEVEL or finding.rule_id in barrier.rules
    targets = _barrier_elements(doc, barrier)
    for el in found:
        for target in targets:
            if el is target or el in doc.ancestors(target) or target in doc.ancestors(el):
                return True
    return False


def effective_outcome(finding: FindingLike) -> str:
    """The finding's outcome as its KWCAG item counts it: a violation of an advisory rule or of a
    non-decisive check only asks for review (as in ``a11y_audit.page_summary``)."""
    if finding.outcome == "violation" and not load_registry().is_decisive(finding.rule_id):
        return "incomplete"
    return finding.outcome


def _on_item(finding: FindingLike, item: str) -> bool:
    return item in (finding.kwcag or [])


def match_barriers(
    findings_by_page: Mapping[str, Iterable[FindingLike]],
    barriers: Iterable[Barrier] | None = None,
    root: Path | None = None,
) -> list[BarrierMatch]:
    """For each machine-detectable barrier, what the audit reported on its item and element.

    ``findings_by_page`` maps a page path relative to the site root (``notice/list-1.html``) to the
    findings of that page.
    """
    results = []
    root_key = str(root) if root else None
    for barrier in barriers if barriers is not None else load_barriers():
        if not barrier.machine_detectable:
            continue
        if barrier.page not in findings_by_page:
            results.append(BarrierMatch(barrier, None, [], audited=False))
            continue
        doc = page_doc(barrier.page, root_key)
        covering = [
            f
            for f in findings_by_page[barrier.page]
            if f.outcome in ("violation", "incomplete")
            and _on_item(f, barrier.item)
            and covers(doc, barrier, f)
        ]
        if any(effective_outcome(f) == "violation" for f in covering):
            outcome = "violation"
        elif covering:
            outcome = "needs_review"
        else:
            outcome = None
        results.append(BarrierMatch(barrier, outcome, sorted({f.rule_id for f in covering}), audited=True))
    return results


def unplanned_findings(
    findings_by_page: Mapping[str, Iterable[FindingLike]],
    barriers: Iterable[Barrier] | None = None,
    outcomes: tuple[str, ...] = ("violation",),
    root: Path | None = None,
) -> list[tuple[str, Any]]:
    """(page, finding) for every finding with one of ``outcomes`` that covers no planted barrier of its page.

    Outcomes are the effective ones (:func:`effective_outcome`): by default, a violation of an advisory
    rule or of a non-decisive check is not listed. A finding is planted when it covers a barrier
    (machine-detectable or not) of the same page on the same KWCAG item.
    """
    barriers = list(barriers if barriers is not None else load_barriers())
    root_key = str(root) if root else None
    out = []
    for page, findings in findings_by_page.items():
        on_page = [b for b in barriers if b.page == page]
        doc = page_doc(page, root_key) if on_page else None
        for f in findings:
            if effective_outcome(f) not in outcomes:
                continue
            if not any(_on_item(f, b.item) and covers(doc, b, f) for b in on_page):
                out.append((page, f))
    return out
