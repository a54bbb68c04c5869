"""Evaluation: eligibility, scoring, benchmark comparison, energy and code checks."""
