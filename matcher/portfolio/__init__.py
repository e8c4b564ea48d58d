"""A reviewer's portfolio: every screened program the actor may see, with its Pell check
statuses, top occupation, coverage, employer reviews and re-review flags; filtered, sorted,
paged (``query``) and exported as CSV or XLSX (``export``). Reads the stored screening results
(:mod:`matcher.screening.store`); never imports FastAPI."""
