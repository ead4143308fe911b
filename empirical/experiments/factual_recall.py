"""Factual recall: linear-attention sequential learning, attention/MLP trade-off, facts vs params.

Nichani, Lee & Bietti 2024, *Understanding Factual Recall in Transformers via Associative
Memories* (arXiv 2412.06538). Predictions come from :mod:`memtheory.dynamics` (plateau levels,
population gradient-descent curves of the one-hot linear-attention model) and
:mod:`memtheory.capacity` (the paper's fitted facts-per-parameter constants).

1. ``sequential``: the one-hot linear-attention model of Fig. 5 (structured facts, init
   ``1e-5``, plain minibatch GD) passes through a plateau at :math:`\\ln(RD)`, then a
   "hallucination" plateau at :math:`\\ln D` (relation known, subject not), then converges; the
   relation loss drops before the subject loss. Measured: the loss at the flattest point between
   the two drops, the initial plateau, the escape steps, against the population GD recursion.
2. ``tradeoff``: the one-layer softmax transformer (frozen random embeddings) over a grid of
   heads ``H`` and MLP widths ``m``: reaching 99% needs either enough attention or enough MLP
   parameters; ablations show which block holds the facts.
3. ``sweep``: the largest ``S = R`` stored at 99% accuracy for a few ``d`` (bisection), facts per
   parameter against the paper's 0.15.
"""

from __future__ import annotations

import dataclasses
import math
import sys
import time
from dataclasses import dataclass

import numpy as np
import torch

from empirical.experiments import _dynamics_report as _report
from empirical.experiments._dynamics_report import claim
from empirical.models.factual import (
    LinearAttentionConfig,
    LinearAttentionFactual,
    OneLayerFactual,
    OneLayerFactualConfig,
)
from empirical.results import atomic_save_figure
from empirical.runtime import torch_threads
from empirical.tasks.factual_recall import (
    FactualRecallTask,
    all_facts_batch,
    make_facts,
    sample_batch,
)
from memtheory.checks import as_float, as_int
from memtheory.cli import run_cli

NAME = "factual_recall"
PAPER = "Nichani, Lee & Bietti 2024, arXiv 2412.06538"


@dataclass(frozen=True)
class FactualRecallConfig:
    """Sizes of the factual-recall experiment (``seq_*``: Fig. 5; ``tr_*``: trade-off grid;
    ``sw_*``: facts-vs-parameters sweep)."""

    seq_subjects: int = 16
    seq_relations: int = 4
    seq_answers: int = 8
    seq_noise: int = 20
    seq_len: int = 32
    seq_lr: float = 0.1
    seq_batch: int = 256  # paper: 1024
    seq_steps: int = 8192
    seq_init: float = 1e-5
    tr_d: int = 16
    tr_head_dim: int = 8
    tr_heads: tuple = (1, 2, 8)
    tr_widths: tuple = (1, 16, 64)
    tr_subjects: int = 12  # S = R
    tr_answers: int = 8
    tr_seq_len: int = 12
    sw_dims: tuple = (8, 12, 16)
    sw_attn_ratio: float = 1.0  # H d_h = ratio * d, H = 4
    sw_mlp_ratio: float = 1.0  # m = ratio * d
    sw_max_subjects: int = 16
    lr: float = 1e-2
    batch: int = 256
    steps: int = 2000
    seeds: int = 2
    seed: int = 0
    threads: int = 1  # torch threads: small tensors on a shared CPU run best on one
    device: str = "cpu"

    def __post_init__(self):
        as_int("seq_subjects", self.seq_subjects, 1)
        as_int("seq_relations", self.seq_relations, 2)
        as_int("seq_answers", self.seq_answers, 2)
        if self.seq_subjects % self.seq_answers:
            raise ValueError("seq_subjects must be a multiple of seq_answers (structured facts)")
        as_int("seq_noise", self.seq_noise, 1)
        as_int("seq_len", self.seq_len, 3)
        as_float("seq_lr", self.seq_lr, 0.0, low_open=True)
        as_int("seq_batch", self.seq_batch, 1)
        as_int("seq_steps", self.seq_steps, 10)
        as_float("seq_init", self.seq_init, 0.0, low_open=True)
        as_int("tr_d", self.tr_d, 1)
        as_int("tr_head_dim", self.tr_head_dim, 1)
        if not self.tr_heads or min(self.tr_heads) < 1:
            raise ValueError("tr_heads must be heads >= 1 (attention routes subject and relation)")
        if not self.tr_widths or min(self.tr_widths) < 0:
            raise ValueError("tr_widths must be MLP widths >= 0")
        as_int("tr_subjects", self.tr_subjects, 1)
        as_int("tr_answers", self.tr_answers, 2)
        as_int("tr_seq_len", self.tr_seq_len, 3)
        if not self.sw_dims or min(self.sw_dims) < 4:
            raise ValueError("sw_dims must be model widths >= 4")
        as_float("sw_attn_ratio", self.sw_attn_ratio, 0.0, low_open=True)
        as_float("sw_mlp_ratio", self.sw_mlp_ratio, 0.0)
        as_int("sw_max_subjects", self.sw_max_subjects, 2)
        as_float("lr", self.lr, 0.0, low_open=True)
        as_int("batch", self.batch, 1)
        as_int("steps", self.steps, 1)
        as_int("seeds", self.seeds, 1)
        as_int("seed", self.seed, 0)
        as_int("threads", self.threads, 1)
        if self.device != "cpu":
            raise ValueError("device must be 'cpu' in this experiment")


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
EXPECTED_SECONDS = {"quick": 370}

