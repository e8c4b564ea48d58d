"""The skills-matcher HTTP service: a thin FastAPI layer over :mod:`matcher`."""
