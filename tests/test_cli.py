"""The command line against the slice indexes: in this process (``tests/cli_support.py``), and
once end to end as a real ``python -m matcher`` process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import run_cli


@pytest.fixture
def run(cli, settings, index_store):  # type: ignore[no-untyped-def]
    env = {"MATCHER_DATA_DIR": str(settings.data_dir), "MATCHER_HOME": str(settings.home)}

    def _run(*args: str, stdin: str | None = None):  # type: ignore[no-untyped-def]
        return cli(*args, env=env, stdin=stdin)

    return _run


def test_end_to_end_smoke(settings, index_store, etpl: dict[str, dict], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """The installed entry point as a real process: settings from the environment, the model
    and the indexes loaded from disk, JSON on stdout, exit status 0."""
    f = tmp_path / "cdl.json"
    f.write_text(json.dumps(etpl["nj-48270"]))
    env = {**os.environ, "MATCHER_DATA_DIR": str(settings.data_dir), "MATCHER_HOME": str(settings.home)}
    r = subprocess.run(
        [sys.executable, "-m", "matcher", "align", str(f), "--json", "--top", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["occupations"][0]["code"] == "53-3032.00" and len(d["occupations"]) == 3


def test_align_json(run, etpl: dict[str, dict], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "cdl.json"
    f.write_text(json.dumps(etpl["nj-48270"]))
    r = run("align", str(f), "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["occupations"][0]["code"] == "53-3032.00"
    assert {"code", "title", "score", "evidence"} <= set(d["occupations"][0])


def test_align_text_from_stdin_and_table(run) -> None:  # type: ignore[no-untyped-def]
    r = run("align", "-", stdin="Welding Certificate\nMIG, TIG and stick welding of steel and aluminum.\n")
    assert r.returncode == 0, r.stderr
    assert "51-4121.00" in r.stdout


@pytest.mark.parametrize(
    ("content", "name", "args", "needle"),
    [
        ('{"title": " "}', "p.json", (), "no text"),
        ("{oops", "p.json", (), "malformed JSON"),
        ("title: [", "p.yaml", (), "malformed YAML"),
        ('{"title": "Welding"}', "p.json", ("--format", "docx2"), "unknown format"),
    ],
)
def test_bad_input_one_line_nonzero(run, tmp_path: Path, content, name, args, needle) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / name
    f.write_text(content)
    r = run("align", str(f), *args)
    assert r.returncode != 0
    assert needle in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_gaps_unknown_code_and_missing_file(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "p.json"
    f.write_text('{"title": "Welding", "description": "MIG welding"}')
    r = run("gaps", str(f), "--occupation", "51-4129.00")
    assert r.returncode == 3 and "Did you mean" in r.stderr and "Traceback" not in r.stderr
    r = run("align", str(tmp_path / "missing.json"))
    assert r.returncode == 2 and "no such file" in r.stderr


def test_missing_data_dir_and_index(tmp_path: Path) -> None:
    env = {"MATCHER_DATA_DIR": str(tmp_path / "none"), "MATCHER_HOME": str(tmp_path)}
    r = run_cli("search", "occupations", "welder", env=env)
    assert r.returncode == 4 and "MATCHER_DATA_DIR" in r.stderr and "Traceback" not in r.stderr


def test_search_json(run) -> None:  # type: ignore[no-untyped-def]
    r = run("search", "occupations", "nurse aide", "--json", "-k", "3")
    assert r.returncode == 0, r.stderr
    codes = [h["code"] for h in json.loads(r.stdout)["results"]]
    assert "31-1131.00" in codes


def test_eval_json_is_one_object(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from tests_helpers import gold_records

    f = tmp_path / "p.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in gold_records(["nj-48270", "nj-5329"])))
    r = run("eval", "programs", "--file", str(f), "--method", "default", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["n"] == 2 and 0 <= d["soc_mrr"] <= 1 and "cip_top5" in d
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": "x"}\n')
    r = run("eval", "programs", "--file", str(bad))
    assert r.returncode == 2 and "line 1" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize(
    "args",
    [("align",), ("postings", "import"), ("no-such-command",), ("align", "--no-such-option", "x")],
)
def test_usage_errors_are_messages_not_tracebacks(args: tuple[str, ...]) -> None:
    # typer bundles its own click copy; its usage errors must still become a usage message + exit 2
    r = run_cli(*args)
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr
    assert "Error:" in r.stderr and "Usage:" in r.stderr


def test_train_encoder_rejects_a_bad_quota_before_training(tmp_path: Path) -> None:
    r = run_cli("train-encoder", "--quota", "onet_title=lots", "--out", str(tmp_path / "a"))
    assert r.returncode == 2 and "bad --quota" in r.stderr and "onet_title" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "a").exists()


def test_gaps_with_a_soc_2010_code_uses_its_successor(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "cna.json"
    f.write_text('{"title": "Nurse Aide", "description": "Bathing, feeding and vital signs of residents."}')
    r = run("gaps", str(f), "--occupation", "31-1014.00", "--top", "2")
    assert r.returncode == 0, r.stderr
    assert "31-1014.00 is a SOC 2010 code; its SOC 2018 successor 31-1131.00 is used" in r.stderr
    r = run("gaps", str(f), "--occupation", "15-1132.00")  # split in 2018: the user chooses
    assert r.returncode == 3 and "15-1252.00" in r.stderr and "15-1253.00" in r.stderr


def test_table_cells_are_printed_as_written(monkeypatch: pytest.MonkeyPatch) -> None:
    """A cell is data, not rich markup: the evidence's "[file, course, outcome]" place was
    swallowed as an unknown style tag before."""
    import io

    from rich.console import Console

    from matcher.cli import ui

    buf = io.StringIO()
    monkeypatch.setattr(ui, "out", Console(file=buf, width=200))
    ui.print_table("Taught", ["evidence"], [("Install workstations [network-support.docx, course NET 100]",)])
    assert "[network-support.docx, course NET 100]" in buf.getvalue()


def test_align_table_evidence_shows_what_the_program_says() -> None:
    """A title or task match names the program's own words beside what they matched, so the
    O*NET title matched ("Certified Executive Chef (CEC)") is not read as the program's; a stated
    code or credential is shown as the program gives it."""
    from matcher.align.results import Evidence
    from matcher.cli.core import _why

    title = Evidence(
        "title", "Certified Executive Chef (CEC)", "title:35-1011.00", 0.6437, "Line Cook Certificate"
    )
    assert _why(title) == 'title "Line Cook Certificate" ~ Certified Executive Chef (CEC) (0.64)'
    long = Evidence("task", "Cook foods.", "task:1", 0.7, "Prepare " + "stocks, sauces and soups " * 5)
    assert _why(long).startswith('task "Prepare stocks') and '…" ~ Cook foods. (0.70)' in _why(long)
    stated = Evidence("stated", "11-3021.00", "stated:11-3021.00", 1.0, "11-3021.00")
    assert _why(stated) == "stated: 11-3021.00 (1.00)"
