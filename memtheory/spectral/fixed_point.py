r"""A stationary point of the exact Node2Vec population loss (Eq. 1) by L-BFGS in float64."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from memtheory.checks import as_float, as_int
from memtheory.graphs import as_graph
from memtheory.spectral.node2vec import (
    DENSE_MAX_BYTES,
    check_dense_size,
    dense_transition,
    initial_embedding,
    objective_and_operator,
)
from memtheory.spectral.operators import RANK_RTOL


@dataclass
class FixedPoint:
    """A stationary point of Eq. 1 found by L-BFGS (:func:`ce_fixed_point`)."""

    V: np.ndarray
    objective: float
    grad_norm: float  # ||C V||_F at V
    rank: int  # singular values > RANK_RTOL * largest
    effective_rank: float
    singular_values: np.ndarray
    iterations: int
    converged: bool
    message: str
    info: dict = field(default_factory=dict)


def ce_fixed_point(
    graph,
    d,
    *,
    V0=None,
    init_std=1.0,
    seed=0,
    gtol=1e-9,
    max_iter=20_000,
    max_bytes=DENSE_MAX_BYTES,
) -> FixedPoint:
    r"""Stationary point of the exact population loss (Eq. 1) by L-BFGS in float64.

    Minimizes :math:`-\mathcal{J}(V)` with its exact gradient :math:`-CV` (Lemma 5) from ``V0``
    (default :math:`\mathcal{N}(0, \text{init\_std}^2)`, ``seed``) until the projected
    gradient is below ``gtol``. arXiv 2510.26745, Appendix F.1 explains why no closed form
    exists (:math:`C = 0` would need :math:`p(i,i) = 0`). On non-regular graphs the supremum
    is approached only as the constant direction grows (Remark 2), so L-BFGS may stop on
    ``max_iter`` with a small but nonzero gradient: check ``grad_norm`` and ``converged``.
    Dense in ``n``: sizes above ``max_bytes`` are refused first
    (:func:`memtheory.spectral.node2vec.check_dense_size`).
    """
    from scipy.optimize import minimize

    g = as_graph(graph)
    d = as_int("d", d, minimum=1)
    init_std = as_float("init_std", init_std, 0.0, low_open=True)
    seed = as_int("seed", seed, minimum=0)
    gtol = as_float("gtol", gtol, 0.0, low_open=True)
    max_iter = as_int("max_iter", max_iter, minimum=1)
    check_dense_size("ce_fixed_point", g.n, d, max_bytes=max_bytes)
    Q = dense_transition(g)
    mask = Q > 0
    V0 = initial_embedding(g, V0, d=d, init_std=init_std, seed=seed)

    def fun(x):
        V = x.reshape(g.n, d)
        with np.errstate(over="ignore", invalid="ignore"):
            J, C = objective_and_operator(Q, mask, V)
        if not np.isfinite(J):
            raise ValueError(
                "ce_fixed_point: the embedding overflows V V^T; lower init_std (or the scale of V0)"
            )
        return -J, -(C @ V).ravel()

    res = minimize(
        fun,
        V0.ravel().copy(),
        jac=True,
        method="L-BFGS-B",
        options={"maxiter": max_iter, "gtol": gtol, "ftol": 0.0, "maxcor": 30},
    )
    V = res.x.reshape(g.n, d)
    J, C = objective_and_operator(Q, mask, V)
    gn = float(np.linalg.norm(C @ V))
    s = np.linalg.svd(V, compute_uv=False)
    from memtheory import geometry

    return FixedPoint(
        V=V,
        objective=J,
        grad_norm=gn,
        rank=int(np.sum(s > RANK_RTOL * s[0])),
        effective_rank=geometry.effective_rank(V),
        singular_values=s,
        iterations=int(res.nit),
        converged=bool(gn <= max(gtol, 1e-12) * max(1.0, np.sqrt(g.n * d))),
        message=str(res.message),
        info={"nfev": int(res.nfev)},
    )
