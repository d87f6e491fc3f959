"""Digital-skills training: courses, pseudonymised learners, enrolment, attendance, outcomes, KPIs."""
