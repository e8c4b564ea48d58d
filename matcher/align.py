"""Program -> ranked O*NET-SOC occupations, each with the evidence behind its score.

Method (see ``docs/method.md``): every occupation gets a vector of signals, combined linearly
with weights fitted on labelled programs (``resources/align_weights.json``):

``title``       program title vs the occupation's title, alternate and reported titles
``profile``     whole program text vs the occupation's title + description
``tasks``       curriculum sentences vs the occupation's task statements (mean of best 3)
``dwas``        curriculum sentences vs its detailed work activities (mean of best 3)
``cip``         CIP codes predicted from (or stated by) the program, through the official
                CIP 2020 -> SOC 2018 crosswalk
``credential``  a named credential or licence that licenses the occupation
``credential_title``  named credentials vs occupation titles
``knn``         occupations of similar labelled programs (when a program memory is loaded)

The combined score is a logistic function of the weighted signals: read it as the estimated
chance that the occupation is an acceptable alignment for the program.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from matcher.catalog import Catalog
from matcher.credentials import find_credentials
from matcher.encoder import Encoder
from matcher.index_store import IndexSet
from matcher.program import Program, SourceRef
from matcher.progress import NULL_PROGRESS, Progress
from matcher.text import split_sentences

GENERIC_CREDENTIAL = re.compile(
    r"^(certificate( of (completion|achievement))?|diploma|license|licen[cs]e|"
    r"(associate'?s?|bachelor'?s?|master'?s?) degree|.*\bless than\b.*certificate|"
    r"community college certificate|industry[- ]recognized credential|none|n/?a|other|"
    r"postsecondary (certificate|award)|high school diploma)$",
    re.I,
)
# Fields whose sentences are read as curriculum content (features/prerequisites are noisier).
CONTENT_FIELDS = {"description", "credential", "outcome", "course title", "course description"}


@dataclass(frozen=True)
class Sentence:
    text: str
    source: SourceRef
    start: int  # offsets within the text unit
    end: int


@dataclass
class Evidence:
    kind: str  # title | task | dwa | profile | cip | credential
    matched: str  # the taxonomy text that matched
    matched_id: str
    similarity: float
    program_text: str | None = None
    source: SourceRef | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "kind": self.kind,
            "program_text": self.program_text,
            "source": self.source.label() if self.source else None,
            "matched": self.matched,
            "matched_id": self.matched_id,
            "similarity": round(self.similarity, 4),
        }
        if self.note:
            d["note"] = self.note
        return d


@dataclass
class AlignedOccupation:
    code: str
    title: str
    score: float
    signals: dict[str, float]
    evidence: list[Evidence] = field(default_factory=list)
    job_zone: int | None = None

    @property
    def soc(self) -> str:
        return self.code[:7]

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "soc": self.soc,
            "title": self.title,
            "score": round(self.score, 4),
            "job_zone": self.job_zone,
            "signals": {k: round(v, 4) for k, v in self.signals.items()},
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class CipPrediction:
    code: str
    title: str
    score: float
    stated: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "title": self.title, "score": round(self.score, 4), "stated": self.stated}


@dataclass
class Alignment:
    program_title: str
    occupations: list[AlignedOccupation]
    cip: list[CipPrediction]
    method: str
    versions: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": {"title": self.program_title},
            "occupations": [o.to_dict() for o in self.occupations],
            "cip": [c.to_dict() for c in self.cip],
            "method": self.method,
            "versions": self.versions,
        }


@dataclass
class PreparedProgram:
    program: Program
    title: str
    doc: str
    sentences: list[Sentence]
    content_mask: np.ndarray  # which sentences are curriculum content
    credentials: list[str]
    unit_texts: list[str]
    unit_sources: list[SourceRef]


def prepare(program: Program) -> PreparedProgram:
    units = list(program.iter_units())
    sentences: list[Sentence] = []
    for u in units:
        for span in split_sentences(u.text):
            sentences.append(Sentence(span.text, u.source, span.start, span.end))
    credentials = []
    for c in program.all_credentials():
        for part in re.split(r"[;|]", c):
            part = part.strip()
            if part and not GENERIC_CREDENTIAL.match(part):
                credentials.append(part)
    title = program.title.strip() or (sentences[0].text if sentences else "")
    doc_parts = [program.title, program.description]
    doc_parts += [c.title for c in program.courses] + [o.text for o in program.outcomes]
    doc_parts += credentials
    doc = ". ".join(p.strip() for p in doc_parts if p and p.strip())
    mask = np.array([s.source.field in CONTENT_FIELDS for s in sentences], dtype=bool)
    return PreparedProgram(
        program=program,
        title=title,
        doc=doc[:4000],
        sentences=sentences,
        content_mask=mask,
        credentials=credentials,
        unit_texts=[u.text for u in units],
        unit_sources=[u.source for u in units],
    )


@dataclass(frozen=True)
class AlignWeights:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    cip_temperature: float = 0.05
    cip_top: int = 10
    fitted: str = ""

    @classmethod
    def load(cls, name: str = "align_weights.json") -> AlignWeights:
        raw = json.loads(resources.files("matcher.resources").joinpath(name).read_text())
        feats = tuple(raw["weights"])
        return cls(
            features=feats,
            weights=tuple(float(raw["weights"][f]) for f in feats),
            bias=float(raw["bias"]),
            cip_temperature=float(raw.get("cip_temperature", 0.05)),
            cip_top=int(raw.get("cip_top", 10)),
            fitted=str(raw.get("fitted", "")),
        )


def _group_topk_mean(values: np.ndarray, starts: np.ndarray, ends: np.ndarray, k: int) -> np.ndarray:
    out = np.zeros(len(starts), dtype=np.float32)
    for i, (s, e) in enumerate(zip(starts, ends, strict=True)):
        if e > s:
            seg = values[s:e]
            kk = min(k, e - s)
            out[i] = np.partition(seg, -kk)[-kk:].mean() if kk < e - s else seg.mean()
    return out


class Aligner:
    """Scores every O*NET occupation for a program; see the module docstring for the signals."""

    FEATURES = ("title", "profile", "tasks", "dwas", "cip", "credential", "credential_title", "knn")

    def __init__(
        self,
        catalog: Catalog,
        indexes: IndexSet,
        encoder: Encoder,
        weights: AlignWeights | None = None,
        memory: Any | None = None,
    ) -> None:
        self.catalog = catalog
        self.indexes = indexes
        self.encoder = encoder
        self.weights = weights or AlignWeights.load()
        self.memory = memory  # optional labelled-program memory (matcher.program_memory)
        self.codes: list[str] = catalog.occupation_codes
        self.pos = {c: i for i, c in enumerate(self.codes)}
        n = len(self.codes)

        occ = indexes["occupations"]
        self.profile = np.zeros((n, occ.dim), dtype=np.float32)
        for i, code in enumerate(occ.ids):
            if code in self.pos:
                self.profile[self.pos[code]] = occ.matrix[i]

        titles = indexes["occupation_titles"]
        self.title_occ = np.array([self.pos.get(c, -1) for c in titles.ids])

        tasks = indexes["tasks"]
        task_occ = np.array([self.pos.get(catalog.tasks[t].code, -1) for t in tasks.ids])
        order = np.argsort(task_occ, kind="stable")
        self.task_order = order
        self.task_occ_sorted = task_occ[order]
        self.task_starts = np.searchsorted(self.task_occ_sorted, np.arange(n), "left")
        self.task_ends = np.searchsorted(self.task_occ_sorted, np.arange(n), "right")

        dwas = indexes["dwas"]
        dwa_row = {d: i for i, d in enumerate(dwas.ids)}
        pairs = [
            (self.pos[code], dwa_row[link.dwa_id])
            for code, links in catalog.dwas_by_code.items()
            if code in self.pos
            for link in links
            if link.dwa_id in dwa_row
        ]
        pairs.sort()
        self.dwa_pair_occ = np.array([p[0] for p in pairs])
        self.dwa_pair_row = np.array([p[1] for p in pairs])
        self.dwa_starts = np.searchsorted(self.dwa_pair_occ, np.arange(n), "left")
        self.dwa_ends = np.searchsorted(self.dwa_pair_occ, np.arange(n), "right")

        cip = indexes["cip"]
        self.cip_ids = cip.ids
        self.cip_pos = {c: i for i, c in enumerate(cip.ids)}
        self.cip_to_occ: list[np.ndarray] = []
        for code in cip.ids:
            occs = {
                self.pos[c]
                for soc in catalog.socs_for_cip(code)
                for c in catalog.codes_for_soc(soc)
                if c in self.pos
            }
            self.cip_to_occ.append(np.array(sorted(occs), dtype=np.int64))

        self.soc_occ: dict[str, np.ndarray] = {}
        for code in self.codes:
            self.soc_occ.setdefault(code[:7], [])  # type: ignore[arg-type]
        for soc in list(self.soc_occ):
            self.soc_occ[soc] = np.array([self.pos[c] for c in catalog.codes_for_soc(soc)])

    # -- signals ---------------------------------------------------------------------------------
    @staticmethod
    def _texts(p: PreparedProgram) -> list[str]:
        return [p.title, p.doc] + [s.text for s in p.sentences] + p.credentials

    def _encode(
        self, p: PreparedProgram, lookup: dict[str, np.ndarray] | None = None
    ) -> dict[str, np.ndarray]:
        texts = self._texts(p)
        if lookup is not None:
            vecs = np.stack([lookup[t] for t in texts])
        else:
            vecs = self.encoder.encode(texts)
        ns = len(p.sentences)
        return {
            "title": vecs[0],
            "doc": vecs[1],
            "sentences": vecs[2 : 2 + ns],
            "credentials": vecs[2 + ns :],
        }

    def cip_scores(self, p: PreparedProgram, v: dict[str, np.ndarray]) -> np.ndarray:
        """Similarity of the program to every CIP code (same order as the CIP index)."""
        m = self.indexes["cip"].matrix
        return 0.5 * (m @ v["doc"]) + 0.5 * (m @ v["title"])

    def cip_ranking(self, p: PreparedProgram, v: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
        """(raw scores, probabilities) over the CIP index; a stated CIP gets half the mass."""
        scores = self.cip_scores(p, v)
        if self.memory is not None:
            scores = scores + self.memory.cip_vote(v["doc"], v["title"], self.cip_ids)
        w = self.weights
        top = np.argsort(-scores)[: w.cip_top]
        probs = np.zeros_like(scores)
        z = (scores[top] - scores[top].max()) / max(w.cip_temperature, 1e-6)
        e = np.exp(z)
        probs[top] = e / e.sum()
        stated = p.program.cip and self.catalog.cip(p.program.cip)
        if stated and stated.code in self.cip_pos:
            probs *= 0.5
            probs[self.cip_pos[stated.code]] += 0.5
            scores = scores.copy()
            scores[self.cip_pos[stated.code]] = scores.max() + 1.0
        return scores, probs

    def signals(self, p: PreparedProgram, v: dict[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        v = v or self._encode(p)
        n = len(self.codes)
        out: dict[str, np.ndarray] = {}

        tsims = self.indexes["occupation_titles"].matrix @ v["title"]
        title = np.zeros(n, dtype=np.float32)
        ok = self.title_occ >= 0
        np.maximum.at(title, self.title_occ[ok], tsims[ok])
        out["title"] = title

        out["profile"] = self.profile @ v["doc"]

        sents = v["sentences"][p.content_mask] if len(p.sentences) else v["sentences"]
        if len(sents) == 0:
            sents = v["title"][None, :]
        task_best = (self.indexes["tasks"].matrix @ sents.T).max(axis=1)
        out["tasks"] = _group_topk_mean(task_best[self.task_order], self.task_starts, self.task_ends, 3)
        dwa_best = (self.indexes["dwas"].matrix @ sents.T).max(axis=1)
        out["dwas"] = _group_topk_mean(dwa_best[self.dwa_pair_row], self.dwa_starts, self.dwa_ends, 3)

        cip_raw, probs = self.cip_ranking(p, v)
        cip_sig = np.zeros(n, dtype=np.float32)
        for j in np.nonzero(probs)[0]:
            occs = self.cip_to_occ[j]
            if len(occs):
                cip_sig[occs] += probs[j]
        out["cip"] = np.minimum(cip_sig, 1.0)

        cred = np.zeros(n, dtype=np.float32)
        for m in find_credentials(p.unit_texts):
            for soc in m.rule.socs:
                occs = self.soc_occ.get(soc)
                if occs is not None and len(occs):
                    cred[occs] = 1.0
        out["credential"] = cred

        ctitle = np.zeros(n, dtype=np.float32)
        if len(v["credentials"]):
            csims = (self.indexes["occupation_titles"].matrix @ v["credentials"].T).max(axis=1)
            np.maximum.at(ctitle, self.title_occ[ok], csims[ok])
        out["credential_title"] = ctitle

        knn = np.zeros(n, dtype=np.float32)
        if self.memory is not None:
            for soc, w in self.memory.soc_vote(v["doc"], v["title"]).items():
                occs = self.soc_occ.get(soc)
                if occs is not None and len(occs):
                    knn[occs] = np.maximum(knn[occs], w)
        out["knn"] = knn
        out["_cip_probs"] = probs
        out["_cip_scores"] = cip_raw
        return out

    def combine(self, sig: dict[str, np.ndarray]) -> np.ndarray:
        w = self.weights
        z = np.full(len(self.codes), w.bias, dtype=np.float64)
        for f, wt in zip(w.features, w.weights, strict=True):
            if f in sig:
                z += wt * sig[f]
        return 1.0 / (1.0 + np.exp(-z))

    # -- evidence --------------------------------------------------------------------------------
    def _evidence(
        self,
        p: PreparedProgram,
        v: dict[str, np.ndarray],
        code: str,
        sig: dict[str, np.ndarray],
        probs: np.ndarray,
    ) -> list[Evidence]:
        ev: list[Evidence] = []
        i = self.pos[code]
        titles = self.indexes["occupation_titles"]
        rows = np.nonzero(self.title_occ == i)[0]
        if len(rows):
            sims = titles.matrix[rows] @ v["title"]
            best = rows[int(np.argmax(sims))]
            ev.append(
                Evidence(
                    "title",
                    titles.texts[best],
                    f"title:{code}",
                    float(sims.max()),
                    program_text=p.title,
                    source=SourceRef(file=p.program.source_file, field="title"),
                )
            )
        tasks_idx = self.indexes["tasks"]
        ts = self.task_order[self.task_starts[i] : self.task_ends[i]]
        content = [k for k, s in enumerate(p.sentences) if p.content_mask[k]] or list(range(len(p.sentences)))
        if len(ts) and content:
            sims = tasks_idx.matrix[ts] @ v["sentences"][content].T  # (tasks, sentences)
            best_s = sims.argmax(axis=1)
            best_v = sims.max(axis=1)
            for r in np.argsort(-best_v)[:3]:
                s = p.sentences[content[int(best_s[r])]]
                row = ts[r]
                ev.append(
                    Evidence(
                        "task",
                        tasks_idx.texts[row],
                        f"task:{tasks_idx.ids[row]}",
                        float(best_v[r]),
                        program_text=s.text,
                        source=s.source,
                    )
                )
        dw = self.indexes["dwas"]
        drows = self.dwa_pair_row[self.dwa_starts[i] : self.dwa_ends[i]]
        if len(drows) and content:
            sims = dw.matrix[drows] @ v["sentences"][content].T
            r = int(sims.max(axis=1).argmax())
            s = p.sentences[content[int(sims[r].argmax())]]
            ev.append(
                Evidence(
                    "dwa",
                    dw.texts[drows[r]],
                    f"dwa:{dw.ids[drows[r]]}",
                    float(sims[r].max()),
                    program_text=s.text,
                    source=s.source,
                )
            )
        soc = code[:7]
        for j in np.argsort(-probs)[:5]:
            if probs[j] <= 0.01:
                break
            cip_code = self.cip_ids[j]
            if soc in self.catalog.socs_for_cip(cip_code):
                cc = self.catalog.cip(cip_code)
                ev.append(
                    Evidence(
                        "cip",
                        f"{cip_code} {cc.title if cc else ''}".strip(),
                        f"cip:{cip_code}",
                        float(probs[j]),
                        note=f"CIP {cip_code} crosswalks to SOC {soc} (NCES CIP 2020-SOC 2018)",
                    )
                )
        for m in find_credentials(p.unit_texts):
            if soc in m.rule.socs:
                unit_src = p.unit_sources[m.unit_index]
                ev.append(
                    Evidence(
                        "credential",
                        m.rule.name,
                        f"credential:{m.rule.name}",
                        1.0,
                        program_text=m.text,
                        source=unit_src,
                        note=f"licenses/certifies SOC {', '.join(m.rule.socs)}",
                    )
                )
        return ev

    # -- public ----------------------------------------------------------------------------------
    def align(
        self, program: Program, *, top_k: int = 10, cip_k: int = 5, method: str = "default"
    ) -> Alignment:
        p = prepare(program)
        v = self._encode(p)
        sig = self.signals(p, v)
        probs = sig.pop("_cip_probs")
        cip_raw = sig.pop("_cip_scores")
        scores = self.combine(sig)
        order = np.argsort(-scores)[:top_k]
        occs = []
        for i in order:
            code = self.codes[int(i)]
            o = self.catalog.occupations[code]
            occs.append(
                AlignedOccupation(
                    code=code,
                    title=o.title,
                    score=float(scores[i]),
                    signals={k: float(sig[k][i]) for k in self.weights.features if k in sig},
                    evidence=self._evidence(p, v, code, sig, probs),
                    job_zone=self.catalog.job_zones.get(code),
                )
            )
        return Alignment(program.title, occs, self.rank_cip(cip_raw, probs, p, cip_k), method, self.versions)

    def rank_many(
        self, programs: list[Program], *, k: int = 20, progress: Progress = NULL_PROGRESS
    ) -> list[tuple[list[str], list[str]]]:
        """Ranked O*NET-SOC codes and CIP codes for many programs (no evidence); texts of all
        programs are encoded in one batch."""
        prepared = [prepare(p) for p in programs]
        texts = list(dict.fromkeys(t for p in prepared for t in self._texts(p)))
        vecs = self.encoder.encode(texts, progress=progress, description="encoding programs")
        lookup = dict(zip(texts, vecs, strict=True))
        out = []
        for p in prepared:
            sig = self.signals(p, self._encode(p, lookup))
            sig.pop("_cip_probs")
            cip_raw = sig.pop("_cip_scores")
            scores = self.combine(sig)
            codes = [self.codes[int(i)] for i in np.argsort(-scores)[:k]]
            cips = [self.cip_ids[int(j)] for j in np.argsort(-cip_raw)[:k]]
            out.append((codes, cips))
        return out

    def rank_cip(self, raw: np.ndarray, probs: np.ndarray, p: PreparedProgram, k: int) -> list[CipPrediction]:
        out = []
        stated = p.program.cip and self.catalog.cip(p.program.cip)
        for j in np.argsort(-raw)[:k]:
            code = self.cip_ids[int(j)]
            cc = self.catalog.cip(code)
            out.append(
                CipPrediction(
                    code, cc.title if cc else "", float(probs[j]), stated=bool(stated and stated.code == code)
                )
            )
        return out

    @functools.cached_property
    def versions(self) -> dict[str, Any]:
        return {**self.indexes.versions, "weights": self.weights.fitted or "hand-set"}
