"""KWCAG 2.2 items and the rules that feed them (data in ``kwcag22.yaml``)."""

from a11y_audit.rules.registry import KwcagItem, Registry, load_registry

__all__ = ["KwcagItem", "Registry", "load_registry"]
