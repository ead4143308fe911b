"""The trained associative memory of Cabannes, Dohmatob & Bietti (arXiv 2310.02984, Sec. 4).

Tokens :math:`x \\in \\{0, \\dots, N-1\\}` with Zipf law :math:`p(x) \\propto (x+1)^{-\\alpha}`,
answers :math:`f_*(x) = x \\bmod M`, and logits over the ``M`` answers

.. math::  \\ell(x) = \\mathrm{LN}(E_x W)\\, U^\\top \\in \\mathbb{R}^M,

with input embeddings :math:`E \\in \\mathbb{R}^{N\\times d}`, unembeddings
:math:`U \\in \\mathbb{R}^{M\\times d}`, memory :math:`W \\in \\mathbb{R}^{d\\times d}`, all drawn
:math:`\\mathcal N(0, 1/d)` (``W`` optionally zero) and the optional normalization
:math:`\\mathrm{LN}(h) = h/\\sqrt{\\lVert h\\rVert^2 + 10^{-6}}` of the paper's code. Models (the
names of the paper's grid, Sec. 4 and its released runner):

* ``matrix``: learn ``W``; ``E`` and ``U`` are fixed random draws;
* ``learnable``: learn ``W``, ``E`` and ``U``;
* ``exponential``: learn ``E`` and ``U``, no ``W``, ReLU features: :math:`\\ell(x) =
  \\mathrm{LN}(\\mathrm{ReLU}(E_x)) U^\\top`.

Training is the paper's protocol: cross-entropy averaged over a batch of ``B``, one pass over
``T`` fresh i.i.d. samples (``T/B`` steps), SGD at step ``lr`` or Adam with ``betas`` (the
grid's ``(0, 0)`` makes Adam a sign-like update) at ``lr/d`` for ``W`` and ``lr/sqrt(d)`` for
``E`` and ``U`` (the paper's per-group scaling; ``lr_scaling=False`` turns it off). Measured:
the population error :math:`\\sum_x p(x)\\,\\mathbf 1\\{\\arg\\max_y \\ell_y(x) \\ne f_*(x)\\}`
and the unweighted error on the ``head`` most and ``tail`` least frequent tokens.

Everything is seeded by the cell's ``seed`` through a private ``torch.Generator``.
"""

from __future__ import annotations

import dataclasses
import math
import time

import torch

from memtheory.checks import as_choice, as_float, as_int

MODELS = ("matrix", "learnable", "exponential")
OPTIMIZERS = ("sgd", "adam")
W_INITS = ("gaussian", "zero")
#: LayerNorm of the paper's code: h / sqrt(|h|^2 + LN_EPS)
LN_EPS = 1e-6
#: largest d x d memory a cell may allocate (d <= 10^4)
MAX_DIM = 10_000
#: largest number of samples a cell may draw at once
MAX_SAMPLES = 10**8


@dataclasses.dataclass(frozen=True)
class MemoryCell:
    """One grid cell: the memory, its data and its training (arXiv 2310.02984, Sec. 4).

    ``tokens`` = N, ``answers`` = M, ``alpha`` the Zipf exponent, ``dim`` = d, ``samples`` = T
    (a multiple of ``batch`` = B), ``lr`` the step (before the per-group scaling for Adam),
    ``betas`` Adam's, ``head``/``tail`` how many most/least frequent tokens the head and tail
    errors average over (30 in the paper's code; capped at N).
    """

    dim: int = 100
    model: str = "matrix"
    optimizer: str = "sgd"
    lr: float = 0.1
    batch: int = 1024
    samples: int = 102_400
    layer_norm: bool = False
    seed: int = 42
    tokens: int = 100
    answers: int = 5
    alpha: float = 2.0
    w_init: str = "gaussian"
    betas: tuple[float, float] = (0.0, 0.0)
    lr_scaling: bool = True
    head: int = 30
    tail: int = 30

    def __post_init__(self):
        def put(name, value):
            object.__setattr__(self, name, value)

        put("dim", as_int("dim", self.dim, 1, MAX_DIM))
        as_choice("model", self.model, MODELS)
        as_choice("optimizer", self.optimizer, OPTIMIZERS)
        as_choice("w_init", self.w_init, W_INITS)
        put("lr", as_float("lr", self.lr, 0.0, None, low_open=True))
        put("batch", as_int("batch", self.batch, 1))
        put("samples", as_int("samples", self.samples, 1, MAX_SAMPLES))
        if self.samples % self.batch:
            raise ValueError(
                f"samples must be a multiple of batch ({self.batch}), got {self.samples}"
            )
        for name in ("layer_norm", "lr_scaling"):
            if not isinstance(getattr(self, name), bool):
                raise ValueError(f"{name} must be True or False, got {getattr(self, name)!r}")
        put("seed", as_int("seed", self.seed, 0))
        put("tokens", as_int("tokens", self.tokens, 2, 10**6))
        put("answers", as_int("answers", self.answers, 2, self.tokens))
        put("alpha", as_float("alpha", self.alpha, 0.0, 20.0))
        if not isinstance(self.betas, (tuple, list)) or len(self.betas) != 2:
            raise ValueError(f"betas must be a pair in [0, 1), got {self.betas!r}")
        put(
            "betas",
            tuple(as_float("betas", b, 0.0, 1.0, high_open=True) for b in self.betas),
        )
        put("head", as_int("head", self.head, 1))
        put("tail", as_int("tail", self.tail, 1))
        if self.tokens * self.dim > 10**8:
            raise ValueError(f"tokens x dim must be at most 1e8, got {self.tokens * self.dim}")

    @property
    def steps(self) -> int:
        """``T / B``: one pass over fresh data."""
        return self.samples // self.batch


