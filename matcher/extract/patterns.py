"""Linguistic candidate spans from a parsed sentence: noun chunks ("carbon steel",
"blueprint reading") and verb-object phrases ("operate a forklift", "administer medication",
"comply with safety regulations")."""

from __future__ import annotations

from spacy.tokens import Doc, Span

MAX_PHRASE_TOKENS = 8
_OBJECTS = ("dobj", "obj", "attr", "dative", "oprd")
_DROP_HEAD = ("DET", "PRON", "PART", "PUNCT", "CCONJ", "ADP")


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].pos_ in _DROP_HEAD or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].pos_ in ("CCONJ", "ADP", "DET")):
        end -= 1
    return doc[start:end] if end > start else None


def noun_chunks(doc: Doc) -> list[Span]:
    out = []
    for nc in doc.noun_chunks:
        span = _trim(nc)
        if span is not None:
            out.append(span)
    return out


def verb_objects(doc: Doc) -> list[Span]:
    """A verb with its direct object (or, failing that, its prepositional object), as long as
    the phrase stays short; conjoined verbs share the object ("operate and maintain forklifts")."""
    out = []
    for tok in doc:
        if tok.pos_ != "VERB":
            continue
        objs = [c for c in tok.children if c.dep_ in _OBJECTS]
        if not objs:
            objs = [c for c in tok.children if c.dep_ == "prep" and any(g.dep_ == "pobj" for g in c.children)]
        if not objs and tok.dep_ == "conj" and tok.head.pos_ == "VERB":
            objs = [c for c in tok.head.children if c.dep_ in _OBJECTS and c.i > tok.i]
        for obj in objs[:2]:
            sub = list(obj.subtree)
            last = sub[-1].i
            if last <= tok.i or last + 1 - tok.i > MAX_PHRASE_TOKENS:
                # keep the object's head noun phrase only
                last = obj.i
                if last <= tok.i or last + 1 - tok.i > MAX_PHRASE_TOKENS:
                    continue
            span = _trim(doc[tok.i : last + 1])
            if span is not None and len(span) >= 2:
                out.append(span)
    return out


def pattern_spans(doc: Doc) -> list[tuple[Span, str]]:
    """(span, kind) for every noun chunk and verb-object phrase of a parsed ``doc``."""
    spans = [(s, "noun_chunk") for s in noun_chunks(doc)]
    spans += [(s, "verb_object") for s in verb_objects(doc)]
    return spans
