r"""Path-star graphs: the exact arm-symmetry reduction of :math:`-L` (arXiv 2510.26745, App. F).

A symmetric mode is :math:`(r, y/\sqrt d, \dots, y/\sqrt d)`, an antisymmetric one
:math:`c_a y_j` with :math:`\sum_a c_a = 0`; the characteristic polynomial factors as
:math:`p_{sym}(x)\,p_{anti}(x)^{d-1}` (checked in ``proofs_check.spectral``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from memtheory.eigensolvers import CLUSTER_ATOL, cluster_end
from memtheory.graphs import Graph


def path_star_structure(g: Graph):
    """Return (root, arms) if ``g`` is exactly a path-star with its ``meta``, else None."""
    meta = g.meta or {}
    if "arms" not in meta or "root" not in meta:
        return None
    arms = np.asarray(meta["arms"], dtype=np.int64)
    root = int(meta["root"])
    if arms.ndim != 2 or arms.shape[0] < 2 or 1 + arms.size != g.n:
        return None
    want = np.concatenate(
        [
            np.stack([np.full(arms.shape[0], root), arms[:, 0]], axis=1),
            np.stack([arms[:, :-1].ravel(), arms[:, 1:].ravel()], axis=1),
        ]
    )
    if want.shape[0] != g.m:
        return None

    def keys(e):
        return np.sort(np.minimum(e[:, 0], e[:, 1]) * g.n + np.maximum(e[:, 0], e[:, 1]))

    if not np.array_equal(keys(want), keys(g.edges)):
        return None
    return root, arms


def path_star_blocks(d: int, k: int):
    """Symmetric ((k+1)x(k+1)) and antisymmetric (k x k) blocks of -L on a path-star.

    Nodes at depth 1..k on each arm (degree 2, the leaf degree 1), root degree d. A symmetric
    mode is (r, y/sqrt(d) on every arm); an antisymmetric one is c_a * y_j with sum(c) = 0.
    """
    deg = np.full(k, 2.0)
    deg[-1] = 1.0
    off = 1.0 / deg[:-1] + 1.0 / deg[1:]
    anti = np.diag(np.full(k, -2.0)) + np.diag(off, 1) + np.diag(off, -1)
    sym = np.zeros((k + 1, k + 1))
    sym[1:, 1:] = anti
    sym[0, 0] = -2.0
    sym[0, 1] = sym[1, 0] = np.sqrt(d) * (1.0 / d + 1.0 / deg[0])
    return sym, anti


def path_star_eigenvalues(d: int, depth: int) -> np.ndarray:
    """All n eigenvalues of -L on a path-star, descending (antisymmetric ones d-1 times)."""
    sym, anti = path_star_blocks(d, depth)
    w = np.concatenate([np.linalg.eigvalsh(sym), np.repeat(np.linalg.eigvalsh(anti), d - 1)])
    return np.sort(w)[::-1]


def haar_sum_zero(d: int) -> sp.csc_matrix:
    """Sparse orthonormal basis (d x (d-1)) of {c : sum(c) = 0}: a generalized Haar basis.

    Each column is +1/|L| on a block L and -1/|R| on the adjacent block R (normalized);
    O(d log d) non-zeros in all.
    """
    rows, cols, vals = [], [], []
    stack = [(0, d)]
    col = 0
    while stack:
        a, b = stack.pop()
        if b - a < 2:
            continue
        mid = (a + b) // 2
        nl, nr = mid - a, b - mid
        norm = np.sqrt(1.0 / nl + 1.0 / nr)
        rows.append(np.arange(a, b))
        cols.append(np.full(b - a, col))
        vals.append(np.concatenate([np.full(nl, 1.0 / nl), np.full(nr, -1.0 / nr)]) / norm)
        col += 1
        stack.extend([(a, mid), (mid, b)])
    return sp.csc_matrix(
        (np.concatenate(vals), (np.concatenate(rows), np.concatenate(cols))), shape=(d, d - 1)
    )


def path_star_top(g: Graph, ps, k: int):
    """Top eigenvalues (cluster-complete) and a sparse orthonormal basis, by symmetry."""
    root, arms = ps
    d, depth = arms.shape
    sym, anti = path_star_blocks(d, depth)
    ws, Ys = np.linalg.eigh(sym)
    wa, Ya = np.linalg.eigh(anti)
    # merge: each antisymmetric eigenvalue carries multiplicity d-1
    labels = [("s", i, ws[i]) for i in range(ws.size)] + [("a", i, wa[i]) for i in range(wa.size)]
    labels.sort(key=lambda t: -t[2])
    mult = np.array([1 if t[0] == "s" else d - 1 for t in labels])
    vals = np.array([t[2] for t in labels])
    full = np.repeat(vals, mult)
    kend = cluster_end(full, k, CLUSTER_ATOL)
    H = haar_sum_zero(d)
    node_of = arms.ravel()  # arm a, depth j -> node id (row-major a*depth + j)
    blocks, out_w = [], []
    count = 0
    for kind, i, lam in labels:
        if count >= kend:
            break
        if kind == "s":
            y = Ys[:, i]
            rows = np.concatenate([[root], node_of])
            data = np.concatenate([[y[0]], np.tile(y[1:] / np.sqrt(d), d)])
            col = sp.csc_matrix((data, (rows, np.zeros(rows.size, int))), shape=(g.n, 1))
            blocks.append(col)
            out_w.append(lam)
            count += 1
        else:
            y = Ya[:, i]
            K = sp.kron(H, sp.csc_matrix(y.reshape(-1, 1)), format="coo")  # (d*depth, d-1)
            col = sp.csc_matrix((K.data, (node_of[K.row], K.col)), shape=(g.n, d - 1))
            blocks.append(col)
            out_w.extend([lam] * (d - 1))
            count += d - 1
    return np.array(out_w), sp.hstack(blocks, format="csc")
