"""The Dask pipeline on a data slice, with the real coder, extractor and encoder: 200 synthetic
postings in 4 shards (3 JSON Lines, 1 CSV with quoted newlines) on an in-process LocalCluster of
2 workers. Results must match the components run directly; an interrupted run resumes without
redoing finished shards; bad input is refused with a clear message."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import numpy as np
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

N_POSTINGS = 200
SHARD_SIZE = 50


@pytest.fixture(scope="module")
def inputs(data_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from evaluation.synthetic_postings import generate
    from matcher.sources import DataDir

    records = generate(DataDir(data_dir), N_POSTINGS, seed=7)
    folder = tmp_path_factory.mktemp("postings")
    jsonl = folder / "part-a.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in records[:150]))
    csv_path = folder / "part-b.csv"
    with csv_path.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "title", "description", "location", "date"])
        w.writeheader()
        for r in records[150:]:
            w.writerow({k: r[k] for k in ("id", "title", "description", "location", "date")})
    return [jsonl, csv_path]


@pytest.fixture(scope="module")
def config(settings):  # type: ignore[no-untyped-def]
    from matcher.pipeline import RuntimeConfig

    return RuntimeConfig.from_settings(settings, threads=1)


@pytest.fixture(scope="module")
def runtime(config, matcher):  # type: ignore[no-untyped-def]
    from matcher.pipeline import install_runtime

    return install_runtime(config, matcher)  # in-process workers share the session's matcher


def _run(inputs, out, config, workers=2):  # type: ignore[no-untyped-def]
    from matcher.pipeline import dask_client, run_pipeline

    with dask_client(workers=workers, processes=False) as client:
        return run_pipeline(inputs, out, client, config, shard_size=SHARD_SIZE)


@pytest.fixture(scope="module")
def finished(inputs, config, runtime, tmp_path_factory):  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("run") / "out"
    return out, _run(inputs, out, config)


def _table(out: Path):  # type: ignore[no-untyped-def]
    return pq.read_table(sorted((out / "shards").glob("*.parquet"))).to_pylist()


def test_run_writes_results_and_a_merged_index(finished, matcher) -> None:  # type: ignore[no-untyped-def]
    from matcher.extract.types import Kind
    from matcher.indexes.ann import load_ann

    out, summary = finished
    assert summary["shards"] == 4 and summary["processed_shards"] == 4
    assert summary["rows"] == N_POSTINGS
    rows = _table(out)
    assert len(rows) == N_POSTINGS and len({r["posting_id"] for r in rows}) == N_POSTINGS
    by_id = {r["posting_id"]: r for r in rows}
    live = [r for r in rows if r["status"] in ("ok", "near_duplicate")]
    dups = [r for r in rows if r["status"] == "duplicate"]
    assert dups, "the generator re-posts ~8% verbatim: some must be exact duplicates"
    for d in dups:  # a duplicate points to an earlier, processed posting with the same key
        first = by_id[d["duplicate_of"]]
        assert first["text_hash"] == d["text_hash"] and first["status"] != "duplicate"
        assert (first["shard"], first["row"]) < (d["shard"], d["row"])
        assert d["embedding"] is None and d["code"] is None
    assert all(r["embedding"] is not None and r["n_skills"] is not None for r in live)
    assert sum(1 for r in live if r["skills"]) > 0.9 * len(live)
    assert {r["line"] for r in rows if r["source_file"].endswith(".csv")} >= {2}  # lines in the file

    index, info = load_ann(out / "index", "postings")
    assert info.kind == "ivf-sq8" and index.ntotal == len(live) == summary["embedded"]
    assert info.recall_at_10 is not None and info.recall_at_10 >= 0.95

    # vectors: the mean of the content sentences' embeddings, as a direct encode gives them
    sample = live[:: max(1, len(live) // 12)]
    texts = [f"{r['title']}\n{r['description']}" for r in sample]
    sents = matcher.extractor.analyzer.sentences(texts, [Kind.POSTING] * len(texts))
    direct = np.zeros((len(texts), matcher.encoder.dim), dtype=np.float32)
    content = [s for s in sents if not s.is_boilerplate]
    for s, v in zip(content, matcher.encoder.encode([s.text for s in content]), strict=True):
        direct[s.text_index] += v
    direct /= np.linalg.norm(direct, axis=1, keepdims=True)
    stored = np.asarray([r["embedding"] for r in sample], dtype=np.float32)
    assert np.min(np.sum(direct * stored, axis=1)) > 0.999
    scores, ids = index.search(direct, 3)
    for r, s_row, i_row in zip(sample, scores, ids, strict=True):
        assert r["posting_id"] in i_row.tolist() and s_row[0] > 0.98


def test_skills_and_codes_equal_the_components_run_directly(finished, matcher) -> None:  # type: ignore[no-untyped-def]
    from matcher.postings.record import PostingRecord

    out, _ = finished
    live = [r for r in _table(out) if r["status"] in ("ok", "near_duplicate")][:20]
    texts = [f"{r['title']}\n{r['description']}" for r in live]
    direct = matcher.extractor.extract_many(texts, kind="posting")
    for r, skills in zip(live, direct, strict=True):
        got = {(s["taxonomy"], s["id"], s["start"], s["end"], s["method"]) for s in r["skills"]}
        assert got == {(s.taxonomy, s.id, s.start, s.end, s.method) for s in skills}
        for s in r["skills"]:
            assert f"{r['title']}\n{r['description']}"[s["start"] : s["end"]] == s["text"]
    coded = matcher.coder.code([PostingRecord(title=r["title"], description=r["description"]) for r in live])
    assert [r["code"] for r in live] == [c.code for c in coded]


def test_an_interrupted_run_resumes_without_redoing_finished_shards(  # type: ignore[no-untyped-def]
    inputs, config, runtime, tmp_path, monkeypatch
) -> None:
    out = tmp_path / "out"
    real_code = runtime.coder.code

    def crash_on_csv(postings):  # type: ignore[no-untyped-def]
        if any(p.title and p.external_id and int(p.external_id.split("-")[1]) >= 150 for p in postings):
            raise RuntimeError("worker killed")
        return real_code(postings)

    monkeypatch.setattr(runtime.coder, "code", crash_on_csv)
    with pytest.raises(RuntimeError, match="worker killed"):
        _run(inputs, out, config, workers=1)  # one worker: shards run in order, the CSV last
    done = sorted(p.name for p in (out / "shards").glob("*.done.json"))
    assert done == [f"shard-0000{i}.done.json" for i in range(3)]
    before = {p.name: p.stat().st_mtime_ns for p in (out / "shards").glob("*.parquet")}
    monkeypatch.setattr(runtime.coder, "code", real_code)

    summary = _run(inputs, out, config)
    assert summary["resumed"] and summary["processed_shards"] == 1 and summary["skipped_shards"] == 3
    after = {p.name: p.stat().st_mtime_ns for p in (out / "shards").glob("*.parquet")}
    assert all(after[name] == t for name, t in before.items())
    assert summary["rows"] == N_POSTINGS and (out / "index" / "postings.faiss").is_file()

    again = _run(inputs, out, config)  # everything is finished: nothing is redone
    assert again["processed_shards"] == 0 and again["index"]["skipped"]


def test_bad_input_is_refused_with_a_clear_message(inputs, config, runtime, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from matcher.errors import BadInputError, UnsupportedFormatError
    from matcher.pipeline import expand_inputs, plan_shards

    with pytest.raises(BadInputError, match="no such file or folder"):
        expand_inputs([tmp_path / "missing.jsonl"])
    (tmp_path / "postings.xml").write_text("<jobs/>")
    with pytest.raises(UnsupportedFormatError, match="cannot tell the format"):
        plan_shards(expand_inputs([tmp_path / "postings.xml"]))
    (tmp_path / "empty.jsonl").write_text("")
    with pytest.raises(BadInputError, match="is empty"):
        plan_shards(expand_inputs([tmp_path / "empty.jsonl"]))
    (tmp_path / "nohead.csv").write_text("\n\n")
    with pytest.raises(BadInputError, match="no header"):
        plan_shards([tmp_path / "nohead.csv"])

    # broken records become error rows with their line numbers; the others are processed
    bad = tmp_path / "mixed.jsonl"
    good = json.loads(inputs[0].read_text().splitlines()[0])
    bad.write_text(json.dumps(good) + "\n{not json\n" + json.dumps({"title": "Welder"}) + "\n")
    out = tmp_path / "out"
    summary = _run([bad], out, config)
    rows = {r["line"]: r for r in _table(out)}
    assert rows[1]["status"] == "ok"
    assert rows[2]["status"] == "error" and "invalid JSON" in rows[2]["error"]
    assert rows[3]["status"] == "error" and "empty description" in rows[3]["error"]
    assert summary["counts"] == {"ok": 1, "error": 2}

    # the same folder with other inputs is refused, not mixed
    with pytest.raises(BadInputError, match="holds a run over other inputs"):
        _run(inputs, out, config)


# -- sharding and the duplicate plan (no model) ----------------------------------------------
def test_jsonl_csv_and_parquet_shards_cover_every_record_once(tmp_path: Path) -> None:
    import pyarrow as pa

    from matcher.pipeline.sources import plan_shards, read_shard

    recs = [
        {"id": f"p{i}", "title": f"Welder {i}", "description": f"Line one {i}.\nLine two."} for i in range(7)
    ]
    jl = tmp_path / "a.jsonl"
    jl.write_text(
        "\n".join(json.dumps(r) for r in recs[:3]) + "\n\n" + "\n".join(json.dumps(r) for r in recs[3:])
    )
    cv = tmp_path / "b.csv"
    with cv.open("w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["id", "title", "description"])
        w.writeheader()
        w.writerows(recs)  # descriptions hold newlines inside quotes
    pa_path = tmp_path / "c.parquet"
    pq.write_table(pa.Table.from_pylist(recs), pa_path, row_group_size=3)
    for path, first_line in ((jl, 1), (cv, 2), (pa_path, 1)):
        specs = plan_shards([path], shard_size=2)
        assert [s.rows for s in specs] == [2, 2, 2, 1]
        got = [(ln, r.external_id) for s in specs for ln, r in read_shard(s).records]
        assert [i for _, i in got] == [r["id"] for r in recs]
        assert got[0][0] == first_line
    # JSON Lines: line numbers count the blank line; CSV: a record spans two lines
    assert [ln for s in plan_shards([jl], 2) for ln, _ in read_shard(s).records] == [1, 2, 3, 5, 6, 7, 8]
    assert [ln for s in plan_shards([cv], 2) for ln, _ in read_shard(s).records] == [2, 4, 6, 8, 10, 12, 14]


def test_exact_duplicates_point_to_the_first_occurrence_across_shards() -> None:
    from matcher.pipeline.dedupe import KEY_BYTES, plan_exact_duplicates, posting_id

    def keys(rows_keys):  # type: ignore[no-untyped-def]
        a = np.zeros(len(rows_keys), dtype=[("row", "<i8"), ("key", f"S{KEY_BYTES}")])
        for i, (r, k) in enumerate(rows_keys):
            a[i] = (r, k.encode().ljust(KEY_BYTES, b"."))
        return a

    plan = plan_exact_duplicates([keys([(0, "a"), (2, "b"), (3, "a")]), keys([(0, "b"), (1, "c")]), keys([])])
    assert plan == [{3: posting_id(0, 0)}, {0: posting_id(0, 2)}, {}]


def test_cli_run_killed_then_rerun_skips_finished_shards(settings, index_store, data_dir, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The real thing: `matcher pipeline run` with a worker process, killed (SIGKILL to the whole
    process group) once a shard is finished, then run again."""
    import os
    import signal
    import subprocess
    import time

    from cli_support import run_cli

    from evaluation.synthetic_postings import generate
    from matcher.sources import DataDir

    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in generate(DataDir(data_dir), 60, seed=11)))
    out = tmp_path / "out"
    env = {**os.environ, "MATCHER_DATA_DIR": str(settings.data_dir), "MATCHER_HOME": str(settings.home)}
    cmd = [sys.executable, "-m", "matcher", "pipeline", "run", str(src), "--out", str(out)]
    cmd += ["--workers", "1", "--shard-size", "15", "--json"]
    proc = subprocess.Popen(
        cmd, env=env, start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 240
    while not list((out / "shards").glob("*.done.json")) and proc.poll() is None:
        assert time.monotonic() < deadline, "no shard finished in time"
        time.sleep(0.2)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    finished = {p.name for p in (out / "shards").glob("*.done.json")}
    assert 1 <= len(finished) <= 4 and not (out / "summary.json").exists()

    r = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    assert summary["resumed"] and summary["skipped_shards"] == len(finished)
    assert summary["processed_shards"] == 4 - len(finished) and summary["rows"] == 60

    bad = run_cli(*cmd[3:5], str(tmp_path / "nope.jsonl"), *cmd[6:], env=env)  # in this process
    assert bad.returncode == 2 and "no such file or folder" in bad.stderr


def test_sentence_store_round_trip_and_namespaces(tmp_path: Path) -> None:
    from matcher.extract.types import ExtractedSkill
    from matcher.pipeline.sentence_store import SentenceStore

    text = "Operate a forklift safely."
    skill = ExtractedSkill(
        "esco", "uri:1", "operate forklift", "Operate a forklift", 0, 18, text, 0.91, "model"
    )
    vec = np.arange(4, dtype=np.float32)
    store = SentenceStore(tmp_path / "s.sqlite", "model-a")
    store.put_many({text: ([skill], vec)})
    got = store.get_many([text, "unknown sentence"], dim=4)
    assert list(got) == [text]
    skills, v = got[text]
    assert skills == [skill] and np.array_equal(v, vec)
    assert SentenceStore(tmp_path / "s.sqlite", "model-b").get_many([text], dim=4) == {}  # other versions
    assert store.get_many([text], dim=8) == {}  # other dimension
