r"""The selective scan of Mamba (Gu & Dao 2023, arXiv 2312.00752, Algorithm 2), three ways.

Per channel :math:`c` and state :math:`s`, with :math:`h_{-1} = 0`,

.. math:: h_t = e^{\Delta_t A} h_{t-1} + \Delta_t B_t x_t, \qquad y_t = C_t^\top h_t + D x_t

(zero-order hold for :math:`A`, Euler for :math:`B`, as in the reference implementation).
Shapes: ``x, delta`` (batch, T, d_inner); ``A`` (d_inner, d_state); ``B, C`` (batch, T,
d_state); ``D`` (d_inner,). Returns ``y`` (batch, T, d_inner).

* :func:`selective_scan` (the default of :class:`empirical.models.Mamba`): a chunked scan in
  plain torch with a hand-written backward (below). No CUDA extension; runs on any device.
* :func:`selective_scan_hillis_steele`: the log-depth associative scan the toolkit used before
  issue 18, kept so ``benchmarks/mamba_scan.py`` measures the speed-up in one run.
* :func:`selective_scan_reference`: the step-by-step recurrence through autograd, for the tests.

**The chunked scan.** Time is cut into chunks of ``L = chunk`` steps.

* ``T <= chunk`` (one chunk; every path-star sequence, T <= 20). The forward is one pass over
  time on (rows, d_state, d_inner) slabs: per step one outer product
  :math:`\Delta_t x_t B_t^\top`, one decay :math:`e^{\Delta_t A}`, one fused multiply-add and
  one batched matrix product for :math:`C_t^\top h_t`, keeping only two states; rows go in
  blocks of ``_BLOCK_BYTES`` of state so that a step's slabs stay in the CPU cache. Nothing of
  state size is stored. The backward recomputes the states, then runs the adjoint recurrence
  :math:`\bar g_t = C_t\, \partial y_t + e^{\Delta_{t+1} A} \odot \bar g_{t+1}` backwards in
  time, with :math:`q_t = \bar g_t \odot e^{\Delta_t A} \odot h_{t-1}`:
  :math:`\partial C_t = \sum_c h_t\, \partial y_t`,
  :math:`\partial B_t = \sum_c \bar g_t\, \Delta_t x_t`,
  :math:`\partial(\Delta_t x_t) = \sum_s B_t \bar g_t`,
  :math:`\partial \Delta_t \mathrel{+}= \sum_s A \odot q_t`,
  :math:`\partial A = \sum_{b,t} \Delta_t\, q_t`. A row whose output gradient is zero from step
  t on has a zero adjoint from t on and its later states are never read, so once fewer than
  ``_SPARSE`` of the rows are live both passes run on the live rows only. This is exact (only
  zeros are skipped) and large for causal language-model losses on padded batches: in the
  path-star mixed recipe 91% of the rows are edges with one labelled position, live at 2 of 11
  steps.
* ``T > chunk`` (several chunks): a two-level scan with the states stored position-major,
  ``h[j, k] = h_{kL + j}``. (1) Local scans of all chunks at once, one fused multiply-add per
  in-chunk position :math:`j` on a slab holding that position of every chunk; (2) carries, a
  short sequential pass over the chunks, :math:`h_{kL+j} \mathrel{+}= e^{A \Lambda_{kL+j}} \odot
  h_{kL-1}` with :math:`\Lambda_{kL+j} = \sum_{i=0}^{j} \Delta_{kL+i}` the within-chunk
  cumulative sum (log space: the cumulative product of the decays is the exponential of a
  cumulative sum that is never positive for :math:`\Delta \ge 0`, :math:`A \le 0`, so nothing
  overflows however large :math:`\Delta` is; underflow to 0 is the right answer); (3) outputs as
  batched matrix products. The backward is chunked the same way (carries :math:`e^{A R_t}`,
  :math:`R_t = \sum_{r=t+1}^{(k+1)L} \Delta_r`, a reverse cumulative sum, not a difference).

Every decay is taken as :math:`e^{\Delta A} = 2^{(\Delta \log_2 e) A}`: the internals receive
``dl = delta / ln 2`` and call ``exp2``, which torch 2.13 runs 2.6x faster than ``exp`` on CPU
(41 against 107 us for a (128, 16, 64) slab, one AVX-512 thread), and the gradient
accumulated against ``dl`` is scaled back by :math:`\ln 2`. The one rounding of ``delta / ln 2``
moves a decay by a relative :math:`|\Delta A| \cdot 2^{-24}` in float32.

Both are exact rewrites of the recurrence: no approximation, float round-off only. The log-depth
scan they replace spends a training step allocating, zero-filling and copying tensors of state
size in the backward of its slices and concatenations (torch profiler on the path-star quick
model: ``fill_`` 36%, ``mul`` 22%, ``copy_`` 11%, ``add_`` 9%, ``cat`` 9% of the CPU time).
Under :func:`torch.func.vmap` (``empirical.training.batched`` trains many Mambas at once) the model
axis is folded into the batch, each model keeping its own :math:`A` and :math:`D`.
"""

