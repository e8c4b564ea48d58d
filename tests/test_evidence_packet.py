"""Evidence packets of real NJ ETPL dev programs (a welding certificate, a CDL program and a
medical assistant program) aligned by the real matcher on the data slice and reviewed by two
employers: JSON with every check's source and vintage, PDF whose first page pdftoppm turns into
a non-blank PNG, HTML; bad input (no length, a state without OEWS rows); the API, the web UI
button and the CLI."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cli_support import run_cli
from evidence_support import DEV_PROGRAMS, EvidenceWorld, make_world
from fastapi.testclient import TestClient
from PIL import Image
from pypdf import PdfReader
from review_support import PASSWORD, email

from matcher.evidence import build_packet, import_state_list, render_html, render_pdf
from matcher.evidence.labour import labour_data
from matcher.outcomes.store import import_outcomes
from matcher.settings import EmployerRule
from service.app import create_app

REPO = Path(__file__).resolve().parent.parent
OUTPUT = Path(os.environ.get("MATCHER_TEST_OUTPUT", REPO / "test-output")) / "evidence"
CHECK_IDS = [
    "length_hours",
    "length_weeks",
    "occupation_list",
    "wage",
    "employer_validation",
    "credential",
    "completion",
    "placement",
    "value_added_earnings",
]
NAMES = (*DEV_PROGRAMS, "no_length", "no_oews_state")


@pytest.fixture(scope="module")
def world(settings, matcher, etpl, tmp_path_factory) -> Iterator[EvidenceWorld]:  # type: ignore[no-untyped-def]
    w = make_world(
        settings,
        matcher,
        etpl,
        tmp_path_factory.mktemp("evidence"),
        names=NAMES,
        passwords=("rev_nj", "emp1"),
    )
    yield w
    w.db.dispose()


def _checks(packet: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in packet["checks"]}


def _page_one_png(pdf: bytes, folder: Path, stem: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{stem}.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-f",
            "1",
            "-l",
            "1",
            "-r",
            "60",
            "-png",
            "-singlefile",
            str(folder / f"{stem}.pdf"),
            str(folder / stem),
        ],
        check=True,
        timeout=60,
    )
    return folder / f"{stem}.png"


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None, reason="pdftoppm (Debian poppler-utils) is not installed"
)
@pytest.mark.parametrize("name", list(DEV_PROGRAMS))
def test_dev_program_packet_renders_to_pdf_with_every_check_sourced(world: EvidenceWorld, name: str) -> None:
    packet = build_packet(world.db, world.partnership.actors["rev_nj"], world.ids[name], world.settings)
    assert json.loads(json.dumps(packet)) == packet  # JSON through and through
    checks = _checks(packet)
    assert list(checks) == CHECK_IDS
    for c in packet["checks"]:
        assert c["status"] in ("pass", "fail", "unknown")
        assert c["rule"] and c["source"] and c["vintage"], c
        assert c["reason"], c
    assert packet["summary"]["pass"] + packet["summary"]["fail"] + packet["summary"]["unknown"] == 9
    assert packet["occupations"] and packet["skills"] and packet["employer_decisions"]
    assert {d["organisation"] for d in packet["employer_decisions"]} == {"Employer 1", "Employer 2"}
    assert packet["method"]["model"].startswith("all-MiniLM-L6-v2")
    assert packet["method"]["labour_data"] == {"oews": "May 2025", "projections": "2024-34"}
    assert any("Crosswalk SOC sets are broad" in line for line in packet["limitations"])
    # Which employers, when, what each decided; the aligner's weights; the attestation.
    assert [e["organisation"] for e in packet["employers"]] == ["Employer 1", "Employer 2"]
    assert all(e["people"] and e["first"] <= e["last"] and e["decisions"] for e in packet["employers"])
    assert "listwise linear rankers fitted on 714 programs" in packet["method"]["weights"]
    assert packet["attestation"]["reviewer"] is None and "Not approved" in packet["attestation"]["decisions"]
    below = packet["skills_below_threshold"]
    assert all(t["score"] >= 0.5 for t in packet["skills"])
    assert below is None or all(o["score"] < 0.5 and o["code"] in below["line"] for o in below["occupations"])

    started = time.perf_counter()
    pdf = render_pdf(packet)
    seconds = time.perf_counter() - started
    assert pdf.startswith(b"%PDF-")
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 2
    png = _page_one_png(pdf, OUTPUT, name)
    image = Image.open(png).convert("L")
    histogram = image.histogram()
    dark = sum(histogram[:200]) / (image.width * image.height)
    assert 0.01 < dark < 0.5, f"page 1 looks blank or black ({dark:.3%} dark pixels)"
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Workforce Pell evidence packet" in text and "Eligibility checks" in text
    html = render_html(packet)
    assert '<h2 id="checks">Eligibility checks</h2>' in html and "data:image/png;base64," in html
    assert html.index('<h2 id="limitations">') < html.index('<h2 id="attestation">Attestation</h2>')
    assert "Weights</dt><dd>n/a" not in html and packet["method"]["weights"] in html
    if below:
        assert below["line"] in html and all(
            f'<h3><span class="code">{o["code"]}</span>' not in html for o in below["occupations"]
        )
    last = PdfReader(io.BytesIO(pdf)).pages[-1].extract_text()
    assert "Attestation" in last and "Reviewer name" in last and "Signature" in last
    (OUTPUT / f"{name}.json").write_text(json.dumps(packet, indent=1))
    statuses = {k: v["status"] for k, v in checks.items()}
    print(
        f"\n{name} ({DEV_PROGRAMS[name]}): PDF {seconds:.2f} s, {pages} pages, {len(pdf):,} bytes; {statuses}"
    )


def test_dev_program_check_results(world: EvidenceWorld) -> None:
    """What the real data says about the three programs (NJ, OEWS May 2025)."""
    reviewer = world.partnership.actors["rev_nj"]
    welding, cdl, assistant = (
        _checks(build_packet(world.db, reviewer, world.ids[n], world.settings)) for n in DEV_PROGRAMS
    )
    for checks in (welding, cdl, assistant):
        assert checks["length_hours"]["status"] == "pass"  # 360, 240 and 386 clock hours
        assert checks["length_weeks"]["status"] == "unknown"  # ETPL records state no weeks
        assert checks["occupation_list"]["details"]["default_list_used"] is True
        assert checks["employer_validation"]["value"]["employers"] == 2
        assert checks["credential"]["status"] == "pass"
    # Two employers; welding's second employer decided on half the top occupation's taught
    # competencies (the default rule), so it passes; a state asking for 90% fails it, saying why.
    employer = welding["employer_validation"]
    assert employer["status"] == "pass", employer["reason"]
    assert employer["value"]["share_of_top_taught_decided"] >= 0.5
    assert employer["value"]["rule"] == {"min_employers": 2, "min_share": 0.5}
    strict = world.settings.model_copy(update={"employer_rules": {"NJ": EmployerRule(min_share=0.9)}})
    employer = _checks(build_packet(world.db, reviewer, world.ids["welding"], strict))["employer_validation"]
    assert employer["status"] == "fail" and "the rule needs 90%" in employer["reason"], employer["reason"]
    # The CDL and medical assistant curricula teach no competency of their top occupation fully
    # (partly at best): nothing for employers to validate, so the check cannot say.
    for checks in (cdl, assistant):
        employer = checks["employer_validation"]
        assert employer["status"] == "unknown" and "has no taught competency" in employer["reason"]
    assert cdl["wage"]["status"] == "pass"  # truck drivers $63,570 >= $58,570
    assert assistant["wage"]["status"] == "fail"  # medical assistants $47,210 < $58,570
    assert assistant["wage"]["value"]["bar"]["annual"] == 58570


def test_program_without_hours_or_weeks_gets_unknown_checks(world: EvidenceWorld) -> None:
    packet = build_packet(
        world.db, world.partnership.actors["rev_nj"], world.ids["no_length"], world.settings
    )
    checks = _checks(packet)
    assert checks["length_hours"]["status"] == "unknown" and checks["length_hours"]["value"] is None
    assert checks["length_weeks"]["status"] == "unknown"
    assert checks["credential"]["status"] == "unknown"
    assert render_pdf(packet).startswith(b"%PDF-")


def test_state_without_oews_rows_gets_an_unknown_wage_check(world: EvidenceWorld) -> None:
    admin = world.partnership.actors["admin"]
    packet = build_packet(world.db, admin, world.ids["no_oews_state"], world.settings)
    wage = _checks(packet)["wage"]
    assert packet["program"]["state"] == "AS"
    assert wage["status"] == "unknown"
    assert wage["reason"] == "the OEWS May 2025 data has no rows for state 'AS'"
    assert all(o["state_wage"] is None for o in packet["occupations"])
    assert render_html(packet)


# -- the API ---------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def client(world: EvidenceWorld, matcher) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(create_app(world.settings, matcher)) as c:
        yield c


def _error(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and body["error"]["status"] == status
    return body["error"]


def test_api_serves_json_html_and_pdf(world: EvidenceWorld, client: TestClient) -> None:
    h = world.partnership.headers("rev_nj")
    pid = world.ids["cdl"]
    r = client.get(f"/programs/{pid}/evidence", headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == "application/json"
    assert [c["id"] for c in r.json()["checks"]] == CHECK_IDS
    r = client.get(f"/programs/{pid}/evidence?format=html", headers=h)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert "Eligibility checks" in r.text
    r = client.get(f"/programs/{pid}/evidence", headers={**h, "Accept": "application/pdf"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF-")
    assert r.headers["content-disposition"] == f'attachment; filename="evidence-program-{pid}-v1.pdf"'
    r = client.get(
        f"/programs/{pid}/evidence", headers={**h, "Accept": "text/html,application/xhtml+xml,*/*"}
    )
    assert r.headers["content-type"].startswith("text/html")
    r = client.get(
        f"/programs/{pid}/evidence?version=1&format=json", headers=world.partnership.headers("prov_a")
    )
    assert r.status_code == 200 and r.json()["program"]["version"] == 1


def test_api_errors_have_the_one_shape(world: EvidenceWorld, client: TestClient) -> None:
    h = world.partnership.headers("rev_nj")
    pid = world.ids["cdl"]
    assert (
        _error(client.get("/programs/999999/evidence", headers=h), 404)["message"]
        == "unknown program id 999999"
    )
    assert _error(client.get(f"/programs/{pid}/evidence?format=docx", headers=h), 422)["code"] == "bad_input"
    assert _error(client.get(f"/programs/{pid}/evidence", headers={**h, "Accept": "image/png"}), 406)
    assert (
        "no version 7" in _error(client.get(f"/programs/{pid}/evidence?version=7", headers=h), 404)["message"]
    )
    assert _error(client.get(f"/programs/{pid}/evidence?version=0", headers=h), 422)
    assert _error(client.get(f"/programs/{pid}/evidence", headers=world.partnership.headers("rev_ny")), 404)
    assert _error(client.get(f"/programs/{pid}/evidence"), 401)
    assert _error(client.get("/programs/999999/ctdl", headers=h), 404)


def test_api_standards_exports(world: EvidenceWorld, client: TestClient) -> None:
    h = world.partnership.headers("emp1")  # shared with employer 1
    pid = world.ids["cdl"]
    r = client.get(f"/programs/{pid}/ctdl", headers=h)
    assert r.status_code == 200 and r.headers["content-type"] == "application/ld+json"
    doc = r.json()
    assert doc["@type"] == "ceterms:LearningProgram"
    assert "53-3032" in [o["ceterms:codedNotation"] for o in doc["ceterms:occupationType"]]
    r = client.get(f"/programs/{pid}/schema-org", headers=h)
    assert r.status_code == 200 and r.json()["@type"] == "EducationalOccupationalProgram"


def test_program_page_offers_the_packet_to_reviewers_not_employers(
    world: EvidenceWorld, client: TestClient
) -> None:
    pid = world.ids["welding"]
    for who, shown in (("rev_nj", True), ("emp1", False)):
        client.cookies.clear()
        r = client.post("/auth/login", json={"email": email(who), "password": PASSWORD})
        assert r.status_code == 200, r.text
        page = client.get(f"/ui/programs/{pid}")
        assert page.status_code == 200
        assert ("Download evidence packet" in page.text) is shown
        if shown:
            assert f'href="/programs/{pid}/evidence?format=pdf&amp;version=1"' in page.text
            pdf = client.get(f"/programs/{pid}/evidence?format=pdf")  # the session cookie is enough
            assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    client.cookies.clear()


# -- the command line (in process: tests/cli_support.py) --------------------------------------------
def _cli(world: EvidenceWorld, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {
        "MATCHER_HOME": str(world.settings.home),
        "MATCHER_DATA_DIR": str(world.settings.data_dir),
        "MATCHER_DATABASE_URL": world.settings.db_url,
    }
    return run_cli(*args, env=env, text=False)


def test_cli_writes_pdf_json_and_ctdl(world: EvidenceWorld, tmp_path: Path) -> None:
    pid = world.ids["medical_assistant"]
    r = _cli(world, "evidence", str(pid), "--format", "pdf", "-o", str(tmp_path / "ma.pdf"))
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "ma.pdf").read_bytes().startswith(b"%PDF-")
    assert b"pass" in r.stderr and b"fail" in r.stderr
    r = _cli(world, "evidence", str(pid))
    assert r.returncode == 0 and [c["id"] for c in json.loads(r.stdout)["checks"]] == CHECK_IDS
    r = _cli(world, "evidence", str(pid), "--format", "ctdl")
    assert json.loads(r.stdout)["@type"] == "ceterms:LearningProgram"
    r = _cli(world, "evidence", "999999")
    assert r.returncode == 3 and r.stderr.decode().strip() == "error: unknown program id 999999"
    r = _cli(world, "evidence", str(pid), "--format", "docx")
    assert r.returncode == 2 and b"Traceback" not in r.stderr


def test_cli_state_list_import_names_the_bad_line(world: EvidenceWorld, tmp_path: Path) -> None:
    bad = tmp_path / "nj.csv"
    bad.write_text("soc,title\n53-3032,Truck drivers\n53-30X2,typo\n")
    r = _cli(world, "state-list", "import", "NJ", str(bad))
    assert r.returncode == 2
    assert r.stderr.decode().strip().startswith("error: nj.csv line 3: '53-30X2' is not a SOC code")
    r = _cli(world, "state-list", "show", "NJ", "--json")
    assert r.returncode == 0 and json.loads(r.stdout)["derived"] is True


def test_an_imported_state_list_replaces_the_default(world: EvidenceWorld) -> None:
    """After this test NJ has its own list: keep it below the tests that expect the default."""
    admin, reviewer = world.partnership.actors["admin"], world.partnership.actors["rev_nj"]
    csv = (
        b"SOC Code,Occupation Title,Designation\n53-3032,Heavy and Tractor-Trailer Truck Drivers,In-Demand\n"
    )
    imported = import_state_list(
        world.db,
        admin,
        "nj",
        csv,
        labour_data(world.settings.data_dir),
        name="NJ In-Demand Occupations List",
        source="NJ Department of Labor and Workforce Development",
        vintage="2025",
        filename="nj-demand.csv",
    )
    assert imported.state == "NJ" and list(imported.codes) == ["53-3032"]
    cdl = _checks(build_packet(world.db, reviewer, world.ids["cdl"], world.settings))["occupation_list"]
    assert cdl["status"] == "pass" and cdl["vintage"] == "2025"
    assert cdl["source"] == "NJ Department of Labor and Workforce Development"
    assert cdl["details"]["default_list_used"] is False
    welding = build_packet(world.db, reviewer, world.ids["welding"], world.settings)
    assert _checks(welding)["occupation_list"]["status"] == "fail"
    assert not any("No state list is loaded" in line for line in welding["limitations"])
    from matcher.review.history import read_audit

    entries = read_audit(world.db, admin, entity="state_list")
    assert [e["action"] for e in entries] == ["state_list.import"]


def test_openapi_documents_the_evidence_routes_and_their_roles(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    for path in (
        "/programs/{program_id}/evidence",
        "/programs/{program_id}/ctdl",
        "/programs/{program_id}/schema-org",
    ):
        op = spec["paths"][path]["get"]
        assert "**Roles:**" in op["description"], path
        assert {"ApiKey", "SessionCookie"} <= {k for s in op["security"] for k in s}, path
    params = {p["name"] for p in spec["paths"]["/programs/{program_id}/evidence"]["get"]["parameters"]}
    assert {"format", "version"} <= params


def test_outcome_checks_read_the_imported_figures(world: EvidenceWorld) -> None:
    """Welding (nj-37324) has ETPL figures: completion passes, placement fails, value-added
    earnings ($41,000 - $23,940 = $17,060) exceed its $4,800 tuition; CDL has none: unknown."""
    admin, reviewer = world.partnership.actors["admin"], world.partnership.actors["rev_nj"]
    csv = (
        b"ETPL Program ID,Program Year,Completion Rate,Placement Rate,Median Earnings,Tuition\n"
        b'nj-37324,2024-25,78%,64%,"$41,000",4800\n'
    )
    report = import_outcomes(
        world.db, admin, "NJ", csv, filename="nj-etpl-2025.csv", source="NJ ETPL performance report 2025"
    )
    assert report.stored == 1
    packet = build_packet(world.db, reviewer, world.ids["welding"], world.settings)
    checks = _checks(packet)
    assert checks["completion"]["status"] == "pass" and checks["placement"]["status"] == "fail"
    earnings = checks["value_added_earnings"]
    assert earnings["status"] == "pass", earnings["reason"]
    assert earnings["reason"] == "$41,000 - $23,940 = $17,060 >= tuition and fees $4,800"
    assert earnings["source"].startswith("NJ ETPL performance report 2025; file nj-etpl-2025.csv, line 2")
    assert checks["placement"]["vintage"].startswith("period 2024-25")
    assert packet["method"]["outcome_rule"]["min_placement"] == 0.7
    html = render_html(packet)
    assert "Value-added earnings against tuition and fees" in html and "value added $17,060" in html
    pages = PdfReader(io.BytesIO(render_pdf(packet))).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Job placement" in text and "64.0% (bar 70%), period 2024-25" in text, text[:3000]
    cdl = _checks(build_packet(world.db, reviewer, world.ids["cdl"], world.settings))
    for cid in ("completion", "placement", "value_added_earnings"):
        assert cdl[cid]["status"] == "unknown" and cdl[cid]["reason"].startswith("unknown, needs: ")
