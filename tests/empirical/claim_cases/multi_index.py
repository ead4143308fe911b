"""Passing and failing made-up results for the multi_index claims."""


def _flow(link, between=(1.0,), sv=0.9999, final=1e-4, seed=0):
    levels = {"z1+z1z2": [2.0, 1.0, 0.0], "z1z2": [1.0, 0.0]}[link]
    return {
        "link": link,
        "mode": "two-timescale",
        "seed": seed,
        "initial_loss": levels[0],
        "final_loss": final,
        "min_singular_value": sv,
        "drops": [1.0, 3.0][: len(levels) - 1],
        "plateau_levels": levels,
        "loss_between_drops": list(between)[: len(levels) - 2],
    }


def _escape(times):
    return [
        {"link": "z1z2", "d": d, "seed": s, "escape_time": t * (1 + 0.01 * s)}
        for d, t in zip((64, 128, 256), times, strict=True)
        for s in range(3)
    ]


def _finite(gap):
    return [{"link": "z1+z1z2", "d": 200, "gap_in_se": gap, "max_abs_gap": 0.05}]


def _trap(link, mode, finals, predicted):
    """Trap rows: ``finals`` final loss / E f*^2 per start, ``predicted`` the sign rule's."""
    return [
        {
            "link": link,
            "mode": mode,
            "seed": s,
            "final_over_energy": f,
            "predicted_trapped": p,
            "M0": [[0.1, 0.0], [0.0, -0.1]],
            "final_M": [[1.0, 0.0], [0.0, -1e-9]],
        }
        for s, (f, p) in enumerate(zip(finals, predicted, strict=True))
    ]


def _traps(planted_odd=(1.0, 1.0, 0.0, 1e-6), ts_odd=(1e-5,) * 4, even=(1e-6,) * 4, rule=None):
    rule = rule or [f >= 0.1 for f in planted_odd]
    return (
        _trap("He3(z1)+He3(z2)", "planted", planted_odd, rule)
        + _trap("He3(z1)+He3(z2)", "two-timescale", ts_odd, [False] * len(ts_odd))
        + _trap("He4(z1)+He4(z2)", "planted", even, [False] * len(even))
        + _trap("He4(z1)+He4(z2)", "two-timescale", (1e-6,) * 4, [False] * 4)
    )


def _result(flows=None, escape=None, finite=None, trap=None):
    return {
        "flows": flows or [_flow("z1+z1z2"), _flow("z1z2")],
        "escape": escape or _escape((8.0, 16.0, 32.0)),
        "finite": finite or _finite(1.1),
        "trap": trap or _traps(),
    }


CASES = {
    "multi_index.two-timescale-converges": (
        _result(),
        _result(flows=[_flow("z1+z1z2"), _flow("z1z2", sv=0.2, final=0.9)]),
    ),
    "multi_index.plateau-structure": (
        _result(),
        _result(flows=[_flow("z1+z1z2", between=(0.5,))]),
    ),
    "multi_index.finite-sample-matches": (_result(), _result(finite=_finite(9.0))),
    "multi_index.escape-slope": (
        _result(),
        _result(escape=_escape((8.0, 9.0, 10.0))),
    ),
    # 2 of 4 trapped passes "positive probability"; none of 20 fails
    "multi_index.planted-trapped": (
        _result(),
        _result(trap=_traps(planted_odd=(1e-6,) * 20, rule=[True] + [False] * 19)),
    ),
    "multi_index.two-timescale-not-trapped": (
        _result(),
        _result(trap=_traps(ts_odd=(1e-5, 0.5, 1e-5, 1e-5))),
    ),
    # the rule right on every start passes; wrong on 2 of 4 fails
    "multi_index.trap-sign-rule": (
        _result(),
        _result(trap=_traps(rule=[True, False, True, False])),
    ),
}
