"""The KWCAG 2.2 registry: complete items, every axe rule mapped, both numberings, legacy ids."""

from __future__ import annotations

import copy

import pytest
import yaml

from a11y_audit.errors import AuditError
from a11y_audit.rules import load_registry
from a11y_audit.rules.registry import AUTOMATION, UNITS, parse_registry

REGISTRY = load_registry()


@pytest.mark.browser
def test_every_axe_rule_maps_to_an_item_or_is_best_practice_only(loop, browser):
    rules = loop.run_until_complete(browser.axe_rules())
    ids = {r["id"] for r in rules}
    mapped = {rule for it in REGISTRY.items for rule in it.axe_rules}
    unmapped = sorted(ids - mapped - set(REGISTRY.best_practice_only))
    assert unmapped == []
    # And the registry names no rule the bundled axe-core does not have.
    assert sorted((mapped | set(REGISTRY.best_practice_only)) - ids) == []
    # The rules enabled explicitly are ones axe would otherwise leave off.
    by_id = {r["id"]: r for r in rules}
    for rule in REGISTRY.axe_enable:
        tags = set(by_id[rule]["tags"])
        assert not by_id[rule]["enabled"] or tags & {"experimental", "deprecated"}, rule


def test_every_item_is_complete():
    assert len(REGISTRY.items) == 33
    for it in REGISTRY.items:
        assert it.name_ko and it.name_en, it.id
        assert it.wcag or it.wcag_note, it.id
        assert all(sc.count(".") == 2 for sc in it.wcag), it.id
        assert it.automation in AUTOMATION and it.unit in UNITS, it.id
        assert it.help_url == f"https://nia-a11y.github.io/kwcag22tech/{it.id.replace('.', '/')}"
    counts = {a: sum(it.automation == a for it in REGISTRY.items) for a in AUTOMATION}
    assert counts == {"auto": 4, "partial": 22, "manual": 7}
    assert sorted(it.id for it in REGISTRY.items if it.unit == "content") == [
        "1.1.1",
        "1.2.1",
        "1.3.1",
        "3.3.2",
    ]


def test_every_check_has_a_message_and_an_item():
    from a11y_audit.checks.messages import MESSAGES

    for check in REGISTRY.checks:
        assert REGISTRY.item_for_rule(check.id).id == check.item
        assert check.wcag, check.id
    assert all(len(pair) == 2 and pair[0] and pair[1] for pair in MESSAGES.values())


@pytest.mark.parametrize(
    ("given", "item"),
    [("5.1.1", "1.1.1"), ("6.4.1", "2.4.1"), ("7.3.2", "3.3.2"), ("8.2.1", "4.2.1"), (" 1.4.3 ", "1.4.3")],
)
def test_the_standards_clause_numbering_is_accepted(given, item):
    assert REGISTRY.item(given).id == item


@pytest.mark.parametrize("bad", ["9.1.1", "1.9.9", "4.2", "x"])
def test_unknown_items_are_a_clear_error(bad):
    with pytest.raises(AuditError, match="Unknown KWCAG 2.2 item"):
        REGISTRY.item(bad)


@pytest.mark.parametrize(
    ("item", "kwcag21", "kwcag20"),
    [
        ("1.3.1", "3.3.2", "3.3.2"),  # tables moved from principle 3
        ("1.3.2", "3.3.1", "3.3.1"),
        ("1.4.1", "1.3.1", "1.3.1"),
        ("1.4.4", "1.3.5", None),  # added in 2.1
        ("3.3.1", "3.4.2", "3.4.2"),
        ("3.3.2", "3.4.1", "3.4.1"),
        ("2.1.4", None, None),  # new in 2.2
        ("4.1.1", "4.1.1", "4.1.1"),
    ],
)
def test_legacy_numbering(item, kwcag21, kwcag20):
    assert REGISTRY.legacy_id(item, "2.1") == kwcag21
    assert REGISTRY.legacy_id(item, "2.0") == kwcag20
    if kwcag21:
        assert REGISTRY.from_legacy(kwcag21, "2.1").id == item
        std = f"{int(kwcag21[0]) + 4}{kwcag21[1:]}"
        assert REGISTRY.from_legacy(std, "2.1").id == item


def test_legacy_lookup_errors():
    with pytest.raises(AuditError, match="KWCAG 2.1 has no item '3.4.3'"):
        REGISTRY.from_legacy("3.4.3")
    with pytest.raises(AuditError, match="Unknown KWCAG version '1.0'"):
        REGISTRY.from_legacy("1.1.1", "1.0")


def _data():
    from importlib import resources

    text = resources.files("a11y_audit.rules").joinpath("kwcag22.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["items"][0].update(std_id="5.2.1"), "item #1 (1.1.1): std_id '5.2.1' does not match"),
        (
            lambda d: d["items"][4].update(automation="sometimes"),
            "item #5 (1.3.3): automation must be one of",
        ),
        (lambda d: d["items"][8].update(wcag_note=""), "item #9 (1.4.4): wcag is empty"),
        (
            lambda d: d["items"][1]["axe_rules"].append("image-alt"),
            "rule 'image-alt' feeds both 1.1.1 and 1.2.1",
        ),
        (lambda d: d["advisory_rules"].append("no-such-rule"), "advisory rules that feed no item"),
        (lambda d: d["axe_enable"].append("no-such-rule"), "axe_enable rules that feed no item"),
        (lambda d: d["items"].pop(), "expected 33 distinct items, found 32"),
        (lambda d: d["kwcag_checks"][0].update(impact="huge"), "impact must be one of"),
    ],
)
def test_a_broken_registry_is_refused_with_the_place(change, message):
    data = copy.deepcopy(_data())
    change(data)
    with pytest.raises(AuditError, match="KWCAG registry") as info:
        parse_registry(data)
    assert message in str(info.value)


def test_advisory_and_decisive():
    assert REGISTRY.is_decisive("image-alt")
    assert not REGISTRY.is_decisive("region")  # advisory
    assert not REGISTRY.is_decisive("kwcag-char-shortcut")  # non-decisive check
    assert REGISTRY.is_decisive("kwcag-skip-link")
    assert not REGISTRY.is_decisive("landmark-unique")  # best-practice only: feeds no item
