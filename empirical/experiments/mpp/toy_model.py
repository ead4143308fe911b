"""A stack of G independent periodic 1-D conv nets, trained at once, for the Fourier toy.

Each model maps a history of ``T`` frames on ``n`` periodic points to the next frame, MPP style
(McCabe et al. 2023, arXiv 2310.02994, Sec. 3; notes Sec. 1.1, 1.4): RevIN with statistics over
the whole history, :math:`F(x) = \\sigma\\,(z_T + g(z)) + \\mu` with :math:`z = (x - \\mu)/\\sigma`
(the inner network ``g`` predicts the normalized increment over the last frame), trained with the
per-sample normalized MSE :math:`\\lVert\\hat y - y\\rVert^2 / (\\lVert y\\rVert^2 + 10^{-7})`.
There is no system id: the coefficients reach the model only through the history.

``g`` is ``depth`` circular convolutions (kernel ``kernel``, ``width`` channels, GELU between).
The G models share one architecture; their parameters carry a leading model axis and one step
of all G runs is one forward/backward of the sum of their losses. The models do not interact
(Adam is elementwise), so each follows its own run, as in :mod:`empirical.batched`. Model ``g``
draws its batch slot ``b`` from rows ``[offset[b, g], offset[b, g] + size[b, g])`` of one
concatenated pool, which lets one stack hold a pretraining run (slots alternate between two
systems), single-system runs and a joint run (slots cycle over three systems) side by side.
"""

from __future__ import annotations

import math

import numpy as np
import torch

EPS = 1e-7  # RevIN and nmse epsilon of the authors' code


def init_params(seeds, width: int, depth: int, kernel: int, history: int) -> list[torch.Tensor]:
    """Parameters of ``len(seeds)`` models, model ``g`` drawn from ``seeds[g]`` alone: weights
    and biases ``U(-1/sqrt(fan_in), 1/sqrt(fan_in))`` (torch's conv default), the last layer
    scaled by 0.1 so every model starts near "copy the last frame"."""
    dims = [history] + [width] * (depth - 1) + [1]
    per_model = []
    for s in seeds:
        gen = torch.Generator().manual_seed(int(s))
        layers = []
        for i, (cin, cout) in enumerate(zip(dims[:-1], dims[1:], strict=True)):
            bound = 1.0 / math.sqrt(cin * kernel)
            scale = 0.1 if i == depth - 1 else 1.0
            W = (torch.rand(cout, cin, kernel, generator=gen) * 2 - 1) * bound * scale
            b = (torch.rand(cout, generator=gen) * 2 - 1) * bound * scale
            layers += [W, b]
        per_model.append(layers)
    return [torch.stack(ts).requires_grad_(True) for ts in zip(*per_model, strict=True)]


def count_params(width: int, depth: int, kernel: int, history: int) -> int:
    """Parameters of one model."""
    dims = [history] + [width] * (depth - 1) + [1]
    return sum(ci * co * kernel + co for ci, co in zip(dims[:-1], dims[1:], strict=True))


def _conv(h: torch.Tensor, W: torch.Tensor, b: torch.Tensor) -> torch.Tensor:
    """Circular convolution per model: h (B, G, C, n), W (G, O, C, k), b (G, O); one grouped
    ``conv1d`` with G groups (twice as fast on one CPU thread as an einsum over windows)."""
    B, G, C, n = h.shape
    O, k = W.shape[1], W.shape[-1]
    x = h.reshape(B, G * C, n)
    if k > 1:
        x = torch.nn.functional.pad(x, (k // 2, k // 2), mode="circular")
    y = torch.nn.functional.conv1d(x, W.reshape(G * O, C, k), b.reshape(G * O), groups=G)
    return y.reshape(B, G, O, n)


def forward(params: list[torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    """Next frame (B, G, n) from histories x (B, G, T, n) through RevIN and the conv nets."""
    mu = x.mean(dim=(2, 3), keepdim=True)
    sd = (x.var(dim=(2, 3), keepdim=True, unbiased=False) + EPS).sqrt()
    z = (x - mu) / sd
    h = z
    n_layers = len(params) // 2
    for i in range(n_layers):
        h = _conv(h, params[2 * i], params[2 * i + 1])
        if i < n_layers - 1:
            h = torch.nn.functional.gelu(h)
    out = z[:, :, -1] + h[:, :, 0]
    return out * sd[:, :, 0] + mu[:, :, 0]


def nmse(pred: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Per-sample normalized MSE over the grid axis (MPP's training loss)."""
    return ((pred - y) ** 2).sum(-1) / ((y**2).sum(-1) + EPS)


def train(
    params: list[torch.Tensor],
    hist: torch.Tensor,
    targ: torch.Tensor,
    offset: np.ndarray,
    size: np.ndarray,
    *,
    steps: int,
    lr: float,
    seed: int,
    draw_column=None,
) -> list[float]:
    """Adam with cosine decay from ``lr`` to 0 over ``steps``, all G models at once, in place.

    ``hist`` (N, T, n) and ``targ`` (N, n) are the concatenated pools; ``offset`` and ``size``
    (B, G) say where model g draws its batch slot b from (uniformly, with replacement).
    ``draw_column`` (G,) maps models to shared uniform draws (models with the same column see
    the same rows when their pools agree: paired pretrained/scratch runs). Returns the mean
    loss per model over the last tenth of the steps."""
    B, G = offset.shape
    col = np.arange(G) if draw_column is None else np.asarray(draw_column)
    rng = np.random.default_rng([seed, 5])
    opt = torch.optim.Adam(params, lr=lr)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: 0.5 * (1 + math.cos(math.pi * min(k, steps) / steps))
    )
    tail = max(1, steps // 10)
    tail_sum = torch.zeros(G)
    for step in range(steps):
        u = rng.random((B, int(col.max()) + 1))[:, col]
        idx = torch.from_numpy(offset + np.minimum((u * size).astype(np.int64), size - 1))
        loss = nmse(forward(params, hist[idx]), targ[idx]).mean(0)  # (G,)
        opt.zero_grad(set_to_none=True)
        loss.sum().backward()
        opt.step()
        sched.step()
        if step >= steps - tail:
            tail_sum += loss.detach()
    return (tail_sum / tail).tolist()


@torch.no_grad()
def nrmse(params: list[torch.Tensor], hist: torch.Tensor, targ: torch.Tensor, chunk: int = 256):
    """Per-model test NRMSE, :math:`\\operatorname{mean}_i \\lVert\\hat y_i - y_i\\rVert /
    \\lVert y_i\\rVert` over the samples of (hist, targ) given to every model; shape (G,)."""
    G = params[0].shape[0]
    total = torch.zeros(G, dtype=torch.float64)
    for i in range(0, hist.shape[0], chunk):
        x = hist[i : i + chunk, None].expand(-1, G, -1, -1)
        y = targ[i : i + chunk, None].expand(-1, G, -1)
        total += nmse(forward(params, x), y).sqrt().double().sum(0)
    return (total / hist.shape[0]).numpy()


def copy_nrmse(hist: torch.Tensor, targ: torch.Tensor) -> float:
    """NRMSE of the persistence baseline (predict the last history frame)."""
    e = ((hist[:, -1] - targ) ** 2).sum(-1) / ((targ**2).sum(-1) + EPS)
    return float(e.sqrt().double().mean())
