"""Train many tiny models at once: a model axis of size K instead of a Python loop.

The K models (independent seeds, optionally independent learning rates) share one architecture.
Their parameters are stacked along a leading axis (:func:`torch.func.stack_module_state`) and
one step of all K runs is one forward/backward of the sum of their losses (the models do not
interact, so each model's gradient is its own). The 1-layer network, Node2Vec, the
Transformer and the Mamba (its ``reference`` and ``chunked`` scans) have hand-batched forwards
here (``bmm``/``baddbmm`` over the model axis, attention through
``scaled_dot_product_attention`` on K*B sequences, the scan with the model axis as a batch
axis); any other model (the ``hillis-steele`` Mamba) runs its own ``forward`` under
``torch.func.vmap`` of ``functional_call``. The hand-batched forwards compute the module's
function with the same operations per model (up to float round-off) at a fraction of vmap's
per-call overhead: a tiny-graph Mamba step took 26 ms under vmap. The update is torch's fused
AdamW on the stacked tensors when all learning rates are equal (AdamW is elementwise, so this
is K independent AdamW runs), else the same arithmetic written with a per-model learning rate.

Model ``k`` follows the trajectory of ``train(build_model(name, ..., seed=seeds[k]), inputs,
labels, replace(config, seed=seeds[k], lr=lrs[k]))``: same init, same minibatch order, same
update, up to float round-off (checked in float64 by the tests; in float32 Adam amplifies the
round-off on parameters whose gradient is exactly zero, e.g. attention key biases). Dropout
masks are drawn differently from the loop, so runs with dropout are batched but not comparable
one-to-one. :func:`looped_reference` is the loop, for tests and benchmarks.
"""

from __future__ import annotations

import dataclasses
import math
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch.func import functional_call, stack_module_state, vmap

from empirical.models import build_model, model_config
from empirical.tasks.tokens import IGNORE
from empirical.training.batched_forwards import HAND_BATCHED, POSITIONWISE, PRUNABLE
from empirical.training.loop_state import Batches
from empirical.training.train import (
    DTYPES,
    TrainConfig,
    cpu_settings,
    lr_at,
    resolve_device,
)
from memtheory.checks import as_float, as_int

__all__ = ["train_batched", "looped_reference", "unstack", "model_at"]


def _check_seeds(seeds, n_models: int, base: int) -> list[int]:
    if seeds is None:
        return [base + k for k in range(n_models)]
    seeds = [as_int("seeds[]", s, minimum=0) for s in seeds]
    if len(seeds) != n_models:
        raise ValueError(f"seeds must have n_models={n_models} entries, got {len(seeds)}")
    return seeds


def _has_dropout(config) -> bool:
    return float(getattr(config, "dropout", 0.0) or 0.0) > 0.0


def unstack(params: dict, k: int) -> dict:
    """The state of model ``k`` out of stacked ``{name: (K, ...)}`` tensors."""
    return {name: value[k] for name, value in params.items()}


def model_at(result: dict, k: int) -> torch.nn.Module:
    """Model ``k`` of a :func:`train_batched` result as an ordinary module (a fresh copy)."""
    model = build_model(
        result["name"], result["vocab_size"], result["max_len"], seed=0, **result["overrides"]
    )
    model.to(dtype=DTYPES[result["config"].dtype])
    model.load_state_dict(unstack(result["params"], k))
    return model


