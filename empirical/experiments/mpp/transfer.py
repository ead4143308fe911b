"""The Fourier toy of MPP measured: transfer from pretraining, and multi-task interference.

Systems (``memtheory.periodic_pde``, exact targets): advection (c in ``c_range``, nu = 0),
diffusion (c = 0, nu in ``nu_range``), advection-diffusion (both). Models: the stacked periodic
conv nets of :mod:`empirical.experiments.mpp.toy_model` (RevIN, normalized MSE, no system id).

* Transfer: per seed, pretrain on advection + diffusion (every batch half of each, i.e. two
  single-system micro-batches accumulated, as MPP's sampler does), then finetune every parameter
  on ``n_ft`` advection-diffusion samples; the scratch run starts from the pretraining run's own
  initialization and sees the same rows in the same order for the same number of steps and
  learning rate. Test NRMSE on fresh advection-diffusion samples.
* Interference: at each width, per seed, one joint model (every step ``batch`` samples of each
  system) and one model per system (``batch`` of its own), all from the same initialization,
  for the same steps: the same samples per system, so only the parameters are shared. Test
  NRMSE of each model on each system it was trained on.

Pools are drawn with fixed seeds (``_POOL_SEEDS``), so every run sees the same data.
"""

from __future__ import annotations

import numpy as np
import torch

from empirical.experiments.mpp import toy_model as tm
from memtheory import periodic_pde as pp

SYSTEMS = ("advection", "diffusion", "advection-diffusion")
PRETRAIN = SYSTEMS[:2]
TARGET = SYSTEMS[2]
_POOL_SEEDS = {"pretrain": 10_000, "finetune": 20_000, "test": 30_000, "interference": 40_000}


def ranges(config, system: str) -> tuple[tuple, tuple]:
    """``(c_range, nu_range)`` of a system."""
    zero = (0.0, 0.0)
    return {
        "advection": (config.c_range, zero),
        "diffusion": (zero, config.nu_range),
        "advection-diffusion": (config.c_range, config.nu_range),
    }[system]


