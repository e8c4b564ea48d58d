"""Taxonomy signals: how well a prepared program matches every O*NET occupation and every CIP
code, from the built indexes. No labelled data is involved here."""

from __future__ import annotations

import math
import re
from collections import defaultdict

import numpy as np

from matcher.align.cip_words import CipWords
from matcher.align.credentials import find_credentials, find_keywords
from matcher.align.entry import needs_years_of_experience
from matcher.align.practice import is_leading, is_teacher_preparation, is_teaching
from matcher.align.prepared import PreparedProgram
from matcher.encoding.encoder import Encoder
from matcher.indexes.store import IndexSet
from matcher.sources.catalog import Catalog

NO_MATCH_CODE = "99-9999.00"
NO_MATCH_TITLE = "No specific occupation (the CIP-SOC crosswalk has no SOC match)"

# Per-occupation signals computed here; `cip`, `knn` and `no_match` are added by the model.
TAXONOMY_FEATURES = (
    "title",
    "profile",
    "tasks",
    "dwas",
    "credential",
    "keyword",
    "credential_title",
    "mention",
    "technology",
)
_WORD = re.compile(r"[a-z0-9+#.]+(?:[-/][a-z0-9+#.]+)*")
CIP_FEATURES = (
    "doc",
    "title",
    "title_vs_cip_title",
    "doc_vs_cip_title",
    "words",
    "title_words",
    "support_title",
    "support_profile",
    "support_tasks",
)


def group_topk_mean(values: np.ndarray, starts: np.ndarray, ends: np.ndarray, k: int) -> np.ndarray:
    """For each range ``values[starts[i]:ends[i]]``, the mean of its ``k`` largest values (0 for
    an empty range). Vectorised: one sort of all ranges' values by (range, value descending),
    then a weighted bincount of each range's first ``k`` (a Python loop over ~1,000 ranges cost
    ~9 ms per alignment)."""
    starts, ends = np.asarray(starts), np.asarray(ends)
    lens = np.maximum(ends - starts, 0)
    out = np.zeros(len(starts), dtype=np.float32)
    live = np.flatnonzero(lens > 0)
    if not len(live):
        return out
    n_live = lens[live]
    seg = np.repeat(live, n_live)
    first = np.repeat(np.cumsum(n_live) - n_live, n_live)  # where each element's range begins
    offset = np.arange(len(seg)) - first
    vals = np.asarray(values)[np.repeat(starts[live], n_live) + offset]
    order = np.lexsort((-vals, seg))  # by range (ascending, as laid out), then value descending
    keep = offset < k  # the first k of each range, in sorted order
    sums = np.bincount(seg[keep], weights=vals[order][keep], minlength=len(starts))
    out[live] = (sums[live] / np.minimum(n_live, k)).astype(np.float32)
    return out


