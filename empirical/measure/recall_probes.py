"""Memory-recall probes of *Birth of a Transformer* as reusable functions (torch).

Bietti et al. 2023 (arXiv 2306.00802, Sec. 4 and the released training script): a weight matrix
``W`` is an associative memory :math:`W\\approx\\sum_{(i,j)} u_j e_i^\\top`, read out by
:math:`\\arg\\max_j u_j^\\top W e_i`. The probes below test whether a trained matrix (or product
of matrices, or a feed-forward block) maps the right input embeddings to the right output
embeddings:

* :func:`associative_scores`, :func:`recall_accuracy`, :func:`recall_margins`: the generic readout;
* :func:`output_memory_probe`: the :math:`W_O^2` probe,
  :math:`\\arg\\max_j (W_U W_O W_V e_k)_j = k`;
* :func:`key_memory_probe`: the :math:`W_K^2` probe, query :math:`e_k` matches the key
  :math:`W_K^2 W_O^1 W_V^1 e_k` best among the candidate tokens;
* :func:`previous_token_probe`: the :math:`W_K^1` probe,
  :math:`\\arg\\max_{s\\le t} p_t^\\top W_K^1 p_s = t-1`;
* :func:`ff_readout`, :func:`ff_margin`, :func:`readout_kl`: a feed-forward layer read through
  the unembedding (the FF probe; the noise-logit margin of Chen et al. 2024, arXiv 2406.03068);
* :func:`logit_lens_accuracy`: a block's output read through the unembedding at chosen
  positions (per-layer probes);
* :func:`low_rank`, :func:`truncate`, :func:`soft_rank`: best rank-``r`` approximation
  (Eckart-Young) and the LASER-style truncation :math:`r=\\lfloor\\rho\\min(W.shape)\\rfloor`.
"""

from __future__ import annotations

import math

import torch

from memtheory.checks import as_float, as_int


def associative_scores(W, in_emb, out_emb) -> torch.Tensor:
    """Scores :math:`S_{ij} = u_j^\\top W e_i`: ``in_emb`` (n, d_in), ``W`` (d_out, d_in),
    ``out_emb`` (m, d_out) -> (n, m)."""
    return in_emb @ W.T @ out_emb.T


def recall_accuracy(scores: torch.Tensor, targets) -> float:
    """Fraction of rows whose argmax is the target (rows of ``scores`` are stored inputs)."""
    targets = torch.as_tensor(targets, dtype=torch.long)
    if scores.ndim != 2 or targets.shape != (scores.shape[0],):
        raise ValueError("scores must be (n, m) and targets (n,)")
    return float((scores.argmax(dim=1) == targets).double().mean())


def recall_margins(scores: torch.Tensor, targets) -> torch.Tensor:
    """Per-row margin: target score minus the largest other score (positive = recalled)."""
    targets = torch.as_tensor(targets, dtype=torch.long)
    rows = torch.arange(scores.shape[0])
    right = scores[rows, targets]
    other = scores.clone()
    other[rows, targets] = -math.inf
    return right - other.max(dim=1).values


def output_memory_probe(wo, wv, embed, unembed, tokens) -> float:
    """:math:`W_O^2` probe: fraction of tokens ``k`` with
    :math:`\\arg\\max_j (W_U W_O W_V e_k)_j = k` (``embed``/``unembed`` rows are tokens)."""
    tokens = torch.as_tensor(tokens, dtype=torch.long)
    scores = associative_scores(wo @ wv, embed[tokens], unembed)
    return recall_accuracy(scores, tokens)


def key_memory_probe(wk2, wo1, wv1, embed, tokens, candidates=None) -> float:
    """:math:`W_K^2` probe: fraction of query tokens ``k`` (``tokens``) whose query :math:`e_k`
    (``W_Q = I``) scores the key :math:`W_K^2 W_O^1 W_V^1 e_k` highest among the keys of the
    ``candidates`` (default: ``tokens`` themselves, as in Birth of a Transformer's probe over
    the trigger tokens). Every query token must be among the candidates."""
    tokens = torch.as_tensor(tokens, dtype=torch.long)
    cand = tokens if candidates is None else torch.as_tensor(candidates, dtype=torch.long)
    pos = {int(t): i for i, t in enumerate(cand.tolist())}
    if any(int(t) not in pos for t in tokens):
        raise ValueError("every query token must be among the candidates")
    keys = embed[cand] @ (wk2 @ wo1 @ wv1).T  # (n_cand, d)
    scores = embed[tokens] @ keys.T  # query i vs candidate key j
    return recall_accuracy(scores, torch.tensor([pos[int(t)] for t in tokens]))


