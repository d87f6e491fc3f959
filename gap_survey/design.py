"""The survey design (weights, strata, PSUs, replicate weights) and design-based variances.

One :class:`SurveyDesign` holds every design fact, as R's ``svydesign``/``svrepdesign`` does.
Estimates are smooth functions ``f(theta)`` of weighted totals. The totals are laid out by
*pattern*: every respondent has a pattern code (which groups and which domain level it belongs
to; -1 = none) and a few values ``v`` (component scores, indicators); ``theta[q, j]`` is
``sum_{i in pattern q} w_i v_ij``. A domain is a set of patterns, so a domain estimate keeps every
stratum and PSU of the design; the frame is never filtered.

Variance methods:

* ``jackknife``: delete one PSU within its stratum, reweight the stratum's other PSUs by
  n_h/(n_h-1); Var = sum_p (n_h-1)/n_h (f_(p) - f)^2 (JKn, centred on the full-sample estimate).
* ``bootstrap``: Rao-Wu rescaling bootstrap, n_h - 1 PSUs drawn with replacement per stratum;
  Var = 1/R sum_r (f_r - f)^2.
* ``replicate``: replicate weights shipped in the file (bootstrap, JK1, JKn, BRR, Fay, SDR or any
  scale/rscales), Var = sum_r scale x rscale_r (f_r - centre)^2.
* ``taylor``: linearisation with the with-replacement approximation: the covariance of the
  totals is sum_h n_h/(n_h-1) sum_p (P_p - mean_h)(P_p - mean_h)' over PSU totals P_p, and
  Var f = g' V g with g the exact gradient of f (complex-step differentiation).

Every replicate method recomputes the whole nonlinear ``f`` from each replicate's totals.
Weights are final survey weights (design x adjustments), not frequency weights; no finite
population correction is applied.

Large files: PSU totals are computed once (sparse, per PSU and pattern); generated replicates
are derived from them block by block (never an n x R matrix); replicate weights from the file
enter one matrix product per pattern and block of rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

from gap_survey.codebook import Codebook, ReplicateSpec
from gap_survey.errors import SurveyError, SurveyUsageError

METHODS = ("jackknife", "bootstrap", "taylor", "replicate")
ROW_BLOCK = 16_384
REPLICATE_BLOCK = 2_048

Function = Callable[[np.ndarray], np.ndarray]


@dataclass(frozen=True)
class FunctionEstimate:
    estimate: np.ndarray  # (O,)
    se: np.ndarray  # (O,)
    df: int
    replicate_estimates: np.ndarray | None = None  # (R, O) when asked for


def _codes(values) -> np.ndarray:
    return pd.factorize(pd.Series(np.asarray(values)), sort=True)[0].astype(np.int64)


def _nested_psu_codes(stratum: np.ndarray, psu) -> tuple[np.ndarray, np.ndarray]:
    """PSU codes 0..P-1 for (stratum, PSU label) pairs, and the stratum of each PSU."""
    label = _codes(psu)
    key = stratum * (int(label.max()) + 1 if label.size else 1) + label
    uniq, codes = np.unique(key, return_inverse=True)
    psu_stratum = uniq // (int(label.max()) + 1 if label.size else 1)
    return codes.astype(np.int64), psu_stratum.astype(np.int64)


@dataclass(frozen=True)
class SurveyDesign:
    weights: np.ndarray
    stratum: np.ndarray  # (n,) codes 0..H-1
    psu: np.ndarray  # (n,) codes 0..P-1, PSUs nested within strata
    psu_stratum: np.ndarray  # (P,) stratum code of each PSU
    method: str = "jackknife"
    lonely_psu: str = "fail"
    replicate_weights: tuple[np.ndarray, ...] = ()
    replicate: ReplicateSpec | None = None
    bootstrap_replicates: int = 200
    seed: int = 1

    # -- construction -------------------------------------------------------------------------
    @classmethod
    def from_arrays(
        cls,
        weights,
        strata=None,
        psu=None,
        *,
        method: str = "jackknife",
        replicate_weights=None,
        replicate: ReplicateSpec | None = None,
        lonely_psu: str = "fail",
        bootstrap_replicates: int = 200,
        seed: int = 1,
    ) -> SurveyDesign:
        """A design from plain arrays. Without ``psu`` each respondent is its own PSU; without
        ``strata`` there is one stratum. PSU labels are nested within strata (the same label in
        two strata is two PSUs)."""
        w = np.asarray(weights, dtype=np.float64)
        n = w.shape[0]
        stratum = _codes(strata) if strata is not None else np.zeros(n, dtype=np.int64)
        if psu is None:
            psu_codes = np.arange(n, dtype=np.int64)
            order = np.argsort(stratum, kind="stable")
            psu_codes[order] = np.arange(n)
            psu_stratum = stratum[order]
        else:
            psu_codes, psu_stratum = _nested_psu_codes(stratum, psu)
        reps: tuple[np.ndarray, ...] = ()
        if replicate_weights is not None:
            arr = replicate_weights
            if isinstance(arr, np.ndarray) and arr.ndim == 2:
                reps = tuple(np.ascontiguousarray(arr[:, r], dtype=np.float64) for r in range(arr.shape[1]))
            else:
                reps = tuple(np.ascontiguousarray(col, dtype=np.float64) for col in arr)
        if method not in METHODS:
            raise SurveyUsageError(
                f"Unknown variance method {method!r}.", hint=f"Use one of: {', '.join(METHODS)}."
            )
        if method == "replicate" and not reps:
            raise SurveyUsageError(
                "Variance method 'replicate' needs replicate weights in the file.",
                hint="Declare them under design.replicate_weights in the codebook, or use --variance jackknife|bootstrap|taylor.",
            )
        if method == "replicate" and replicate is None:
            replicate = ReplicateSpec(type="bootstrap")
        if method == "bootstrap" and bootstrap_replicates < 2:
            raise SurveyUsageError(
                "The bootstrap needs at least 2 replicates.", hint="Use --replicates 200 or more."
            )
        return cls(
            weights=w,
            stratum=stratum,
            psu=psu_codes,
            psu_stratum=psu_stratum,
            method=method,
            lonely_psu=lonely_psu,
            replicate_weights=reps,
            replicate=replicate,
            bootstrap_replicates=int(bootstrap_replicates),
            seed=int(seed),
        )

    @classmethod
    def from_frame(
        cls,
        frame: pd.DataFrame,
        codebook: Codebook,
        *,
        method: str | None = None,
        bootstrap_replicates: int = 200,
        seed: int = 1,
    ) -> SurveyDesign:
        """The design the codebook describes. ``method`` defaults to the file's replicate weights
        when the codebook declares them, otherwise to the jackknife by PSU within strata."""
        d = codebook.design
        rep_columns = codebook.replicate_columns(list(frame.columns))
        if method is None:
            method = "replicate" if rep_columns else "jackknife"
        reps = [frame[c].to_numpy(dtype=np.float64) for c in rep_columns] if method == "replicate" else None
        return cls.from_arrays(
            frame[d.weight].to_numpy(dtype=np.float64),
            frame[d.strata].to_numpy() if d.strata else None,
            frame[d.psu].to_numpy() if d.psu else None,
            method=method,
            replicate_weights=reps,
            replicate=d.replicate,
            lonely_psu=d.lonely_psu,
            bootstrap_replicates=bootstrap_replicates,
            seed=seed,
        )

    # -- facts --------------------------------------------------------------------------------
    @property
    def n(self) -> int:
        return int(self.weights.shape[0])

    @property
    def n_psu(self) -> int:
        return int(self.psu_stratum.shape[0])

    @property
    def psu_per_stratum(self) -> np.ndarray:
        return np.bincount(self.psu_stratum)

    @property
    def n_strata(self) -> int:
        return int(self.psu_per_stratum.shape[0])

    @property
    def lonely_strata(self) -> np.ndarray:
        return np.flatnonzero(self.psu_per_stratum < 2)

    @property
    def design_df(self) -> int:
        """PSUs minus strata (strata with a single PSU contribute nothing)."""
        sizes = self.psu_per_stratum
        return int(sizes[sizes >= 2].sum() - (sizes >= 2).sum())

    @property
    def n_replicates(self) -> int:
        if self.method == "replicate":
            return len(self.replicate_weights)
        if self.method == "bootstrap":
            return self.bootstrap_replicates
        if self.method == "jackknife":
            sizes = self.psu_per_stratum
            return int(sizes[sizes >= 2].sum())
        return 0

    @property
    def df(self) -> int:
        if self.method == "replicate":
            spec = self.replicate or ReplicateSpec(type="bootstrap")
            return int(spec.df) if spec.df is not None else len(self.replicate_weights) - 1
        return self.design_df

    def describe(self) -> dict:
        out = {
            "variance_method": self.method,
            "respondents": self.n,
            "strata": self.n_strata,
            "psus": self.n_psu,
            "lonely_psu": self.lonely_psu,
            "strata_with_one_psu": int(self.lonely_strata.size),
            "replicates": self.n_replicates,
            "df": self.df,
        }
        if self.method == "jackknife":
            out["jackknife"] = "JKn: one PSU deleted per replicate, its stratum reweighted by n_h/(n_h-1)"
        if self.method == "bootstrap":
            out["bootstrap"] = "Rao-Wu rescaling bootstrap, n_h - 1 PSUs drawn per stratum"
            out["seed"] = self.seed
        if self.method == "replicate" and self.replicate is not None:
            out["replicate_type"] = self.replicate.type
            out["replicate_center"] = self.replicate.center
        if self.method == "taylor":
            out["taylor"] = "linearisation, with-replacement PSU variance within strata, no fpc"
        return out

    def _check_lonely(self) -> None:
        if self.lonely_strata.size and self.lonely_psu == "fail" and self.method != "replicate":
            raise SurveyError(
                f"{self.lonely_strata.size} stratum/strata have a single PSU, so the {self.method} variance is undefined.",
                hint="Merge such strata with a neighbour, or set design.lonely_psu: certainty in the codebook "
                "(a single-PSU stratum then adds no variance).",
            )

    # -- totals -------------------------------------------------------------------------------
    def psu_totals(self, pattern: np.ndarray, q: int, values: np.ndarray) -> sparse.csr_matrix:
        """(P x q*v) sparse totals of every PSU, pattern-major columns."""
        v = values.shape[1]
        keep = pattern >= 0
        key = self.psu[keep] * q + pattern[keep]
        uniq, inverse = np.unique(key, return_inverse=True)
        wv = values[keep] * self.weights[keep, None]
        rows = np.repeat(uniq // q, v)
        cols = (np.repeat(uniq % q, v) * v + np.tile(np.arange(v), uniq.size)).astype(np.int64)
        data = np.empty((uniq.size, v))
        for j in range(v):
            data[:, j] = np.bincount(inverse, weights=wv[:, j], minlength=uniq.size)
        return sparse.csr_matrix((data.reshape(-1), (rows, cols)), shape=(self.n_psu, q * v))

    def _stratum_totals(self, totals: sparse.csr_matrix) -> np.ndarray:
        index = sparse.csr_matrix(
            (np.ones(self.n_psu), (self.psu_stratum, np.arange(self.n_psu))),
            shape=(self.n_strata, self.n_psu),
        )
        return np.asarray((index @ totals).todense())

    def replicate_totals_file(
        self, pattern: np.ndarray, q: int, values: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """Full-sample totals (q*v,) and (R x q*v) totals under each replicate weight of the file.

        Rows are read in file order, a block at a time: the block's weights (full sample first,
        then every replicate) are copied from contiguous slices, and one matrix product against
        the block's values, spread over only the patterns present in the block, gives all totals.
        Files sorted by sample have one or two patterns per block, so the product stays small.
        """
        r = len(self.replicate_weights)
        v = values.shape[1]
        out = np.zeros((r + 1, q, v))
        weights = (self.weights, *self.replicate_weights)
        block = np.empty((r + 1, ROW_BLOCK))
        for a in range(0, self.n, ROW_BLOCK):
            b = min(self.n, a + ROW_BLOCK)
            m = b - a
            codes = pattern[a:b]
            present = np.flatnonzero(np.bincount(codes[codes >= 0], minlength=q))
            if present.size == 0:
                continue
            for k, col in enumerate(weights):
                block[k, :m] = col[a:b]
            local = np.full(q, -1, dtype=np.int64)
            local[present] = np.arange(present.size)
            slot = local[np.where(codes >= 0, codes, 0)]
            spread = np.zeros((m, present.size, v))
            rows = np.flatnonzero(codes >= 0)
            spread[rows, slot[rows], :] = values[a:b][rows]
            out[:, present, :] += (block[:, :m] @ spread.reshape(m, -1)).reshape(r + 1, present.size, v)
        return out[0].reshape(-1), out[1:].reshape(r, q * v)


def replicate_coefficients(spec: ReplicateSpec, r: int) -> np.ndarray:
    """Per-replicate variance multipliers scale x rscale_r, with the usual scale of each type."""
    default_scale = {
        "bootstrap": 1.0 / r,
        "jk1": (r - 1.0) / r,
        "brr": 1.0 / r,
        "fay": 1.0 / (r * (1.0 - spec.fay_rho) ** 2),
        "sdr": 4.0 / r,
        "jkn": 1.0,
        "other": 1.0,
    }[spec.type]
    scale = spec.scale if spec.scale is not None else default_scale
    rscales = np.asarray(spec.rscales, dtype=np.float64) if spec.rscales is not None else np.ones(r)
    if rscales.shape[0] != r:
        raise SurveyError(
            f"The codebook gives {rscales.shape[0]} rscales for {r} replicate weights.",
            hint="Give one rscale per replicate-weight column.",
        )
    return scale * rscales


_BOOTSTRAP_CACHE: dict[tuple, np.ndarray] = {}


def bootstrap_factors(design: SurveyDesign) -> np.ndarray:
    """(P x R) Rao-Wu weight factors: in every stratum, n_h - 1 of its n_h PSUs are drawn with
    replacement and a PSU drawn m times gets factor m n_h / (n_h - 1); single-PSU strata keep 1."""
    layout = hashlib.blake2b(design.psu_stratum.tobytes(), digest_size=16).hexdigest()
    key = (layout, design.bootstrap_replicates, design.seed)
    cached = _BOOTSTRAP_CACHE.get(key)
    if cached is not None:
        return cached
    rng = np.random.default_rng(design.seed)
    sizes = design.psu_per_stratum
    order = np.argsort(design.psu_stratum, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    r = design.bootstrap_replicates
    factors = np.ones((design.n_psu, r))
    for h in range(design.n_strata):
        n_h = int(sizes[h])
        if n_h < 2:
            continue
        draws = rng.multinomial(n_h - 1, np.full(n_h, 1.0 / n_h), size=r).astype(np.float64)
        factors[order[bounds[h] : bounds[h + 1]]] = draws.T * (n_h / (n_h - 1.0))
    _BOOTSTRAP_CACHE.clear()  # one design at a time: the table can be large
    _BOOTSTRAP_CACHE[key] = factors
    return factors


def replicate_factors(design: SurveyDesign) -> tuple[np.ndarray, np.ndarray]:
    """(P x R) weight factors per PSU and the R variance coefficients of generated replicates
    (for materialising replicate weights: small files, tests, synthetic data)."""
    sizes = design.psu_per_stratum
    design._check_lonely()
    if design.method == "jackknife":
        keep = np.flatnonzero(sizes[design.psu_stratum] >= 2)
        factors = np.ones((design.n_psu, keep.size))
        for r, p in enumerate(keep):
            h = design.psu_stratum[p]
            factors[design.psu_stratum == h, r] = sizes[h] / (sizes[h] - 1.0)
            factors[p, r] = 0.0
        coef = (sizes[design.psu_stratum[keep]] - 1.0) / sizes[design.psu_stratum[keep]]
        return factors, coef
    if design.method == "bootstrap":
        return bootstrap_factors(design).copy(), np.full(
            design.bootstrap_replicates, 1.0 / design.bootstrap_replicates
        )
    raise SurveyUsageError(f"The {design.method} method has no generated replicate factors.")


def replicate_weight_matrix(design: SurveyDesign) -> tuple[np.ndarray, np.ndarray]:
    """(n x R) replicate weights of the design and their variance coefficients."""
    if design.method == "replicate":
        spec = design.replicate or ReplicateSpec(type="bootstrap")
        return np.column_stack(design.replicate_weights), replicate_coefficients(
            spec, len(design.replicate_weights)
        )
    factors, coef = replicate_factors(design)
    return design.weights[:, None] * factors[design.psu], coef


def estimate_function(
    design: SurveyDesign,
    pattern: np.ndarray,
    q: int,
    values: np.ndarray,
    f: Function,
    *,
    keep_replicates: bool = False,
) -> FunctionEstimate:
    """Estimate ``f(theta)`` and its design-based SE.

    ``theta`` (q * v,) holds the weighted totals of ``values`` (n x v) within each of the ``q``
    patterns (``pattern`` codes, -1 = in none). ``f`` maps an array (..., q*v) to (..., O) with
    arithmetic only: it is evaluated on complex numbers for Taylor linearisation, and on every
    replicate's totals for the replicate methods (the whole pipeline is recomputed per replicate).
    """
    values = np.asarray(values, dtype=np.float64)
    pattern = np.asarray(pattern, dtype=np.int64)
    j = q * values.shape[1]
    if design.method == "replicate":
        full, reps = design.replicate_totals_file(pattern, q, values)
        est = np.real(f(full))
        spec = design.replicate or ReplicateSpec(type="bootstrap")
        coef = replicate_coefficients(spec, reps.shape[0])
        rep_est = f(reps)
        centre = est if spec.center == "full" else rep_est.mean(axis=0)
        var = coef @ (rep_est - centre) ** 2
        return FunctionEstimate(est, np.sqrt(var), design.df, rep_est if keep_replicates else None)

    design._check_lonely()
    totals = design.psu_totals(pattern, q, values)
    full = np.asarray(totals.sum(axis=0)).reshape(-1)
    est = np.real(f(full))
    strata_totals = design._stratum_totals(totals)
    sizes = design.psu_per_stratum.astype(np.float64)

    if design.method == "taylor":
        cov = np.zeros((j, j))
        means = strata_totals / sizes[:, None]
        for start in range(0, design.n_psu, REPLICATE_BLOCK):
            stop = min(design.n_psu, start + REPLICATE_BLOCK)
            h = design.psu_stratum[start:stop]
            centred = totals[start:stop].toarray() - means[h]
            n_h = sizes[h]
            factor = np.where(n_h >= 2, n_h / np.maximum(n_h - 1.0, 1.0), 0.0)
            cov += (centred * factor[:, None]).T @ centred
        step = 1e-30 * np.maximum(np.abs(full), 1.0)
        probes = full[None, :] + 1j * np.diag(step)
        grad = np.imag(f(probes)) / step[:, None]  # (J, O)
        var = np.einsum("jo,jk,ko->o", grad, cov, grad)
        return FunctionEstimate(est, np.sqrt(np.maximum(var, 0.0)), design.df)

    kept: list[np.ndarray] = []
    var = np.zeros_like(est)
    if design.method == "jackknife":
        n_h_all = sizes[design.psu_stratum]
        usable = np.flatnonzero(n_h_all >= 2)
        for start in range(0, usable.size, REPLICATE_BLOCK):
            psus = usable[start : start + REPLICATE_BLOCK]
            n_h = n_h_all[psus][:, None]
            # dropping PSU p of stratum h: theta - T_h + n_h/(n_h-1) (T_h - P_p) = theta + (T_h - n_h P_p)/(n_h - 1)
            reps = full + (strata_totals[design.psu_stratum[psus]] - n_h * totals[psus].toarray()) / (
                n_h - 1.0
            )
            rep_est = f(reps)
            var += ((n_h[:, 0] - 1.0) / n_h[:, 0]) @ (rep_est - est) ** 2
            if keep_replicates:
                kept.append(rep_est)
    else:  # bootstrap: one sparse x dense product for every replicate at once
        change = bootstrap_factors(design) - 1.0  # (P x R)
        reps = full + np.asarray(totals.T @ change).T
        rep_est = f(reps)
        var = np.full(reps.shape[0], 1.0 / reps.shape[0]) @ (rep_est - est) ** 2
        if keep_replicates:
            kept.append(rep_est)
    return FunctionEstimate(est, np.sqrt(var), design.df, np.concatenate(kept) if kept else None)
