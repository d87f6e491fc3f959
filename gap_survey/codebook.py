"""The YAML codebook: which columns hold the id, groups, design and items, and how items are scored.

A codebook is data, checked once when it is loaded: every error names the codebook file and the
path of the offending key (``components.access.items[2].scale``). The shipped default
(``gap_survey/data/codebook_default.yaml``) is our assumption of the questionnaire; the file itself
says which parts are published and which are not.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from gap_survey.errors import SurveyError

ROLES = ("reference", "index", "surveyed")
MISSING_TREATMENTS = ("skip", "zero")
LONELY_PSU = ("fail", "certainty")
REPLICATE_TYPES = ("bootstrap", "jk1", "jkn", "brr", "fay", "sdr", "other")
CENTERS = ("full", "mean")


class CodebookError(SurveyError):
    """The codebook itself is wrong (bad YAML, unknown key, impossible value)."""


@dataclass(frozen=True)
class Item:
    column: str
    label: str
    points: dict[int, float]  # response code -> points on 0-100
    weight: float = 1.0


@dataclass(frozen=True)
class Component:
    name: str
    label: str
    items: tuple[Item, ...]
    missing_codes: frozenset[int]
    missing: str  # "skip" | "zero"


@dataclass(frozen=True)
class Variable:
    name: str
    column: str
    label: str
    codes: dict[int, str] | None = None
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Condition:
    variable: str
    codes: tuple[int, ...] | None = None
    min: float | None = None
    max: float | None = None


@dataclass(frozen=True)
class Group:
    name: str
    label: str
    role: str  # "reference" | "index" | "surveyed"
    where: tuple[Condition, ...]


@dataclass(frozen=True)
class Domain:
    name: str
    variable: str
    breaks: tuple[float, ...] | None = None  # for a numeric variable: lower bounds of the bands
    exclude: tuple[int, ...] = ()


@dataclass(frozen=True)
class ReplicateSpec:
    """Replicate weights supplied in the file, described the way R's ``svrepdesign`` does."""

    type: str
    columns: tuple[str, ...] = ()
    prefix: str | None = None
    scale: float | None = None
    rscales: tuple[float, ...] | None = None
    fay_rho: float = 0.5
    center: str = "full"
    df: int | None = None


@dataclass(frozen=True)
class DesignSpec:
    weight: str
    strata: str | None = None
    psu: str | None = None
    lonely_psu: str = "fail"
    replicate: ReplicateSpec | None = None


@dataclass(frozen=True)
class Codebook:
    version: str
    title: str
    respondent_id: str
    design: DesignSpec
    variables: dict[str, Variable]
    groups: dict[str, Group]
    domains: dict[str, Domain]
    components: dict[str, Component]
    source: str = ""
    sha256: str = ""
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def reference_group(self) -> str:
        return next(name for name, g in self.groups.items() if g.role == "reference")

    @property
    def index_groups(self) -> tuple[str, ...]:
        return tuple(name for name, g in self.groups.items() if g.role == "index")

    def replicate_columns(self, file_columns: list[str] | None = None) -> tuple[str, ...]:
        """The replicate-weight columns, resolving ``prefix`` against the file's columns."""
        rep = self.design.replicate
        if rep is None:
            return ()
        if rep.columns:
            return rep.columns
        pattern = re.compile(re.escape(rep.prefix or "") + r"(\d+)$")
        found = [(int(m.group(1)), c) for c in (file_columns or []) if (m := pattern.match(str(c)))]
        return tuple(c for _, c in sorted(found))

    def item_columns(self) -> list[str]:
        return [item.column for comp in self.components.values() for item in comp.items]

    def columns(self, file_columns: list[str] | None = None) -> list[str]:
        """Every column the codebook needs, in a stable order, without duplicates."""
        wanted = [self.respondent_id, self.design.weight, self.design.strata, self.design.psu]
        wanted += [v.column for v in self.variables.values()]
        wanted += self.item_columns()
        wanted += list(self.replicate_columns(file_columns))
        return list(dict.fromkeys(c for c in wanted if c))


