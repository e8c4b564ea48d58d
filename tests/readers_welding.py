"""One small welding program, written at test time in every input format the readers accept.

Each writer takes a folder and returns the path of the file it wrote. The same four courses,
descriptions and outcomes appear in every format so the readers can be compared.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

TITLE = "Welding Certificate"
PROVIDER = "Example Community College"
CREDENTIAL = "AWS Certified Welder"
CLOCK_HOURS = 300
CIP = "48.0508"
DESCRIPTION = (
    "Students learn shielded metal arc (SMAW), MIG and TIG welding of carbon steel and aluminum "
    "in flat, horizontal and vertical positions. Blueprint reading and weld symbols. "
    "Oxy-fuel and plasma cutting. Shop safety and OSHA 10."
)
COURSES = [
    {
        "code": "WLD-110",
        "title": "Shielded Metal Arc Welding (SMAW)",
        "description": "Set up and operate SMAW equipment to weld carbon steel plate in flat, "
        "horizontal and vertical positions.",
        "outcomes": [
            "Select electrodes for the base metal and joint design.",
            "Weld fillet and groove joints to AWS D1.1 visual standards.",
            "Apply shop safety rules for arc welding.",
        ],
        "hours": 75,
    },
    {
        "code": "WLD-120",
        "title": "Gas Metal Arc Welding (GMAW/MIG)",
        "description": "Set up MIG welding machines, wire feed and shielding gas to weld carbon "
        "steel and aluminum.",
        "outcomes": [
            "Adjust voltage and wire feed speed for short-circuit and spray transfer.",
            "Weld aluminum and steel sheet in all positions.",
        ],
        "hours": 75,
    },
    {
        "code": "WLD-130",
        "title": "Gas Tungsten Arc Welding (GTAW/TIG)",
        "description": "TIG welding of stainless steel and aluminum with filler rod.",
        "outcomes": [
            "Grind and select tungsten electrodes.",
            "Weld stainless steel and aluminum joints with filler metal.",
        ],
        "hours": 75,
    },
    {
        "code": "WLD-140",
        "title": "Blueprint Reading and Weld Symbols",
        "description": "Read welding blueprints, weld symbols and fabrication drawings.",
        "outcomes": [
            "Interpret weld symbols on drawings.",
            "Cut steel with oxy-fuel and plasma cutting equipment.",
        ],
        "hours": 75,
    },
]
CODES = [c["code"] for c in COURSES]
TITLES = [c["title"] for c in COURSES]


def write_markdown(folder: Path) -> Path:
    lines = [
        f"# {TITLE}",
        "",
        f"**Provider:** {PROVIDER}",
        f"**Credential:** {CREDENTIAL}",
        f"**Clock hours:** {CLOCK_HOURS}",
        f"**CIP:** {CIP}",
        "",
        "## Program overview",
        "",
        DESCRIPTION,
        "",
        "## Courses",
        "",
    ]
    for c in COURSES:
        lines += [f"### {c['code']} {c['title']}", "", f"Hours: {c['hours']}", "", c["description"], ""]
        lines += ["#### Learning outcomes", ""] + [f"- {o}" for o in c["outcomes"]] + [""]
    path = folder / "welding.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def write_docx(folder: Path) -> Path:
    """Title, a label table, headings + paragraphs + bullets for two courses (the second after a
    page break), and a course table for the other two."""
    import docx

    d = docx.Document()
    d.add_paragraph(TITLE, style="Title")
    table = d.add_table(rows=0, cols=2)
    for key, value in (
        ("Provider", PROVIDER),
        ("Credential", CREDENTIAL),
        ("Clock hours", "300"),
        ("CIP", CIP),
    ):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = key, value
    d.add_heading("Program overview", level=1)
    d.add_paragraph(DESCRIPTION)
    d.add_heading("Courses", level=1)
    for i, c in enumerate(COURSES[:2]):
        if i:
            d.add_page_break()
        d.add_heading(f"{c['code']} {c['title']}", level=2)
        d.add_paragraph(f"Hours: {c['hours']}")
        d.add_paragraph(c["description"])
        d.add_heading("Learning outcomes", level=3)
        for o in c["outcomes"]:
            d.add_paragraph(o, style="List Bullet")
    d.add_page_break()
    d.add_heading("More courses", level=2)
    t = d.add_table(rows=1, cols=5)
    for cell, name in zip(
        t.rows[0].cells,
        ("Course code", "Course title", "Description", "Learning outcomes", "Hours"),
        strict=True,
    ):
        cell.text = name
    for c in COURSES[2:]:
        cells = t.add_row().cells
        values = (c["code"], c["title"], c["description"], "\n".join(c["outcomes"]), str(c["hours"]))
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
    path = folder / "welding.docx"
    d.save(str(path))
    return path


def pdf_document(pages_of_courses: int = 1):  # type: ignore[no-untyped-def]
    """An fpdf2 document: a title page, then one page per course (repeated ``pages_of_courses``
    times), with a running footer."""
    from fpdf import FPDF

    class Doc(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("Helvetica", size=8)
            self.cell(0, 10, f"{PROVIDER} - Welding Catalog - Page {self.page_no()}", align="C")

    pdf = Doc(format="letter")
    pdf.set_title(TITLE)
    pdf.set_auto_page_break(auto=True, margin=20)
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 8, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=11)
    for line in (
        f"Provider: {PROVIDER}",
        f"Credential: {CREDENTIAL}",
        f"Clock hours: {CLOCK_HOURS}",
        f"CIP: {CIP}",
    ):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.multi_cell(0, 6, DESCRIPTION, new_x="LMARGIN", new_y="NEXT")
    for _ in range(pages_of_courses):
        for c in COURSES:
            pdf.add_page()
            pdf.set_font("Helvetica", "B", 13)
            pdf.multi_cell(0, 7, f"{c['code']} {c['title']}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=11)
            pdf.multi_cell(0, 6, f"Hours: {c['hours']}", new_x="LMARGIN", new_y="NEXT")
            pdf.multi_cell(0, 6, c["description"], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            pdf.multi_cell(0, 6, "Learning outcomes:", new_x="LMARGIN", new_y="NEXT")
            for o in c["outcomes"]:
                pdf.multi_cell(0, 6, f"- {o}", new_x="LMARGIN", new_y="NEXT")
    return pdf


def write_pdf(folder: Path, name: str = "welding.pdf") -> Path:
    path = folder / name
    pdf_document().output(str(path))
    return path


def _sheet_rows() -> list[list[str]]:
    rows = [
        ["Program", TITLE],
        ["Provider", PROVIDER],
        ["Credential", CREDENTIAL],
        ["CIP", CIP],
        ["Description", DESCRIPTION],
        [],
        ["Course code", "Course title", "Description", "Learning outcomes", "Hours"],
    ]
    for c in COURSES:
        rows.append([c["code"], c["title"], c["description"], "\n".join(c["outcomes"]), str(c["hours"])])
    return rows


def write_csv(folder: Path) -> Path:
    path = folder / "welding_courses.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(_sheet_rows())
    return path


def write_xlsx(folder: Path) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Courses"
    for row in _sheet_rows():
        ws.append([int(v) if v.isdigit() else v for v in row])
    path = folder / "welding_courses.xlsx"
    wb.save(str(path))
    return path


def ctdl_document() -> dict:
    """A Credential Registry style graph: a ceterms:Certificate that requires four ceterms:Course
    learning opportunities, offered by a ceterms:CredentialOrganization."""
    base = "https://credentialengineregistry.org/resources/"
    org = f"{base}ce-0a1b2c3d-0000-4000-8000-000000000001"
    courses = []
    for i, c in enumerate(COURSES):
        courses.append(
            {
                "@id": f"{base}ce-0a1b2c3d-0000-4000-8000-00000000011{i}",
                "@type": "ceterms:Course",
                "ceterms:ctid": f"ce-0a1b2c3d-0000-4000-8000-00000000011{i}",
                "ceterms:name": {"en-US": c["title"]},
                "ceterms:codedNotation": c["code"],
                "ceterms:description": {"en-US": c["description"]},
                "ceterms:estimatedDuration": [
                    {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": f"PT{c['hours']}H"}
                ],
                "ceterms:teaches": [
                    {
                        "@type": "ceterms:CredentialAlignmentObject",
                        "ceterms:targetNodeName": {"en-US": o},
                    }
                    for o in c["outcomes"]
                ],
                "ceterms:offeredBy": [org],
            }
        )
    certificate = {
        "@id": f"{base}ce-0a1b2c3d-0000-4000-8000-000000000100",
        "@type": "ceterms:Certificate",
        "ceterms:ctid": "ce-0a1b2c3d-0000-4000-8000-000000000100",
        "ceterms:name": {"en-US": TITLE},
        "ceterms:description": {"en-US": DESCRIPTION},
        "ceterms:ownedBy": [org],
        "ceterms:offeredBy": [org],
        "ceterms:credentialStatusType": {
            "@type": "ceterms:CredentialAlignmentObject",
            "ceterms:framework": "https://credreg.net/ctdl/terms/CredentialStatus",
            "ceterms:targetNode": "credentialStat:Active",
        },
        "ceterms:estimatedDuration": [
            {"@type": "ceterms:DurationProfile", "ceterms:exactDuration": f"PT{CLOCK_HOURS}H"},
        ],
        "ceterms:occupationType": [
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:framework": "https://www.onetcenter.org/taxonomy/2019/list.html",
                "ceterms:frameworkName": {"en-US": "Standard Occupational Classification"},
                "ceterms:codedNotation": "51-4121",
                "ceterms:targetNodeName": {"en-US": "Welders, Cutters, Solderers, and Brazers"},
            }
        ],
        "ceterms:instructionalProgramType": [
            {
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:framework": "https://nces.ed.gov/ipeds/cipcode/",
                "ceterms:frameworkName": {"en-US": "Classification of Instructional Programs"},
                "ceterms:codedNotation": CIP,
                "ceterms:targetNodeName": {"en-US": "Welding Technology/Welder"},
            }
        ],
        "ceterms:requires": [
            {
                "@type": "ceterms:ConditionProfile",
                "ceterms:description": {"en-US": "Complete the four welding courses."},
                "ceterms:targetLearningOpportunity": [c["@id"] for c in courses],
            }
        ],
    }
    organization = {
        "@id": org,
        "@type": "ceterms:CredentialOrganization",
        "ceterms:name": {"en-US": PROVIDER},
    }
    return {
        "@context": "https://credreg.net/ctdl/schema/context/json",
        "@id": f"{base}graph/ce-0a1b2c3d-0000-4000-8000-000000000100",
        "@graph": [certificate, organization, *courses],
    }


def write_ctdl(folder: Path, name: str = "welding.jsonld") -> Path:
    path = folder / name
    path.write_text(json.dumps(ctdl_document(), indent=2), encoding="utf-8")
    return path


def schemaorg_document() -> dict:
    return {
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalProgram",
        "name": TITLE,
        "description": DESCRIPTION,
        "provider": {"@type": "CollegeOrUniversity", "name": PROVIDER},
        "educationalCredentialAwarded": {
            "@type": "EducationalOccupationalCredential",
            "name": CREDENTIAL,
            "credentialCategory": "certificate",
        },
        "timeToComplete": "P12W",
        "educationalProgramMode": "in-person",
        "occupationalCategory": [
            {
                "@type": "CategoryCode",
                "inCodeSet": {"@type": "CategoryCodeSet", "name": "O*NET-SOC", "dateModified": "2019"},
                "codeValue": "51-4121.00",
                "name": "Welders, Cutters, Solderers, and Brazers",
            }
        ],
        "identifier": {"@type": "PropertyValue", "propertyID": "CIP 2020", "value": CIP},
        "hasCourse": [
            {
                "@type": "Course",
                "courseCode": c["code"],
                "name": c["title"],
                "description": c["description"],
                "timeRequired": f"PT{c['hours']}H",
                "teaches": [{"@type": "DefinedTerm", "name": o} for o in c["outcomes"]],
            }
            for c in COURSES
        ],
    }


def write_schemaorg(folder: Path, name: str = "welding-schemaorg.json") -> Path:
    path = folder / name
    path.write_text(json.dumps(schemaorg_document(), indent=2), encoding="utf-8")
    return path


def etpl_record() -> dict:
    """An ETPL row (the columns of programs_nj_etpl.dev.jsonl), courses listed in features."""
    listing = ";\n".join(f"{c['code']} {c['title']}" for c in COURSES) + "."
    return {
        "id": "nj-test-1",
        "title": TITLE,
        "provider": PROVIDER,
        "description": DESCRIPTION,
        "features": listing,
        "prerequisites": "High school diploma or GED",
        "credential": CREDENTIAL,
        "clock_hours": float(CLOCK_HOURS),
        "cip": CIP,
    }


def write_etpl_jsonl(folder: Path) -> Path:
    path = folder / "welding.jsonl"
    path.write_text(json.dumps(etpl_record()) + "\n", encoding="utf-8")
    return path


def write_etpl_csv(folder: Path) -> Path:
    rec = etpl_record()
    header = ["Program Name", "Provider Name", "Description", "Features", "Prerequisites", "Credential"]
    header += ["Total Clock Hours", "CIP Code"]
    keys = [
        "title",
        "provider",
        "description",
        "features",
        "prerequisites",
        "credential",
        "clock_hours",
        "cip",
    ]
    path = folder / "welding_etpl.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerow([rec[k] for k in keys])
    return path


WRITERS = {
    "markdown": write_markdown,
    "docx": write_docx,
    "pdf": write_pdf,
    "csv": write_csv,
    "xlsx": write_xlsx,
    "ctdl": write_ctdl,
    "schemaorg": write_schemaorg,
    "etpl-jsonl": write_etpl_jsonl,
    "etpl-csv": write_etpl_csv,
}
# --format for the files whose extension alone does not say
FORMATS = {"etpl-csv": "etpl"}
