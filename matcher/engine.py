"""The :class:`Matcher` facade: settings, data, encoder and indexes loaded once, used by the
CLI and the service alike."""

from __future__ import annotations

import copy
import functools
import hashlib
import logging
from typing import Any

import numpy as np

from matcher.encoding.encoder import Encoder, encoder_from_settings
from matcher.errors import BadInputError, DataMissingError
from matcher.indexes.store import IndexSet, IndexStore
from matcher.program import Program
from matcher.runtime.fair_lock import FairLock
from matcher.runtime.memo import BoundedMemo
from matcher.settings import Settings, get_settings
from matcher.sources import DataDir
from matcher.sources.catalog import Catalog

log = logging.getLogger(__name__)

MAX_QUERY_CHARS = 1000
ALIGN_MEMO = 128  # alignments kept in memory (a stored program is aligned again and again)
# Program text encoded per turn of the alignment lock: about 0.2-0.4 s on 2 quiet cores, so a
# small alignment never waits long for another client's large one (see Matcher.align).
ALIGN_SLICE_CHARS = 4000
# Indexes the search routes query one text at a time (batched in a server: enable_search_batching)
SEARCH_INDEXES = ("occupation_titles", "occupations", "esco_skills", "technology", "tools", "dwas")
# From this size on, a one-query search is memory-bound enough for batching and an int8 copy
# to pay; below it (1,016 occupations: 1.5 MB) a direct search takes ~0.05 ms.
SEARCH_SCAN_ROWS = 5000


