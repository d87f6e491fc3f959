"""Hand-made findings and page results for scoring tests."""

from __future__ import annotations

from a11y_audit.models import Finding, PageResult
from a11y_audit.rules import load_registry

REGISTRY = load_registry()


def finding(
    rule: str, outcome: str, item: str, selector: str, snippet: str = "", impact: str | None = "serious"
):
    return Finding(
        rule,
        "axe",
        outcome,
        impact if outcome == "violation" else None,
        [item],
        [item],
        selector,
        snippet or f"<x {selector}>",
        f"{rule} message",
        f"{rule} 메시지",
        None,
    )


def page(url: str, findings: list[Finding], **status: str) -> PageResult:
    item_status = {
        it.id: ("manual" if it.automation == "manual" else "inapplicable") for it in REGISTRY.items
    }
    item_status.update({k.replace("_", "."): v for k, v in status.items()})
    return PageResult(
        url=url,
        final_url=url,
        status=200,
        title=url.rsplit("/", 1)[-1],
        findings=findings,
        item_status=item_status,
        axe_version="4.12.1",
    )
