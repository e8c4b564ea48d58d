"""The extractor's parts on their own: boilerplate and framing, lemma keys and the phrase table,
linguistic patterns, acronyms, span decoding and the spans benchmark's scorer."""

from __future__ import annotations

import numpy as np
import pytest

from matcher.evaluation.tasks.spans import bio_spans, score
from matcher.extract.acronyms import expand
from matcher.extract.boilerplate import (
    blocked_regions,
    boilerplate_reason,
    detect_kind,
    framing_end,
    is_generic,
    lead_end,
)
from matcher.extract.nlp import TextPipeline
from matcher.extract.patterns import pattern_spans
from matcher.extract.phrases import PhraseTable
from matcher.extract.span_model import bio_spans as tag_spans
from matcher.extract.span_model import viterbi, word_shape
from matcher.extract.types import Kind
from matcher.scoring.records import Record


@pytest.fixture(scope="module")
def pipeline() -> TextPipeline:
    return TextPipeline()


@pytest.mark.parametrize(
    "sentence, reason",
    [
        ("We are an Equal Opportunity Employer, M/F/D/V.", "equal-opportunity"),
        (
            "All applicants receive consideration without regard to race, color or national origin.",
            "equal-opportunity",
        ),
        ("We offer a competitive salary, 25 days holiday and a pension scheme.", "benefits"),
        ("Salary: up to £30k per annum.", "salary"),
        ("To apply, send your CV to jobs@example.com.", "application"),
        ("Our client is a leading provider of engineering services.", "company"),
        ("All applicants must be eligible to live and work in the UK.", "work-authorisation"),
        ("Candidates must be authorized to work in the US; we cannot sponsor.", "work-authorisation"),
        (
            "Documented evidence of eligibility will be required as part of the recruitment process.",
            "work-authorisation",
        ),
        ("You will carry out right to work checks and process visa sponsorship for new hires.", None),
        ("You will operate a forklift and load trailers.", None),
    ],
)
def test_posting_boilerplate(sentence: str, reason: str | None) -> None:
    assert boilerplate_reason(sentence, Kind.POSTING) == reason


def test_curriculum_boilerplate_and_framing() -> None:
    assert boilerplate_reason("Tuition: $2,500 including books.", Kind.CURRICULUM) == "administrative"
    assert boilerplate_reason("Students learn MIG welding.", Kind.CURRICULUM) is None
    for s, rest in [
        (
            "Upon completion of this course, students will be able to weld in all positions.",
            "weld in all positions.",
        ),
        ("Students will learn to operate a forklift.", "operate a forklift."),
        (
            "This course introduces students to the fundamentals of MIG welding.",
            "the fundamentals of MIG welding.",
        ),
        ("Operate a forklift safely.", "Operate a forklift safely."),
    ]:
        assert s[framing_end(s) :] == rest
    assert "Students will learn."[framing_end("Students will learn.") :].strip(" .")  # never all cut


def test_long_runs_are_judged_clause_by_clause() -> None:
    text = "Operate CNC lathes and read blueprints to tight tolerances in a busy machine shop. " * 3
    text += "Salary: £25k per annum plus overtime."
    regions = blocked_regions(text, Kind.POSTING)
    assert regions and regions[0][0] > 200 and regions[-1][1] == len(text)


def test_generic_spans_and_leads() -> None:
    assert is_generic("Strong knowledge") and is_generic("experience") and not is_generic("SQL")
    s = "Strong knowledge of HTML"
    assert s[lead_end(s) :] == "HTML"
    assert detect_kind("Students learn welding in our certificate program.") is Kind.CURRICULUM
    assert detect_kind("We are looking for a welder. Salary £25k, full-time, apply now.") is Kind.POSTING


def test_lemma_keys(pipeline: TextPipeline) -> None:
    keys = [t.lemma_ for t in pipeline.make_docs(["Managing budgets and welded forklifts"])[0]]
    assert keys == ["manage", "budget", "and", "weld", "forklift"]
    assert pipeline.lemmas.key("business") == "business" and pipeline.lemmas.key("analysis") == "analysis"


