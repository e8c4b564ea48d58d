"""The Workforce Pell outcome tests: reading outcome files (CSV, XLSX, a column mapping, bad rows
named by line), storing them in a real database (SQLite and PostgreSQL) and finding a program's
figures, the three checks with their formulas, and `matcher outcomes import`."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from cli_support import run_cli
from review_support import build_partnership

from matcher.db import Database
from matcher.errors import BadInputError, ForbiddenError
from matcher.evidence.formatting import value_text
from matcher.outcomes.checks import earnings_check, outcome_checks, program_tuition
from matcher.outcomes.reader import read_outcomes
from matcher.outcomes.store import import_outcomes, outcome_of_record
from matcher.program import Program
from matcher.review import programs
from matcher.review.tables import ProgramRecord
from matcher.settings import OutcomeRule, Settings

pytest_plugins = ("test_db_support",)  # fixtures: db_url (SQLite and PostgreSQL), database

GOOD = (
    "ETPL Program ID,Provider,Program Year,Completion Rate,Job Placement Rate,Median Earnings,"
    "Tuition,Enrolled,Completers,Placed\n"
    'nj-37324,Provider A,2024-25,81%,0.74,"$42,500",4200,,,\n'
    "nj-48270,Provider A,2024-25,,,31000,,40,26,20\n"
)
BAD = (
    b"program_id,period,completion_rate,placement_rate,median_earnings\n"
    b"nj-1,2024,72,70,30000\n"
    b",2024,72,70,30000\n"  # line 3: no program id
    b"nj-2,2024,172,70,30000\n"  # line 4: rate over 100
    b"nj-1,2024,75,71,31000\n"  # line 5: duplicate of line 2
    b"nj-3,2024,,,\n"  # line 6: no figures
    b"nj-4,2024,seventy,70,30000\n"  # line 7: not a number
    b"nj-5 caf\xe9,2024,72,70,30000\n"  # line 8: Latin-1, not UTF-8
)


def test_reader_maps_headers_and_computes_rates_from_counts() -> None:
    got = read_outcomes(GOOD.encode(), "nj.csv")
    assert got.errors == [] and got.received == 2
    assert got.columns["program_ref"] == "ETPL Program ID" and got.columns["period"] == "Program Year"
    first, second = got.rows
    assert (first["completion_rate"], first["placement_rate"]) == (0.81, 0.74)
    assert first["median_earnings"] == 42500 and first["tuition_and_fees"] == 4200 and first["line"] == 2
    assert second["completion_rate"] == 26 / 40 and second["placement_rate"] == 20 / 26


def test_reader_reports_each_bad_row_by_line_and_keeps_the_good() -> None:
    got = read_outcomes(BAD, "bad.csv")
    assert [r["program_ref"] for r in got.rows] == ["nj-1"]
    lines = {e["line"]: e["message"] for e in got.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8]
    assert lines[3] == "no program id"
    assert "outside 0-100%" in lines[4]
    assert lines[5] == "program nj-1 period 2024 is also on line 2"
    assert lines[6].startswith("no completion rate")
    assert "'seventy' is not a rate" in lines[7]
    assert "not UTF-8" in lines[8]


def test_reader_refuses_a_file_without_the_needed_columns_and_honours_a_mapping() -> None:
    with pytest.raises(BadInputError, match="no column for program_ref"):
        read_outcomes(b"name,period,completion_rate\nx,2024,0.7\n", "x.csv")
    got = read_outcomes(
        b"Course,Cohort,Finished %\nnj-9,2023,71\n",
        "x.csv",
        {"program_ref": "Course", "completion_rate": "Finished %"},
    )
    assert got.rows[0]["program_ref"] == "nj-9" and got.rows[0]["completion_rate"] == 0.71
    with pytest.raises(BadInputError, match="not a column of the file"):
        read_outcomes(b"program_id,period,completion\n", "x.csv", {"placement_rate": "Placed %"})


def test_reader_reads_xlsx_with_row_numbers() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["program_id", "period", "completion_rate", "placement_rate", "median_earnings"])
    ws.append(["nj-1", "2024-25", 0.9, 0.8, 35000])
    ws.append(["nj-2", "2024-25", "n/a", 0.8, 35000])
    buf = io.BytesIO()
    wb.save(buf)
    got = read_outcomes(buf.getvalue(), "nj.xlsx")
    assert [r["program_ref"] for r in got.rows] == ["nj-1"] and got.rows[0]["median_earnings"] == 35000
    assert got.errors == [
        {"line": 3, "program": "nj-2", "message": "completion_rate 'n/a' is not a rate (0.72, 72 or 72%)"}
    ]


def _outcome(**kw: object) -> dict[str, object]:
    base = {
        "period": "2024-25",
        "completion_rate": 0.81,
        "placement_rate": 0.66,
        "median_earnings": 30_000.0,
        "earnings_period": "",
        "price_parity": None,
        "tuition_and_fees": None,
        "enrolled": 100,
        "completers": 81,
        "placed": 53,
        "source": "NJ ETPL performance data",
        "file": "nj.csv",
        "line": 2,
        "imported_at": "2026-12-06T17:00:00+00:00",
    }
    return {**base, **kw}


def test_checks_pass_fail_and_unknown_with_figure_source_and_period() -> None:
    rule = OutcomeRule()
    completion, placement, earnings = (
        c.to_dict() for c in outcome_checks(_outcome(), (5000.0, "program"), rule)
    )
    assert (
        completion["status"] == "pass"
        and completion["reason"] == "81.0% (81 of 100) >= 70% in period 2024-25"
    )
    assert placement["status"] == "fail" and placement["reason"].startswith("66.0% (53 of 81) < 70%")
    assert completion["source"] == "NJ ETPL performance data; file nj.csv, line 2"
    assert completion["vintage"] == "period 2024-25 (imported 2026-12-06)"
    # $30,000 - 1.5 x $15,960 = $6,060 >= $5,000.
    assert earnings["status"] == "pass" and earnings["value"]["value_added_earnings"] == 6060
    assert "150% of the 2026 HHS poverty guideline for one person ($15,960) = $23,940" in earnings["rule"]
    assert "Public Law 119-21" in earnings["rule"]
    assert (
        value_text(earnings)
        == "median earnings $30,000 (2024-25); value added $6,060 against tuition and fees $5,000"
    )
    dear = earnings_check(_outcome(), (6500.0, "program"), rule)
    assert dear.status.value == "fail" and dear.reason.endswith("< tuition and fees $6,500")
    # Regional price parity: $30,000 / 110 x 100 = $27,273; $27,273 - $23,940 = $3,333.
    parity = earnings_check(_outcome(price_parity=110.0), (3000.0, "program"), rule)
    assert parity.status.value == "pass" and parity.value["value_added_earnings"] == pytest.approx(
        3332.73, abs=0.01
    )
    # A state's own bar replaces the poverty line and the rule says so.
    state = earnings_check(_outcome(), (5000.0, "program"), OutcomeRule(earnings_bar=28_000))
    assert state.status.value == "fail" and "the state's configured bar of $28,000" in state.rule
    assert "(the state's rule)" in state.rule


def test_missing_data_gives_unknown_saying_what_is_needed() -> None:
    checks = [c.to_dict() for c in outcome_checks(None, (None, ""), OutcomeRule())]
    assert [c["status"] for c in checks] == ["unknown"] * 3
    assert {c["vintage"] for c in checks} == {"no reporting period"}
    assert {c["source"] for c in checks} == {"no outcome data imported for this program"}
    assert checks[0]["reason"].startswith("unknown, needs: the program's completion rate (import")
    assert "matcher outcomes import" in checks[1]["reason"]
    assert "tuition and fees" in checks[2]["reason"] and "median annual earnings" in checks[2]["reason"]
    partial = earnings_check(_outcome(median_earnings=None), (4000.0, "program"), OutcomeRule()).to_dict()
    assert partial["reason"] == "unknown, needs: the median annual earnings of completers for period 2024-25"
    assert program_tuition(None, "v1", _outcome(tuition_and_fees=900.0)) == (900.0, "nj.csv, line 2")
    assert program_tuition(1200.0, "program version 1", _outcome(tuition_and_fees=900.0)) == (
        1200.0,
        "program version 1, field tuition_and_fees",
    )


def test_settings_read_a_state_outcome_rule() -> None:
    s = Settings(outcome_rules={"nj": OutcomeRule(min_completion=0.8)})
    assert s.outcome_rule_for("NJ").min_completion == 0.8 and s.outcome_rule_for("NY").min_completion == 0.7


def test_import_stores_good_rows_and_finds_a_programs_latest_figures(database: Database) -> None:
    p = build_partnership(database)
    prov, admin = p.actors["prov_a"], p.actors["admin"]
    pid = programs.create_program(
        database, prov, Program(id="nj-37324", title="Welding", description="MIG and TIG welding.")
    )["id"]
    with pytest.raises(ForbiddenError):
        import_outcomes(database, prov, "NJ", GOOD.encode(), filename="nj.csv")
    older = GOOD.replace("2024-25", "2023-24").replace("81%", "60%")
    first = import_outcomes(database, admin, "nj", older.encode(), filename="old.csv", kind="provider")
    assert (first.stored, first.errors, first.state) == (2, [], "NJ")
    report = import_outcomes(
        database, p.actors["rev_nj"], "NJ", GOOD.encode() + b"nj-1,,x\n", filename="nj.csv"
    )
    assert report.stored == 2 and [e["line"] for e in report.errors] == [4]
    with database.session() as s:
        found = outcome_of_record(s, s.get(ProgramRecord, pid))
    assert found is not None
    assert (found["period"], found["completion_rate"], found["kind"]) == ("2024-25", 0.81, "etpl")
    assert found["source"] == "the state's ETPL performance data (nj.csv)" and found["line"] == 2
    nothing = import_outcomes(
        database, admin, "NJ", b"program_id,period,completion_rate\n,2024,1\n", filename="x.csv"
    )
    assert nothing.stored == 0 and nothing.import_id is None


def test_cli_import_reports_bad_lines_and_exits_non_zero_when_nothing_is_stored(
    database: Database, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    env = {"MATCHER_DATABASE_URL": database.url, "MATCHER_HOME": str(tmp_path)}
    good, bad = tmp_path / "nj.csv", tmp_path / "bad.csv"
    good.write_bytes(BAD)
    r = run_cli("outcomes", "import", str(good), "--state", "NJ", "--source", "NJ DOL ETPL 2025", env=env)
    assert r.returncode == 0, r.stderr
    assert "7 rows read, 1 stored, 6 bad" in r.stderr and "bad.csv" not in r.stderr
    assert "nj.csv line 5: program nj-1 period 2024 is also on line 2" in r.stderr
    bad.write_bytes(b"program_id,period,completion_rate\n,2024,0.7\n")
    r = run_cli("outcomes", "import", str(bad), "--state", "NJ", "--json", env=env)
    assert r.returncode == 2 and json.loads(r.stdout)["errors"][0] == {
        "line": 2,
        "program": "",
        "message": "no program id",
    }
    r = run_cli("outcomes", "import", str(tmp_path / "none.csv"), "--state", "NJ", env=env)
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_cli_show_prints_the_figures_a_packet_reads(database: Database, tmp_path) -> None:  # type: ignore[no-untyped-def]
    p = build_partnership(database)
    pid = programs.create_program(
        database, p.actors["prov_a"], Program(id="nj-37324", title="Welding", description="MIG welding.")
    )["id"]
    env = {"MATCHER_DATABASE_URL": database.url, "MATCHER_HOME": str(tmp_path)}
    r = run_cli("outcomes", "show", str(pid), env=env)
    assert r.returncode == 0 and json.loads(r.stdout) is None
    import_outcomes(database, p.actors["admin"], "NJ", GOOD.encode(), filename="nj.csv")
    r = run_cli("outcomes", "show", str(pid), env=env)
    assert json.loads(r.stdout)["placement_rate"] == 0.74
    assert run_cli("outcomes", "show", "999", env=env).returncode == 3


def test_api_import_by_the_states_reviewer(database: Database) -> None:
    from fastapi.testclient import TestClient

    from service.app import create_app

    p = build_partnership(database)
    client = TestClient(create_app(Settings(database_url=database.url), None))  # no matcher needed

    def post(who: str, content: bytes, **data: str):  # type: ignore[no-untyped-def]
        files = {"file": ("nj.csv", content, "text/csv")}
        return client.post("/outcomes", files=files, data={"state": "NJ", **data}, headers=p.headers(who))

    r = post("rev_nj", BAD, source="NJ DOL", mapping='{"completion_rate": "completion_rate"}')
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["stored"] == 1 and [e["line"] for e in body["errors"]] == [3, 4, 5, 6, 7, 8]
    assert body["source"] == "NJ DOL"
    for who in ("rev_ny", "prov_a", "emp1"):
        assert post(who, BAD).status_code == 403
    refused = post("admin", b"program_id,period,completion_rate\n,2024,0.7\n")
    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["errors"][0] == {
        "line": 2,
        "program": "",
        "message": "no program id",
    }
    assert post("admin", BAD, mapping="[1]").status_code == 422
    assert post("admin", b"name,year\n").status_code == 422