def default_codebook_path() -> Path:
    return Path(str(resources.files("gap_survey") / "data" / "codebook_default.yaml"))


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and check a codebook; ``None`` means the shipped default."""
    path = Path(path) if path is not None else default_codebook_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError(
            f"Codebook {path} does not exist.",
            hint="Give the path of a YAML codebook, or write the default one with 'ddkit survey codebook --out FILE'.",
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CodebookError(f"Cannot read codebook {path}: {exc}.") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise CodebookError(
            f"Codebook {path} is not valid YAML{where}: {problem}.", hint="Fix the YAML syntax there."
        ) from None
    codebook = parse_codebook(raw, source=str(path))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Codebook(**{**codebook.__dict__, "sha256": digest})


class _Reader:
    """Walks the raw YAML and raises errors that name the key path."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, path: str, message: str, hint: str | None = None) -> None:
        raise CodebookError(
            f"Codebook {self.source}: {path}: {message}",
            hint=hint or "See docs/reference/codebook.md for every key of the codebook.",
        )

    def mapping(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"expected a mapping, found {type(value).__name__}.")
        return value

    def text(self, value: Any, path: str, *, optional: bool = False) -> str | None:
        if value is None and optional:
            return None
        if not isinstance(value, str | int) or isinstance(value, bool) or str(value).strip() == "":
            self.fail(path, "expected a non-empty text value.")
        return str(value)

    def number(self, value: Any, path: str) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(path, f"expected a number, found {value!r}.")
        return float(value)

    def code(self, value: Any, path: str) -> int:
        if isinstance(value, bool):
            self.fail(path, f"expected an integer code, found {value!r}.")
        if isinstance(value, float) and value.is_integer():
            return int(value)
        if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            return int(value)
        if not isinstance(value, int):
            self.fail(path, f"expected an integer code, found {value!r}.")
        return int(value)

    def known_keys(self, value: dict[str, Any], allowed: set[str], path: str) -> None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            self.fail(path, f"unknown key {unknown[0]!r}; allowed: {', '.join(sorted(allowed))}.")


def parse_codebook(raw: Any, *, source: str = "<codebook>") -> Codebook:
    """Check a codebook already parsed from YAML (see :func:`load_codebook`)."""
    r = _Reader(source)
    top = r.mapping(raw, "(top level)")
    r.known_keys(
        top,
        {
            "codebook_version",
            "title",
            "respondent_id",
            "design",
            "variables",
            "groups",
            "domains",
            "scales",
            "components",
        },
        "(top level)",
    )
    for key in ("codebook_version", "respondent_id", "design", "variables", "groups", "components"):
        if key not in top:
            r.fail(key, "this key is required.")

    design = _parse_design(r, top["design"])
    variables = _parse_variables(r, top["variables"])
    groups = _parse_groups(r, top["groups"], variables)
    domains = _parse_domains(r, top.get("domains") or {}, variables)
    scales = _parse_scales(r, top.get("scales") or {})
    components = _parse_components(r, top["components"], scales)

    columns_seen: dict[str, str] = {}
    for comp in components.values():
        for item in comp.items:
            if item.column in columns_seen:
                r.fail(
                    f"components.{comp.name}",
                    f"column {item.column!r} is already an item of {columns_seen[item.column]}.",
                )
            columns_seen[item.column] = comp.name
    return Codebook(
        version=str(r.text(top["codebook_version"], "codebook_version")),
        title=str(top.get("title") or ""),
        respondent_id=str(r.text(top["respondent_id"], "respondent_id")),
        design=design,
        variables=variables,
        groups=groups,
        domains=domains,
        components=components,
        source=source,
        raw=top,
    )


