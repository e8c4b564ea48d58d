"""Evidence for one aligned occupation: a code the program states, the program text that
matched, what it matched, how strongly, and the CIP, credential (with its source), keyword and
similar-program routes."""

from __future__ import annotations

import numpy as np

from matcher.align.credentials import CredentialMatch, find_credentials, find_keywords
from matcher.align.entry import entry_note, program_length
from matcher.align.prepared import PreparedProgram
from matcher.align.program_memory import MemoryVotes
from matcher.align.results import Evidence
from matcher.align.signals import NO_MATCH_CODE, TaxonomySignals
from matcher.align.stated import StatedCode
from matcher.program import SourceRef


def build_evidence(
    sig: TaxonomySignals,
    p: PreparedProgram,
    v: dict[str, np.ndarray],
    code: str,
    cip_probs: np.ndarray,
    votes: MemoryVotes | None,
    memory_source: str = "",
    stated: StatedCode | None = None,
) -> list[Evidence]:
    ev: list[Evidence] = []
    if stated is not None and stated.kind == "stated":
        src = SourceRef(file=p.program.source_file, field="occupations")
        ev.append(
            Evidence("stated", stated.code, f"stated:{stated.code}", 1.0, stated.given, src, stated.note())
        )
    i = sig.pos[code]
    content = [k for k in range(len(p.sentences)) if p.content_mask[k]] or list(range(len(p.sentences)))
    if code != NO_MATCH_CODE:
        ev += _title(sig, p, v, i, code)
        if content:
            ev += _tasks(sig, p, v, i, content)
            ev += _dwa(sig, p, v, i, content)
    soc = code[:7]
    catalog = sig.catalog
    for j in np.argsort(-cip_probs)[:5]:
        if cip_probs[j] <= 0.01:
            break
        cip_code = sig.cip_ids[j]
        if _leads_to(sig, cip_code, code):
            cc = catalog.cip(cip_code)
            target = "no SOC (NO MATCH)" if code == NO_MATCH_CODE else f"SOC {soc}"
            ev.append(
                Evidence(
                    "cip",
                    f"{cip_code} {cc.title if cc else ''}".strip(),
                    f"cip:{cip_code}",
                    float(cip_probs[j]),
                    note=f"CIP {cip_code} crosswalks to {target} (NCES CIP 2020-SOC 2018)",
                )
            )
    primary = stated.rule if stated is not None and stated.kind == "credential" else None
    for m in find_credentials(p.unit_texts):
        if soc in m.rule.socs:
            note = m.rule.citation()
            ev.append(
                _rule_evidence(
                    "credential",
                    p,
                    m,
                    f"primary credential, ranked first: {note}" if m.rule is primary else note,
                )
            )
    for m in find_keywords(p.unit_texts):
        if soc in m.rule.socs:
            ev.append(
                _rule_evidence("keyword", p, m, f"field words that point to SOC {', '.join(m.rule.socs)}")
            )
    if votes is not None and votes.soc.get(soc, 0.0) > 0.01:
        backing = [nb for nb in votes.neighbours if _leads_to(sig, nb.cip, code)]
        share = votes.soc[soc]
        ev.append(
            Evidence(
                "similar_programs",
                f"{len(backing)} of the {len(votes.neighbours)} most similar approved programs",
                "memory",
                float(share),
                note=(
                    f"similar programs{(' in ' + memory_source) if memory_source else ''} were "
                    f"coded to CIP {', '.join(sorted({nb.cip for nb in backing}))}, which lead to this "
                    f"occupation (vote share {share:.2f})"
                ),
            )
        )
    length = program_length(p.program)
    if length is not None and code != NO_MATCH_CODE and sig.experienced[i]:
        education, experience = catalog.entry_requirements[soc]
        ev.append(
            Evidence(
                "entry",
                f"{education}; {experience} of related work experience",
                f"bls-entry:{soc}",
                0.0,
                note=entry_note(education, experience, length),
            )
        )
    return ev


def _rule_evidence(kind: str, p: PreparedProgram, m: CredentialMatch, note: str) -> Evidence:
    src = p.unit_sources[m.unit_index]
    return Evidence(
        kind, m.rule.name, f"{kind}:{m.rule.name}", 1.0, program_text=m.text, source=src, note=note
    )


def _small_dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b.T`` for a few dozen rows, without BLAS: a threaded BLAS call this small spends
    longer waking its threads than computing (1.3 ms vs 0.2 ms on 2 busy cores), ten times per
    alignment."""
    return np.einsum("ij,kj->ik", a, b)


def _leads_to(sig: TaxonomySignals, cip_code: str, code: str) -> bool:
    if code == NO_MATCH_CODE:
        return cip_code in sig.catalog.cip_no_match
    return code[:7] in sig.catalog.socs_for_cip(cip_code)


def _title(
    sig: TaxonomySignals, p: PreparedProgram, v: dict[str, np.ndarray], i: int, code: str
) -> list[Evidence]:
    titles = sig.indexes["occupation_titles"]
    rows = np.nonzero(sig.title_occ == i)[0]
    if not len(rows):
        return []
    sims = _small_dot(titles.matrix[rows], v["title"][None, :])[:, 0]
    best = rows[int(np.argmax(sims))]
    src = SourceRef(file=p.program.source_file, field="title")
    return [Evidence("title", titles.texts[best], f"title:{code}", float(sims.max()), p.title, src)]


def _tasks(
    sig: TaxonomySignals, p: PreparedProgram, v: dict[str, np.ndarray], i: int, content: list[int]
) -> list[Evidence]:
    idx = sig.indexes["tasks"]
    rows = sig.task_order[sig.task_starts[i] : sig.task_ends[i]]
    if not len(rows):
        return []
    sims = _small_dot(idx.matrix[rows], v["sentences"][content])
    best_s, best_v = sims.argmax(axis=1), sims.max(axis=1)
    out = []
    for r in np.argsort(-best_v)[:3]:
        s = p.sentences[content[int(best_s[r])]]
        row = rows[r]
        out.append(
            Evidence("task", idx.texts[row], f"task:{idx.ids[row]}", float(best_v[r]), s.text, s.source)
        )
    return out


def _dwa(
    sig: TaxonomySignals, p: PreparedProgram, v: dict[str, np.ndarray], i: int, content: list[int]
) -> list[Evidence]:
    idx = sig.indexes["dwas"]
    rows = sig.dwa_pair_row[sig.dwa_starts[i] : sig.dwa_ends[i]]
    if not len(rows):
        return []
    sims = _small_dot(idx.matrix[rows], v["sentences"][content])
    r = int(sims.max(axis=1).argmax())
    s = p.sentences[content[int(sims[r].argmax())]]
    return [
        Evidence("dwa", idx.texts[rows[r]], f"dwa:{idx.ids[rows[r]]}", float(sims[r].max()), s.text, s.source)
    ]
