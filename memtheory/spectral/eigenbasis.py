r"""Node2Vec dynamics on the eigenbasis of :math:`-L`, linearized at a small initialization.

An extension (the toolkit's own question, not the paper's): *which eigenvectors of* :math:`-L`
*does Node2Vec learn first, and when?* The same reduction as the multi-index overlap dynamics
(Bietti, Bruna & Pillaud-Vivien 2023, arXiv 2310.19793), with the eigenvectors of :math:`-L`
in the role of the Hermite directions, applied to the exact dynamics
:func:`memtheory.spectral.node2vec_dynamics` of Noroozizadeh et al. 2025 (arXiv 2510.26745,
Eq. 1-3, Lemma 5).

**Overlaps.** With :math:`-L = U\Lambda U^\top` (eigenvalues descending) split into degenerate
clusters :math:`U_k` (``memtheory.eigensolvers.eigen_clusters``; inside a cluster the basis is
arbitrary, so only the cluster's norm is defined), the overlap of an embedding
:math:`V \in \mathbb R^{n\times d}` with cluster :math:`k` is
:math:`C_k(V) = \lVert U_k^\top V\rVert_F` (for a simple eigenvalue
:math:`\lVert u_k^\top V\rVert`).

**Linearization at** :math:`V = 0`. With :math:`G = VV^\top`, :math:`Q = D^{-1}A`,
:math:`J = \mathbf 1\mathbf 1^\top`: :math:`\log\sum_k e^{G_{ik}} = \log n + \frac1n\sum_k G_{ik}
+ O(G^2)` and :math:`\sum_j Q_{ij} = 1`, so Eq. 1 is

.. math:: \mathcal J(V) = -n\log n + \tfrac12\,\mathrm{tr}(V^\top M_0 V) + O(\lVert V\rVert^4),
          \qquad M_0 = Q + Q^\top - \tfrac2n J = -L + 2I - \tfrac2n J,

and the gradient :math:`CV` of Lemma 5 is :math:`M_0 V + O(\lVert V\rVert^3)` (indeed
:math:`C(0) = (Q - J/n) + (Q - J/n)^\top = M_0`, and :math:`C(V) - M_0 = O(G)`). The linearized
ascent :math:`V_{t+1} = (I + \eta M_0)V_t` is exact for the linear part. In the basis of
:math:`-L`, :math:`U^\top M_0 U = \mathrm{diag}(\lambda + 2) - \frac2n s s^\top` with
:math:`s = U^\top\mathbf 1`: diagonal plus rank one. The **reduced dynamics** keeps the diagonal,

.. math:: C_k(t) \approx C_k(0)\,(1 + \eta g_k)^t,\qquad
          g_k = \lambda_k + 2 - \frac{2}{n\,m_k}\lVert U_k^\top\mathbf 1\rVert^2

(:math:`m_k` the multiplicity): every eigen-direction grows at the eigenvalue of
:math:`D^{-1}A + (D^{-1}A)^\top` (:math:`\lambda_k + 2`), except that the softmax normalization
removes the constant direction (on a regular graph :math:`g_1 = \lambda_1 = 0` exactly, and
:math:`s_k = 0` for :math:`k > 1`, so the reduction is exact there). Directions with
:math:`\lambda_k < -2` decay. Hence clusters are **learned in the order of their** :math:`-L`
**eigenvalues** (top non-constant first: the classical spectral bias), and cluster :math:`k`
reaches :math:`K` times its initial overlap at

.. math:: t_k(K) = \frac{\ln K}{\ln(1 + \eta g_k)}\quad(g_k > 0),

independent of the initialization scale (the linear map is homogeneous); an absolute level
:math:`\ell` is reached at :math:`\ln(\ell/C_k(0))/\ln(1+\eta g_k)` with
:math:`\mathbb E\,C_k(0)^2 = \sigma^2 d\,m_k` for :math:`\mathcal N(0,\sigma^2)` entries.

**Where it breaks.** The expansion needs :math:`|G_{ij}| = |v_i\cdot v_j| \ll 1`: its relative
error is of order :math:`\max_{ij}|G_{ij}|` (not :math:`\lVert V\rVert`: the softmax averages
over :math:`n` entries, so a delocalized mode of amplitude :math:`a` breaks it at
:math:`a^2 \sim n`). :func:`linearization_break_time` predicts when the fastest cluster alone
drives :math:`\max|G_{ij}|` to :math:`\varepsilon`. Two more limits: on non-regular graphs the
rank-one term couples clusters (:attr:`EigenGrowth.coupling`), so a slow cluster eventually
picks up the faster ones' growth (the exact linear trajectory :func:`linear_overlaps` keeps the
coupling); and the large initialization of the paper (:math:`\mathcal N(0,1)`, :math:`d = 100`:
Assumption 1, :math:`P(0) \approx I`) is the other linearization, :math:`C(0) \approx -L`
(Fact 1), under which every direction but the constant one *decays* at rate
:math:`|\lambda_k|` (Proposition 10): the opposite order of events.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memtheory.checks import as_array, as_float, as_int
from memtheory.eigensolvers import CLUSTER_ATOL, dense_spectrum, eigen_clusters
from memtheory.graphs import as_graph
from memtheory.spectral.operators import DENSE_MAX_N, neg_laplacian, transition_matrix

#: default level of ``max |v_i . v_j|`` at which the linearization is said to break
BREAK_EPS = 0.1


def small_init_operator(graph) -> np.ndarray:
    r"""The gradient's Jacobian at :math:`V = 0`: :math:`M_0 = Q + Q^\top - \frac2n\mathbf 1
    \mathbf 1^\top = -L + 2I - \frac2n\mathbf 1\mathbf 1^\top` (dense ``n x n``, symmetric).

    :math:`M_0 = C(0)`, the Lemma 5 operator (arXiv 2510.26745, Eq. 3) at the uniform softmax
    :math:`P = \mathbf 1\mathbf 1^\top/n`; :math:`\nabla\mathcal J(V) = M_0V + O(\lVert
    V\rVert^3)`. Checked symbolically in ``proofs_check.spectral.small_init_linearization``.
    """
    g = as_graph(graph)
    _dense_ok(g.n)
    Q = transition_matrix(g).toarray()
    return Q + Q.T - 2.0 / g.n


def _dense_ok(n: int) -> None:
    if n > DENSE_MAX_N:
        raise ValueError(f"graph must have at most {DENSE_MAX_N} nodes (dense), got n={n}")


@dataclass(frozen=True)
class EigenGrowth:
    r"""The reduced dynamics of :func:`eigen_growth`, one entry per degenerate cluster of
    :math:`-L` (descending eigenvalue).

    ``basis`` (``n x n``) holds the eigenvectors, ``clusters`` the ``(start, stop)`` column
    ranges; ``eigenvalues`` :math:`\lambda_k`, ``multiplicity`` :math:`m_k`; ``rates``
    :math:`g_k` (growth per unit :math:`\eta`); ``coupling`` the largest
    :math:`\lVert U_k^\top M_0 U_j\rVert_2` over :math:`j \ne k` (0 on regular graphs:
    the reduction is then exact for the linear part)."""

    n: int
    basis: np.ndarray
    clusters: tuple
    eigenvalues: np.ndarray
    multiplicity: np.ndarray
    rates: np.ndarray
    coupling: np.ndarray

    def as_dict(self) -> dict:
        return {
            "eigenvalues": self.eigenvalues.tolist(),
            "multiplicity": self.multiplicity.tolist(),
            "rates": self.rates.tolist(),
            "coupling": self.coupling.tolist(),
        }


def eigen_growth(graph, *, atol: float = CLUSTER_ATOL) -> EigenGrowth:
    r"""Eigen-clusters of :math:`-L` and their linear growth rates at a small initialization.

    :math:`g_k = \mathrm{tr}(U_k^\top M_0 U_k)/m_k = \lambda_k + 2 - \frac{2}{n m_k}
    \lVert U_k^\top\mathbf 1\rVert^2` (module docstring; :func:`small_init_operator`), so that
    :math:`C_k(t) \approx C_k(0)(1+\eta g_k)^t` while :math:`\max|v_i\cdot v_j| \ll 1`.
    Extension of arXiv 2510.26745 (Lemma 5, Eq. 3) in the manner of arXiv 2310.19793.
    """
    g = as_graph(graph)
    _dense_ok(g.n)
    atol = as_float("atol", atol, 0.0)
    w, U = dense_spectrum(neg_laplacian(g).toarray())
    clusters = tuple(eigen_clusters(w, atol))
    M0 = small_init_operator(g)
    B = U.T @ M0 @ U
    rates, coupling = [], []
    for a, b in clusters:
        rates.append(float(np.trace(B[a:b, a:b]) / (b - a)))
        off = np.concatenate([B[a:b, :a], B[a:b, b:]], axis=1)
        coupling.append(float(np.linalg.norm(off, 2)) if off.size else 0.0)
    return EigenGrowth(
        n=g.n,
        basis=U,
        clusters=clusters,
        eigenvalues=np.array([w[a] for a, _ in clusters]),
        multiplicity=np.array([b - a for a, b in clusters], dtype=np.int64),
        rates=np.array(rates),
        coupling=np.array(coupling),
    )


def eigen_overlaps(graph, V) -> np.ndarray:
    r"""Overlaps :math:`C_k(V) = \lVert U_k^\top V\rVert_F` of ``V`` (``n x d``) with each
    eigen-cluster of :math:`-L` (descending eigenvalue; :func:`eigen_growth`).

    Invariant to rotations of ``V``'s columns and to the basis inside a degenerate cluster;
    :math:`\sum_k C_k^2 = \lVert V\rVert_F^2`. arXiv 2510.26745, Proposition 10 (the
    :math:`r(0)\cdot e_k` coordinates), summed over the columns and the cluster.
    ``graph`` may also be an :class:`EigenGrowth` (to reuse its basis).
    """
    eg = graph if isinstance(graph, EigenGrowth) else eigen_growth(graph)
    V = as_array("V", V, ndim=2)
    if V.shape[0] != eg.n or V.shape[1] < 1:
        raise ValueError(f"V must have shape (n={eg.n}, d >= 1), got {V.shape}")
    coords = eg.basis.T @ V
    return np.array([float(np.linalg.norm(coords[a:b])) for a, b in eg.clusters])


def linear_overlaps(graph, V0, *, lr: float, steps) -> np.ndarray:
    r"""Overlaps along the exact linearized ascent :math:`V_t = (I + \eta M_0)^t V_0`.

    Returns an array ``(len(steps), K)`` of :math:`\lVert U_k^\top (I+\eta M_0)^t V_0\rVert_F`
    for each ``t`` in ``steps`` (integers >= 0): the linear theory *with* the rank-one coupling
    between clusters that :func:`eigen_growth`'s diagonal rates drop. Valid while
    :math:`\max|v_i\cdot v_j| \ll 1` (:func:`linearization_break_time`).
    """
    g = as_graph(graph)
    eg = eigen_growth(g)
    V0 = as_array("V0", V0, ndim=2)
    if V0.shape[0] != g.n:
        raise ValueError(f"V0 must have shape (n={g.n}, d), got {V0.shape}")
    lr = as_float("lr", lr, 0.0, low_open=True)
    t = np.atleast_1d(np.asarray(steps))
    if t.ndim != 1 or not all(float(x).is_integer() and x >= 0 for x in t):
        raise ValueError(f"steps must be integers >= 0, got {steps!r}")
    mu, W = np.linalg.eigh(small_init_operator(g))
    base = 1.0 + lr * mu
    X = W.T @ V0  # coordinates in M0's eigenbasis
    P = eg.basis.T @ W  # -L basis <- M0 basis
    out = np.empty((t.size, len(eg.clusters)))
    with np.errstate(over="raise"):
        for i, ti in enumerate(t.astype(np.int64)):
            Y = P @ (np.power(base, ti)[:, None] * X)
            out[i] = [np.linalg.norm(Y[a:b]) for a, b in eg.clusters]
    return out


def crossing_times(rates, *, lr: float, factor: float) -> np.ndarray:
    r"""Steps for an overlap to grow by ``factor`` :math:`K`: :math:`\ln K/\ln(1+\eta g)`.

    ``inf`` where :math:`g \le 0` (the direction does not grow). Independent of the
    initialization scale (the linearized map is homogeneous). Module docstring; extension of
    arXiv 2510.26745, Lemma 5.
    """
    g = as_array("rates", rates, ndim=1)
    lr = as_float("lr", lr, 0.0, low_open=True)
    K = as_float("factor", factor, 1.0, low_open=True)
    out = np.full(g.shape, np.inf)
    grow = g > 0
    out[grow] = np.log(K) / np.log1p(lr * g[grow])
    return out


def level_times(rates, initial, level, *, lr: float) -> np.ndarray:
    r"""Steps for overlaps starting at ``initial`` :math:`C_k(0)` to reach the absolute
    ``level`` :math:`\ell` (scalar or per cluster): :math:`\ln(\ell/C_k(0))/\ln(1+\eta g_k)`;
    0 where already above, ``inf`` where :math:`g_k \le 0` and below. Scaling the
    initialization by :math:`c` shifts every time by :math:`-\ln c/\ln(1+\eta g_k)`."""
    g = as_array("rates", rates, ndim=1)
    c0 = as_array("initial", initial, ndim=1)
    if c0.shape != g.shape or np.any(c0 <= 0):
        raise ValueError(f"initial must hold {g.size} positive overlaps, got {c0}")
    lvl = np.broadcast_to(as_array("level", level), g.shape)
    if np.any(lvl <= 0):
        raise ValueError("level must be > 0")
    lr = as_float("lr", lr, 0.0, low_open=True)
    ratio = np.log(lvl / c0)
    out = np.where(ratio <= 0, 0.0, np.inf)
    grow = (g > 0) & (ratio > 0)
    out[grow] = ratio[grow] / np.log1p(lr * g[grow])
    return out


def expected_initial_overlaps(growth: EigenGrowth, *, init_std: float, d: int) -> np.ndarray:
    r""":math:`\sqrt{\mathbb E\,C_k(0)^2} = \sigma\sqrt{d\,m_k}` for i.i.d.
    :math:`\mathcal N(0,\sigma^2)` entries of ``V0`` (``n x d``)."""
    init_std = as_float("init_std", init_std, 0.0, low_open=True)
    d = as_int("d", d, minimum=1)
    return init_std * np.sqrt(d * growth.multiplicity.astype(float))


def linearization_break_time(
    graph, *, lr: float, init_std: float, d: int, eps: float = BREAK_EPS
) -> float:
    r"""Predicted step at which the fastest cluster alone drives :math:`\max_{ij}|v_i\cdot v_j|`
    to ``eps``: the end of the linear phase.

    The fastest cluster :math:`k^*` (largest :math:`g_k`) contributes
    :math:`|v_i\cdot v_j| \le \lVert(U_{k^*})_{i}\rVert\,\lVert(U_{k^*})_{j}\rVert\,C_{k^*}^2`,
    so with :math:`b_0 = \max_i\lVert(U_{k^*})_{i}\rVert^2\,\sigma^2 d\,m_{k^*}` (expected
    initial overlap) the level is reached at
    :math:`t_\mathrm{break} = \ln(\varepsilon/b_0)\,/\,(2\ln(1+\eta g_{k^*}))`. The relative
    error of :math:`\nabla\mathcal J \approx M_0V` is of order :math:`\max|v_i\cdot v_j|`.
    ``inf`` if no cluster grows.
    """
    eg = eigen_growth(graph)
    lr = as_float("lr", lr, 0.0, low_open=True)
    eps = as_float("eps", eps, 0.0, 1.0, low_open=True)
    c0 = expected_initial_overlaps(eg, init_std=init_std, d=d)
    top = int(np.argmax(eg.rates))
    if eg.rates[top] <= 0:
        return float("inf")
    a, b = eg.clusters[top]
    rows = float(np.max(np.sum(eg.basis[:, a:b] ** 2, axis=1)))
    b0 = rows * c0[top] ** 2
    if b0 >= eps:
        return 0.0
    return float(np.log(eps / b0) / (2.0 * np.log1p(lr * eg.rates[top])))


def max_gram(V) -> float:
    r""":math:`\max_{ij}|v_i\cdot v_j|` (the linearization's error scale; module docstring)."""
    V = as_array("V", V, ndim=2)
    return float(np.max(np.abs(V @ V.T)))


def linearization_error(graph, V) -> float:
    r"""Relative error :math:`\lVert C(V)V - M_0V\rVert_F/\lVert M_0V\rVert_F` of the linearized
    gradient (Lemma 5's :math:`C(V)`, arXiv 2510.26745 Eq. 3, against
    :func:`small_init_operator`). Of order :math:`\max_{ij}|v_i\cdot v_j|` for small ``V``."""
    from memtheory.spectral.node2vec import node2vec_gradient

    g = as_graph(graph)
    V = as_array("V", V, ndim=2)
    lin = small_init_operator(g) @ V
    denom = float(np.linalg.norm(lin))
    if denom == 0.0:
        raise ValueError("V must not lie in the null space of M0 (M0 V = 0)")
    return float(np.linalg.norm(node2vec_gradient(g, V) - lin) / denom)
