"""Score a stored run: its audited pages, with the expert verdicts recorded for it."""

from __future__ import annotations

from dataclasses import dataclass

from a11y_audit.errors import AuditError
from a11y_audit.review import verdicts_for_run
from a11y_audit.rules import load_registry
from a11y_audit.scoring.estimate import Estimate, RuleSet, estimate, evidence_from_page, load_ruleset
from a11y_audit.store import AuditStore


@dataclass
class LegacyItem:
    kwcag21_id: str
    item: str
    name_ko: str
    lower: float | None
    upper: float | None
    state: str


@dataclass
class RunScore:
    run_id: int
    #: The device of the pages scored (None: every page of the run, whatever its device).
    device: str | None
    pages_scored: int
    pages_failed_to_load: int
    verdicts: int
    estimate: Estimate
    legacy_kwcag21: list[LegacyItem]
    legacy_mean_lower: float | None
    legacy_mean_upper: float | None


def score_run_devices(store: AuditStore, run_id: int, ruleset: RuleSet | None = None) -> list[RunScore]:
    """One estimate per device of the run (``--device both``: desktop, then mobile)."""
    store.run(run_id)
    devices = sorted({r.device for r in store.page_results(run_id)})
    if len(devices) <= 1:
        return [score_run(store, run_id, ruleset)]
    return [score_run(store, run_id, ruleset, device=d) for d in devices]


def score_run(
    store: AuditStore, run_id: int, ruleset: RuleSet | None = None, device: str | None = None
) -> RunScore:
    """Score the run's pages audited on ``device``. Without a device, a run on several devices
    (``--device both``) is scored on its first one, desktop: the figures of one device are never mixed
    with another's. Expert verdicts are recorded per URL and apply to every device of that URL."""
    ruleset = ruleset or load_ruleset()
    store.run(run_id)  # an unknown run is a usage error with a hint
    results = store.page_results(run_id)
    devices = sorted({r.device for r in results})
    if device is None and len(devices) > 1:
        device = devices[0]
    if device is not None:
        results = [r for r in results if r.device == device]
    audited = [r for r in results if not r.error]
    if not audited:
        on = f" on {device}" if device else ""
        raise AuditError(
            f"Run {run_id} has no successfully audited page{on} to score.",
            hint=f"See 'ddkit audit show {run_id}' for the page errors.",
        )
    verdicts = verdicts_for_run(store, run_id)
    evidence = []
    for page in audited:
        ev = evidence_from_page(page)
        ev.verdicts = {item: v.verdict for (url, item), v in verdicts.items() if url == page.url}
        evidence.append(ev)
    est = estimate(evidence, ruleset)
    registry = load_registry()
    legacy = sorted(
        (
            LegacyItem(
                it.kwcag21_id,
                it.id,
                it.name_ko,
                est.item(it.id).lower,
                est.item(it.id).upper,
                est.item(it.id).state,
            )
            for it in registry.items
            if it.kwcag21_id
        ),
        key=lambda x: tuple(int(p) for p in x.kwcag21_id.split(".")),
    )
    scored = [x for x in legacy if x.state == "scored"]
    return RunScore(
        run_id=run_id,
        device=device,
        pages_scored=len(audited),
        pages_failed_to_load=len(results) - len(audited),
        verdicts=len(verdicts),
        estimate=est,
        legacy_kwcag21=legacy,
        legacy_mean_lower=sum(x.lower for x in scored) / len(scored) if scored else None,
        legacy_mean_upper=sum(x.upper for x in scored) / len(scored) if scored else None,
    )