def zipf_law(tokens: int, alpha: float) -> torch.Tensor:
    """:math:`p(x) = (x+1)^{-\\alpha} / \\sum_{k=1}^N k^{-\\alpha}` (float64, the paper's code)."""
    x = torch.arange(tokens, dtype=torch.float64)
    p = (x + 1.0) ** (-float(alpha))
    return p / p.sum()


def init_params(cell: MemoryCell, generator: torch.Generator) -> dict[str, torch.Tensor]:
    """``E`` (N x d), ``U`` (M x d) and, except for ``exponential``, ``W`` (d x d), each
    :math:`\\mathcal N(0, 1/d)` (``W = 0`` with ``w_init="zero"``), drawn in that order; the
    learned ones have ``requires_grad``."""
    d, scale = cell.dim, 1.0 / math.sqrt(cell.dim)
    E = torch.randn(cell.tokens, d, generator=generator) * scale
    U = torch.randn(cell.answers, d, generator=generator) * scale
    params = {"E": E, "U": U}
    if cell.model != "exponential":
        W = torch.randn(d, d, generator=generator) * scale
        params["W"] = torch.zeros(d, d) if cell.w_init == "zero" else W
    learned = {"matrix": ("W",), "learnable": ("W", "E", "U"), "exponential": ("E", "U")}
    for name in learned[cell.model]:
        params[name].requires_grad_(True)
    return params


def logits(params: dict, x: torch.Tensor, model: str, layer_norm: bool) -> torch.Tensor:
    """:math:`\\mathrm{LN}(E_x W) U^\\top` (``exponential``: :math:`\\mathrm{LN}(\\mathrm{ReLU}
    (E_x)) U^\\top`), shape ``(len(x), M)``."""
    h = params["E"][x]
    h = torch.relu(h) if model == "exponential" else h @ params["W"]
    if layer_norm:
        h = h / torch.sqrt((h * h).sum(dim=1, keepdim=True) + LN_EPS)
    return h @ params["U"].T


def make_optimizer(cell: MemoryCell, params: dict) -> torch.optim.Optimizer:
    """SGD at ``lr`` on every learned tensor, or Adam with ``betas`` at ``lr/d`` for ``W`` and
    ``lr/sqrt(d)`` for ``E``, ``U`` (the paper's grid; plain ``lr`` with ``lr_scaling=False``)."""
    if cell.optimizer == "sgd":
        learned = [t for t in params.values() if t.requires_grad]
        return torch.optim.SGD(learned, lr=cell.lr)
    d = cell.dim
    groups = []
    for names, div in ((("W",), d), (("E", "U"), math.sqrt(d))):
        ts = [params[n] for n in names if n in params and params[n].requires_grad]
        if ts:
            groups.append({"params": ts, "lr": cell.lr / div if cell.lr_scaling else cell.lr})
    return torch.optim.Adam(groups, betas=cell.betas, weight_decay=0.0)


def errors(cell: MemoryCell, params: dict, p: torch.Tensor) -> dict[str, float]:
    """Population-weighted error and the unweighted head / tail errors of the argmax readout
    (ties broken towards the smaller answer index, as ``argmax`` does)."""
    with torch.no_grad():
        x = torch.arange(cell.tokens)
        wrong = logits(params, x, cell.model, cell.layer_norm).argmax(dim=1) != x % cell.answers
    wrong64 = wrong.to(torch.float64)
    head, tail = min(cell.head, cell.tokens), min(cell.tail, cell.tokens)
    return {
        "error": float((p * wrong64).sum()),
        "error_head": float(wrong64[:head].mean()),
        "error_tail": float(wrong64[-tail:].mean()),
    }


def train_cell(cell: MemoryCell, device: str = "cpu") -> dict:
    """Train one cell and measure it: one pass over ``T`` fresh Zipf samples in ``T/B`` steps.

    Returns the cell's fields plus ``steps``, ``error``, ``error_head``, ``error_tail`` (after
    training), ``initial_error`` (at initialization, the premise that training did something),
    ``final_loss`` (the last batch's) and ``wall_time``. Deterministic on CPU for a given
    ``seed`` (parameters first, then the samples, from one generator).
    """
    if not isinstance(cell, MemoryCell):
        raise ValueError("cell must be a MemoryCell")
    t0 = time.perf_counter()
    gen = torch.Generator().manual_seed(cell.seed)
    params = init_params(cell, gen)
    p = zipf_law(cell.tokens, cell.alpha)
    xs = torch.multinomial(p, cell.samples, replacement=True, generator=gen)
    if device != "cpu":
        params = {
            k: v.detach().to(device).requires_grad_(v.requires_grad) for k, v in params.items()
        }
        xs = xs.to(device)
    initial = errors(cell, params, p.to(device))
    opt = make_optimizer(cell, params)
    loss = torch.tensor(float("nan"))
    B = cell.batch
    for i in range(cell.steps):
        x = xs[i * B : (i + 1) * B]
        loss = torch.nn.functional.cross_entropy(
            logits(params, x, cell.model, cell.layer_norm), x % cell.answers
        )
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
    out = dataclasses.asdict(cell)
    out["betas"] = list(cell.betas)
    out.update(errors(cell, params, p.to(device)))
    out.update(
        steps=cell.steps,
        initial_error=initial["error"],
        final_loss=float(loss.detach()),
        wall_time=time.perf_counter() - t0,
    )
    return out
