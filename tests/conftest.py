import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "default",
    deadline=None,
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=25,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci" if os.environ.get("CI") else "default")

#: Tolerances of the numerical tests, keyed by dtype. ``exact``: a closed form evaluated in that
#: precision against an independent evaluation; ``solver``: an iterative solver (eigensolvers,
#: brentq round trips) against a reference. Tests take them from :func:`tolerance` instead of
#: writing their own numbers, so a precision change is made in one place.
TOLERANCES = {
    "float64": {
        "exact": {"rtol": 1e-12, "atol": 1e-12},
        "solver": {"rtol": 1e-7, "atol": 1e-10},
    },
    "float32": {
        "exact": {"rtol": 1e-5, "atol": 1e-6},
        "solver": {"rtol": 1e-4, "atol": 1e-5},
    },
}


def tolerance(dtype="float64", kind="exact") -> dict:
    """``{"rtol": ..., "atol": ...}`` for ``numpy.testing.assert_allclose``."""
    import numpy as np

    return dict(TOLERANCES[np.dtype(dtype).name][kind])
