from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from matcher.errors import DataMissingError
from matcher.sources import DataDir
from matcher.sources.cip import normalise_cip


def test_loaders_read_real_rows(data_dir: Path) -> None:
    d = DataDir(data_dir)
    occ = {o.code: o for o in d.onet.occupations}
    assert occ["51-4121.00"].title == "Welders, Cutters, Solderers, and Brazers"
    assert occ["51-4121.00"].soc == "51-4121"
    tasks = [t for t in d.onet.tasks if t.code == "53-3032.00"]
    assert tasks and all(t.text for t in tasks) and any(t.core for t in tasks)
    tech = [t for t in d.onet.technology_skills if t.code == "15-1252.00"]
    assert any(t.hot for t in tech) and any(t.in_demand for t in tech)
    skills = [r for r in d.onet.skills if r.code == "31-9092.00"]
    assert all(r.importance is None or 1 <= r.importance <= 5 for r in skills)
    assert any(r.level is not None for r in skills)
    assert d.onet.job_zones["51-4121.00"] in {1, 2, 3, 4, 5}
    assert d.onet.version == "29.3"
    assert d.esco.version == "1.1.1"
    assert d.esco.occupations and d.esco.skills and d.esco.occupation_skills
    assert {r.relation for r in d.esco.occupation_skills} <= {"essential", "optional"}
    assert d.cip.cip_to_soc["49.0205"][:2] == ["25-1194", "53-3032"]
    assert all(c.code.count(".") == 1 and len(c.code) == 7 for c in d.cip.codes)
    nat = {w.soc: w for w in d.bls.wages_national}
    assert nat["15-1252"].annual_median == 135980.0  # SOURCES.md check value
    assert d.bls.projections and d.bls.projections_version == "2024-34"
    assert d.bls.oews_version == "May 2025"


def test_missing_column_is_named(tmp_path: Path, data_dir: Path) -> None:
    shutil.copytree(data_dir, tmp_path / "d")
    path = tmp_path / "d" / "onet" / "Task Statements.txt"
    lines = path.read_text().splitlines()
    lines[0] = lines[0].replace("Task ID", "TaskIdentifier")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(DataMissingError, match="lacks column.*'Task ID'"):
        _ = DataDir(tmp_path / "d").onet.tasks


def test_missing_file_and_dir_explain_what_to_do(tmp_path: Path, data_dir: Path) -> None:
    with pytest.raises(DataMissingError, match="MATCHER_DATA_DIR"):
        DataDir(tmp_path / "nowhere")
    shutil.copytree(data_dir, tmp_path / "d")
    (tmp_path / "d" / "onet" / "Technology Skills.txt").unlink()
    with pytest.raises(DataMissingError, match="'Technology Skills.txt' is missing.*matcher data fetch"):
        DataDir(tmp_path / "d").check()


def test_fingerprint_changes_with_content(tmp_path: Path, data_dir: Path) -> None:
    shutil.copytree(data_dir, tmp_path / "d")
    before = DataDir(tmp_path / "d").fingerprint
    with (tmp_path / "d" / "onet" / "Occupation Data.txt").open("a") as fh:
        fh.write("99-9999.00\tTest\tTest occupation\n")
    assert DataDir(tmp_path / "d").fingerprint != before


@pytest.mark.parametrize(
    ("raw", "want"),
    [("49.0205", "49.0205"), ("490205", "49.0205"), ("1.0101", "01.0101"), ("49.02", "49.0200")],
)
def test_normalise_cip(raw: str, want: str) -> None:
    assert normalise_cip(raw) == want