from __future__ import annotations

import math

import torch

from memtheory.checks import as_int

__all__ = [
    "DEFAULT_CHUNK",
    "selective_scan",
    "selective_scan_hillis_steele",
    "selective_scan_reference",
]

DEFAULT_CHUNK = 64  # one chunk for every sequence of the path-star tasks (T <= 20)
_BLOCK_BYTES = 1 << 19  # state bytes per block of rows in the one-chunk forward (L2-sized)
_LN2 = math.log(2.0)
_LOG2E = 1.0 / _LN2  # decays exp(delta A) are taken as exp2(delta log2(e) A): 2.6x faster on CPU


def selective_scan_reference(x, delta, A, B, C, D) -> torch.Tensor:
    r"""Slow sequential recurrence :math:`h_t = e^{\Delta_t A}h_{t-1} + \Delta_t B_t x_t`,
    :math:`y_t = C_t^\top h_t + D x_t`, with :math:`h_{-1} = 0` (Gu & Dao 2023, Algorithm 2).

    Shapes as in the module docstring; gradients by autograd through the loop.
    """
    batch, T, d_inner = x.shape
    h = x.new_zeros(batch, d_inner, A.shape[1])
    ys = []
    for t in range(T):
        decay = torch.exp(delta[:, t, :, None] * A)
        h = decay * h + (delta[:, t, :, None] * B[:, t, None, :]) * x[:, t, :, None]
        ys.append((h * C[:, t, None, :]).sum(-1) + D * x[:, t])
    return torch.stack(ys, dim=1)


def selective_scan_hillis_steele(x, delta, A, B, C, D) -> torch.Tensor:
    r"""Same result as :func:`selective_scan_reference`, by a log-depth prefix scan over time
    (the toolkit's scan before issue 18, kept for ``benchmarks/mamba_scan.py``).

    The recurrence :math:`h_t = a_t h_{t-1} + b_t` composes associatively,
    :math:`(a_1, b_1) \circ (a_2, b_2) = (a_1 a_2,\; a_2 b_1 + b_2)`, so ``ceil(log2 T)``
    Hillis-Steele sweeps over (batch, T, d_inner, d_state) tensors replace ``T`` sequential steps.
    """
    T = x.shape[1]
    a = torch.exp(delta.unsqueeze(-1) * A)  # (b, T, d_inner, N)
    h = (delta * x).unsqueeze(-1) * B.unsqueeze(2)  # (b, T, d_inner, N)
    offset = 1
    while offset < T:
        h = torch.cat([h[:, :offset], a[:, offset:] * h[:, :-offset] + h[:, offset:]], dim=1)
        if offset * 2 < T:
            a = torch.cat([a[:, :offset], a[:, offset:] * a[:, :-offset]], dim=1)
        offset *= 2
    return torch.einsum("btcn,btn->btc", h, C) + D * x


