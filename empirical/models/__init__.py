"""Graph-task models, one readable file each, and ``build_model`` by name.

Two kinds of model live here: the sequence models trained on graph tasks (this package:
``transformer``, ``mamba`` with its ``selective_scan``, ``one_layer``, ``node2vec``, shared pieces
in ``_common``) and the memory models that store a set of facts (``empirical.models.memories``:
``assoc_memory``, ``zipf_memory``, ``factual``, ``two_layer``), imported by module path.

Names used on command lines and in result records (Noroozizadeh et al. 2025, arXiv 2510.26745,
Appendix B.2.2): ``transformer``, ``mamba``, ``one-layer``, ``node2vec``, and the frozen-embedding
associative controls ``transformer-frozen``, ``mamba-frozen``, ``one-layer-frozen``. Every model
maps ``inputs`` (B, T) int64 to logits (B, T, vocab_size) and exposes ``token_embedding``, the
(vocab_size, d) parameter tied with its output layer.

Importing this package is cheap: the model modules (and torch) load on first use of a class,
``model_config`` or ``build_model``.
"""

from __future__ import annotations

import dataclasses
import importlib

from memtheory.checks import as_choice, as_int

__all__ = [
    "MODEL_NAMES",
    "build_model",
    "model_config",
    "Transformer",
    "TransformerConfig",
    "Mamba",
    "MambaConfig",
    "OneLayer",
    "OneLayerConfig",
    "Node2Vec",
    "Node2VecConfig",
    "node2vec_objective",
]

MODEL_NAMES = (
    "transformer",
    "mamba",
    "one-layer",
    "node2vec",
    "transformer-frozen",
    "mamba-frozen",
    "one-layer-frozen",
)

# family -> (module, config class, model class)
_FAMILIES = {
    "transformer": ("transformer", "TransformerConfig", "Transformer"),
    "mamba": ("mamba", "MambaConfig", "Mamba"),
    "one-layer": ("one_layer", "OneLayerConfig", "OneLayer"),
    "node2vec": ("node2vec", "Node2VecConfig", "Node2Vec"),
}
_LAZY = {cls: mod for mod, *classes in _FAMILIES.values() for cls in classes}
_LAZY["node2vec_objective"] = "node2vec"


def __getattr__(name):
    if name in _LAZY:
        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _family(name: str):
    module, config_cls, model_cls = _FAMILIES[name.removesuffix("-frozen")]
    mod = importlib.import_module(f"{__name__}.{module}")
    return getattr(mod, config_cls), getattr(mod, model_cls)


def model_config(name: str, vocab_size: int, max_len: int = 16, **overrides):
    """The validated config dataclass ``build_model`` would use (raises ``ValueError``)."""
    as_choice("model", name, MODEL_NAMES)
    config_cls, _ = _family(name)
    fields = {f.name for f in dataclasses.fields(config_cls)}
    unknown = sorted(set(overrides) - fields)
    if unknown or "vocab_size" in overrides:
        bad = unknown or ["vocab_size"]
        allowed = sorted(fields - {"vocab_size"})
        raise ValueError(
            f"unknown option(s) {', '.join(bad)} for model {name!r}; allowed: {', '.join(allowed)}"
        )
    kwargs = dict(overrides)
    if "max_len" in fields:
        kwargs.setdefault("max_len", max_len)
    if name.endswith("-frozen"):
        if kwargs.get("freeze_embeddings") is False:
            raise ValueError(
                f"model {name!r} freezes its embeddings; freeze_embeddings=False given"
            )
        kwargs["freeze_embeddings"] = True
    try:
        return config_cls(vocab_size=vocab_size, **kwargs)
    except TypeError as exc:  # pragma: no cover - guarded by the field check above
        raise ValueError(str(exc)) from exc


def build_model(name: str, vocab_size: int, max_len: int = 16, seed=None, **overrides):
    """Build model ``name`` (one of ``MODEL_NAMES``) for a vocabulary of ``vocab_size`` tokens.

    ``overrides`` set fields of the model's config dataclass (``d_model=64``, ``init=
    "non_geometric"``, ...); ``-frozen`` names set ``freeze_embeddings=True``. ``max_len`` is used
    by the sequence models only. With ``seed`` the weights are drawn from a private generator
    state (the global torch RNG is left untouched); otherwise from the global RNG. Unknown names,
    unknown options and non-positive sizes raise ``ValueError`` before anything is built.
    """
    config = model_config(name, vocab_size, max_len, **overrides)
    _, model_cls = _family(name)
    if seed is None:
        return model_cls(config)
    import torch

    seed = as_int("seed", seed, minimum=0)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return model_cls(config)
