"""Accessible, self-contained HTML reports (Korean and English) and machine-readable outputs."""
