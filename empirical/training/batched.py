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
from empirical.training.train import (
    DTYPES,
    TrainConfig,
    _Batches,
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


# --------------------------------------------------------------------------------------------
# hand-batched forwards: parameters stacked on a leading model axis K, inputs (K, B, T)
# --------------------------------------------------------------------------------------------
def _embed(E, x):
    """Rows ``E[k, x[k]]``: (K, V, d), (K, B, T) -> (K, B, T, d)."""
    return E[torch.arange(E.shape[0], device=E.device).view(-1, 1, 1), x]


def _linear(x, W, b=None):
    """Per-model ``x W^T + b``: x (K, ..., in), W (K, out, in), b (K, out)."""
    K, shape = x.shape[0], x.shape
    y = _BatchedLinear.apply(x.reshape(K, -1, shape[-1]), W, b)
    return y.reshape(*shape[:-1], W.shape[1])


class _BatchedLinear(torch.autograd.Function):
    """``bmm(x, W^T) (+ b)`` with the gradient of ``W`` formed as ``grad^T x``, (K, out, in) in
    ``W``'s own layout. Autograd's ``bmm`` backward forms ``x^T grad`` (K, in, out) and hands
    its transpose over; the fused AdamW then needs a contiguous copy, a strided transpose of
    the whole stacked weight every step (a third of the step of the width-512 1-layer net).
    Same products, same sums; only the order of the additions over rows may differ."""

    # forward(ctx, ...) style: with a separate setup_context, Function.apply binds the
    # arguments through inspect.signature on every call (0.2 ms, the cost of a whole layer here)
    @staticmethod
    def forward(ctx, x2, W, b):
        ctx.save_for_backward(x2, W)
        ctx.has_bias = b is not None
        Wt = W.transpose(1, 2)
        return torch.bmm(x2, Wt) if b is None else torch.baddbmm(b.unsqueeze(1), x2, Wt)

    @staticmethod
    def backward(ctx, grad):
        x2, W = ctx.saved_tensors
        g_x = torch.bmm(grad, W) if ctx.needs_input_grad[0] else None
        g_W = torch.bmm(grad.transpose(1, 2), x2) if ctx.needs_input_grad[1] else None
        g_b = grad.sum(1) if ctx.has_bias and ctx.needs_input_grad[2] else None
        return g_x, g_W, g_b


def _layernorm(x, w, b, eps=1e-5):
    K = x.shape[0]
    view = (K,) + (1,) * (x.ndim - 2) + (x.shape[-1],)
    return F.layer_norm(x, x.shape[-1:], eps=eps) * w.view(view) + b.view(view)


def _one_layer_forward(P, x, cfg, training, keep=None):
    h = F.dropout(_embed(P["token_embedding"], x), cfg.dropout, training)
    z = _linear(h, P["W"], P.get("b"))
    return _linear(z, P["token_embedding"])


def _node2vec_forward(P, x, cfg, training, keep=None):
    return _linear(_embed(P["token_embedding"], x), P["token_embedding"])


def _transformer_forward(P, x, cfg, training, keep=None):
    """Logits (K, B, T, V), or (K, B, len(keep), V) at the positions ``keep`` only.

    With ``keep`` the last block computes attention queries, the MLP, the final norm and the
    head only where they are needed (everything after the last attention is position-wise):
    the same numbers, less work (the edge task needs position 1 of 2).
    """
    K, B, T = x.shape
    if T > cfg.max_len:
        raise ValueError(f"sequence length {T} exceeds max_len={cfg.max_len}")
    p_drop = cfg.dropout if training else 0.0
    h = _embed(P["token_embedding"], x)
    if cfg.pos == "learned":
        h = h + P["pos_embedding"][:, None, :T]
    elif cfg.pos == "sinusoidal":
        h = h + P["pos_table"][:, None, :T].to(h.dtype)
    h = F.dropout(h, p_drop, training)
    C, H = cfg.d_model, cfg.n_head

    def norm(z, name):
        return _layernorm(z, P[name + ".weight"], P[name + ".bias"]) if cfg.layernorm else z

    def heads(z):
        return z.reshape(K * B, z.shape[2], H, C // H).transpose(1, 2)

    for i in range(cfg.n_layer):
        pre = f"blocks.{i}."
        prune = keep is not None and i == cfg.n_layer - 1
        if cfg.attention:
            a = norm(h, pre + "ln_1")
            W, b = P[pre + "attn.c_attn.weight"], P[pre + "attn.c_attn.bias"]
            if prune:  # queries only at the kept positions; keys and values everywhere
                q = heads(_linear(a[:, :, keep], W[:, :C], b[:, :C]))
                k, v = (heads(z) for z in _linear(a, W[:, C:], b[:, C:]).split(C, -1))
                causal = keep[:, None] >= torch.arange(T, device=keep.device)[None, :]
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=causal, dropout_p=p_drop)
                h = h[:, :, keep]
            else:
                q, k, v = (heads(z) for z in _linear(a, W, b).split(C, -1))
                y = F.scaled_dot_product_attention(q, k, v, dropout_p=p_drop, is_causal=True)
            y = y.transpose(1, 2).reshape(K, B, -1, C)
            out = _linear(y, P[pre + "attn.c_proj.weight"], P[pre + "attn.c_proj.bias"])
            out = F.dropout(out, p_drop, training)
            h = h + out if cfg.residual else out
        elif prune:
            h = h[:, :, keep]
        if cfg.mlp:
            z = _linear(norm(h, pre + "ln_2"), P[pre + "mlp.c_fc.weight"], P[pre + "mlp.c_fc.bias"])
            out = _linear(F.gelu(z), P[pre + "mlp.c_proj.weight"], P[pre + "mlp.c_proj.bias"])
            out = F.dropout(out, p_drop, training)
            h = h + out if cfg.residual else out
    h = norm(h, "ln_f")
    head = P["token_embedding"] if cfg.tie_embeddings else P["lm_head_weight"]
    return _linear(h, head)


def _causal_conv(x, weight, bias):
    r"""Per-model causal depthwise convolution :math:`y_t = b + \sum_s w_{k-1-s} x_{t-s}`:
    x (K, B, T, c), weight (K, c, 1, k), bias (K, c) (``empirical.models.mamba``'s
    ``causal_depthwise_conv``, one filter per model; plain ops, autograd's backward)."""
    K, T, k = x.shape[0], x.shape[2], weight.shape[-1]
    w = weight.reshape(K, 1, 1, -1, k)
    y = torch.addcmul(bias.view(K, 1, 1, -1), x, w[..., k - 1])
    for s in range(1, min(k, T)):
        y = y + F.pad(x[:, :, : T - s] * w[..., k - 1 - s], (0, 0, s, 0))
    return y


def _scan_reference(x, delta, A, Bm, C, D, need=None):
    r"""The recurrence :math:`h_t = e^{\Delta_t A} h_{t-1} + \Delta_t B_t x_t`,
    :math:`y_t = C_t^\top h_t + D x_t` (``selective_scan_reference``) with a model axis: x,
    delta (K, B, T, c), A (K, c, N), Bm, C (K, B, T, N), D (K, c).

    ``need``: the time steps whose ``y_t`` is read (``None``: all); the others are returned as
    zeros (the caller drops them). :math:`h_0 = \Delta_0 B_0 x_0` skips the decay of the zero
    state (the same floats: ``e^{..} * 0 + v == v``). On the two-token tiny-graph inputs, with
    ``y_0`` not read, this is 10 state-sized products instead of 18, and as many fewer in the
    backward pass."""
    K, nb, T, c = x.shape
    A, D = A[:, None], D[:, None]
    ys = []
    h = None
    for t in range(T):
        inject = (delta[:, :, t, :, None] * Bm[:, :, t, None, :]) * x[:, :, t, :, None]
        if h is None:
            h = inject
        else:
            h = torch.exp(delta[:, :, t, :, None] * A) * h + inject
        if need is None or t in need:
            ys.append((h * C[:, :, t, None, :]).sum(-1) + D * x[:, :, t])
        else:
            ys.append(x.new_zeros(K, nb, c))
    return torch.stack(ys, dim=2)


def _scan_chunked(x, delta, A, Bm, C, D, chunk):
    """The chunked scan with the model axis folded into the batch, one ``A`` per model and one
    ``D`` per row (what its ``vmap`` rule does)."""
    from empirical.models.selective_scan import _ChunkedScan

    K, nb, T, c = x.shape
    flat = [v.reshape(K * nb, T, v.shape[-1]) for v in (x, delta, Bm, C)]
    Drows = D.repeat_interleave(nb, 0)
    y, _ = _ChunkedScan.apply(flat[0], flat[1], A, flat[2], flat[3], Drows, chunk)
    return y.reshape(K, nb, T, c)


def _mamba_forward(P, x, cfg, training, keep=None):
    """Logits (K, B, T, V) of K Mambas (``empirical.models.mamba``, scans ``reference`` and
    ``chunked``), or (K, B, len(keep), V) at the positions ``keep`` (the final norm and the
    head are position-wise: the same numbers, less work)."""
    h = _embed(P["token_embedding"], x)
    di, r, n = cfg.d_inner, cfg.dt_rank, cfg.d_state
    for i in range(cfg.n_layer):
        pre = f"blocks.{i}."
        m = pre + "mixer."
        u = _layernorm(h, P[pre + "norm.weight"], P[pre + "norm.bias"])
        w_in, w_x = P[m + "in_proj.weight"], P[m + "x_proj.weight"]
        if cfg.scan == "reference":
            # one product per weight, outputs split as views: fewer autograd nodes than one
            # product per row block (no slice backward into the weight), the same products
            # up to float round-off (the gemm blocks differ);
            # the short sequences that use this scan are bound by per-op overhead
            xs, z = _linear(u, w_in).split(di, -1)
            xs = F.silu(_causal_conv(xs, P[m + "conv1d.weight"], P[m + "conv1d.bias"]))
            dt, Bm, C = _linear(xs, w_x).split((r, n, n), -1)
        else:  # row blocks: each output contiguous (the chunked scan reads them by chunk)
            xs, z = _linear(u, w_in[:, :di]), _linear(u, w_in[:, di:])
            xs = F.silu(_causal_conv(xs, P[m + "conv1d.weight"], P[m + "conv1d.bias"]))
            dt, Bm, C = (_linear(xs, w) for w in (w_x[:, :r], w_x[:, r : r + n], w_x[:, r + n :]))
        delta = F.softplus(_linear(dt, P[m + "dt_proj.weight"], P[m + "dt_proj.bias"]))
        A = -torch.exp(P[m + "A_log"])
        if cfg.scan == "chunked":
            y = _scan_chunked(xs, delta, A, Bm, C, P[m + "D"], cfg.chunk)
        else:  # last layer with ``keep``: only the kept positions' outputs are read
            need = set(keep.tolist()) if keep is not None and i == cfg.n_layer - 1 else None
            y = _scan_reference(xs, delta, A, Bm, C, P[m + "D"], need)
        out = _linear(y * F.silu(z), P[m + "out_proj.weight"])
        h = h + out if cfg.residual else out
    if keep is not None:
        h = h[:, :, keep]
    h = _layernorm(h, P["norm_f.weight"], P["norm_f.bias"])
    head = P["token_embedding"] if cfg.tie_embeddings else P["lm_head_weight"]
    return _linear(h, head)


_HAND_BATCHED = {
    "one-layer": _one_layer_forward,
    "node2vec": _node2vec_forward,
    "transformer": _transformer_forward,
    "mamba": _mamba_forward,
}
_POSITIONWISE = ("one-layer", "node2vec")  # logits at a position depend on its token only
_PRUNABLE = ("transformer", "mamba")  # hand-batched forwards that take ``keep``


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

    if family in _HAND_BATCHED and getattr(model_cfg, "scan", "chunked") != "hillis-steele":
        fwd = _HAND_BATCHED[family]

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
    if fwd is not None and family in _PRUNABLE and labelled.numel() < labels.shape[1]:
        keep = labelled
    batches = [_Batches(inputs.shape[0], config.batch_size, s) for s in seeds]
    full = batches[0].batch_size is None
    x_all, y_all, w_all = inputs, labels, sample_weights
    if full and family in _POSITIONWISE:  # only labelled positions matter: drop the others
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
