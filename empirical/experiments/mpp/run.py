"""``run(config) -> dict``: the MPP normalization identities on random networks and data."""

from __future__ import annotations

import time

import numpy as np

from empirical.experiments.mpp.config import Config
from empirical.running.results import to_jsonable, write_topic_outputs
from memtheory import normalization as nz


def _network(rng, fields: int, width: int):
    W1 = rng.standard_normal((fields, width)) / np.sqrt(fields)
    W2 = rng.standard_normal((width, fields)) / np.sqrt(width)
    return lambda z: np.tanh(z @ W1) @ W2


def equivariance_rows(config: Config, seed: int) -> list[dict]:
    """Relative error of F(a x + b) = a F(x) + b (eps = 0) and, for scale, with eps = 1e-7."""
    rng = np.random.default_rng([seed, 1])
    fields = len(config.scales)
    rows = []
    for i in range(config.networks):
        g = _network(rng, fields, config.width)
        x = rng.standard_normal((config.frames, config.grid, fields)) * config.scales
        a = 10.0 ** rng.uniform(-2, 2, fields)
        b = rng.uniform(-100, 100, fields)
        out = {}
        for eps in (0.0, nz.EPS):
            want = a * nz.revin(g, x, eps) + b
            got = nz.revin(g, a * x + b, eps)
            out[eps] = float(np.abs(got - want).max() / np.abs(want).max())
        rows.append({"seed": seed, "network": i, "error": out[0.0], "error_eps": out[nz.EPS]})
    return rows


def share_row(config: Config, seed: int) -> dict:
    """Gradient shares of fields that differ only by scale (same relative error)."""
    rng = np.random.default_rng([seed, 2])
    base = rng.standard_normal((config.frames, config.grid, 1))
    err = 0.1 * rng.standard_normal((config.frames, config.grid, 1))
    scales = np.asarray(config.scales)
    target, pred = base * scales, (base + err) * scales
    return {
        "seed": seed,
        "scales": list(config.scales),
        "nmse_shares": nz.field_gradient_shares(pred, target, loss="nmse", eps=0.0).tolist(),
        "mse_shares": nz.field_gradient_shares(pred, target, loss="mse", eps=0.0).tolist(),
    }


def embedding_rows(config: Config, seed: int) -> list[dict]:
    """Variance of the sub-sampled embedding for k = 1..12 present fields, with and without
    the sqrt(12/k) factor, relative to k = 12 (unit-variance fields, fresh weights per draw)."""
    rng = np.random.default_rng([seed, 3])
    n = nz.N_FIELDS
    rows = []
    for k in range(1, n + 1):
        x = rng.standard_normal((config.draws, k))
        W = rng.standard_normal((config.draws, k)) / np.sqrt(n)  # one output unit per draw
        h = nz.embedding_scale(k) * (x * W).sum(axis=1)
        var = float(h.var(ddof=1))
        # sampling error of a variance estimate: var * sqrt(kurtosis-based factor / draws)
        se = float(np.sqrt((np.mean((h - h.mean()) ** 4) - var**2) / config.draws))
        rows.append(
            {
                "seed": seed,
                "present": k,
                "variance": var,
                "variance_se": se,
                "variance_unscaled": var / nz.embedding_scale(k) ** 2,
            }
        )
    return rows


def toy(config: Config) -> dict:
    """The Fourier toy (``transfer.py``) on ``config.threads`` torch threads: transfer from
    pretraining and multi-task interference, with their CPU time."""
    from empirical.experiments.mpp import transfer as tr
    from empirical.running.runtime import torch_threads

    cpu0 = time.process_time()
    with torch_threads(config.threads):
        tests = tr.test_sets(config)
        out = {
            "transfer": tr.transfer(config, tests),
            "interference": tr.interference(config, tests),
        }
    out["toy_cpu_seconds"] = time.process_time() - cpu0
    return out


def run(config: Config) -> dict:
    """All measurements for ``config.seeds`` seeds (the toy for ``config.toy_seeds``);
    ``result.json``, ``summary.md`` and the figure in ``config.out`` when set."""
    t0 = time.perf_counter()
    result = {
        "config": config,
        "equivariance": [r for s in range(config.seeds) for r in equivariance_rows(config, s)],
        "shares": [share_row(config, s) for s in range(config.seeds)],
        "embedding": [r for s in range(config.seeds) for r in embedding_rows(config, s)],
    }
    if config.toy_seeds:
        result.update(toy(config))
    result["wall_time"] = time.perf_counter() - t0
    result = to_jsonable(result)
    if config.out:
        write_topic_outputs(config.out, result, "mpp")
    return result