def _parse_design(r: _Reader, value: Any) -> DesignSpec:
    d = r.mapping(value, "design")
    r.known_keys(d, {"weight", "strata", "psu", "lonely_psu", "replicate_weights"}, "design")
    if "weight" not in d:
        r.fail("design.weight", "this key is required (the column of final weights).")
    lonely = str(d.get("lonely_psu", "fail"))
    if lonely not in LONELY_PSU:
        r.fail("design.lonely_psu", f"must be one of {', '.join(LONELY_PSU)}, found {lonely!r}.")
    replicate = None
    if d.get("replicate_weights") is not None:
        rw = r.mapping(d["replicate_weights"], "design.replicate_weights")
        path = "design.replicate_weights"
        r.known_keys(rw, {"columns", "prefix", "type", "scale", "rscales", "fay_rho", "center", "df"}, path)
        rtype = str(rw.get("type", ""))
        if rtype not in REPLICATE_TYPES:
            r.fail(f"{path}.type", f"must be one of {', '.join(REPLICATE_TYPES)}, found {rtype!r}.")
        columns = tuple(str(c) for c in (rw.get("columns") or ()))
        prefix = rw.get("prefix")
        if bool(columns) == bool(prefix):
            r.fail(path, "give either 'columns' (a list) or 'prefix' (e.g. rw_), not both and not neither.")
        rscales = rw.get("rscales")
        if rscales is not None:
            if not isinstance(rscales, list) or not rscales:
                r.fail(f"{path}.rscales", "expected a list of numbers, one per replicate.")
            rscales = tuple(r.number(v, f"{path}.rscales[{i}]") for i, v in enumerate(rscales))
        if rtype in ("jkn", "other") and (rw.get("scale") is None and rscales is None):
            r.fail(path, f"type {rtype!r} needs 'scale' and/or 'rscales' (the variance multipliers).")
        center = str(rw.get("center", "full"))
        if center not in CENTERS:
            r.fail(f"{path}.center", f"must be one of {', '.join(CENTERS)}, found {center!r}.")
        fay_rho = r.number(rw.get("fay_rho", 0.5), f"{path}.fay_rho")
        if not 0 <= fay_rho < 1:
            r.fail(f"{path}.fay_rho", "must be at least 0 and below 1.")
        replicate = ReplicateSpec(
            type=rtype,
            columns=columns,
            prefix=str(prefix) if prefix else None,
            scale=r.number(rw["scale"], f"{path}.scale") if rw.get("scale") is not None else None,
            rscales=rscales,
            fay_rho=fay_rho,
            center=center,
            df=int(r.code(rw["df"], f"{path}.df")) if rw.get("df") is not None else None,
        )
    return DesignSpec(
        weight=str(r.text(d["weight"], "design.weight")),
        strata=r.text(d.get("strata"), "design.strata", optional=True),
        psu=r.text(d.get("psu"), "design.psu", optional=True),
        lonely_psu=lonely,
        replicate=replicate,
    )


def _parse_variables(r: _Reader, value: Any) -> dict[str, Variable]:
    out: dict[str, Variable] = {}
    for name, spec in r.mapping(value, "variables").items():
        path = f"variables.{name}"
        spec = r.mapping(spec, path)
        r.known_keys(spec, {"column", "label", "codes", "min", "max"}, path)
        codes = None
        if spec.get("codes") is not None:
            codes = {
                r.code(k, f"{path}.codes"): str(v)
                for k, v in r.mapping(spec["codes"], f"{path}.codes").items()
            }
            if not codes:
                r.fail(f"{path}.codes", "must list at least one code.")
        lo = r.number(spec["min"], f"{path}.min") if spec.get("min") is not None else None
        hi = r.number(spec["max"], f"{path}.max") if spec.get("max") is not None else None
        if lo is not None and hi is not None and lo > hi:
            r.fail(path, f"min ({lo:g}) is above max ({hi:g}).")
        out[str(name)] = Variable(
            name=str(name),
            column=str(r.text(spec.get("column", name), f"{path}.column")),
            label=str(spec.get("label") or name),
            codes=codes,
            min=lo,
            max=hi,
        )
    return out


