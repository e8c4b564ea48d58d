"""Program outcomes for the Workforce Pell outcome tests: ``reader`` (CSV/XLSX with a column
mapping, bad rows named by line), ``tables`` and ``store`` (imports and the figures of one
program), ``checks`` (completion, placement, value-added earnings). None imports FastAPI."""
