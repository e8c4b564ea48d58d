"""Linguistic candidate spans from a parsed sentence: noun phrases ("carbon steel", "blueprint
reading"), verb-object phrases ("operate a forklift", "administer medication", "comply with
safety regulations"), and coordinations whose shared head is spelled out for linking ("MIG and
TIG welding" -> "MIG welding", "TIG welding")."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

MAX_PHRASE_TOKENS = 8
_OBJECTS = ("dobj", "obj", "attr", "dative", "oprd")
_DROP_HEAD = ("DET", "PRON", "PART", "PUNCT", "CCONJ", "ADP")
_NOUNS = ("NOUN", "PROPN")
_MODIFIERS = ("compound", "amod", "nmod", "nummod")


@dataclass(frozen=True, slots=True)
class Pattern:
    span: Span
    kind: str  # noun_chunk | verb_object
    query: str = ""  # text to link when it differs from the span's ("MIG" -> "MIG welding")


def _trim(span: Span) -> Span | None:
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].pos_ in _DROP_HEAD or doc[start].is_punct):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].pos_ in ("CCONJ", "ADP", "DET")):
        end -= 1
    return doc[start:end] if end > start else None


def _base_np(tok: Token) -> Span:
    """The noun ``tok`` with its contiguous left modifiers ("carbon steel", "TIG welding")."""
    start = tok.i
    for child in reversed(list(tok.lefts)):
        if child.dep_ not in _MODIFIERS:
            break
        left = child.left_edge.i
        if any(not (t.dep_ in _MODIFIERS or t.i >= child.i) for t in tok.doc[left : child.i]):
            left = child.i
        if child.i != start - 1 and not all(t.dep_ in _MODIFIERS for t in tok.doc[child.i + 1 : start]):
            break
        start = left
    return tok.doc[start : tok.i + 1]


def noun_phrases(doc: Doc) -> list[Pattern]:
    out: list[Pattern] = []
    seen: set[tuple[int, int]] = set()
    for nc in doc.noun_chunks:
        span = _trim(nc)
        if span is not None and (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            out.append(Pattern(span, "noun_chunk"))
    for tok in doc:
        if tok.pos_ not in _NOUNS or (tok.dep_ in ("compound",) and tok.head.pos_ in _NOUNS):
            continue
        span = _trim(_base_np(tok))
        if span is not None and (span.start, span.end) not in seen:
            seen.add((span.start, span.end))
            out.append(Pattern(span, "noun_chunk"))
        # "MIG and TIG welding": MIG shares the head of its conjunct "TIG welding"
        for conj in (c for c in tok.children if c.dep_ == "conj" and c.pos_ in _NOUNS):
            np = _base_np(conj)
            between = doc[tok.i + 1 : np.start]
            if (
                len(np) >= 2
                and _base_np(tok).start == tok.i
                and tok.i < np.start
                and all(t.dep_ == "cc" or t.is_punct for t in between)
            ):
                out.append(Pattern(doc[tok.i : tok.i + 1], "noun_chunk", f"{tok.text} {conj.text}"))
    return out


def verb_objects(doc: Doc) -> list[Pattern]:
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
            last = obj.right_edge.i
            if last <= tok.i or last + 1 - tok.i > MAX_PHRASE_TOKENS:
                last = obj.i  # keep the object's head noun phrase only
                if last <= tok.i or last + 1 - tok.i > MAX_PHRASE_TOKENS:
                    continue
            span = _trim(doc[tok.i : last + 1])
            if span is not None and len(span) >= 2:
                out.append(Pattern(span, "verb_object"))
    return out


def pattern_spans(doc: Doc) -> list[Pattern]:
    """Every noun phrase and verb-object phrase of a parsed ``doc``."""
    return noun_phrases(doc) + verb_objects(doc)
