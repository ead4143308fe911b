"""What the factual-recall experiment trains and measures (torch).

* :func:`train_linear_attention` and :func:`measure_plateaus`: the Fig. 5 model and its plateau
  levels and escape steps;
* :func:`train_one_layer` and :func:`train_cell`: the Sec. 4 one-layer transformer, its test
  accuracy with and without each block (a picklable job for :mod:`empirical.sweep`).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from empirical.models.factual import (
    LinearAttentionConfig,
    LinearAttentionFactual,
    OneLayerFactual,
    OneLayerFactualConfig,
)
from empirical.runtime import torch_threads
from empirical.tasks.factual_recall import (
    FactualRecallTask,
    all_facts_batch,
    make_facts,
    sample_batch,
)


# ---------------------------------------------------------------- 1. sequential learning
def train_linear_attention(task, facts, lr, batch, steps, init, seed) -> dict:
    """Plain minibatch GD on the one-hot linear-attention model; per-step losses.

    Returns ``loss``, ``relation_loss`` (``-log`` of the mass on the correct answer block),
    ``subject_loss`` (``-log`` of the mass on the correct within-block index, summed over blocks)
    and ``accuracy``, each ``(steps,)`` measured on the training batch before the update
    (arXiv 2412.06538, Fig. 5).
    """
    R, D = task.n_relations, task.answers_per_relation
    model = LinearAttentionFactual(LinearAttentionConfig(task.vocab_size, task.n_answers, init))
    rng = np.random.default_rng(seed)
    out = {k: np.empty(steps) for k in ("loss", "relation_loss", "subject_loss", "accuracy")}
    for t in range(steps):
        b = sample_batch(task, facts, batch, rng)
        logits = model(b.inputs)
        logp = torch.log_softmax(logits, dim=-1)
        loss = torch.nn.functional.nll_loss(logp, b.answers)
        model.zero_grad()
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= lr * p.grad
            lp = logp.detach().view(-1, R, D)
            block = torch.logsumexp(lp, dim=2)  # (B, R) log mass per block
            within = torch.logsumexp(lp, dim=1)  # (B, D) log mass per within-block index
            out["loss"][t] = float(loss.detach())
            out["relation_loss"][t] = float(-block.gather(1, (b.answers // D)[:, None]).mean())
            out["subject_loss"][t] = float(-within.gather(1, (b.answers % D)[:, None]).mean())
            out["accuracy"][t] = float((logits.argmax(1) == b.answers).double().mean())
    return out


def _smooth(x, w):
    w = max(1, int(w))
    k = np.ones(w) / w
    return np.convolve(np.pad(x, (w // 2, w - 1 - w // 2), mode="edge"), k, mode="valid")


def measure_plateaus(curves, R, D) -> dict:
    """Plateau levels and escape steps of a loss trajectory.

    ``t_relation`` / ``t_subject``: first steps where the (smoothed) relation / subject loss is
    below half its initial value (``ln R / 2``, ``ln D / 2``); ``init_plateau``: median loss
    over the first half of ``[0, t_relation)``; ``hallucination_plateau``: the smoothed loss at
    the flattest point (smallest ``|d loss / d step|``) between ``t_relation`` and
    ``t_subject``; ``final_loss`` and ``final_accuracy``: means over the last 1% of steps.
    """
    n = len(curves["loss"])
    w = max(5, n // 200)
    loss = _smooth(curves["loss"], w)
    rel = _smooth(curves["relation_loss"], w)
    sub = _smooth(curves["subject_loss"], w)

    def first(x, level):
        idx = np.nonzero(x <= level)[0]
        return int(idx[0]) if idx.size else -1

    t_r = first(rel, 0.5 * math.log(R))
    t_s = first(sub, 0.5 * math.log(D))
    out = {"t_relation": t_r, "t_subject": t_s}
    out["init_plateau"] = float(np.median(loss[: max(1, t_r // 2)])) if t_r > 0 else math.nan
    if 0 < t_r < t_s:
        grad = np.abs(np.gradient(_smooth(loss, 4 * w)))
        lo, hi = t_r, t_s
        i = lo + int(np.argmin(grad[lo:hi]))
        out["hallucination_plateau"] = float(loss[i])
        out["hallucination_step"] = i
    else:
        out["hallucination_plateau"] = math.nan
        out["hallucination_step"] = -1
    tail = max(1, n // 100)
    out["final_loss"] = float(np.mean(curves["loss"][-tail:]))
    out["final_accuracy"] = float(np.mean(curves["accuracy"][-tail:]))
    return out


# ---------------------------------------------------------------- 2-3. one-layer transformer
def factual_task(S: int, D: int, T: int) -> FactualRecallTask:
    """The sweeps' task: ``S = R``, ``|N| = S + R`` noise tokens (arXiv 2412.06538, Sec. 5)."""
    return FactualRecallTask(S, S, D, 2 * S, T)


