"""Labelled records and ranking metrics: what fitting (:mod:`matcher.align.fit`) and the
evaluation harness (:mod:`matcher.evaluation`) share, below both."""
