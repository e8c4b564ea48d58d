"""The SkillSpan span model: skill and knowledge spans, tagged over frozen MiniLM features.

Architecture (``SpanTagger``): for each word, a learned mix of the six transformer layers'
features (word pieces averaged) plus a word-shape embedding -> linear -> BiLSTM -> two
emission heads (BIO for skill, BIO for knowledge, so the two kinds may overlap as in SkillSpan)
-> two linear-chain CRFs (O->I forbidden). About 0.8M parameters, trained on
``../shared/eval/skillspan/train.json`` only; recipe, seed and scores in
``models/skillspan-tagger/`` (README.md, train.py, metrics.json).
"""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from matcher.extract.bilstm import bilstm_concat

log = logging.getLogger(__name__)

LABELS = ("skill", "knowledge")
O, B, I = 0, 1, 2  # noqa: E741 - BIO tag ids
N_SHAPES = 8
_PUNCT = re.compile(r"\W+")


@functools.lru_cache(maxsize=1 << 16)
def word_shape(word: str) -> int:
    """A small closed set of word shapes (capitals, digits, punctuation); memoised (adverts
    repeat their words: 52,551 words, 0.14 s a pass without the memo)."""
    if not word or word.isspace():
        return 0
    if _PUNCT.fullmatch(word):
        return 1
    if any(c.isdigit() for c in word):
        return 2
    if word.isupper() and len(word) > 1:
        return 3
    if word[:1].isupper() and word[1:].islower():
        return 4
    if word.islower():
        return 5
    if any(c.isupper() for c in word[1:]):
        return 6
    return 7


def bio_spans(tags: Sequence[int]) -> list[tuple[int, int]]:
    out, start = [], None
    for i, t in enumerate([*tags, O]):
        if t != I and start is not None:
            out.append((start, i))
            start = None
        if t == B or (t == I and start is None):
            start = i
    return out