def train_batched(
    name: str,
    vocab_size: int,
    inputs: torch.Tensor,
    labels: torch.Tensor,
    n_models: int,
    config: TrainConfig,
    overrides: dict | None = None,
    seeds=None,
    lrs=None,
    max_len: int = 16,
    eval_fn=None,
    sample_weights=None,
) -> dict:
    """Train ``n_models`` copies of model ``name`` at once; model ``k`` uses ``seeds[k]``
    (default ``config.seed + k``) for its init and its minibatch order, and ``lrs[k]`` (default
    ``config.lr``) as its peak learning rate.

    ``eval_fn(model, step) -> dict`` is called for each model (a module holding model ``k``'s
    current weights, in eval mode, without gradients) at the steps
    :func:`empirical.training.train.train` would use. Returns ``{"params": {name: (K, ...)} final
    state (trainable and frozen weights), "history": K lists of rows {"step", "loss", "lr", ...},
    "final_loss": (K,) array (full data), "seeds", "lrs", "seconds", "steps", plus what
    :func:`model_at` needs}``.
    """
    if not isinstance(config, TrainConfig):
        raise ValueError(f"config must be a TrainConfig, got {type(config).__name__}")
    overrides = dict(overrides or {})
    model_cfg = model_config(name, vocab_size, max_len, **overrides)  # validates before work
    K = as_int("n_models", n_models, minimum=1)
    seeds = _check_seeds(seeds, K, config.seed)
    if lrs is None:
        lrs = [config.lr] * K
    lrs = [as_float("lrs[]", v, 0.0) for v in lrs]
    if len(lrs) != K:
        raise ValueError(f"lrs must have n_models={K} entries, got {len(lrs)}")
    inputs, labels = torch.as_tensor(inputs), torch.as_tensor(labels)
    if inputs.ndim != 2 or labels.shape != inputs.shape or inputs.dtype != torch.int64:
        raise ValueError("inputs and labels must be int64 tensors of the same shape (N, T)")
    if not bool((labels != IGNORE).any()):
        raise ValueError("labels has no position to predict (all IGNORE)")
    device, dtype = resolve_device(config.device), DTYPES[config.dtype]
    with cpu_settings(config):
        return _run(
            name,
            vocab_size,
            max_len,
            overrides,
            model_cfg,
            inputs.to(device),
            labels.to(device),
            K,
            config,
            seeds,
            lrs,
            device,
            dtype,
            eval_fn,
            sample_weights,
        )


def _batched_losses(logits, y, w):
    """Per-model weighted mean cross-entropy over labelled positions: (K,)."""
    K, V = logits.shape[0], logits.shape[-1]
    y = y.expand(logits.shape[:-1])
    ce = F.cross_entropy(
        logits.reshape(-1, V), y.reshape(-1), ignore_index=IGNORE, reduction="none"
    ).view(K, -1)
    mask = (y != IGNORE).reshape(K, -1).to(ce.dtype)
    if w is not None:
        mask = mask * w.expand(y.shape[:2]).reshape(K, -1, 1).expand(y.shape).reshape(K, -1)
    return (mask * ce).sum(1) / mask.sum(1)


def _per_model(t, like):
    """(K,) -> (K, 1, ..., 1) broadcastable against ``like``."""
    return t.view((-1,) + (1,) * (like.ndim - 1))


@torch.no_grad()
def _manual_step(params, grads, exp_avg, exp_avg_sq, lr, config, step):
    r"""One SGD or AdamW update of stacked params with per-model learning rates ``lr`` (K,).

    The arithmetic of ``torch.optim.SGD`` (no momentum) and ``torch.optim.AdamW`` (decoupled
    decay :math:`p \leftarrow p(1-\eta\lambda)`, bias-corrected moments, eps 1e-8).
    """
    beta1, beta2 = config.betas
    wd = config.weight_decay
    bc1, bc2 = 1 - beta1 ** (step + 1), 1 - beta2 ** (step + 1)
    for i, (p, g) in enumerate(zip(params, grads, strict=True)):
        lr_k = _per_model(lr, p)
        if config.optimizer == "sgd":
            p.sub_(lr_k * (g.add(p, alpha=wd) if wd else g))
            continue
        if wd:
            p.mul_(1 - lr_k * wd)
        exp_avg[i].lerp_(g, 1 - beta1)
        exp_avg_sq[i].mul_(beta2).addcmul_(g, g, value=1 - beta2)
        denom = (exp_avg_sq[i].sqrt() / math.sqrt(bc2)).add_(1e-8)
        p.sub_(exp_avg[i] / denom * (lr_k / bc1))


