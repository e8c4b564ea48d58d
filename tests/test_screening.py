"""List screening (`matcher screen`): per-row reading of ETPL exports, resumability after a
kill, re-review flags when the state list changes, and who sees which results. Real model,
real slice indexes, real SQLite."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest

from matcher.db import Database
from matcher.screening.reader import read_exports

# Real NJ ETPL dev programs whose occupations are in the test data slice.
SLICE = ["nj-40812", "nj-48270", "nj-5329", "nj-49762", "nj-257", "nj-676"]
CIPS = {"48.0508", "49.0205"}


def _line(rec: dict[str, Any]) -> bytes:
    return (json.dumps(rec) + "\n").encode()


def test_reader_reports_bad_rows_with_lines_and_keeps_good_ones() -> None:
    good = {
        "id": "a",
        "title": "Welding",
        "provider": "P",
        "description": "MIG and TIG welding.",
        "clock_hours": 300,
    }
    content = b"".join(
        [
            _line(good),
            _line({**good, "id": "b", "description": ""}),  # line 2: no description
            _line({**good}),  # line 3: duplicate id
            _line({**good, "id": "c", "cip": "99.9999"}),  # line 4: unknown CIP
            b'{"id": "d", "title": \n',  # line 5: malformed JSON
            _line({**good, "id": "e", "title": "Soudure"})[:-2].replace(b"Soudure", b"Soudure \xe9") + b"}\n",
            _line({**good, "id": "f", "clock_hours": None, "cip": "48.0508"}),  # line 7: warning only
            _line({**good, "id": "g", "provider": ""}),  # line 8: warning only
        ]
    )
    header = b"id,title,provider,description,clock hours,cip\n"
    csv_bytes = (
        header
        + b"x1,Truck driving,School,Drive a tractor trailer.,240,49.0205\n"
        + b"x2,Caf\xe9 cook,School,Cook in a cafe.,200,\n"  # cp1252, not UTF-8: line 3
        + b'x3,"Multi\nline title",School,Forklift operation.,160,\n'  # lines 4-5
        + b"x4,No hours,School,Forklift.,,\n"
    )
    export = read_exports([("list.jsonl", content), ("list.csv", csv_bytes)], lambda c: c in CIPS)
    assert [r.external_id for r in export.rows] == ["a", "f", "g", "x1", "x3", "x4"]
    errors = {(p.file, p.line): p.error for p in export.errors}
    assert errors[("list.jsonl", 2)] == "no description"
    assert errors[("list.jsonl", 3)].startswith("duplicate program id 'a' (first on line 1")
    assert errors[("list.jsonl", 4)].startswith("unknown CIP code '99.9999'")
    assert errors[("list.jsonl", 5)].startswith("malformed JSON")
    assert errors[("list.jsonl", 6)].startswith("not valid UTF-8")
    assert errors[("list.csv", 3)].startswith("not valid UTF-8")
    assert len(errors) == 6
    warnings = {(p.file, p.line, p.id): p.error for p in export.warnings}
    assert warnings[("list.jsonl", 7, "f")].startswith("no clock hours")
    assert warnings[("list.jsonl", 8, "g")].startswith("no provider")
    assert warnings[("list.csv", 6, "x4")].startswith("no clock hours")
    assert next(r for r in export.rows if r.external_id == "x3").line == 4
    assert next(r for r in export.rows if r.external_id == "f").program.cip == "48.0508"


def _slice_file(tmp_path: Path, ids: list[str]) -> Path:
    from conftest import _etpl_records

    records = _etpl_records()
    path = tmp_path / "slice.jsonl"
    path.write_text("".join(json.dumps(records[i]) + "\n" for i in ids))
    return path


def _env(settings, db_path: Path) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "MATCHER_DATA_DIR": str(settings.data_dir),
        "MATCHER_HOME": str(settings.home),
        "MATCHER_DATABASE_URL": f"sqlite:///{db_path}",
    }


def _table(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as f:
        return {r["etpl_id"]: {k: v for k, v in r.items() if k != "program_id"} for r in csv.DictReader(f)}


def test_killed_run_resumes_without_redoing_finished_programs(
    cli, settings, index_store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    export = _slice_file(tmp_path, SLICE)
    env = _env(settings, tmp_path / "killed.db")
    import matcher.screening.run as run_module

    real, stored = run_module.store_result, []

    def dies_after_three(*args: Any, **kw: Any) -> int:
        if len(stored) == 3:
            raise KeyboardInterrupt  # the kill, between two programs' transactions
        stored.append(args[1].external_id)
        return real(*args, **kw)

    monkeypatch.setattr(run_module, "store_result", dies_after_three)
    r = cli("screen", str(export), "--state", "NJ", "--out", str(tmp_path / "a"), env=env)
    assert stored == SLICE[:3] and r.returncode != 0, r.stderr
    assert not (tmp_path / "a" / "screening.csv").exists()
    monkeypatch.setattr(run_module, "store_result", real)

    again = cli("screen", str(export), "--state", "nj", "--out", str(tmp_path / "a"), "--json", env=env)
    assert again.returncode == 0, again.stderr
    run = json.loads(again.stdout)
    assert run["counts"]["screened"] == 3 and run["counts"]["already_done"] == 3
    assert run["status"] == "finished"

    fresh = cli(
        "screen",
        str(export),
        "--state",
        "NJ",
        "--out",
        str(tmp_path / "b"),
        "--json",
        env=_env(settings, tmp_path / "fresh.db"),
    )
    assert fresh.returncode == 0, fresh.stderr
    assert json.loads(fresh.stdout)["counts"]["screened"] == 6
    resumed, never_killed = _table(tmp_path / "a" / "screening.csv"), _table(tmp_path / "b" / "screening.csv")
    assert resumed == never_killed and set(resumed) == set(SLICE)
    assert {"check_length_hours", "check_wage", "check_occupation_list"} <= set(next(iter(resumed.values())))
    assert json.loads((tmp_path / "a" / "screening.json").read_text())["run"]["counts"]["rows"] == 6
    from openpyxl import load_workbook

    wb = load_workbook(tmp_path / "a" / "screening.xlsx", read_only=True)
    assert sum(1 for _ in wb["Programs"].iter_rows()) == 7

    # a third run has nothing to do; the database holds one program per ETPL id
    third = cli("screen", str(export), "--state", "NJ", "--json", env=env)
    assert json.loads(third.stdout)["counts"] == {
        **json.loads(third.stdout)["counts"],
        "screened": 0,
        "already_done": 6,
    }
    db = Database(env["MATCHER_DATABASE_URL"])
    from sqlalchemy import func, select

    from matcher.review.tables import AlignmentSnapshot, ProgramRecord

    with db.session() as s:
        assert s.scalar(select(func.count()).select_from(ProgramRecord)) == 6
        assert s.scalar(select(func.count()).select_from(AlignmentSnapshot)) == 6


@pytest.fixture(scope="module")
def screened(settings, matcher, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The SLICE programs screened through ``POST /screenings`` by the NJ reviewer, two of them
    under Provider A (an organisation that exists), the others under providers made on the fly."""
    from conftest import _etpl_records
    from fastapi.testclient import TestClient
    from review_support import build_partnership

    from matcher.settings import Settings
    from service.app import create_app

    home = tmp_path_factory.mktemp("screening-api")
    s = Settings(
        data_dir=settings.data_dir, home=settings.home, database_url=f"sqlite:///{home / 'screen.db'}"
    )
    db = Database(s.db_url)
    p = build_partnership(db)
    records = _etpl_records()
    providers = {
        SLICE[0]: "Provider A",
        SLICE[1]: "Provider A",
        SLICE[2]: "NJ Office",
    }  # NJ Office: a state org
    rows = [dict(records[i], provider=providers.get(i, records[i]["provider"])) for i in SLICE]
    body = "".join(json.dumps(r) + "\n" for r in rows)
    with TestClient(create_app(s, matcher)) as client:
        yield {"client": client, "p": p, "db": db, "body": body, "settings": s}
    db.dispose()


