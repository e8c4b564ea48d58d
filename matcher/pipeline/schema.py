"""The Parquet schema of the results: one row per input record of a shard.

=================  =========================================================================
column             meaning
=================  =========================================================================
posting_id         ``shard << 32 | row``: stable across resumes, and the id in the FAISS index
shard, row, line   where the record came from (``line``: line in the file, or row for Parquet)
source_file        the input file
status             ``ok``, ``near_duplicate`` (processed, joins ``cluster_id``), ``duplicate``
                   (exact, not processed; see ``duplicate_of``) or ``error`` (see ``error``)
text_hash          first 16 bytes (hex) of the exact-duplicate key
lsh_bands          the 16 MinHash LSH band keys (for a near-duplicate join across shards)
title ... extra    the posting as read (``extra``: other fields, JSON)
code ...           O*NET-SOC code, title, calibrated confidence, needs_review, method, the 5
                   best candidates (``code`` is null when the posting needs review)
skills             every extracted skill: taxonomy, id, label, matched text, offsets into
                   ``title + "\\n" + description (+ "\\n" + stated_skills)``, score, method
embedding          the posting vector (null for duplicates and errors)
=================  =========================================================================
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

CANDIDATE = pa.struct([("code", pa.string()), ("title", pa.string()), ("score", pa.float32())])
SKILL = pa.struct(
    [
        ("taxonomy", pa.string()),
        ("id", pa.string()),
        ("label", pa.string()),
        ("text", pa.string()),
        ("start", pa.int32()),
        ("end", pa.int32()),
        ("score", pa.float32()),
        ("method", pa.string()),
    ]
)
_TEXT_FIELDS = (
    "title",
    "description",
    "stated_skills",
    "employer",
    "location",
    "city",
    "state",
    "country",
    "source",
    "external_id",
)


def fields(dim: int) -> list[pa.Field]:
    return [
        pa.field("posting_id", pa.int64(), nullable=False),
        pa.field("shard", pa.int32(), nullable=False),
        pa.field("row", pa.int32(), nullable=False),
        pa.field("line", pa.int32()),
        pa.field("source_file", pa.string()),
        pa.field("status", pa.string(), nullable=False),
        pa.field("error", pa.string()),
        pa.field("duplicate_of", pa.int64()),
        pa.field("cluster_id", pa.int64()),
        pa.field("text_hash", pa.string()),
        pa.field("lsh_bands", pa.list_(pa.int64())),
        *[pa.field(name, pa.string()) for name in _TEXT_FIELDS],
        pa.field("date_posted", pa.date32()),
        pa.field("extra", pa.string()),
        pa.field("code", pa.string()),
        pa.field("code_title", pa.string()),
        pa.field("confidence", pa.float32()),
        pa.field("needs_review", pa.bool_()),
        pa.field("coding_method", pa.string()),
        pa.field("candidates", pa.list_(CANDIDATE)),
        pa.field("skills", pa.list_(SKILL)),
        pa.field("n_skills", pa.int32()),
        pa.field("embedding", pa.list_(pa.float32(), dim)),
    ]


def to_table(spec: Any, rows: list[Any], dim: int) -> pa.Table:
    """A table of the shard's rows (see :mod:`matcher.pipeline.stages`)."""
    from matcher.pipeline.dedupe import posting_id

    cols: dict[str, list[Any]] = {f.name: [] for f in fields(dim) if f.name != "embedding"}
    vectors = np.zeros((len(rows), dim), dtype=np.float32)
    has_vector = np.zeros(len(rows), dtype=bool)
    for i, r in enumerate(rows):
        rec = r.rec
        cols["posting_id"].append(posting_id(spec.index, r.row))
        cols["shard"].append(spec.index)
        cols["row"].append(r.row)
        cols["line"].append(r.line)
        cols["source_file"].append(spec.path)
        cols["status"].append(r.status)
        cols["error"].append(r.error)
        cols["duplicate_of"].append(r.duplicate_of)
        cols["cluster_id"].append(r.cluster_id)
        cols["text_hash"].append(r.key.hex() if r.key else None)
        cols["lsh_bands"].append(r.bands)
        for name in _TEXT_FIELDS:
            cols[name].append(getattr(rec, name) if rec is not None else None)
        cols["date_posted"].append(rec.date_posted if rec is not None else None)
        cols["extra"].append(json.dumps(rec.extra, default=str) if rec is not None and rec.extra else None)
        c = r.coded
        cols["code"].append(c.code if c else None)
        cols["code_title"].append(c.title if c else None)
        cols["confidence"].append(round(c.confidence, 4) if c else None)
        cols["needs_review"].append(c.needs_review if c else None)
        cols["coding_method"].append(c.method if c else None)
        cols["candidates"].append(c.candidates if c else None)
        live = r.status in ("ok", "near_duplicate")
        cols["skills"].append(
            [
                {
                    "taxonomy": s.taxonomy,
                    "id": s.id,
                    "label": s.label,
                    "text": s.text,
                    "start": s.start,
                    "end": s.end,
                    "score": round(float(s.score), 4),
                    "method": s.method,
                }
                for s in r.skills
            ]
            if live
            else None
        )
        cols["n_skills"].append(len(r.skills) if live else None)
        if r.vector is not None:
            vectors[i] = r.vector
            has_vector[i] = True
    schema = pa.schema(fields(dim))
    arrays = [pa.array(cols[f.name], type=f.type) for f in schema if f.name != "embedding"]
    emb = pa.FixedSizeListArray.from_arrays(pa.array(vectors.reshape(-1)), dim, mask=pa.array(~has_vector))
    return pa.Table.from_arrays([*arrays, emb], schema=schema)


def write(table: pa.Table, path: Path) -> None:
    pq.write_table(table, path, compression="zstd")


def read(path: Path, columns: list[str] | None = None) -> pa.Table:
    return pq.read_table(path, columns=columns)
