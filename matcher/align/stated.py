"""Occupations a program names itself, which rank first unless its text contradicts them:

* **stated codes**: SOC / O*NET-SOC codes in the program (CTDL ``occupationType``, schema.org
  ``occupationalCategory``, a SOC column of a state list), SOC 2010 codes mapped to their 2018
  successors (:mod:`matcher.sources.soc2010`);
* **the primary credential**: the first named industry credential or licence
  (``resources/credentials.yaml``) in the program's credential fields, else in its title
  ("CompTIA A+" -> 15-1232 Computer User Support Specialists; a CDL-A -> 53-3032). Credentials
  named later (a medical assistant program's EKG and phlebotomy add-ons) stay ordinary evidence.

A named occupation is *contradicted* when, on the program's own evidence (the ranking before
these rules look at it), no O*NET row of its SOC occupation ranks within :data:`MAX_RANK` of the
~1,000 occupations: a welding course that states 29-1141 Registered Nurses keeps its welders
first, and the alignment says why. The test reads a code at the level SOC defines it, the
six-digit occupation: a stated ``15-1299.00`` Computer Occupations, All Other (a residual code
with no O*NET tasks of its own) is supported when its O*NET breakouts (``15-1299.01`` Web
Administrators, ...) rank there. Accepted occupations move to the top, stated codes above the
primary credential's, each group in its own order; the score is then read from the new ranking
like any other. A teaching code for a program that is not about teaching is never accepted (by
the teaching rule such a text is about something else); it keeps its last place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from matcher.align.credentials import CredentialRule, find_credentials
from matcher.align.prepared import PreparedProgram
from matcher.align.signals import TaxonomySignals
from matcher.sources.soc2010 import successors

# Set on the NJ ETPL dev programs whose state-approved CIP leads to one practice occupation,
# stating that occupation (its SOC occupation ranks within 50 for 95% of them; a random code
# of another SOC major group for 3%): see models/etpl-nj/README.md.
MAX_RANK = 50


@dataclass
class StatedCode:
    given: str  # the code (or the credential's words) as the program gives it
    code: str  # the O*NET-SOC code it resolves to (SOC 2018 structure)
    row: int  # that code's occupation row
    mapped: bool  # True when ``given`` is a SOC 2010 code
    rank: int  # 1-based rank of ``row`` on the program's own evidence
    kind: Literal["stated", "credential"] = "stated"
    rule: CredentialRule | None = None  # for the primary credential
    accepted: bool = False
    gated: bool = False  # a teaching occupation, and the program is not about teaching

    def note(self) -> str:
        if self.kind == "credential" and self.rule is not None:
            what = f"the program's primary credential, {self.rule.name}, certifies for SOC {self.code[:7]}"
        else:
            via = f" (SOC 2010 {self.given}, mapped to its SOC 2018 successor)" if self.mapped else ""
            what = f"the program states occupation code {self.code}{via}"
        if self.accepted:
            return what
        if self.gated:
            return f"{what}, but its text is not about teaching, so teaching occupations rank last"
        return (
            f"{what}, but its text points elsewhere: on the text's own evidence SOC {self.code[:7]} "
            f"ranks {self.rank}, below the top {MAX_RANK}"
        )


def _ranks(logits: np.ndarray) -> np.ndarray:
    rank = np.empty(len(logits), dtype=np.int64)
    rank[np.argsort(-logits, kind="stable")] = np.arange(1, len(logits) + 1)
    return rank


def _best_row(sig: TaxonomySignals, code: str, rank: np.ndarray) -> int | None:
    if code in sig.pos:
        return sig.pos[code]
    if len(code) > 7:  # an O*NET-SOC code the taxonomy does not have
        return None
    rows = list(sig.soc_rows.get(code, []))
    return min(rows, key=lambda r: rank[r]) if rows else None


def soc_rank(sig: TaxonomySignals, row: int, rank: np.ndarray) -> int:
    """The best rank of any O*NET row of ``row``'s six-digit SOC occupation."""
    rows = sig.soc_rows.get(sig.codes[row][:7])
    return int(rank[rows].min()) if rows is not None and len(rows) else int(rank[row])


def stated_codes(sig: TaxonomySignals, given: list[str], rank: np.ndarray) -> list[StatedCode]:
    """The stated codes the taxonomy knows, each at its best-ranked O*NET row, with the best
    rank of its SOC occupation."""
    out: dict[int, StatedCode] = {}
    for g in given:
        succ = successors(g)
        for code in succ.current:
            row = _best_row(sig, code, rank)
            if row is not None and row not in out:
                out[row] = StatedCode(g.strip(), sig.codes[row], row, succ.mapped, soc_rank(sig, row, rank))
    return list(out.values())


def primary_credential(p: PreparedProgram) -> CredentialRule | None:
    """The first named credential in the program's credential fields (in order), else in its
    title; None when neither names one."""
    for text in [*p.program.all_credentials(), p.title]:
        matches = find_credentials([text]) if text else []
        if matches:
            return min(matches, key=lambda m: m.start).rule
    return None


def credential_codes(sig: TaxonomySignals, p: PreparedProgram, rank: np.ndarray) -> list[StatedCode]:
    rule = primary_credential(p)
    if rule is None:
        return []
    rows = [r for soc in rule.socs if (r := _best_row(sig, soc, rank)) is not None]
    if not rows:
        return []
    row = min(rows, key=lambda r: rank[r])
    return [StatedCode(rule.name, sig.codes[row], row, False, int(rank[row]), "credential", rule)]


def apply(
    sig: TaxonomySignals, p: PreparedProgram, logits: np.ndarray
) -> tuple[np.ndarray, list[StatedCode]]:
    """Logits with the accepted named occupations first, and every named occupation."""
    rank = _ranks(logits)
    named = stated_codes(sig, p.program.occupations, rank)
    seen = {s.row for s in named}
    named += [c for c in credential_codes(sig, p, rank) if c.row not in seen]
    for s in named:
        s.gated = bool(sig.teaching[s.row]) and not p.about_teaching
    accepted = [s for s in named if s.rank <= MAX_RANK and not s.gated]
    if not accepted:
        return logits, named
    logits = logits.copy()
    # Lift the lower group first, then the stated codes above it.
    for kind in ("credential", "stated"):
        group = [s for s in accepted if s.kind == kind]
        if not group:
            continue
        rows = np.array([s.row for s in group])
        lift = logits.max() - logits[rows].min() + 1.0
        for s in group:
            s.accepted = True
            logits[s.row] += lift
    return logits, named
