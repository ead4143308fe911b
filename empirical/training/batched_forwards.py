"""Hand-batched forwards of the tiny models for :mod:`empirical.training.batched`.

Parameters are stacked on a leading model axis K and inputs are (K, B, T): the 1-layer network,
Node2Vec, the Transformer (attention through ``scaled_dot_product_attention`` on K*B sequences)
and the Mamba (``reference`` and ``chunked`` scans, the model axis a batch axis) compute their
module's function with the same operations per model (up to float round-off), through ``bmm`` /
``baddbmm`` over the model axis instead of ``vmap``'s per-call overhead. :data:`HAND_BATCHED`
maps a model family to its forward ``(params, x, cfg, training, keep=None) -> logits``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


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
    from empirical.models.selective_scan import ChunkedScan

    K, nb, T, c = x.shape
    flat = [v.reshape(K * nb, T, v.shape[-1]) for v in (x, delta, Bm, C)]
    Drows = D.repeat_interleave(nb, 0)
    y, _ = ChunkedScan.apply(flat[0], flat[1], A, flat[2], flat[3], Drows, chunk)
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


HAND_BATCHED = {
    "one-layer": _one_layer_forward,
    "node2vec": _node2vec_forward,
    "transformer": _transformer_forward,
    "mamba": _mamba_forward,
}
POSITIONWISE = ("one-layer", "node2vec")  # logits at a position depend on its token only
PRUNABLE = ("transformer", "mamba")  # hand-batched forwards that take ``keep``