def test_rule_lemma_is_spacys_rule_lemmatizer(pipeline: TextPipeline) -> None:
    """The Doc-free lemma rules give spaCy's own ``rule_lemmatize`` on real words (irregular
    forms, exceptions, out-of-index forms, words the rules leave alone)."""
    from spacy.tokens import Doc

    lemmas = pipeline.lemmas
    words = (
        "running managed analyses buses children went data skills welding criteria forklifts "
        "studied operating taught mice geese supervising bookkeeping ladders administered "
        "qualifications pharmacies lathes hoisting wrought fixtures negotiating leaves"
    ).split()
    for pos in ("verb", "noun"):
        for w in words:
            tok = Doc(pipeline.nlp.vocab, words=[w])[0]
            tok.pos_ = pos.upper()
            assert lemmas.rule_lemma(w, pos) == lemmas._lemmatizer.rule_lemmatize(tok)[0], (w, pos)


def test_phrase_table_is_lemma_and_case_insensitive(catalog, pipeline: TextPipeline, tmp_path) -> None:  # type: ignore[no-untyped-def]
    table = PhraseTable.load_or_compile(catalog, pipeline, tmp_path)
    assert (tmp_path / next(p.name for p in tmp_path.iterdir())).is_file()  # cached on disk
    again = PhraseTable.load_or_compile(catalog, pipeline, tmp_path)
    assert len(again) == len(table)
    some = next(s for s in catalog.esco_skills.values() if len(s.label.split()) >= 2)
    doc = pipeline.make_docs([f"You will {some.label.upper()} every day."])[0]
    assert any(h.id == some.uri for h in table.match(doc))


def test_patterns(pipeline: TextPipeline) -> None:
    docs = pipeline.make_docs(
        [
            "Operate and maintain forklifts and comply with safety regulations.",
            "Students learn MIG and TIG welding.",
        ]
    )
    pipeline.parse(docs)
    first = {(p.span.text, p.kind) for p in pattern_spans(docs[0])}
    assert ("maintain forklifts", "verb_object") in first
    assert ("comply with safety regulations", "verb_object") in first
    assert ("safety regulations", "noun_chunk") in first
    second = {(p.span.text, p.query) for p in pattern_spans(docs[1])}
    assert ("MIG", "MIG welding") in second and ("TIG welding", "") in second


def test_acronyms() -> None:
    acr = {"TIG": "tungsten inert gas", "CAD": "computer aided design"}
    assert expand("TIG welding", acr) == "tungsten inert gas welding"
    assert expand("CADs and TIG", acr) == "computer aided designs and tungsten inert gas"
    assert expand("plain words", acr) is None


def test_span_decoding() -> None:
    assert (
        word_shape("SQL") == 3
        and word_shape("Python") == 4
        and word_shape("(") == 1
        and word_shape("3D") == 2
    )
    assert tag_spans([0, 1, 2, 0, 2, 2, 1]) == [(1, 3), (4, 6), (6, 7)]
    trans = np.zeros((3, 3))
    trans[0, 2] = -1e4
    start = np.array([0.0, 0.0, -1e4])
    em = np.array([[5, 0, 0], [0, 0, 5], [0, 0, 5]], dtype=float)  # O I I is illegal: becomes O B I
    assert viterbi(em, trans, start, np.zeros(3)) == [0, 1, 2]


def test_spans_scorer() -> None:
    assert bio_spans(["B", "I", "O", "I", "B"]) == [(0, 2), (3, 4), (4, 5)]
    rec = Record(
        1,
        {"tokens": ["a", "b", "c", "d"]},
        {"tags_skill": ["B", "I", "O", "O"], "tags_knowledge": ["O", "O", "B", "O"]},
    )
    m = score([rec], [[(0, 2, "skill"), (2, 3, "skill"), (3, 4, "knowledge")]])
    assert m["skill_precision"] == 0.5 and m["skill_recall"] == 1.0 and m["knowledge_f1"] == 0.0
    assert m["precision"] == pytest.approx(1 / 3) and m["recall"] == 0.5


