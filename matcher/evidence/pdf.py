"""The packet as a PDF, drawn with fpdf2 (pure Python: no browser, no system libraries) in
DejaVu Sans, the Unicode font matplotlib ships, so curriculum text in any Latin, Greek or
Cyrillic script prints as written."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import matplotlib
from fpdf import FPDF
from fpdf.fonts import FontFace

from matcher.evidence import formatting as fmt
from matcher.evidence.chart import coverage_chart

FONT = "DejaVu"
MAX_DESCRIPTION = 3000
HEAD = FontFace(emphasis="BOLD", fill_color=(238, 244, 247))
STATUS_COLOURS = {"pass": (29, 94, 29), "fail": (138, 28, 28), "unknown": (68, 68, 68)}
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _t(value: Any, limit: int = 1500) -> str:
    text = _CONTROL.sub(" ", "" if value is None else str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


class _Document(FPDF):
    def __init__(self, title: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="letter")
        self.packet_title = title
        fonts = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
        self.add_font(FONT, "", fonts / "DejaVuSans.ttf")
        self.add_font(FONT, "B", fonts / "DejaVuSans-Bold.ttf")
        self.add_font(FONT, "I", fonts / "DejaVuSans-Oblique.ttf")
        self.set_margins(14, 14, 14)
        self.set_auto_page_break(True, margin=16)
        self.alias_nb_pages()

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, "", 7)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, _t(f"Evidence packet: {self.packet_title}", 120), align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def heading(self, text: str, size: float = 13) -> None:
        if self.get_y() > self.h - 40:
            self.add_page()
        self.ln(3)
        self.set_font(FONT, "B", size)
        self.set_text_color(31, 111, 139)
        self.multi_cell(0, size * 0.5, _t(text), new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(1)

    def para(self, text: str, size: float = 9, style: str = "") -> None:
        self.set_font(FONT, style, size)
        self.multi_cell(0, size * 0.48, _t(text, MAX_DESCRIPTION), new_x="LMARGIN", new_y="NEXT")

    def grid(
        self, headings: list[str], rows: list[list[Any]], widths: tuple[float, ...], size: float = 7.5
    ) -> None:
        self.set_font(FONT, "", size)
        with self.table(
            col_widths=widths,
            headings_style=HEAD,
            line_height=size * 0.5,
            text_align="LEFT",
            padding=1,
            borders_layout="SINGLE_TOP_LINE",
        ) as table:
            head = table.row()
            for h in headings:
                head.cell(h)
            for values in rows:
                row = table.row()
                for v in values:
                    if isinstance(v, tuple):  # (text, colspan)
                        row.cell(_t(v[0]), colspan=v[1])
                    else:
                        row.cell(_t(v))
        self.ln(2)


def _facts(pdf: _Document, p: dict[str, Any]) -> None:
    prog = p["program"]
    cip = prog.get("cip")
    stated = prog.get("stated_provider")
    rows = [
        ["Provider", prog["provider"]],
        *([["Stated provider", f"{stated} (as typed into the program; not verified)"]] if stated else []),
        ["Credential", "; ".join(prog["credentials"]) or "not stated"],
        ["Clock hours", prog["clock_hours"] or "not stated"],
        ["Weeks", prog["weeks"] or "not stated"],
        [
            "CIP",
            (f"{cip['code']} {cip['title']}" + ("" if cip["stated"] else " (most likely CIP, not stated)"))
            if cip
            else "not stated",
        ],
        [
            "Version",
            f"{prog['version']} of {prog['latest_version']}, {fmt.when(prog['version_created_at'])} UTC",
        ],
    ]
    if prog.get("credit_hours"):
        rows.insert(3, ["Credit hours", prog["credit_hours"]])
    pdf.grid(["Program", ""], rows, (1, 4), size=8)


def _checks(pdf: _Document, p: dict[str, Any]) -> None:
    pdf.heading("Eligibility checks")
    pdf.set_font(FONT, "", 7.5)
    with pdf.table(
        col_widths=(2.2, 3.2, 3.4, 3.6, 3.0),
        headings_style=HEAD,
        line_height=3.8,
        text_align="LEFT",
        padding=1,
        borders_layout="SINGLE_TOP_LINE",
    ) as table:
        head = table.row()
        for h in ("Check", "Result", "Rule", "Value used", "Source and vintage"):
            head.cell(h)
        for c in p["checks"]:
            row = table.row()
            row.cell(_t(c["name"]), style=FontFace(emphasis="BOLD"))
            colour = STATUS_COLOURS[c["status"]]
            row.cell(
                f"{fmt.STATUS_LABELS[c['status']]}: {_t(c['reason'], 400)}", style=FontFace(color=colour)
            )
            row.cell(_t(c["rule"], 400))
            value = fmt.value_text(c)
            if c["details"].get("mentioned_in_text"):
                value += " (text mentions: " + "; ".join(c["details"]["mentioned_in_text"]) + ")"
            row.cell(_t(value, 600))
            row.cell(_t(f"{c['source']}. Vintage: {c['vintage']}", 400))
    pdf.ln(2)


def _occupations(pdf: _Document, p: dict[str, Any]) -> None:
    pdf.heading("Aligned occupations")
    state = p["program"]["state"]
    rows: list[list[Any]] = []
    for o in p["occupations"]:
        rows.append(
            [
                f"{o['code']} {o['title']}",
                f"{o['score']:.2f}",
                "yes" if o["counted"] else f"no: {o['not_counted_because']}",
                fmt.money(o["state_wage"]["annual_median"]) if o["state_wage"] else "no OEWS row",
                fmt.money(o["national_wage"]["annual_median"]) if o["national_wage"] else "n/a",
                fmt.outlook_text(o["outlook"]),
                (o["outlook"] or {}).get("typical_entry_education", "n/a"),
                f"yes ({o['list_entry']})" if o["on_state_list"] else "no",
            ]
        )
        evidence = "; ".join(
            (
                f"{e['kind']}: “{e['program_text']}” matches “{e['matched']}”"
                if e["program_text"]
                else f"{e['kind']}: {e['matched']}"
            )
            + (f" ({e['similarity']:.2f})" if e["similarity"] is not None and e["kind"] != "entry" else "")
            for e in o["evidence"]
        )
        if evidence:
            rows.append([(f"Evidence: {_t(evidence, 900)}", 8)])
    pdf.grid(
        [
            "Occupation",
            "Score",
            "Counted",
            f"{state} median",
            "U.S. median",
            "Outlook (U.S.)",
            "Entry education",
            "State list",
        ],
        rows,
        (4.2, 1.2, 2.4, 1.7, 1.7, 2.6, 2.2, 1.6),
        size=7,
    )


def _skills(pdf: _Document, p: dict[str, Any], chart: bytes | None) -> None:
    pdf.heading("Competencies taught and not taught")
    if chart:
        pdf.image(io.BytesIO(chart), w=165)
        pdf.set_font(FONT, "I", 7.5)
        pdf.multi_cell(
            0,
            3.6,
            "Coverage: importance-weighted share of the occupation's competencies the curriculum "
            "teaches (partly taught count half).",
            new_x="LMARGIN",
            new_y="NEXT",
        )
        pdf.ln(2)
    for t in p["skills"]:
        pdf.heading(
            f"{t['code']} {t['title']}: coverage {t['coverage']:.1f}% "
            f"({t['covered_count']} of {t['required_count']})",
            size=10,
        )
        taught = [
            [m["label"], m.get("grade", "taught"), m["taxonomy"], m.get("evidence") or m["sentence"] or ""]
            for m in t["taught"]
        ] or [[("None found.", 4)]]
        pdf.grid(["Competency", "Grade", "Taxonomy", "Evidence"], taught, (3, 1, 1.2, 4.8), size=7)
        missing = [
            [
                m["label"],
                m["taxonomy"],
                f"{m['importance']:.2f}",
                fmt.percent(m["demand_share"], scale=100),
                m["closest"] or "",
            ]
            for m in t["missing"]
        ] or [[("Nothing missing.", 5)]]
        pdf.para(f"Demand share: {t['demand_source']}.", size=7, style="I")
        pdf.grid(
            ["Not taught", "Taxonomy", "Importance", "Demand share", "Closest sentence"],
            missing,
            (3, 1.2, 1.1, 1.1, 4.6),
            size=7,
        )
    if p.get("skills_below_threshold"):
        pdf.para(p["skills_below_threshold"]["line"], size=8, style="I")


def _employers(pdf: _Document, p: dict[str, Any]) -> None:
    pdf.heading("Employer decisions")
    if not p["employer_decisions"]:
        pdf.para("No employer has reviewed this alignment yet.")
        return
    pdf.grid(
        ["Employer", "People", "When (UTC)", "Decisions"],
        [
            [
                e["organisation"],
                ", ".join(e["people"]),
                fmt.when(e["first"]) + ("" if e["last"] == e["first"] else f" to {fmt.when(e['last'])}"),
                "; ".join(f"{label}: {n}" for label, n in e["decisions"].items()),
            ]
            for e in p.get("employers", [])
        ],
        (2.4, 2.4, 3.2, 4.2),
        size=7,
    )
    pdf.ln(2)
    rows = [
        [
            (f"{d['occupation']} {d['subject']}" if d["skill"] else f"Occupation {d['subject']}"),
            d["decision_label"],
            d["comment"],
            d["organisation"],
            d["person"],
            fmt.when(d["decided_at"]),
        ]
        for d in p["employer_decisions"]
    ]
    pdf.grid(
        ["Occupation / skill", "Decision", "Comment", "Employer", "By", "When (UTC)"],
        rows,
        (3.4, 1.8, 3.2, 2.2, 1.6, 1.9),
        size=7,
    )


def _method(pdf: _Document, p: dict[str, Any]) -> None:
    m = p["method"]
    pdf.heading("Method, model and data versions")
    data = m["data"].get("data", {}) if isinstance(m["data"], dict) else {}
    lst, snap = m["occupation_list"], m["snapshot"]
    derived = ", derived default" if lst["derived"] else ""
    rows = [
        ["Alignment", m["alignment"]],
        [
            "Snapshot",
            f"{snap['id']}, computed {fmt.when(snap['created_at'])} UTC, version {snap['program_version']}",
        ],
        ["Model", m["model"]],
        [
            "Taxonomies",
            ", ".join(f"{k} {v}" for k, v in data.items())
            + (
                f" (fingerprint {m['data'].get('data_fingerprint')})"
                if m["data"].get("data_fingerprint")
                else ""
            ),
        ],
        ["Alignment weights", m.get("weights", "not recorded")],
        ["Program memory", m.get("program_memory", "not recorded")],
        [
            "Wages and outlook",
            f"OEWS {m['labour_data']['oews']}; Employment Projections {m['labour_data']['projections']}",
        ],
        [
            "In-demand list",
            f"{lst['name']} ({lst['occupations']} occupations{derived})",
        ],
        ["Wage bar setting", m["wage_bar"]],
        ["Rules", m["checks"]],
    ]
    pdf.grid(["Item", "Value"], rows, (1.3, 5), size=7.5)
    pdf.heading("Sources", size=10)
    pdf.grid(
        ["Source", "Publisher", "Vintage", "Used for"],
        [[f"{s['name']}\n{s['url']}", s["publisher"], s["vintage"], s["used_for"]] for s in p["sources"]],
        (3.2, 2, 1.2, 3.6),
        size=7,
    )
    pdf.heading("Limitations", size=10)
    for line in p["limitations"]:
        pdf.para(f"• {line}", size=8)


ATTESTATION_MM = 75  # height of the attestation block (statement, four lines to fill in)


def _attestation(pdf: _Document, p: dict[str, Any]) -> None:
    a = p.get("attestation")
    if not a:
        return
    if pdf.get_y() > pdf.h - pdf.b_margin - ATTESTATION_MM:  # a signature block is never split
        pdf.add_page()
    pdf.heading("Attestation")
    pdf.para(a["statement"], size=9)
    pdf.ln(2)
    blank = "_" * 40
    for label, value in (
        ("Reviewer name", a.get("reviewer") or blank),
        ("Date", a.get("date") or "_" * 16),
        ("Decision", a.get("decision") or " / ".join(a["decisions"])),
        ("Signature", blank),
    ):
        pdf.para(f"{label}: {value}", size=9)
        pdf.ln(3)


def render_pdf(packet: dict[str, Any], *, chart: bytes | None = None) -> bytes:
    """The packet's PDF; ``chart`` is the coverage chart PNG (drawn here when not given)."""
    png = chart if chart is not None else coverage_chart(packet)
    prog = packet["program"]
    pdf = _Document(prog["title"])
    pdf.set_title(_t(f"Workforce Pell evidence packet: {prog['title']}", 200))
    pdf.set_author(_t(packet["generator"]))
    pdf.set_creator(_t(packet["generator"]))
    pdf.add_page()
    pdf.set_font(FONT, "B", 17)
    pdf.multi_cell(0, 8, "Workforce Pell evidence packet", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "B", 12)
    pdf.multi_cell(0, 6, _t(prog["title"], 300), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 8.5)
    pdf.set_text_color(85, 85, 85)
    pdf.multi_cell(
        0,
        4.2,
        _t(
            f"{prog['provider']} ({prog['state']}); program {prog['id']}, version {prog['version']}. "
            f"Generated {fmt.when(packet['generated_at'])} UTC by {packet['generator']}."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    pdf.set_text_color(0, 0, 0)
    s = packet["summary"]
    pdf.ln(2)
    pdf.set_font(FONT, "B", 10)
    for status in ("pass", "fail", "unknown"):
        pdf.set_text_color(*STATUS_COLOURS[status])
        pdf.cell(32, 6, f"{s[status]} {status}", border=1, align="C")
        pdf.cell(3, 6, "")
    pdf.set_text_color(0, 0, 0)
    pdf.ln(8)
    pdf.para(s["note"], size=8, style="I")
    pdf.ln(1)
    _facts(pdf, packet)
    if prog.get("description"):
        pdf.para(prog["description"], size=8)
    _checks(pdf, packet)
    _occupations(pdf, packet)
    _skills(pdf, packet, png)
    _employers(pdf, packet)
    _method(pdf, packet)
    _attestation(pdf, packet)
    return bytes(pdf.output())
