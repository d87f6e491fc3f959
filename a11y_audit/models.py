"""What an audit produces: findings and page results (plain dataclasses, JSON-ready)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Outcome = Literal["violation", "pass", "incomplete", "inapplicable"]
Source = Literal["axe", "kwcag"]
Impact = Literal["minor", "moderate", "serious", "critical"]
IMPACT_ORDER: dict[str, int] = {"minor": 1, "moderate": 2, "serious": 3, "critical": 4}
#: Per-page status of one KWCAG item, worst first.
ItemStatus = Literal["fail", "review", "manual", "pass", "inapplicable"]


@dataclass
class Finding:
    """One rule outcome on one element (or on the page when ``selector`` is None)."""

    rule_id: str
    source: Source
    outcome: Outcome
    impact: str | None
    kwcag: list[str]  # KWCAG 2.2 item ids, e.g. ["1.1.1"]; [] for best-practice-only rules
    wcag: list[str]  # WCAG success criteria, e.g. ["1.1.1"]
    selector: str | None
    snippet: str | None
    message_en: str
    message_ko: str
    help_url: str | None = None
    data: dict[str, Any] = field(default_factory=dict)  # evidence: line/column, ratio, size, ...

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ElementCrop:
    """A small JPEG of the element one finding points at, for the reviewer's checklist."""

    item: str  # the KWCAG item of the finding
    rule_id: str
    selector: str
    image: bytes = field(repr=False)


@dataclass
class PageResult:
    """Everything one page audit found, plus what the crawler and the store need."""

    url: str
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    title: str | None = None
    lang: str | None = None
    device: str = "desktop"
    axe_version: str | None = None
    timings_ms: dict[str, float] = field(default_factory=dict)
    template_signature: str | None = None
    findings: list[Finding] = field(default_factory=list)
    item_status: dict[str, ItemStatus] = field(default_factory=dict)
    links: list[str] = field(default_factory=list)
    error: str | None = None
    #: A small JPEG of the viewport (site audits keep it in the store for the report); never in JSON.
    thumbnail: bytes | None = field(default=None, repr=False)
    #: Screenshots of elements with violations or needs-review findings (option ``crops``); never in JSON.
    crops: list[ElementCrop] = field(default_factory=list, repr=False)

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("thumbnail")
        data.pop("crops")
        return data