def _parse_groups(r: _Reader, value: Any, variables: dict[str, Variable]) -> dict[str, Group]:
    out: dict[str, Group] = {}
    for name, spec in r.mapping(value, "groups").items():
        path = f"groups.{name}"
        spec = r.mapping(spec, path)
        r.known_keys(spec, {"label", "role", "where"}, path)
        role = str(spec.get("role", "surveyed"))
        if role not in ROLES:
            r.fail(f"{path}.role", f"must be one of {', '.join(ROLES)}, found {role!r}.")
        where = r.mapping(spec.get("where"), f"{path}.where")
        if not where:
            r.fail(f"{path}.where", "must hold at least one condition.")
        conditions = []
        for var, cond in where.items():
            cpath = f"{path}.where.{var}"
            if var not in variables:
                r.fail(cpath, f"{var!r} is not declared under 'variables'.")
            if isinstance(cond, list):
                codes = tuple(r.code(c, cpath) for c in cond)
                declared = variables[var].codes
                if declared is not None:
                    for c in codes:
                        if c not in declared:
                            r.fail(cpath, f"code {c} is not among the codes of variable {var!r}.")
                conditions.append(Condition(variable=var, codes=codes))
            elif isinstance(cond, dict):
                r.known_keys(cond, {"min", "max"}, cpath)
                conditions.append(
                    Condition(
                        variable=var,
                        min=r.number(cond["min"], f"{cpath}.min") if "min" in cond else None,
                        max=r.number(cond["max"], f"{cpath}.max") if "max" in cond else None,
                    )
                )
            else:
                r.fail(cpath, "expected a list of codes or a mapping with min/max.")
        out[str(name)] = Group(
            name=str(name), label=str(spec.get("label") or name), role=role, where=tuple(conditions)
        )
    references = [g for g in out.values() if g.role == "reference"]
    if len(references) != 1:
        r.fail("groups", f"exactly one group must have role 'reference' (found {len(references)}).")
    if not any(g.role == "index" for g in out.values()):
        r.fail("groups", "at least one group must have role 'index'.")
    return out


def _parse_domains(r: _Reader, value: Any, variables: dict[str, Variable]) -> dict[str, Domain]:
    out: dict[str, Domain] = {}
    for name, spec in r.mapping(value, "domains").items():
        path = f"domains.{name}"
        spec = r.mapping(spec, path)
        r.known_keys(spec, {"variable", "breaks", "exclude"}, path)
        var = str(spec.get("variable", name))
        if var not in variables:
            r.fail(f"{path}.variable", f"{var!r} is not declared under 'variables'.")
        breaks = None
        if spec.get("breaks") is not None:
            if not isinstance(spec["breaks"], list) or not spec["breaks"]:
                r.fail(f"{path}.breaks", "expected a list of lower bounds, e.g. [7, 20, 30].")
            breaks = tuple(r.number(b, f"{path}.breaks") for b in spec["breaks"])
            if list(breaks) != sorted(set(breaks)):
                r.fail(f"{path}.breaks", "must be strictly increasing.")
        elif variables[var].codes is None:
            r.fail(path, f"variable {var!r} has no codes, so the domain needs 'breaks'.")
        exclude = tuple(r.code(c, f"{path}.exclude") for c in (spec.get("exclude") or ()))
        out[str(name)] = Domain(name=str(name), variable=var, breaks=breaks, exclude=exclude)
    return out


def _parse_scales(r: _Reader, value: Any) -> dict[str, dict[int, float]]:
    out: dict[str, dict[int, float]] = {}
    for name, spec in r.mapping(value, "scales").items():
        path = f"scales.{name}"
        spec = r.mapping(spec, path)
        r.known_keys(spec, {"label", "points", "linear"}, path)
        out[str(name)] = _points(r, spec, path)
    return out