def test_word_means_equal_the_pooling_matrix() -> None:
    """Word features are each word's word pieces averaged; words cut off by truncation are 0."""
    import numpy as np

    from matcher.encoding.minilm import _word_means

    rng = np.random.default_rng(0)
    for _ in range(100):
        n_words = int(rng.integers(1, 20))
        ids: list[int | None] = [None]
        for w in range(n_words):
            ids += [w] * int(rng.integers(1, 4))
        ids = ids[: int(rng.integers(1, len(ids) + 1))] + [None] * int(rng.integers(1, 4))
        pieces = rng.normal(size=(len(ids), 8)).astype(np.float32)
        wid = np.array([-1 if w is None else w for w in ids])
        pos = np.flatnonzero(wid >= 0)
        pool = np.zeros((n_words, len(ids)), np.float32)
        pool[wid[pos], pos] = 1.0
        pool /= np.maximum(pool.sum(1, keepdims=True), 1.0)
        np.testing.assert_allclose(_word_means(ids, pieces, n_words), pool @ pieces, atol=1e-5)


def test_the_concatenated_bilstm_equals_torch_packed_lstm(monkeypatch: pytest.MonkeyPatch) -> None:
    """The span tagger's real BiLSTM weights run over sentences laid end to end give torch's
    packed-sequence outputs (the arithmetic is the point: random inputs)."""
    import torch
    from torch import nn

    from matcher.extract.bilstm import bilstm_concat
    from matcher.extract.span_model import SpanModel
    from matcher.settings import Settings

    lstm = SpanModel(Settings().span_model_dir, None).module.lstm
    rng = np.random.default_rng(1)
    lens = [7, 1, 30, 12, 12, 3]
    xs = [torch.from_numpy(rng.normal(size=(n, lstm.input_size)).astype(np.float32)) for n in lens]
    with torch.inference_mode():
        packed = nn.utils.rnn.pack_sequence(xs, enforce_sorted=False)
        want, _ = nn.utils.rnn.pad_packed_sequence(lstm(packed)[0], batch_first=True)
        got = bilstm_concat(lstm, torch.cat(xs), lens)
    offset = 0
    for i, n in enumerate(lens):
        np.testing.assert_allclose(got[offset : offset + n].numpy(), want[i, :n].numpy(), atol=1e-5)
        offset += n
    monkeypatch.setattr("matcher.extract.bilstm.CHUNK", 4)  # many sentences go in chunks
    with torch.inference_mode():
        np.testing.assert_allclose(bilstm_concat(lstm, torch.cat(xs), lens).numpy(), got.numpy(), atol=1e-6)
    with pytest.raises(ValueError, match="bidirectional"):
        bilstm_concat(nn.LSTM(4, 3, batch_first=True), torch.zeros(2, 4), [2])


def test_span_model_emissions_equal_the_trained_modules_batched_path() -> None:
    """``SpanModel._emissions`` (words end to end) equals the module's own padded, packed path
    that training uses, on the real weights."""
    import torch

    from matcher.extract.span_model import SpanModel, batch_tensors
    from matcher.settings import Settings

    model = SpanModel(Settings().span_model_dir, None)
    rng = np.random.default_rng(2)
    lens = np.array([5, 18, 1, 9])
    feats = [rng.normal(size=(n, model.module.dim)).astype(np.float32) for n in lens]
    shapes = [rng.integers(0, 8, size=n) for n in lens]
    with torch.inference_mode():
        x, s, _, tl = batch_tensors(feats, shapes)
        want = model.module.emissions_mixed(x, s, tl).numpy()
        got = model._emissions(np.concatenate(feats), np.concatenate(shapes), lens)
    offset = 0
    for i, n in enumerate(lens):
        np.testing.assert_allclose(got[offset : offset + n], want[i, :n], atol=1e-5)
        offset += n
