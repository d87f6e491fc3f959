"""A gap-index result in the JSON shape of ``ddkit survey index`` (IndexResult.to_dict()).

Levels are the published 2025 figures with made-up but plausible standard errors; the CI is
estimate ± 1.96 SE so the tests can work the numbers out by hand.
"""

from __future__ import annotations

PUBLISHED_2025 = {
    "vulnerable_avg": {"access": 96.6, "competency": 65.9, "utilization": 80.5, "total": 77.9},
    "disabled": {"access": 95.3, "competency": 71.0, "utilization": 82.0, "total": 84.1},
    "low_income": {"access": 99.0, "competency": 94.0, "utilization": 99.0, "total": 97.0},
    "farmers_fishers": {"access": 96.0, "competency": 66.0, "utilization": 87.5, "total": 80.6},
    "elderly": {"access": 96.0, "competency": 60.0, "utilization": 71.5, "total": 71.8},
}
LABELS = {
    "vulnerable_avg": ("Four-group average", "average"),
    "disabled": ("Persons with disabilities", "index"),
    "low_income": ("Low-income", "index"),
    "farmers_fishers": ("Farmers and fishers", "index"),
    "elderly": ("Elderly (55+)", "index"),
    "general": ("General public", "reference"),
    "marriage_migrants": ("<b>Marriage</b> migrants", "surveyed"),
}


def gap_result(year: int = 2025, shift: float = 0.2) -> dict:
    """Computed = published + ``shift`` (so the difference column is exactly +0.2)."""
    levels = []
    for group, (label, role) in LABELS.items():
        for comp in ("access", "competency", "utilization", "total"):
            if group == "general":
                est, se, pub = 100.0, 0.0, None
            elif group == "marriage_migrants":
                est, se, pub = (
                    {"access": 97.0, "competency": 70.0, "utilization": 79.0, "total": 79.0}[comp],
                    1.0,
                    None,
                )
            else:
                pub = PUBLISHED_2025[group][comp]
                est, se = round(pub + shift, 4), 0.5
            levels.append(
                {
                    "year": year,
                    "group": group,
                    "label": label,
                    "role": role,
                    "component": comp,
                    "estimate": est,
                    "se": se,
                    "ci_low": est - 1.96 * se,
                    "ci_high": est + 1.96 * se,
                    "cv": (se / est) if est else None,
                    "n": 2200 if role != "reference" else 7000,
                    "published": pub if year == 2025 else None,
                    "difference": (est - pub) if pub is not None and year == 2025 else None,
                }
            )
    domains = [
        {
            "domain": "sex",
            "level": 1,
            "level_label": "남",
            "group": "elderly",
            "component": "total",
            "estimate": 74.1,
            "se": 0.8,
            "ci_low": 72.5,
            "ci_high": 75.7,
            "cv": 0.0108,
            "n": 1050,
            "score": None,
            "score_se": None,
        },
        {
            "domain": "sex",
            "level": 2,
            "level_label": "여",
            "group": "elderly",
            "component": "total",
            "estimate": 69.9,
            "se": 0.8,
            "ci_low": 68.3,
            "ci_high": 71.5,
            "cv": 0.0114,
            "n": 1250,
            "score": None,
            "score_se": None,
        },
    ]
    meta = {
        "year": year,
        "method": "level = 100 x weighted mean score of the group / weighted mean score of the general public",
        "rule": {
            "id": "digital-2017",
            "weights": {"access": 0.2, "competency": 0.4, "utilization": 0.4},
            "reproducible": True,
            "note": "",
            "rules_version": "1",
            "source": "press releases",
        },
        "population": {
            "source": "population_default.csv",
            "basis": "assumed",
            "shares": {"disabled": 0.12, "low_income": 0.13, "farmers_fishers": 0.1, "elderly": 0.65},
        },
        "design": {
            "variance_method": "jackknife",
            "respondents": 15000,
            "strata": 34,
            "psus": 680,
            "replicates": 680,
            "df": 646,
        },
        "confidence_level": 0.95,
        "codebook": {"source": "codebook_default.yaml", "version": "2025.1", "sha256": "ab" * 32},
        "input": {"file": "survey_2025.sav", "respondents": 15000, "sha256": "cd" * 32},
        "warnings": ["The four-group average uses <i>assumed</i> population shares."],
    }
    return {"year": year, "meta": meta, "levels": levels, "scores": [], "domains": domains}