def _nd(p, who: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {**p.headers(who), "Content-Type": "application/x-ndjson"}


def test_screening_api_roles_and_visibility(screened, matcher) -> None:  # type: ignore[no-untyped-def]
    from matcher.review import programs

    client, p = screened["client"], screened["p"]
    for who in ("prov_a", "emp1", "rev_ny"):
        r = client.post("/screenings?state=NJ", content=screened["body"], headers=_nd(p, who))
        assert r.status_code == 403 and r.json()["error"]["code"], (who, r.text)
    r = client.post("/screenings?state=NJ", content=screened["body"], headers=_nd(p, "rev_nj"))
    assert r.status_code == 200, r.text
    run = r.json()
    assert run["counts"]["screened"] == len(SLICE) and len(run["programs"]) == len(SLICE)
    own = {x["program_id"] for x in run["programs"] if x["provider"]["name"] == "Provider A"}
    assert len(own) == 2
    assert (
        next(x for x in run["programs"] if x["external_id"] == SLICE[2])["provider"]["name"]
        == "NJ Office (NJ)"
    )

    def visible(who: str, fmt: str = "json") -> set[int]:
        r = client.get(f"/screenings/results?format={fmt}", headers=p.headers(who))
        assert r.status_code == 200, r.text
        if fmt == "csv":
            return {int(row["program_id"]) for row in csv.DictReader(r.text.splitlines())}
        return {x["program_id"] for x in r.json()["results"]}

    everything = {x["program_id"] for x in run["programs"]}
    assert visible("rev_nj") == visible("admin") == everything
    assert visible("prov_a") == visible("prov_a", "csv") == own
    assert visible("prov_b") == visible("rev_ny") == visible("emp1") == set()
    shared = min(own)
    programs.share_program(screened["db"], p.actors["prov_a"], shared, p.orgs["Employer 1"]["id"])
    assert visible("emp1") == visible("emp1", "csv") == {shared}
    assert visible("emp2") == set()
    assert client.get(f"/screenings/results/{shared}", headers=p.headers("emp1")).status_code == 200
    other = max(everything - own)
    assert client.get(f"/screenings/results/{other}", headers=p.headers("emp1")).status_code == 404
    assert client.get(f"/screenings/results/{other}", headers=p.headers("prov_a")).status_code == 404
    # the stored checks are the evidence packet's checks of the same snapshot
    first = run["programs"][0]
    packet = client.get(f"/programs/{first['program_id']}/evidence?format=json", headers=p.headers("rev_nj"))
    assert packet.status_code == 200, packet.text
    assert [(c["id"], c["status"]) for c in packet.json()["checks"]] == [
        (c["id"], c["status"]) for c in first["checks"]
    ]
    assert client.get(f"/screenings/{run['id']}", headers=p.headers("prov_a")).status_code == 403
    assert client.get(f"/screenings/{run['id']}", headers=p.headers("rev_nj")).json()["status"] == "finished"

    # sent again: nothing is computed twice; bad rows are reported per line, good rows kept
    bad = screened["body"] + '{"id": "nj-x", "title": "No text", "provider": "Q", "description": ""}\n'
    r = client.post("/screenings?state=NJ", content=bad, headers=_nd(p, "rev_nj"))
    assert r.status_code == 200, r.text
    assert r.json()["counts"]["screened"] == 0 and r.json()["counts"]["already_done"] == len(SLICE)
    assert r.json()["errors"] == [
        {"file": "export.jsonl", "line": len(SLICE) + 1, "id": "nj-x", "error": "no description"}
    ]
    r = client.post(
        "/screenings?state=NJ",
        content=b"id,title\n1,\xff\xfe\n",
        headers={**p.headers("rev_nj"), "Content-Type": "text/csv"},
    )
    assert r.status_code == 422 and "no row" in r.json()["error"]["message"]


def test_a_new_state_list_flags_exactly_the_affected_programs(screened, matcher) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from matcher.evidence.labour import labour_data
    from matcher.evidence.state_lists import import_state_list
    from matcher.review import Actor
    from matcher.screening.run import align_local, screen
    from matcher.screening.tables import ScreeningResult

    db, s, p = screened["db"], screened["settings"], screened["p"]
    if not screened["client"].get("/screenings/results", headers=p.headers("admin")).json()["total"]:
        test_screening_api_roles_and_visibility(screened, matcher)
    labour = labour_data(s.data_dir)
    with db.session() as ses:
        results = list(ses.scalars(select(ScreeningResult)))
        counted = {r.program_id: {o["soc"] for o in r.occupations if o["counted"]} for r in results}
    # an occupation counted for some programs but not all
    socs = sorted(
        {soc for v in counted.values() for soc in v}, key=lambda x: sum(x in v for v in counted.values())
    )
    added = socs[0]
    expected = {pid for pid, v in counted.items() if added in v}
    assert expected and len(expected) < len(results)
    admin = Actor.command_line("test")
    import_state_list(db, admin, "NJ", b"soc\n13-2011\n", labour, name="NJ list", vintage="2025")

    def run_screen(refresh: bool = True):  # type: ignore[no-untyped-def]
        return screen(
            db,
            admin,
            None,
            "NJ",
            versions=matcher.versions,
            aligner=align_local(matcher),
            settings=s,
            labour=labour,
            refresh=refresh,
        )

    first = run_screen()  # the change from the derived default list flags many; recompute them
    assert first.run["counts"]["screened"] == first.flagged.get("state_list", 0)
    import_state_list(
        db, admin, "NJ", f"soc\n13-2011\n{added}\n".encode(), labour, name="NJ list", vintage="2026"
    )
    check = run_screen(refresh=False)  # `matcher screen --state NJ`: flags only, nothing computed
    assert check.flagged == {"state_list": len(expected)}
    assert check.run["counts"]["screened"] == 0 and check.run["counts"]["flagged_left"] == len(expected)
    with db.session() as ses:
        flagged = {
            r.program_id: r.flags for r in ses.scalars(select(ScreeningResult).where(ScreeningResult.flagged))
        }
    assert set(flagged) == expected
    for flags in flagged.values():
        assert [f["kind"] for f in flags] == ["state_list"]
        assert f"{added} " in flags[0]["reason"] and "added to the list" in flags[0]["reason"]
        assert "NJ list (2026)" in flags[0]["reason"]
    again = run_screen()  # --refresh recomputes exactly the flagged ones
    assert again.run["counts"]["screened"] == len(expected) and again.run["counts"]["already_done"] == len(
        results
    ) - len(expected)
    with db.session() as ses:
        assert not list(ses.scalars(select(ScreeningResult).where(ScreeningResult.flagged)))
        on_list = [
            o
            for r in ses.scalars(select(ScreeningResult))
            for o in r.occupations
            if o["soc"] == added and o["counted"]
        ]
    assert on_list and all(o["on_list"] for o in on_list)


def test_dask_workers_align_as_this_process_does(settings, matcher, etpl) -> None:  # type: ignore[no-untyped-def]
    from matcher.pipeline import RuntimeConfig, dask_client, install_runtime
    from matcher.program import Program
    from matcher.screening.plan import Item
    from matcher.screening.run import align_dask, align_local

    config = RuntimeConfig.from_settings(settings, threads=1)
    install_runtime(config, matcher)  # in-process workers share the session's matcher
    items = [
        Item(
            i,
            "",
            Program.model_validate({k: etpl[i][k] for k in ("title", "description")}),
            None,
            True,
            "new",
        )
        for i in SLICE[:3]
    ]
    local = {it.external_id: aligned for it, aligned in align_local(matcher)(items)}
    with dask_client(workers=2, processes=False) as client:
        remote = {it.external_id: aligned for it, aligned in align_dask(client, config)(items)}
    assert remote.keys() == local.keys()
    for k, (alignment, gaps) in local.items():
        codes = [o["code"] for o in alignment["occupations"]]
        assert [o["code"] for o in remote[k][0]["occupations"]] == codes
        assert [g["coverage"] for g in remote[k][1]] == [g["coverage"] for g in gaps]