def selective_scan(x, delta, A, B, C, D, *, chunk: int = DEFAULT_CHUNK) -> torch.Tensor:
    r"""The selective scan :math:`y_t = C_t^\top h_t + D x_t`,
    :math:`h_t = e^{\Delta_t A} h_{t-1} + \Delta_t B_t x_t` (Gu & Dao 2023, Algorithm 2), by the
    chunked scan of the module docstring with chunks of ``chunk`` time steps.

    Equals :func:`selective_scan_reference` up to float round-off, outputs and gradients with
    respect to every input (hand-written backward; not twice differentiable).
    """
    chunk = as_int("chunk", chunk, minimum=1)
    if x.ndim != 3 or delta.shape != x.shape:
        raise ValueError(f"x and delta must be (batch, T, d_inner), got {tuple(x.shape)}")
    b, T, d_inner = x.shape
    if A.ndim != 2 or A.shape[0] != d_inner:
        raise ValueError(f"A must be (d_inner={d_inner}, d_state), got {tuple(A.shape)}")
    if B.shape != (b, T, A.shape[1]) or C.shape != B.shape:
        raise ValueError(f"B and C must be (batch, T, d_state), got {tuple(B.shape)}")
    if T == 0:
        return D * x
    return ChunkedScan.apply(x, delta, A, B, C, D, chunk)[0]


# ----------------------------------------------------------------------------- internals
#
# Layout: position-major (L, K, G, r, ...) with t = k L + j at [j, k]; the batch is split into G
# groups of r rows that share one A (G = 1 except under vmap, where G is the model axis).
# States are (L, K, G, r, d_state, d_inner): d_inner innermost.


