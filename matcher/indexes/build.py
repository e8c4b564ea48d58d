"""Build every index the matcher searches, from the catalog, with one encoder.

Each :class:`IndexSpec` says which rows (id, text) an index holds. The build encodes all texts
(reusing the embedding cache), writes the indexes into a temporary folder and publishes them
atomically with a manifest; see :mod:`matcher.indexes.store`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from matcher.encoding.encoder import Encoder
from matcher.indexes.store import IndexStore
from matcher.indexes.vector_index import VectorIndex
from matcher.runtime.progress import NULL_PROGRESS, Progress
from matcher.sources.catalog import Catalog

log = logging.getLogger(__name__)

Rows = list[tuple[str, str]]  # (id, text)
Vectors = dict[str, np.ndarray]  # by text


def _dedupe(rows: Rows) -> Rows:
    seen: set[tuple[str, str]] = set()
    out = []
    for id_, text in rows:
        text = " ".join(text.split())
        key = (id_, text.lower())
        if text and key not in seen:
            seen.add(key)
            out.append((id_, text))
    return out


def occupation_profiles(c: Catalog) -> Rows:
    return [(o.code, f"{o.title}. {o.description}") for o in c.occupations.values()]


def occupation_titles(c: Catalog) -> Rows:
    rows = [(o.code, o.title) for o in c.occupations.values()]
    rows += [(a.code, a.title) for a in c.data.onet.alternate_titles if a.code in c.occupations]
    rows += [(a.code, a.short_title) for a in c.data.onet.alternate_titles if a.short_title]
    rows += [(r.code, r.title) for r in c.data.onet.reported_titles if r.code in c.occupations]
    return _dedupe(rows)


def tasks(c: Catalog) -> Rows:
    return [(t.task_id, t.text) for t in c.tasks.values()]


def dwas(c: Catalog) -> Rows:
    return [(d.dwa_id, d.title) for d in c.dwas.values()]


def technology(c: Catalog) -> Rows:
    return _dedupe([(t.example, t.example) for ts in c.tech_by_code.values() for t in ts])


def tools(c: Catalog) -> Rows:
    return _dedupe([(t.example, t.example) for ts in c.tools_by_code.values() for t in ts])


def esco_occupations(c: Catalog) -> Rows:
    rows = []
    for o in c.esco_occupations.values():
        rows.append((o.uri, o.label))
        rows += [(o.uri, alt) for alt in o.alt_labels]
    return _dedupe(rows)


def esco_skills(c: Catalog) -> Rows:
    return _dedupe([(s.uri, s.label) for s in c.esco_skills.values()])


def esco_skill_labels(c: Catalog) -> Rows:
    """Every ESCO skill's preferred and alternative labels, grouped by skill (one id per row;
    rows of a skill are contiguous, preferred label first)."""
    rows = []
    for s in c.esco_skills.values():
        rows.append((s.uri, s.label))
        rows += [(s.uri, alt) for alt in s.alt_labels]
    return _dedupe(rows)


def cip_programs(c: Catalog) -> Rows:
    return [(cc.code, f"{cc.title}. {cc.definition}") for cc in c.cip_codes.values()]


def cip_titles(c: Catalog) -> Rows:
    return [(cc.code, cc.title) for cc in c.cip_codes.values()]


def onet_elements(c: Catalog) -> Rows:
    names: dict[str, str] = {}
    for ratings in (c.skill_ratings, c.knowledge_ratings):
        for rs in ratings.values():
            for r in rs:
                names.setdefault(r.element_id, r.name)
    return [
        (eid, f"{name}: {c.element_descriptions.get(eid, '')}".rstrip(": "))
        for eid, name in sorted(names.items())
    ]


@dataclass(frozen=True)
class IndexSpec:
    name: str
    rows: Callable[[Catalog], Rows]
    description: str


SPECS: tuple[IndexSpec, ...] = (
    IndexSpec("occupations", occupation_profiles, "O*NET occupation title + description"),
    IndexSpec("occupation_titles", occupation_titles, "O*NET titles, alternate and reported titles"),
    IndexSpec("tasks", tasks, "O*NET task statements"),
    IndexSpec("dwas", dwas, "O*NET detailed work activities"),
    IndexSpec("technology", technology, "O*NET technology skill examples"),
    IndexSpec("tools", tools, "O*NET tools used examples"),
    IndexSpec("onet_elements", onet_elements, "O*NET Skills and Knowledge descriptors"),
    IndexSpec("esco_occupations", esco_occupations, "ESCO occupations, preferred + alt labels"),
    IndexSpec("esco_skills", esco_skills, "ESCO skills and knowledge, preferred labels"),
    IndexSpec("esco_skill_labels", esco_skill_labels, "ESCO skills and knowledge, preferred + alt labels"),
    IndexSpec("cip", cip_programs, "CIP 2020 six-digit programs, title + definition"),
    IndexSpec("cip_titles", cip_titles, "CIP 2020 six-digit program titles"),
)


def is_up_to_date(store: IndexStore, encoder: Encoder, catalog: Catalog) -> bool:
    manifest = store.current_manifest()
    if manifest is None:
        return False
    if store.mismatch(manifest, model=encoder.identity, data_fingerprint=catalog.data.fingerprint):
        return False
    return set(manifest.indexes) >= {s.name for s in SPECS}


def build_indexes(
    store: IndexStore,
    catalog: Catalog,
    encoder: Encoder,
    *,
    progress: Progress = NULL_PROGRESS,
    specs: tuple[IndexSpec, ...] = SPECS,
) -> dict[str, int]:
    """Encode and index every spec's rows; publish atomically. Returns row counts.

    Each distinct text is encoded once across all indexes (an ESCO skill's preferred label is
    also a row of the labels index; a title can be both an O*NET and an ESCO title): vectors of
    texts a later index repeats are kept in memory until that index is written, whether or not
    the embedding cache is there."""
    with progress.stage(f"collecting the rows of {len(specs)} indexes", None):
        planned = [(spec, spec.rows(catalog)) for spec in specs]
    with progress.stage(f"loading the encoder {encoder.identity}", None):
        encoder.dim  # noqa: B018 - loads the model (the first time: exports it for ONNX Runtime)
    last_use = {text: i for i, (_, rows) in enumerate(planned) for _, text in rows}
    writer = store.new_build()
    counts: dict[str, int] = {}
    kept: dict[str, np.ndarray] = {}  # vectors of texts that a later index repeats
    try:
        for i, (spec, rows) in enumerate(planned):
            texts = [r[1] for r in rows]
            new = [t for t in dict.fromkeys(texts) if t not in kept]
            label = f"index {i + 1}/{len(planned)} {spec.name}"
            vectors = dict(zip(new, encoder.encode(new, progress=progress, description=label), strict=True))
            for text in new:
                if last_use[text] > i:
                    kept[text] = vectors[text]
            matrix = _rows(texts, vectors, kept, encoder.dim)
            with progress.stage(f"writing {spec.name}", None):
                index = VectorIndex.from_vectors(spec.name, [r[0] for r in rows], texts, matrix)
                writer.add(index, description=spec.description)
            for text in set(texts):
                if last_use[text] == i:
                    kept.pop(text, None)
            counts[spec.name] = len(index)
            log.info("index %s: %d rows", spec.name, len(index))
        with progress.stage("publishing the build", None):
            writer.commit(
                model=encoder.identity,
                dim=encoder.dim,
                data_fingerprint=catalog.data.fingerprint,
                data_versions=catalog.data.versions,
            )
    except BaseException:
        writer.abort()
        raise
    return counts


def _rows(texts: list[str], fresh: Vectors, kept: Vectors, dim: int) -> np.ndarray:
    """One row per text, from this index's new vectors or those kept from earlier ones."""
    out = np.empty((len(texts), dim), dtype=np.float32)
    for j, text in enumerate(texts):
        vec = fresh.get(text)
        out[j] = vec if vec is not None else kept[text]
    return out
