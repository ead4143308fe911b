"""One training loop for every model: next-token cross-entropy on ``(inputs, labels)`` batches.

The loss at a step is the mean cross-entropy over the positions whose label is not ``IGNORE``
(-100), optionally weighted per row: with ``sample_weights`` ``w`` it is
:math:`\\sum_{r,t} w_r\\,\\mathrm{CE}_{r,t} / \\sum_{r,t} w_r` over labelled positions (the Eq. 1
weights of :func:`empirical.tasks.edges.eq1_weights` make it :math:`-\\mathcal{J}/n`).
Optimizers: AdamW (the paper's, arXiv 2510.26745 App. B.3) or plain SGD (gradient descent, the
released Node2Vec trainer); schedule constant or linear warm-up + cosine decay to
``min_lr_ratio * lr`` (released defaults, notes §4.3). Full batch by default, else minibatches
from per-epoch permutations drawn with a seeded ``torch.Generator``.

Checkpoints hold the model, the optimizer, the RNG states, the data order and the history, and
are written atomically; calling :func:`train` again with the same ``checkpoint_path`` resumes
and reaches bit-identical parameters on CPU. The learning rate is a pure function of the step,
so there is no scheduler state to save. Ctrl-C finishes the current step, writes a checkpoint
and re-raises ``KeyboardInterrupt``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import time
from dataclasses import dataclass
from pathlib import Path

import torch

from empirical.running.runtime import resolve_device, set_seed
from empirical.tasks.tokens import IGNORE
from empirical.training.head_loss import head_loss, weighted_cross_entropy
from empirical.training.loop_state import Batches, InterruptFlag, atomic_torch_save, phase
from memtheory.checks import as_choice, as_float, as_int

__all__ = [
    "TrainConfig",
    "train",
    "resolve_device",
    "set_seed",
    "lr_at",
    "masked_loss",
    "model_loss",
]

OPTIMIZERS = ("adamw", "sgd")
SCHEDULES = ("constant", "cosine")
DTYPES = {"float32": torch.float32, "float64": torch.float64}
# fields that do not change the trajectory, so a checkpoint may be resumed with other values
_FREE_FIELDS = (
    "eval_every",
    "eval_steps",
    "checkpoint_every",
    "progress",
    "device",
    "num_threads",
    "final_loss",
)


@dataclass
class TrainConfig:
    """Hyperparameters of :func:`train` (``batch_size=None``: full batch)."""

    steps: int
    lr: float = 1e-2
    optimizer: str = "adamw"
    weight_decay: float = 0.0
    betas: tuple = (0.9, 0.999)
    batch_size: int | None = None
    schedule: str = "constant"
    warmup: int = 0
    min_lr_ratio: float = 0.1
    grad_clip: float | None = None
    eval_every: int = 100
    eval_steps: list | None = None
    seed: int = 0
    device: str = "cpu"
    dtype: str = "float32"
    checkpoint_every: int = 0
    progress: bool = True
    num_threads: int | None = 1  # torch intra-op threads while training on CPU; None: leave as is
    flush_denormal: bool = True  # flush subnormal floats to zero while training (CPU speed)
    trim_rows: bool = False  # causal models: read rows up to their last label (model_loss)
    final_loss: bool = True  # compute the full-data loss after training (one pass over the data)

    def __post_init__(self):
        self.steps = as_int("steps", self.steps, minimum=0)
        self.lr = as_float("lr", self.lr, 0.0)
        as_choice("optimizer", self.optimizer, OPTIMIZERS)
        self.weight_decay = as_float("weight_decay", self.weight_decay, 0.0)
        if len(self.betas) != 2:
            raise ValueError(f"betas must be a pair, got {self.betas!r}")
        self.betas = tuple(
            as_float(f"betas[{i}]", b, 0.0, 1.0, high_open=True) for i, b in enumerate(self.betas)
        )
        if self.batch_size is not None:
            self.batch_size = as_int("batch_size", self.batch_size, minimum=1)
        as_choice("schedule", self.schedule, SCHEDULES)
        self.warmup = as_int("warmup", self.warmup, minimum=0)
        self.min_lr_ratio = as_float("min_lr_ratio", self.min_lr_ratio, 0.0, 1.0)
        if self.grad_clip is not None:
            self.grad_clip = as_float("grad_clip", self.grad_clip, 0.0, low_open=True)
        self.eval_every = as_int("eval_every", self.eval_every, minimum=0)
        if self.eval_steps is not None:
            self.eval_steps = sorted(
                {as_int("eval_steps[]", s, minimum=0) for s in self.eval_steps}
            )
        self.seed = as_int("seed", self.seed, minimum=0)
        as_choice("device", self.device, ("cpu", "cuda", "auto"))
        as_choice("dtype", self.dtype, tuple(DTYPES))
        self.checkpoint_every = as_int("checkpoint_every", self.checkpoint_every, minimum=0)
        if self.num_threads is not None:
            self.num_threads = as_int("num_threads", self.num_threads, minimum=1)


def lr_at(config: TrainConfig, step: int) -> float:
    r"""Learning rate of update ``step`` (0-based): linear warm-up
    :math:`\eta (s+1)/w`, then constant or cosine
    :math:`\eta\,[r + (1-r)\tfrac12(1+\cos\pi\,\tfrac{s-w}{S-w})]`, ``r = min_lr_ratio``."""
    if step < config.warmup:
        return config.lr * (step + 1) / config.warmup
    if config.schedule == "constant":
        return config.lr
    span = max(config.steps - config.warmup, 1)
    progress = min((step - config.warmup) / span, 1.0)
    r = config.min_lr_ratio
    return config.lr * (r + (1 - r) * 0.5 * (1 + math.cos(math.pi * progress)))


def masked_loss(logits: torch.Tensor, labels: torch.Tensor, weights=None) -> torch.Tensor:
    """Mean cross-entropy over positions with ``labels != IGNORE`` (row-weighted if given)."""
    mask = labels != IGNORE
    w = None if weights is None else weights[:, None].expand_as(labels)[mask]
    return weighted_cross_entropy(logits[mask], labels[mask], w)


def model_loss(
    model, inputs: torch.Tensor, labels: torch.Tensor, weights=None, trim: bool = False
) -> torch.Tensor:
    """:func:`masked_loss` of ``model(inputs)``, with the head applied only where a label is set.

    Models with ``features(inputs) -> (B, T, d)`` and ``output_weight (V, d)`` (Transformer,
    Mamba) get their logits computed at labelled positions only: with a 20,000-token vocabulary
    the head is most of the work, and an edge example labels one position of eight. With
    ``trim`` a causal model (``model.causal``, no dropout active) also reads each row only up to
    its last labelled position (:func:`_trimmed_features`). A large head's cross-entropy is
    formed in cache-sized row chunks (:func:`empirical.training.head_loss.head_loss`). Same
    value as ``masked_loss(model(inputs), labels, weights)``, up to float rounding.
    """
    features = getattr(model, "features", None)
    if features is None or not hasattr(model, "output_weight"):
        return masked_loss(model(inputs), labels, weights)
    mask = labels != IGNORE
    if trim and _trimmable(model):
        feats = _trimmed_features(features, inputs, mask)
    else:
        feats = features(inputs)[mask]
    w = None if weights is None else weights[:, None].expand_as(labels)[mask]
    return head_loss(feats, model.output_weight, labels[mask], w)


def _trimmable(model) -> bool:
    """A causal model (its features at position t read tokens <= t only) without active
    dropout (dropout masks are drawn per element: other shapes, other masks)."""
    if not getattr(model, "causal", False):
        return False
    dropout = float(getattr(getattr(model, "config", None), "dropout", 0.0) or 0.0)
    return not (model.training and dropout > 0.0)


def _trimmed_features(features, inputs: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    r"""``features(inputs)[mask]`` of a causal model, each row read only up to its last labelled
    position: rows go in at most two groups, ``inputs[short, :t]`` and ``inputs[rest, :T']``,
    with ``t`` chosen to minimize the tokens fed (:math:`T'` the longest need of the rest).

    Exact in exact arithmetic: causal features at a position do not depend on later tokens,
    and positions past a row's last label get no loss gradient. In floats only the order of
    additions changes (other matrix shapes). In the path-star mixed recipe 91% of the rows are
    edges labelled at position 1 of 11 (17 with 10 pauses): 4-6x fewer tokens per step.
    """
    T = mask.shape[1]
    need = (mask * torch.arange(1, T + 1, device=mask.device)).amax(1)  # last label + 1
    counts = torch.bincount(need, minlength=T + 1).tolist()
    lengths = [t for t in range(1, T + 1) if counts[t]]
    if not lengths:
        return features(inputs)[mask]
    longest, best = lengths[-1], None
    for i, t in enumerate(lengths):  # group 1: need <= t at length t; group 2: the rest
        rest = lengths[i + 1 :]
        n_short = sum(counts[u] for u in lengths[: i + 1])
        cost = t * n_short + (longest * (sum(counts[u] for u in rest)) if rest else 0)
        if best is None or cost < best[0]:
            best = (cost, t)
    t = best[1]
    if t == longest:  # one group: only the trailing unlabelled columns go
        return features(inputs[:, :longest])[mask[:, :longest]]
    ids = torch.full(mask.shape, -1, dtype=torch.long, device=mask.device)
    ids[mask] = torch.arange(int(mask.sum()), device=mask.device)
    parts, where = [], []
    for rows, length in ((need <= t) & (need > 0), t), (need > t, longest):
        rows = torch.nonzero(rows).flatten()
        m = mask[rows, :length]
        parts.append(features(inputs[rows, :length])[m])
        where.append(ids[rows, :length][m])
    order = torch.argsort(torch.cat(where))  # back to the row-major order of features[mask]
    return torch.cat(parts)[order]


def dataset_loss(model, inputs, labels, weights=None, max_logits: int = 1 << 23) -> float:
    """:func:`masked_loss` over a whole dataset in eval mode, in row chunks of at most
    ``max_logits`` logits (so a 20k-token vocabulary does not need one giant logit tensor)."""
    vocab = int(model.token_embedding.shape[0]) if hasattr(model, "token_embedding") else 1
    rows = max(1, max_logits // max(1, inputs.shape[1] * vocab))
    was_training = model.training
    model.eval()
    total = torch.zeros((), dtype=torch.float64)
    mass = torch.zeros((), dtype=torch.float64)
    try:
        with torch.no_grad():
            for i in range(0, inputs.shape[0], rows):
                x, y = inputs[i : i + rows], labels[i : i + rows]
                w = (
                    torch.ones(x.shape[0], device=x.device)
                    if weights is None
                    else weights[i : i + rows]
                )
                m = (w[:, None] * (y != IGNORE)).double()
                if float(m.sum()) == 0.0:
                    continue
                total += model_loss(model, x, y, w).double().cpu() * m.sum().cpu()
                mass += m.sum().cpu()
    finally:
        model.train(was_training)
    return float(total / mass)


def _make_optimizer(model, config: TrainConfig):
    params = [p for p in model.parameters() if p.requires_grad]
    if not params:
        raise ValueError("the model has no trainable parameter")
    if config.optimizer == "sgd":
        return torch.optim.SGD(params, lr=config.lr, weight_decay=config.weight_decay)
    return torch.optim.AdamW(
        params, lr=config.lr, betas=config.betas, weight_decay=config.weight_decay, foreach=True
    )


def _fingerprint(config: TrainConfig) -> dict:
    out = dataclasses.asdict(config)
    for key in _FREE_FIELDS:
        out.pop(key)
    if not out["trim_rows"]:  # checkpoints written before the field existed stay valid
        out.pop("trim_rows")
    out["betas"] = list(out["betas"])
    return out


def _is_eval_step(config: TrainConfig, step: int, eval_set) -> bool:
    if step == config.steps:
        return True
    if eval_set is not None:
        return step in eval_set
    return config.eval_every > 0 and step % config.eval_every == 0


def train(
    model: torch.nn.Module,
    inputs: torch.Tensor,
    labels: torch.Tensor,
    config: TrainConfig,
    eval_fn=None,
    checkpoint_path=None,
    sample_weights=None,
) -> dict:
    """Train ``model`` on ``(inputs, labels)`` (int64, (N, T)) for ``config.steps`` updates.

    ``eval_fn(model, step) -> dict`` runs (in eval mode, without gradients) at step 0, every
    ``eval_every`` steps (or at the steps listed in ``eval_steps``) and after the last update;
    each history row is ``{"step", "loss", "lr", **eval_fn(...)}`` where ``loss`` is the training
    loss of the batch drawn at that step, before its update. Returns ``{"history", "final_loss"
    (full data, eval mode; ``None`` with ``config.final_loss=False``), "steps", "seconds",
    "tokens_per_sec", "resumed_from", "device", "dtype"}``. The model is trained in place (and
    moved to the device and dtype).
    """
    if not isinstance(config, TrainConfig):
        raise ValueError(f"config must be a TrainConfig, got {type(config).__name__}")
    with cpu_settings(config):
        return _train(model, inputs, labels, config, eval_fn, checkpoint_path, sample_weights)


@contextlib.contextmanager
def cpu_settings(config: TrainConfig):
    """Apply ``num_threads`` and ``flush_denormal`` while training on CPU, then restore them.

    Tiny models: intra-op threads only add contention (about 30x slower on a busy 2-core
    machine), and a saturated softmax (Node2Vec's N(0, 1) init gives logits near 100) fills
    gradients with subnormal floats, which x86 CPUs process about 10x slower. Flushing changes
    only values below 1.2e-38 (float32) or 2.2e-308 (float64).
    """
    threads = torch.get_num_threads()
    on_cpu = resolve_device(config.device).type == "cpu"
    if on_cpu and config.num_threads is not None:
        torch.set_num_threads(config.num_threads)
    if config.flush_denormal:
        torch.set_flush_denormal(True)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
        if config.flush_denormal:
            torch.set_flush_denormal(False)  # torch's default (there is no getter)


def _train(model, inputs, labels, config, eval_fn, checkpoint_path, sample_weights) -> dict:
    if not isinstance(config, TrainConfig):
        raise ValueError(f"config must be a TrainConfig, got {type(config).__name__}")
    inputs = torch.as_tensor(inputs)
    labels = torch.as_tensor(labels)
    if inputs.dtype != torch.int64 or labels.dtype != torch.int64:
        raise ValueError("inputs and labels must be int64 tensors")
    if inputs.ndim != 2 or labels.shape != inputs.shape or inputs.shape[0] == 0:
        raise ValueError(
            f"inputs and labels must have the same non-empty shape (N, T), got "
            f"{tuple(inputs.shape)} and {tuple(labels.shape)}"
        )
    if not bool((labels != IGNORE).any()):
        raise ValueError("labels has no position to predict (all IGNORE)")
    device = resolve_device(config.device)
    dtype = DTYPES[config.dtype]
    if sample_weights is not None:
        sample_weights = torch.as_tensor(sample_weights)
        if sample_weights.shape != (inputs.shape[0],) or not bool((sample_weights >= 0).all()):
            raise ValueError(f"sample_weights must be ({inputs.shape[0]},) and non-negative")
        sample_weights = sample_weights.to(device=device, dtype=dtype)
    model.to(device=device, dtype=dtype)
    inputs, labels = inputs.to(device), labels.to(device)
    n_rows, seq_len = inputs.shape
    optimizer = _make_optimizer(model, config)
    params = [p for p in model.parameters() if p.requires_grad]
    batches = Batches(n_rows, config.batch_size, config.seed)
    eval_set = set(config.eval_steps) if config.eval_steps is not None else None
    path = Path(checkpoint_path) if checkpoint_path is not None else None
    history: list[dict] = []
    start, elapsed = 0, 0.0
    rng_devices = [device] if device.type == "cuda" else []

    with torch.random.fork_rng(devices=rng_devices):
        torch.manual_seed(config.seed)
        if path is not None and path.exists():
            state = torch.load(path, map_location=device, weights_only=False)
            if state["config"] != _fingerprint(config):
                raise ValueError(
                    f"checkpoint {path} was made with another config: {state['config']}"
                )
            model.load_state_dict(state["model"])
            optimizer.load_state_dict(state["optimizer"])
            torch.set_rng_state(state["rng_cpu"])
            if rng_devices and state.get("rng_cuda") is not None:
                torch.cuda.set_rng_state(state["rng_cuda"], device)
            batches.load(state["batches"])
            history, start, elapsed = state["history"], state["step"], state["seconds"]

        def save(step: int, rng_cpu=None):
            if path is None:
                return
            atomic_torch_save(
                {
                    "model": model.state_dict(),
                    "optimizer": optimizer.state_dict(),
                    "rng_cpu": torch.get_rng_state() if rng_cpu is None else rng_cpu,
                    "rng_cuda": torch.cuda.get_rng_state(device) if rng_devices else None,
                    "batches": batches.state(),
                    "history": history,
                    "step": step,
                    "seconds": elapsed + time.perf_counter() - t0,
                    "config": _fingerprint(config),
                },
                path,
            )

        from tqdm.auto import tqdm

        model.train()
        t0 = time.perf_counter()
        bar = tqdm(
            total=config.steps,
            initial=start,
            disable=not config.progress,
            mininterval=0.5,
            desc=type(model).__name__,
            leave=False,
        )
        current_lr = None
        step = start
        with InterruptFlag(path is not None) as interrupt:
            try:
                while step <= config.steps:
                    record = _is_eval_step(config, step, eval_set)
                    rng_before = torch.get_rng_state() if record else None
                    extra = {}
                    if record and eval_fn is not None:
                        model.eval()
                        with phase("train.eval"), torch.no_grad():
                            extra = dict(eval_fn(model, step) or {})
                        model.train()
                    with phase("train.sample"):
                        idx = batches.next() if step < config.steps or record else None
                        if idx is not None and device.type != "cpu":
                            idx = idx.to(device)
                        x = inputs if idx is None else inputs[idx]
                        y = labels if idx is None else labels[idx]
                        w = None
                        if sample_weights is not None:
                            w = sample_weights if idx is None else sample_weights[idx]
                    lr = lr_at(config, min(step, max(config.steps - 1, 0)))
                    if step == config.steps:  # last row: loss only, no update
                        with phase("train.forward"), torch.no_grad():
                            loss = model_loss(model, x, y, w, config.trim_rows)
                    else:
                        if lr != current_lr:
                            for group in optimizer.param_groups:
                                group["lr"] = lr
                            current_lr = lr
                        with phase("train.forward"):
                            loss = model_loss(model, x, y, w, config.trim_rows)
                        with phase("train.backward"):
                            optimizer.zero_grad(set_to_none=True)
                            loss.backward()
                        with phase("train.optimizer"):
                            if config.grad_clip is not None:
                                torch.nn.utils.clip_grad_norm_(params, config.grad_clip)
                            optimizer.step()
                    if record:
                        row = {"step": step, "loss": float(loss.detach()), "lr": lr, **extra}
                        history.append(row)
                        bar.set_postfix(loss=f"{row['loss']:.4g}", refresh=False)
                    step += 1
                    if step <= config.steps:
                        bar.update(1)
                    if interrupt.raised:
                        save(step)
                        raise KeyboardInterrupt
                    if config.checkpoint_every and step % config.checkpoint_every == 0:
                        with phase("train.checkpoint"):
                            save(step)
            except KeyboardInterrupt:
                # state is consistent at the start of `step` unless we were inside eval_fn
                if not interrupt.raised:
                    save(step, rng_before if record else None)
                bar.close()
                raise
        bar.close()
        seconds = elapsed + time.perf_counter() - t0
        if path is not None:
            save(config.steps + 1)
        final_loss = None
        if config.final_loss:
            with phase("train.final_loss"):
                final_loss = dataset_loss(model, inputs, labels, sample_weights)
    run_steps = max(config.steps - start, 0)
    rows = n_rows if batches.batch_size is None else batches.batch_size
    return {
        "history": history,
        "final_loss": final_loss,
        "steps": config.steps,
        "seconds": seconds,
        "tokens_per_sec": run_steps * rows * seq_len / max(seconds, 1e-9),
        "resumed_from": start,
        "device": str(device),
        "dtype": config.dtype,
    }
