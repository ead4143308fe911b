"""Extension: how far can an embedding's geometry move at equal Node2Vec loss?

Train a Node2Vec embedding V (n x d) by gradient ascent on Eq. 1 of the geometric-memory paper
(``memtheory.spectral.node2vec_objective``; loss f = -J), then move along its own sub-level set
{f <= f(V)} with :func:`memtheory.teleport.sublevel_ascent`, once maximizing and once minimizing
the Dirichlet ratio R(V) = tr(V^T L V) / ||V||_F^2 (L = D - A; small R = neighbours close =
geometric structure). Numpy only.
"""

from __future__ import annotations

import numpy as np

from memtheory import graphs, teleport
from memtheory.spectral import node2vec_gradient, node2vec_objective, operators


def dirichlet_ratio(L: np.ndarray, v: np.ndarray, shape) -> float:
    V = v.reshape(shape)
    return float(np.sum(V * (L @ V)) / np.sum(V * V))


def dirichlet_ratio_grad(L: np.ndarray, v: np.ndarray, shape) -> np.ndarray:
    V = v.reshape(shape)
    nn = float(np.sum(V * V))
    R = float(np.sum(V * (L @ V))) / nn
    return (2.0 * (L @ V - R * V) / nn).ravel()


def geometry_row(spec: str, d: int, steps: int, lr: float, seed: int, max_iter: int) -> dict:
    """Train, then push the Dirichlet ratio up and down at equal (or lower) loss."""
    g = graphs.as_graph(spec)
    L = -operators.neg_laplacian(g).toarray()
    shape = (g.n, d)
    V = 0.1 * np.random.default_rng([seed, 5]).standard_normal(shape)
    for _ in range(steps):
        V = V + lr * node2vec_gradient(g, V)
    problem = teleport.Problem(
        f=lambda v: -node2vec_objective(g, v.reshape(shape)),
        grad=lambda v: -node2vec_gradient(g, v.reshape(shape)).ravel(),
        hvp=None,
        dim=g.n * d,
    )
    v0 = V.ravel()
    out = {
        "graph": spec,
        "seed": seed,
        "loss": problem.f(v0),
        "ratio": dirichlet_ratio(L, v0, shape),
    }
    for name, sign in (("max", 1.0), ("min", -1.0)):
        res = teleport.sublevel_ascent(
            problem,
            v0,
            lambda v, s=sign: s * dirichlet_ratio(L, v, shape),
            lambda v, s=sign: s * dirichlet_ratio_grad(L, v, shape),
            max_iter=max_iter,
            tol=1e-6,
        )
        out[f"ratio_{name}"] = dirichlet_ratio(L, res.w, shape)
        out[f"loss_gap_{name}"] = res.constraint_gap
        out[f"kkt_{name}"] = res.kkt_residual
    out["relative_range"] = (out["ratio_max"] - out["ratio_min"]) / out["ratio"]
    return out
