"""The Digital Information Gap Index from survey microdata, with design-based uncertainty.

For group g and component k (access, competency, utilization)::

    m_gk = sum_{i in g} w_i s_ik / sum_{i in g} w_i          (respondents with a score on k)
    L_gk = 100 x m_gk / m_0k                                  (0 = the general public, 55+ included)
    T_g  = sum_k a_k L_gk                                     (a = 0.2, 0.4, 0.4 from 2017)
    V_k  = sum_g p_g L_gk,  V_T = sum_g p_g T_g               (four-group average, p_g ~ population)

Every quantity is a smooth function of weighted totals, so one function of the totals gives all
of them, and its variance comes from the design: per replicate the whole pipeline (means,
ratios, weighted sum, average) is recomputed from that replicate's totals, or the function is
linearised (Taylor). The elderly are part of the general public, so their numerator and the
denominator share respondents; computing both from the same replicate keeps that covariance.

Domain tables (sex, age band, region, ...) give, for each group within each domain level, the
level relative to the *whole* general public (= 100), estimated on the full design.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse

from gap_survey.codebook import Codebook, Domain
from gap_survey.design import SurveyDesign, estimate_function
from gap_survey.errors import SurveyUsageError
from gap_survey.estimate import add_intervals
from gap_survey.published import load_published
from gap_survey.readers import file_columns, read_survey
from gap_survey.rules import load_population, load_rules, rule_for_year
from gap_survey.scoring import score_components
from gap_survey.validate import ValidationFailed, group_mask, validate_frame

AVERAGE = "vulnerable_avg"
TOTAL = "total"
METHOD_TEXT = (
    "level = 100 x weighted mean score of the group / weighted mean score of the general public "
    "(general public = 100, its 55+ respondents included); total = weighted sum of the component levels "
    "with the year's rule; four-group average = population-weighted mean of the index groups' levels. "
    "SEs recompute the whole pipeline per replicate (or linearise it), on the full design."
)

Progress = Callable[[str], None]


@dataclass
class IndexResult:
    year: int
    levels: pd.DataFrame
    scores: pd.DataFrame
    domains: pd.DataFrame
    meta: dict[str, Any] = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        meta_rows = [{"key": k, "value": _flat(v)} for k, v in _flatten(self.meta).items()]
        return {
            "levels": self.levels,
            "scores": self.scores,
            "domains": self.domains,
            "meta": pd.DataFrame(meta_rows),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "meta": self.meta,
            "levels": _records(self.levels),
            "scores": _records(self.scores),
            "domains": _records(self.domains),
        }


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [
        {k: (None if isinstance(v, float) and not np.isfinite(v) else v) for k, v in row.items()}
        for row in table.to_dict(orient="records")
    ]


def _flatten(value: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    return {prefix: value}


def _flat(value: Any) -> str:
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return "" if value is None else str(value)


# -- patterns, cells and the function of the totals -----------------------------------------


def group_patterns(gmask: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pattern code of every respondent (-1 = in no group) and the (Q x G) membership of each pattern."""
    g = gmask.shape[1]
    bits = gmask.astype(np.int64) @ (np.int64(1) << np.arange(g, dtype=np.int64))
    if g <= 20:
        present = np.flatnonzero(np.bincount(bits, minlength=1 << g))
        lookup = np.full(1 << g, -1, dtype=np.int64)
        lookup[present] = np.arange(present.size)
        pattern = lookup[bits]
    else:
        present, pattern = np.unique(bits, return_inverse=True)
    membership = ((present[:, None] >> np.arange(g)) & 1).astype(bool)
    empty = ~membership.any(axis=1)
    if empty.any():  # respondents in no group: leave them out of every total
        keep = np.flatnonzero(~empty)
        remap = np.full(present.size, -1, dtype=np.int64)
        remap[keep] = np.arange(keep.size)
        pattern = remap[pattern]
        membership = membership[keep]
    return pattern.astype(np.int64), membership