def pool(config, system: str, count: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``count`` exact (history, next frame) samples of ``system`` as float32 tensors."""
    c_range, nu_range = ranges(config, system)
    d = pp.next_frame_pairs(
        count,
        config.toy_grid,
        history=config.toy_history,
        dt=config.toy_dt,
        c_range=c_range,
        nu_range=nu_range,
        kmax=config.toy_kmax,
        seed=seed,
    )
    return torch.from_numpy(d["history"]).float(), torch.from_numpy(d["target"]).float()


def _concat(blocks):
    hist = torch.cat([h for h, _ in blocks])
    targ = torch.cat([t for _, t in blocks])
    starts = np.cumsum([0] + [h.shape[0] for h, _ in blocks[:-1]])
    return hist, targ, starts


def test_sets(config) -> dict:
    """Fresh test samples of every system (the same for every seed and width)."""
    return {
        s: pool(config, s, config.test_samples, _POOL_SEEDS["test"] + i)
        for i, s in enumerate(SYSTEMS)
    }


def _arch(config, width=None) -> dict:
    return {
        "width": config.toy_width if width is None else width,
        "depth": config.toy_depth,
        "kernel": config.toy_kernel,
        "history": config.toy_history,
    }


def pretrain(config, tests: dict) -> tuple[list[torch.Tensor], dict]:
    """Pretrain one model per seed on advection + diffusion; returns the stacked parameters
    and, per system, each seed's test NRMSE (diagnostics)."""
    S, B = config.toy_seeds, config.batch
    blocks = [
        pool(config, sys, config.pretrain_samples, _POOL_SEEDS["pretrain"] + 10 * s + j)
        for s in range(S)
        for j, sys in enumerate(PRETRAIN)
    ]
    hist, targ, starts = _concat(blocks)
    offset = np.array([[starts[2 * s + b % 2] for s in range(S)] for b in range(B)])
    size = np.full((B, S), config.pretrain_samples)
    params = tm.init_params([1000 + s for s in range(S)], **_arch(config))
    loss = tm.train(
        params, hist, targ, offset, size, steps=config.pretrain_steps, lr=config.lr, seed=1
    )
    evals = {sys: tm.nrmse(params, *tests[sys]).tolist() for sys in SYSTEMS}
    return [p.detach().clone() for p in params], {"train_loss": loss, "test_nrmse": evals}


def transfer(config, tests: dict) -> dict:
    """Pretrained vs scratch test NRMSE on advection-diffusion for every finetuning size."""
    S, B, sizes = config.toy_seeds, config.batch, config.finetune_sizes
    pre, pre_diag = pretrain(config, tests)
    scratch = tm.init_params([1000 + s for s in range(S)], **_arch(config))
    n_max = sizes[-1]
    blocks = [pool(config, TARGET, n_max, _POOL_SEEDS["finetune"] + s) for s in range(S)]
    hist, targ, starts = _concat(blocks)
    models = [(s, n, mode) for s in range(S) for n in sizes for mode in ("pretrained", "scratch")]
    params = [
        torch.stack([(p if mode == "pretrained" else q.detach())[s] for s, _, mode in models])
        .clone()
        .requires_grad_(True)
        for p, q in zip(pre, scratch, strict=True)
    ]
    offset = np.tile([starts[s] for s, _, _ in models], (B, 1))
    size = np.tile([n for _, n, _ in models], (B, 1))
    column = [s * len(sizes) + sizes.index(n) for s, n, _ in models]
    loss = tm.train(
        params,
        hist,
        targ,
        offset,
        size,
        steps=config.finetune_steps,
        lr=config.lr,
        seed=2,
        draw_column=column,
    )
    test = tm.nrmse(params, *tests[TARGET])
    rows = []
    for s in range(S):
        for n in sizes:
            g = {mode: models.index((s, n, mode)) for mode in ("pretrained", "scratch")}
            rows.append(
                {
                    "seed": s,
                    "n_ft": n,
                    "pretrained": float(test[g["pretrained"]]),
                    "scratch": float(test[g["scratch"]]),
                    "pretrained_train_loss": loss[g["pretrained"]],
                    "scratch_train_loss": loss[g["scratch"]],
                }
            )
    return {
        "sizes": list(sizes),
        "rows": rows,
        "zero_shot": [{"seed": s, "nrmse": pre_diag["test_nrmse"][TARGET][s]} for s in range(S)],
        "pretrain": pre_diag,
        "copy_baseline": {sys: tm.copy_nrmse(*tests[sys]) for sys in SYSTEMS},
        "params": tm.count_params(**_arch(config)),
    }


def interference(config, tests: dict) -> dict:
    """Joint vs single-system test NRMSE on every system at every width. A joint step takes
    ``batch`` samples of each system (three single-system micro-batches accumulated), a single
    model's step ``batch`` of its own: the same steps and samples per system, so the joint
    model differs only in sharing its parameters."""
    S, B, K = config.toy_seeds, config.batch, len(SYSTEMS)
    blocks = [
        pool(config, sys, config.interference_samples, _POOL_SEEDS["interference"] + 10 * s + j)
        for s in range(S)
        for j, sys in enumerate(SYSTEMS)
    ]
    hist, targ, starts = _concat(blocks)
    singles = [(s, j) for s in range(S) for j in range(K)]
    runs = {
        "single": (
            [2000 + s for s, _ in singles],
            np.tile([starts[K * s + j] for s, j in singles], (B, 1)),
        ),
        "joint": (
            [2000 + s for s in range(S)],
            np.array([[starts[K * s + b % K] for s in range(S)] for b in range(K * B)]),
        ),
    }
    rows, params_per_width = [], {}
    for w in config.widths:
        test = {}
        for name, (seeds, offset) in runs.items():
            params = tm.init_params(seeds, **_arch(config, w))
            size = np.full(offset.shape, config.interference_samples)
            steps = config.interference_steps
            tm.train(params, hist, targ, offset, size, steps=steps, lr=config.lr, seed=3 + w)
            test[name] = {sys: tm.nrmse(params, *tests[sys]) for sys in SYSTEMS}
        for s in range(S):
            for j, sys in enumerate(SYSTEMS):
                rows.append(
                    {
                        "seed": s,
                        "width": w,
                        "system": sys,
                        "joint": float(test["joint"][sys][s]),
                        "single": float(test["single"][sys][singles.index((s, j))]),
                    }
                )
        params_per_width[w] = tm.count_params(**_arch(config, w))
    return {"widths": list(config.widths), "rows": rows, "params": params_per_width}
