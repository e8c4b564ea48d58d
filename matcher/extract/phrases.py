"""Exact mentions of taxonomy surface forms: a phrase matcher over spaCy tokens.

Surface forms: ESCO skill preferred and alternative labels; O*NET technology skill examples and
commodity titles; O*NET tools examples and commodity titles; short aliases derived from O*NET
examples ("Microsoft Excel" -> "Excel", "Metal inert gas MIG welders" -> "MIG welders").

Matching is lemma- and case-insensitive (on the POS-free lemma keys of
:mod:`matcher.extract.nlp`: "managing budgets" finds "manage budgets"). One-word forms that
are ordinary words ("plan", "LESS", "Word", "Chef") are not matched verbatim: semantic linking,
which sees their context, finds them instead. One-word O*NET product names with capitals
("Excel") match case-sensitively. An ordinary word is one seen at least :data:`COMMON_MIN` times
in lower case in ESCO descriptions and O*NET task statements, or a spaCy stop word.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from spacy.tokens import Doc

from matcher.extract.nlp import TextPipeline
from matcher.extract.types import Taxonomy
from matcher.sources.catalog import Catalog

log = logging.getLogger(__name__)

COMMON_MIN = 3
MIN_FORM_CHARS = 2
MAX_FORM_TOKENS = 12
TABLE_VERSION = 1  # bump when the forms or the rules change
VENDOR_MIN_EXAMPLES = 8  # a capitalised first word shared by this many examples is a vendor
_WORD = re.compile(r"[A-Za-z][\w#+'-]*")
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9]{1,7}s?$")


class Entry(NamedTuple):
    taxonomy: str
    id: str
    label: str


@dataclass(frozen=True, slots=True)
class PhraseHit:
    taxonomy: str
    id: str
    label: str
    start: int  # token offsets in the doc
    end: int


def ordinary_words(catalog: Catalog, stop_words: Iterable[str]) -> set[str]:
    """Lower-case words of ordinary prose: seen at least :data:`COMMON_MIN` times (singular and
    plural together) in lower case in ESCO skill and occupation descriptions and O*NET task
    statements, plus spaCy's stop words. "plan", "word", "chef" are ordinary; "java" is not."""
    counts: Counter[str] = Counter()
    prose = [s.description for s in catalog.esco_skills.values()]
    prose += [o.description for o in catalog.esco_occupations.values()]
    prose += [t.text for t in catalog.tasks.values()]
    for text in prose:
        counts.update(w for w in _WORD.findall(text) if w.islower())
    bases = set(counts) | {w[:-1] for w in counts if w.endswith("s")}
    bases |= {w[:-2] for w in counts if w.endswith("es")}
    common = {w for w in bases if counts[w] + counts[w + "s"] + counts[w + "es"] >= COMMON_MIN}
    return common | {w.lower() for w in stop_words}


def onet_aliases(example: str, vendors: set[str]) -> list[str]:
    """Shorter names of an O*NET example: without the vendor, and acronym forms."""
    out: list[str] = []
    words = example.split()
    if len(words) > 1 and words[0] in vendors:
        rest = words[1:]
        if rest and rest[0] == words[0]:  # "Adobe Systems Adobe Photoshop" style
            rest = rest[1:]
        if len(rest) > 1 and rest[0] == "Systems" and rest[1] == words[0]:
            rest = rest[2:]
        if rest:
            out.append(" ".join(rest))
    for i, w in enumerate(words):
        if i >= 2 and _ACRONYM.match(w):
            letters = w.rstrip("s")
            head = words[i - len(letters) : i] if len(letters) <= i else []
            if head and "".join(x[0] for x in head).upper() == letters.upper():
                out.append(" ".join(words[: i - len(letters)] + words[i:]))  # "MIG welders"
                out.append(" ".join(words[:i] + words[i + 1 :]))  # "Metal inert gas welders"
    return [a for a in out if a and a != example]


