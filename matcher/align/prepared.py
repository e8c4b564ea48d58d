"""A program prepared for alignment: sentences with sources, the title, a document text, the
named (non-generic) credentials, whether its text is about teaching."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from matcher.align.practice import about_leading, about_teaching
from matcher.program import Program, SourceRef
from matcher.text.credential_kinds import named_credentials
from matcher.text.normalise import fold, split_sentences

# Fields whose sentences are read as curriculum content (features/prerequisites are noisier).
CONTENT_FIELDS = {"description", "credential", "outcome", "course title", "course description"}


@dataclass(frozen=True)
class Sentence:
    text: str
    source: SourceRef
    start: int  # offsets within the text unit
    end: int


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
    provider: str
    key: str  # program_key(): recognises programs a memory was fitted on
    about_teaching: bool = False  # see matcher.align.practice.about_teaching
    about_leading: bool = False  # see matcher.align.practice.about_leading


def credential_names(program: Program) -> list[str]:
    """The program's named credentials, split on ``;``/``|``, generic names ("certificate",
    "diploma", "none") left out; in order, repeats kept."""
    return [part for c in program.all_credentials() for part in named_credentials(c)]


def prepare(program: Program) -> PreparedProgram:
    units = list(program.iter_units())
    sentences: list[Sentence] = []
    for u in units:
        for span in split_sentences(u.text):
            sentences.append(Sentence(span.text, u.source, span.start, span.end))
    credentials = credential_names(program)
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
        provider=(program.provider or "").strip(),
        key=program_key(program.title, program.description, program.provider),
        about_teaching=about_teaching(title, [u.text for u in units], program.cip),
        about_leading=about_leading(title, [u.text for u in units]),
    )


def program_key(title: str | None, description: str | None, provider: str | None) -> str:
    """Identity of a program's text, for recognising programs a memory was fitted on."""
    text = "\n".join(fold(x or "") for x in (title, description, provider))
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
