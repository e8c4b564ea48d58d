"""Evaluation and benchmark scripts (run with ``make eval`` / ``make bench``)."""
