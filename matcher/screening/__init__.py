"""Screening a state's whole ETPL: read the export, store each program as a version of its
provider's program, align it, run the Workforce Pell checks, keep one result row per program
(:mod:`matcher.screening.tables`), write CSV/XLSX/JSON tables, and flag programs for re-review
when the data under them moves (:mod:`matcher.screening.triggers`)."""