def previous_token_probe(wk1, pos) -> float:
    """:math:`W_K^1` probe: fraction of positions ``t >= 1`` with
    :math:`\\arg\\max_{s\\le t} p_t^\\top W_K^1 p_s = t-1` (causal attention)."""
    T = pos.shape[0]
    scores = pos @ (pos @ wk1.T).T
    scores = scores.masked_fill(~torch.ones(T, T, dtype=torch.bool).tril(), -math.inf)
    return float((scores[1:].argmax(dim=1) == torch.arange(T - 1)).double().mean())


def ff_readout(ff, in_emb, unembed) -> torch.Tensor:
    """Logits :math:`W_U\\,\\mathrm{FF}(e)` of a feed-forward block alone on input embeddings."""
    return ff(in_emb) @ unembed.T


def ff_margin(ff, in_emb, unembed, target: int) -> torch.Tensor:
    """Margin of ``target`` in :math:`W_U\\,\\mathrm{FF}(e)` for each input row (Chen et al.'s
    noise-logit margin when ``target`` is the noise token and the rows are triggers)."""
    logits = ff_readout(ff, in_emb, unembed)
    return recall_margins(logits, torch.full((logits.shape[0],), int(target)))


def readout_kl(logits, reference_probs) -> torch.Tensor:
    """Per-row :math:`\\mathrm{KL}(q\\,\\|\\,\\mathrm{softmax}(\\text{logits}))` against reference
    rows ``q`` (the bigram-conditional probe)."""
    logp = torch.log_softmax(logits, dim=-1)
    q = torch.as_tensor(reference_probs, dtype=logp.dtype)
    return (q * (torch.log(q.clamp_min(1e-300)) - logp)).sum(dim=-1)


def logit_lens_accuracy(block_out, unembed, targets, mask) -> float:
    """Fraction of masked positions where :math:`\\arg\\max_j u_j^\\top(\\text{block output})`
    equals ``targets`` (``block_out`` (B, T, d), ``targets`` (B, T), ``mask`` (B, T) bool)."""
    if int(mask.sum()) == 0:
        raise ValueError("mask selects no position")
    pred = (block_out[mask] @ unembed.T).argmax(dim=-1)
    return float((pred == targets[mask]).double().mean())


def low_rank(W: torch.Tensor, rank: int) -> torch.Tensor:
    """Best rank-``rank`` approximation :math:`\\sum_{i<r}\\sigma_i u_i v_i^\\top` (Eckart-Young);
    ``rank = 0`` gives zeros, ``rank >= min(W.shape)`` gives ``W``."""
    r = as_int("rank", rank, 0)
    if r == 0:
        return torch.zeros_like(W)
    if r >= min(W.shape):
        return W.clone()
    u, s, vh = torch.linalg.svd(W, full_matrices=False)
    return (u[:, :r] * s[:r]) @ vh[:r]


def truncate(W: torch.Tensor, rho: float) -> torch.Tensor:
    """LASER-style truncation: :func:`low_rank` at :math:`\\lfloor\\rho\\min(W.shape)\\rfloor`
    (arXiv 2406.03068 Sec. 3; ``rho = 0`` removes the matrix)."""
    rho = as_float("rho", rho, 0.0, 1.0)
    return low_rank(W, int(math.floor(rho * min(W.shape) + 1e-9)))


def soft_rank(W: torch.Tensor) -> float:
    """:math:`\\lVert W\\rVert_F / \\lVert W\\rVert_2`."""
    return float(torch.linalg.matrix_norm(W) / torch.linalg.matrix_norm(W, ord=2))
