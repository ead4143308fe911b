"""Training and evaluation of one counting model (torch)."""

from __future__ import annotations

import numpy as np
import torch
from torch.nn import functional as F

from empirical.experiments.counting.model import CountingModel
from empirical.runtime import eval_mode, set_seed
from empirical.tasks.counting import sample_counting


def _batch(rng, cfg, n, length=None, regions=None, device="cpu"):
    b = sample_counting(
        rng, n, length or cfg.length, regions or cfg.regions, cfg.max_region_length, cfg.p_one
    )
    return b, torch.as_tensor(b.tokens, device=device), torch.as_tensor(b.counts, device=device)


def train_model(cfg, mask: str, position: str, seed: int, device) -> tuple[CountingModel, dict]:
    """Train with AdamW (weight decay 0.01, linear warm-up over 5% of the steps, then cosine),
    cross-entropy over the counts of the queried regions (``regions``, or a region count drawn
    from ``train_regions`` per batch); the task stream is seeded
    by ``seed`` (the same data for every variant of that seed)."""
    set_seed(seed)
    model = CountingModel(cfg.width, mask == "causal", position, cfg.regions, cfg.classes)
    model.to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=0.01)
    warm = max(1, cfg.steps // 20)

    def lr_at(step):
        if step < warm:
            return (step + 1) / warm
        return 0.5 * (1 + np.cos(np.pi * (step - warm) / max(1, cfg.steps - warm)))

    sched = torch.optim.lr_scheduler.LambdaLR(opt, lr_at)
    rng = np.random.default_rng([seed, 1])
    losses = []
    for _ in range(cfg.steps):
        R = int(rng.choice(cfg.train_regions)) if cfg.train_regions else cfg.regions
        _, x, y = _batch(rng, cfg, cfg.batch, regions=R, device=device)
        logits = model(x, n_queries=R)
        loss = F.cross_entropy(logits.reshape(-1, cfg.classes), y.reshape(-1))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        losses.append(float(loss.detach()))
    tail = losses[-max(1, len(losses) // 10) :] if losses else [float("nan")]
    return model, {"final_loss": float(np.mean(tail)), "first_loss": losses[0] if losses else None}


def accuracy(model, cfg, seed: int, length: int, regions: int, device) -> dict:
    """Per-region and whole-sequence exact-count accuracy on ``eval_batch`` fresh sequences,
    querying the first ``min(regions, cfg.regions)`` regions; per-count accuracy too."""
    rng = np.random.default_rng([seed, 2, length, regions])
    q = min(regions, cfg.regions)
    _, x, y = _batch(rng, cfg, cfg.eval_batch, length, regions, device)
    with eval_mode(model):
        pred = model(x, n_queries=q).argmax(-1)
    y = y[:, :q]
    hit = (pred == y).cpu().numpy()
    yc = y.cpu().numpy()
    per_count = {int(c): float(hit[yc == c].mean()) for c in np.unique(yc)}
    return {
        "accuracy": float(hit.mean()),
        "sequence_accuracy": float(hit.all(axis=1).mean()),
        "per_count": per_count,
    }
