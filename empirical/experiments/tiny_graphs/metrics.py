r"""What the tiny-graphs experiment measures on one model state (numpy, float64).

``E``: the ``n`` node rows of the tied token embedding; ``Z``: the ``n x n`` logit matrix of the
model for input ``[EDGE] u``, node columns only. Noroozizadeh et al. 2025 (arXiv 2510.26745),
§C.3 and the released tiny-graph analysis code (notes §6.2); the definitions are listed in
``docs/experiments/tiny_graphs.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from empirical.experiments.tiny_graphs.config import GEOMETRY_FRACTION


@dataclass
class GraphInfo:
    """A graph with the edge lists and eigen-bases the metrics need."""

    spec: str
    graph: object
    eigvals: np.ndarray  # eigenvalues of -L, descending
    eigvecs: np.ndarray  # (n, n) orthonormal eigenvectors of -L
    predicted: np.ndarray  # (n, k) basis of the predicted Node2Vec subspace
    zigzag: np.ndarray  # (n, z) eigenvectors of S = D^-1A + (D^-1A)^T with eigenvalue < 0
    cos_edges: np.ndarray  # directed edges, both directions, no self-edges

    @property
    def spectral_baseline(self) -> float:
        return self.predicted.shape[1] / self.graph.n

    @property
    def zigzag_baseline(self) -> float:
        return self.zigzag.shape[1] / self.graph.n

    def train_edges(self, self_edges: bool) -> np.ndarray:
        return self.graph.directed_edges("both", self_edges=self_edges)


def graph_info(spec: str) -> GraphInfo:
    r"""Spectrum of :math:`-L = D^{-1}A + (D^{-1}A)^\top - 2I` (paper Eq. 3), the predicted
    Node2Vec subspace (``memtheory.spectral.node2vec_prediction``) and the zigzag directions:
    eigenvectors of :math:`S = -L + 2I` with eigenvalue below :math:`-10^{-9}\max|\lambda(S)|`
    (notes §10.2)."""
    from memtheory import spectral
    from memtheory.graphs import parse_graph

    graph = parse_graph(spec)
    vals, vecs = spectral.spectrum(graph)
    vals, vecs = np.asarray(vals, dtype=np.float64), np.asarray(vecs, dtype=np.float64)
    predicted = np.asarray(spectral.node2vec_prediction(graph), dtype=np.float64)
    s_vals = vals + 2.0  # eigenvalues of S = D^-1 A + (D^-1 A)^T
    tol = 1e-9 * max(1.0, float(np.max(np.abs(s_vals))))
    zig = vecs[:, s_vals < -tol]
    return GraphInfo(spec, graph, vals, vecs, predicted, zig, graph.directed_edges("both"))


def logit_diagonal_skew(E, Z) -> np.ndarray:
    r""":math:`Z' = \sum_i (u_i^\top Z u_i)\,u_i u_i^\top` over the left singular vectors
    :math:`u_i` of ``E`` (nonzero singular values): the part of ``Z`` diagonal in the
    embedding's singular basis. For ``Z = E W E^T`` it equals the released skewed logits
    :math:`E V_h^\top\mathrm{diag}(V_h W V_h^\top) V_h E^\top` (notes §6.2)."""
    U, s, _ = np.linalg.svd(np.asarray(E, dtype=np.float64), full_matrices=False)
    U = U[:, s > s[0] * 1e-10] if s[0] > 0 else U[:, :0]
    d = np.einsum("ki,kl,li->i", U, np.asarray(Z, dtype=np.float64), U)
    return (U * d) @ U.T


def measure(info: GraphInfo, E, Z, self_edges: bool, W=None, b=None) -> dict:
    r"""All tracked metrics of one model state (node embeddings ``E``, node logits ``Z``).

    * ``topk_recovery``: top-deg edge recovery from ``Z`` (the paper's memorization
      criterion, App. B.2.2); ``embedding_topk_recovery``: the same from :math:`EE^\top`;
    * ``mean_edge_cosine``: mean of :math:`\cos(E_u, E_v)` over directed graph edges;
    * ``spectral_energy`` / ``zigzag_energy``: :math:`\lVert P E\rVert_F^2/\lVert E\rVert_F^2`
      for the projector :math:`P` on the predicted Node2Vec subspace / the zigzag directions;
    * ``effective_rank`` of ``E``;
    * ``skewed_top1`` / ``skewed_margin`` and ``full_top1`` / ``full_margin``.

    ``W``/``b``: the 1-layer network's core and bias (logits ``(E_u W^T + b) E^T``); when given
    the skew is the exact ``skewed_low_rank(E, W^T, b)``, else :func:`logit_diagonal_skew`.
    The skewed and full top-1 / margin scores always use the graph's edges with the diagonal
    excluded ("self excluded", as the released code), also for models trained with
    self-edges; otherwise a self-edge would make every top-1 trivially right.
    """
    from memtheory import geometry as geo

    E = np.asarray(E, dtype=np.float64)
    Z = np.asarray(Z, dtype=np.float64)
    curve = measure_curve(info, E, Z, self_edges)
    edges = info.train_edges(self_edges)
    out = {
        "topk_recovery": curve["topk_recovery"],
        "embedding_topk_recovery": geo.topk_edge_recovery(E, edges, self_edges=self_edges),
        **{k: curve[k] for k in ("mean_edge_cosine", "spectral_energy", "zigzag_energy")},
        "effective_rank": geo.effective_rank(E),
    }
    if W is not None:
        sk = geo.skewed_low_rank(E, np.asarray(W).T, info.cos_edges, b=b, self_edges=False)
        out.update(
            skewed_top1=sk.top1_acc,
            skewed_margin=sk.margin,
            full_top1=sk.full_top1_acc,
            full_margin=sk.full_margin,
        )
    else:
        sk = geo.edge_top1_margin(logit_diagonal_skew(E, Z), info.cos_edges, False)
        full = geo.edge_top1_margin(Z, info.cos_edges, False)
        out.update(
            skewed_top1=sk.top1_acc,
            skewed_margin=sk.margin,
            full_top1=full.top1_acc,
            full_margin=full.margin,
        )
    return {k: float(v) for k, v in out.items()}


def measure_curve(info: GraphInfo, E, Z, self_edges: bool) -> dict:
    """The metrics logged at intermediate steps (``topk_recovery``, ``mean_edge_cosine``,
    ``spectral_energy``, ``zigzag_energy``; :func:`measure` adds the rest): what the claims
    read over training (top-deg recovery: memorization and its step; spectral energy: the
    geometry's timescale) and what the curve figures draw. The skewed scores, effective rank
    and embedding recovery are measured at the final step only."""
    from memtheory import geometry as geo

    E = np.asarray(E, dtype=np.float64)
    out = {
        "topk_recovery": geo.topk_edge_recovery(
            scores=np.asarray(Z, dtype=np.float64),
            edges=info.train_edges(self_edges),
            self_edges=self_edges,
        ),
        "mean_edge_cosine": geo.mean_edge_cosine(E, info.cos_edges),
        "spectral_energy": geo.subspace_energy(E, info.predicted),
        "zigzag_energy": geo.subspace_energy(E, info.zigzag) if info.zigzag.shape[1] else 0.0,
    }
    return {k: float(v) for k, v in out.items()}


def spectral_profile(info: GraphInfo, E) -> list[float]:
    """Energy fraction of ``E`` on each eigenvector of -L (descending eigenvalue): the released
    spectral-bias bars (notes §6.2)."""
    from memtheory.geometry import spectral_energy

    return [float(x) for x in spectral_energy(E, info.eigvecs)]


def first_step(history: list[dict], key: str, threshold: float):
    """First recorded step with ``history[key] >= threshold`` (``None`` if never)."""
    for row in history:
        if row[key] >= threshold - 1e-12:
            return int(row["step"])
    return None


def steps_to_geometry(history: list[dict], fraction: float = GEOMETRY_FRACTION):
    """First step at which ``spectral_energy`` has made ``fraction`` of its final gain over
    step 0 (``None`` when it did not grow)."""
    e0, e1 = history[0]["spectral_energy"], history[-1]["spectral_energy"]
    if not e1 > e0:
        return None
    return first_step(history, "spectral_energy", e0 + fraction * (e1 - e0))


def steps_to_peak_geometry(history: list[dict], fraction: float = GEOMETRY_FRACTION):
    """First step at which ``spectral_energy`` has made ``fraction`` of its *peak* gain over
    step 0 (``None`` when it never rose). The energy need not rise monotonically (it peaks near
    the end of memorization and falls as the zigzag energy grows back), so the time to its
    peak, not to its final value, is when the geometry formed."""
    e0 = history[0]["spectral_energy"]
    peak = max(h["spectral_energy"] for h in history)
    if not peak > e0:
        return None
    return first_step(history, "spectral_energy", e0 + fraction * (peak - e0))


def peak(record: dict) -> tuple[int | None, float]:
    """(step, value) of the largest logged ``spectral_energy`` of a record (the final value,
    step ``None``, for a record without history)."""
    if not record.get("history"):
        return None, float(record["spectral_energy"])
    row = max(record["history"], key=lambda h: h["spectral_energy"])
    return int(row["step"]), float(row["spectral_energy"])
