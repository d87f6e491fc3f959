"""Turn a raw result of one of ddkit's own checks into a :class:`~a11y_audit.models.Finding`."""

from __future__ import annotations

from typing import Any

from a11y_audit.checks.messages import render
from a11y_audit.models import Finding
from a11y_audit.rules.registry import Registry


def check_finding(
    registry: Registry,
    rule: str,
    outcome: str,
    code: str,
    params: dict[str, Any],
    selector: str | None = None,
    snippet: str | None = None,
    data: dict[str, Any] | None = None,
) -> Finding:
    """A finding of one of ddkit's own checks, with its messages, item, WCAG SCs and help URL."""
    item = registry.item_for_rule(rule)
    check = registry.check(rule)
    en, ko = render(code, params)
    return Finding(
        rule_id=rule,
        source="kwcag",
        outcome=outcome,  # type: ignore[arg-type]
        impact=check.impact if outcome in ("violation", "incomplete") else None,
        kwcag=[item.id] if item else [],
        wcag=list(check.wcag),
        selector=selector,
        snippet=snippet,
        message_en=en,
        message_ko=ko,
        help_url=item.help_url if item else (check.help_url or None),
        data={"code": code, **(data or {})},
    )


def raw_finding(
    rule: str,
    outcome: str,
    code: str,
    params: dict[str, Any],
    where: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> dict:
    """A raw result in the shape the in-page bundles return (``where``: a dict with selector and
    snippet), for checks and notes made on the Python side."""
    where = where or {}
    return {
        "rule": rule,
        "outcome": outcome,
        "code": code,
        "params": params,
        "selector": where.get("selector"),
        "snippet": where.get("snippet"),
        "data": data or {},
    }
