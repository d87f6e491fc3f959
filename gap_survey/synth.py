"""Synthetic microdata with known truth, for demos, tests and benchmarks.

``synthesize(year=2024, n=15000, seed=1)`` draws a stratified cluster sample laid out like the
real survey (2016-2024 design: general public 7,000 of whom 2,300 aged 55+, persons with
disabilities, low-income and farmers/fishers 2,200 each, marriage migrants and North Korean
defectors 700 each, scaled to ``n``), with strata (province x urban/rural for the general public,
sample x province for the others), PSUs of about ten respondents, and unequal weights.

Answers follow the default codebook. Each respondent has a latent propensity per component
(person effect + PSU effect + age effect + noise); item answers are drawn so that the expected
component score equals 100 x the propensity averaged over the component's items. The group
intercepts are calibrated so that the expected group level (100 x group mean / general-public mean)
equals the published level of ``year``: the data land near the published figures, with sampling
noise of the size the SEs report. The general public's absolute mean scores, the levels of the two
groups outside the index, the population sizes and every distribution are our assumptions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.special import expit, logit

from gap_survey.codebook import Codebook, load_codebook
from gap_survey.design import SurveyDesign, replicate_factors
from gap_survey.errors import SurveyUsageError
from gap_survey.published import COMPONENTS, load_published
from gap_survey.rules import load_population, load_rules, rule_for_year

#: our assumption: general-public mean component scores (0-100); only ratios are published
GENERAL_MEANS = {"access": 95.0, "competency": 72.0, "utilization": 75.0}
#: our assumption: levels of the groups surveyed but outside the index (no published components)
SURVEYED_LEVELS = {
    "marriage_migrants": {"access": 97.0, "competency": 78.0, "utilization": 84.0},
    "nk_defectors": {"access": 96.0, "competency": 74.0, "utilization": 80.0},
}
#: share of the population aged 7+ that is 55+ (about 41% in 2024; an approximation)
ELDERLY_POPULATION_SHARE = 0.41
#: (sample code, group, share of n, population in millions) following the 2016-2024 design
SAMPLES = (
    (1, "general", 7000 / 15000, 49.5),
    (2, "disabled", 2200 / 15000, 1.5),
    (3, "low_income", 2200 / 15000, 2.9),
    (4, "farmers_fishers", 2200 / 15000, 2.1),
    (5, "marriage_migrants", 700 / 15000, 0.18),
    (6, "nk_defectors", 700 / 15000, 0.034),
)
ELDERLY_SAMPLE_SHARE = 2300 / 7000
#: province code, population (millions, approximate 2024), share living in eup/myeon (rural)
PROVINCES = (
    (11, 9.4, 0.0),
    (21, 3.3, 0.03),
    (22, 2.4, 0.1),
    (23, 3.0, 0.08),
    (24, 1.4, 0.0),
    (25, 1.4, 0.0),
    (26, 1.1, 0.1),
    (29, 0.39, 0.3),
    (31, 13.7, 0.12),
    (32, 1.5, 0.35),
    (33, 1.6, 0.35),
    (34, 2.1, 0.4),
    (35, 1.75, 0.35),
    (36, 1.8, 0.5),
    (37, 2.55, 0.4),
    (38, 3.25, 0.3),
    (39, 0.67, 0.25),
)
#: province -> broad region, used when a sample is too small for province strata
REGION_OF = {
    11: 1,
    23: 1,
    31: 1,
    25: 2,
    29: 2,
    33: 2,
    34: 2,
    24: 3,
    35: 3,
    36: 3,
    21: 4,
    22: 4,
    26: 4,
    37: 4,
    38: 4,
    32: 5,
    39: 5,
}
CLUSTER_SIZE = 10
MISSING_RATE = 0.005
AGE_EFFECT = {"access": -0.25, "competency": -0.45, "utilization": -0.35}  # per 15 years of age


@dataclass
class SynthResult:
    frame: pd.DataFrame
    truth: pd.DataFrame  # expected levels (group, component, level, published)
    codebook: Codebook
    replicate_columns: tuple[str, ...] = ()


def _targets(year: int) -> dict[str, dict[str, float]]:
    pub = load_published("digital")
    pub = pub[(pub["year"] == year) & pub["component"].isin(COMPONENTS)]
    if pub.empty:
        years = sorted(set(load_published("digital").query("component == 'access'")["year"]))
        raise SurveyUsageError(
            f"No published component levels for {year}.",
            hint=f"Synthetic data follow a published year: {years[0]}-{years[-1]}.",
        )
    levels: dict[str, dict[str, float]] = {}
    for rec in pub.itertuples(index=False):
        levels.setdefault(rec.group, {})[rec.component] = float(rec.value)
    levels.update(SURVEYED_LEVELS)
    return levels


def _allocate(total: int, sizes: np.ndarray, minimum: int) -> np.ndarray:
    """Integers proportional to ``sizes`` summing to ``total``, each at least ``minimum``."""
    out = np.full(sizes.shape[0], minimum, dtype=np.int64)
    rest = total - out.sum()
    if rest > 0:
        raw = sizes / sizes.sum() * rest
        extra = np.floor(raw).astype(np.int64)
        order = np.argsort(-(raw - extra), kind="stable")
        extra[order[: rest - extra.sum()]] += 1
        out += extra
    return out


def _strata_for(sample: str, n_s: int) -> list[tuple[int, int, float, list[int]]]:
    """(stratum id, area, population weight, provinces) for a sample of size ``n_s``."""
    prov = {code: (pop, rural) for code, pop, rural in PROVINCES}
    strata: list[tuple[int, int, float, list[int]]] = []
    if sample == "general" and n_s >= 4 * CLUSTER_SIZE * 34:
        for code, (pop, rural) in prov.items():
            strata.append((code * 10 + 1, 1, pop * (1 - rural), [code]))
            if rural > 0:
                strata.append((code * 10 + 2, 2, pop * rural, [code]))
        return strata
    weight = (lambda p, r: p * r) if sample == "farmers_fishers" else (lambda p, r: p)
    if n_s >= 4 * CLUSTER_SIZE * 17:
        return [(code * 10, 0, weight(pop, rural) + 1e-3, [code]) for code, (pop, rural) in prov.items()]
    if n_s >= 4 * 5 * 2:
        regions: dict[int, list[int]] = {}
        for code in prov:
            regions.setdefault(REGION_OF[code], []).append(code)
        return [
            (900 + r, 0, sum(weight(*prov[c]) + 1e-3 for c in codes), codes)
            for r, codes in sorted(regions.items())
        ]
    return [(999, 0, 1.0, list(prov))]


def _ages(rng: np.random.Generator, sample: str, size: int, elderly: np.ndarray | None = None) -> np.ndarray:
    if sample == "general":
        young = rng.integers(7, 55, size)
        old = np.minimum(55 + np.floor(rng.exponential(11.0, size)).astype(np.int64), 95)
        return np.where(elderly, old, young)
    lo, hi, mode = {
        "disabled": (7, 69, 52),
        "low_income": (7, 95, 62),
        "farmers_fishers": (20, 95, 64),
        "marriage_migrants": (20, 65, 38),
        "nk_defectors": (20, 80, 45),
    }[sample]
    return np.clip(np.round(rng.triangular(lo, mode, hi, size)), lo, hi).astype(np.int64)


def _item_points_levels(points: dict[int, float]) -> tuple[list[int], int]:
    """Codes ordered by points, and K when the points are 0, 100/K, ..., 100 (else an error)."""
    ordered = sorted(points, key=lambda c: points[c])
    k = len(ordered) - 1
    expected = [100.0 * i / k for i in range(k + 1)]
    if k < 1 or any(abs(points[c] - e) > 1e-6 for c, e in zip(ordered, expected, strict=True)):
        raise SurveyUsageError(
            "Synthetic answers need equally spaced item points from 0 to 100.",
            hint="Use the default codebook, or scales declared with 'linear' or with points 0/100.",
        )
    return ordered, k


def synthesize(
    year: int = 2024,
    n: int = 15_000,
    seed: int = 1,
    *,
    replicates: int = 0,
    codebook: Codebook | None = None,
    population: str | None = None,
) -> SynthResult:
    """Synthetic microdata for ``codebook`` (default: the shipped one) whose expected levels are
    the published levels of ``year``. ``replicates`` > 0 adds Rao-Wu bootstrap replicate weights
    ``rw_1..rw_R``."""
    if n < 500:
        raise SurveyUsageError(
            f"--n {n} is too small for the sample design.", hint="Use at least 500 respondents."
        )
    codebook = codebook or load_codebook()
    levels = _targets(year)
    rule = rule_for_year(year, load_rules())
    rng = np.random.default_rng(seed)

    counts = np.array([round(n * share) for _, _, share, _ in SAMPLES])
    counts[0] += n - counts.sum()
    parts = []
    psu_next = 1
    for (code, sample, _, pop_m), n_s in zip(SAMPLES, counts, strict=True):
        strata = _strata_for(sample, int(n_s))
        n_psu = min(max(2 * len(strata), int(round(n_s / CLUSTER_SIZE))), int(n_s))
        psus_h = _allocate(n_psu, np.array([s[2] for s in strata]), 2)
        psu_ids = np.arange(psus_h.sum()) + psu_next
        psu_stratum = np.repeat(np.arange(len(strata)), psus_h)
        psu_next += int(psus_h.sum())
        # respondents spread as evenly as possible over the PSUs
        per_psu = np.full(psus_h.sum(), n_s // psus_h.sum())
        per_psu[: n_s - per_psu.sum()] += 1
        psu_of = np.repeat(psu_ids, per_psu)
        h_of = np.repeat(psu_stratum, per_psu)
        rural_share = {c: r for c, _, r in PROVINCES}
        pop_of = {c: p for c, p, _ in PROVINCES}
        # a PSU lies in one province (an enumeration district), drawn within its stratum
        psu_province = np.empty(psus_h.sum(), dtype=np.int64)
        for h, stratum in enumerate(strata):
            inside = psu_stratum == h
            options = np.array(stratum[3])
            p = np.array([pop_of[c] for c in options])
            psu_province[inside] = rng.choice(options, size=int(inside.sum()), p=p / p.sum())
        provinces = np.repeat(psu_province, per_psu)
        area = np.array([strata[h][1] for h in h_of])
        undecided = area == 0
        if sample == "farmers_fishers":
            p_rural = np.full(n_s, 0.85)
        else:
            p_rural = np.array([rural_share[p] for p in provinces])
        area[undecided] = np.where(rng.random(undecided.sum()) < p_rural[undecided], 2, 1)
        elderly = np.zeros(n_s, dtype=bool)
        if sample == "general":
            elderly[rng.permutation(n_s)[: int(round(n_s * ELDERLY_SAMPLE_SHARE))]] = True
        age = _ages(rng, sample, int(n_s), elderly)
        female_share = {"marriage_migrants": 0.85, "nk_defectors": 0.7}.get(sample, 0.51)
        sex = np.where(rng.random(n_s) < female_share, 2, 1)
        dis = np.zeros(n_s, dtype=np.int64)
        if sample == "disabled":
            dis = rng.choice([1, 2, 3, 4], size=n_s, p=[0.5, 0.1, 0.2, 0.2])
        # weights: stratum population / stratum sample size, with adjustment noise
        pop_h = np.array([s[2] for s in strata])
        pop_h = pop_h / pop_h.sum() * pop_m * 1e6
        n_h = np.bincount(h_of, minlength=len(strata))
        wt = pop_h[h_of] / n_h[h_of] * rng.lognormal(0.0, 0.25, n_s)
        if sample == "general":
            for h in range(len(strata)):
                inside = h_of == h
                total = wt[inside].sum()
                old = inside & elderly
                young = inside & ~elderly
                if old.any() and young.any():
                    wt[old] *= ELDERLY_POPULATION_SHARE * total / wt[old].sum()
                    wt[young] *= (1 - ELDERLY_POPULATION_SHARE) * total / wt[young].sum()
        parts.append(
            pd.DataFrame(
                {
                    "sample_type": code,
                    "sex": sex,
                    "age": age,
                    "region": provinces,
                    "area": area,
                    "dis_type": dis,
                    "stratum": np.array([strata[h][0] for h in h_of]) + code * 1000,
                    "psu": psu_of,
                    "wt": np.round(wt, 4),
                    "_group": np.where(elderly, "elderly", sample),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    total_n = len(frame)
    frame.insert(0, "resp_id", np.arange(1, total_n + 1) + year * 1_000_000)

    # latent propensities, calibrated per group so expected levels equal the published ones
    person = rng.normal(0.0, 1.0, total_n)
    psu_effect = rng.normal(0.0, 0.35, frame["psu"].max() + 1)[frame["psu"].to_numpy()]
    z_age = (frame["age"].to_numpy() - 45.0) / 15.0
    wt = frame["wt"].to_numpy()
    grp = frame["_group"].to_numpy()
    general = frame["sample_type"].to_numpy() == 1
    old = general & (grp == "elderly")
    share_old = wt[old].sum() / wt[general].sum()

    columns: dict[str, Any] = {}
    truth_rows = []
    for comp_name in COMPONENTS:
        comp = codebook.components[comp_name]
        m0 = GENERAL_MEANS[comp_name]
        target = {g: levels[g][comp_name] / 100.0 * m0 for g in levels if g != "vulnerable_avg"}
        target["general"] = (m0 - share_old * target["elderly"]) / (1 - share_old)
        eta = 1.1 * person + psu_effect + rng.normal(0.0, 0.6, total_n) + AGE_EFFECT[comp_name] * z_age
        n_items = len(comp.items)
        difficulty = np.linspace(-0.8, 0.8, n_items) if n_items > 1 else np.zeros(1)
        difficulty = difficulty[rng.permutation(n_items)]
        alpha = np.zeros(total_n)
        for g, goal in target.items():
            inside = grp == g
            if not inside.any():
                continue
            sub = np.flatnonzero(inside)
            if sub.size > 20_000:
                sub = rng.choice(sub, 20_000, replace=False)
            alpha[inside] = _calibrate(eta[sub], wt[sub], difficulty, goal / 100.0)
        base = alpha + eta
        for item, delta in zip(comp.items, difficulty, strict=True):
            ordered, k = _item_points_levels(item.points)
            p = expit(base + delta)
            draw = rng.binomial(k, p)
            codes = np.asarray(ordered)[draw]
            if comp.missing_codes:
                miss = rng.random(total_n) < MISSING_RATE
                codes = np.where(miss, min(comp.missing_codes), codes)
            columns[item.column] = codes.astype(np.int8)
        for g in levels:
            if g == "vulnerable_avg":
                continue
            truth_rows.append({"group": g, "component": comp_name, "level": levels[g][comp_name]})
    frame = frame.drop(columns="_group")
    frame = pd.concat([frame, pd.DataFrame(columns, index=frame.index)], axis=1)
    for col in ("sample_type", "sex", "area", "dis_type"):
        frame[col] = frame[col].astype(np.int8)
    for col in ("age", "region"):
        frame[col] = frame[col].astype(np.int16)
    frame["stratum"] = frame["stratum"].astype(np.int32)
    frame["psu"] = frame["psu"].astype(np.int32)

    rep_columns: tuple[str, ...] = ()
    if replicates > 0:
        design = SurveyDesign.from_arrays(
            frame["wt"].to_numpy(),
            frame["stratum"].to_numpy(),
            frame["psu"].to_numpy(),
            method="bootstrap",
            bootstrap_replicates=replicates,
            seed=seed,
        )
        factors, _ = replicate_factors(design)
        psu = design.psu
        weights = frame["wt"].to_numpy()
        rep_columns = tuple(f"rw_{r + 1}" for r in range(replicates))
        reps = {name: np.round(weights * factors[psu, r], 4) for r, name in enumerate(rep_columns)}
        frame = pd.concat([frame, pd.DataFrame(reps, index=frame.index)], axis=1)

    truth = pd.DataFrame(truth_rows)
    totals = (
        truth.assign(w=truth["component"].map(rule.weights), wl=lambda t: t["w"] * t["level"])
        .groupby("group", sort=False)["wl"]
        .sum()
        .reset_index()
        .rename(columns={"wl": "level"})
    )
    totals["component"] = "total"
    truth = pd.concat([truth, totals[["group", "component", "level"]]], ignore_index=True)
    try:
        pop = load_population(year, codebook.index_groups, population)
        avg = (
            truth[truth["group"].isin(pop.shares)]
            .assign(s=lambda t: t["group"].map(pop.shares) * t["level"])
            .groupby("component", sort=False)["s"]
            .sum()
            .reset_index()
            .rename(columns={"s": "level"})
        )
        avg["group"] = "vulnerable_avg"
        truth = pd.concat([avg[["group", "component", "level"]], truth], ignore_index=True)
    except Exception:  # noqa: BLE001 - the average's truth is optional (no population table for the year)
        pass
    pub = load_published("digital")
    pub = pub[pub["year"] == year][["group", "component", "value"]].rename(columns={"value": "published"})
    truth = truth.merge(pub, on=["group", "component"], how="left")
    return SynthResult(frame=frame, truth=truth, codebook=codebook, replicate_columns=rep_columns)


def _calibrate(eta: np.ndarray, weights: np.ndarray, difficulty: np.ndarray, goal: float) -> float:
    """The intercept a with weighted mean over respondents of mean_j expit(a + eta_i + d_j) = goal."""
    goal = min(max(goal, 1e-4), 1 - 1e-4)
    lo, hi = logit(goal) - 15.0, logit(goal) + 15.0
    wsum = weights.sum()
    for _ in range(60):
        mid = 0.5 * (lo + hi)
        value = (weights @ expit(mid + eta[:, None] + difficulty[None, :]).mean(axis=1)) / wsum
        if value < goal:
            lo = mid
        else:
            hi = mid
    return 0.5 * (lo + hi)


def value_labels(codebook: Codebook) -> tuple[dict[str, dict[int, str]], dict[str, str]]:
    """Value labels and column labels for .sav/.dta output."""
    values: dict[str, dict[int, str]] = {}
    labels: dict[str, str] = {}
    for var in codebook.variables.values():
        labels[var.column] = var.label
        if var.codes:
            values[var.column] = {int(k): v for k, v in var.codes.items()}
    for comp in codebook.components.values():
        for item in comp.items:
            labels[item.column] = item.label
    labels[codebook.respondent_id] = "Respondent id"
    labels[codebook.design.weight] = "Final weight"
    if codebook.design.strata:
        labels[codebook.design.strata] = "Sampling stratum"
    if codebook.design.psu:
        labels[codebook.design.psu] = "Primary sampling unit"
    return values, labels
