"""What is measured: full-batch GD on ``W`` in torch (float64) and the autograd Hessian.

Cabannes, Simsek & Bietti 2024 (arXiv 2402.18724), Sec. 3-4: the loss is the ``p``-weighted
cross-entropy :math:`\\mathcal L(W)=\\sum_x p(x)(-\\log\\mathrm{softmax}(U W e_x)_{f(x)})`.
"""

from __future__ import annotations

import numpy as np
import torch


def torch_memory_gd(E, U, targets, p, eta, steps, W0=None) -> dict:
    """Full-batch GD on ``W`` (``(d_out, d_in)``, float64), gradient written out in torch.

    :math:`W_{t+1}=W_t-\\eta\\sum_x p(x)\\sum_y(\\mathrm{softmax}_y-1\\{y=f(x)\\})u_y e_x^\\top`.
    Returns per-step ``loss``, ``margins`` (steps+1, N), ``accuracy`` (p-weighted) and the final
    ``W`` (numpy). Batched over a leading axis when ``E`` is 3-D (``E`` (K, N, d_in), ``U``
    (K, M, d_out), ``p``/``targets`` (K, N)).
    """
    E = torch.as_tensor(np.asarray(E), dtype=torch.float64)
    U = torch.as_tensor(np.asarray(U), dtype=torch.float64)
    y = torch.as_tensor(np.asarray(targets), dtype=torch.long)
    p = torch.as_tensor(np.asarray(p), dtype=torch.float64)
    batched = E.ndim == 3
    if not batched:
        E, U, y, p = E[None], U[None], y[None], p[None]
    K, N, d_in = E.shape
    eta_t = torch.as_tensor(np.asarray(eta, dtype=np.float64)).reshape(-1, 1, 1)
    if W0 is None:
        W = torch.zeros(K, U.shape[2], d_in, dtype=torch.float64)
    else:
        W = torch.as_tensor(np.asarray(W0), dtype=torch.float64).reshape(K, U.shape[2], d_in)
    losses, margins, accs = [], [], []
    onehot_f = torch.nn.functional.one_hot(y, U.shape[1]).to(torch.float64)
    onehot = onehot_f.bool()
    for t in range(steps + 1):
        scores = torch.einsum("kni,koi,kmo->knm", E, W, U)
        logp = torch.log_softmax(scores, dim=-1)
        right = scores.gather(2, y[..., None])[..., 0]
        other = scores.masked_fill(onehot, -torch.inf).max(dim=2).values
        m = right - other
        losses.append(-(p * logp.gather(2, y[..., None])[..., 0]).sum(dim=1))
        margins.append(m)
        accs.append((p * (m > 0)).sum(dim=1))
        if t == steps:
            break
        # dL/dW = sum_x p(x) sum_y (softmax_y - 1{y = f(x)}) u_y e_x^T  (cross-entropy gradient)
        err = (logp.exp() - onehot_f) * p[..., None]  # (K, N, M)
        W = W - eta_t * torch.einsum("kmo,knm,kni->koi", U, err, E)
    out = {
        "loss": torch.stack(losses, 1).numpy(),
        "margins": torch.stack(margins, 1).numpy(),
        "accuracy": torch.stack(accs, 1).numpy(),
        "W": W.numpy(),
    }
    if not batched:
        out = {k: v[0] for k, v in out.items()}
    return out


def autograd_hessian(W, E, U, targets, p) -> np.ndarray:
    """Hessian of the ``p``-weighted cross-entropy at ``W`` by ``torch.autograd`` (float64),
    shape ``(d_out, d_in, d_out, d_in)``: the independent computation the closed form
    :func:`memtheory.dynamics.memory_hessian` is checked against."""
    Et, Ut = torch.as_tensor(E), torch.as_tensor(U)
    yt, pt = torch.as_tensor(targets, dtype=torch.long), torch.as_tensor(p)

    def loss(w):
        logp = torch.log_softmax(Et @ w.T @ Ut.T, dim=-1)
        return -(pt * logp.gather(1, yt[:, None])[:, 0]).sum()

    return torch.autograd.functional.hessian(loss, torch.as_tensor(W)).numpy()


def orthonormal_rows(rng, n, d) -> np.ndarray:
    """``n`` orthonormal rows in ``R^d`` (QR of a Gaussian matrix drawn from ``rng``)."""
    q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return q[:n]


def first_full_accuracy(acc, tol=1e-12) -> int:
    """First step at which the accuracy is 1 (within ``tol``), or -1 if never."""
    hit = np.nonzero(np.asarray(acc) >= 1.0 - tol)[0]
    return int(hit[0]) if hit.size else -1
