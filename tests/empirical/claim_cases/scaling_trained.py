"""Made-up trained-grid results: one passing and one failing per claim (see ``__init__``)."""

CONFIG = {"tokens": 100, "answers": 5, "alpha": 2.0}


def _s(mean, sd=0.01, n=10):
    return {"mean": mean, "sd": sd, "n": n}


def _group(
    error,
    *,
    dim=100,
    batch=1024,
    lr=0.1,
    samples=102400,
    model="matrix",
    opt="sgd",
    grids=("d",),
    floor=0.0,
    sgd_scheme=None,
):
    return {
        "model": model,
        "optimizer": opt,
        "layer_norm": False,
        "dim": dim,
        "batch": batch,
        "lr": lr,
        "samples": samples,
        "grids": list(grids),
        "error": _s(error),
        "floor": floor,
        "sgd_scheme": sgd_scheme,
    }


def _result(groups=(), t_slopes=(), pairs=()):
    return {
        "config": CONFIG,
        "summary": {
            "groups": list(groups),
            "T_slopes": list(t_slopes),
            "optimizer_pairs": list(pairs),
        },
    }


def _t(exponent):
    return _result(
        t_slopes=[
            {
                "model": "matrix",
                "optimizer": "sgd",
                "layer_norm": False,
                "dim": 100,
                "batch": 1024,
                "lr": 0.1,
                "values": [1024, 10240, 102400],
                "means": [0.6, 0.2, 0.07],
                "exponent": exponent,
                "seed_exponents": _s(exponent, 0.1, 10),
                "floor_exponent": 2.1,
            }
        ]
    )


def _d(errors):
    preds = [0.2048, 0.1467, 0.1091]
    return _result(
        groups=[
            _group(e, dim=d, sgd_scheme=p)
            for e, d, p in zip(errors, (10, 20, 50), preds, strict=True)
        ]
    )


def _pair(sgd, adam, sd=0.005, initial=0.78):
    return _result(
        pairs=[
            {
                "model": "matrix",
                "layer_norm": False,
                "dim": 100,
                "batch": 1024,
                "lr": 0.1,
                "samples": 102400,
                "sgd": _s(sgd, sd),
                "adam": _s(adam, sd),
                "initial": initial,
                "gap": sgd - adam,
            }
        ]
    )


def _floor(error):
    return _result(
        groups=[_group(error, model="learnable", batch=16, lr=1.0, samples=10240, floor=0.00145)]
    )


# d 100, B 64, lr 10, T 102400: lr T / B = 16000, inside the region (d >= N)
def _agree(error):
    return _result(
        groups=[
            _group(error, batch=64, lr=10.0, grids=("test",), sgd_scheme=0.01),
            # a discovery-grid cell is never judged
            _group(0.9, batch=64, lr=1.0, grids=("sgd-map",), sgd_scheme=0.01),
        ]
    )


# d 10, B 16, lr 100, T 10240: lr T / B = 64000 at d < N, outside the region
def _miss(error):
    return _result(
        groups=[
            _group(
                error, dim=10, batch=16, lr=100.0, samples=10240, grids=("test",), sgd_scheme=0.42
            )
        ]
    )


CASES = {
    "scaling_trained.T-slope": (_t(0.48), _t(0.2)),
    "scaling_trained.d-finite-prediction": (_d([0.19, 0.15, 0.11]), _d([0.19, 0.15, 0.30])),
    "scaling_trained.adam-beats-sgd-large-batch": (
        _pair(0.09, 0.045),
        _pair(0.09, 0.088),  # a gap within the noise
    ),
    "scaling_trained.learned-floor": (_floor(0.0013), _floor(0.02)),
    "scaling_trained.sgd-scheme-agrees": (_agree(0.012), _agree(0.1)),
    "scaling_trained.sgd-scheme-misses": (_miss(0.035), _miss(0.40)),
}
# the premise: an SGD control that did not train fails the Adam claim even with a large gap
UNTRAINED_SGD = _pair(0.7, 0.05, initial=0.78)