def train_one_layer(
    task, facts, mcfg, lr, batch, steps, seed, *, eval_every=None, stop_accuracy=1.01
) -> tuple:
    """AdamW (weight decay 0) on fresh batches; returns the model and its test measurements.

    Every ``eval_every`` steps a fresh probe batch of ``batch`` samples is scored; training stops
    once its accuracy reaches ``stop_accuracy``. Test set: every fact 4 times with fresh noise
    and positions; accuracies of the full model and with the MLP or the attention contribution
    removed; ``steps_run``: the steps taken.
    """
    torch.manual_seed(seed)
    model = OneLayerFactual(mcfg)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    rng = np.random.default_rng(seed)
    probe_rng = np.random.default_rng(seed + 20_000)
    t = 0
    while t < steps:
        b = sample_batch(task, facts, batch, rng)
        loss = torch.nn.functional.cross_entropy(model(b.inputs), b.answers)
        opt.zero_grad()
        loss.backward()
        opt.step()
        t += 1
        if eval_every and t % eval_every == 0 and t < steps:
            p = sample_batch(task, facts, batch, probe_rng)
            with torch.no_grad():
                acc = float((model(p.inputs).argmax(1) == p.answers).double().mean())
            if acc >= stop_accuracy:
                break
    test = all_facts_batch(task, facts, np.random.default_rng(seed + 10_000), copies=4)
    with torch.no_grad():
        acc = {
            k: float((model(test.inputs, ablate=k).argmax(1) == test.answers).double().mean())
            for k in (None, "mlp", "attn")
        }
    return model, {
        "accuracy": acc[None],
        "acc_no_mlp": acc["mlp"],
        "acc_no_attn": acc["attn"],
        "steps_run": t,
    }


def train_cell(
    *,
    S,
    D,
    T,
    d,
    heads,
    head_dim,
    mlp_width,
    lr,
    batch,
    steps,
    eval_every,
    stop_accuracy,
    seed,
    threads=1,
) -> dict:
    """One one-layer run as a picklable job: task ``S = R``, ``D``, ``T``; model ``d``, ``H``,
    ``d_h``, ``m``; returns the cell's sizes and :func:`train_one_layer`'s measurements."""
    with torch_threads(threads):
        task = factual_task(S, D, T)
        mc = OneLayerFactualConfig(
            task.vocab_size, task.n_answers, d, heads, head_dim, mlp_width, seed=seed
        )
        _, acc = train_one_layer(
            task,
            make_facts(task, seed),
            mc,
            lr,
            batch,
            steps,
            seed,
            eval_every=eval_every,
            stop_accuracy=stop_accuracy,
        )
    return {
        "subjects": S,
        "facts": task.n_facts,
        "d": d,
        "heads": heads,
        "head_dim": head_dim,
        "mlp_width": mlp_width,
        "lr": lr,
        "attention_params": mc.attention_params,
        "mlp_params": mc.mlp_params,
        **acc,
    }


def train_size(*, lrs, success, **cell) -> dict:
    """:func:`train_cell` at each learning rate of ``lrs`` in order, stopping at the first whose
    test accuracy reaches ``success`` (the paper's learning-rate search, arXiv 2412.06538 Fig. 4
    left: a size is stored when some learning rate stores it). Returns the first successful run
    (or the most accurate one) with ``tried = {lr: accuracy}``."""
    tried, best = {}, None
    for lr in lrs:
        r = train_cell(lr=lr, **cell)
        tried[repr(float(lr))] = r["accuracy"]
        if best is None or r["accuracy"] > best["accuracy"]:
            best = r
        if r["accuracy"] >= success:
            best = r
            break
    return {**best, "tried_lrs": tried}