class TaxonomySignals:
    """Matrices precomputed once from the indexes; :meth:`occupation_signals` and
    :meth:`cip_signals` score one program against every row."""

    def __init__(self, catalog: Catalog, indexes: IndexSet, encoder: Encoder) -> None:
        self.catalog = catalog
        self.indexes = indexes
        # Occupation rows: every O*NET code, then the "no occupational match" pseudo-row.
        self.codes: list[str] = [*catalog.occupation_codes, NO_MATCH_CODE]
        self.pos = {c: i for i, c in enumerate(self.codes)}
        n = len(self.codes)
        occ = indexes["occupations"]
        self.profile = np.zeros((n, occ.dim), dtype=np.float32)
        for i, code in enumerate(occ.ids):
            if code in self.pos:
                self.profile[self.pos[code]] = occ.matrix[i]

        self.title_occ = np.array([self.pos.get(c, -1) for c in indexes["occupation_titles"].ids])

        tasks = indexes["tasks"]
        task_occ = np.array([self.pos.get(catalog.tasks[t].code, -1) for t in tasks.ids])
        self.task_order = np.argsort(task_occ, kind="stable")
        sorted_occ = task_occ[self.task_order]
        self.task_starts = np.searchsorted(sorted_occ, np.arange(n), "left")
        self.task_ends = np.searchsorted(sorted_occ, np.arange(n), "right")

        dwa_row = {d: i for i, d in enumerate(indexes["dwas"].ids)}
        pairs = sorted(
            (self.pos[code], dwa_row[link.dwa_id])
            for code, links in catalog.dwas_by_code.items()
            if code in self.pos
            for link in links
            if link.dwa_id in dwa_row
        )
        pair_occ = np.array([p[0] for p in pairs])
        self.dwa_pair_row = np.array([p[1] for p in pairs])
        self.dwa_starts = np.searchsorted(pair_occ, np.arange(n), "left")
        self.dwa_ends = np.searchsorted(pair_occ, np.arange(n), "right")

        cip = indexes["cip"]
        self.cip_ids: list[str] = cip.ids
        self.cip_pos = {c: i for i, c in enumerate(self.cip_ids)}
        titles = {c: catalog.cip_codes[c].title for c in self.cip_ids if c in catalog.cip_codes}
        if "cip_titles" in indexes:
            ct = indexes["cip_titles"]
            by_id = dict(zip(ct.ids, ct.matrix, strict=True))
            self.cip_title_matrix = np.stack([by_id[c] for c in self.cip_ids])
        else:
            self.cip_title_matrix = encoder.encode([titles.get(c, c) for c in self.cip_ids])
        self.cip_words = CipWords([catalog.cip_codes.get(c) for c in self.cip_ids])
        self.teaching = np.array([is_teaching(c) for c in self.codes])
        self.leading = np.array([is_leading(c) for c in self.codes])
        entry = catalog.entry_requirements
        self.experienced = np.array(
            [needs_years_of_experience(entry.get(c[:7], ("", ""))[1]) for c in self.codes]
        )
        self.teacher_preparation = np.array([is_teacher_preparation(c) for c in self.cip_ids])
        # CIP -> the occupation rows it prepares people to practise, through the official
        # crosswalk (teaching codes only for teacher preparation or a teaching-only CIP; NO
        # MATCH -> the pseudo-row).
        self.cip_occ: list[np.ndarray] = []
        for code in self.cip_ids:
            rows = {self.pos[c] for soc in catalog.socs_for_cip(code) for c in catalog.codes_for_soc(soc)}
            practice = {r for r in rows if not self.teaching[r]}
            if practice and not is_teacher_preparation(code):
                rows = practice
            if code in catalog.cip_no_match:
                rows.add(self.pos[NO_MATCH_CODE])
            self.cip_occ.append(np.array(sorted(rows), dtype=np.int64))
        self.soc_rows: dict[str, np.ndarray] = {}
        for code in self.codes:
            self.soc_rows.setdefault(code[:7], np.array([], dtype=np.int64))
        for soc in self.soc_rows:
            self.soc_rows[soc] = np.array(
                [self.pos[c] for c in catalog.codes_for_soc(soc)]
                or ([self.pos[NO_MATCH_CODE]] if soc == NO_MATCH_CODE[:7] else []),
                dtype=np.int64,
            )

        # Technology skill examples (e.g. "QuickBooks", "Java") -> occupation rows, with IDF.
        rows_by_example: dict[str, set[int]] = defaultdict(set)
        for code, techs in catalog.tech_by_code.items():
            if code in self.pos:
                for t in techs:
                    key = " ".join(_WORD.findall(t.example.lower()))
                    if len(key) >= 3:
                        rows_by_example[key].add(self.pos[code])
        n_occ = max(1, len(catalog.occupations))
        self.tech_rows = {k: np.array(sorted(v)) for k, v in rows_by_example.items()}
        self.tech_idf = {k: math.log(n_occ / len(v)) for k, v in rows_by_example.items()}
        self.tech_max_words = max((len(k.split()) for k in self.tech_rows), default=1)

    def technology_mentions(self, text: str) -> dict[str, float]:
        """Technology skill examples named verbatim in ``text`` (word n-grams), with their IDF."""
        words = _WORD.findall(text.lower())
        found: dict[str, float] = {}
        for n in range(1, min(self.tech_max_words, 5) + 1):
            for i in range(len(words) - n + 1):
                key = " ".join(words[i : i + n])
                if key in self.tech_rows:
                    found[key] = self.tech_idf[key]
        return found

    def occupation_signals(self, p: PreparedProgram, v: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        n = len(self.codes)
        out: dict[str, np.ndarray] = {}
        titles = self.indexes["occupation_titles"].matrix
        ok = self.title_occ >= 0
        title = np.zeros(n, dtype=np.float32)
        np.maximum.at(title, self.title_occ[ok], (titles @ v["title"])[ok])
        out["title"] = title
        out["profile"] = self.profile @ v["doc"]
        sents = v["sentences"][p.content_mask] if p.content_mask.any() else v["sentences"]
        if len(sents) == 0:
            sents = v["title"][None, :]
        task_best = (self.indexes["tasks"].matrix @ sents.T).max(axis=1)
        out["tasks"] = group_topk_mean(task_best[self.task_order], self.task_starts, self.task_ends, 3)
        dwa_best = (self.indexes["dwas"].matrix @ sents.T).max(axis=1)
        out["dwas"] = group_topk_mean(dwa_best[self.dwa_pair_row], self.dwa_starts, self.dwa_ends, 3)
        out["credential"] = self._rule_signal(find_credentials(p.unit_texts))
        out["keyword"] = self._rule_signal(find_keywords(p.unit_texts))
        ctitle = np.zeros(n, dtype=np.float32)
        if len(v["credentials"]):
            csims = (titles @ v["credentials"].T).max(axis=1)
            np.maximum.at(ctitle, self.title_occ[ok], csims[ok])
        out["credential_title"] = ctitle
        # Occupations named anywhere in the program ("prepares students for work as ...").
        mention = np.zeros(n, dtype=np.float32)
        if len(v["sentences"]):
            msims = (titles @ v["sentences"].T).max(axis=1)
            np.maximum.at(mention, self.title_occ[ok], msims[ok])
        out["mention"] = mention
        tech = np.zeros(n, dtype=np.float32)
        for key, idf in self.technology_mentions(" ".join(p.unit_texts)).items():
            tech[self.tech_rows[key]] += idf
        out["technology"] = np.minimum(tech / 10.0, 1.0)
        return out

    def _rule_signal(self, matches: list) -> np.ndarray:
        out = np.zeros(len(self.codes), dtype=np.float32)
        for m in matches:
            for soc in m.rule.socs:
                out[self.soc_rows.get(soc, [])] = 1.0
        return out

    def cip_signals(
        self, p: PreparedProgram, v: dict[str, np.ndarray], occ: dict[str, np.ndarray]
    ) -> dict[str, np.ndarray]:
        """Similarity of the program to each CIP code (embeddings, and shared words with each
        code's title, definition and examples), and how well the occupations each CIP code
        leads to match the program (``support_*``: best over its occupations)."""
        m = self.indexes["cip"].matrix
        t = self.cip_title_matrix
        out = {
            "doc": m @ v["doc"],
            "title": m @ v["title"],
            "title_vs_cip_title": t @ v["title"],
            "doc_vs_cip_title": t @ v["doc"],
            "words": self.cip_words.document(" ".join(p.unit_texts)),
            "title_words": self.cip_words.title(p.title),
        }
        for name in ("title", "profile", "tasks"):
            values = occ[name]
            out[f"support_{name}"] = np.array(
                [values[rows].max() if len(rows) else 0.0 for rows in self.cip_occ], dtype=np.float32
            )
        return out

    def occupations_for_cips(self, probs: np.ndarray) -> np.ndarray:
        """Probability mass each occupation row receives from a distribution over CIP codes."""
        out = np.zeros(len(self.codes), dtype=np.float32)
        for j in np.nonzero(probs > 1e-6)[0]:
            rows = self.cip_occ[j]
            if len(rows):
                out[rows] += probs[j]
        return np.minimum(out, 1.0)
