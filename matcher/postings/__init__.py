"""Job postings: read (JSON-LD, JSON Lines, CSV, HTML, text), de-duplicate, code to O*NET-SOC,
store, and turn into regional skill demand.

Modules: :mod:`record` (one posting, read errors), readers (:mod:`jsonld`, :mod:`tabular`,
:mod:`html_text`, :mod:`readers`), :mod:`location`, :mod:`dedupe`, :mod:`title_text`,
:mod:`title_ranker` and :mod:`coding` (occupation coding), :mod:`store` (import in one
transaction per batch), :mod:`demand` (counts and skill shares per occupation x area x period).
"""
