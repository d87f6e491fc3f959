"""The audit report's user-evaluation section (사용자 심사), built from ``a11y_audit.user_review``.

The section exists only when the run has user-review results (:func:`user_review_summary` is not
None). It keeps the two certification stages apart, each judged against its own bar: the expert
stage (the estimate with its bounds) and the user stage (task success against the success bar).
Nothing here folds them into one number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reports.charts import Chart, Series, bar_chart
from reports.i18n import Translator
from reports.render import format_number, format_percent
from reports.tables import Column, Table

if TYPE_CHECKING:
    from a11y_audit.scoring import Estimate
    from a11y_audit.user_review import GroupResult, UserReviewSummary

#: Expert verdicts as stored by ``ddkit audit review`` → the key of their words.
EXPERT_WORDS = {"pass": "pass", "fail": "fail", "n/a": "na"}
SUCCESS_WORDS = ("yes", "partial", "no")


@dataclass
class Reading:
    label: str
    figure: str
    bar: str
    verdict: str


@dataclass
class StageView:
    key: str  # expert / user
    verdict: str
    readings: list[Reading]
    basis: str  # what the figures rest on (pages scored, attempts)


@dataclass
class PageRef:
    url: str
    anchor: str | None  # the page's card in the findings section
    heading: str
    lang: str | None = None


@dataclass
class BarrierRow:
    item: str
    name: str
    page: PageRef
    reports: int
    reports_failed: int
    profiles: str
    machine: str
    expert: str | None


@dataclass
class AttemptRow:
    task: str
    page: PageRef
    profile: str
    tester: str
    success: str
    note: str | None
    item: str | None = None
    item_name: str | None = None
    machine: str | None = None
    expert: str | None = None


@dataclass
class UserReviewView:
    config_title: str
    config_id: str
    statement: str
    stages: list[StageView]
    profiles_table: Table
    chart: Chart
    barriers: list[BarrierRow]
    missed: list[AttemptRow]
    without_items: list[AttemptRow]
    facts: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _range(low: float | None, high: float | None, t: Translator) -> str:
    if low is None or high is None:
        return format_number(None, 1, t)
    if abs(low - high) < 1e-9:
        return format_number(low, 1, t)
    return t("audit.rate_range", low=format_number(low, 1, t), high=format_number(high, 1, t))


def _satisfaction(g: GroupResult, t: Translator) -> str:
    if not g.satisfaction_n or g.satisfaction_mean is None:
        return format_number(None, 2, t)
    mean = format_number(g.satisfaction_mean, 2, t)
    if g.satisfaction_sd is None:
        return t("user_review.satisfaction_mean_only", mean=mean, n=g.satisfaction_n)
    return t(
        "user_review.satisfaction", mean=mean, sd=format_number(g.satisfaction_sd, 2, t), n=g.satisfaction_n
    )


def _profile_name(g: GroupResult, t: Translator) -> str:
    if g.profile == "all":
        return t("user_review.all_profiles")
    name = g.name_ko if t.lang == "ko" else g.name_en
    return t("user_review.required_profile", name=name) if g.required else name


def user_review_view(
    summary: UserReviewSummary,
    estimate: Estimate | None,
    pages: dict[str, PageRef],
    t: Translator,
) -> UserReviewView:
    """The section's content; ``pages`` maps a page URL to its card in the report."""
    ko = t.lang == "ko"
    res = summary.results
    combined = summary.combined
    names = {g.profile: (g.name_ko if ko else g.name_en) for g in res.profiles}

    def page(url: str) -> PageRef:
        return pages.get(url) or PageRef(url=url, anchor=None, heading=url)

    bar = format_percent(res.success_bar, 0, t)
    stages: list[StageView] = []
    for stage in combined.stages:
        verdicts = list(stage.readings.values())
        if stage.stage == "expert":
            threshold = format_number(stage.bar, 0, t)
            figures = (
                [
                    _range(estimate.mean_lower, estimate.mean_upper, t),
                    _range(estimate.min_lower, estimate.min_upper, t),
                ]
                if estimate
                else [format_number(None, 1, t)] * 2
            )
            labels = [t("audit.reading_mean"), t("audit.reading_every_item")]
            readings = [
                Reading(label, figure, threshold, verdict)
                for label, figure, verdict in zip(labels, figures, verdicts, strict=False)
            ]
            if not readings:  # no audited page: nothing to score
                readings = [Reading(labels[0], figures[0], threshold, stage.verdict)]
            basis = t("user_review.basis_expert", n=stage.n)
        else:
            tested = [g for g in res.profiles if g.attempts]
            lowest = min(tested, key=lambda g: g.success_rate or 0.0) if tested else None
            readings = [
                Reading(
                    t("user_review.reading_all"),
                    format_percent(res.overall.success_rate, 1, t),
                    bar,
                    verdicts[0],
                ),
                Reading(
                    t("user_review.reading_every_profile", profile=names[lowest.profile] if lowest else "—"),
                    format_percent(lowest.success_rate if lowest else None, 1, t),
                    bar,
                    verdicts[1],
                ),
            ]
            basis = t("user_review.basis_user", attempts=res.overall.attempts, testers=res.overall.testers)
        stages.append(StageView(stage.stage, stage.verdict, readings, basis))

    table = Table(
        id="user-profiles",
        caption=t("user_review.profiles_caption"),
        columns=[
            Column(t("user_review.col_profile")),
            Column(t("user_review.col_testers"), numeric=True),
            Column(t("user_review.col_attempts"), numeric=True),
            Column(t("user_review.col_outcomes"), numeric=True),
            Column(t("user_review.col_success"), numeric=True),
            Column(t("user_review.col_satisfaction"), numeric=True),
        ],
    )
    for g in [*res.profiles, res.overall]:
        table.add(
            _profile_name(g, t),
            format_number(g.testers, 0, t),
            format_number(g.attempts, 0, t),
            f"{g.yes} / {g.partial} / {g.no}",
            format_percent(g.success_rate, 1, t),
            _satisfaction(g, t),
        )
    table.notes.append(t("user_review.profiles_note", credit=format_number(res.partial_credit, 1, t)))

    charted = [g for g in res.profiles if g.attempts] + [res.overall]
    rates = [g.success_rate for g in charted]
    chart = bar_chart(
        "chart-user-success",
        t("user_review.chart_title"),
        [_profile_name(g, t) if g.profile == "all" else names[g.profile] for g in charted],
        [Series(t("user_review.col_success"), rates, labels=[format_percent(r, 1, t) for r in rates])],
        t,
        category_label=t("user_review.col_profile"),
        axis_max=100.0,
        reference=(res.success_bar, t("user_review.bar_label", bar=bar)),
    )

    def expert_word(verdict: str | None) -> str | None:
        return t("user_review.expert_" + EXPERT_WORDS[verdict]) if verdict in EXPERT_WORDS else None

    barriers: list[BarrierRow] = []
    for b in res.barriers:
        for url in b.pages:
            reports = [r for r in b.notes if r.page_url == url]
            profiles = []
            for r in reports:
                if r.profile not in profiles:
                    profiles.append(r.profile)
            barriers.append(
                BarrierRow(
                    item=b.item,
                    name=b.name_ko if ko else b.name_en,
                    page=page(url),
                    reports=len(reports),
                    reports_failed=sum(r.success != "yes" for r in reports),
                    profiles=", ".join(names.get(p, p) for p in profiles),
                    machine=b.machine.get(url, "untested"),
                    expert=expert_word(b.expert.get(url)),
                )
            )

    registry_names = {b.item: (b.name_ko if ko else b.name_en) for b in res.barriers}
    missed = [
        AttemptRow(
            task=m.task_id,
            page=page(m.page_url),
            profile=names.get(m.profile, m.profile),
            tester=m.tester,
            success=t("user_review.success_" + m.success),
            note=m.note,
            item=m.item,
            item_name=registry_names.get(m.item, m.item),
            machine=m.machine_status,
            expert=expert_word(m.expert_verdict),
        )
        for m in res.missed_by_machine
    ]
    without = [
        AttemptRow(
            task=r.task_id,
            page=page(r.page_url),
            profile=names.get(r.profile, r.profile),
            tester=r.tester,
            success=t("user_review.success_" + r.success),
            note=r.note,
        )
        for r in res.failed_without_items
    ]

    notes = []
    if res.missing_required_profiles:
        notes.append(
            t(
                "user_review.missing_profiles",
                profiles=", ".join(names.get(p, p) for p in res.missing_required_profiles),
            )
        )
    if res.unknown_profiles:
        notes.append(t("user_review.unknown_profiles", profiles=", ".join(res.unknown_profiles)))

    facts = [
        (
            t("user_review.config"),
            f"{summary.config_title_ko if ko else summary.config_title_en} ({res.config})",
        ),
        (t("user_review.success_bar"), bar),
        (t("user_review.tasks"), format_number(res.tasks, 0, t)),
        (
            t("user_review.testers_attempts"),
            t(
                "user_review.testers_attempts_value",
                testers=res.overall.testers,
                attempts=res.overall.attempts,
            ),
        ),
    ]
    return UserReviewView(
        config_title=summary.config_title_ko if ko else summary.config_title_en,
        config_id=res.config,
        statement=combined.statement_ko if ko else combined.statement_en,
        stages=stages,
        profiles_table=table,
        chart=chart,
        barriers=barriers,
        missed=missed,
        without_items=without,
        facts=facts,
        notes=notes,
    )
