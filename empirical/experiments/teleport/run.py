"""``run(config) -> dict``: teleport measurements on quadratics and logistic regression."""

from __future__ import annotations

import time

import numpy as np

from empirical.experiments.teleport.config import Config
from empirical.running.results import to_jsonable, write_topic_outputs
from memtheory import teleport as tp

SCHEDULES = ("none", "every", "every-other", "random")
FAR_STARTS = 10


def _spd(rng, d: int, kappa: float) -> tuple[np.ndarray, np.ndarray]:
    """A random rotation of ``diag(geomspace(1, kappa, d))`` and its eigenvalues."""
    lam = np.geomspace(1.0, kappa, d)
    Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
    A = (Q * lam) @ Q.T
    return 0.5 * (A + A.T), lam


def _schedule(name: str, steps: int, rng) -> list[int]:
    if name == "none":
        return []
    if name == "every":
        return list(range(steps))
    if name == "every-other":
        return list(range(0, steps, 2))
    return [k for k in range(steps) if rng.random() < 0.3]


def quadratic_rows(config: Config, seed: int) -> list[dict]:
    """Teleport once from a Gaussian start on each condition number; then GD with 1/L steps
    under each schedule, against the convex rate bound (R^2 = 2 f0 / lambda_min)."""
    rows = []
    for kappa in config.conditions:
        rng = np.random.default_rng([seed, int(kappa)])
        A, lam = _spd(rng, config.d, kappa)
        prob = tp.quadratic(A)
        w0 = rng.standard_normal(config.d)
        f0, g0 = prob.f(w0), prob.grad(w0)
        res = tp.teleport(prob, w0, tol=1e-10, max_iter=20000)
        g = prob.grad(res.w)
        gn2 = float(g @ g)
        worst = {}
        R2 = tp.quadratic_sublevel_radius_sq(A, f0)
        for name in SCHEDULES:
            sched = _schedule(name, config.steps, rng)
            run = tp.gd_teleport(
                prob, w0, steps=config.steps, lr=1.0 / lam[-1], schedule=sched, f_star=0.0
            )
            bounds = [
                tp.convex_rate_bound(R2=R2, K=K, lr=1.0 / lam[-1], L=lam[-1])
                for K in range(1, config.steps + 1)
            ]
            worst[name] = float(np.max(run["suboptimality"][1:] / np.asarray(bounds)))
        rows.append(
            {
                "seed": seed,
                "kappa": kappa,
                "gain": gn2 / float(g0 @ g0),
                "max_grad_ratio": gn2 / tp.quadratic_max_grad_norm_sq(A, f0),
                "one_step_distance": float(np.linalg.norm(res.w - g / lam[-1]))
                / float(np.linalg.norm(w0)),
                "kkt_residual": res.kkt_residual,
                "constraint_gap": res.constraint_gap,
                "iterations": res.iterations,
                "converged": res.converged,
                "rate_bound_ratio": worst,
            }
        )
    return rows


def logistic_row(config: Config, seed: int) -> dict:
    """GD with Armijo line search, without and with teleporting every other step, on a
    non-separable L2-regularized logistic regression; and teleports from ``FAR_STARTS`` starts
    at distance about 3 sqrt(d) from w*, keeping the largest distance ratio after / before."""
    rng = np.random.default_rng([seed, 7])
    X = rng.standard_normal((config.samples, config.logistic_d))
    y = np.sign(X @ rng.standard_normal(config.logistic_d) + rng.standard_normal(config.samples))
    y[y == 0] = 1.0
    prob = tp.logistic_regression(X, y, config.l2)
    w_star, f_star = tp.newton_minimize(prob, np.zeros(config.logistic_d))
    w0 = np.zeros(config.logistic_d)
    gd = tp.gd_teleport(prob, w0, steps=config.steps, f_star=f_star)
    tele = tp.gd_teleport(
        prob, w0, steps=config.steps, f_star=f_star, schedule=range(0, config.steps, 2)
    )
    # later teleports start next to w*, where |grad f| is at rounding level: not KKT-testable
    ratios, kkts = [], [tele["kkt_residual"][0]]
    for _ in range(FAR_STARTS):
        far = w_star + 3.0 * rng.standard_normal(config.logistic_d)
        moved = tp.teleport(prob, far, tol=1e-10, max_iter=5000)
        ratios.append(float(np.linalg.norm(moved.w - w_star) / np.linalg.norm(far - w_star)))
        kkts.append(moved.kkt_residual)
    floor = 1e-15 * max(1.0, abs(f_star))
    return {
        "seed": seed,
        "f_star": f_star,
        "gd_suboptimality": np.maximum(gd["suboptimality"], 0.0),
        "teleport_suboptimality": np.maximum(tele["suboptimality"], 0.0),
        "suboptimality_ratio": float(
            max(gd["suboptimality"][-1], floor) / max(tele["suboptimality"][-1], floor)
        ),
        "kkt_residual": max(kkts),
        "distance_ratio": max(ratios),
    }


def separable_row(config: Config, seed: int) -> dict:
    """Plain GD (step 1/L) on separable, unregularized logistic regression, where f* = 0 is not
    attained: the tail exponent p of f_k ~ k^(-p) (least squares of log f on log k over the last
    90% of ``tail_steps``) and the mean per-step ratio f_(k+1)/f_k over the last half."""
    rng = np.random.default_rng([seed, 11])
    X = rng.standard_normal((config.tail_samples, config.tail_d))
    y = np.sign(X @ rng.standard_normal(config.tail_d))
    y[y == 0] = 1.0
    prob = tp.logistic_regression(X, y, 0.0)
    L = float(np.linalg.eigvalsh(X.T @ X / config.tail_samples)[-1]) / 4.0
    f = tp.gd_teleport(prob, np.zeros(config.tail_d), steps=config.tail_steps, lr=1.0 / L)["f"]
    k = np.arange(f.size)
    tail = k >= max(1, config.tail_steps // 10)
    slope = np.polyfit(np.log(k[tail]), np.log(f[tail]), 1)[0]
    half = config.tail_steps // 2
    return {
        "seed": seed,
        "tail_exponent": float(-slope),
        "tail_step_ratio": float((f[-1] / f[half]) ** (1.0 / (config.tail_steps - half))),
        "f_final": float(f[-1]),
        "steps": config.tail_steps,
        "samples": config.tail_samples,
        "d": config.tail_d,
    }


def run(config: Config) -> dict:
    """Every measurement of the topic, for ``config.seeds`` seeds; writes ``result.json``,
    ``summary.md`` and figures to ``config.out`` when set."""
    t0 = time.perf_counter()
    quad = [r for s in range(config.seeds) for r in quadratic_rows(config, s)]
    logi = [logistic_row(config, s) for s in range(config.seeds)]
    separable = [separable_row(config, s) for s in range(config.seeds)]
    from empirical.experiments.teleport.geometry import geometry_row

    geometry = [
        geometry_row(spec, config.geometry_d, config.geometry_steps, 0.05, 0, 2000)
        for spec in config.geometry_graphs
    ]
    result = to_jsonable(
        {
            "config": config,
            "quadratic": quad,
            "logistic": logi,
            "separable": separable,
            "geometry": geometry,
            "wall_time": time.perf_counter() - t0,
        }
    )
    if config.out:
        write_topic_outputs(config.out, result, "teleport")
    return result
