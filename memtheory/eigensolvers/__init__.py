r"""Eigen-solvers for the top of a sparse symmetric spectrum, cluster-aware.

:func:`top_eigenpairs` returns the top eigenpairs of a large sparse symmetric matrix (in this
toolkit :math:`-L`, see :mod:`memtheory.spectral`) without cutting a degenerate cluster at the
requested count. Three routes:

* shift-invert about a shift *proved* above :math:`\lambda_{\max}` by a banded Cholesky
  factorization (graphs with a small reverse Cuthill-McKee bandwidth: grids, paths, cycles);
* Chebyshev-filtered Lanczos (every other graph, e.g. random graphs): implicitly restarted
  Lanczos (ARPACK) on :math:`T_d(\hat M)`, where :math:`\hat M` maps the unwanted part of the
  spectrum onto :math:`[-1, 1]` (Saad, *Numerical Methods for Large Eigenvalue Problems*, 2nd
  ed. 2011, Sec. 8.3; Zhou & Saad 2007, "A Chebyshev-Davidson algorithm");
* plain implicitly restarted Lanczos (ARPACK), kept as a reference.

Numerical analysis only: no paper's formula lives here. Measurements are in
``docs/theory/spectral.md`` ("Benchmark") and ``benchmarks/spectral.py``.

Modules: :mod:`~memtheory.eigensolvers.clusters`, :mod:`~memtheory.eigensolvers.top`,
:mod:`~memtheory.eigensolvers.shift_invert`, :mod:`~memtheory.eigensolvers.filtered` and
:mod:`~memtheory.eigensolvers.parallel`.
"""

from memtheory.eigensolvers.clusters import (
    CLUSTER_ATOL,
    cluster_end,
    dense_spectrum,
    eigen_clusters,
)
from memtheory.eigensolvers.top import SYMMETRY_RTOL, Eigenpairs, top_eigenpairs

__all__ = [
    "CLUSTER_ATOL",
    "SYMMETRY_RTOL",
    "Eigenpairs",
    "cluster_end",
    "dense_spectrum",
    "eigen_clusters",
    "top_eigenpairs",
]