def _run(
    name,
    vocab_size,
    max_len,
    overrides,
    model_cfg,
    inputs,
    labels,
    K,
    config,
    seeds,
    lrs,
    device,
    dtype,
    eval_fn,
    sample_weights,
):
    family = name.removesuffix("-frozen")
    models = [
        build_model(name, vocab_size, max_len, seed=s, **overrides).to(device=device, dtype=dtype)
        for s in seeds
    ]
    base = models[0]
    trainable_names = [n for n, p in base.named_parameters() if p.requires_grad]
    if not trainable_names:
        raise ValueError("the model has no trainable parameter")
    params_all, buffers = stack_module_state(models)
    P = {n: v.detach().clone() for n, v in {**params_all, **buffers}.items()}
    del models, params_all, buffers
    trainable = [P[n].requires_grad_(True) for n in trainable_names]
    if sample_weights is not None:
        sample_weights = torch.as_tensor(sample_weights).to(device=device, dtype=dtype)
        if sample_weights.shape != (inputs.shape[0],) or not bool((sample_weights >= 0).all()):
            raise ValueError(f"sample_weights must be ({inputs.shape[0]},) and non-negative")

    if family in HAND_BATCHED and getattr(model_cfg, "scan", "chunked") != "hillis-steele":
        fwd = HAND_BATCHED[family]

        def forward(x, training):
            return fwd(P, x.expand(K, *x.shape[-2:]), model_cfg, training, keep)
    else:  # generic: vmap of the module's own forward over the stacked state
        fwd = None
        randomness = "different" if _has_dropout(model_cfg) else "error"

        def forward(x, training):
            base.train(training)
            call = vmap(
                lambda p, xx: functional_call(base, p, (xx,)),
                in_dims=(0, 0 if x.ndim == 3 else None),
                randomness=randomness,
            )
            return call(P, x)

    # transformer, mamba: positions where some row has a label (the others feed the mixing)
    keep = None
    labelled = torch.nonzero((labels != IGNORE).any(0)).flatten()
    if fwd is not None and family in PRUNABLE and labelled.numel() < labels.shape[1]:
        keep = labelled
    batches = [Batches(inputs.shape[0], config.batch_size, s) for s in seeds]
    full = batches[0].batch_size is None
    x_all, y_all, w_all = inputs, labels, sample_weights
    if full and family in POSITIONWISE:  # only labelled positions matter: drop the others
        mask = labels != IGNORE
        x_all, y_all = inputs[mask][:, None], labels[mask][:, None]
        if sample_weights is not None:
            w_all = sample_weights[:, None].expand(labels.shape)[mask]

    if keep is not None:
        y_all = labels[:, keep]

    def batch():
        if full:
            return x_all, y_all, w_all
        idx = torch.stack([b.next() for b in batches]).to(device)  # (K, b)
        y = labels[idx] if keep is None else labels[idx][..., keep]
        return inputs[idx], y, None if sample_weights is None else sample_weights[idx]

    lr_peak = torch.tensor(lrs, device=device, dtype=dtype)
    # one learning rate for all K models: AdamW is elementwise, so torch's fused AdamW on the
    # stacked tensors *is* K independent AdamW runs (one pass over memory per tensor)
    shared_adamw = None
    if config.optimizer == "adamw" and len(set(lrs)) == 1:
        shared_adamw = torch.optim.AdamW(
            trainable,
            lr=lrs[0],
            betas=config.betas,
            weight_decay=config.weight_decay,
            eps=1e-8,
            fused=True,
        )
    exp_avg = [torch.zeros_like(p) for p in trainable]
    exp_avg_sq = [torch.zeros_like(p) for p in trainable]
    eval_set = set(config.eval_steps) if config.eval_steps is not None else None
    histories: list[list[dict]] = [[] for _ in range(K)]
    probe = None

    torch.manual_seed(config.seed)
    t0 = time.perf_counter()
    from tqdm.auto import tqdm

    bar = tqdm(
        total=config.steps,
        disable=not config.progress,
        mininterval=0.5,
        desc=f"{K}x {name}",
        leave=False,
    )
    for step in range(config.steps + 1):
        record = step == config.steps or (
            step in eval_set
            if eval_set is not None
            else config.eval_every > 0 and step % config.eval_every == 0
        )
        extras = [{} for _ in range(K)]
        if record and eval_fn is not None:
            if probe is None:
                probe = build_model(name, vocab_size, max_len, seed=0, **overrides)
                probe.to(device=device, dtype=dtype)
            probe.eval()
            with torch.no_grad():
                for k in range(K):
                    probe.load_state_dict(unstack(P, k))
                    extras[k] = dict(eval_fn(probe, step) or {})
        x, y, w = batch()
        sched = lr_at(config, min(step, max(config.steps - 1, 0)))
        ratio = sched / config.lr if config.lr else 0.0
        lr = lr_peak * ratio
        if step == config.steps:
            with torch.no_grad():
                losses = _batched_losses(forward(x, True), y, w)
        else:
            losses = _batched_losses(forward(x, True), y, w)
            grads = torch.autograd.grad(losses.sum(), trainable)
            if config.grad_clip is not None:
                sq = sum(g.reshape(K, -1).square().sum(1) for g in grads)
                coef = torch.clamp(config.grad_clip / (sq.sqrt() + 1e-6), max=1.0)
                grads = [g * _per_model(coef, g) for g in grads]
            if shared_adamw is not None:
                for p, g in zip(trainable, grads, strict=True):
                    p.grad = g.contiguous()  # the fused kernel assumes the param's strides
                for group in shared_adamw.param_groups:
                    group["lr"] = lrs[0] * ratio
                shared_adamw.step()
            else:
                _manual_step(trainable, grads, exp_avg, exp_avg_sq, lr, config, step)
        if record:
            loss_list, lr_list = losses.detach().cpu().tolist(), [v * ratio for v in lrs]
            for k in range(K):
                histories[k].append(
                    {"step": step, "loss": loss_list[k], "lr": lr_list[k], **extras[k]}
                )
        if step < config.steps:
            bar.update(1)
    bar.close()
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        y_full = labels if keep is None else labels[:, keep]
        final = _batched_losses(forward(inputs, False), y_full, sample_weights)
    return {
        "name": name,
        "vocab_size": vocab_size,
        "max_len": max_len,
        "overrides": overrides,
        "config": config,
        "params": {n: v.detach() for n, v in P.items()},
        "history": histories,
        "final_loss": final.cpu().numpy().astype(np.float64),
        "seeds": seeds,
        "lrs": lrs,
        "steps": config.steps,
        "seconds": seconds,
        "n_models": K,
    }


def looped_reference(
    name,
    vocab_size,
    inputs,
    labels,
    n_models,
    config,
    overrides=None,
    seeds=None,
    lrs=None,
    max_len=16,
    sample_weights=None,
) -> dict:
    """The same K runs as :func:`train_batched`, one :func:`empirical.training.train.train` call
    each."""
    from empirical.training.train import train

    K = as_int("n_models", n_models, minimum=1)
    seeds = _check_seeds(seeds, K, config.seed)
    lrs = [config.lr] * K if lrs is None else list(lrs)
    overrides = dict(overrides or {})
    states, finals, histories = [], [], []
    t0 = time.perf_counter()
    for k in range(K):
        model = build_model(name, vocab_size, max_len, seed=seeds[k], **overrides)
        cfg = dataclasses.replace(config, seed=seeds[k], lr=lrs[k], progress=False)
        out = train(model, inputs, labels, cfg, sample_weights=sample_weights)
        states.append(model.state_dict())
        finals.append(out["final_loss"])
        histories.append(out["history"])
    seconds = time.perf_counter() - t0
    params = {n: torch.stack([s[n] for s in states]) for n in states[0]}
    return {
        "params": params,
        "final_loss": np.asarray(finals),
        "history": histories,
        "seconds": seconds,
    }