class Matcher:
    """Everything needed to align programs, loaded once.

    ``Matcher.load()`` verifies that the built indexes match the configured model and data and
    fails with :class:`~matcher.errors.IndexUnavailableError` (saying why) otherwise.
    """

    def __init__(self, settings: Settings, catalog: Catalog, encoder: Encoder, indexes: IndexSet):
        self.settings = settings
        self.catalog = catalog
        self.encoder = encoder
        self.indexes = indexes
        self._align_memo: BoundedMemo[str, Any] = BoundedMemo(ALIGN_MEMO)
        # One alignment step computes at a time: each already keeps every core busy (encoder
        # and FAISS threads), so concurrent ones only oversubscribe them and all finish late.
        self._align_lock = FairLock()  # clients take turns; each client's requests in order

    @classmethod
    def load(cls, settings: Settings | None = None, *, encoder: Encoder | None = None) -> Matcher:
        settings = settings or get_settings()
        data = DataDir(settings.data_dir)
        data.check()
        encoder = encoder or encoder_from_settings(settings)
        store = IndexStore(settings.index_root)
        indexes = store.load(model=encoder.identity, data_fingerprint=data.fingerprint)
        return cls(settings, Catalog(data), encoder, indexes)

    @functools.cached_property
    def aligner(self):
        from matcher.align import Aligner, AlignWeights
        from matcher.align.program_memory import ProgramMemory

        folder = self.settings.program_memory_dir
        if folder is None:
            return Aligner(self.catalog, self.indexes, self.encoder)
        try:
            memory = ProgramMemory.load(folder)
            weights = AlignWeights.load(folder / "weights.json")
        except (OSError, ValueError, KeyError) as exc:
            raise DataMissingError(f"cannot read the program memory in {folder} ({exc})") from None
        return Aligner(self.catalog, self.indexes, self.encoder, memory=memory, weights=weights)

    @functools.cached_property
    def gap_analyzer(self):
        from matcher.gaps import GapAnalyzer

        return GapAnalyzer(self.catalog, self.indexes, self.encoder, extractor=self.extractor)

    @functools.cached_property
    def extractor(self):
        from matcher.extract import SkillExtractor

        return SkillExtractor.from_matcher(self)

    @functools.cached_property
    def coder(self):
        from matcher.postings.coding import OccupationCoder

        return OccupationCoder.from_matcher(self)

    def posting_demand(self, code: str, *, area: str | None = None, since: Any = None):
        """Skill demand from stored postings for (occupation, area, since), or None when the
        database has no coded posting for them (or cannot be reached)."""
        from matcher.db import get_database
        from matcher.postings.demand import has_postings, occupation_demand

        try:
            db = get_database(self.settings)
            if not has_postings(db, code, area=area, since=since):
                return None
            return occupation_demand(db, code, area=area, since=since)
        except Exception as exc:  # noqa: BLE001 - demand is optional: fall back to importance
            log.warning("no posting demand for %s (%s); ranking by O*NET importance", code, exc)
            return None

    def warm(self) -> None:
        """Load the model and build the scorers now, so the first request is not slow."""
        _ = self.aligner, self.gap_analyzer, self.catalog.acronyms, self.catalog.occupation_names
        self.encoder.encode_one("warm up")

    @property
    def versions(self) -> dict[str, Any]:
        return self.indexes.versions

    # -- operations ------------------------------------------------------------------------------
    def align(self, program: Program, *, top_k: int = 10, client: str = ""):
        """The program's aligned occupations with evidence. Alignment is a pure function of the
        program, the loaded data, indexes and model, so the last ``ALIGN_MEMO`` results are
        kept in memory, keyed by the program's full content and ``top_k``: re-aligning a stored
        program costs a copy, not a model pass.

        One alignment step computes at a time, and ``client`` (who asks: a user, an address)
        takes its turn with the others (:class:`~matcher.runtime.fair_lock.FairLock`): the program's
        texts are encoded in slices of about ``ALIGN_SLICE_CHARS`` characters, one turn each,
        then scored in one more turn. So a small alignment waits for one slice of each client
        ahead of it, never for the whole of another client's large program."""
        _check_program(program)
        key = hashlib.sha256(f"{top_k}\n{program.model_dump_json()}".encode()).hexdigest()
        hit = self._align_memo.get(key)
        if hit is None:
            from matcher.align.aligner import texts_of
            from matcher.align.prepared import prepare

            prepared = prepare(program)
            vectors = self._encode_in_turns(texts_of(prepared), client)
            with self._align_lock.turn(client):
                hit = self._align_memo.get(key)  # computed while this request waited?
                if hit is None:
                    result = self.aligner.align_prepared(prepared, vectors, top_k=top_k)
                    self._align_memo.put(key, copy.deepcopy(result))
                    return result
        return copy.deepcopy(hit)  # callers may change what they get; the memo keeps its own

    def _encode_in_turns(self, texts: list[str], client: str) -> np.ndarray:
        """``encoder.encode(texts)``, one slice of about ``ALIGN_SLICE_CHARS`` characters per turn."""
        parts = []
        for lo, hi in _slices([len(t) for t in texts], ALIGN_SLICE_CHARS):
            with self._align_lock.turn(client):
                parts.append(self.encoder.encode(texts[lo:hi]))
        return np.concatenate(parts) if parts else self.encoder.encode([])

    def gaps(self, program: Program, code: str, *, area: str | None = None, since: Any = None, **kw: Any):
        """Gap report; missing skills are ranked by the share of local postings that ask for
        them when coded postings with extracted skills exist for (occupation, area, since), else
        by O*NET importance. The report's ``ranking`` says which was used."""
        _check_program(program)
        occupation = self.catalog.occupation(code)
        if "demand" not in kw:
            demand = self.posting_demand(occupation.code, area=area, since=since)
            if demand is not None and demand.skills:
                kw["demand"] = demand.shares()
        return self.gap_analyzer.analyze(program, occupation.code, **kw)

    def enable_search_batching(self) -> None:
        """For a multi-threaded server: batch concurrent search queries on each large search
        index; batches find their candidates in an int8 copy, a lone query in FAISS's 8-bit
        scalar quantiser (exact float32 scores either way; see
        :meth:`VectorIndex.enable_int8_candidates` and :meth:`VectorIndex.enable_sq8_candidates`)."""
        for name in SEARCH_INDEXES:
            if name in self.indexes and len(self.indexes[name]) >= SEARCH_SCAN_ROWS:
                self.indexes[name].enable_int8_candidates()
                self.indexes[name].enable_sq8_candidates()
                self.indexes[name].enable_batching()

    def search_occupations(self, query: str, *, k: int = 10) -> list[dict[str, Any]]:
        q = _check_query(query)
        vec = self.encoder.encode_query(q)
        by_code: dict[str, dict[str, Any]] = {}
        for hit in self.indexes["occupation_titles"].top_unique(vec, k * 3):
            by_code.setdefault(hit.id, {"code": hit.id, "matched": hit.text, "score": hit.score})
        for hit in self.indexes["occupations"].top(vec, k):
            entry = by_code.get(hit.id)
            if entry is None or hit.score > entry["score"]:
                by_code[hit.id] = {"code": hit.id, "matched": "title and description", "score": hit.score}
        ranked = sorted(by_code.values(), key=lambda e: self._search_rank(e))[:k]
        for e in ranked:
            e["title"] = self.catalog.occupations[e["code"]].title
            e["score"] = round(float(e["score"]), 4)
        return ranked

    def _search_rank(self, entry: dict[str, Any]) -> tuple[float, bool]:
        """Best score first (as shown, to 4 decimals); at an equal score, a specific occupation
        before a residual "..., All Other" one (an alternate title such as "Phlebotomist" is
        listed under both Phlebotomists and Healthcare Support Workers, All Other)."""
        title = self.catalog.occupations[entry["code"]].title
        return -round(float(entry["score"]), 4), title.rstrip().endswith("All Other")

    def search_skills(self, query: str, *, k: int = 10, taxonomy: str | None = None) -> list[dict[str, Any]]:
        q = _check_query(query)
        vec = self.encoder.encode_query(q)
        sources = {
            "esco": "esco_skills",
            "onet-tech": "technology",
            "onet-tool": "tools",
            "onet-dwa": "dwas",
        }
        if taxonomy and taxonomy not in sources:
            raise BadInputError(f"unknown taxonomy {taxonomy!r}; choose one of: {', '.join(sources)}")
        hits: list[dict[str, Any]] = []
        for tax, name in sources.items():
            if taxonomy and tax != taxonomy:
                continue
            for h in self.indexes[name].top_unique(vec, k):
                hits.append(
                    {
                        "taxonomy": tax,
                        "id": h.id,
                        "label": self._skill_label(tax, h.id, h.text),
                        "score": round(h.score, 4),
                    }
                )
        return sorted(hits, key=lambda e: -e["score"])[:k]

    def _skill_label(self, taxonomy: str, id_: str, text: str) -> str:
        if taxonomy == "esco":
            s = self.catalog.esco_skills.get(id_)
            return s.label if s else text
        return text

    def occupation_detail(self, code: str) -> dict[str, Any]:
        o = self.catalog.occupation(code)
        c = self.catalog
        tech = c.tech_by_code.get(o.code, [])
        return {
            "code": o.code,
            "soc": o.soc,
            "title": o.title,
            "description": o.description,
            "job_zone": c.job_zones.get(o.code),
            "tasks": [t.text for t in c.tasks_by_code.get(o.code, [])[:15]],
            "technology_skills": [
                {"example": t.example, "hot": t.hot, "in_demand": t.in_demand} for t in tech[:25]
            ],
            "cip": [
                {"code": cip, "title": entry.title if (entry := c.cip(cip)) else ""}
                for cip in c.soc_to_cip.get(o.soc, [])
            ],
            "esco": [
                {"uri": uri, "label": c.esco_occupations[uri].label, "match": match}
                for uri, match in c.esco_for_onet(o.code)[:10]
            ],
            "versions": self.versions,
        }


def _check_query(query: str) -> str:
    q = " ".join((query or "").split())
    if not q:
        raise BadInputError("the query is empty")
    if len(q) > MAX_QUERY_CHARS:
        raise BadInputError(f"the query is {len(q)} characters; the limit is {MAX_QUERY_CHARS}")
    return q


def _check_program(program: Program) -> None:
    if not program.has_text():
        raise BadInputError("the program has no text: give at least a title or a description")


def _slices(lengths: list[int], budget: int) -> list[tuple[int, int]]:
    """``[lo, hi)`` ranges of consecutive items, each summing to about ``budget`` (at least one item)."""
    out, lo, total = [], 0, 0
    for i, n in enumerate(lengths):
        if i > lo and total + n > budget:
            out.append((lo, i))
            lo, total = i, 0
        total += n
    if lo < len(lengths):
        out.append((lo, len(lengths)))
    return out
