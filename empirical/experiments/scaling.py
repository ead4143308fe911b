"""Scaling laws of associative memories under Zipf data: error against d and against T.

Outer-product memories ``W_q = sum_x q(x) u_{f(x)} e_x^T`` (frozen random unit embeddings,
``f(x) = x mod M``) built from the counts of ``T`` i.i.d. Zipf(alpha) tokens with the schemes of
Cabannes, Dohmatob & Bietti (arXiv 2310.02984): ``uniform`` (q = 1 on seen tokens), ``power``
(q = p_hat^rho), ``threshold`` (q = 1 on the floor(d / r) most frequent seen tokens). The
population error ``sum_x p(x) 1{f_hat(x) != f(x)}`` is measured

* against d at a fixed large T (one data set per seed, the memory size varies), and
* against T at a fixed large d (one embedding draw per seed, fresh data per T),

over several seeds; the log-log slopes over a stated range are printed beside
``memtheory.scaling.exponent_d`` / ``exponent_T`` (asymptotic) and beside the slope of
``memtheory.scaling.scheme_error`` (finite-size mean-field prediction) over the same range.

    python -m empirical.experiments.scaling --profile quick --out runs/scaling
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from pathlib import Path

import numpy as np

from empirical.experiment import summary_main
from empirical.models import assoc_memory as am
from empirical.results import atomic_save_figure, atomic_write_jsonl, atomic_write_text, record
from empirical.tasks import associative as tasks
from memtheory import scaling as theory
from memtheory.checks import as_choice, as_float, as_int

NAME = "scaling"
SCHEMES = am.SCHEMES


@dataclasses.dataclass
class ScalingConfig:
    """Sizes, fit ranges and the tolerance of the scaling measurement.

    ``d`` sweep: ``tokens_d`` tokens, ``samples_d`` samples, memory sizes ``dims``; slopes fitted
    over ``fit_d`` (inclusive), except for ``uniform``, fitted over ``fit_d_uniform``: the
    infinite-vocabulary theory (overflow, exponent 0) describes a finite vocabulary only while
    ``d`` is below the overflow point ``~ tokens_d / answers``. ``T`` sweep: ``tokens_T`` tokens,
    memory size ``dim_T``, sample sizes ``samples_T``, slopes fitted over ``fit_T``, chosen so
    that the distinct seen tokens (about ``1.2 sqrt(T)`` at alpha = 2) stay well below
    ``dim_T / threshold_ratio`` and the memory is not the bottleneck.

    ``tolerance`` (absolute, on an exponent): a measured slope "reproduces" a predicted exponent
    when they differ by at most this. Justification, fixed before measuring: Theorem 1 of
    arXiv 2310.02984 holds up to log factors, and a factor ``ln d`` (or ``ln T``) shifts the local
    log-log slope by ``1/ln d``, which is 0.145 at d = 1000 and larger below; the seed-to-seed
    standard error of the slopes is reported beside it.
    """

    alpha: float = 2.0
    answers: int = 5
    rho: float = 1.0
    threshold_ratio: float = 8.0
    embeddings: str = "sphere"
    tokens_d: int = 1000
    samples_d: int = 1_000_000
    dims: tuple[int, ...] = (10, 16, 25, 40, 63, 100, 158, 251, 398, 631, 1000)
    fit_d: tuple[float, float] = (10.0, 1000.0)
    fit_d_uniform: tuple[float, float] = (10.0, 200.0)
    tokens_T: int = 5000
    dim_T: int = 1000
    samples_T: tuple[int, ...] = (100, 178, 316, 562, 1000, 1778, 3162, 5623, 10000, 30000)
    fit_T: tuple[float, float] = (100.0, 10000.0)
    seeds: int = 10
    tolerance: float = 0.15

    def __post_init__(self):
        self.alpha = as_float("alpha", self.alpha, 1.0, None, low_open=True)
        self.answers = as_int("answers", self.answers, 2)
        self.rho = as_float("rho", self.rho, 0.0, None, low_open=True)
        self.threshold_ratio = as_float(
            "threshold_ratio", self.threshold_ratio, 0.0, None, low_open=True
        )
        as_choice("embeddings", self.embeddings, ("sphere", "gaussian"))
        self.tokens_d = as_int("tokens_d", self.tokens_d, 2)
        self.samples_d = as_int("samples_d", self.samples_d, 1)
        self.dims = _sizes("dims", self.dims, 2)
        self.tokens_T = as_int("tokens_T", self.tokens_T, 2)
        self.dim_T = as_int("dim_T", self.dim_T, 2)
        self.samples_T = _sizes("samples_T", self.samples_T, 1)
        self.fit_d = _range("fit_d", self.fit_d, self.dims)
        self.fit_d_uniform = _range("fit_d_uniform", self.fit_d_uniform, self.dims)
        self.fit_T = _range("fit_T", self.fit_T, self.samples_T)
        self.seeds = as_int("seeds", self.seeds, 1)
        self.tolerance = as_float("tolerance", self.tolerance, 0.0, None, low_open=True)


def _sizes(name, values, minimum) -> tuple[int, ...]:
    if not isinstance(values, (tuple, list)) or len(values) < 2:
        raise ValueError(f"{name} must be a tuple of at least 2 sizes >= {minimum}")
    out = tuple(as_int(name, v, minimum) for v in values)
    if any(b <= a for a, b in zip(out, out[1:], strict=False)):
        raise ValueError(f"{name} must be strictly increasing, got {out}")
    return out


def _range(name, rng, grid) -> tuple[float, float]:
    if not isinstance(rng, (tuple, list)) or len(rng) != 2:
        raise ValueError(f"{name} must be a (low, high) pair")
    lo = as_float(f"{name} low", rng[0], 0.0, None, low_open=True)
    hi = as_float(f"{name} high", rng[1], lo, None, low_open=True)
    if sum(lo <= g <= hi for g in grid) < 2:
        raise ValueError(f"{name} must contain at least 2 grid points, got ({lo}, {hi})")
    return (lo, hi)


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
EXPECTED_SECONDS = {"quick": 20}

PROFILES = {
    "quick": ScalingConfig(),
    "paper": ScalingConfig(
        tokens_d=1000,
        samples_d=10_000_000,
        dims=tuple(int(round(x)) for x in np.geomspace(10, 1000, 20)),
        tokens_T=20000,
        dim_T=4000,
        samples_T=tuple(int(round(x)) for x in np.geomspace(100, 100000, 16)),
        fit_T=(100.0, 100000.0),
        seeds=100,
    ),
}


# ------------------------------------------------------------------------------------------
# measurement


def _top(d: int, ratio: float) -> int:
    return int(math.floor(d / ratio))


def measure_errors(
    counts, inputs, outputs, targets, probabilities, d, rho, threshold_ratio
) -> dict[str, float]:
    """Population error of every scheme's memory for one data set and one embedding draw."""
    out = {}
    for scheme in SCHEMES:
        q = am.scheme_weights(counts, scheme, rho=rho, top=_top(d, threshold_ratio))
        out[scheme] = am.zipf_memory_error(inputs, outputs, targets, q, probabilities)
    return out


