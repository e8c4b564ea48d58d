"""Import postings into the database: check, de-duplicate, code, extract skills, store.

Each batch (at most :data:`MAX_BATCH` records) is written in one transaction: either every good
record of the batch is stored with its skills, MinHash buckets and the batch's counts, or (on a
database error) nothing of it is. Records that cannot be used (no title, empty description,
bad bytes, unreadable JSON, ...) are reported with their line numbers and never stop the others.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from typing import Any, Protocol

from sqlalchemy import insert, select, tuple_
from sqlalchemy.exc import IntegrityError

from matcher.db import Database
from matcher.db.tables import ImportBatch, Posting, PostingMinhash, PostingSignature, PostingSkill
from matcher.postings import dedupe
from matcher.postings.coding import Coded, OccupationCoder
from matcher.postings.record import PostingRecord, ReadResult, RecordError, check_record

log = logging.getLogger(__name__)

MAX_BATCH = 1000  # records per transaction; also the documented limit of POST /postings
MAX_ERRORS_KEPT = 500  # per batch, in import_batches.error_report
_QUERY_CHUNK = 400


class Extractor(Protocol):
    def extract_many(self, texts: Sequence[str], kind: str = ...) -> list[list[Any]]: ...


def posting_text(title: str, description: str, stated_skills: str | None = None) -> str:
    """The text skills are extracted from; stored offsets point into it."""
    parts = [title, description] + ([stated_skills] if stated_skills else [])
    return "\n".join(parts)


@dataclass
class RecordOutcome:
    line: int | None
    status: str  # stored | near_duplicate | duplicate
    posting_id: int | None = None
    cluster_id: int | None = None
    external_id: str | None = None
    code: str | None = None
    confidence: float | None = None
    needs_review: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class ImportReport:
    source: str
    format: str
    batch_ids: list[int] = field(default_factory=list)
    received: int = 0
    stored: int = 0
    duplicates: int = 0  # exact duplicates (in the input or already stored): not stored again
    near_duplicates: int = 0  # stored, merged into an existing cluster
    needs_review: int = 0
    by_method: Counter[str] = field(default_factory=Counter)
    skills: int = 0
    skills_extracted: bool = False
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)
    outcomes: list[RecordOutcome] = field(default_factory=list)
    seconds: float = 0.0
    coder_version: str = ""

    @property
    def merged(self) -> int:
        return self.duplicates + self.near_duplicates

    def to_dict(self, *, records: bool = True) -> dict[str, Any]:
        d: dict[str, Any] = {
            "source": self.source,
            "format": self.format,
            "batches": self.batch_ids,
            "received": self.received,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "near_duplicates": self.near_duplicates,
            "merged": self.merged,
            "errors": len(self.errors),
            "needs_review": self.needs_review,
            "coded": dict(self.by_method),
            "skills": self.skills if self.skills_extracted else None,
            "seconds": round(self.seconds, 2),
            "coder_version": self.coder_version,
            "error_details": [e.to_dict() for e in self.errors],
        }
        if self.warnings:
            d["warnings"] = [w.to_dict() for w in self.warnings]
        if records:
            d["records"] = [o.to_dict() for o in self.outcomes]
        return d


def _trim(value: str | None, size: int) -> str | None:
    return value[:size] if value else value


# The record fields stored as they are in ``postings`` columns of the same name: one declaration
# (PostingRecord) and the table's column lengths, not a field-by-field copy. ``source``,
# ``source_ref`` and ``extra`` have their own rules; ``remote`` and ``structured`` steer reading.
_RECORD_COLUMNS = tuple(
    f.name
    for f in dataclass_fields(PostingRecord)
    if f.name in Posting.__table__.columns and f.name not in ("source", "source_ref", "extra")
)


def _fit(column: str, value: Any) -> Any:
    """``value`` cut to the length of the ``postings`` column (strings only)."""
    length = getattr(Posting.__table__.columns[column].type, "length", None)
    return _trim(value, length) if length and isinstance(value, str) else value


class PostingStore:
    """Imports postings into ``db`` with ``coder`` (and ``extractor`` when there is one)."""

    def __init__(self, db: Database, coder: OccupationCoder, extractor: Extractor | None = None) -> None:
        self.db = db
        self.coder = coder
        self.extractor = extractor

    def import_result(self, result: ReadResult, *, source: str, fmt: str) -> ImportReport:
        """Store the good records of ``result`` (batches of :data:`MAX_BATCH`)."""
        started = time.monotonic()
        report = ImportReport(source=source, format=fmt, coder_version=self.coder.version)
        report.received = result.received
        report.errors = list(result.errors)
        report.warnings = list(result.warnings)
        good: list[tuple[int | None, PostingRecord]] = []
        for line, rec in result.records:
            problem = check_record(rec)
            if problem:
                report.errors.append(RecordError(line, problem, rec.external_id))
            else:
                good.append((line, rec))
        report.errors.sort(key=lambda e: (e.line is None, e.line or 0))
        for i in range(0, len(good), MAX_BATCH):
            self._import_batch(good[i : i + MAX_BATCH], report, n_errors=len(report.errors) if i == 0 else 0)
        if not good and report.errors:
            self._record_empty_batch(report)
        report.seconds = time.monotonic() - started
        return report

    # -- one batch ---------------------------------------------------------------------------
    def _import_batch(
        self, records: list[tuple[int | None, PostingRecord]], report: ImportReport, *, n_errors: int
    ) -> None:
        hashes = [dedupe.text_hash(r.title, r.description, r.location) for _, r in records]
        with self.db.session() as s:
            known = self._existing_hashes(s, hashes)
        first: dict[str, int] = {}
        todo: list[int] = []
        for i, h in enumerate(hashes):
            if h in known or h in first:
                continue
            first[h] = i
            todo.append(i)
        recs = [records[i][1] for i in todo]
        coded = self.coder.code(recs)
        skills = self._extract(recs)
        signatures = [dedupe.signature(f"{r.title}\n{r.description}") for r in recs]
        for attempt in (1, 2):
            try:
                self._write(records, hashes, todo, coded, skills, signatures, report, n_errors)
                return
            except IntegrityError:
                if attempt == 2:
                    raise
                log.warning("a concurrent import stored some of these postings; retrying the batch")

    def _write(
        self,
        records: list[tuple[int | None, PostingRecord]],
        hashes: list[str],
        todo: list[int],
        coded: list[Coded],
        skills: list[list[Any]] | None,
        signatures: list[Any],
        report: ImportReport,
        n_errors: int,
    ) -> None:
        outcomes: list[RecordOutcome] = []
        counts = Counter[str]()
        methods = Counter[str]()
        n_skills = 0
        with self.db.transaction() as s:
            batch = ImportBatch(
                source=report.source[:500], format=report.format, coder_version=self.coder.version
            )
            s.add(batch)
            s.flush()
            known = self._existing_hashes(s, hashes)
            batch_index = dedupe.NearDuplicateIndex()
            stored_by_hash: dict[str, Posting] = {}
            all_buckets = [dedupe.bands(sig) for sig in signatures]
            earlier = self._db_near_duplicates(
                s,
                [(signatures[j], records[i][1].location, all_buckets[j]) for j, i in enumerate(todo)],
            )
            # 1. clusters, in memory: an earlier posting of this batch (key -(j + 1) until the
            # ids exist), a stored cluster, or a new one
            new: list[tuple[int, int, Posting, int | None]] = []  # (j, i, posting, cluster key)
            for j, i in enumerate(todo):
                line, rec = records[i]
                if hashes[i] in known:
                    continue
                cluster = batch_index.query(signatures[j], rec.location, all_buckets[j])
                if cluster is None:
                    cluster = earlier[j]
                batch_index.add(
                    cluster if cluster is not None else -(j + 1), signatures[j], rec.location, all_buckets[j]
                )
                posting = self._posting(rec, line, batch.id, hashes[i], coded[j], report.source)
                posting.coder_version = self.coder.version
                new.append((j, i, posting, cluster))
            # 2. one INSERT of all the batch's postings (ids back), then their rows
            s.add_all([posting for _, _, posting, _ in new])
            s.flush()
            id_of = {-(j + 1): posting.id for j, _, posting, _ in new}
            rows: dict[type, list[dict[str, Any]]] = {
                PostingSignature: [],
                PostingMinhash: [],
                PostingSkill: [],
            }
            for j, i, posting, cluster in new:
                line, rec = records[i]
                posting.cluster_id = posting.id if cluster is None else id_of.get(cluster, cluster)
                rows[PostingSignature].append(
                    {"posting_id": posting.id, "signature": dedupe.to_bytes(signatures[j])}
                )
                rows[PostingMinhash] += (
                    {"posting_id": posting.id, "band": b, "bucket": k} for b, k in enumerate(all_buckets[j])
                )
                if skills is not None:
                    rows[PostingSkill] += (_skill_values(posting.id, sk) for sk in skills[j])
                    n_skills += len(skills[j])
                stored_by_hash[hashes[i]] = posting
                near = cluster is not None
                counts["near_duplicates" if near else "stored_new"] += 1
                methods[coded[j].method if not coded[j].needs_review else "needs_review"] += 1
                outcomes.append(
                    RecordOutcome(
                        line,
                        "near_duplicate" if near else "stored",
                        posting.id,
                        posting.cluster_id,
                        rec.external_id,
                        coded[j].code,
                        round(coded[j].confidence, 4),
                        coded[j].needs_review,
                    )
                )
            for table, values in rows.items():  # bulk INSERTs: thousands of rows, no ORM objects
                if values:
                    s.execute(insert(table), values)
            first_of: dict[str, int] = {}
            for i, h in enumerate(hashes):
                first_of.setdefault(h, i)
            for i, h in enumerate(hashes):
                if h not in stored_by_hash or first_of[h] != i:
                    counts["duplicates"] += 1
                    line, rec = records[i]
                    dup_of = stored_by_hash.get(h)
                    outcomes.append(
                        RecordOutcome(line, "duplicate", dup_of.id if dup_of else None, None, rec.external_id)
                    )
            stored = counts["stored_new"] + counts["near_duplicates"]
            batch.received = len(records) + n_errors
            batch.stored = stored
            batch.duplicates = counts["duplicates"]
            batch.near_duplicates = counts["near_duplicates"]
            batch.errors = n_errors
            batch.needs_review = methods["needs_review"]
            batch.error_report = [e.to_dict() for e in report.errors[:MAX_ERRORS_KEPT]] if n_errors else []
        report.batch_ids.append(batch.id)
        report.stored += stored
        report.duplicates += counts["duplicates"]
        report.near_duplicates += counts["near_duplicates"]
        report.needs_review += methods["needs_review"]
        report.by_method.update({k: v for k, v in methods.items() if k != "needs_review"})
        report.skills += n_skills
        report.skills_extracted = skills is not None
        report.outcomes += sorted(outcomes, key=lambda o: (o.line is None, o.line or 0))

    def _record_empty_batch(self, report: ImportReport) -> None:
        """A file with only bad records still leaves a batch row saying so."""
        with self.db.transaction() as s:
            batch = ImportBatch(
                source=report.source[:500],
                format=report.format,
                coder_version=self.coder.version,
                received=report.received,
                errors=len(report.errors),
                error_report=[e.to_dict() for e in report.errors[:MAX_ERRORS_KEPT]],
            )
            s.add(batch)
            s.flush()
            report.batch_ids.append(batch.id)

    # -- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _existing_hashes(s: Any, hashes: Sequence[str]) -> set[str]:
        found: set[str] = set()
        unique = sorted(set(hashes))
        for k in range(0, len(unique), _QUERY_CHUNK):
            chunk = unique[k : k + _QUERY_CHUNK]
            found.update(s.scalars(select(Posting.text_hash).where(Posting.text_hash.in_(chunk))))
        return found

    @staticmethod
    def _db_near_duplicates(s: Any, items: list[tuple[Any, str | None, list[int]]]) -> list[int | None]:
        """For each (signature, place, band buckets), the cluster of the most similar posting
        stored before this batch (None below the threshold or in another place): two queries
        per chunk of band buckets for the whole batch, not two per posting (the 200-advert
        import: 0.59 s of queries per run before). Postings of this batch are matched in
        memory by :class:`~matcher.postings.dedupe.NearDuplicateIndex`."""
        pairs = sorted({(b, k) for _, _, buckets in items for b, k in enumerate(buckets)})
        by_pair: dict[tuple[int, int], list[int]] = {}
        for a in range(0, len(pairs), _QUERY_CHUNK):
            rows = s.execute(
                select(PostingMinhash.band, PostingMinhash.bucket, PostingMinhash.posting_id).where(
                    tuple_(PostingMinhash.band, PostingMinhash.bucket).in_(pairs[a : a + _QUERY_CHUNK])
                )
            )
            for band, bucket, pid in rows:
                by_pair.setdefault((band, bucket), []).append(pid)
        if not by_pair:
            return [None] * len(items)
        ids = sorted({pid for pids in by_pair.values() for pid in pids})
        stored: dict[int, tuple[Any, int | None, str | None]] = {}
        for a in range(0, len(ids), _QUERY_CHUNK):
            q = (
                select(
                    PostingSignature.posting_id,
                    PostingSignature.signature,
                    Posting.cluster_id,
                    Posting.location,
                )
                .join(Posting, Posting.id == PostingSignature.posting_id)
                .where(PostingSignature.posting_id.in_(ids[a : a + _QUERY_CHUNK]))
            )
            for pid, raw, cluster, location in s.execute(q):
                stored[pid] = (dedupe.from_bytes(raw), cluster, location)
        out: list[int | None] = []
        for sig, place, buckets in items:
            best, best_sim = None, dedupe.NEAR_THRESHOLD
            cands = sorted({pid for b, k in enumerate(buckets) for pid in by_pair.get((b, k), ())})
            for pid in cands:
                if pid not in stored:
                    continue
                other, cluster, location = stored[pid]
                sim = dedupe.similarity(sig, other)
                if sim >= best_sim and dedupe.same_place(place, location):
                    best, best_sim = cluster or pid, sim
            out.append(best)
        return out

    def _extract(self, recs: list[PostingRecord]) -> list[list[Any]] | None:
        if self.extractor is None or not recs:
            return None
        texts = [posting_text(r.title, r.description, r.stated_skills) for r in recs]
        return self.extractor.extract_many(texts, kind="posting")

    @staticmethod
    def _posting(
        rec: PostingRecord, line: int | None, batch_id: int, h: str, c: Coded, source: str
    ) -> Posting:
        values = {name: _fit(name, getattr(rec, name)) for name in _RECORD_COLUMNS}
        return Posting(
            **values,
            batch_id=batch_id,
            source=_fit("source", rec.source or source),
            source_ref=_fit("source_ref", rec.source_ref or (f"line {line}" if line else None)),
            extra=_jsonable(rec.extra),
            text_hash=h,
            occupation_code=c.code,
            occupation_title=_fit("occupation_title", c.title),
            confidence=c.confidence,
            coding_method=c.method,
            candidates=c.candidates,
            needs_review=c.needs_review,
        )


def _skill_values(posting_id: int, sk: Any) -> dict[str, Any]:
    """A ``posting_skills`` row (attribute names of :class:`PostingSkill`) for a bulk INSERT."""
    return {
        "posting_id": posting_id,
        "taxonomy": str(sk.taxonomy)[:16],
        "skill_id": str(sk.id)[:255],
        "label": str(sk.label)[:500],
        "matched_text": _trim(getattr(sk, "text", None), 500),
        "start": getattr(sk, "start", None),
        "end": getattr(sk, "end", None),
        "score": float(sk.score) if getattr(sk, "score", None) is not None else None,
        "method": _trim(getattr(sk, "method", None), 32),
    }


def _jsonable(value: Any) -> Any:
    import json

    try:
        json.dumps(value)
        return value
    except (TypeError, ValueError):
        return json.loads(json.dumps(value, default=str))
