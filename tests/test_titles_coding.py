"""US title coding: the Census/BLS title indexes, normalised keys, the dictionary (grouped codes,
industry restrictions), the coder's evidence and abstention, `matcher code-titles` with bad rows,
and `POST /titles/code`. Real slices of the data, the real encoder and slice indexes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from matcher.evaluation.tasks.titles import TitlePrediction, score
from matcher.postings.title_batch import check_title, read_csv_text
from matcher.postings.title_keys import title_keys
from matcher.scoring.records import Record
from matcher.sources.titles import TitleIndexes, parse_restriction


def test_restrictions_read_as_the_index_writes_them() -> None:
    only = parse_restriction("0370-0490, 0770")
    assert only.kind == "only" and only.allows(400) and only.allows(770) and only.allows(771) is False
    assert only.allows(None) is None
    assert parse_restriction("Exc. 6680").allows(6680) is False
    assert parse_restriction("Exc. 6680").allows(7000) is True
    assert parse_restriction("1070-3990 exc. 2190").allows(2190) is False
    assert parse_restriction("(1280)").kind == "implied" and parse_restriction("#6090").allows(None)
    assert parse_restriction("\\ Any not listed").kind == "default"
    assert parse_restriction("").allows(None) is True


def test_census_index_rows(full_data_dir: Path) -> None:
    titles = TitleIndexes(full_data_dir / "titles")
    census = titles.census
    assert len(census) > 34000 and len(titles.bls) > 6000
    analyst = [t for t in census if t.title == "Analyst" and t.qualifier == "ns"]
    assert analyst and all("\\" not in t.title for t in census)
    # "Alterer See "Alteration hand"" takes the codes of the title it points to
    alteration = {t.code for t in census if t.title == "Alteration hand"}
    assert alteration and {t.code for t in census if t.title == "Alterer"} == alteration
    assert any(t.code == "51-91XX" and not t.detailed for t in census)


def test_keys_ignore_order_plurals_case_abbreviations_and_cut_words() -> None:
    assert title_keys("Inspector spring").normal == title_keys("SPRING INSPECTORS").normal
    assert title_keys("Grounds-keeper").compact == title_keys("Groundskeeper").compact
    assert title_keys("Maint. Asst").normal == title_keys("assistant maintenance").normal
    assert title_keys("Cook II").relaxed == title_keys("cook").relaxed
    assert title_keys("Lead Cook").normal != title_keys("Cook").normal  # lead is kept by the strict keys
    cut = title_keys("1ST LINE SUPERVISOR OF FOOD PREP AND SERVING WORKE", known_words={"worker"})
    assert cut.last == "worke" and "first" in cut.prefix and "preparation" in cut.prefix


@pytest.fixture(scope="module")
def coder(matcher):  # type: ignore[no-untyped-def]
    from matcher.postings.coding import OccupationCoder

    return OccupationCoder.from_matcher(matcher)


def test_dictionary_industry_restrictions_and_shares(coder) -> None:  # type: ignore[no-untyped-def]
    d = coder.dictionary
    # Census "Driver\ ns": any industry not listed -> light truck; school buses (7860) -> 53-3051
    anywhere = d.lookup("Driver")
    school = d.lookup("Driver", industry=7860)
    assert anywhere is not None and school is not None
    assert max(anywhere.distribution, key=anywhere.distribution.get) == "53-3033.00"
    assert max(school.distribution, key=school.distribution.get) == "53-3051.00"
    # the Census row for industries not listed gives way (O*NET's alternate titles still count)
    assert school.distribution.get("53-3033.00", 0) < anywhere.distribution["53-3033.00"] / 2
    # a grouped code is spread over its detailed occupations by OEWS employment
    shares = dict(d.expand("53-30XX"))
    assert set(shares) >= {"53-3032.00", "53-3033.00"} and abs(sum(shares.values()) - 1) < 1e-6
    assert shares["53-3032.00"] > shares["53-3051.00"]  # 2 million tractor-trailer drivers vs school buses
    hit = d.lookup("WELDERS")
    assert hit is not None and hit.level in ("normal", "exact") and "51-4121.00" in hit.distribution
    assert d.lookup("12345") is None


def test_coder_evidence_confidence_and_review(coder) -> None:  # type: ignore[no-untyped-def]
    from matcher.postings.record import PostingRecord

    welder, helper, junk = coder.code(
        [
            PostingRecord(title="WELDER", description=""),
            PostingRecord(title="Plumber Helper", description=""),
            PostingRecord(title="Qwzx Blorf", description=""),
        ]
    )
    assert welder.code == "51-4121.00" and not welder.needs_review and welder.confidence > 0.5
    kinds = [e["kind"] for e in welder.evidence]
    assert kinds[0] == "dictionary" and "similar_title" in kinds and kinds[-1] == "data"
    assert any("Census" in e["matched"] for e in welder.evidence if e["kind"] == "data")
    assert helper.candidates[0]["code"].startswith("47-")
    assert junk.needs_review and junk.code is None and junk.confidence < welder.confidence
    assert abs(sum(c["score"] for c in welder.candidates) - 1) < 0.2


def test_title_checks() -> None:
    assert check_title("") == "empty title"
    assert check_title("x") == "title of one character"
    assert "numbers" in (check_title("12345") or "")
    assert "longer" in (check_title("a" * 10_000) or "")
    assert check_title("Welder") is None
    header, rows = read_csv_text('title,industry\nWelder,0770\n"",0770\n,\nCook,abc\n')
    assert header == ["title", "industry"]
    # an empty title is an error; a row with no value at all (spreadsheet padding) is skipped
    assert [(r.line, r.error is None) for r in rows] == [(2, True), (3, False), (5, False)]
    assert rows[0].industry == 770 and "industry" in (rows[2].error or "")


def test_soc_hit_counts_distinct_socs() -> None:
    recs = [
        Record(1, {"title": "a"}, {"gold_esco": [], "gold_onet": ["47-2061.00"], "gold_soc": ["47-2061"]})
    ]
    preds = [TitlePrediction([], ["37-3011.00", "37-3011.01", "47-2061.00"])]
    m = score(recs, preds)
    assert m["soc_hit@1"] == 0.0 and m["soc_hit@5"] == 1.0 and m["soc_n"] == 1.0
    assert "soc_hit@1" not in score(
        [Record(1, {}, {"gold_esco": "x", "gold_onet": []})], [TitlePrediction(["x"], [])]
    )


def test_code_titles_cli_reports_bad_rows_and_codes_the_rest(settings, index_store, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    f = tmp_path / "titles.csv"
    rows = [
        b"title,industry",
        b"WELDER,",
        b",0770",
        b"x,",
        b"12345,",
        b"a" * 10_000 + b",",
        b"Soldador \xe9\xff,",
        b"Truck driver,",
    ]
    f.write_bytes(b"\n".join(rows) + b"\n")
    out = tmp_path / "coded.csv"
    env = {**os.environ, "MATCHER_DATA_DIR": str(settings.data_dir), "MATCHER_HOME": str(settings.home)}
    r = subprocess.run(
        [sys.executable, "-m", "matcher", "code-titles", str(f), "--out", str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert r.returncode == 0, r.stderr
    said = " ".join(r.stderr.split())
    assert "7 rows, 2 coded" in said and "5 errors" in said, said[-600:]
    import csv

    coded = list(csv.DictReader(out.open(encoding="utf-8")))
    by_line = {row["line"]: row for row in coded}
    assert by_line["2"]["code"] == "51-4121.00" and by_line["2"]["needs_review"] == "no"
    assert "dictionary" in by_line["2"]["evidence"]
    assert by_line["3"]["error"] == "empty title" and by_line["4"]["error"] == "title of one character"
    assert "numbers" in by_line["5"]["error"] and "longer" in by_line["6"]["error"]
    assert "UTF-8" in by_line["7"]["error"] and by_line["8"]["code"].startswith("53-30")
    # every row of the input comes out, in order; all bad -> exit 2 with one line per row
    assert [row["line"] for row in coded] == [str(n) for n in range(2, 9)]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"title": ""}\n{"title": "7"}\nnot json\n')
    r = subprocess.run(
        [sys.executable, "-m", "matcher", "code-titles", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert r.returncode == 2 and "line 3: invalid JSON" in r.stderr and "Traceback" not in r.stderr


def test_titles_route(settings, matcher) -> None:  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from service.app import create_app
    from service.routes.titles import MAX_TITLES

    with TestClient(create_app(settings, matcher)) as client:
        r = client.post(
            "/titles/code",
            json={"titles": ["Welder", {"title": "Driver", "industry": "7860"}, "", "9", "Driver"]},
        )
        assert r.status_code == 200, r.text
        d = r.json()
        assert (d["count"], d["coded"], d["errors"]) == (5, 3, 2)
        welder, driver, empty, nine, anywhere = d["results"]
        assert welder["code"] == "51-4121.00" and welder["evidence"]

        def school_bus(res):  # type: ignore[no-untyped-def]
            return next((c["score"] for c in res["candidates"] if c["code"] == "53-3051.00"), 0.0)

        # Census industry 7860 (schools): the index's restriction moves "Driver" towards 53-3051
        assert school_bus(driver) > school_bus(anywhere)
        assert empty == {**empty, "line": 3, "error": "empty title"} and nine["line"] == 4
        big = client.post("/titles/code", json={"titles": ["Welder"] * (MAX_TITLES + 1)})
        assert big.status_code == 413 and big.json()["error"]["status"] == 413
        assert client.post("/titles/code", json={"nope": 1}).status_code == 422
    assert json.dumps(d)  # serialisable as returned
