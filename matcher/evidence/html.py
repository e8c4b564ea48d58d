"""The packet as one self-contained HTML page (inline style, the chart as a data URI), from
the Jinja2 template ``templates/packet.html`` shipped with the package."""

from __future__ import annotations

import base64
import functools
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from matcher.evidence import formatting
from matcher.evidence.chart import coverage_chart


@functools.cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("matcher.evidence", "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        money=formatting.money,
        percent=formatting.percent,
        when=formatting.when,
        value_text=formatting.value_text,
        outlook_text=formatting.outlook_text,
        STATUS_LABELS=formatting.STATUS_LABELS,
    )
    return env


def render_html(packet: dict[str, Any], *, chart: bytes | None = None) -> str:
    """The packet's HTML; ``chart`` is the coverage chart PNG (drawn here when not given)."""
    png = chart if chart is not None else coverage_chart(packet)
    encoded = base64.b64encode(png).decode("ascii") if png else None
    return _environment().get_template("packet.html").render(p=packet, chart=encoded)