def fit_slope(x, y, lo: float, hi: float) -> float:
    """Least-squares slope of ``log y`` against ``log x`` over ``lo <= x <= hi`` (y > 0)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    sel = (x >= lo) & (x <= hi) & (y > 0)
    if sel.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log(x[sel]), np.log(y[sel]), 1)[0])


def _exponent_summary(grid, errors, predicted_curve, predicted_exp, lo, hi, tol) -> dict:
    """errors: (seeds, len(grid)). Decay exponents are reported positive (error ~ x^-beta)."""
    mean = errors.mean(axis=0)
    measured = -fit_slope(grid, mean, lo, hi)
    per_seed = [-fit_slope(grid, row, lo, hi) for row in errors]
    per_seed = [s for s in per_seed if math.isfinite(s)]
    se = float(np.std(per_seed, ddof=1) / math.sqrt(len(per_seed))) if len(per_seed) > 1 else None
    finite = -fit_slope(grid, predicted_curve, lo, hi)
    return {
        "fit_range": [lo, hi],
        "measured": measured,
        "seed_se": se,
        "predicted": predicted_exp,
        "difference": measured - predicted_exp,
        "tolerance": tol,
        "reproduces": bool(abs(measured - predicted_exp) <= tol),
        "finite_size_predicted": finite,
        "reproduces_finite_size": bool(abs(measured - finite) <= tol),
    }


def run(config: ScalingConfig) -> dict:
    """Measure the errors, fit the exponents. Pure: same config, same numbers.

    Returns a dict with keys ``config``, ``d_sweep`` and ``T_sweep``. Each sweep holds ``grid``
    (the dims or sample sizes), ``errors`` (scheme -> seeds x grid list), ``mean``, ``std``,
    ``predicted`` (scheme -> ``memtheory.scaling.scheme_error`` on the grid) and ``exponents``
    (scheme -> fit range, measured decay exponent, its seed standard error, the asymptotic
    predicted exponent, the finite-size predicted slope over the same range, verdicts). Also
    ``missing_mass`` (exact, on the T grid) and ``wall_time``.
    """
    if not isinstance(config, ScalingConfig):
        raise ValueError("config must be a ScalingConfig")
    from tqdm import tqdm

    t0 = time.perf_counter()
    c = config
    tol = c.tolerance
    bar = tqdm(
        total=c.seeds * (len(c.dims) + len(c.samples_T)), desc="scaling", disable=None, leave=False
    )
    # --- error against d at fixed T
    p = tasks.zipf_probabilities(c.tokens_d, c.alpha)
    y = tasks.modular_facts(c.tokens_d, c.answers)
    err_d = {s: np.zeros((c.seeds, len(c.dims))) for s in SCHEMES}
    for seed in range(c.seeds):
        counts = tasks.zipf_counts(c.tokens_d, c.alpha, c.samples_d, seed=[seed, 0])
        for j, d in enumerate(c.dims):
            E = am.make_embeddings(c.embeddings, c.tokens_d, d, [seed, d, 1])
            U = am.make_embeddings(c.embeddings, c.answers, d, [seed, d, 2])
            errs = measure_errors(counts, E, U, y, p, d, c.rho, c.threshold_ratio)
            for s in SCHEMES:
                err_d[s][seed, j] = errs[s]
            bar.update()
    # --- error against T at fixed d
    pT = tasks.zipf_probabilities(c.tokens_T, c.alpha)
    yT = tasks.modular_facts(c.tokens_T, c.answers)
    err_T = {s: np.zeros((c.seeds, len(c.samples_T))) for s in SCHEMES}
    for seed in range(c.seeds):
        E = am.make_embeddings(c.embeddings, c.tokens_T, c.dim_T, [seed, c.dim_T, 3])
        U = am.make_embeddings(c.embeddings, c.answers, c.dim_T, [seed, c.dim_T, 4])
        for j, T in enumerate(c.samples_T):
            counts = tasks.zipf_counts(c.tokens_T, c.alpha, T, seed=[seed, T, 5])
            errs = measure_errors(counts, E, U, yT, pT, c.dim_T, c.rho, c.threshold_ratio)
            for s in SCHEMES:
                err_T[s][seed, j] = errs[s]
            bar.update()
    bar.close()

    kw = {"answers": c.answers, "rho": c.rho, "threshold_ratio": c.threshold_ratio}
    pred_d = {
        s: np.array(
            [theory.scheme_error(s, d, c.samples_d, c.alpha, c.tokens_d, **kw) for d in c.dims]
        )
        for s in SCHEMES
    }
    pred_T = {
        s: np.array(
            [theory.scheme_error(s, c.dim_T, T, c.alpha, c.tokens_T, **kw) for T in c.samples_T]
        )
        for s in SCHEMES
    }
    d_grid = np.array(c.dims, dtype=float)
    T_grid = np.array(c.samples_T, dtype=float)
    exps_d, exps_T = {}, {}
    for s in SCHEMES:
        lo, hi = c.fit_d_uniform if s == "uniform" else c.fit_d
        exps_d[s] = _exponent_summary(
            d_grid, err_d[s], pred_d[s], theory.exponent_d(s, c.alpha, rho=c.rho), lo, hi, tol
        )
        exps_T[s] = _exponent_summary(
            T_grid, err_T[s], pred_T[s], theory.exponent_T(s, c.alpha), *c.fit_T, tol
        )

    def sweep(grid, errs, preds, exps, **extra):
        return {
            "grid": list(grid),
            "errors": {s: errs[s].tolist() for s in SCHEMES},
            "mean": {s: errs[s].mean(axis=0).tolist() for s in SCHEMES},
            "std": {s: errs[s].std(axis=0).tolist() for s in SCHEMES},
            "predicted": {s: preds[s].tolist() for s in SCHEMES},
            "exponents": exps,
            **extra,
        }

    mm = theory.missing_mass(T_grid, c.alpha, facts=c.tokens_T)
    return {
        "config": dataclasses.asdict(c),
        "d_sweep": sweep(c.dims, err_d, pred_d, exps_d, samples=c.samples_d, tokens=c.tokens_d),
        "T_sweep": sweep(
            c.samples_T,
            err_T,
            pred_T,
            exps_T,
            dim=c.dim_T,
            tokens=c.tokens_T,
            missing_mass=np.asarray(mm, dtype=float).tolist(),
        ),
        "finite_data_constant": theory.finite_data_constant(c.alpha),
        "wall_time": time.perf_counter() - t0,
    }


# ------------------------------------------------------------------------------------------
# report


def summary_markdown(result: dict) -> str:
    """Fitted exponents beside the predicted ones, with verdicts and the numbers."""
    c = result["config"]
    lines = [
        "# Scaling laws of associative memories (measured)",
        "",
        f"Zipf alpha = {c['alpha']}, M = {c['answers']} answers (f(x) = x mod M), "
        f"embeddings `{c['embeddings']}`, {c['seeds']} seeds, power scheme rho = {c['rho']}, "
        f"threshold P = floor(d / {c['threshold_ratio']:g}). Decay exponents beta of "
        f"error ~ x^-beta, least-squares log-log slope of the seed mean over the stated range. "
        f"Tolerance {c['tolerance']} absolute (see ScalingConfig). "
        f"Wall time {result['wall_time']:.1f} s.",
        "",
        "| sweep | scheme | fit range | measured beta (+- seed s.e.) | predicted (asymptotic) "
        "| verdict | finite-size predicted slope | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    bad = []
    for key, label in (("d_sweep", "d"), ("T_sweep", "T")):
        sw = result[key]
        fixed = (
            f"T = {sw['samples']}, N = {sw['tokens']}"
            if key == "d_sweep"
            else f"d = {sw['dim']}, N = {sw['tokens']}"
        )
        for s in SCHEMES:
            e = sw["exponents"][s]
            se = "" if e["seed_se"] is None else f" +- {e['seed_se']:.3f}"
            v1 = "reproduces" if e["reproduces"] else "does NOT reproduce"
            v2 = "reproduces" if e["reproduces_finite_size"] else "does NOT reproduce"
            lines.append(
                f"| {label} ({fixed}) | {s} | [{e['fit_range'][0]:g}, {e['fit_range'][1]:g}] | "
                f"{e['measured']:.3f}{se} | {e['predicted']:.3f} | {v1} "
                f"({e['difference']:+.3f}) | {e['finite_size_predicted']:.3f} | {v2} |"
            )
            if not e["reproduces"]:
                bad.append(
                    f"{s} in {label}: measured {e['measured']:.3f} vs predicted "
                    f"{e['predicted']:.3f}"
                )
    lines += ["", "## Mean errors", ""]
    for key, label in (("d_sweep", "d"), ("T_sweep", "T")):
        sw = result[key]
        lines.append(f"| {label} | " + " | ".join(f"{s} (meas / pred)" for s in SCHEMES) + " |")
        lines.append("|---" * (1 + len(SCHEMES)) + "|")
        for j, g in enumerate(sw["grid"]):
            cells = [f"{sw['mean'][s][j]:.4f} / {sw['predicted'][s][j]:.4f}" for s in SCHEMES]
            lines.append(f"| {g} | " + " | ".join(cells) + " |")
        lines.append("")
    lines.append(
        "Does not reproduce (asymptotic exponent): " + ("; ".join(bad) if bad else "none") + "."
    )
    return "\n".join(lines) + "\n"


def save_figures(result: dict, out: Path) -> list[Path]:
    """Log-log error against d and against T: measured points over the predicted lines."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for ax, key, label in ((axes[0], "d_sweep", "d"), (axes[1], "T_sweep", "T")):
        sw = result[key]
        grid = np.array(sw["grid"], dtype=float)
        for i, s in enumerate(SCHEMES):
            color = f"C{i}"
            mean = np.array(sw["mean"][s])
            se = np.array(sw["std"][s]) / math.sqrt(len(sw["errors"][s]))
            ax.errorbar(
                grid,
                mean,
                yerr=se,
                fmt="o",
                color=color,
                ms=4,
                capsize=2,
                label=f"{s} (measured, mean +- s.e.)",
            )
            ax.plot(
                grid, sw["predicted"][s], "-", color=color, alpha=0.8, label=f"{s}: scheme_error"
            )
            e = sw["exponents"][s]
            lo, hi = e["fit_range"]
            sel = (grid >= lo) & (grid <= hi)
            if e["predicted"] > 0 and sel.sum() >= 2:
                xs = grid[sel]
                anchor = math.exp(np.mean(np.log(np.maximum(mean[sel], 1e-300))))
                mid = math.exp(np.mean(np.log(xs)))
                ax.plot(
                    xs,
                    anchor * (xs / mid) ** (-e["predicted"]),
                    "--",
                    color=color,
                    alpha=0.6,
                    label=f"{s}: slope -{e['predicted']:.3g}",
                )
        if key == "T_sweep":
            m = result["config"]["answers"]
            ax.plot(
                grid,
                (1 - 1 / m) * np.array(sw["missing_mass"]),
                "k:",
                label="(1 - 1/M) x missing mass (exact)",
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(label)
        ax.set_ylabel("population error")
        ax.set_title(f"error against {label}")
        ax.legend(fontsize=6)
    fig.tight_layout()
    path = atomic_save_figure(fig, out / "scaling.png", dpi=120)
    return [path]


def write_outputs(result: dict, out) -> None:
    """results.jsonl (one record per sweep point and seed, plus the summary), figure, summary.md."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    cfg = result["config"]
    rows = []
    for key, var in (("d_sweep", "d"), ("T_sweep", "T")):
        sw = result[key]
        for j, g in enumerate(sw["grid"]):
            for seed in range(cfg["seeds"]):
                metrics = {s: sw["errors"][s][seed][j] for s in SCHEMES}
                rows.append(record(NAME, cfg, metrics, seed=seed, sweep=var, value=g))
    summary = {k: {"exponents": result[k]["exponents"]} for k in ("d_sweep", "T_sweep")}
    summary["finite_data_constant"] = result["finite_data_constant"]
    rows.append(record(NAME, cfg, summary, wall_time=result["wall_time"], kind="summary"))
    atomic_write_jsonl(out / "results.jsonl", rows)
    save_figures(result, out)
    atomic_write_text(out / "summary.md", summary_markdown(result))


def main(argv=None):
    return summary_main(sys.modules[__name__], argv)


if __name__ == "__main__":
    from memtheory.cli import run_cli

    sys.exit(run_cli(main, prog=f"python -m empirical.experiments.{NAME}"))
