"""gap_survey: the Digital Information Gap Index (디지털정보격차지수) from survey microdata.

The library core behind ``ddkit survey …``: codebook, readers, validation, scoring, the survey
design and design-based estimators, the index, published figures, trends and synthetic data.
Names are imported lazily so that importing the package (e.g. for its errors) stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Codebook": "gap_survey.codebook",
    "load_codebook": "gap_survey.codebook",
    "default_codebook_path": "gap_survey.codebook",
    "read_survey": "gap_survey.readers",
    "write_survey": "gap_survey.readers",
    "validate_frame": "gap_survey.validate",
    "ValidationReport": "gap_survey.validate",
    "score_components": "gap_survey.scoring",
    "SurveyDesign": "gap_survey.design",
    "estimate_function": "gap_survey.design",
    "estimate_mean": "gap_survey.estimate",
    "estimate_ratio": "gap_survey.estimate",
    "estimate_total": "gap_survey.estimate",
    "compute_index": "gap_survey.index",
    "compute_index_from_file": "gap_survey.index",
    "validate_file": "gap_survey.index",
    "IndexResult": "gap_survey.index",
    "load_published": "gap_survey.published",
    "recompute_totals": "gap_survey.published",
    "compute_trend": "gap_survey.trend",
    "synthesize": "gap_survey.synth",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'gap_survey' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