def _to_chunks(v: torch.Tensor, G: int, L: int, K: int) -> torch.Tensor:
    """(batch, T, m) -> (L, K, G, r, m), zero-padded in time to K * L (zero delta: decay 1;
    zero input and zero output gradient: the padded positions change nothing)."""
    b, T, m = v.shape
    v = v.reshape(G, b // G, T, m)
    if K * L != T:
        v = torch.nn.functional.pad(v, (0, 0, 0, K * L - T))
    return v.reshape(G, b // G, K, L, m).permute(3, 2, 0, 1, 4).contiguous()


def _from_chunks(v: torch.Tensor, T: int) -> torch.Tensor:
    """(L, K, G, r, m) -> (batch, T, m)."""
    L, K, G, r, m = v.shape
    return v.permute(2, 3, 1, 0, 4).reshape(G * r, K * L, m)[:, :T]


def _decay(dl_j: torch.Tensor, AT: torch.Tensor, out: torch.Tensor) -> torch.Tensor:
    """``exp(delta ⊗ A) = exp2(dl ⊗ A)`` for one slab: dl_j (..., G, r, d_inner) (delta in base 2,
    ``delta / ln 2``), AT (G, 1, d_state, d_inner)."""
    return torch.mul(dl_j.unsqueeze(-2), AT, out=out).exp2_()


def _bmv(row: torch.Tensor, mat: torch.Tensor, out: torch.Tensor) -> None:
    """``out[i] = row[i] @ mat[i]`` over all leading indices: (..., 1, p) @ (..., p, q)."""
    p, q = mat.shape[-2:]
    torch.bmm(row.reshape(-1, 1, p), mat.reshape(-1, p, q), out=out.view(-1, 1, q))


def _mv(mat: torch.Tensor, col: torch.Tensor, out: torch.Tensor) -> None:
    """``out[i] = mat[i] @ col[i]`` over all leading indices: (..., p, q) @ (..., q), computed
    as ``col^T mat^T`` (a row times a transposed matrix is the faster bmm on CPU)."""
    p, q = mat.shape[-2:]
    torch.bmm(col.reshape(-1, 1, q), mat.reshape(-1, p, q).transpose(1, 2), out=out.view(-1, 1, p))


def _scan_forward(dl, dx, AT, Bc, Cc):
    """States and outputs: returns ``(h, y)``, h (L, K, G, r, N, c), y (L, K, G, r, c)."""
    L, K, G, r, c = dl.shape
    N = AT.shape[-2]
    h = dl.new_empty(L, K, G, r, N, c)
    y = dl.new_empty(L, K, G, r, c)
    a = dl.new_empty(K, G, r, N, c)
    for j in range(L):  # 1. local scans of all chunks at once
        torch.mul(dx[j].unsqueeze(-2), Bc[j].unsqueeze(-1), out=h[j])
        if j:
            h[j].addcmul_(_decay(dl[j], AT, a), h[j - 1])
    lam = dl.cumsum(0)  # 2. carries: h[:, k] += exp(A * cumsum_within_chunk(delta)) h[L-1, k-1]
    P = dl.new_empty(L, G, r, N, c)
    for k in range(1, K):
        h[:, k].addcmul_(_decay(lam[:, k], AT, P), h[L - 1, k - 1])
    _bmv(Cc, h, y)  # 3. outputs
    return h, y


def _scan_backward(gy, dl, dx, AT, Bc, Cc, h):
    """Gradients wrt (dl, dx, AT, Bc, Cc), all in chunk layout, given gy = dL/dy (chunk layout)."""
    L, K, G, r, N, c = h.shape
    g = torch.empty_like(h)  # adjoint states g_bar
    g_dl = torch.zeros_like(dl)
    g_dx, g_B, g_C = torch.empty_like(dx), torch.empty_like(Bc), torch.empty_like(Cc)
    g_AT = AT.new_zeros(G, 1, N, c)
    a = h.new_empty(K, G, r, N, c)
    q = h.new_empty(K, G, r, N, c)
    for j in range(L - 1, -1, -1):  # 1. local adjoint scans, all chunks at once
        torch.mul(gy[j].unsqueeze(-2), Cc[j].unsqueeze(-1), out=g[j])
        if j < L - 1:
            g[j].addcmul_(_decay(dl[j + 1], AT, a), g[j + 1])
    # 2. carries, last chunk first: g[:, k] += exp(A R) * g[0, k+1], R_t = sum_{t<r<=(k+1)L}
    rev = dl.flip(0).cumsum(0).flip(0)  # inclusive reverse cumsum within each chunk
    R = torch.cat([rev[1:], torch.zeros_like(rev[:1])]) + dl[0].roll(-1, dims=0)
    P = h.new_empty(L, G, r, N, c)
    for k in range(K - 2, -1, -1):
        g[:, k].addcmul_(_decay(R[:, k], AT, P), g[0, k + 1])
    for j in range(L):  # 3. parameter gradients, all chunks at once
        _mv(h[j], gy[j], g_C[j])
        _mv(g[j], dx[j], g_B[j])
        _bmv(Bc[j], g[j], g_dx[j])
        torch.mul(g[j], _decay(dl[j], AT, a), out=q)
        if j:
            q.mul_(h[j - 1])
        else:  # the previous state of chunk k is the last one of chunk k-1; chunk 0 has none
            q[1:].mul_(h[L - 1, :-1])
            q[0].zero_()
        g_AT.add_((q * dl[j].unsqueeze(-2)).sum(dim=(0, 2)).unsqueeze(1))
        torch.sum(q.mul_(AT), dim=-2, out=g_dl[j])
    return g_dl, g_dx, g_AT, g_B, g_C


def _row_params(A3: torch.Tensor, rows: int) -> torch.Tensor:
    """A (G, c, N) -> AT (N, c) when G == 1, else one (N, c) per batch row, (rows, N, c) (the
    G groups of rows / G consecutive rows each)."""
    G, c, N = A3.shape
    if G == 1:
        return A3[0].t().contiguous()
    return A3.transpose(1, 2).repeat_interleave(rows // G, dim=0)


def _steps(v: torch.Tensor, dim: int) -> tuple:
    """Per-time-step views of v (batch, T, m): ``dim=-2`` gives (batch, 1, m) rows, ``dim=-1``
    (batch, m, 1) columns, the operands of the batched products below."""
    return v.unsqueeze(dim).unbind(1)


def _one_chunk_forward(x, delta, dxf, A3, B, C) -> torch.Tensor:
    """``C_t^T h_t`` for ``T <= chunk``: one pass over time on (rows, d_state, d_inner) slabs,
    keeping only the current and the previous state (the backward recomputes the states). Rows
    go in blocks of about ``_BLOCK_BYTES`` of state, so that a step's slabs stay in cache."""
    b, T, c = x.shape
    N = B.shape[-1]
    AT = _row_params(A3, b)
    rows = max(1, _BLOCK_BYTES // (N * c * x.element_size()))
    h = [x.new_empty(min(rows, b), N, c), x.new_empty(min(rows, b), N, c)]
    a = torch.empty_like(h[0])
    y = x.new_empty(T, b, 1, c)
    for lo in range(0, b, rows):
        hi = min(lo + rows, b)
        k = hi - lo
        AT_k = AT[lo:hi] if AT.ndim == 3 else AT
        dl, dx, Cr = (_steps(v[lo:hi], -2) for v in (delta, dxf, C))
        Bc, y_k = _steps(B[lo:hi], -1), y[:, lo:hi].unbind(0)
        h_k, a_k = (h, a) if k == h[0].shape[0] else ([v[:k] for v in h], a[:k])
        for t in range(T):
            h_t = torch.mul(dx[t], Bc[t], out=h_k[t % 2])  # Delta_t B_t x_t
            if t:
                h_t.addcmul_(torch.mul(dl[t], AT_k, out=a_k).exp2_(), h_k[(t - 1) % 2])
            torch.bmm(Cr[t], h_t, out=y_k[t])
    return y.view(T, b, c).transpose(0, 1)  # a (batch, T, c) view; the caller adds D x


def _block_steps(inputs, lo: int, hi: int) -> list:
    """Per-step views of rows lo:hi of (delta, delta x, dL/dy, B, C): delta_t, (delta x)_t,
    dL/dy_t and B_t as rows (k, 1, m), B_t and C_t as columns (k, m, 1)."""
    delta, dxf, gy, B, C = (v[lo:hi] for v in inputs)
    return [_steps(v, -2) for v in (delta, dxf, gy, B)] + [_steps(v, -1) for v in (B, C)]


def _one_chunk_backward(gy, x, delta, dxf, A3, B, C):
    """Gradients wrt (delta x, delta through A, A3, B, C) for ``T <= chunk`` (dxf = delta x).

    The states are recomputed forward in time, then the adjoint recurrence runs backwards. A row
    whose output gradient is zero from step t on has a zero adjoint state from t on, and its
    states after t are never read: from the first step t0 at which fewer than ``_SPARSE`` of the
    rows are live, both passes work on the live rows only (:func:`_live_rows_backward`). Exact
    (only zeros are skipped); a causal language-model loss on padded rows (the edge rows of the
    path-star task) leaves most positions without gradient. The steps before t0 run on all rows,
    in cache-sized blocks of rows.
    """
    b, T, c = x.shape
    N = B.shape[-1]
    AT = _row_params(A3, b)
    per_row = AT.ndim == 3
    steps = torch.arange(T, device=gy.device)
    live = gy.abs().amax(-1) != 0  # (batch, T); NaN counts as live
    last = torch.where(live, steps, -1).amax(1)  # last step with a gradient, per row
    n_live = (last[None, :] >= steps[:, None]).sum(1).tolist()
    t0 = sum(n >= _SPARSE * b for n in n_live)  # steps 0..t0-1 on all rows, later on live rows
    inputs = (delta, dxf, gy, B, C)
    grads = [x.new_empty(T, b, 1, m) for m in (c, c, N, N)]  # dL/d(delta via A), d(delta x), dB, dC
    grads[0][0].zero_()  # h_{-1} = 0: no gradient through the first decay
    acc = x.new_empty(b, N, c)  # sum over time of q_t * delta_t per row: dL/dA after a row sum
    H = x.new_empty(t0, b, N, c)  # states of the all-rows steps
    block = max(1, _BLOCK_BYTES // (N * c * x.element_size()))
    work = [x.new_empty(min(block, b), N, c) for _ in range(6)]
    for lo in range(0, b, block):  # 1. states of the all-rows steps, by blocks of rows
        hi = min(lo + block, b)
        AT_k = AT[lo:hi] if per_row else AT
        dl, dx, _, _, Bc, _ = _block_steps(inputs, lo, hi)
        H_k = H[:, lo:hi].unbind(0)
        for t in range(t0):
            torch.mul(dx[t], Bc[t], out=H_k[t])
            if t:
                decay = torch.mul(dl[t], AT_k, out=work[0][: hi - lo]).exp2_()
                H_k[t].addcmul_(decay, H_k[t - 1])
    live_part = None
    if t0 < T:
        order = torch.argsort(last, descending=True, stable=True)
        for v in grads:  # rows not live at a live-rows step have zero gradients
            v[t0:].zero_()
        live_part = _live_rows_backward(inputs, AT, H, order, n_live, t0, grads)
    for lo in range(0, b, block):  # 2. adjoint of the all-rows steps, by blocks of rows
        hi = min(lo + block, b)
        k = hi - lo
        AT_k = AT[lo:hi] if per_row else AT
        g_next, a_next = None, None
        per_step = _block_steps(inputs, lo, hi)
        for t in range(t0 - 1, -1, -1):
            dl_t, dx_t, gy_t, Br_t, Bc_t, Cc_t = (v[t] for v in per_step)
            g = torch.mul(gy_t, Cc_t, out=work[1 + t % 2][:k])
            if g_next is not None:
                g.addcmul_(a_next, g_next)
            elif live_part is not None and live_part[0] is not None:  # from step t0's live rows
                rows, contrib = live_part[0], live_part[1]
                sel = (rows >= lo) & (rows < hi)
                g.index_add_(0, rows[sel] - lo, contrib[sel])
            torch.bmm(gy_t, H[t, lo:hi].transpose(1, 2), out=grads[3][t, lo:hi])
            torch.bmm(dx_t, g.transpose(1, 2), out=grads[2][t, lo:hi])
            torch.bmm(Br_t, g, out=grads[1][t, lo:hi])
            if t:  # q_t = g_t * exp(delta_t A) * h_{t-1}: the gradient wrt delta_t A
                a_next = torch.mul(dl_t, AT_k, out=work[3 + t % 2][:k]).exp2_()
                q = torch.mul(g, a_next, out=work[5][:k]).mul_(H[t - 1, lo:hi])
                if t == t0 - 1:
                    torch.mul(q, dl_t, out=acc[lo:hi])
                else:
                    acc[lo:hi].addcmul_(q, dl_t)
                torch.sum(q.mul_(AT_k), -2, keepdim=True, out=grads[0][t, lo:hi])
            g_next = g
    if t0 < 2:
        acc.zero_()
    if live_part is not None and live_part[2].numel():
        acc.index_add_(0, live_part[2], live_part[3])
    G = A3.shape[0]
    g_A = acc.view(G, b // G, N, c).sum(1).transpose(1, 2)
    g_dl, g_dx, g_B, g_C = (v.squeeze(2).transpose(0, 1) for v in grads)
    return g_dx, g_dl, g_A, g_B, g_C


def _live_rows_backward(inputs, AT, H, order, n_live, t0, grads):
    """States and adjoint of the steps t >= t0 on their live rows ``order[:n_live[t]]`` (a row
    live at t is live at every earlier step, so these are nested prefixes of ``order``); writes
    their gradients into ``grads``. ``inputs`` are (delta, delta x, dL/dy, B, C), (batch, T, m).
    Returns ``(rows, contrib, acc_rows, acc_values)``: the rows live at t0 and
    ``exp(delta_t0 A) g_t0`` on them (what the adjoint of step t0 - 1 receives; None when t0 = 0
    or no row is live), and their share of the per-row dL/dA accumulator."""
    T, n0 = len(n_live), n_live[t0]
    rows0 = order[:n0]
    if n0 == 0:
        return None, None, rows0, H.new_empty(0)
    delta, dxf, gy, B, C = (v.index_select(0, rows0)[:, t0:] for v in inputs)
    dl, dx, gyr, Br = (_steps(v, -2) for v in (delta, dxf, gy, B))
    Bc, Cc = _steps(B, -1), _steps(C, -1)
    AT = AT.index_select(0, rows0) if AT.ndim == 3 else AT
    per_row = AT.ndim == 3

    def cut(v, n):  # the first n rows (no slicing op when that is all of them)
        return v if n == n0 else v[:n]

    h_start = H[t0 - 1].index_select(0, rows0) if t0 else None  # the states before t0
    hs = []
    for i in range(T - t0):  # states, forward in time
        n = n_live[t0 + i]
        if n == 0:
            break
        h_t = torch.mul(cut(dx[i], n), cut(Bc[i], n))
        prev = h_start if i == 0 else cut(hs[-1], n)
        if prev is not None:
            h_t.addcmul_(torch.mul(cut(dl[i], n), cut(AT, n) if per_row else AT).exp2_(), prev)
        hs.append(h_t)
    outs = [gy.new_zeros(T - t0, n0, 1, m) for m in (gy.shape[-1], gy.shape[-1], *B.shape[-1:] * 2)]
    acc = gy.new_empty(n0, *hs[0].shape[1:])
    touched = 0
    g, g_next, a_next = None, None, None
    for i in range(len(hs) - 1, -1, -1):  # adjoint, backwards in time
        n = n_live[t0 + i]
        AT_i = cut(AT, n) if per_row else AT
        g = torch.mul(cut(gyr[i], n), cut(Cc[i], n))
        if g_next is not None:
            g[: g_next.shape[0]].addcmul_(a_next, g_next)
        torch.bmm(cut(gyr[i], n), hs[i].transpose(1, 2), out=cut(outs[3][i], n))
        torch.bmm(cut(dx[i], n), g.transpose(1, 2), out=cut(outs[2][i], n))
        torch.bmm(cut(Br[i], n), g, out=cut(outs[1][i], n))
        prev = h_start if i == 0 else hs[i - 1]
        if prev is not None:  # q_t = g_t * exp(delta_t A) * h_{t-1}
            a_next = torch.mul(cut(dl[i], n), AT_i).exp2_()
            q = torch.mul(g, a_next).mul_(cut(prev, n))
            if touched:  # rows live at t include every row live later: touched <= n
                acc[:touched].addcmul_(q[:touched], dl[i][:touched])
            if n > touched:
                torch.mul(q[touched:], dl[i][touched:n], out=acc[touched:n])
                touched = n
            torch.sum(q.mul_(AT_i), -2, keepdim=True, out=cut(outs[0][i], n))
        g_next = g
    for v, out in zip(grads, outs, strict=True):
        v[t0:].index_copy_(1, rows0, out)
    contrib = (rows0, a_next * g) if t0 else (None, None)
    return (*contrib, order[:touched], acc[:touched])


_SPARSE = 0.75  # a step runs on its live rows only when fewer than this fraction of rows is live


def _group_params(A: torch.Tensor) -> torch.Tensor:
    """A (G, d_inner, d_state) -> AT (G, 1, d_state, d_inner)."""
    return A.transpose(-1, -2).unsqueeze(1).contiguous()


class ChunkedScan(torch.autograd.Function):
    """``(y, saved)``: y = ``C_t^T h_t + D x_t`` for x, delta (batch, T, c), A (G, c, N) or
    (c, N) (G groups of batch rows, each with its own A), B, C (batch, T, N), D (c,) or one per
    row (batch, c); ``saved`` is ``delta * x`` (one chunk) or the states (several)."""

    @staticmethod
    def forward(x, delta, A, B, C, D, chunk):
        b, T, _ = x.shape
        A3 = A if A.ndim == 3 else A.unsqueeze(0)
        G = A3.shape[0]
        dxf, dl = delta * x, delta * _LOG2E  # decays are exp2(dl A)
        if T <= chunk:  # no stored states: the backward recomputes them
            y, saved = _one_chunk_forward(x, dl, dxf, A3, B, C), dxf
        else:
            L, K = chunk, -(-T // chunk)
            dl, dx = _to_chunks(dl, G, L, K), _to_chunks(dxf, G, L, K)
            Bc, Cc = _to_chunks(B, G, L, K), _to_chunks(C, G, L, K)
            saved, y = _scan_forward(dl, dx, _group_params(A3), Bc, Cc)
            y = _from_chunks(y, T)
        return torch.addcmul(y, x, D if D.ndim == 1 else D[:, None]), saved

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, delta, A, B, C, D, chunk = inputs
        ctx.save_for_backward(x, delta, A, B, C, D, output[1])
        ctx.mark_non_differentiable(output[1])
        ctx.set_materialize_grads(False)  # no zero tensor of state size for the unused output

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, grad_y, _grad_saved):
        x, delta, A, B, C, D, saved = ctx.saved_tensors
        if grad_y is None:
            return (None,) * 7
        b, T, _ = x.shape
        A3 = A if A.ndim == 3 else A.unsqueeze(0)
        dl = delta * _LOG2E
        if saved.ndim == 3:  # one chunk: saved is delta * x, the states are recomputed
            g_dx, g_dl, g_A, g_B, g_C = _one_chunk_backward(grad_y, x, dl, saved, A3, B, C)
        else:
            L, K, G = saved.shape[:3]
            dl, dxc = _to_chunks(dl, G, L, K), _to_chunks(delta * x, G, L, K)
            gy = _to_chunks(grad_y.contiguous(), G, L, K)
            Bc, Cc = _to_chunks(B, G, L, K), _to_chunks(C, G, L, K)
            out = _scan_backward(gy, dl, dxc, _group_params(A3), Bc, Cc, saved)
            g_dl, g_dx, g_B, g_C = (_from_chunks(out[i], T) for i in (0, 1, 3, 4))
            g_A = out[2].squeeze(1).transpose(-1, -2)
        g_x = torch.addcmul(g_dx * delta, grad_y, D if D.ndim == 1 else D[:, None])
        g_delta = torch.addcmul(g_dl, g_dx, x)
        g_D = (grad_y * x).sum((0, 1) if D.ndim == 1 else 1)
        g_A = g_A.reshape(A.shape) * _LN2  # accumulated against dl = delta / ln 2
        return g_x, g_delta, g_A, g_B, g_C, g_D, None

    @staticmethod
    def vmap(info, in_dims, x, delta, A, B, C, D, chunk):
        """Fold the vmapped (model) axis into the batch: a batched A becomes one A per group of
        rows, a batched D one D per row."""
        n = info.batch_size

        def front(v, dim, ndim):
            return v.movedim(dim, 0) if dim is not None else v.expand(n, *v.shape[-ndim:])

        dims = (in_dims[0], in_dims[1], in_dims[3], in_dims[4])
        xs = [front(v, d, 3) for v, d in zip((x, delta, B, C), dims, strict=True)]
        rows = xs[0].shape[1]
        flat = [v.reshape(n * rows, *v.shape[2:]) for v in xs]
        A_all = A if in_dims[2] is None else A.movedim(in_dims[2], 0)
        D_all = D if in_dims[5] is None else D.movedim(in_dims[5], 0).repeat_interleave(rows, 0)
        y, saved = ChunkedScan.apply(flat[0], flat[1], A_all, flat[2], flat[3], D_all, chunk)
        y = y.reshape(n, rows, *y.shape[1:])
        return (y, saved.expand(n, *saved.shape)), (0, 0)
