r"""Mamba-style selective state-space model in plain PyTorch (no CUDA kernels).

One mixer (Gu & Dao 2023, arXiv 2312.00752, Algorithm 2 and §3.6 "Mamba block"):

* ``x, z = in_proj(u)`` (inner width ``d_inner = expand * d_model``);
* ``x = SiLU(conv1d(x))``, a causal depthwise convolution of width ``d_conv``;
* input-dependent :math:`\Delta_t = \mathrm{softplus}(W_\Delta W_r x_t + b_\Delta)`,
  :math:`B_t = W_B x_t`, :math:`C_t = W_C x_t`; :math:`A = -\exp(A_{\log})` (S4D-real init
  :math:`A_{\log}[c, s] = \log(s + 1)`);
* the selective scan, per channel :math:`c` and state :math:`s`,

  .. math:: h_t = e^{\Delta_t A} h_{t-1} + \Delta_t B_t x_t, \qquad y_t = C_t^\top h_t + D x_t

  (zero-order hold for :math:`A`, Euler for :math:`B`, as in the reference implementation);
* ``out_proj(y * SiLU(z))``.

Blocks are pre-norm residual, ``u + Mixer(LN(u))``. The released geometric-memory code
(arXiv 2510.26745, notes §13) returns ``Mixer(LN(u))`` with **no** residual; ``residual=False``
reproduces that. Embeddings are tied.

The scan (``MambaConfig.scan``, or ``scan=`` of ``forward``) is ``"chunked"`` by default, the
chunked scan with a hand-written backward of :mod:`empirical.models.selective_scan`; ``"reference"``
is the step-by-step recurrence through autograd (tests); ``"hillis-steele"`` is the code path the
toolkit used before issue 18 (log-depth scan, ``nn.Conv1d``), kept so ``benchmarks/mamba_scan.py``
measures the speed-up in one run. All three compute the same function up to float round-off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from empirical.models._common import (
    DEFAULT_STD,
    check_init,
    check_width,
    embedding_std,
    make_token_embedding,
)
from empirical.models.selective_scan import (
    DEFAULT_CHUNK,
    selective_scan,
    selective_scan_hillis_steele,
    selective_scan_reference,
)
from memtheory.checks import as_choice

SCANS = ("chunked", "hillis-steele", "reference")


@dataclass
class MambaConfig:
    """Hyperparameters of :class:`Mamba` (paper: d_state 16, d_conv 4, expand 2; tiny graphs
    d_state 8)."""

    vocab_size: int
    max_len: int = 16
    n_layer: int = 1
    d_model: int = 32
    d_state: int = 16
    d_conv: int = 4
    expand: int = 2
    dt_rank: int | None = None  # None -> ceil(d_model / 16)
    residual: bool = True
    init: str = "default"
    tie_embeddings: bool = True
    freeze_embeddings: bool = False
    scan: str = "chunked"  # "chunked" | "hillis-steele" (before issue 18) | "reference"
    chunk: int = DEFAULT_CHUNK  # time steps per chunk of the chunked scan

    def __post_init__(self):
        for name in ("vocab_size", "max_len", "n_layer", "d_model", "d_state", "d_conv", "expand"):
            setattr(self, name, check_width(name, getattr(self, name)))
        if self.dt_rank is None:
            self.dt_rank = math.ceil(self.d_model / 16)
        self.dt_rank = check_width("dt_rank", self.dt_rank)
        check_init(self.init)
        as_choice("scan", self.scan, SCANS)
        self.chunk = check_width("chunk", self.chunk)

    @property
    def d_inner(self) -> int:
        return self.expand * self.d_model


def causal_depthwise_conv(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor):
    r"""Causal depthwise convolution :math:`y_t = b + \sum_{s=0}^{k-1} w_{k-1-s} \odot x_{t-s}`
    (:math:`x_{t} = 0` for :math:`t < 0`) of ``x`` (batch, T, channels) with the weight
    ``(channels, 1, k)`` and bias of a ``Conv1d(groups=channels, padding=k-1)`` whose first ``T``
    outputs it returns (the Mamba block, Gu & Dao 2023, Fig. 3). Computed as ``k`` shifted
    multiply-adds with a hand-written backward: the same numbers as ``Conv1d`` up to round-off,
    about 3x faster than its depthwise backward on CPU.
    """
    return _CausalConv.apply(x, weight, bias)


class _CausalConv(torch.autograd.Function):
    generate_vmap_rule = (
        True  # plain tensor ops only: vmap (empirical.training.batched) batches them
    )

    @staticmethod
    def forward(x, weight, bias):
        T, k = x.shape[-2], weight.shape[-1]
        w = weight.reshape(-1, k).t().contiguous()  # (k, channels): contiguous rows
        y = torch.addcmul(bias, x, w[k - 1])
        for s in range(1, min(k, T)):
            y[..., s:, :] += x[..., : T - s, :] * w[k - 1 - s]
        return y

    @staticmethod
    def setup_context(ctx, inputs, output):
        ctx.save_for_backward(inputs[0], inputs[1])

    @staticmethod
    def backward(ctx, grad):
        x, weight = ctx.saved_tensors
        T, k = x.shape[-2], weight.shape[-1]
        w = weight.reshape(-1, k).t().contiguous()
        lead = tuple(range(x.ndim - 1))
        g_x = grad * w[k - 1]
        g_w = [grad.new_zeros(w.shape[1])] * k
        g_w[k - 1] = (grad * x).sum(lead)
        for s in range(1, min(k, T)):
            g_x[..., : T - s, :] += grad[..., s:, :] * w[k - 1 - s]
            g_w[k - 1 - s] = (grad[..., s:, :] * x[..., : T - s, :]).sum(lead)
        return g_x, torch.stack(g_w, -1).view(weight.shape), grad.sum(lead)


class MambaMixer(nn.Module):
    """The selective-SSM mixer of one Mamba block (module docstring)."""

    def __init__(self, config: MambaConfig, dt_min: float = 1e-3, dt_max: float = 0.1):
        super().__init__()
        d, di, n, r = config.d_model, config.d_inner, config.d_state, config.dt_rank
        self.d_state, self.dt_rank, self.d_inner = n, r, di
        self.scan, self.chunk = config.scan, config.chunk
        self.in_proj = nn.Linear(d, 2 * di, bias=False)
        self.conv1d = nn.Conv1d(di, di, config.d_conv, groups=di, padding=config.d_conv - 1)
        self.x_proj = nn.Linear(di, r + 2 * n, bias=False)
        self.dt_proj = nn.Linear(r, di, bias=True)
        self.out_proj = nn.Linear(di, d, bias=False)
        self.A_log = nn.Parameter(
            torch.log(torch.arange(1, n + 1, dtype=torch.float32)).repeat(di, 1)
        )
        self.D = nn.Parameter(torch.ones(di))
        # Mamba's init: dt_proj weights U(+-r^-1/2), softplus(bias) log-uniform in [dt_min, dt_max]
        nn.init.uniform_(self.dt_proj.weight, -(r**-0.5), r**-0.5)
        dt = torch.exp(torch.rand(di) * (math.log(dt_max) - math.log(dt_min)) + math.log(dt_min))
        with torch.no_grad():
            self.dt_proj.bias.copy_(dt + torch.log(-torch.expm1(-dt)))  # inverse softplus

    def forward(self, u: torch.Tensor, scan: str | None = None) -> torch.Tensor:
        """``out_proj(SSM(x) * SiLU(z))``; ``scan`` overrides ``config.scan`` for this call."""
        scan = self.scan if scan is None else as_choice("scan", scan, SCANS)
        T = u.shape[1]
        if scan == "hillis-steele":  # the code path before issue 18, kept for the benchmark
            x, z = self.in_proj(u).chunk(2, dim=-1)
            x = F.silu(self.conv1d(x.transpose(1, 2))[..., :T].transpose(1, 2))
            dt, B, C = self.x_proj(x).split([self.dt_rank, self.d_state, self.d_state], dim=-1)
        else:  # the same products, each output contiguous (row blocks of the weights)
            w_in, w_x = self.in_proj.weight, self.x_proj.weight
            x, z = F.linear(u, w_in[: self.d_inner]), F.linear(u, w_in[self.d_inner :])
            x = F.silu(causal_depthwise_conv(x, self.conv1d.weight, self.conv1d.bias))
            r, n = self.dt_rank, self.d_state
            dt, B, C = (F.linear(x, w) for w in (w_x[:r], w_x[r : r + n], w_x[r + n :]))
        delta = F.softplus(self.dt_proj(dt))
        A = -torch.exp(self.A_log)
        if scan == "chunked":
            y = selective_scan(x, delta, A, B, C, self.D, chunk=self.chunk)
        elif scan == "hillis-steele":
            y = selective_scan_hillis_steele(x, delta, A, B, C, self.D)
        else:
            y = selective_scan_reference(x, delta, A, B, C, self.D)
        return self.out_proj(y * F.silu(z))


class MambaBlock(nn.Module):
    """``u + Mixer(LN(u))`` (or ``Mixer(LN(u))`` when ``residual=False``, the released code)."""

    def __init__(self, config: MambaConfig):
        super().__init__()
        self.residual = config.residual
        self.norm = nn.LayerNorm(config.d_model)
        self.mixer = MambaMixer(config)

    def forward(self, u: torch.Tensor, scan: str | None = None) -> torch.Tensor:
        out = self.mixer(self.norm(u), scan=scan)
        return u + out if self.residual else out


class Mamba(nn.Module):
    """Stack of Mamba blocks with tied embeddings: ``forward(inputs (B,T)) -> (B,T,V)``."""

    causal = (
        True  # features at position t read tokens <= t only (empirical.training.train.model_loss)
    )

    def __init__(self, config: MambaConfig):
        super().__init__()
        self.config = config
        self.token_embedding = make_token_embedding(
            config.vocab_size, config.d_model, embedding_std(config.init), config.freeze_embeddings
        )
        self.blocks = nn.ModuleList(MambaBlock(config) for _ in range(config.n_layer))
        self.norm_f = nn.LayerNorm(config.d_model)
        for name, module in self.named_modules():
            if isinstance(module, nn.Linear) and not name.endswith("dt_proj"):
                nn.init.normal_(module.weight, std=DEFAULT_STD)
        if config.tie_embeddings:
            self.lm_head_weight = None
        else:
            self.lm_head_weight = nn.Parameter(torch.empty(config.vocab_size, config.d_model))
            nn.init.normal_(self.lm_head_weight, std=embedding_std(config.init))

    @property
    def output_weight(self) -> torch.Tensor:
        return self.token_embedding if self.lm_head_weight is None else self.lm_head_weight

    def features(self, inputs: torch.Tensor, scan: str | None = None) -> torch.Tensor:
        """The normalized last hidden state ``(B, T, d)``, the input of the tied head."""
        x = F.embedding(inputs, self.token_embedding)
        for block in self.blocks:
            x = block(x, scan=scan)
        return self.norm_f(x)

    def forward(self, inputs: torch.Tensor, scan: str | None = None) -> torch.Tensor:
        """Logits ``(B, T, V)``; ``scan`` (one of ``SCANS``) overrides ``config.scan``."""
        return F.linear(self.features(inputs, scan), self.output_weight)
