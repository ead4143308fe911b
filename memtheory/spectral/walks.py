r"""Walk embeddings as matrix factorizations: the DeepWalk filter, NetMF, LINE and InfiniteWalk
(Qiu et al. 2018, arXiv 1710.02971; Chanpuriya & Musco 2020, arXiv 2006.00094)."""

from __future__ import annotations

import numpy as np
import scipy.linalg as sla

from memtheory.checks import as_array, as_choice, as_float, as_int
from memtheory.graphs import Graph, as_graph
from memtheory.spectral.operators import degrees_for_inverse, normalized_adjacency


def deepwalk_filter(lam, T):
    r"""DeepWalk spectral filter :math:`f(\lambda) = \frac1T\sum_{r=1}^T\lambda^r =
    \frac{\lambda(1-\lambda^T)}{(1-\lambda)T}`, with :math:`f(1) = 1`.

    NetMF (Qiu et al. 2018, arXiv 1710.02971, Section 3); for :math:`\lambda > 0` evaluated as
    :math:`-\lambda\,\mathrm{expm1}(T\log\lambda)/((1-\lambda)T)` (no cancellation near 1),
    for :math:`\lambda \le 0` by the closed form. Accepts a scalar or an array.
    """
    T = as_int("T", T, minimum=1)
    arr = as_array("lam", lam)
    lam_a = np.atleast_1d(arr).astype(np.float64)
    out = np.empty_like(lam_a)
    one = lam_a == 1.0
    pos = (lam_a > 0) & ~one
    neg = lam_a <= 0
    lp = lam_a[pos]
    out[pos] = -lp * np.expm1(T * np.log(lp)) / ((1.0 - lp) * T)
    ln = lam_a[neg]
    out[neg] = ln * (1.0 - ln**T) / ((1.0 - ln) * T)
    out[one] = 1.0
    return float(out[0]) if arr.ndim == 0 else out.reshape(arr.shape)


def _dense_guard(g: Graph, what: str, limit: int = 5000):
    if g.n > limit:
        raise ValueError(
            f"graph has n={g.n} nodes; {what} is dense and needs n <= {limit}; for larger "
            "graphs filter the top of the spectrum instead (spectrum(graph, k) with "
            "deepwalk_filter on its eigenvalues, NetMF's approximation for large windows)"
        )


def netmf_matrix(graph, *, T=10, b=1.0, log: str = "truncated"):
    r"""NetMF matrix of DeepWalk with window ``T`` and ``b`` negatives (arXiv 1710.02971, Thm 2).

    .. math:: M = \frac{\mathrm{vol}(G)}{bT}\Big(\sum_{r=1}^{T}(D^{-1}A)^r\Big)D^{-1},

    returned as :math:`\log\max(M, 1)` (``log="truncated"``, the authors' xptree/NetMF code),
    :math:`\log M` (``log="plain"``, ``-inf`` where :math:`M = 0`) or :math:`M` (``log="none"``).
    ``T = 1`` is LINE (:func:`line_matrix`). Dense; ``n <= 5000``.
    """
    g = as_graph(graph)
    T = as_int("T", T, minimum=1)
    b = as_float("b", b, 0.0, low_open=True)
    as_choice("log", log, ("truncated", "plain", "none"))
    _dense_guard(g, "the NetMF matrix")
    d = degrees_for_inverse(g)
    A = g.adjacency().toarray()
    P = A / d[:, None]
    S = np.zeros_like(P)
    Pr = np.eye(g.n)
    for _ in range(T):
        Pr = Pr @ P
        S += Pr
    M = (d.sum() / (b * T)) * S / d[None, :]
    if log == "none":
        return M
    if log == "truncated":
        return np.log(np.maximum(M, 1.0))
    with np.errstate(divide="ignore"):
        return np.log(M)


def line_matrix(graph, b=1.0, log: str = "truncated"):
    r"""LINE (NetMF with ``T = 1``): :math:`\log(\mathrm{vol}(G)\,D^{-1}AD^{-1}) - \log b`.

    arXiv 1710.02971, Section 3.1; ``log`` as in :func:`netmf_matrix`.
    """
    return netmf_matrix(graph, T=1, b=b, log=log)


def infinitewalk_matrix(graph):
    r"""InfiniteWalk limit :math:`M_\infty = J + \mathrm{vol}(G)\,D^{-1/2}(L_{\mathrm{sym}}^{+} -
    I)D^{-1/2}` (Chanpuriya & Musco 2020, arXiv 2006.00094, Eq. 6).

    :math:`L_{\mathrm{sym}} = I - D^{-1/2}AD^{-1/2}`, :math:`J` all-ones; the graph must be
    connected. On a non-bipartite graph it is the limit :math:`M_\infty = \lim_{T\to\infty}
    T\,(M_T - J)` of the NetMF matrix (:func:`netmf_matrix` with ``b = 1``, ``log="none"``),
    since :math:`\frac1T\sum_{r\le T}\lambda^r \cdot T \to \lambda/(1-\lambda)`. Dense;
    ``n <= 5000``.
    """
    g = as_graph(graph)
    _dense_guard(g, "the InfiniteWalk matrix")
    d = degrees_for_inverse(g)
    if not g.is_connected():
        raise ValueError("graph must be connected for the InfiniteWalk limit matrix")
    Ls = np.eye(g.n) - normalized_adjacency(g).toarray()
    Lp = sla.pinvh(Ls)
    s = 1.0 / np.sqrt(d)
    return np.ones((g.n, g.n)) + d.sum() * (s[:, None] * (Lp - np.eye(g.n)) * s[None, :])
