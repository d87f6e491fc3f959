"""A training report input with small cells that must be suppressed (worked numbers in the tests)."""

from __future__ import annotations

from reports.training import EquityRow, Forecast, ForecastPoint, FunnelStep, KpiRow, TrainingReportData


def training_data(year: int = 2025) -> TrainingReportData:
    return TrainingReportData(
        year=year,
        programme="digital_baeumteo",
        total=KpiRow("all", enrolled=1250, completed=1000, target_enrolled=1200, target_completed=900),
        by_group=[
            KpiRow("elderly", enrolled=800, completed=660, target_enrolled=750),
            KpiRow("disabled", enrolled=300, completed=228, target_enrolled=320),
            KpiRow("low_income", enrolled=147, completed=110, target_enrolled=100),
            KpiRow("nk_defector", enrolled=3, completed=2, target_enrolled=10),  # suppressed: 3 and 2
            # Suppressed upstream by the tracker (value None, field named).
            KpiRow("marriage_immigrant", enrolled=None, completed=None, suppressed=["enrolled", "completed"]),
        ],
        by_region=[
            KpiRow("11", enrolled=700, completed=560, target_enrolled=650),
            KpiRow("41", enrolled=546, completed=437, target_enrolled=500),
            KpiRow("50", enrolled=4, completed=3, target_enrolled=50),  # Jeju: suppressed
        ],
        funnel=[
            FunnelStep("enrolled", 1250),
            FunnelStep("attended", 1190),
            FunnelStep("completed", 1000),
            FunnelStep("certified", 212),
            FunnelStep("employed", 4),  # suppressed
        ],
        trend_years=[2020, 2021, 2022, 2023, 2024, 2025],
        trend_enrolled=[820, 960, 1010, 1105, 1180, 1250],
        trend_completed=[640, 760, 800, 880, 950, 1000],
        forecast=Forecast(
            model="ETS(A,Ad,N)",
            points=[ForecastPoint(2026, 1302.4, 1150.2, 1454.6), ForecastPoint(2027, 1340.9, 1105.0, 1576.8)],
        ),
        equity=[
            EquityRow("elderly", 800, 64.0, 40.0, 1.6, gap_level=71.8, gap_year=2025),
            EquityRow("disabled", 300, 24.0, 10.0, 2.4, gap_level=84.1, gap_year=2025),
            EquityRow("low_income", 147, 11.8, 9.0, 1.31, gap_level=97.0, gap_year=2025),
            EquityRow("nk_defector", 3, 0.2, 0.1, 2.4),  # suppressed
        ],
        notes=["Targets from <target-file>.csv"],
    )
