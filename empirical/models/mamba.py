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
reproduces that. Embeddings are tied. The scan is computed by a log-depth associative
(Hillis-Steele) scan over time, :func:`selective_scan`; :func:`selective_scan_reference` is the
step-by-step recurrence the tests compare against.
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

    def __post_init__(self):
        for name in ("vocab_size", "max_len", "n_layer", "d_model", "d_state", "d_conv", "expand"):
            setattr(self, name, check_width(name, getattr(self, name)))
        if self.dt_rank is None:
            self.dt_rank = math.ceil(self.d_model / 16)
        self.dt_rank = check_width("dt_rank", self.dt_rank)
        check_init(self.init)

    @property
    def d_inner(self) -> int:
        return self.expand * self.d_model


def selective_scan_reference(x, delta, A, B, C, D) -> torch.Tensor:
    r"""Slow sequential recurrence :math:`h_t = e^{\Delta_t A}h_{t-1} + \Delta_t B_t x_t`,
    :math:`y_t = C_t^\top h_t + D x_t`, with :math:`h_{-1} = 0`.

    Shapes: ``x, delta`` (batch, T, d_inner); ``A`` (d_inner, d_state); ``B, C`` (batch, T,
    d_state); ``D`` (d_inner,). Returns ``y`` (batch, T, d_inner).
    """
    batch, T, d_inner = x.shape
    h = x.new_zeros(batch, d_inner, A.shape[1])
    ys = []
    for t in range(T):
        decay = torch.exp(delta[:, t, :, None] * A)
        h = decay * h + (delta[:, t, :, None] * B[:, t, None, :]) * x[:, t, :, None]
        ys.append((h * C[:, t, None, :]).sum(-1) + D * x[:, t])
    return torch.stack(ys, dim=1)


def selective_scan(x, delta, A, B, C, D) -> torch.Tensor:
    r"""Same result as :func:`selective_scan_reference`, by a parallel prefix scan over time.

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


class MambaMixer(nn.Module):
    """The selective-SSM mixer of one Mamba block (module docstring)."""

    def __init__(self, config: MambaConfig, dt_min: float = 1e-3, dt_max: float = 0.1):
        super().__init__()
        d, di, n, r = config.d_model, config.d_inner, config.d_state, config.dt_rank
        self.d_state, self.dt_rank = n, r
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

    def forward(self, u: torch.Tensor, reference: bool = False) -> torch.Tensor:
        T = u.shape[1]
        x, z = self.in_proj(u).chunk(2, dim=-1)
        x = F.silu(self.conv1d(x.transpose(1, 2))[..., :T].transpose(1, 2))
        dt, B, C = self.x_proj(x).split([self.dt_rank, self.d_state, self.d_state], dim=-1)
        delta = F.softplus(self.dt_proj(dt))
        A = -torch.exp(self.A_log)
        scan = selective_scan_reference if reference else selective_scan
        y = scan(x, delta, A, B, C, self.D)
        return self.out_proj(y * F.silu(z))


class MambaBlock(nn.Module):
    """``u + Mixer(LN(u))`` (or ``Mixer(LN(u))`` when ``residual=False``, the released code)."""

    def __init__(self, config: MambaConfig):
        super().__init__()
        self.residual = config.residual
        self.norm = nn.LayerNorm(config.d_model)
        self.mixer = MambaMixer(config)

    def forward(self, u: torch.Tensor, reference: bool = False) -> torch.Tensor:
        out = self.mixer(self.norm(u), reference=reference)
        return u + out if self.residual else out


class Mamba(nn.Module):
    """Stack of Mamba blocks with tied embeddings: ``forward(inputs (B,T)) -> (B,T,V)``."""

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

    def features(self, inputs: torch.Tensor, reference: bool = False) -> torch.Tensor:
        """The normalized last hidden state ``(B, T, d)``, the input of the tied head."""
        x = F.embedding(inputs, self.token_embedding)
        for block in self.blocks:
            x = block(x, reference=reference)
        return self.norm_f(x)

    def forward(self, inputs: torch.Tensor, reference: bool = False) -> torch.Tensor:
        """Logits; ``reference=True`` runs the slow sequential scan instead of the parallel one."""
        return F.linear(self.features(inputs, reference), self.output_weight)