def score_values(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Value columns [scores (0 when missing), denominators] and the denominator column of each
    component: one shared column of ones when every respondent has every score."""
    observed = ~np.isnan(scores)
    k = scores.shape[1]
    columns = [np.where(observed, scores, 0.0)]
    den_cols = np.empty(k, dtype=np.int64)
    shared = None
    for j in range(k):
        if observed[:, j].all():
            if shared is None:
                shared = k + sum(c.shape[1] for c in columns[1:])
                columns.append(np.ones((scores.shape[0], 1)))
            den_cols[j] = shared
        else:
            den_cols[j] = k + sum(c.shape[1] for c in columns[1:])
            columns.append(observed[:, j : j + 1].astype(np.float64))
    return np.hstack(columns), den_cols, observed


def index_function(
    cells: np.ndarray,
    v: int,
    k: int,
    den_cols: np.ndarray,
    weights: np.ndarray,
    avg_cells: list[int],
    shares: np.ndarray,
):
    """f(theta) -> [means (C*K), levels (C*K), totals (C), average levels (K), average total (1)].

    ``cells`` (C x Q) says which patterns make up each cell; cell 0 is the reference group.
    """
    c, q = cells.shape
    a = sparse.csr_matrix(cells.astype(np.float64))  # each pattern feeds only a few cells

    def f(theta: np.ndarray) -> np.ndarray:
        lead = theta.shape[:-1]
        by_pattern = np.moveaxis(theta.reshape(*lead, q, v), -2, 0).reshape(q, -1)
        t = np.moveaxis(np.asarray(a @ by_pattern).reshape(c, *lead, v), 0, -2)
        with np.errstate(divide="ignore", invalid="ignore"):  # empty cells give NaN, reported as such
            means = t[..., :k] / t[..., den_cols]
            levels = 100.0 * means / means[..., :1, :]
        # einsum, not matmul: many tiny products, where a threaded BLAS only adds overhead
        totals = np.einsum("...ck,k->...c", levels, weights)
        parts = [means.reshape(*lead, c * k), levels.reshape(*lead, c * k), totals]
        if avg_cells:
            parts.append(np.einsum("...gk,g->...k", levels[..., avg_cells, :], shares))
            parts.append(np.einsum("...g,g->...", totals[..., avg_cells], shares)[..., None])
        return np.concatenate(parts, axis=-1)

    return f


def _cell_counts(cells: np.ndarray, pattern: np.ndarray, q: int, observed: np.ndarray) -> np.ndarray:
    """(C x K+1) unweighted n: respondents with a score on each component, then all respondents."""
    keep = pattern >= 0
    per = [
        np.bincount(pattern[keep], weights=observed[keep, j], minlength=q) for j in range(observed.shape[1])
    ]
    per.append(np.bincount(pattern[keep], minlength=q).astype(np.float64))
    return np.rint(cells.astype(np.float64) @ np.column_stack(per)).astype(np.int64)


def _srs_variances(cells, pattern, q, scores, weights) -> np.ndarray:
    """(C x K) variance of each cell's mean score under simple random sampling of the same size:
    S_w^2 / n, with S_w^2 the weighted variance of the scores (times n/(n-1)). The design effect
    (Kish) of a mean is its design variance divided by this."""
    keep = pattern >= 0
    a = cells.astype(np.float64)
    out = np.empty((cells.shape[0], scores.shape[1]))
    for j in range(scores.shape[1]):
        s = scores[:, j]
        ok = keep & ~np.isnan(s)
        p, w, sv = pattern[ok], weights[ok], s[ok]
        sums = a @ np.column_stack(
            [
                np.bincount(p, weights=w, minlength=q),
                np.bincount(p, weights=w * sv, minlength=q),
                np.bincount(p, weights=w * sv * sv, minlength=q),
                np.bincount(p, minlength=q).astype(np.float64),
            ]
        )
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = sums[:, 1] / sums[:, 0]
            n = sums[:, 3]
            out[:, j] = (sums[:, 2] / sums[:, 0] - mean**2) * n / (n - 1) / n
    return out


# -- domains -----------------------------------------------------------------------------------


def domain_levels(
    frame: pd.DataFrame, codebook: Codebook, domain: Domain
) -> tuple[np.ndarray, list[tuple[Any, str]]]:
    """Level code of every respondent (-1 = outside every level) and the (code, label) of each level."""
    var = codebook.variables[domain.variable]
    values = pd.to_numeric(frame[var.column], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
    codes = np.full(values.shape[0], -1, dtype=np.int64)
    levels: list[tuple[Any, str]] = []
    if domain.breaks is not None:
        edges = list(domain.breaks)
        for i, lo in enumerate(edges):
            hi = edges[i + 1] if i + 1 < len(edges) else None
            with np.errstate(invalid="ignore"):
                inside = (values >= lo) & ((values < hi) if hi is not None else True)
            codes[inside] = i
            label = (
                f"{lo:g}-{hi - 1:g}"
                if hi is not None and float(hi - 1).is_integer()
                else (f"{lo:g}-{hi:g}" if hi is not None else f"{lo:g}+")
            )
            levels.append((label, label))
        return codes, levels
    for code, label in sorted((var.codes or {}).items()):
        if code in domain.exclude:
            continue
        codes[values == code] = len(levels)
        levels.append((code, label))
    return codes, levels


# -- the computation ---------------------------------------------------------------------------


def compute_index(
    frame: pd.DataFrame,
    codebook: Codebook,
    year: int,
    *,
    variance: str | None = None,
    replicates: int = 200,
    seed: int = 1,
    domains: Sequence[str] | None = None,
    population: str | Path | None = None,
    rules: str | Path | None = None,
    level: float = 0.95,
    validate: bool = True,
    file: str = "<data>",
    progress: Progress | None = None,
) -> IndexResult:
    """The index for ``year`` with SE, CI, CV and n for every cell.

    ``variance``: ``jackknife`` (by PSU within strata), ``bootstrap`` (Rao-Wu, ``replicates``
    draws, ``seed``), ``taylor``, or ``replicate`` (the file's replicate weights); by default the
    file's replicate weights when the codebook declares them, else the jackknife.
    ``domains``: names of codebook domains to break down (None = every domain of the codebook).
    """
    say = progress or (lambda message: None)
    if not 0 < level < 1:
        raise SurveyUsageError(
            f"Confidence level {level} is not between 0 and 1.", hint="Use e.g. --level 0.95."
        )
    selected = list(codebook.domains) if domains is None else list(domains)
    for name in selected:
        if name not in codebook.domains:
            raise SurveyUsageError(
                f"Unknown domain {name!r}.",
                hint=f"The codebook declares: {', '.join(codebook.domains) or 'none'}.",
            )
    rule = rule_for_year(year, load_rules(rules))
    index_groups = codebook.index_groups
    pop = load_population(year, index_groups, population)

    if validate:
        say("validating")
        report = validate_frame(frame, codebook, file=file)
        if not report.ok:
            raise ValidationFailed(report)

    say("scoring items")
    scores = score_components(frame, codebook)
    components = list(scores.names)
    missing_weights = [k for k in components if k not in rule.weights]
    if missing_weights or set(rule.weights) - set(components):
        raise SurveyUsageError(
            f"Rule {rule.id} weights components {', '.join(rule.weights)} but the codebook has {', '.join(components)}.",
            hint="Make the component names of the codebook and the rules file agree.",
        )
    a = np.array([rule.weights[k] for k in components])
    k = len(components)

    design = SurveyDesign.from_frame(
        frame, codebook, method=variance, bootstrap_replicates=replicates, seed=seed
    )
    reference = codebook.reference_group
    order = [reference] + [g for g in codebook.groups if g != reference]
    gmask = np.column_stack([group_mask(frame, codebook, g) for g in order])
    pattern, membership = group_patterns(gmask)
    q = membership.shape[0]
    values, den_cols, observed = score_values(scores.values)
    v = values.shape[1]

    # Pass 1: every group and the four-group average.
    say(f"estimating levels ({design.method}, {design.n_replicates or 'linearised'} replicates)")
    cells = membership.T  # (C x Q): cell c = group order[c]
    avg_cells = [order.index(g) for g in index_groups]
    shares = np.array([pop.shares[g] for g in index_groups])
    f = index_function(cells, v, k, den_cols, a, avg_cells, shares)
    fe = estimate_function(design, pattern, q, values, f)
    counts = _cell_counts(cells, pattern, q, observed)
    srs = _srs_variances(cells, pattern, q, scores.values, design.weights)
    levels, score_table = _base_tables(
        year, codebook, order, components, counts, fe.estimate, fe.se, avg_cells, gmask, srs
    )

    # Domain passes: the reference group overall, then every group within every level.
    domain_tables = []
    empty_cells = 0
    for name in selected:
        say(f"estimating domain {name}")
        dcodes, dlevels = domain_levels(frame, codebook, codebook.domains[name])
        if not dlevels:
            continue
        nl = len(dlevels)
        dpattern = np.where(pattern >= 0, pattern * (nl + 1) + dcodes + 1, -1)
        qd = q * (nl + 1)
        slot = np.arange(qd) % (nl + 1)  # 0 = outside every level
        base = np.arange(qd) // (nl + 1)
        dcells = [membership[base, 0]]
        names = [(reference, None)]
        for gi, g in enumerate(order):
            for lv in range(nl):
                dcells.append(membership[base, gi] & (slot == lv + 1))
                names.append((g, lv))
        dcells = np.array(dcells)
        fd = estimate_function(
            design, dpattern, qd, values, index_function(dcells, v, k, den_cols, a, [], np.array([]))
        )
        dcounts = _cell_counts(dcells, dpattern, qd, observed)
        table, empty = _domain_table(name, dlevels, names, dcounts, components, fd.estimate, fd.se)
        empty_cells += empty
        domain_tables.append(table)

    domains_table = (
        pd.concat(domain_tables, ignore_index=True)
        if domain_tables
        else pd.DataFrame(columns=_DOMAIN_COLUMNS)
    )
    levels = add_intervals(levels, fe.df, level)
    score_table = add_intervals(score_table, fe.df, level)
    if len(domains_table):
        domains_table = add_intervals(domains_table, fe.df, level)
    levels = _with_published(levels, year)
    levels = levels[_LEVEL_COLUMNS]
    score_table = score_table[_SCORE_COLUMNS]
    domains_table = domains_table.reindex(columns=_DOMAIN_COLUMNS)

    warnings = []
    if not rule.reproducible:
        warnings.append(f"{year}: {rule.note}")
    if "assumed" in pop.basis:
        warnings.append(
            "The four-group average uses assumed population shares (back-solved from published averages), "
            "not NIA's population sizes; pass --population with the real sizes."
        )
    for comp, count in scores.unscored.items():
        if count:
            warnings.append(
                f"{count:,} respondent(s) answered no {comp} item and are left out of the {comp} means."
            )
    nan_se = int(np.isnan(fe.se).sum())
    if nan_se:
        warnings.append(f"{nan_se} standard error(s) could not be computed (a replicate left a group empty).")
    if empty_cells:
        warnings.append(f"{empty_cells} domain cell(s) without respondents are not listed.")

    meta = {
        "year": year,
        "method": METHOD_TEXT,
        "rule": {
            "id": rule.id,
            "weights": rule.weights,
            "reproducible": rule.reproducible,
            "note": rule.note,
            "rules_version": rule.rules_version,
            "source": rule.source,
        },
        "population": {"source": pop.source, "basis": pop.basis, "shares": pop.shares},
        "design": {**design.describe(), "df": fe.df},
        "confidence_level": level,
        "codebook": {"source": codebook.source, "version": codebook.version, "sha256": codebook.sha256},
        "input": {"file": file, "respondents": len(frame)},
        "respondents_per_group": {g: int(gmask[:, i].sum()) for i, g in enumerate(order)},
        "unscored": scores.unscored,
        "domains": selected,
        "warnings": warnings,
    }
    say("done")
    return IndexResult(
        year=year,
        levels=levels.reset_index(drop=True),
        scores=score_table.reset_index(drop=True),
        domains=domains_table.reset_index(drop=True),
        meta=meta,
    )


_LEVEL_COLUMNS = [
    "year",
    "group",
    "label",
    "role",
    "component",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "cv",
    "n",
    "published",
    "difference",
]
_SCORE_COLUMNS = [
    "year",
    "group",
    "label",
    "role",
    "component",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "cv",
    "n",
    "deff",
]
_DOMAIN_COLUMNS = [
    "domain",
    "level",
    "level_label",
    "group",
    "component",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "cv",
    "n",
    "score",
    "score_se",
]


def _base_tables(year, codebook, order, components, counts, est, se, avg_cells, gmask, srs):
    c, k = len(order), len(components)
    means, means_se = est[: c * k].reshape(c, k), se[: c * k].reshape(c, k)
    lv, lv_se = est[c * k : 2 * c * k].reshape(c, k), se[c * k : 2 * c * k].reshape(c, k).copy()
    tot, tot_se = est[2 * c * k : 2 * c * k + c], se[2 * c * k : 2 * c * k + c].copy()
    rows, score_rows = [], []
    display = [g for g in order if codebook.groups[g].role == "index"]
    display += [g for g in order if codebook.groups[g].role == "reference"]
    display += [g for g in order if codebook.groups[g].role == "surveyed"]
    if avg_cells:
        avg = est[2 * c * k + c :]
        avg_se = se[2 * c * k + c :]
        union = gmask[:, avg_cells].any(axis=1)
        n_union = int(union.sum())
        for j, comp in enumerate(components):
            rows.append(
                _row(year, AVERAGE, "Four-group average", "average", comp, avg[j], avg_se[j], n_union)
            )
        rows.append(_row(year, AVERAGE, "Four-group average", "average", TOTAL, avg[k], avg_se[k], n_union))
    for g in display:
        i = order.index(g)
        grp = codebook.groups[g]
        if grp.role == "reference":  # 100 by definition, in every replicate
            lv_se[i, :], tot_se[i] = 0.0, 0.0
        for j, comp in enumerate(components):
            rows.append(_row(year, g, grp.label, grp.role, comp, lv[i, j], lv_se[i, j], counts[i, j]))
            score = _row(year, g, grp.label, grp.role, comp, means[i, j], means_se[i, j], counts[i, j])
            with np.errstate(divide="ignore", invalid="ignore"):
                score["deff"] = float(means_se[i, j] ** 2 / srs[i, j])
            score_rows.append(score)
        rows.append(_row(year, g, grp.label, grp.role, TOTAL, tot[i], tot_se[i], counts[i, k]))
    return pd.DataFrame(rows), pd.DataFrame(score_rows)


def _row(year, group, label, role, component, estimate, se, n):
    return {
        "year": year,
        "group": group,
        "label": label,
        "role": role,
        "component": component,
        "estimate": float(estimate),
        "se": float(se),
        "n": int(n),
    }


def _domain_table(name, dlevels, names, counts, components, est, se):
    cd, k = len(names), len(components)
    means, means_se = est[: cd * k].reshape(cd, k), se[: cd * k].reshape(cd, k)
    lv, lv_se = est[cd * k : 2 * cd * k].reshape(cd, k), se[cd * k : 2 * cd * k].reshape(cd, k)
    tot, tot_se = est[2 * cd * k :], se[2 * cd * k :]
    rows, empty = [], 0
    for i, (group, lvl) in enumerate(names):
        if i == 0:
            continue  # the overall reference group, already in the levels table
        if counts[i, k] == 0:
            empty += 1
            continue
        code, label = dlevels[lvl]
        for j, comp in enumerate(components):
            rows.append(
                {
                    "domain": name,
                    "level": code,
                    "level_label": label,
                    "group": group,
                    "component": comp,
                    "estimate": float(lv[i, j]),
                    "se": float(lv_se[i, j]),
                    "n": int(counts[i, j]),
                    "score": float(means[i, j]),
                    "score_se": float(means_se[i, j]),
                }
            )
        rows.append(
            {
                "domain": name,
                "level": code,
                "level_label": label,
                "group": group,
                "component": TOTAL,
                "estimate": float(tot[i]),
                "se": float(tot_se[i]),
                "n": int(counts[i, k]),
                "score": np.nan,
                "score_se": np.nan,
            }
        )
    return pd.DataFrame(rows), empty


def _with_published(levels: pd.DataFrame, year: int) -> pd.DataFrame:
    pub = load_published("digital")
    pub = pub[pub["year"] == year][["group", "component", "value"]].rename(columns={"value": "published"})
    out = levels.merge(pub, on=["group", "component"], how="left")
    out["difference"] = out["estimate"] - out["published"]
    return out


# -- from a file -------------------------------------------------------------------------------


def _sha256_in_background(path: Path) -> tuple[threading.Thread, dict[str, str]]:
    """Hash the input while it is being read and processed (hashlib releases the GIL)."""
    box: dict[str, str] = {}

    def run() -> None:
        digest = hashlib.sha256()
        with path.open("rb") as fh:
            while chunk := fh.read(8 << 20):
                digest.update(chunk)
        box["sha256"] = digest.hexdigest()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, box


def compute_index_from_file(
    path: str | Path, codebook: Codebook, year: int, *, progress: Progress | None = None, **options: Any
) -> IndexResult:
    """Read only the columns the codebook needs, validate, and compute the index."""
    path = Path(path)
    say = progress or (lambda message: None)
    columns = file_columns(path)
    wanted = [c for c in codebook.columns(columns) if c in set(columns)]
    thread, box = _sha256_in_background(path)
    say(f"reading {path.name}")
    frame = read_survey(path, wanted)
    # Missing columns are reported by validation, which sees the frame without them.
    result = compute_index(frame, codebook, year, file=str(path), progress=progress, **options)
    thread.join()
    result.meta["input"]["sha256"] = box.get("sha256", "")
    result.meta["input"]["format"] = path.suffix.lstrip(".").lower()
    return result


def validate_file(path: str | Path, codebook: Codebook, *, max_listed: int = 10_000):
    """Validation report of a survey file (reads only the codebook's columns)."""
    path = Path(path)
    columns = file_columns(path)
    wanted = [c for c in codebook.columns(columns) if c in set(columns)]
    frame = read_survey(path, wanted)
    report = validate_frame(frame, codebook, file=str(path), max_listed=max_listed)
    report.n_columns = len(columns)
    return report
