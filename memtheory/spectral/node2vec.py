r"""Node2Vec's objective (Eq. 1), its exact gradient (Lemma 5) and the exact float64 dynamics
:math:`V \leftarrow V + \eta\,CV` (arXiv 2510.26745, Section 4 and Appendix F)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from memtheory.checks import as_array, as_float, as_int
from memtheory.graphs import Graph, as_graph
from memtheory.spectral.operators import RANK_RTOL, transition_matrix
from memtheory.spectral.prediction import node2vec_prediction


def row_softmax(X) -> np.ndarray:
    r"""Row-wise softmax :math:`P_{ij} = e^{X_{ij}}/\sum_k e^{X_{ik}}` (max-shifted, Eq. 2)."""
    X = as_array("X", X, ndim=2)
    Z = X - X.max(axis=1, keepdims=True)
    np.exp(Z, out=Z)
    Z /= Z.sum(axis=1, keepdims=True)
    return Z


def embedding_arg(graph: Graph, V) -> np.ndarray:
    V = as_array("V", V, ndim=2)
    if V.shape[0] != graph.n:
        raise ValueError(f"V must have shape (n={graph.n}, m), got {V.shape}")
    if V.shape[1] < 1:
        raise ValueError("V must have at least one column")
    return V


def initial_embedding(g: Graph, V0, *, d: int, init_std: float, seed: int) -> np.ndarray:
    """A copy of ``V0`` (checked to be ``(n, d)``), or ``N(0, init_std^2)`` entries drawn with
    ``seed`` when ``V0`` is None."""
    if V0 is None:
        return np.random.default_rng(seed).normal(0.0, init_std, size=(g.n, d))
    V = embedding_arg(g, V0).copy()
    if V.shape[1] != d:
        raise ValueError(f"V0 must have shape (n={g.n}, d={d}), got {V.shape}")
    return V


def dense_transition(g: Graph) -> np.ndarray:
    """:math:`Q = D^{-1}A` as a dense float64 array (the dense routes' input)."""
    return transition_matrix(g).toarray()


def objective_and_operator(Q: np.ndarray, A_mask: np.ndarray, V: np.ndarray):
    """``(J, C)``: Eq. 1 at ``V`` and the Lemma 5 operator, from dense ``Q`` and its mask."""
    G = V @ V.T
    Gmax = G.max(axis=1, keepdims=True)
    E = np.exp(G - Gmax)
    Z = E.sum(axis=1, keepdims=True)
    P = E / Z
    logP = G - Gmax - np.log(Z)
    J = float(np.sum(Q[A_mask] * logP[A_mask]))
    R = Q - P
    return J, R + R.T


def node2vec_objective(graph, V) -> float:
    r"""Eq. 1: :math:`\mathcal{J}(V) = \sum_i \frac{1}{d_i}\sum_{j\sim i}\log p(i,j)` (maximized).

    arXiv 2510.26745, Eq. 1, with :math:`P = \mathrm{row\_softmax}(VV^\top)` including
    :math:`k = i` in the denominator. Equals :math:`\sum_{ij} Q_{ij}\log P_{ij}`.
    """
    g = as_graph(graph)
    V = embedding_arg(g, V)
    Q = dense_transition(g)
    J, _ = objective_and_operator(Q, Q > 0, V)
    return J


def lemma5_operator(graph, V) -> np.ndarray:
    r"""Lemma 5 operator :math:`C = (D^{-1}A - P) + (D^{-1}A - P)^\top`.

    With :math:`P = \mathrm{row\_softmax}(VV^\top)`. arXiv 2510.26745, Eq. 3: the exact
    gradient of Eq. 1 is :math:`\partial\mathcal{J}/\partial V = CV`, so gradient ascent
    is :math:`V \leftarrow V + \eta\,CV` (``C`` is symmetric ``n x n``).
    """
    g = as_graph(graph)
    V = embedding_arg(g, V)
    Q = dense_transition(g)
    R = Q - row_softmax(V @ V.T)
    return R + R.T


def node2vec_gradient(graph, V) -> np.ndarray:
    r"""Exact gradient :math:`\nabla_V\mathcal{J} = C V` of Eq. 1 (Lemma 5)."""
    V = embedding_arg(as_graph(graph), V)
    return lemma5_operator(graph, V) @ V


@dataclass
class DynamicsRecord:
    """One checkpoint of :func:`node2vec_dynamics` (all float64 numbers, angles in degrees)."""

    step: int
    objective: float  # Eq. 1, maximized
    loss: float  # -Eq. 1 (summed cross-entropy)
    singular_values: np.ndarray
    effective_rank: float
    numerical_rank: int  # singular values > RANK_RTOL * largest
    principal_angles_deg: np.ndarray  # predicted subspace vs top-k left singular space of V
    max_angle_deg: float
    energy_outside: float  # 1 - fraction of ||V||_F^2 in the predicted subspace
    cv_norm: float  # ||C V||_F = ||grad J||_F
    seconds: float

    def as_dict(self) -> dict:
        out = dict(self.__dict__)
        out["singular_values"] = self.singular_values.tolist()
        out["principal_angles_deg"] = self.principal_angles_deg.tolist()
        return out


def _measure(step, J, V, CV, basis, t0) -> DynamicsRecord:
    from memtheory import geometry

    s = np.linalg.svd(V, compute_uv=False)
    k = basis.shape[1]
    U = np.linalg.svd(V, full_matrices=False)[0][:, :k]
    ang = np.degrees(geometry.principal_angles(basis, U))
    inside = geometry.subspace_energy(V, basis)
    return DynamicsRecord(
        step=int(step),
        objective=J,
        loss=-J,
        singular_values=s,
        effective_rank=geometry.effective_rank(V),
        numerical_rank=int(np.sum(s > RANK_RTOL * s[0])),
        principal_angles_deg=ang,
        max_angle_deg=float(ang.max()),
        energy_outside=float(1.0 - inside),
        cv_norm=float(np.linalg.norm(CV)),
        seconds=time.perf_counter() - t0,
    )


#: default memory bound of the dense n x n routes (node2vec_dynamics, ce_fixed_point)
DENSE_MAX_BYTES = 2 << 30


def dense_dynamics_bytes(n: int, d: int) -> int:
    """Memory of one step of the exact dynamics: about eight ``n x n`` and six ``n x d`` float64
    arrays (``Q``, its mask, ``VV^T``, the softmax and its log, ``C``; ``V``, ``CV``, the SVD)."""
    return 8 * (8 * int(n) * int(n) + 6 * int(n) * int(d))


def check_dense_size(what: str, n: int, d: int, *, max_bytes) -> None:
    """Refuse, before allocating, a dense Node2Vec route whose arrays exceed ``max_bytes``.

    The message names the routes that handle larger graphs: the predicted subspace
    (:func:`memtheory.spectral.node2vec_prediction`, sparse for path-stars) and the top of the
    spectrum (:func:`memtheory.spectral.spectrum` with ``k``).
    """
    if max_bytes is None:
        return
    limit = as_int("max_bytes", max_bytes, minimum=1)
    need = dense_dynamics_bytes(n, d)
    if need > limit:
        raise ValueError(
            f"{what} is dense: n={n} nodes and d={d} need about {need / 2**30:.3g} GiB "
            f"(8 n^2 + 6 n d float64), above max_bytes = {limit / 2**30:.3g} GiB; for larger "
            "graphs use node2vec_prediction(graph, sparse=True) for the predicted subspace or "
            "spectrum(graph, k) for the top of -L"
        )


class DynamicsResult(NamedTuple):
    """What :func:`node2vec_dynamics` returns; unpacks as ``V, records``."""

    V: np.ndarray
    records: list


def node2vec_dynamics(
    graph,
    *,
    d=100,
    steps=10_000,
    lr=0.01,
    init_std=1.0,
    seed=0,
    record_every=1000,
    k=None,
    V0=None,
    max_bytes=DENSE_MAX_BYTES,
) -> DynamicsResult:
    r"""Exact full-batch gradient ascent on Eq. 1 in float64: :math:`V \leftarrow V + \eta\,CV`.

    arXiv 2510.26745, Lemma 5 (Eq. 3) and Observations 4/7: tied embeddings ``V`` (``n x d``,
    :math:`\mathcal{N}(0, \text{init\_std}^2)` from ``seed`` unless ``V0`` is given), full
    softmax, summed objective (so ``lr`` is the paper's :math:`\eta`). The released setting is
    ``d=100``, ``init_std=1``, ``lr=0.01``, ``10^4`` steps.

    Returns a :class:`DynamicsResult` ``(V, records)``: the final embeddings and a list of
    :class:`DynamicsRecord` at step 0, every ``record_every`` steps and the last step:
    objective and loss, singular values, effective rank (Roy & Vetterli), numerical rank
    (:data:`RANK_RTOL`), principal angles between the predicted subspace
    (:func:`node2vec_prediction` with ``k``) and the top-``k`` left singular vectors of ``V``,
    energy of ``V`` outside the prediction and :math:`\lVert CV\rVert_F`.

    Dense in ``n``: sizes above ``max_bytes`` (:func:`dense_dynamics_bytes`) are refused before
    anything is allocated. A run whose embedding overflows raises ``ValueError`` naming the
    parameter to blame: ``init_std`` / ``V0`` when the initial :math:`VV^\top` already
    overflows, ``lr`` when a step diverges.
    """
    g = as_graph(graph)
    d = as_int("d", d, minimum=1)
    steps = as_int("steps", steps, minimum=0)
    lr = as_float("lr", lr, 0.0, low_open=True)
    init_std = as_float("init_std", init_std, 0.0, low_open=True)
    seed = as_int("seed", seed, minimum=0)
    record_every = as_int("record_every", record_every, minimum=1)
    check_dense_size("node2vec_dynamics", g.n, d, max_bytes=max_bytes)
    Q = dense_transition(g)
    mask = Q > 0
    V = initial_embedding(g, V0, d=d, init_std=init_std, seed=seed)
    basis = node2vec_prediction(g, k)
    t0 = time.perf_counter()
    records = []
    with np.errstate(over="ignore", invalid="ignore"):
        for t in range(steps + 1):
            J, C = objective_and_operator(Q, mask, V)
            CV = C @ V
            if not (np.isfinite(J) and np.all(np.isfinite(CV))):
                _diverged(t, lr, init_std, V0 is not None)
            if t % record_every == 0 or t == steps:
                records.append(_measure(t, J, V, CV, basis, t0))
            if t == steps:
                break
            V = V + lr * CV
            if not np.all(np.isfinite(V)):
                _diverged(t + 1, lr, init_std, V0 is not None)
    return DynamicsResult(V, records)


def _diverged(step: int, lr: float, init_std: float, given_v0: bool):
    if step == 0:
        what = "V0 (its entries are too large)" if given_v0 else f"init_std={init_std:g}"
        raise ValueError(f"node2vec_dynamics: the initial embedding overflows V V^T; lower {what}")
    raise ValueError(
        f"node2vec_dynamics diverged at step {step} (the embedding overflowed): lr={lr:g} is "
        "too large for this graph; lower lr"
    )
