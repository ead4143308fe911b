"""Finite-sample, finite-d online SGD on the Grassmannian, to compare with the overlap flow.

Each step draws ``batch`` fresh Gaussian inputs in dimension ``d``, re-fits the link by least
squares on polynomial features of z = W^T x on a separate ``fit_batch`` (two-timescale; exact
in the limit because A_M f* is a polynomial of the link's degree) or keeps f = f* (planted),
takes the projected step W <- W - lr (I - W W^T) grad, and retracts by QR. Time is t = lr x steps,
the flow's own time. Numpy only.
"""

from __future__ import annotations

import itertools

import numpy as np

from memtheory import multi_index as mi


def _monomials(degree: int):
    return [(a, b) for a, b in itertools.product(range(degree + 1), repeat=2) if a + b <= degree]


def _features(z, powers):
    return np.stack([z[:, 0] ** a * z[:, 1] ** b for a, b in powers], axis=1)


def _feature_grad(z, powers, coef):
    g0 = sum(
        c * a * z[:, 0] ** max(a - 1, 0) * z[:, 1] ** b
        for c, (a, b) in zip(coef, powers, strict=True)
    )
    g1 = sum(
        c * b * z[:, 0] ** a * z[:, 1] ** max(b - 1, 0)
        for c, (a, b) in zip(coef, powers, strict=True)
    )
    return np.stack([g0, g1], axis=1)


def sgd_overlaps(
    link: str,
    mode: str,
    d: int,
    seed: int,
    *,
    lr: float,
    steps: int,
    batch: int,
    fit_batch: int,
    record_every: int,
    start_seed: int,
) -> dict:
    """Overlap M = W*^T W (W* = first two axes) every ``record_every`` steps of online SGD
    from the uniform start ``random_overlap``'s frame of ``start_seed``."""
    f = mi.LINKS[link]
    rng = np.random.default_rng([seed, 11])
    G = np.random.default_rng(start_seed).standard_normal((d, 2))
    Q, R = np.linalg.qr(G)
    W = Q * np.sign(np.diag(R))  # the same frame as mi.random_overlap(d, 2, start_seed)
    powers = _monomials(f.degree)
    ts, Ms = [0.0], [W[:2].copy()]
    for k in range(1, steps + 1):
        if mode == "two-timescale":
            xf = rng.standard_normal((fit_batch, d))
            coef, *_ = np.linalg.lstsq(_features(xf @ W, powers), f.f(xf[:, :2]), rcond=None)
        x = rng.standard_normal((batch, d))
        z = x @ W
        y = f.f(x[:, :2])
        if mode == "two-timescale":
            pred, grad_f = _features(z, powers) @ coef, _feature_grad(z, powers, coef)
        else:
            pred, grad_f = f.f(z), f.grad(z)
        grad = -2.0 / batch * x.T @ ((y - pred)[:, None] * grad_f)
        W = W - lr * (grad - W @ (W.T @ grad))
        Q, R = np.linalg.qr(W)
        W = Q * np.sign(np.diag(R))
        if k % record_every == 0:
            ts.append(lr * k)
            Ms.append(W[:2].copy())
    return {"t": np.asarray(ts), "M": np.asarray(Ms)}


def compare_with_flow(link: str, mode: str, config) -> dict:
    """Singular values of M (cosines of the principal angles, the Grassmannian's own
    coordinates) from ``config.finite_seeds`` SGD runs against the overlap flow from the same
    start; the gap at each recorded time is measured in standard errors over seeds plus lr."""
    d, lr = config.finite_d, config.finite_lr
    runs = [
        sgd_overlaps(
            link,
            mode,
            d,
            s,
            lr=lr,
            steps=config.finite_steps,
            batch=config.finite_batch,
            fit_batch=config.finite_fit_batch,
            record_every=max(1, config.finite_steps // 20),
            start_seed=0,
        )
        for s in range(config.finite_seeds)
    ]
    t = runs[0]["t"]
    flow = mi.integrate_overlap(
        mi.random_overlap(d, 2, seed=0),
        link,
        mode=mode,
        t_max=float(t[-1]),
        points=400,
        stop_aligned=False,
    )
    sv_sgd = np.stack([np.linalg.svd(r["M"], compute_uv=False) for r in runs])  # (seeds, T, 2)
    sv_flow = np.linalg.svd(flow["M"], compute_uv=False)
    want = np.stack([np.interp(t, flow["t"], sv_flow[:, i]) for i in range(2)], axis=1)
    mean = sv_sgd.mean(axis=0)
    se = sv_sgd.std(axis=0, ddof=1) / np.sqrt(len(runs)) if len(runs) > 1 else 0 * mean
    gap = np.abs(mean - want) / (se + lr)
    return {
        "link": link,
        "mode": mode,
        "d": d,
        "t": t,
        "sv_sgd_mean": mean,
        "sv_flow": want,
        "gap_in_se": float(gap.max()),
        "max_abs_gap": float(np.abs(mean - want).max()),
    }
