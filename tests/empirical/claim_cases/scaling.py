"""Made-up scaling results: one passing and one failing per claim (see ``__init__``)."""


def _result(sweep, scheme, measured, predicted, finite):
    e = {
        "fit_range": [10.0, 1000.0],
        "measured": measured,
        "seed_se": 0.01,
        "predicted": predicted,
        "finite_size_predicted": finite,
    }
    return {f"{sweep}_sweep": {"exponents": {scheme: e}}}


def _pair(sweep, scheme, good, bad, predicted, finite):
    return (
        _result(sweep, scheme, good, predicted, finite),
        _result(sweep, scheme, bad, predicted, finite),
    )


CASES = {
    # asymptotic 1.0; the failing case sits at the competing power exponent's side
    "scaling.threshold-d-exponent": _pair("d", "threshold", 0.99, 0.80, 1.0, 0.976),
    # 0.25 with window 0.06: uniform's finite-size 0.128 must fail
    "scaling.power-d-exponent": _pair("d", "power", 0.297, 0.128, 0.25, 0.279),
    # finite-size 0.128 with window 0.06: power's 0.25 must fail (the old 0.15 let it pass)
    "scaling.uniform-d-exponent": _pair("d", "uniform", 0.15, 0.25, 0.0, 0.128),
    "scaling.uniform-T-exponent": _pair("T", "uniform", 0.503, 0.30, 0.5, 0.502),
    "scaling.threshold-T-exponent": _pair("T", "threshold", 0.50, 0.70, 0.5, 0.489),
    # recorded as not reproducing: the good case is the law holding, the bad one the floor
    "scaling.power-T-exponent-asymptotic": _pair("T", "power", 0.45, 0.049, 0.5, 0.024),
    # finite-size 0.024: the asymptotic 0.5 must fail
    "scaling.power-T-finite-size": _pair("T", "power", 0.049, 0.5, 0.5, 0.024),
}