def _vendors(examples: Iterable[str], common: set[str]) -> set[str]:
    first = Counter(e.split()[0] for e in examples if len(e.split()) > 1)
    return {
        w
        for w, n in first.items()
        if n >= VENDOR_MIN_EXAMPLES and w[:1].isupper() and w.lower() not in common
    }


class PhraseTable:
    """Every surface form of the taxonomies as token-key tuples, matched like spaCy's
    PhraseMatcher on ``LEMMA`` (case-insensitive forms) and ``ORTH`` (case-sensitive ones).

    Compiling tokenises ~130k forms with the spaCy tokenizer (about 15 s on the full data), so
    the compiled table is kept on disk next to the embedding cache, keyed by the data
    fingerprint, and loads in well under a second. Matching looks every token n-gram up in a
    dict, which is what PhraseMatcher does internally, without its 10 s of ``add`` calls.
    """

    def __init__(self, entries: list[Entry], ci: dict[tuple[str, ...], list[int]], cs: dict) -> None:
        self.entries = entries
        self.ci = ci
        self.cs = cs
        self._ci_starts = _lengths_by_first(ci)
        self._cs_starts = _lengths_by_first(cs)

    def __len__(self) -> int:
        return len(self.ci) + len(self.cs)

    # -- building ----------------------------------------------------------------------------
    @classmethod
    def compile(cls, catalog: Catalog, pipeline: TextPipeline) -> PhraseTable:
        common = ordinary_words(catalog, pipeline.nlp.Defaults.stop_words)
        entry_ids: dict[Entry, int] = {}
        ci: dict[tuple[str, ...], list[int]] = defaultdict(list)
        cs: dict[tuple[str, ...], list[int]] = defaultdict(list)
        for form, entry, strict in _forms(catalog, common):
            form = " ".join(form.split())
            if len(form) < MIN_FORM_CHARS:
                continue
            case = case_rule(form, strict, common)
            if case is None:
                continue
            doc = pipeline.make_docs([form])[0]
            if len(doc) > MAX_FORM_TOKENS or all(t.is_punct for t in doc):
                continue
            key = tuple(t.text for t in doc) if case else tuple(t.lemma_ for t in doc)
            eid = entry_ids.setdefault(entry, len(entry_ids))
            bucket = (cs if case else ci)[key]
            if eid not in bucket:
                bucket.append(eid)
        entries = list(entry_ids)
        for table_ in (ci, cs):  # a form shared by several items: its own item wins
            for key, eids in table_.items():
                if len(eids) > 1:
                    own = [e for e in eids if _same(entries[e].label, key, table_ is ci, pipeline)]
                    if own:
                        table_[key] = own
        table = cls(entries, dict(ci), dict(cs))
        log.info(
            "phrase table: %d forms (%d case-sensitive), %d entries", len(table), len(cs), len(entry_ids)
        )
        return table

    @classmethod
    def load_or_compile(
        cls, catalog: Catalog, pipeline: TextPipeline, cache_dir: Path | None = None
    ) -> PhraseTable:
        """The compiled table from ``cache_dir`` when it matches the data, else compile (and
        save it there)."""
        path = None
        if cache_dir is not None:
            path = Path(cache_dir) / f"phrases-v{TABLE_VERSION}-{catalog.data.fingerprint}.pkl"
            if path.is_file():
                try:
                    with path.open("rb") as fh:
                        entries, ci, cs = pickle.load(fh)
                    return cls([Entry(*e) for e in entries], ci, cs)
                except (OSError, ValueError, TypeError, EOFError, pickle.UnpicklingError) as exc:
                    log.warning("ignoring the unreadable phrase table %s (%s)", path, exc)
        table = cls.compile(catalog, pipeline)
        if path is not None:
            try:
                table.save(path)
            except OSError as exc:
                log.warning("cannot save the phrase table to %s (%s)", path, exc)
        return table

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp{os.getpid()}")
        with tmp.open("wb") as fh:
            pickle.dump(([tuple(e) for e in self.entries], self.ci, self.cs), fh, protocol=5)
        os.replace(tmp, path)

    # -- matching ----------------------------------------------------------------------------
    def match(self, doc: Doc) -> list[PhraseHit]:
        """Mentions in ``doc`` (token offsets); per taxonomy, the longest of overlapping
        mentions wins, and an entry is reported once per position."""
        lemmas = [t.lemma_ for t in doc]
        orths = [t.text for t in doc]
        found: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
        n = len(doc)
        for keys, table, starts in ((lemmas, self.ci, self._ci_starts), (orths, self.cs, self._cs_starts)):
            for i in range(n):
                for size in starts.get(keys[i], ()):  # only forms that start with this word
                    if i + size > n:
                        continue
                    eids = table.get(tuple(keys[i : i + size]))
                    if eids:
                        for eid in eids:
                            found[self.entries[eid].taxonomy].append((i, i + size, eid))
        hits: list[PhraseHit] = []
        for items in found.values():
            items.sort(key=lambda x: (-(x[1] - x[0]), x[0]))
            taken = [False] * n
            keep: set[tuple[int, int]] = set()
            for s, e, _ in items:
                if (s, e) in keep or not any(taken[s:e]):
                    keep.add((s, e))
                    for j in range(s, e):
                        taken[j] = True
            seen: set[tuple[int, int, int]] = set()
            for s, e, eid in sorted(items, key=lambda x: (x[0], x[1])):
                if (s, e) in keep and (s, e, eid) not in seen:
                    seen.add((s, e, eid))
                    entry = self.entries[eid]
                    hits.append(PhraseHit(entry.taxonomy, entry.id, entry.label, s, e))
        return hits


