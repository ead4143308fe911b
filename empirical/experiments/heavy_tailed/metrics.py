"""Training and measurement of the heavy-tailed imbalance experiment (torch, float64).

Kunstner et al. 2024 (arXiv 2402.19449): full-batch GD, Adam and sign descent on a linear softmax
model; per-group losses with groups of equal sample mass, and each group's half-loss time.
"""

from __future__ import annotations

import numpy as np
import torch

from empirical.tasks.tiered_zipf import tiered_zipf_data, zipf_memory_data


def grid(lohi) -> list[float]:
    """Half-decade step-size grid :math:`10^{lo}, 10^{lo+1/2}, \\dots, 10^{hi}`."""
    return [10.0**e for e in np.arange(lohi[0], lohi[1] + 1e-9, 0.5)]


def train_full_batch(loss_items, params, weights, method, lr, steps, log_steps):
    """Full-batch training of ``params`` on ``sum_i weights_i * loss_items()_i``.

    ``method``: ``"gd"`` (W -= lr g), ``"sign"`` (W -= lr sign(g)) or ``"adam"``
    (betas (0.9, 0.999), eps 1e-8, bias-corrected, written out: Kingma & Ba 2015, Alg. 1).
    Returns the per-item losses at ``log_steps`` (array (len(log_steps), n_items)) and whether
    training stayed finite.
    """
    params = [p.detach().clone().requires_grad_(True) for p in params]
    b1, b2, eps = 0.9, 0.999, 1e-8
    mom = [torch.zeros_like(p) for p in params]
    sq = [torch.zeros_like(p) for p in params]
    log = set(int(s) for s in log_steps)
    rows = []
    for t in range(steps + 1):
        items = loss_items(params)
        if t in log:
            rows.append(items.detach().numpy().copy())
        if t == steps:
            break
        loss = (weights * items).sum()
        if not torch.isfinite(loss):
            return np.full((len(log_steps), items.shape[0]), np.nan), False
        grads = torch.autograd.grad(loss, params)
        with torch.no_grad():
            for p, g, m, v in zip(params, grads, mom, sq, strict=True):
                if method == "adam":
                    m.mul_(b1).add_(g, alpha=1 - b1)
                    v.mul_(b2).addcmul_(g, g, value=1 - b2)
                    mhat = m / (1 - b1 ** (t + 1))
                    vhat = v / (1 - b2 ** (t + 1))
                    p -= lr * mhat / (vhat.sqrt() + eps)
                else:
                    p -= lr * (g.sign() if method == "sign" else g)
    out = np.array(rows)
    return out, bool(np.all(np.isfinite(out)))


def tiered_problem(m, seed):
    """``(items, params, weights, group, G)`` of the tiered-Zipf linear softmax model with bias
    (uniform inputs; the group of a sample is the tier of its class)."""
    data = tiered_zipf_data(m, seed)
    X = torch.as_tensor(data.X, dtype=torch.float64)
    y = torch.as_tensor(data.y)
    c, d = len(data.frequencies), X.shape[1]
    weights = torch.full((X.shape[0],), 1.0 / X.shape[0], dtype=torch.float64)
    params = [torch.zeros(c, d, dtype=torch.float64), torch.zeros(c, dtype=torch.float64)]

    def items(ps):
        logits = X @ ps[0].T + ps[1]
        return torch.nn.functional.cross_entropy(logits, y, reduction="none")

    return items, params, weights, data.tier[data.y], data.m


def memory_problem(config, seed, unembedding):
    """``(items, params, weights, group, G)`` of the Zipf associative memory (``unembedding``
    ``"onehot"`` or ``"gaussian"``), inputs in ``config.memory_groups`` equal-mass groups."""
    from memtheory.dynamics import equal_mass_groups

    c = config
    data = zipf_memory_data(
        c.memory_inputs, None, c.memory_dim, c.zipf_exponent, seed, unembedding=unembedding
    )
    E = torch.as_tensor(data.E)
    U = torch.as_tensor(data.U)
    y = torch.as_tensor(data.targets)
    weights = torch.as_tensor(data.p)
    params = [torch.zeros(U.shape[1], c.memory_dim, dtype=torch.float64)]

    def items(ps):
        return torch.nn.functional.cross_entropy(E @ ps[0].T @ U.T, y, reduction="none")

    return items, params, weights, equal_mass_groups(data.p, c.memory_groups), c.memory_groups


def group_losses(per_item, weights, group, n_groups) -> np.ndarray:
    """Each group's loss, its items weighted by ``weights``: array (steps, n_groups)."""
    w = weights.numpy() if hasattr(weights, "numpy") else np.asarray(weights)
    out = np.empty((per_item.shape[0], n_groups))
    for g in range(n_groups):
        sel = group == g
        out[:, g] = (per_item[:, sel] * w[sel]).sum(1) / w[sel].sum()
    return out


def half_times(gl) -> np.ndarray:
    """First step at which each group's loss is <= half its initial value (``len(gl)`` if never:
    a lower bound). ``gl``: (steps+1, G) group losses logged at every step."""
    below = gl <= gl[0] / 2
    return np.where(below.any(0), below.argmax(0), gl.shape[0]).astype(float)


def half_time_ratio(gl) -> float:
    """:math:`t_{1/2}(\\text{rarest group}) / t_{1/2}(\\text{most frequent group})` (each at
    least 1 step)."""
    t = np.maximum(half_times(gl), 1.0)
    return float(t[-1] / t[0])


def select_lr(items, params, weights, group, G, method, lrs, steps, target) -> float:
    """The step in ``lrs`` whose most frequent group halves its loss closest to step ``target``
    (in log ratio; ties go to the lower final loss), among runs that stay finite and never
    raise the total loss above its initial value. Matching the frequent group's speed puts every
    optimizer on the same clock, so the rare group's half-time is compared at equal resolution
    (a "best final loss" choice picks steps so large that everything is learned in a couple of
    iterations). Raises ``ValueError`` when no step in the grid qualifies."""
    logs = np.arange(steps + 1)
    best = (np.inf, np.inf, None)
    for lr in lrs:
        per, ok = train_full_batch(items, params, weights, method, lr, steps, logs)
        if not ok:
            continue
        total = per @ weights.numpy()
        if total.max() > total[0] + 1e-12:
            continue
        gl = group_losses(per, weights, group, G)
        t_freq = max(1.0, half_times(gl)[0])
        key = (abs(np.log(t_freq / target)), float(total[-1]))
        if key < best[:2]:
            best = (*key, lr)
    if best[2] is None:
        raise ValueError(f"no stable step size for {method} in the grid {lrs}")
    return best[2]
