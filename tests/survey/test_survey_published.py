"""The published figures ship with their sources, and the 2017 rule reproduces every published total."""

from __future__ import annotations

import math

import pytest

from gap_survey.published import load_published, published_value, recompute_totals
from gap_survey.rules import load_rules, rule_for_year


def test_all_45_published_totals_2017_2025_are_reproduced_within_rounding():
    table = recompute_totals(years=range(2017, 2026))
    assert len(table) == 45  # 9 years x (4 groups + the four-group average)
    assert table["reproducible"].all()
    assert table["within_rounding"].all(), table[~table["within_rounding"]]
    assert table["difference"].abs().max() == pytest.approx(0.08)  # 2020 four-group average


def test_a_total_is_recomputed_from_its_components_exactly():
    table = recompute_totals(years=range(2024, 2025)).set_index("group")
    # elderly 2024: 0.2 x 95.3 + 0.4 x 55.9 + 0.4 x 75.0 = 71.42, published 71.4
    assert table.loc["elderly", "recomputed_total"] == pytest.approx(71.42)
    assert table.loc["elderly", "published_total"] == 71.4
    assert table.loc["vulnerable_avg", "recomputed_total"] == pytest.approx(77.54)


def test_years_before_2017_are_flagged_as_not_reproducible_by_the_rule():
    table = recompute_totals(years=range(2014, 2017)).set_index(["year", "group"])
    assert not table["reproducible"].any()
    # the 2014 elderly total is 3.7 points above 0.2A + 0.4C + 0.4U (38.70 vs 42.4)
    assert table.loc[(2014, "elderly"), "difference"] == pytest.approx(-3.70)
    assert rule_for_year(2016, load_rules()).id == "digital-2014-2016"
    assert rule_for_year(2025, load_rules()).weights == {"access": 0.2, "competency": 0.4, "utilization": 0.4}


def test_every_published_figure_carries_its_source():
    table = load_published(None)
    assert len(table) == 299
    assert table["source_url"].str.match(r"https?://").all()
    assert set(table["series"]) == {"digital", "pc", "smart", "mobile"}
    digital = table[table["series"] == "digital"]
    assert sorted(set(digital["year"])) == list(range(2014, 2026))


def test_published_value_lookup():
    assert published_value(2024, "disabled", "total") == 83.5
    assert published_value(2024, "nk_defectors", "total") is None
    assert math.isclose(published_value(2017, "vulnerable_avg", "access"), 91.0)
