"""Rotation-invariant comparisons of embeddings and diagnostics of geometric memory.

Embeddings are defined only up to an orthogonal rotation of their columns (``X -> X Q``), so
runs and seeds are compared here only through quantities that do not see ``Q``: principal
angles, subspace / spectral energy fractions, Procrustes distance, linear CKA and ranks
(Noroozizadeh, Nagarajan, Rosenfeld & Kumar 2025, "Deep sequence models tend to memorize
geometrically; it is unclear why", arXiv 2510.26745; ``docs/theory/geometry.md``).

The memory diagnostics follow the paper (section 6.1: leaf/first-hop heatmap, path-by-path
distance matrix) and the authors' released tiny-graph analysis code (``docs/theory/geometry.md``:
"geometric level" = mean edge cosine, top-k edge recovery, the "skewed low-rank" decomposition
of a one-layer logit matrix).

Conventions: every embedding matrix is ``(n, m)``, one row per node; edge lists are ``(k, 2)``
integer arrays of *directed* edges ``(u, v)`` (build them with
:meth:`memtheory.graphs.Graph.directed_edges`); everything is computed in float64.

Modules: :mod:`~memtheory.geometry.subspaces`, :mod:`~memtheory.geometry.edge_metrics` and
:mod:`~memtheory.geometry.path_star_metrics`; every public name is re-exported here.
"""

from memtheory.geometry.arguments import TIE_RTOL
from memtheory.geometry.edge_metrics import (
    SampledRecovery,
    SkewedLowRank,
    Top1Margin,
    edge_top1_margin,
    mean_edge_cosine,
    skewed_low_rank,
    topk_edge_recovery,
    topk_edge_recovery_sampled,
)
from memtheory.geometry.path_star_metrics import (
    LeafHopContrast,
    leaf_first_hop_contrast,
    path_distance_matrix,
)
from memtheory.geometry.subspaces import (
    ORTHONORMAL_ATOL,
    column_space,
    effective_rank,
    linear_cka,
    numerical_rank,
    principal_angles,
    procrustes_distance,
    spectral_energy,
    subspace_energy,
)

__all__ = [
    "TIE_RTOL",
    "ORTHONORMAL_ATOL",
    "column_space",
    "principal_angles",
    "subspace_energy",
    "spectral_energy",
    "procrustes_distance",
    "linear_cka",
    "effective_rank",
    "numerical_rank",
    "mean_edge_cosine",
    "topk_edge_recovery",
    "topk_edge_recovery_sampled",
    "SampledRecovery",
    "Top1Margin",
    "edge_top1_margin",
    "SkewedLowRank",
    "skewed_low_rank",
    "LeafHopContrast",
    "leaf_first_hop_contrast",
    "path_distance_matrix",
]
