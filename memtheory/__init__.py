"""memtheory: closed-form theory of associative and geometric memory (numpy/scipy only).

Submodules are imported on demand so that ``import memtheory`` stays fast and never loads
torch, sympy or matplotlib::

    from memtheory import graphs, spectral, eigensolvers, geometry, capacity, scaling, dynamics
    from memtheory import teleport, normalization, multi_index, counting, numbers, periodic_pde
"""

import importlib

__version__ = "0.1.0"
_SUBMODULES = (
    "graphs",
    "spectral",
    "eigensolvers",
    "geometry",
    "capacity",
    "scaling",
    "dynamics",
    "teleport",
    "normalization",
    "multi_index",
    "counting",
    "numbers",
    "periodic_pde",
)
__all__ = list(_SUBMODULES)


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