def _points(r: _Reader, spec: dict[str, Any], path: str) -> dict[int, float]:
    if ("points" in spec) == ("linear" in spec):
        r.fail(path, "give either 'points' (code: points) or 'linear' (codes from lowest to highest).")
    if "linear" in spec:
        codes = spec["linear"]
        if not isinstance(codes, list) or len(codes) < 2:
            r.fail(f"{path}.linear", "expected a list of at least two codes, lowest first.")
        codes = [r.code(c, f"{path}.linear") for c in codes]
        if len(set(codes)) != len(codes):
            r.fail(f"{path}.linear", "codes must be distinct.")
        k = len(codes) - 1
        return {c: 100.0 * i / k for i, c in enumerate(codes)}
    points = {
        r.code(c, f"{path}.points"): r.number(p, f"{path}.points.{c}")
        for c, p in r.mapping(spec["points"], f"{path}.points").items()
    }
    if not points:
        r.fail(f"{path}.points", "must map at least one code.")
    for c, p in points.items():
        if not 0 <= p <= 100:
            r.fail(f"{path}.points.{c}", f"points must lie in 0-100, found {p:g}.")
    return points


def _parse_components(r: _Reader, value: Any, scales: dict[str, dict[int, float]]) -> dict[str, Component]:
    comps = r.mapping(value, "components")
    if not comps:
        r.fail("components", "at least one component is required.")
    out: dict[str, Component] = {}
    for name, spec in comps.items():
        path = f"components.{name}"
        spec = r.mapping(spec, path)
        r.known_keys(spec, {"label", "items", "missing_codes", "missing"}, path)
        missing = str(spec.get("missing", "skip"))
        if missing not in MISSING_TREATMENTS:
            r.fail(f"{path}.missing", f"must be one of {', '.join(MISSING_TREATMENTS)}, found {missing!r}.")
        missing_codes = frozenset(
            r.code(c, f"{path}.missing_codes") for c in (spec.get("missing_codes") or ())
        )
        items_raw = spec.get("items")
        if not isinstance(items_raw, list) or not items_raw:
            r.fail(f"{path}.items", "expected a non-empty list of items.")
        items = []
        for i, item in enumerate(items_raw):
            ipath = f"{path}.items[{i}]"
            item = r.mapping(item, ipath)
            r.known_keys(item, {"column", "label", "scale", "points", "linear", "weight"}, ipath)
            if "column" not in item:
                r.fail(ipath, "'column' is required.")
            if "scale" in item:
                if "points" in item or "linear" in item:
                    r.fail(ipath, "give 'scale' or 'points'/'linear', not both.")
                scale = str(item["scale"])
                if scale not in scales:
                    r.fail(
                        f"{ipath}.scale", f"unknown scale {scale!r}; declared: {', '.join(scales) or 'none'}."
                    )
                points = scales[scale]
            else:
                points = _points(r, item, ipath)
            overlap = missing_codes & set(points)
            if overlap:
                r.fail(ipath, f"code {min(overlap)} is both a scored code and a missing code.")
            weight = r.number(item.get("weight", 1.0), f"{ipath}.weight")
            if weight <= 0:
                r.fail(f"{ipath}.weight", "item weights must be positive.")
            items.append(
                Item(
                    column=str(r.text(item["column"], f"{ipath}.column")),
                    label=str(item.get("label") or item["column"]),
                    points=dict(points),
                    weight=weight,
                )
            )
        out[str(name)] = Component(
            name=str(name),
            label=str(spec.get("label") or name),
            items=tuple(items),
            missing_codes=missing_codes,
            missing=missing,
        )
    return out


def codebook_with_replicates(
    codebook: Codebook, *, prefix: str, rtype: str, center: str = "full"
) -> dict[str, Any]:
    """The raw YAML mapping of ``codebook`` with a ``replicate_weights`` section added (for synth)."""
    raw = dict(codebook.raw)
    design = dict(raw["design"])
    design["replicate_weights"] = {"prefix": prefix, "type": rtype, "center": center}
    raw["design"] = design
    return raw
