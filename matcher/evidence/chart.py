"""The packet's skill coverage chart: per reviewed occupation, the share of its requirements the
curriculum covers (importance-weighted) next to the alignment score. matplotlib's object API
with the Agg canvas (no pyplot, no global state, safe in worker threads)."""

from __future__ import annotations

import io
import textwrap
from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

COVERAGE_COLOUR = "#1f6f8b"
SCORE_COLOUR = "#b5651d"


def coverage_chart(packet: dict[str, Any], *, dpi: int = 150) -> bytes | None:
    """A PNG, or None when the packet has no gap analysis."""
    tables = packet.get("skills") or []
    if not tables:
        return None
    scores = {o["code"]: o["score"] for o in packet.get("occupations", [])}
    labels = [
        "\n".join(textwrap.wrap(f"{t['code']} {t['title']}", 34)[:2])
        + f"\n{t['covered_count']} of {t['required_count']} requirements"
        for t in tables
    ]
    coverage = [float(t["coverage"] or 0.0) for t in tables]
    score = [100.0 * float(scores.get(t["code"], 0.0)) for t in tables]
    fig = Figure(figsize=(7.2, 0.7 * len(tables) + 1.4), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot(1, 1, 1)
    ys = list(range(len(tables)))[::-1]
    height = 0.36
    bars_c = ax.barh(
        [y + height / 2 for y in ys], coverage, height, color=COVERAGE_COLOUR, label="Skill coverage"
    )
    bars_s = ax.barh([y - height / 2 for y in ys], score, height, color=SCORE_COLOUR, label="Alignment score")
    for bars in (bars_c, bars_s):
        for bar in bars:
            w, y = bar.get_width(), bar.get_y() + bar.get_height() / 2
            if w > 88:  # inside the bar, so it never runs past the axis
                ax.text(w - 1.5, y, f"{w:.0f}%", va="center", ha="right", fontsize=8, color="white")
            else:
                ax.text(w + 1.5, y, f"{w:.0f}%", va="center", fontsize=8)
    ax.set_yticks(ys, labels, fontsize=8)
    ax.set_xlim(0, 100)
    ax.set_xlabel("percent", fontsize=8)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_title("Skill coverage (importance-weighted) and alignment score", fontsize=10)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.22), ncol=2, fontsize=8, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()
