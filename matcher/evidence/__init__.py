"""Workforce Pell evidence packets for state reviewers.

One packet per program version: eligibility checks (length, the state's in-demand list, wages
against a bar, employer validation, a named credential), each ``pass``, ``fail`` or ``unknown``
with its rule, value, source and vintage; the aligned occupations with wages and outlook; skills
taught and missing; every employer decision; method, model and data versions; limitations.
Rendered as JSON (the packet dict), HTML and PDF, and exported as CTDL and schema.org JSON-LD.

Modules, one concept each: ``rules`` (the numbers and the check shape), ``length``, ``labour``
(OEWS and Employment Projections), ``state_lists`` (import and default list), ``tables``,
``occupations``, ``checks``, ``skills``, ``packet`` (assembles it), ``formatting``, ``chart``,
``html``, ``pdf``, ``standards``. None imports FastAPI.
"""

from matcher.evidence.html import render_html
from matcher.evidence.packet import build_packet
from matcher.evidence.pdf import render_pdf
from matcher.evidence.rules import Check, Status
from matcher.evidence.standards import to_ctdl, to_schema_org
from matcher.evidence.state_lists import OccupationList, current_list, default_list, import_state_list

__all__ = [
    "Check",
    "OccupationList",
    "Status",
    "build_packet",
    "current_list",
    "default_list",
    "import_state_list",
    "render_html",
    "render_pdf",
    "to_ctdl",
    "to_schema_org",
]
