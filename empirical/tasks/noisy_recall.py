"""Noisy in-context recall: the Birth-of-a-Transformer bigram task with a fixed noise token.

Chen, Bruna & Bietti 2024 (arXiv 2406.03068, Sec. 2 and the authors' data code), built on the
trigger task of Bietti et al. 2023 (arXiv 2306.00802, Sec. 3).

* A global bigram language over ``V`` tokens (here synthetic and seeded, since the papers'
  tiny-Shakespeare statistics are not shipped): a Zipf(1) unigram profile :math:`\\pi` over a
  random permutation of the tokens and rows :math:`P_i\\sim\\mathrm{Dirichlet}(c\\,V\\pi)`.
* ``k`` trigger tokens, fixed as the ``k`` most frequent tokens of the stationary distribution
  (the noise token excluded), as in the papers' fixed-trigger setting.
* For each sequence, each trigger ``q`` gets an output :math:`\\bar y_q` drawn uniformly from the
  tokens that are neither the noise token nor a trigger (the papers draw from the whole
  vocabulary; excluding :math:`\\tau` makes the Bayes floor exactly :math:`h(\\alpha)`).
* After each occurrence of a trigger the next token is the noise token :math:`\\tau` with
  probability :math:`\\alpha`, else :math:`\\bar y_q`; every other next token follows the bigram.
* Loss positions (``loss_on="triggers"``): trigger positions from the **second** occurrence of that
  trigger onward, label = next token. ``loss_on="all"`` labels every position but the last.

Bayes floor at a trigger position whose answer :math:`\\bar y_q` already followed an earlier
occurrence: :math:`h(\\alpha) = -\\alpha\\ln\\alpha - (1-\\alpha)\\ln(1-\\alpha)`
(``answer_in_context`` marks those positions). The clean test set uses ``alpha = 0``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from empirical.tasks.tokens import IGNORE
from memtheory.checks import as_choice, as_float, as_int

LOSS_ON = ("triggers", "all")


@dataclass(frozen=True)
class NoisyRecallTask:
    """Sizes of the noisy in-context recall task (validated on construction).

    Attributes:
        vocab_size: ``V`` tokens (the papers use 65 characters).
        seq_len: ``T``.
        n_triggers: ``k`` (the released script uses 1).
        alpha: probability of the noise token after a trigger (0.5 in the released script).
        noise_token: id of :math:`\\tau` (2 in the papers).
        concentration: Dirichlet concentration ``c`` of the bigram rows.
        language_seed: seed of the global bigram table and trigger choice.
        loss_on: ``"triggers"`` (second occurrence onward) or ``"all"``.
    """

    vocab_size: int = 64
    seq_len: int = 128
    n_triggers: int = 1
    alpha: float = 0.5
    noise_token: int = 2
    concentration: float = 1.0
    language_seed: int = 0
    loss_on: str = "triggers"

    def __post_init__(self):
        V = as_int("vocab_size", self.vocab_size, 4)
        as_int("seq_len", self.seq_len, 4)
        as_int("n_triggers", self.n_triggers, 1, V - 3)
        as_float("alpha", self.alpha, 0.0, 1.0, high_open=True)
        as_int("noise_token", self.noise_token, 0, V - 1)
        as_float("concentration", self.concentration, 0.0, None, low_open=True)
        as_int("language_seed", self.language_seed, 0)
        as_choice("loss_on", self.loss_on, LOSS_ON)


@dataclass(frozen=True)
class BigramLanguage:
    """The global bigram table, its stationary distribution and the fixed triggers."""

    transitions: np.ndarray  # (V, V) rows sum to 1
    stationary: np.ndarray  # (V,)
    triggers: np.ndarray  # (k,) int64
    answer_pool: np.ndarray  # tokens an output can be (not noise, not a trigger)


def build_language(task: NoisyRecallTask) -> BigramLanguage:
    """The seeded bigram language of ``task`` (same ``language_seed``, same table)."""
    V = task.vocab_size
    rng = np.random.default_rng(task.language_seed)
    zipf = 1.0 / np.arange(1, V + 1)
    profile = zipf[rng.permutation(V)]
    profile = profile / profile.sum()
    transitions = rng.dirichlet(task.concentration * V * profile, size=V)
    transitions = np.maximum(transitions, 1e-12)
    transitions /= transitions.sum(axis=1, keepdims=True)
    w, vl = np.linalg.eig(transitions.T)
    stat = np.abs(np.real(vl[:, np.argmin(np.abs(w - 1.0))]))
    stat /= stat.sum()
    order = [int(t) for t in np.argsort(-stat, kind="stable") if t != task.noise_token]
    triggers = np.array(order[: task.n_triggers], dtype=np.int64)
    excluded = set(triggers.tolist()) | {task.noise_token}
    pool = np.array([t for t in range(V) if t not in excluded], dtype=np.int64)
    return BigramLanguage(transitions, stat, triggers, pool)


@dataclass
class NoisyBatch:
    """A batch with the bookkeeping used by probes and tests (all ``(B, T)`` unless noted)."""

    inputs: torch.Tensor  # int64 tokens
    labels: torch.Tensor  # int64 next token at loss positions, IGNORE elsewhere
    answers: torch.Tensor  # int64 in-context answer y_bar at loss positions, IGNORE elsewhere
    outputs: torch.Tensor  # (B, k) int64 y_bar of each trigger
    trigger_next: torch.Tensor  # bool: x_t is a trigger and t < T-1
    noise_next: torch.Tensor  # bool: x_{t+1} was drawn as the noise token after a trigger
    answer_in_context: torch.Tensor  # bool: loss position whose y_bar already followed q before


def sample_batch(
    task: NoisyRecallTask,
    language: BigramLanguage,
    batch_size: int,
    generator: np.random.Generator,
    alpha: float | None = None,
) -> NoisyBatch:
    """Draw ``batch_size`` sequences; ``alpha`` overrides ``task.alpha`` (0 for the clean test)."""
    B = as_int("batch_size", batch_size, 1)
    a = task.alpha if alpha is None else as_float("alpha", alpha, 0.0, 1.0, high_open=True)
    V, T, k = task.vocab_size, task.seq_len, task.n_triggers
    rng = generator
    cdf = np.cumsum(language.transitions, axis=1)
    cdf[:, -1] = 1.0
    trig_index = np.full(V, -1, dtype=np.int64)
    trig_index[language.triggers] = np.arange(k)
    outputs = language.answer_pool[rng.integers(0, len(language.answer_pool), size=(B, k))]
    x = np.empty((B, T), dtype=np.int64)
    noise_next = np.zeros((B, T), dtype=bool)
    x[:, 0] = rng.choice(V, size=B, p=language.stationary)
    rows = np.arange(B)
    for t in range(T - 1):
        cur = x[:, t]
        u = rng.random(B)
        nxt = (u[:, None] > cdf[cur]).sum(axis=1)
        q = trig_index[cur]
        is_trig = q >= 0
        coin = rng.random(B) < a
        out = outputs[rows, np.maximum(q, 0)]
        nxt = np.where(is_trig, np.where(coin, task.noise_token, out), nxt)
        noise_next[:, t] = is_trig & coin
        x[:, t + 1] = np.minimum(nxt, V - 1)
    q_all = trig_index[x]
    trigger_next = q_all >= 0
    trigger_next[:, T - 1] = False
    labels = np.full((B, T), IGNORE, dtype=np.int64)
    answers = np.full((B, T), IGNORE, dtype=np.int64)
    in_ctx = np.zeros((B, T), dtype=bool)
    seen = np.zeros((B, k), dtype=np.int64)
    answer_seen = np.zeros((B, k), dtype=bool)
    for t in range(T - 1):
        q = q_all[:, t]
        is_trig = q >= 0
        qq = np.maximum(q, 0)
        seen[rows[is_trig], qq[is_trig]] += 1
        second = is_trig & (seen[rows, qq] >= 2)
        if task.loss_on == "all":
            labels[:, t] = x[:, t + 1]
        else:
            labels[second, t] = x[second, t + 1]
        answers[second, t] = outputs[rows, qq][second]
        in_ctx[:, t] = second & answer_seen[rows, qq]
        got = is_trig & ~noise_next[:, t]
        answer_seen[rows[got], qq[got]] = True

    def tt(v, dtype=torch.int64):
        return torch.from_numpy(np.ascontiguousarray(v)).to(dtype)

    return NoisyBatch(
        tt(x),
        tt(labels),
        tt(answers),
        tt(outputs),
        tt(trigger_next, torch.bool),
        tt(noise_next, torch.bool),
        tt(in_ctx, torch.bool),
    )
