"""Passing and failing made-up results for the teleport claims."""


def _quad(kappa, seed, **kw):
    row = {
        "seed": seed,
        "kappa": kappa,
        "gain": 1.0,
        "max_grad_ratio": 1.0,
        "one_step_distance": 1e-9,
        "kkt_residual": 1e-9,
        "rate_bound_ratio": {"none": 0.1, "every": 0.05},
    }
    row.update(kw)
    return row


def _sep(p, seed=0):
    return {
        "seed": seed,
        "tail_exponent": p,
        "tail_step_ratio": 0.9995,
        "f_final": 1e-3,
        "steps": 2000,
    }


def _result(quad=None, logi=None, sep=None):
    quad = quad or [_quad(1.0, s) for s in range(3)] + [
        _quad(10.0, s, gain=g) for s, g in enumerate((1.5, 1.7, 1.9))
    ]
    logi = logi or [
        {"seed": s, "kkt_residual": 1e-9, "distance_ratio": r, "suboptimality_ratio": 1e3}
        for s, r in enumerate((0.9, 1.1, 0.8))
    ]
    sep = sep or [_sep(p, s) for s, p in enumerate((0.95, 1.0, 1.05))]
    return {"quadratic": quad, "logistic": logi, "separable": sep}


GOOD = _result()
CASES = {
    "teleport.kkt-eigenvector": (
        GOOD,
        _result(quad=[_quad(1.0, 0), _quad(10.0, 0, kkt_residual=1e-3)]),
    ),
    "teleport.quadratic-max-grad": (
        GOOD,
        _result(quad=[_quad(10.0, 0, max_grad_ratio=0.9)]),
    ),
    "teleport.no-gain-isotropic": (GOOD, _result(quad=[_quad(1.0, 0, gain=1.01)])),
    "teleport.gain-with-curvature": (
        GOOD,
        _result(quad=[_quad(10.0, s, gain=g) for s, g in enumerate((0.9, 1.1, 1.0))]),
    ),
    "teleport.convex-rate-bound": (
        GOOD,
        _result(quad=[_quad(10.0, 0, rate_bound_ratio={"none": 0.5, "every": 1.2})]),
    ),
    "teleport.farther-from-minimizer": (
        GOOD,
        _result(
            logi=[{"seed": 0, "kkt_residual": 0, "distance_ratio": 0.9, "suboptimality_ratio": 1e3}]
        ),
    ),
    "teleport.gd-sublinear-tail": (GOOD, _result(sep=[_sep(1.0), _sep(4.0, 1)])),
    "teleport.logistic-every-other-step": (
        GOOD,
        _result(
            logi=[{"seed": 0, "kkt_residual": 0, "distance_ratio": 1.1, "suboptimality_ratio": 2.0}]
        ),
    ),
}
