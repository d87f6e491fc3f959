"""Digital-skills training tracker: pseudonymous learners, course runs, enrolment, attendance,
completion and outcomes; validated bulk imports; KPIs against targets; forecasts; PIPA safeguards."""
