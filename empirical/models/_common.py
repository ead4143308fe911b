"""Pieces every model file shares: config validation and the tied-embedding init.

Initialization follows the geometric-memory release (Noroozizadeh et al. 2025, arXiv 2510.26745,
notes §4.4): ``"default"`` draws every weight matrix and embedding from N(0, 0.02) (nanoGPT),
``"non_geometric"`` draws the tied token embedding / LM head from N(0, 1) and leaves the rest at
the default.
"""

from __future__ import annotations

import torch

from memtheory.checks import as_choice, as_float, as_int

INITS = ("default", "non_geometric")
DEFAULT_STD = 0.02


def check_width(name: str, value) -> int:
    """A positive integer size (vocab, width, layers, ...), else ``ValueError``."""
    return as_int(name, value, minimum=1)


def check_init(value) -> str:
    return as_choice("init", value, INITS)


def check_prob(name: str, value) -> float:
    return as_float(name, value, 0.0, 1.0, high_open=True)


def embedding_std(init: str) -> float:
    """Standard deviation of the tied token embedding for an init mode."""
    return 1.0 if init == "non_geometric" else DEFAULT_STD


def make_token_embedding(vocab_size: int, dim: int, std: float, freeze: bool) -> torch.nn.Parameter:
    """The (vocab_size, dim) tied embedding table, N(0, std), optionally frozen."""
    weight = torch.nn.Parameter(torch.empty(vocab_size, dim))
    torch.nn.init.normal_(weight, mean=0.0, std=std)
    weight.requires_grad_(not freeze)
    return weight
