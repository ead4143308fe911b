"""Synthetic factual-recall task: subject, relation, noise tokens, EOS -> answer.

Nichani, Lee & Bietti 2024 (arXiv 2412.06538, Sec. 3 and the authors' task generator). The input
vocabulary holds ``S`` subjects, ``R`` relations, ``n_noise`` noise tokens and one EOS token::

    subjects   0 .. S-1
    relations  S .. S+R-1
    noise      S+R .. S+R+n_noise-1
    EOS        S+R+n_noise                      (input vocabulary size S+R+n_noise+1)

The output space holds ``R*D`` answers; relation ``r`` owns the block
:math:`\\mathcal A_r = \\{rD,\\dots,rD+D-1\\}`. Each fact :math:`a^*(s,r)` is drawn uniformly from
:math:`\\mathcal A_r` (``structured=False``) or set to :math:`\\lfloor sD/S\\rfloor + rD`
(``structured=True``, the paper's Figure 5). A sequence of length ``T`` starts as i.i.d. uniform
noise tokens; the subject goes to a uniform position in ``[0, T-2]``, the relation to a different
uniform position in ``[0, T-2]`` and EOS to ``T-1`` (the EOS variant used in all sweeps). The
label, predicted at the last position, is :math:`a^*(s,r)`.

Batches follow the contract of :mod:`empirical.tasks.tokens`: ``inputs`` and ``labels`` are
int64 ``(B, T)``; ``labels`` is ``IGNORE`` except at the last position, where it holds the answer
index in ``[0, R*D)`` (an index into the *output* space, not the input vocabulary).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from empirical.tasks.tokens import IGNORE
from memtheory.checks import as_int


@dataclass(frozen=True)
class FactualRecallTask:
    """Sizes of the factual-recall task (validated on construction).

    Attributes:
        n_subjects: ``S``.
        n_relations: ``R``.
        answers_per_relation: ``D`` (size of each answer block).
        n_noise: number of noise tokens ``|N|`` (the sweeps use ``S + R``).
        seq_len: ``T`` (>= 3: subject, relation and EOS must fit).
        structured: facts ``floor(s D / S) + r D`` instead of uniform random ones.
    """

    n_subjects: int
    n_relations: int
    answers_per_relation: int
    n_noise: int
    seq_len: int = 32
    structured: bool = False

    def __post_init__(self):
        as_int("n_subjects", self.n_subjects, 1)
        as_int("n_relations", self.n_relations, 1)
        as_int("answers_per_relation", self.answers_per_relation, 1)
        as_int("n_noise", self.n_noise, 1)
        as_int("seq_len", self.seq_len, 3)

    @property
    def n_facts(self) -> int:
        """Number of facts ``S * R``."""
        return self.n_subjects * self.n_relations

    @property
    def fact_bits(self) -> float:
        """Information content ``S R log2 D`` of uniformly random facts (bits)."""
        return self.n_facts * math.log2(self.answers_per_relation)

    @property
    def vocab_size(self) -> int:
        """Input vocabulary size ``S + R + |N| + 1``."""
        return self.n_subjects + self.n_relations + self.n_noise + 1

    @property
    def n_answers(self) -> int:
        """Output space size ``R * D``."""
        return self.n_relations * self.answers_per_relation

    @property
    def eos(self) -> int:
        return self.n_subjects + self.n_relations + self.n_noise

    def subject_token(self, s):
        return s

    def relation_token(self, r):
        return self.n_subjects + r

    @property
    def noise_tokens(self) -> np.ndarray:
        start = self.n_subjects + self.n_relations
        return np.arange(start, start + self.n_noise)


def make_facts(task: FactualRecallTask, seed: int = 0) -> np.ndarray:
    """The ``(S, R)`` int64 table of answers :math:`a^*(s, r)\\in\\mathcal A_r` (output indices).

    Uniform in the relation's block, independently per fact, or the structured table
    :math:`\\lfloor sD/S\\rfloor + rD` (arXiv 2412.06538, Fig. 5) when ``task.structured``.
    """
    S, R, D = task.n_subjects, task.n_relations, task.answers_per_relation
    block = np.arange(R, dtype=np.int64) * D
    if task.structured:
        within = (np.arange(S, dtype=np.int64) * D) // S
        return within[:, None] + block[None, :]
    rng = np.random.default_rng(as_int("seed", seed, 0))
    return rng.integers(0, D, size=(S, R), dtype=np.int64) + block[None, :]


@dataclass
class FactualBatch:
    """One batch: the training pair plus the bookkeeping used by probes and tests."""

    inputs: torch.Tensor  # (B, T) int64 input tokens
    labels: torch.Tensor  # (B, T) int64, IGNORE except the last position
    answers: torch.Tensor  # (B,) int64 answer index in [0, R*D)
    subjects: torch.Tensor  # (B,) int64 subject index
    relations: torch.Tensor  # (B,) int64 relation index
    subject_pos: torch.Tensor  # (B,) int64
    relation_pos: torch.Tensor  # (B,) int64


def sample_batch(
    task: FactualRecallTask, facts: np.ndarray, batch_size: int, generator: np.random.Generator
) -> FactualBatch:
    """Draw ``batch_size`` sequences with uniform (subject, relation) pairs.

    ``generator`` is a ``numpy.random.Generator``; the same generator state gives the same batch.
    """
    B = as_int("batch_size", batch_size, 1)
    S, R, T = task.n_subjects, task.n_relations, task.seq_len
    facts = np.asarray(facts)
    if facts.shape != (S, R):
        raise ValueError(f"facts must have shape ({S}, {R}), got {facts.shape}")
    rng = generator
    seq = rng.choice(task.noise_tokens, size=(B, T)).astype(np.int64)
    subj = rng.integers(0, S, size=B)
    rel = rng.integers(0, R, size=B)
    s_pos = rng.integers(0, T - 1, size=B)
    # a different position in [0, T-2]: shift a draw from the T-2 remaining slots past s_pos
    r_pos = rng.integers(0, T - 2, size=B)
    r_pos = r_pos + (r_pos >= s_pos)
    rows = np.arange(B)
    seq[rows, s_pos] = subj
    seq[rows, r_pos] = S + rel
    seq[:, T - 1] = task.eos
    answers = facts[subj, rel].astype(np.int64)
    labels = np.full((B, T), IGNORE, dtype=np.int64)
    labels[:, T - 1] = answers

    def t(x):
        return torch.from_numpy(np.ascontiguousarray(x, dtype=np.int64))

    return FactualBatch(t(seq), t(labels), t(answers), t(subj), t(rel), t(s_pos), t(r_pos))


def all_facts_batch(
    task: FactualRecallTask, facts: np.ndarray, generator: np.random.Generator, copies: int = 1
) -> FactualBatch:
    """Every (subject, relation) pair ``copies`` times (random positions and noise): a test set
    on which accuracy is exactly the fraction of facts recalled (for ``copies = 1``)."""
    copies = as_int("copies", copies, 1)
    S, R, T = task.n_subjects, task.n_relations, task.seq_len
    batch = sample_batch(task, facts, S * R * copies, generator)
    subj = np.tile(np.repeat(np.arange(S), R), copies)
    rel = np.tile(np.tile(np.arange(R), S), copies)
    seq = batch.inputs.numpy().copy()
    rows = np.arange(len(subj))
    seq[rows, batch.subject_pos.numpy()] = subj
    seq[rows, batch.relation_pos.numpy()] = S + rel
    answers = np.asarray(facts)[subj, rel].astype(np.int64)
    labels = np.full_like(seq, IGNORE)
    labels[:, T - 1] = answers

    def t(x):
        return torch.from_numpy(np.ascontiguousarray(x, dtype=np.int64))

    return FactualBatch(
        t(seq), t(labels), t(answers), t(subj), t(rel), batch.subject_pos, batch.relation_pos
    )
