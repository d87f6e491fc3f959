"""Our design-based estimators against samplics (the reference implementation) on the same data:
point estimates equal to 1e-9, standard errors within 1e-6 relative."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from gap_survey.codebook import ReplicateSpec
from gap_survey.design import SurveyDesign, replicate_weight_matrix
from gap_survey.estimate import estimate_mean, estimate_ratio, estimate_total

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from samplics.estimation import ReplicateEstimator, TaylorEstimator
    from samplics.utils.types import PopParam, RepMethod

POINT = 1e-9
SE_REL = 1e-6


@pytest.fixture(scope="module")
def data():
    """A stratified two-stage-like sample: 12 strata, 3-6 PSUs each, unequal weights, 4 domains."""
    rng = np.random.default_rng(2024)
    n = 2400
    strata = rng.integers(0, 12, n)
    psu = rng.integers(0, 3 + strata % 4, n)  # 3 to 6 PSUs per stratum, labels reused across strata
    weights = rng.lognormal(3.0, 0.4, n)
    domain = rng.choice(["a", "b", "c", "d"], n, p=[0.4, 0.3, 0.2, 0.1])
    y = 60 + 5 * strata % 7 + rng.normal(0, 12, n) + 8 * (domain == "b")
    x = rng.uniform(0.5, 1.5, n) + 0.02 * y
    return {"strata": strata, "psu": psu, "w": weights, "domain": domain, "y": y, "x": x}


def _by_domain(estimator) -> tuple[np.ndarray, np.ndarray]:
    keys = sorted(estimator.point_est)
    return np.array([estimator.point_est[k] for k in keys]), np.array([estimator.stderror[k] for k in keys])


def _replicate_reference(method, design, y, domain, param=PopParam.mean, x=None, conservative=True):
    weights, coef = replicate_weight_matrix(design)
    est = ReplicateEstimator(method, param)
    est.estimate(
        y=y,
        samp_weight=design.weights,
        rep_weights=weights,
        rep_coefs=coef,
        x=x,
        domain=domain,
        conservative=conservative,
    )
    return _by_domain(est)


@pytest.mark.parametrize(
    "method, rep", [("jackknife", RepMethod.jackknife), ("bootstrap", RepMethod.bootstrap)]
)
def test_domain_means_with_generated_replicates_match_samplics(data, method, rep):
    design = SurveyDesign.from_arrays(
        data["w"], data["strata"], data["psu"], method=method, bootstrap_replicates=60, seed=11
    )
    ours = estimate_mean(design, data["y"], domain=data["domain"])
    point, se = _replicate_reference(rep, design, data["y"], data["domain"])
    assert list(ours["domain"]) == ["a", "b", "c", "d"]
    np.testing.assert_allclose(ours["estimate"], point, rtol=0, atol=POINT)
    np.testing.assert_allclose(ours["se"], se, rtol=SE_REL)
    assert ours["n"].sum() == len(data["y"])


def test_domain_ratio_with_jackknife_matches_samplics(data):
    design = SurveyDesign.from_arrays(data["w"], data["strata"], data["psu"], method="jackknife")
    ours = estimate_ratio(design, data["y"], data["x"], domain=data["domain"])
    point, se = _replicate_reference(
        RepMethod.jackknife, design, data["y"], data["domain"], PopParam.ratio, data["x"]
    )
    np.testing.assert_allclose(ours["estimate"], point, rtol=0, atol=POINT)
    np.testing.assert_allclose(ours["se"], se, rtol=SE_REL)


@pytest.mark.parametrize("center, conservative", [("full", True), ("mean", False)])
def test_replicate_weights_from_the_file_match_samplics(data, center, conservative):
    generated = SurveyDesign.from_arrays(
        data["w"], data["strata"], data["psu"], method="bootstrap", bootstrap_replicates=40, seed=3
    )
    weights, _ = replicate_weight_matrix(generated)
    design = SurveyDesign.from_arrays(
        data["w"],
        method="replicate",
        replicate_weights=weights,
        replicate=ReplicateSpec(type="bootstrap", center=center),
    )
    ours = estimate_mean(design, data["y"], domain=data["domain"])
    point, se = _replicate_reference(
        RepMethod.bootstrap, design, data["y"], data["domain"], conservative=conservative
    )
    np.testing.assert_allclose(ours["estimate"], point, rtol=0, atol=POINT)
    np.testing.assert_allclose(ours["se"], se, rtol=SE_REL)
    assert (ours["df"] == 39).all()


def test_taylor_domain_means_and_ratios_match_samplics(data):
    design = SurveyDesign.from_arrays(data["w"], data["strata"], data["psu"], method="taylor")
    mean = TaylorEstimator(PopParam.mean)
    mean.estimate(
        y=data["y"], samp_weight=data["w"], stratum=data["strata"], psu=data["psu"], domain=data["domain"]
    )
    ours = estimate_mean(design, data["y"], domain=data["domain"])
    point, se = _by_domain(mean)
    np.testing.assert_allclose(ours["estimate"], point, rtol=0, atol=POINT)
    np.testing.assert_allclose(ours["se"], se, rtol=SE_REL)

    ratio = TaylorEstimator(PopParam.ratio)
    ratio.estimate(
        y=data["y"],
        x=data["x"],
        samp_weight=data["w"],
        stratum=data["strata"],
        psu=data["psu"],
        domain=data["domain"],
    )
    ours = estimate_ratio(design, data["y"], data["x"], domain=data["domain"])
    point, se = _by_domain(ratio)
    np.testing.assert_allclose(ours["estimate"], point, rtol=0, atol=POINT)
    np.testing.assert_allclose(ours["se"], se, rtol=SE_REL)
    # PSUs minus strata: the labels are reused across strata, so PSUs are counted within strata
    assert ours["df"].iloc[0] == sum(3 + h % 4 for h in range(12)) - 12


def test_taylor_total_without_psus_matches_samplics(data):
    design = SurveyDesign.from_arrays(data["w"], data["strata"], method="taylor")
    total = TaylorEstimator(PopParam.total)
    total.estimate(y=data["y"], samp_weight=data["w"], stratum=data["strata"])
    ours = estimate_total(design, data["y"])
    assert ours["estimate"].iloc[0] == pytest.approx(total.point_est, rel=1e-12)
    assert ours["se"].iloc[0] == pytest.approx(total.stderror, rel=SE_REL)


def test_jackknife_and_taylor_agree_for_a_total(data):
    """For a linear statistic the JKn variance equals the linearised one exactly."""
    jk = estimate_total(
        SurveyDesign.from_arrays(data["w"], data["strata"], data["psu"], method="jackknife"), data["y"]
    )
    ty = estimate_total(
        SurveyDesign.from_arrays(data["w"], data["strata"], data["psu"], method="taylor"), data["y"]
    )
    assert jk["se"].iloc[0] == pytest.approx(ty["se"].iloc[0], rel=1e-10)


def test_confidence_interval_uses_t_with_design_df(data):
    design = SurveyDesign.from_arrays(data["w"], data["strata"], data["psu"], method="taylor")
    row = estimate_mean(design, data["y"]).iloc[0]
    from scipy import stats

    q = stats.t.ppf(0.975, row["df"])
    assert row["ci_low"] == pytest.approx(row["estimate"] - q * row["se"], rel=1e-12)
    assert row["cv"] == pytest.approx(row["se"] / row["estimate"], rel=1e-12)
