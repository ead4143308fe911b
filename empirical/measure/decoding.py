"""Greedy decoding and path accuracies for sequence models that map ``(B, T)`` tokens to logits.

Metrics of the path-star papers (arXiv 2510.26745 §6.1 / App. B.5; arXiv 2403.06963 §5): for a
prompt ``prefix`` and a target sequence ``r = (r_0, ..., r_{L-1})``

* **exact match**: greedy (top-1) decoding of :math:`L` tokens reproduces ``r`` entirely;
* **per-position accuracy**: :math:`\\Pr[\\hat r_i = r_i]` under greedy decoding;
* **teacher-forced accuracy**: :math:`\\Pr[\\arg\\max_v p(v \\mid \\text{prefix}, r_{<i}) = r_i]`,
  one forward pass with the true earlier targets fed (teacherless models get ``$`` instead);
* **first-token (decision-token) accuracy**: the teacher-forced accuracy at the decision position
  (``decision_index``, 1 for the path-star: :math:`v_1` after the root, whose copy is target 0);
* **restricted accuracy**: the same argmax taken only over a candidate set (e.g. the held-out
  arms' first hops), which separates a learned prior towards answers seen in training from a
  lost geometry (issue 5, claim 8).

Chance level for a path-star of degree :math:`d` is :math:`1/d` for the first token and the path.
"""

from __future__ import annotations

import numpy as np
import torch

from empirical.running.runtime import eval_mode
from memtheory.checks import as_int

__all__ = [
    "greedy_decode",
    "teacher_forced_logits",
    "restricted_argmax",
    "path_accuracy",
]


def _forward(model, x: torch.Tensor) -> torch.Tensor:
    out = model(x)
    return out[0] if isinstance(out, tuple) else out


def _logits_at(model, x: torch.Tensor, positions) -> torch.Tensor:
    """``model(x)[:, positions]``; a model with ``features`` and ``output_weight`` (Transformer,
    Mamba) applies its head at those positions only (the same numbers, less work: the head over
    the vocabulary is most of a small model's forward)."""
    features = getattr(model, "features", None)
    if features is None or not hasattr(model, "output_weight"):
        return _forward(model, x)[:, positions]
    return torch.nn.functional.linear(features(x)[:, positions], model.output_weight)


def _device(model) -> torch.device:
    try:
        return next(model.parameters()).device
    except StopIteration:
        return torch.device("cpu")


def greedy_decode(
    model, prefix, n_tokens, *, teacherless_token=None, batch_size: int = 256
) -> torch.Tensor:
    """Greedy (top-1) continuation of ``prefix`` by ``n_tokens`` tokens, ``(B, n_tokens)`` int64.

    Autoregressive: token :math:`i` is :math:`\\arg\\max_v p(v \\mid \\text{prefix}, \\hat r_{<i})`.
    With ``teacherless_token`` (the ``$`` of Bachmann & Nagarajan 2024) the model reads
    ``prefix + [$] * (n_tokens - 1)`` once and every position is decoded in parallel.
    """
    prefix = torch.as_tensor(prefix, dtype=torch.int64)
    n = as_int("n_tokens", n_tokens, minimum=1)
    bs = as_int("batch_size", batch_size, minimum=1)
    dev = _device(model)
    outs = []
    with eval_mode(model):
        for lo in range(0, prefix.shape[0], bs):
            x = prefix[lo : lo + bs].to(dev)
            p = x.shape[1]
            if teacherless_token is not None:
                fill = torch.full((x.shape[0], n - 1), int(teacherless_token), device=dev)
                logits = _logits_at(model, torch.cat([x, fill], 1), slice(p - 1, p - 1 + n))
                outs.append(logits.argmax(-1).cpu())
                continue
            for _ in range(n):
                nxt = _logits_at(model, x, -1).argmax(-1, keepdim=True)
                x = torch.cat([x, nxt], 1)
            outs.append(x[:, p:].cpu())
    return torch.cat(outs) if outs else torch.zeros((0, n), dtype=torch.int64)


