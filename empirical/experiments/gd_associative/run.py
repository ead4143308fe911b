"""``run(config) -> dict``: every measurement of the GD-on-one-associative-memory experiment.

Cabannes, Simsek & Bietti 2024 (arXiv 2402.18724). Pure and seeded: the same config gives the
same numbers on a CPU. The claims that judge the result are in :mod:`.claims`; ``result["claims"]``
holds their verdict rows (generated from those claims by :func:`.report.claim_rows`). With
``config.out`` set, ``results.jsonl``, ``curves.npz``, the figure and ``summary.md`` are written
there atomically (a run takes seconds, so it is redone rather than resumed).
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np

from empirical.experiments.gd_associative import report
from empirical.experiments.gd_associative.config import NAME, GDAssociativeConfig
from empirical.experiments.gd_associative.metrics import (
    autograd_hessian,
    first_full_accuracy,
    orthonormal_rows,
    torch_memory_gd,
)
from empirical.running.runtime import torch_threads


def run(config: GDAssociativeConfig) -> dict:
    """Measure everything the package docstring lists; pure function of ``config``."""
    with torch_threads(config.threads):
        result, curves = _measure(config)
    result["claims"] = report.claim_rows(result)
    if config.out:
        report.write_outputs(config, result, curves)
    return result


def _measure(c: GDAssociativeConfig) -> tuple[dict, dict]:
    from memtheory import dynamics as dyn

    start, cpu0 = time.perf_counter(), time.process_time()
    curves: dict = {}
    per_seed = _orthonormal(c, dyn, curves)
    spikes = _spikes(c, dyn, curves)
    sweep = _sweep(c, dyn, curves)
    under = _underparameterized(c, dyn, curves)
    result = {
        "experiment": NAME,
        "config": dataclasses.asdict(c),
        "per_seed": per_seed,
        "spikes": spikes,
        "sweep": sweep,
        "underparameterized": under,
        "wall_time": time.perf_counter() - start,
        "cpu_time": time.process_time() - cpu0,
    }
    return result, curves


def _orthonormal(c, dyn, curves) -> list[dict]:
    """Orthonormal embeddings (margins, log growth, loss rate, monotonicity) and the Hessian."""
    from memtheory.scaling import zipf

    N, M, d, T = c.n_inputs, c.n_outputs, c.dim, c.steps
    per_seed = []
    for k in range(c.seeds):
        seed = c.seed + k
        rng = np.random.default_rng(seed)
        E = orthonormal_rows(rng, N, d)
        U = orthonormal_rows(rng, M, d)
        targets = rng.integers(0, M, size=N)
        p = zipf(N, c.zipf_exponent)[rng.permutation(N)]
        meas = torch_memory_gd(E, U, targets, p, c.eta, T)
        pred_m = dyn.orthonormal_margin_recursion(p, M, lr=c.eta, steps=T)
        t0 = T // 10
        sm = (meas["margins"][T] - meas["margins"][t0]) / np.log(T / t0)
        flow = np.asarray(
            dyn.orthonormal_margin_flow(p, M, lr=c.eta, t=np.array([t0, T], dtype=float))
        )
        sp = (flow[1] - flow[0]) / np.log(T / t0)
        asym = dyn.orthonormal_loss_asymptote(N, M, lr=c.eta, t=T)
        # Hessian against autograd at a random W with correlated Gaussian embeddings
        h = c.hessian_dim
        Eh = rng.standard_normal((N, h)) / np.sqrt(h)
        Uh = rng.standard_normal((M, h)) / np.sqrt(h)
        Wh = rng.standard_normal((h, h))
        H_pred = np.asarray(dyn.memory_hessian(Wh, Eh, Uh, targets, p))
        H_meas = autograd_hessian(Wh, Eh, Uh, targets, p).reshape(h * h, h * h)
        per_seed.append(
            {
                "seed": seed,
                "recursion_max_abs_error": float(np.max(np.abs(meas["margins"] - pred_m))),
                "slope_measured": float(sm.mean()),
                "slope_predicted": float(sp.mean()),
                "slope_max_gap": float(np.max(np.abs(sm - sp))),
                "loss_ratio": float(meas["loss"][T] / asym),
                "max_loss_increase": float(np.max(np.diff(meas["loss"]))),
                "hessian_rel_error": float(
                    np.max(np.abs(H_pred - H_meas)) / np.max(np.abs(H_meas))
                ),
            }
        )
        if k == 0:
            ts = np.arange(T + 1)
            curves["orth_t"] = ts
            curves["orth_margins"] = meas["margins"]
            curves["orth_margins_pred"] = pred_m
            curves["orth_flow"] = np.asarray(
                dyn.orthonormal_margin_flow(p, M, lr=c.eta, t=ts[1:].astype(float))
            )
            curves["orth_loss"] = meas["loss"]
            curves["orth_loss_asym"] = np.asarray(
                dyn.orthonormal_loss_asymptote(N, M, lr=c.eta, t=ts[1:].astype(float))
            )
            curves["orth_p"] = p
    return per_seed


def _spikes(c, dyn, curves) -> dict:
    """Two correlated, imbalanced tokens at the small and the large step of ``spike_etas``."""
    E, U = dyn.two_particle_embeddings(c.spike_alpha)
    p = np.array([c.spike_p1, 1 - c.spike_p1])
    y = np.array([0, 1])
    out = {"threshold": float(dyn.two_particle_step_threshold(c.spike_p1, c.spike_alpha))}
    for eta in c.spike_etas:
        meas = torch_memory_gd(E, U, y, p, eta, c.spike_steps)
        red = dyn.two_particle_dynamics(c.spike_p1, c.spike_alpha, lr=eta, steps=c.spike_steps)
        out[str(eta)] = {
            "loss_increases": int(np.sum(np.diff(meas["loss"]) > 1e-12)),
            "accuracy_drops": int(np.sum(np.diff(meas["accuracy"]) < -1e-12)),
            "first_full_accuracy": first_full_accuracy(meas["accuracy"]),
            "final_loss": float(meas["loss"][-1]),
            "reduced_map_error": float(np.max(np.abs(meas["margins"] - red.margins))),
        }
        curves[f"spike_loss_{eta}"] = meas["loss"]
        curves[f"spike_acc_{eta}"] = meas["accuracy"]
    return out


def _sweep(c, dyn, curves) -> dict:
    """The paper's (p1, eta, alpha) grid, batched in torch: spikes against the monotone bound."""
    n = c.sweep_size
    p1s = 1 / (1 + np.exp(-np.logspace(-0.5, 0.5, n)))
    etas = np.logspace(-1, 1, n)
    alphas = np.linspace(0.5, 1, n, endpoint=False)  # alpha = 1 makes the tokens identical
    P1, ETA, AL = (g.ravel() for g in np.meshgrid(p1s, etas, alphas, indexing="ij"))
    Es, Us = zip(*(dyn.two_particle_embeddings(a) for a in AL), strict=True)
    p = np.stack([P1, 1 - P1], 1)
    y = np.tile([0, 1], (len(P1), 1))
    meas = torch_memory_gd(np.stack(Es), np.stack(Us), y, p, ETA, c.sweep_steps)
    bound = np.array([dyn.two_particle_step_threshold(a, b) for a, b in zip(P1, AL, strict=True)])
    spiky = (np.diff(meas["loss"], axis=1) > 1e-12).any(axis=1)
    first = np.array([first_full_accuracy(a) for a in meas["accuracy"]], dtype=float)
    first[first < 0] = np.inf
    below = ETA <= bound
    med = np.array([float(np.median(first[ETA == e])) for e in etas])
    curves["sweep_etas"] = etas
    curves["sweep_median_first_full"] = med
    curves["sweep_spike_fraction"] = np.array([spiky[ETA == e].mean() for e in etas])
    finite = np.isfinite(med)
    rho = (
        float(np.corrcoef(np.log(etas[finite]), np.log(med[finite]))[0, 1])
        if finite.sum() >= 3 and np.ptp(med[finite]) > 0
        else float("nan")
    )
    return {
        "runs": len(P1),
        "runs_below_bound": int(below.sum()),
        "spike_fraction_above_bound": float(spiky[~below].mean()) if (~below).any() else None,
        "violations_below_bound": int(np.sum(spiky & below)),
        "median_first_full_by_eta": dict(zip(map(float, etas), map(float, med), strict=True)),
        "corr_log_eta_log_median_first_full": rho,
    }