def _lengths_by_first(table: dict[tuple[str, ...], list[int]]) -> dict[str, tuple[int, ...]]:
    """For each first word of a form, the lengths of the forms starting with it."""
    out: dict[str, set[int]] = defaultdict(set)
    for key in table:
        if key:
            out[key[0]].add(len(key))
    return {w: tuple(sorted(ls, reverse=True)) for w, ls in out.items()}


def _same(label: str, key: tuple[str, ...], lemma: bool, pipeline: TextPipeline) -> bool:
    doc = pipeline.make_docs([label])[0]
    return tuple(t.lemma_ if lemma else t.text for t in doc) == key


def case_rule(form: str, strict: bool, common: set[str]) -> bool | None:
    """True: match case-sensitively; False: case-insensitively; None: never match.

    One-word forms that are ordinary words ("plan", "Word", "LESS") are left to semantic
    linking, which sees their context; other one-word O*NET product names with capitals
    ("Excel", "Java") match case-sensitively; everything else case-insensitively.
    """
    if len(form.split()) > 1:
        return False
    if form.lower().strip(".,()") in common:
        return None
    return bool(strict and any(c.isupper() for c in form))


def _forms(catalog: Catalog, common: set[str]) -> Iterator[tuple[str, Entry, bool]]:
    """(surface form, entry, is an O*NET product/tool name) for every taxonomy item."""
    esco = Taxonomy.ESCO.value
    for s in catalog.esco_skills.values():
        entry = Entry(esco, s.uri, s.label)
        yield s.label, entry, False
        for alt in s.alt_labels:
            yield alt, entry, False
    tech = [t for ts in catalog.tech_by_code.values() for t in ts]
    tools = [t for ts in catalog.tools_by_code.values() for t in ts]
    vendors = _vendors({t.example for t in tech} | {t.example for t in tools}, common)
    for taxonomy, items in ((Taxonomy.ONET_TECH.value, tech), (Taxonomy.ONET_TOOL.value, tools)):
        seen: set[str] = set()
        for t in items:
            if t.example in seen:
                continue
            seen.add(t.example)
            entry = Entry(taxonomy, t.example, t.example)
            yield t.example, entry, True
            for alias in onet_aliases(t.example, vendors):
                yield alias, entry, True
        for title in sorted({t.commodity_title for t in items}):
            yield title, Entry(taxonomy, title, title), True
