"""The whole index pipeline against a slow, straightforward reference written here with pandas:
point estimates to 1e-9, replicate and Taylor SEs within 1e-6 relative."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gap_survey.codebook import load_codebook
from gap_survey.index import compute_index
from gap_survey.rules import load_population
from gap_survey.synth import synthesize

COMPONENTS = ("access", "competency", "utilization")
RULE = {"access": 0.2, "competency": 0.4, "utilization": 0.4}
INDEX_GROUPS = ("disabled", "low_income", "farmers_fishers", "elderly")


@pytest.fixture(scope="module")
def small():
    frame = synthesize(2024, 1500, seed=3).frame.copy()
    frame.loc[0, ["a01", "a02", "a03", "a04", "a05", "a06"]] = 9  # one respondent without an access score
    return frame


def slow_scores(frame: pd.DataFrame, codebook) -> pd.DataFrame:
    """Component scores the plain way: map each answer to points, average the answered items."""
    out = {}
    for name, comp in codebook.components.items():
        points = pd.DataFrame({item.column: frame[item.column].map(item.points) for item in comp.items})
        out[name] = points.mean(axis=1, skipna=True)  # all-missing -> NaN
    return pd.DataFrame(out)


def groups_of(frame: pd.DataFrame) -> dict[str, pd.Series]:
    st = frame["sample_type"]
    return {
        "general": st == 1,
        "disabled": st == 2,
        "low_income": st == 3,
        "farmers_fishers": st == 4,
        "elderly": (st == 1) & (frame["age"] >= 55),
        "marriage_migrants": st == 5,
        "nk_defectors": st == 6,
    }


def slow_index(
    scores: pd.DataFrame, weights: pd.Series, groups: dict[str, pd.Series], shares: dict[str, float]
) -> dict:
    w = np.asarray(weights, dtype=float)

    def mean(mask, comp):
        s = scores[comp].to_numpy()
        ok = np.asarray(mask) & ~np.isnan(s)
        return np.sum(w[ok] * s[ok]) / np.sum(w[ok])

    ref = {c: mean(groups["general"], c) for c in COMPONENTS}
    out = {}
    for g, mask in groups.items():
        for c in COMPONENTS:
            out[(g, c)] = 100 * mean(mask, c) / ref[c]
        out[(g, "total")] = sum(RULE[c] * out[(g, c)] for c in COMPONENTS)
    for c in (*COMPONENTS, "total"):
        out[("vulnerable_avg", c)] = sum(shares[g] * out[(g, c)] for g in INDEX_GROUPS)
    return out


def jackknife_weights(frame: pd.DataFrame):
    """Yield (replicate weights, coefficient) for every PSU: JKn built directly from the definition."""
    psus = frame.groupby("stratum")["psu"].unique()
    for stratum, labels in psus.items():
        n_h = len(labels)
        for label in labels:
            w = frame["wt"].copy()
            in_stratum = frame["stratum"] == stratum
            w[in_stratum] *= n_h / (n_h - 1)
            w[in_stratum & (frame["psu"] == label)] = 0.0
            yield w, (n_h - 1) / n_h


def as_dict(levels: pd.DataFrame) -> dict:
    return {(r.group, r.component): (r.estimate, r.se) for r in levels.itertuples()}


@pytest.fixture(scope="module")
def reference(small, codebook):
    shares = load_population(2024, codebook.index_groups).shares
    scores = slow_scores(small, codebook)
    groups = groups_of(small)
    full = slow_index(scores, small["wt"], groups, shares)
    variance = dict.fromkeys(full, 0.0)
    for w, coef in jackknife_weights(small):
        rep = slow_index(scores, w, groups, shares)
        for key in full:
            variance[key] += coef * (rep[key] - full[key]) ** 2
    return full, {k: np.sqrt(v) for k, v in variance.items()}, shares


def test_point_estimates_equal_the_slow_reference(small, codebook, reference):
    full, _, _ = reference
    result = compute_index(small, codebook, 2024, domains=[])
    ours = as_dict(result.levels)
    assert set(ours) == set(full)
    for key, value in full.items():
        assert ours[key][0] == pytest.approx(value, abs=1e-9), key
    assert ours[("general", "total")] == (100.0, 0.0)
    assert result.meta["unscored"] == {"access": 1, "competency": 0, "utilization": 0}
    assert any("answered no access item" in w for w in result.meta["warnings"])
    n = result.levels.set_index(["group", "component"])["n"]
    assert n[("general", "access")] == n[("general", "competency")] - 1


def test_jackknife_ses_equal_the_slow_reference(small, codebook, reference):
    _, se, _ = reference
    result = compute_index(small, codebook, 2024, domains=[], variance="jackknife")
    ours = as_dict(result.levels)
    for key, value in se.items():
        if key[0] == "general":
            continue
        assert ours[key][1] == pytest.approx(value, rel=1e-6), key
    assert result.meta["design"]["replicates"] == small.groupby("stratum")["psu"].nunique().sum()


def test_file_replicate_weights_equal_the_slow_reference(codebook):
    synth = synthesize(2024, 1200, seed=5, replicates=24)
    frame = synth.frame
    from gap_survey.codebook import codebook_with_replicates, parse_codebook

    cb = parse_codebook(codebook_with_replicates(codebook, prefix="rw_", rtype="bootstrap"))
    shares = load_population(2024, cb.index_groups).shares
    scores = slow_scores(frame, cb)
    groups = groups_of(frame)
    full = slow_index(scores, frame["wt"], groups, shares)
    reps = [slow_index(scores, frame[f"rw_{r}"], groups, shares) for r in range(1, 25)]
    result = compute_index(frame, cb, 2024, domains=[])
    assert result.meta["design"]["variance_method"] == "replicate"
    ours = as_dict(result.levels)
    for key in full:
        se = np.sqrt(sum((rep[key] - full[key]) ** 2 for rep in reps) / 24)
        assert ours[key][0] == pytest.approx(full[key], abs=1e-9)
        if key[0] != "general":
            assert ours[key][1] == pytest.approx(se, rel=1e-6), key


def test_taylor_ses_equal_a_delta_method_reference(small, codebook, reference):
    _, _, shares = reference
    scores = slow_scores(small, codebook)
    groups = groups_of(small)
    names = list(groups)
    # totals: per group, sum(w s_k) and sum(w) over respondents with a score on k
    cols = {}
    for g in names:
        for c in COMPONENTS:
            ok = groups[g] & scores[c].notna()
            cols[(g, c, "num")] = np.where(ok, small["wt"] * scores[c].fillna(0), 0.0)
            cols[(g, c, "den")] = np.where(ok, small["wt"], 0.0)
    contrib = pd.DataFrame(cols)
    keys = list(contrib.columns)
    theta = contrib.sum().to_numpy()
    psu_totals = contrib.groupby([small["stratum"], small["psu"]]).sum()
    cov = np.zeros((len(keys), len(keys)))
    for _, part in psu_totals.groupby(level=0):
        n_h = len(part)
        centred = part.to_numpy() - part.to_numpy().mean(axis=0)
        cov += n_h / (n_h - 1) * centred.T @ centred

    def index_of(t: np.ndarray) -> dict:
        value = dict(zip(keys, t, strict=True))
        mean = {(g, c): value[(g, c, "num")] / value[(g, c, "den")] for g in names for c in COMPONENTS}
        out = {}
        for g in names:
            for c in COMPONENTS:
                out[(g, c)] = 100 * mean[(g, c)] / mean[("general", c)]
            out[(g, "total")] = sum(RULE[c] * out[(g, c)] for c in COMPONENTS)
        for c in (*COMPONENTS, "total"):
            out[("vulnerable_avg", c)] = sum(shares[g] * out[(g, c)] for g in INDEX_GROUPS)
        return out

    base = index_of(theta)
    grads = {key: np.zeros(len(keys)) for key in base}
    for j in range(len(keys)):
        h = 1e-6 * max(abs(theta[j]), 1.0)
        up, down = theta.copy(), theta.copy()
        up[j] += h
        down[j] -= h
        hi, lo = index_of(up), index_of(down)
        for key in base:
            grads[key][j] = (hi[key] - lo[key]) / (2 * h)
    result = compute_index(small, codebook, 2024, domains=[], variance="taylor")
    ours = as_dict(result.levels)
    for key, g in grads.items():
        if key[0] == "general":
            continue
        assert ours[key][1] == pytest.approx(np.sqrt(g @ cov @ g), rel=1e-6), key


def test_domain_estimates_use_the_full_design_not_a_filtered_frame(small, codebook):
    """Disabled respondents in Seoul: the estimate on the full design equals the slow reference
    with zero weights outside the domain; filtering the frame first loses PSUs and changes the SE."""
    result = compute_index(small, codebook, 2024, domains=["region"], variance="jackknife")
    row = result.domains.query("level == 11 and group == 'disabled' and component == 'total'").iloc[0]
    scores = slow_scores(small, codebook)
    groups = groups_of(small)
    cell = {"general": groups["general"], "cell": groups["disabled"] & (small["region"] == 11)}

    def total(weights: pd.Series, frame_scores: pd.DataFrame, masks) -> float:
        w = weights.to_numpy()

        def mean(mask, c):
            s = frame_scores[c].to_numpy()
            ok = mask.to_numpy() & ~np.isnan(s)
            return np.sum(w[ok] * s[ok]) / np.sum(w[ok])

        return sum(RULE[c] * 100 * mean(masks["cell"], c) / mean(masks["general"], c) for c in COMPONENTS)

    full = total(small["wt"], scores, cell)
    var = sum(coef * (total(w, scores, cell) - full) ** 2 for w, coef in jackknife_weights(small))
    assert row["estimate"] == pytest.approx(full, abs=1e-9)
    assert row["se"] == pytest.approx(np.sqrt(var), rel=1e-6)
    assert row["n"] == int(cell["cell"].sum())

    keep = cell["general"] | cell["cell"]  # the tempting shortcut: drop everyone else first
    filtered = small[keep].reset_index(drop=True)
    fscores, fcell = (
        scores[keep].reset_index(drop=True),
        {k: v[keep].reset_index(drop=True) for k, v in cell.items()},
    )
    f_full = total(filtered["wt"], fscores, fcell)
    f_var = sum(coef * (total(w, fscores, fcell) - f_full) ** 2 for w, coef in jackknife_weights(filtered))
    assert f_full == pytest.approx(full, abs=1e-9)  # same point estimate ...
    assert abs(np.sqrt(f_var) - row["se"]) > 1e-3 * row["se"]  # ... but a different (wrong) SE


def test_four_group_average_uses_the_population_table(small, codebook, tmp_path):
    table = tmp_path / "population.csv"
    table.write_text(
        "group,population\ndisabled,1\nlow_income,1\nfarmers_fishers,1\nelderly,7\n", encoding="utf-8"
    )
    result = compute_index(small, codebook, 2024, domains=[], population=table)
    levels = result.levels.set_index(["group", "component"])["estimate"]
    expected = (
        levels[("disabled", "total")]
        + levels[("low_income", "total")]
        + levels[("farmers_fishers", "total")]
        + 7 * levels[("elderly", "total")]
    ) / 10
    assert levels[("vulnerable_avg", "total")] == pytest.approx(expected, abs=1e-12)
    assert result.meta["population"]["shares"]["elderly"] == pytest.approx(0.7)
    assert not any("assumed population" in w for w in result.meta["warnings"])


def test_component_weights_come_from_the_rules_file(small, codebook, tmp_path):
    rules = tmp_path / "rules.yaml"
    rules.write_text(
        "rules:\n  - id: equal\n    first_year: 2000\n    last_year: null\n    reproducible: false\n"
        "    weights: {access: 0.5, competency: 0.25, utilization: 0.25}\n",
        encoding="utf-8",
    )
    result = compute_index(small, codebook, 2024, domains=[], rules=rules)
    lv = result.levels.set_index(["group", "component"])["estimate"]
    expected = 0.5 * lv[("elderly", "access")] + 0.25 * (
        lv[("elderly", "competency")] + lv[("elderly", "utilization")]
    )
    assert lv[("elderly", "total")] == pytest.approx(expected, abs=1e-12)
    assert result.meta["rule"]["id"] == "equal"


def test_years_before_2017_are_flagged(small, codebook, tmp_path):
    result = compute_index(small, codebook, 2015, domains=[])
    assert result.meta["rule"]["reproducible"] is False
    assert any(w.startswith("2015: Published 2014-2016 group totals") for w in result.meta["warnings"])
    published = result.levels.set_index(["group", "component"])["published"]
    assert published[("elderly", "total")] == 45.6


def test_bootstrap_is_reproducible_by_seed(small, codebook):
    a = compute_index(small, codebook, 2024, domains=[], variance="bootstrap", replicates=50, seed=9)
    b = compute_index(small, codebook, 2024, domains=[], variance="bootstrap", replicates=50, seed=9)
    c = compute_index(small, codebook, 2024, domains=[], variance="bootstrap", replicates=50, seed=10)
    assert a.levels["se"].equals(b.levels["se"])
    assert not a.levels["se"].equals(c.levels["se"])


def test_unknown_domain_is_a_usage_error(small, codebook):
    from gap_survey.errors import SurveyUsageError

    with pytest.raises(SurveyUsageError, match="Unknown domain 'income'"):
        compute_index(small, codebook, 2024, domains=["income"])


def test_default_codebook_is_loaded_once(codebook):
    assert load_codebook().sha256 == codebook.sha256


def test_scores_table_has_raw_means_and_kish_design_effects(small, codebook):
    result = compute_index(small, codebook, 2024, domains=[], variance="taylor")
    row = result.scores.query("group == 'elderly' and component == 'competency'").iloc[0]
    scores = slow_scores(small, codebook)["competency"]
    mask = ((small["sample_type"] == 1) & (small["age"] >= 55)).to_numpy()
    w, s = small["wt"].to_numpy()[mask], scores.to_numpy()[mask]
    mean = np.sum(w * s) / np.sum(w)
    n = mask.sum()
    s2 = (np.sum(w * s * s) / np.sum(w) - mean**2) * n / (n - 1)
    assert row["estimate"] == pytest.approx(mean, abs=1e-9)
    assert row["n"] == n
    assert row["deff"] == pytest.approx(row["se"] ** 2 / (s2 / n), rel=1e-9)
    assert 0.5 < row["deff"] < 5
