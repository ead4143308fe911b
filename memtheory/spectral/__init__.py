r"""Spectral theory of geometric memory: the paper's Laplacian, Node2Vec dynamics, NetMF.

Source: Noroozizadeh, Nagarajan, Rosenfeld & Kumar (2025), "Deep sequence models tend to
memorize geometrically; it is unclear why", arXiv 2510.26745, Section 4 and Appendix F
(Eq. 1-4, Lemma 5, Observations 4 and 7, Remark 2); NetMF (Qiu et al. 2018, arXiv 1710.02971)
and InfiniteWalk (Chanpuriya & Musco 2020, arXiv 2006.00094).

Notation: :math:`A` adjacency, :math:`D` degrees, :math:`Q = D^{-1}A` (row-stochastic),
:math:`L = (I - Q) + (I - Q)^\top`, so :math:`-L = Q + Q^\top - 2I` is symmetric and its
eigenvectors are orthonormal. Node2Vec maximizes (Eq. 1)

.. math:: \mathcal{J}(V) = \sum_i \frac{1}{d_i}\sum_{j\sim i}\log p(i,j),\qquad
          P = \mathrm{row\_softmax}(VV^\top),

whose exact gradient is :math:`\nabla\mathcal{J} = C V` with
:math:`C = (Q - P) + (Q - P)^\top` (Lemma 5); gradient *ascent* is :math:`V \leftarrow V +
\eta\,CV`.

The predicted rank (:func:`predicted_rank`) is an *empirical* rule found from the exact dynamics;
where it fails is documented in ``docs/theory/spectral.md`` (the paper names the fixed point an
open problem).

CLI: ``python -m memtheory.spectral --graph cycle:15 [--k K] [--dynamics --steps N] [--json]``.

Modules: :mod:`~memtheory.spectral.operators`, :mod:`~memtheory.spectral.path_star`,
:mod:`~memtheory.spectral.prediction`, :mod:`~memtheory.spectral.node2vec`,
:mod:`~memtheory.spectral.fixed_point`, :mod:`~memtheory.spectral.walks`,
:mod:`~memtheory.spectral.eigenbasis` (small-initialization dynamics on the eigenbasis of -L) and
:mod:`~memtheory.spectral.cli`; every public name is re-exported here.
"""

from memtheory.eigensolvers import CLUSTER_ATOL, eigen_clusters, top_eigenpairs
from memtheory.graphs import TINY_GRAPHS
from memtheory.spectral.cli import Observation4Row, main, observation4_row
from memtheory.spectral.eigenbasis import (
    BREAK_EPS,
    EigenGrowth,
    crossing_times,
    eigen_growth,
    eigen_overlaps,
    expected_initial_overlaps,
    level_times,
    linear_overlaps,
    linearization_break_time,
    linearization_error,
    max_gram,
    small_init_operator,
)
from memtheory.spectral.fixed_point import FixedPoint, ce_fixed_point
from memtheory.spectral.node2vec import (
    DENSE_MAX_BYTES,
    DynamicsRecord,
    DynamicsResult,
    lemma5_operator,
    node2vec_dynamics,
    node2vec_gradient,
    node2vec_objective,
    row_softmax,
)
from memtheory.spectral.operators import (
    DENSE_MAX_N,
    RANK_RTOL,
    laplacian,
    neg_laplacian,
    normalized_adjacency,
    spectrum,
    transition_matrix,
)
from memtheory.spectral.prediction import node2vec_prediction, predicted_rank
from memtheory.spectral.walks import (
    deepwalk_filter,
    infinitewalk_matrix,
    line_matrix,
    netmf_matrix,
)

__all__ = [
    "DENSE_MAX_N",
    "CLUSTER_ATOL",
    "RANK_RTOL",
    "transition_matrix",
    "laplacian",
    "neg_laplacian",
    "normalized_adjacency",
    "spectrum",
    "top_eigenpairs",
    "eigen_clusters",
    "node2vec_prediction",
    "predicted_rank",
    "row_softmax",
    "node2vec_objective",
    "lemma5_operator",
    "node2vec_gradient",
    "node2vec_dynamics",
    "DynamicsRecord",
    "FixedPoint",
    "ce_fixed_point",
    "deepwalk_filter",
    "netmf_matrix",
    "line_matrix",
    "infinitewalk_matrix",
    "TINY_GRAPHS",
    "observation4_row",
    "Observation4Row",
    "DynamicsResult",
    "DENSE_MAX_BYTES",
    "main",
    "BREAK_EPS",
    "EigenGrowth",
    "eigen_growth",
    "eigen_overlaps",
    "small_init_operator",
    "linear_overlaps",
    "crossing_times",
    "level_times",
    "expected_initial_overlaps",
    "linearization_break_time",
    "linearization_error",
    "max_gram",
]