def build_module(layers: int, dim: int, hidden: int = 192, proj: int = 256, dropout: float = 0.3):
    """The torch module (imported lazily so that ``import matcher.extract`` stays light)."""
    import torch
    from torch import nn

    class CRF(nn.Module):
        bad: torch.Tensor  # buffers (register_buffer)
        sbad: torch.Tensor

        def __init__(self, n: int = 3) -> None:
            super().__init__()
            self.trans = nn.Parameter(torch.zeros(n, n))
            self.start = nn.Parameter(torch.zeros(n))
            self.end = nn.Parameter(torch.zeros(n))
            bad = torch.zeros(n, n)
            bad[O, I] = -1e4
            sbad = torch.zeros(n)
            sbad[I] = -1e4
            self.register_buffer("bad", bad)
            self.register_buffer("sbad", sbad)

        def nll(self, em, tags, mask):
            trans, st = self.trans + self.bad, self.start + self.sbad
            score = st[tags[:, 0]] + em[:, 0].gather(1, tags[:, :1]).squeeze(1)
            for t in range(1, em.shape[1]):
                step = trans[tags[:, t - 1], tags[:, t]] + em[:, t].gather(1, tags[:, t : t + 1]).squeeze(1)
                score = score + step * mask[:, t]
            last = tags.gather(1, (mask.sum(1).long() - 1)[:, None]).squeeze(1)
            score = score + self.end[last]
            alpha = st[None, :] + em[:, 0]
            for t in range(1, em.shape[1]):
                nxt = torch.logsumexp(alpha[:, :, None] + trans[None] + em[:, t][:, None, :], dim=1)
                alpha = torch.where(mask[:, t][:, None].bool(), nxt, alpha)
            return (torch.logsumexp(alpha + self.end[None], dim=1) - score).sum()

    class SpanTaggerModule(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.layers, self.dim = layers, dim
            self.mix = nn.Parameter(torch.zeros(layers))
            self.gamma = nn.Parameter(torch.ones(1))
            self.shape = nn.Embedding(N_SHAPES, 16)
            self.drop = nn.Dropout(dropout)
            self.proj = nn.Linear(dim + 16, proj)
            self.lstm = nn.LSTM(proj, hidden, batch_first=True, bidirectional=True)
            self.out = nn.Linear(2 * hidden, 2 * 3)
            self.crf = nn.ModuleList([CRF(), CRF()])

        def layer_weights(self):
            return self.gamma * torch.softmax(self.mix, 0)

        def emissions(self, x, shapes, lens):
            """From all layers side by side (batch, words, layers * dim)."""
            b, t, _ = x.shape
            x = x.view(b, t, self.layers, self.dim)
            return self.emissions_mixed((x * self.layer_weights()[None, None, :, None]).sum(2), shapes, lens)

        def emissions_mixed(self, x, shapes, lens):
            """From layers already mixed with ``layer_weights()`` (batch, words, dim)."""
            b, t, _ = x.shape
            x = torch.cat([x, self.shape(shapes)], -1)
            x = self.drop(torch.relu(self.proj(self.drop(x))))
            packed = nn.utils.rnn.pack_padded_sequence(x, lens, batch_first=True, enforce_sorted=False)
            y, _ = self.lstm(packed)
            y, _ = nn.utils.rnn.pad_packed_sequence(y, batch_first=True, total_length=t)
            return self.out(self.drop(y)).view(b, t, 2, 3)

    return SpanTaggerModule()


def batch_tensors(feats: Sequence[np.ndarray], shapes: Sequence[np.ndarray]):
    import torch

    lens = [max(len(f), 1) for f in feats]
    t = max(lens)
    x = torch.zeros(len(feats), t, feats[0].shape[1])
    s = torch.zeros(len(feats), t, dtype=torch.long)
    m = torch.zeros(len(feats), t)
    for i, (f, sh) in enumerate(zip(feats, shapes, strict=True)):
        if len(f):
            x[i, : len(f)] = torch.from_numpy(np.asarray(f, dtype=np.float32))
            s[i, : len(f)] = torch.from_numpy(np.asarray(sh, dtype=np.int64))
        m[i, : lens[i]] = 1
    return x, s, m, torch.tensor(lens)


def viterbi_batch(
    em: np.ndarray, lens: Sequence[int] | np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray
) -> list[list[int]]:
    """Best tag paths for a batch of emissions (batch, steps, 3), vectorised over the batch."""
    b, t, n = em.shape
    lens_a = np.asarray(lens)
    v = start[None, :] + em[:, 0]
    back = np.zeros((b, t, n), dtype=np.int64)
    for i in range(1, t):
        s = v[:, :, None] + trans[None]
        back[:, i] = s.argmax(1)
        nv = s.max(1) + em[:, i]
        live = (i < lens_a)[:, None]
        v = np.where(live, nv, v)
    cur = (v + end[None, :]).argmax(1)
    paths = []
    for j in range(b):
        c = int(cur[j])
        path = [c]
        for i in range(lens_a[j] - 1, 0, -1):
            c = int(back[j, i, c])
            path.append(c)
        paths.append(path[::-1])
    return paths


def viterbi(em: np.ndarray, trans: np.ndarray, start: np.ndarray, end: np.ndarray) -> list[int]:
    """Best tag path for one sentence's emissions (n, 3)."""
    v = start + em[0]
    back = []
    for t in range(1, len(em)):
        s = v[:, None] + trans
        back.append(s.argmax(0))
        v = s.max(0) + em[t]
    cur = int((v + end).argmax())
    path = [cur]
    for arg in reversed(back):
        cur = int(arg[cur])
        path.append(cur)
    return path[::-1]


class SpanModel:
    """Predict (start token, end token, "skill" | "knowledge") spans on spaCy Docs."""

    def __init__(self, folder: Path, minilm) -> None:
        import torch

        self.folder = Path(folder)
        self.config = json.loads((self.folder / "config.json").read_text())
        self.minilm = minilm
        self.module = build_module(**self.config["architecture"])
        state = torch.load(self.folder / "weights.pt", map_location="cpu", weights_only=True)
        self.module.load_state_dict(state)
        self.module.eval()
        self._crf = [
            (
                (c.trans + c.bad).detach().numpy(),
                (c.start + c.sbad).detach().numpy(),
                c.end.detach().numpy(),
            )
            for c in self.module.crf
        ]
        self._mix = self.module.layer_weights().detach().numpy()
        self.version = f"{self.config.get('name', 'skillspan-tagger')}-{self.config.get('version', '0')}"
        self._lock = threading.Lock()

    @classmethod
    def load_default(cls, minilm, path: Path | None = None) -> SpanModel | None:
        if path is None:
            from matcher.settings import get_settings

            path = get_settings().span_model_dir
        folder = Path(path)
        if not (folder / "weights.pt").is_file():
            log.warning("no span model at %s: extraction runs without model spans", folder)
            return None
        return cls(folder, minilm)

    def predict_words(
        self, sentences: Sequence[Sequence[str]]
    ) -> tuple[list[list[tuple[int, int, str]]], np.ndarray]:
        """Spans of each pre-tokenised sentence, and the sentences' embeddings (same pass)."""
        import torch

        feats, vecs = self.minilm.words(sentences, mix=self._mix)
        out: list[list[tuple[int, int, str]]] = [[] for _ in sentences]
        live = [i for i, ws in enumerate(sentences) if len(ws)]
        if not live:
            return out, vecs
        lens = np.array([len(sentences[i]) for i in live], dtype=np.int64)
        shapes = np.fromiter((word_shape(w) for i in live for w in sentences[i]), np.int64, int(lens.sum()))
        with self._lock, torch.inference_mode():
            em = self._emissions(np.concatenate([feats[i] for i in live]), shapes, lens)
        # Viterbi over all live sentences at once, padded to the longest
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
        steps = np.arange(int(lens.max()))[None, :]
        padded = em[np.where(steps < lens[:, None], starts[:, None] + steps, 0)]
        for k, label in enumerate(LABELS):
            for i, path in zip(live, viterbi_batch(padded[:, :, k], lens, *self._crf[k]), strict=True):
                out[i].extend((a, z, label) for a, z in bio_spans(path))
        return out, vecs

    def _emissions(self, feats: np.ndarray, shapes: np.ndarray, lens: np.ndarray) -> np.ndarray:
        """Emissions (n_words, 2, 3) of words laid end to end (sentences of ``lens`` words), from
        mixed features: the module's layers, with :func:`~matcher.extract.bilstm.bilstm_concat`
        in place of its packed LSTM call (same arithmetic, ~1.4x faster)."""
        import torch

        mod = self.module
        x = torch.cat(
            [
                torch.from_numpy(np.ascontiguousarray(feats, dtype=np.float32)),
                mod.shape(torch.from_numpy(shapes)),
            ],
            -1,
        )
        y = bilstm_concat(mod.lstm, torch.relu(mod.proj(x)), lens)
        return mod.out(y).view(len(x), 2, 3).numpy()

    def predict(self, docs: Sequence[Doc]) -> list[list[tuple[int, int, str]]]:
        """Spans of each Doc (token offsets); whitespace tokens never start or end a span."""
        return self.predict_docs(docs)[0]

    def predict_docs(self, docs: Sequence[Doc]) -> tuple[list[list[tuple[int, int, str]]], np.ndarray]:
        """Spans of each Doc and the Docs' sentence embeddings (from the same pass)."""
        spans, vecs = self.predict_words([[t.text for t in d] for d in docs])
        out = [
            [(a, z, lab) for a, z, lab in ss if not d[a].is_space and not d[z - 1].is_space]
            for d, ss in zip(docs, spans, strict=True)
        ]
        return out, vecs
