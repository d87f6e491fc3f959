"""The automated certification estimate: per-item compliance rates with lower/upper bounds."""

from a11y_audit.scoring.estimate import (
    Estimate,
    ItemScore,
    PageEvidence,
    RuleSet,
    estimate,
    evidence_from_page,
    load_ruleset,
)

__all__ = [
    "Estimate",
    "ItemScore",
    "PageEvidence",
    "RuleSet",
    "estimate",
    "evidence_from_page",
    "load_ruleset",
]