PROFILES = {
    "quick": FactualRecallConfig(),
    "paper": FactualRecallConfig(
        tr_d=32,
        tr_head_dim=8,
        tr_heads=(1, 2, 4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32),
        tr_widths=(1, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128),
        tr_subjects=32,
        tr_answers=8,
        tr_seq_len=32,
        sw_dims=(8, 11, 16, 22, 32, 45, 64, 90, 128, 181),
        sw_max_subjects=512,
        seq_batch=1024,
        batch=1024,
        steps=2**14,
        seeds=5,
    ),
}


# ---------------------------------------------------------------- 1. sequential learning
def train_linear_attention(task, facts, lr, batch, steps, init, seed) -> dict:
    """Plain minibatch GD on the one-hot linear-attention model; per-step losses.

    Returns ``loss``, ``relation_loss`` (``-log`` of the mass on the correct answer block),
    ``subject_loss`` (``-log`` of the mass on the correct within-block index, summed over blocks)
    and ``accuracy``, each ``(steps,)`` measured on the training batch before the update.
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


def _sequential(c, dyn, claims, curves, per_seed):
    task = FactualRecallTask(
        c.seq_subjects, c.seq_relations, c.seq_answers, c.seq_noise, c.seq_len, structured=True
    )
    facts = make_facts(task)
    S, R, D = task.n_subjects, task.n_relations, task.answers_per_relation
    levels = dyn.factual_recall_plateaus(R, D)
    pop = dyn.sequential_learning_gd(S, R, D, c.seq_lr, c.seq_steps, c.seq_init)
    pred = measure_plateaus({**pop, "accuracy": np.zeros(c.seq_steps + 1)}, R, D)
    meas = []
    for k in range(c.seeds):
        cur = train_linear_attention(
            task, facts, c.seq_lr, c.seq_batch, c.seq_steps, c.seq_init, c.seed + k
        )
        m = measure_plateaus(cur, R, D)
        meas.append(m)
        per_seed.append({"seed": c.seed + k, "part": "sequential", **m})
        if k == 0:
            curves["seq"] = cur
    curves["seq_pop"] = {k: pop[k] for k in ("loss", "relation_loss", "subject_loss")}
    curves["seq_levels"] = levels

    def col(key):
        return [m[key] for m in meas]

    init_p, hall = col("init_plateau"), col("hallucination_plateau")
    claims.append(
        claim(
            "seq-init-plateau",
            f"linear attention S={S}, R={R}, D={D}: initial plateau = ln(RD)",
            levels["init"],
            init_p,
            all(abs(v - levels["init"]) < 0.02 * levels["init"] for v in init_p),
            "within 2% on every seed",
            "nats",
        )
    )
    claims.append(
        claim(
            "seq-hallucination-plateau",
            "loss at the flattest point between the relation and subject drops = ln D "
            "(relation known, subject not)",
            levels["hallucination"],
            hall,
            all(
                math.isfinite(v)
                and abs(v - levels["hallucination"]) < 0.1 * levels["hallucination"]
                for v in hall
            ),
            "within 10% on every seed (the plateau is a saddle passage, not a fixed point)",
            "nats",
        )
    )
    order = [float(m["t_relation"] >= 0 and m["t_relation"] < m["t_subject"]) for m in meas]
    claims.append(
        claim(
            "seq-relation-first",
            "relation loss halves before the subject loss (1 = yes)",
            1.0,
            order,
            all(order),
            "on every seed",
        )
    )
    for key, name in (("t_relation", "relation"), ("t_subject", "subject")):
        v = col(key)
        claims.append(
            claim(
                f"seq-escape-{name}",
                f"step at which the {name} loss halves (prediction: population GD recursion, "
                "the Euler scheme of the reduced gradient flow)",
                pred[key],
                v,
                pred[key] > 0 and all(v_ > 0 and abs(v_ / pred[key] - 1) < 0.1 for v_ in v),
                "within 10% on every seed (minibatch noise)",
                "steps",
            )
        )
    acc = col("final_accuracy")
    claims.append(
        claim(
            "seq-converges",
            f"training accuracy over the last 1% of {c.seq_steps} steps",
            1.0,
            acc,
            min(acc) > 0.99,
            "> 0.99 on every seed",
        )
    )
    return {"predicted": pred, "levels": levels}


# ---------------------------------------------------------------- 2-3. one-layer transformer
def train_one_layer(task, facts, mcfg, lr, batch, steps, seed) -> tuple:
    """AdamW (weight decay 0) on fresh batches; returns the model and its test accuracies.

    Test set: every fact 4 times with fresh noise and positions; accuracies of the full model
    and with the MLP or the attention contribution removed.
    """
    torch.manual_seed(seed)
    model = OneLayerFactual(mcfg)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    rng = np.random.default_rng(seed)
    for _ in range(steps):
        b = sample_batch(task, facts, batch, rng)
        loss = torch.nn.functional.cross_entropy(model(b.inputs), b.answers)
        opt.zero_grad()
        loss.backward()
        opt.step()
    test = all_facts_batch(task, facts, np.random.default_rng(seed + 10_000), copies=4)
    with torch.no_grad():
        acc = {
            k: float((model(test.inputs, ablate=k).argmax(1) == test.answers).double().mean())
            for k in (None, "mlp", "attn")
        }
    return model, {"accuracy": acc[None], "acc_no_mlp": acc["mlp"], "acc_no_attn": acc["attn"]}


def _task(S, D, T):
    return FactualRecallTask(S, S, D, 2 * S, T)


def _tradeoff(c, cap, claims, curves, per_seed):
    task = _task(c.tr_subjects, c.tr_answers, c.tr_seq_len)
    N = task.n_facts
    grid = []
    for H in c.tr_heads:
        for m in c.tr_widths:
            mc = OneLayerFactualConfig(task.vocab_size, task.n_answers, c.tr_d, H, c.tr_head_dim, m)
            facts = make_facts(task, c.seed)
            _, acc = train_one_layer(task, facts, mc, c.lr, c.batch, c.steps, c.seed)
            pred = cap.transformer_capacity(c.tr_d, H, c.tr_head_dim, m) if cap else math.nan
            row = {
                "heads": H,
                "mlp_width": m,
                "attention_params": mc.attention_params,
                "mlp_params": mc.mlp_params,
                "predicted_capacity": pred,
                **acc,
            }
            grid.append(row)
            per_seed.append({"seed": c.seed, "part": "tradeoff", **row})
    curves["tradeoff"] = grid
    # where the facts live: removing the MLP keeps them when attention (values) stores them
    for r in grid:
        r["stored_in"] = "attention" if r["acc_no_mlp"] >= 0.5 * r["accuracy"] else "mlp"
    ok = [r for r in grid if r["accuracy"] >= 0.99]
    by_attn = [r for r in ok if r["stored_in"] == "attention"]
    by_mlp = [r for r in ok if r["stored_in"] == "mlp"]
    claims.append(
        claim(
            "tradeoff-either-suffices",
            f"N={N} facts, d={c.tr_d}, d_h={c.tr_head_dim}: cells at >= 99% whose facts survive "
            "removing the MLP (attention stores) / do not (MLP stores); measurement = the "
            "smaller of the two counts",
            ">= 1",
            [min(len(by_attn), len(by_mlp))],
            bool(by_attn) and bool(by_mlp),
            "at least one cell of each kind (accuracy without the MLP >= / < half the accuracy)",
            "cells",
        )
    )
    fewest = [r for r in grid if r["heads"] == min(c.tr_heads)]
    best_fewest = max(r["accuracy"] for r in fewest)
    claims.append(
        claim(
            "tradeoff-min-attention",
            f"best accuracy with H={min(c.tr_heads)} head(s) whatever the MLP width (the paper's "
            "boundary has a minimal attention, about 40 d parameters, needed to route)",
            "< 0.99",
            [best_fewest],
            best_fewest < 0.99,
            "below 99%: routing, not storage, limits a single head",
        )
    )
    if cap:
        agree = [float((r["predicted_capacity"] >= N) == (r["accuracy"] >= 0.99)) for r in grid]
        claims.append(
            claim(
                "tradeoff-capacity-fit",
                "cells where the paper's fit N <= 0.15 (4 H d_h d + 2 m d) predicts success or "
                "failure correctly (fraction)",
                1.0,
                [float(np.mean(agree))],
                np.mean(agree) >= 0.75,
                ">= 0.75 of cells (the fit is a guide line read at 2^14 AdamW steps, GPU sizes)",
            )
        )
    return grid


def _sweep(c, cap, claims, curves, per_seed):
    D = c.tr_answers
    rows = []
    for d in c.sw_dims:
        H = 4
        dh = max(1, int(round(c.sw_attn_ratio * d / H)))
        m = int(round(c.sw_mlp_ratio * d))
        lo, hi = 1, c.sw_max_subjects + 1  # invariant: S = lo passes (assumed), S = hi fails
        tried = {}
        while hi - lo > 1:
            S = (lo + hi) // 2
            task = _task(S, D, c.tr_seq_len)
            mc = OneLayerFactualConfig(task.vocab_size, task.n_answers, d, H, dh, m, seed=c.seed)
            _, acc = train_one_layer(
                task, make_facts(task, c.seed), mc, c.lr, c.batch, c.steps, c.seed
            )
            tried[S] = acc["accuracy"]
            if acc["accuracy"] >= 0.99:
                lo = S
            else:
                hi = S
        params = 4 * H * dh * d + 2 * m * d
        row = {
            "d": d,
            "heads": H,
            "head_dim": dh,
            "mlp_width": m,
            "params": params,
            "max_subjects": lo,
            "max_facts": lo * lo,
            "tried": tried,
            "facts_per_param": lo * lo / params,
        }
        if cap:
            row["predicted_facts"] = cap.transformer_capacity(d, H, dh, m)
        rows.append(row)
        per_seed.append({"seed": c.seed, "part": "sweep", **row})
    curves["sweep"] = rows
    fpp = [r["facts_per_param"] for r in rows]
    target = cap.TRANSFORMER_FACTS_PER_PARAM.value if cap else 0.15
    claims.append(
        claim(
            "sweep-facts-per-param",
            f"largest S^2 stored at 99% / parameters, d in {list(c.sw_dims)} (bisection on S=R)",
            target,
            fpp,
            all(target / 3 <= v <= target * 3 for v in fpp),
            "within a factor 3 of the fit at every d (CPU step budget; bisection step 1 in S)",
            "facts/param",
        )
    )
    if len(rows) >= 2:
        x = np.log([r["params"] for r in rows])
        y = np.log([max(1, r["max_facts"]) for r in rows])
        slope = float(np.polyfit(x, y, 1)[0])
        claims.append(
            claim(
                "sweep-linear-scaling",
                "log-log slope of stored facts against parameters (facts proportional to params)",
                1.0,
                [slope],
                0.6 <= slope <= 1.4,
                "in [0.6, 1.4] (few points, bisection resolution)",
            )
        )
    return rows


def run(config: FactualRecallConfig) -> dict:
    """Measure the claims of the module docstring; pure function of ``config``."""
    with torch_threads(config.threads):
        return _run(config)


def _run(c: FactualRecallConfig) -> dict:
    from memtheory import dynamics as dyn

    try:
        from memtheory import capacity as cap
    except ImportError:  # the capacity module is another issue's; report without its fit
        cap = None
    start, cpu0 = time.perf_counter(), time.process_time()
    claims, curves, per_seed = [], {}, []
    seq = _sequential(c, dyn, claims, curves, per_seed)
    grid = _tradeoff(c, cap, claims, curves, per_seed)
    sweep = _sweep(c, cap, claims, curves, per_seed)
    return {
        "experiment": NAME,
        "config": dataclasses.asdict(c),
        "claims": claims,
        "per_seed": per_seed,
        "sequential": seq,
        "tradeoff": grid,
        "sweep": sweep,
        "curves": curves,
        "wall_time": time.perf_counter() - start,
        "cpu_time": time.process_time() - cpu0,
    }


def figure(result: dict, path) -> None:
    """Sequential learning (measured and population GD), trade-off heat map, sweep."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cv = result["curves"]
    fig, ax = plt.subplots(1, 3, figsize=(16, 4.5))
    seq, pop, lv = cv["seq"], cv["seq_pop"], cv["seq_levels"]
    for key, col in (("loss", "k"), ("relation_loss", "C0"), ("subject_loss", "C1")):
        ax[0].plot(seq[key], color=col, lw=1, label=f"{key} (minibatch GD)")
        ax[0].plot(pop[key], color=col, ls=":", lw=1.5)
    for key in ("init", "hallucination"):
        ax[0].axhline(lv[key], color="gray", ls="--", lw=0.8)
    ax[0].set(
        title="linear attention (dotted: population GD); dashed: ln RD, ln D",
        xlabel="step",
        ylabel="nats",
    )
    ax[0].legend(fontsize=7)
    grid = cv["tradeoff"]
    heads = sorted({r["heads"] for r in grid})
    widths = sorted({r["mlp_width"] for r in grid})
    acc = np.array(
        [
            [
                next(r["accuracy"] for r in grid if r["heads"] == h and r["mlp_width"] == m)
                for h in heads
            ]
            for m in widths
        ]
    )
    im = ax[1].imshow(acc, origin="lower", vmin=0, vmax=1, cmap="viridis")
    ax[1].set_xticks(range(len(heads)), [str(h) for h in heads])
    ax[1].set_yticks(range(len(widths)), [str(m) for m in widths])
    ax[1].set(title="trade-off: test accuracy", xlabel="heads H", ylabel="MLP width m")
    fig.colorbar(im, ax=ax[1])
    sw = cv["sweep"]
    ax[2].loglog(
        [r["params"] for r in sw],
        [max(1, r["max_facts"]) for r in sw],
        "o-",
        label="measured (99%)",
    )
    if sw and "predicted_facts" in sw[0]:
        ax[2].loglog(
            [r["params"] for r in sw],
            [r["predicted_facts"] for r in sw],
            "k--",
            label="0.15 facts/param",
        )
    ax[2].set(title="facts vs parameters", xlabel="4 H d_h d + 2 m d", ylabel="facts S^2")
    ax[2].legend()
    fig.tight_layout()
    atomic_save_figure(fig, path, dpi=100)


def _notes(result: dict, config) -> list:
    """Free-text notes of ``summary.md``."""
    grid_txt = "; ".join(
        f"H={r['heads']} m={r['mlp_width']}: acc {r['accuracy']:.3f} (no MLP "
        f"{r['acc_no_mlp']:.3f}, no attn {r['acc_no_attn']:.3f})"
        for r in result["tradeoff"]
    )
    sweep_txt = "; ".join(
        f"d={r['d']}: S*={r['max_subjects']} ({r['params']} params, tried {r['tried']})"
        for r in result["sweep"]
    )
    return [
        f"sequential (prediction from population GD): {result['sequential']['predicted']}",
        f"trade-off grid: {grid_txt}",
        f"sweep: {sweep_txt}",
    ]


def main(argv=None) -> int:
    return _report.experiment_main(
        sys.modules[__name__],
        "Factual recall: sequential learning, attention/MLP trade-off, facts vs parameters",
        _notes,
        argv,
    )


if __name__ == "__main__":
    sys.exit(run_cli(main, prog=f"python -m empirical.experiments.{NAME}"))