def _underparameterized(c, dyn, curves) -> dict:
    """d = 2, M = 2: GD at each draw's monotone step bound against the logistic minimizer."""
    out = {}
    for n in c.under_n:
        probs = [
            dyn.underparameterized_problem(int(n), c.seed + 1000 * int(n) + i, 1.0)
            for i in range(c.under_draws)
        ]
        preds = [dyn.underparameterized_gap(E, y, p) for E, y, p in probs]
        E = np.stack([q[0] for q in probs])
        y = np.stack([q[1] for q in probs])
        p = np.stack([q[2] for q in probs])
        U = np.tile(np.eye(2), (len(probs), 1, 1))
        etas = c.under_step_scale * np.array(
            [dyn.monotone_step_bound(q[0], np.eye(2), q[2]) for q in probs]
        )
        meas = torch_memory_gd(E, U, y, p, etas, c.under_steps)
        err_gd = 1.0 - meas["accuracy"][:, -1]
        best = np.array([q.best_error for q in preds])
        ce = np.array([q.ce_error for q in preds])
        gap_meas = err_gd - best
        tol = 1e-9
        out[int(n)] = {
            "draws": c.under_draws,
            "gap_rate_predicted": float(np.mean(ce - best > tol)),
            "gap_rate_measured": float(np.mean(gap_meas > tol)),
            "mean_gap_predicted": float(np.mean(ce - best)),
            "mean_gap_measured": float(np.mean(gap_meas)),
            "gd_error_equals_ce_minimizer_error": float(np.mean(np.abs(err_gd - ce) <= tol)),
        }
        curves[f"under_gap_{n}"] = gap_meas
    return out
