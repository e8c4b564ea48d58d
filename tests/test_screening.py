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
    header = "id,title,provider,description,clock hours,cip\n".encode()
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