def teacher_forced_logits(
    model, prefix, targets, *, teacherless_token=None, batch_size: int = 256, positions=None
) -> torch.Tensor:
    """Logits predicting each target token with the true earlier targets fed, ``(B, L', V)``.

    One forward pass over ``prefix + targets[:, :-1]`` (``$`` in place of the targets when
    ``teacherless_token`` is given); ``positions`` (target indices) selects a subset ``L'``.
    """
    prefix = torch.as_tensor(prefix, dtype=torch.int64)
    targets = torch.as_tensor(targets, dtype=torch.int64)
    if prefix.shape[0] != targets.shape[0]:
        raise ValueError(
            f"prefix and targets must have the same batch size, got {prefix.shape[0]} "
            f"and {targets.shape[0]}"
        )
    bs = as_int("batch_size", batch_size, minimum=1)
    L = targets.shape[1]
    pos = torch.arange(L) if positions is None else torch.as_tensor(positions).reshape(-1)
    if pos.numel() and (int(pos.min()) < 0 or int(pos.max()) >= L):
        raise ValueError(f"positions must lie in [0, {L - 1}]")
    dev = _device(model)
    p = prefix.shape[1]
    outs = []
    with eval_mode(model):
        for lo in range(0, prefix.shape[0], bs):
            x, t = prefix[lo : lo + bs], targets[lo : lo + bs]
            fed = (
                t[:, :-1]
                if teacherless_token is None
                else torch.full_like(t[:, :-1], int(teacherless_token))
            )
            logits = _logits_at(model, torch.cat([x, fed], 1).to(dev), p - 1 + pos)
            outs.append(logits.float().cpu())
    return torch.cat(outs)


def restricted_argmax(logits, candidates) -> torch.Tensor:
    """:math:`\\arg\\max_{v \\in C} \\text{logits}[v]` over a candidate set ``C``.

    ``logits`` is ``(B, V)``; ``candidates`` is ``(C,)`` (one set for all rows) or ``(B, C)``.
    Returns the chosen token ids, ``(B,)`` int64.
    """
    logits = torch.as_tensor(logits)
    cand = torch.as_tensor(candidates, dtype=torch.int64, device=logits.device)
    if logits.ndim != 2:
        raise ValueError(f"logits must have shape (B, V), got {tuple(logits.shape)}")
    if cand.numel() == 0:
        raise ValueError("candidates must not be empty")
    if int(cand.min()) < 0 or int(cand.max()) >= logits.shape[1]:
        raise ValueError(f"candidates must be token ids in [0, {logits.shape[1] - 1}]")
    if cand.ndim == 1:
        return cand[logits[:, cand].argmax(-1)]
    if cand.ndim != 2 or cand.shape[0] != logits.shape[0]:
        raise ValueError(f"candidates must have shape (C,) or (B, C), got {tuple(cand.shape)}")
    picked = torch.gather(logits, 1, cand).argmax(-1, keepdim=True)
    return torch.gather(cand, 1, picked).squeeze(1)


def path_accuracy(
    model,
    prefix,
    targets,
    *,
    decision_index: int = 1,
    candidates=None,
    teacherless_token=None,
    batch_size: int = 256,
) -> dict:
    """Greedy and teacher-forced accuracies of generating ``targets`` from ``prefix``.

    Returns ``exact_match``, ``first_token_acc`` (teacher-forced decision token),
    ``greedy_first_token_acc``, ``restricted_acc`` (decision-token argmax over ``candidates``;
    ``None`` when not given), ``per_position`` (greedy, list of ``L``), ``teacher_forced_acc``
    (mean over positions) and ``teacher_forced_per_position``; ``n`` is the number of examples.
    """
    prefix = torch.as_tensor(prefix, dtype=torch.int64)
    targets = torch.as_tensor(targets, dtype=torch.int64)
    L = targets.shape[1]
    k = as_int("decision_index", decision_index, minimum=0, maximum=L - 1)
    if targets.shape[0] == 0:
        raise ValueError("path_accuracy needs at least one example")
    gen = greedy_decode(
        model, prefix, L, teacherless_token=teacherless_token, batch_size=batch_size
    )
    correct = gen == targets
    logits = teacher_forced_logits(
        model, prefix, targets, teacherless_token=teacherless_token, batch_size=batch_size
    )
    tf = logits.argmax(-1) == targets
    out = {
        "n": int(targets.shape[0]),
        "exact_match": float(correct.all(1).float().mean()),
        "first_token_acc": float(tf[:, k].float().mean()),
        "greedy_first_token_acc": float(correct[:, k].float().mean()),
        "per_position": correct.float().mean(0).tolist(),
        "teacher_forced_acc": float(tf.float().mean()),
        "teacher_forced_per_position": tf.float().mean(0).tolist(),
        "restricted_acc": None,
    }
    if candidates is not None:
        cand = torch.as_tensor(np.asarray(candidates), dtype=torch.int64)
        pick = restricted_argmax(logits[:, k], cand)
        out["restricted_acc"] = float((pick == targets[:, k]).float().mean())
    return out
