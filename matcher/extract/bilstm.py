"""Inference of a one-layer bidirectional ``torch.nn.LSTM`` over many sequences laid end to end.

PyTorch's CPU LSTM on a packed batch multiplies each time step's inputs by the input weights
separately (one small product per step and direction). Here the input projections of every
word of every sentence, both directions, are one matrix product; the recurrence then steps
through the sentences sorted by length, both directions together (one batched product per
step), so step ``t`` updates only the sentences longer than ``t`` (no padding, no packing).
Same arithmetic as ``nn.LSTM`` (gate order i, f, g, o): outputs agree to float32 rounding
(~2e-6 on the span tagger's emissions). Measured on the 200 adverts' 2,006 sentences (52,551
words): the tagger head 1.0 s -> 0.72 s.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def _recurrence(gates, w_hh, order: np.ndarray, lens: np.ndarray):  # type: ignore[no-untyped-def]
    """Hidden states (2, n_words, hidden) of both directions, stepped together.

    ``gates``: every word's input projections plus biases, (n_words, 2, 4 * hidden) (forward,
    backward); ``w_hh``: (2, hidden, 4 * hidden); ``order[d, j, t]``: the row of the ``t``-th
    word of the ``j``-th longest sentence in direction ``d``'s reading order."""
    import torch

    _, n_seq, steps = order.shape
    hidden = w_hh.shape[1]
    h = gates.new_zeros(2, n_seq, hidden)
    c = gates.new_zeros(2, n_seq, hidden)
    out = gates.new_empty(gates.shape[0], 2, hidden)
    active = (lens[:, None] > np.arange(steps)[None, :]).sum(0)  # lens sorted descending
    rows = torch.from_numpy(order)
    direction = torch.arange(2)[:, None]
    for t in range(steps):
        a = int(active[t])
        pos = rows[:, :a, t]
        g = torch.baddbmm(gates[pos, direction], h[:, :a], w_hh)
        i, f, gg, o = g.chunk(4, 2)
        c_new = torch.sigmoid(f) * c[:, :a] + torch.sigmoid(i) * torch.tanh(gg)
        h_new = torch.sigmoid(o) * torch.tanh(c_new)
        c[:, :a] = c_new
        h[:, :a] = h_new
        out[pos, direction] = h_new
    return out


def bilstm_concat(lstm, x, lens: Sequence[int]):  # type: ignore[no-untyped-def]
    """Outputs (n_words, 2 * hidden) of ``lstm`` (one layer, bidirectional, batch_first or not)
    for sequences of ``lens`` words laid end to end in ``x`` (n_words, input)."""
    if lstm.num_layers != 1 or not lstm.bidirectional or lstm.proj_size or not lstm.bias:
        raise ValueError("bilstm_concat runs one-layer bidirectional LSTMs with biases only")
    lens_a = np.asarray(lens, dtype=np.int64)
    if len(x) == 0 or len(lens_a) == 0:
        return x.new_zeros(len(x), 2 * lstm.hidden_size)
    starts = np.concatenate([[0], np.cumsum(lens_a)[:-1]])
    by_len = np.argsort(-lens_a, kind="stable")
    ls, st = lens_a[by_len], starts[by_len]
    steps = np.arange(int(ls[0]))[None, :]
    inside = steps < ls[:, None]
    forward = np.where(inside, st[:, None] + steps, 0)
    backward = np.where(inside, st[:, None] + ls[:, None] - 1 - steps, 0)
    import torch

    w_ih = torch.cat([lstm.weight_ih_l0, lstm.weight_ih_l0_reverse])
    bias = torch.cat([lstm.bias_ih_l0 + lstm.bias_hh_l0, lstm.bias_ih_l0_reverse + lstm.bias_hh_l0_reverse])
    gates = torch.addmm(bias, x, w_ih.t()).view(len(x), 2, -1)  # one product, both directions
    w_hh = torch.stack([lstm.weight_hh_l0.t(), lstm.weight_hh_l0_reverse.t()])
    out = _recurrence(gates, w_hh, np.stack([forward, backward]), ls)
    return out.reshape(len(x), -1)  # forward then backward hidden state, as nn.LSTM
