"""Distributional associations vs in-context reasoning: FF stores the noise, attention recalls.

Chen, Bruna & Bietti 2024 (arXiv 2406.03068), on the trigger task of Bietti et al. 2023
(arXiv 2306.00802). A two-layer transformer (frozen random embeddings, :math:`W_Q = I`, FF in both
blocks, no LayerNorm) is trained on noisy in-context recall: after a trigger, the next token is a
fixed noise token :math:`\\tau` with probability :math:`\\alpha`, else the sequence's answer
:math:`\\bar y`. Measured (per seed) on a clean test set (:math:`\\alpha = 0`) at trigger positions
whose answer already appeared in context:

1. ``bayes-floor``: the noisy training loss at those positions against :math:`h(\\alpha)`
   (:func:`memtheory.dynamics.noisy_recall_bayes_floor`);
2. ``calibration``: the predicted probability of :math:`\\tau` is about :math:`\\alpha`;
3. ``ff-stores-noise``: the second FF layer read through the unembedding predicts :math:`\\tau`
   (logit lens at the positions, and the paper's noise-logit margin of
   :math:`W_U\\,\\mathrm{FF}_2(e_q)`), while ``attn-recalls``: the second attention layer's output
   predicts :math:`\\bar y`;
4. ``truncation``: replacing the second FF layer's output matrix by its best rank
   :math:`\\lfloor\\rho d\\rfloor` approximation (:math:`\\rho = 0` removes the layer) raises clean
   in-context accuracy;
5. the Birth-of-a-Transformer memory probes are reported alongside: :math:`W_O^2` (answer-pool
   tokens copied to their own unembedding), :math:`W_K^2` (each trigger's query picks the key
   :math:`W_K^2W_O^1W_V^1e_q` of its own token among all tokens) and :math:`W_K^1` (positional
   previous-token attention).
"""

from __future__ import annotations

import dataclasses
import sys
import time
from dataclasses import dataclass

import numpy as np
import torch

from empirical import recall_probes as rp
from empirical.experiments import _dynamics_report as _report
from empirical.experiments._dynamics_report import claim
from empirical.models.two_layer import TwoLayerConfig, TwoLayerTransformer
from empirical.results import atomic_save_figure
from empirical.runtime import torch_threads
from empirical.tasks.noisy_recall import NoisyRecallTask, build_language, sample_batch
from memtheory.checks import as_choice, as_float, as_int
from memtheory.cli import run_cli

NAME = "distributional"
PAPER = "Chen, Bruna & Bietti 2024, arXiv 2406.03068"
OPTIMIZERS = ("sgd", "adam")


@dataclass(frozen=True)
class DistributionalConfig:
    """Sizes of the noisy in-context recall experiment (paper: the released k = 1 script)."""

    vocab_size: int = 32
    seq_len: int = 64
    n_triggers: int = 1
    alpha: float = 0.5
    noise_token: int = 2
    d_model: int = 64
    ff_mult: int = 4
    optimizer: str = "adam"
    lr: float = 3e-3
    momentum: float = 0.9
    weight_decay: float = 1e-4
    batch: int = 64
    steps: int = 800
    test_batch: int = 512
    rhos: tuple = (0.0, 0.1, 0.2, 1.0)
    seeds: int = 2
    seed: int = 0
    threads: int = 1  # torch threads: small tensors on a shared CPU run best on one
    device: str = "cpu"

    def __post_init__(self):
        as_int("vocab_size", self.vocab_size, 8)
        as_int("seq_len", self.seq_len, 8)
        as_int("n_triggers", self.n_triggers, 1)
        as_float("alpha", self.alpha, 0.0, 1.0, low_open=True, high_open=True)
        as_int("noise_token", self.noise_token, 0, self.vocab_size - 1)
        as_int("d_model", self.d_model, 4)
        as_int("ff_mult", self.ff_mult, 1)
        as_choice("optimizer", self.optimizer, OPTIMIZERS)
        as_float("lr", self.lr, 0.0, low_open=True)
        as_float("momentum", self.momentum, 0.0, 1.0, high_open=True)
        as_float("weight_decay", self.weight_decay, 0.0)
        as_int("batch", self.batch, 1)
        as_int("steps", self.steps, 1)
        as_int("test_batch", self.test_batch, 1)
        if not self.rhos or any(not 0.0 <= r <= 1.0 for r in self.rhos):
            raise ValueError("rhos must be truncation fractions in [0, 1]")
        as_int("seeds", self.seeds, 1)
        as_int("seed", self.seed, 0)
        as_int("threads", self.threads, 1)
        if self.device != "cpu":
            raise ValueError("device must be 'cpu' in this experiment")


# rough wall time of one run on 2 idle CPU cores: validate starts the longest runs first
EXPECTED_SECONDS = {"quick": 120}

PROFILES = {
    "quick": DistributionalConfig(),
    "paper": DistributionalConfig(
        vocab_size=65,
        seq_len=256,
        d_model=256,
        optimizer="sgd",
        lr=0.03,
        batch=512,
        steps=5000,
        test_batch=1024,
        seeds=3,
    ),
}


def _task(c: DistributionalConfig) -> NoisyRecallTask:
    return NoisyRecallTask(
        vocab_size=c.vocab_size,
        seq_len=c.seq_len,
        n_triggers=c.n_triggers,
        alpha=c.alpha,
        noise_token=c.noise_token,
        language_seed=c.seed,
    )


def train_two_layer(c: DistributionalConfig, task, language, seed: int):
    """Train :class:`TwoLayerTransformer` on noisy batches (loss at trigger positions, second
    occurrence onward); returns the model and the per-step training loss."""
    torch.manual_seed(seed)
    model = TwoLayerTransformer(
        TwoLayerConfig(c.vocab_size, c.seq_len, c.d_model, c.ff_mult, (1, 2), seed)
    )
    if c.optimizer == "sgd":
        opt = torch.optim.SGD(
            model.parameters(), lr=c.lr, momentum=c.momentum, weight_decay=c.weight_decay
        )
    else:
        opt = torch.optim.Adam(model.parameters(), lr=c.lr)
    rng = np.random.default_rng(seed)
    losses = np.empty(c.steps)
    for t in range(c.steps):
        b = sample_batch(task, language, c.batch, rng)
        logits = model(b.inputs)
        loss = torch.nn.functional.cross_entropy(
            logits.reshape(-1, logits.shape[-1]), b.labels.reshape(-1), ignore_index=-100
        )
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses[t] = float(loss.detach())
    return model, losses


@torch.no_grad()
def evaluate(model, c, task, language, seed: int) -> dict:
    """Clean and noisy test metrics, per-layer probes and the truncation sweep."""
    tau = c.noise_token
    clean = sample_batch(task, language, c.test_batch, np.random.default_rng(seed + 7), alpha=0.0)
    noisy = sample_batch(task, language, c.test_batch, np.random.default_rng(seed + 8))
    out = {}
    mask = clean.answer_in_context
    logits, parts = model(clean.inputs, return_parts=True)
    probs = torch.softmax(logits[mask], -1)
    out["clean_accuracy"] = float((logits[mask].argmax(-1) == clean.answers[mask]).double().mean())
    out["p_noise"] = float(probs[:, tau].mean())
    out["p_answer"] = float(probs.gather(1, clean.answers[mask][:, None]).mean())
    nl = model(noisy.inputs)
    nm = noisy.answer_in_context
    out["noisy_loss_in_context"] = float(
        torch.nn.functional.cross_entropy(nl[nm], noisy.labels[nm])
    )
    U = model.unembed
    taus = torch.full_like(clean.answers, tau)
    out["ff2_predicts_noise"] = rp.logit_lens_accuracy(parts["ff2"], U, taus, mask)
    out["attn2_predicts_answer"] = rp.logit_lens_accuracy(parts["attn2"], U, clean.answers, mask)
    out["ff2_predicts_answer"] = rp.logit_lens_accuracy(parts["ff2"], U, clean.answers, mask)
    out["attn2_predicts_noise"] = rp.logit_lens_accuracy(parts["attn2"], U, taus, mask)
    trig = torch.as_tensor(language.triggers)
    out["ff2_noise_margin"] = float(rp.ff_margin(model.ff["2"], model.embed[trig], U, tau).min())
    pool = torch.as_tensor(language.answer_pool)
    a1, a2 = model.attn1, model.attn2
    out["probe_wo2"] = rp.output_memory_probe(a2.wo, a2.wv, model.embed, U, pool)
    out["probe_wk2"] = rp.key_memory_probe(
        a2.wk, a1.wo, a1.wv, model.embed, trig, torch.arange(c.vocab_size)
    )
    out["probe_wk1"] = rp.previous_token_probe(a1.wk, model.pos)
    w1, w2 = model.ff["2"].w1, model.ff["2"].w2
    for rho in c.rhos:
        over = {2: None} if rho == 0 else {2: (w1, rp.truncate(w2, rho))}
        lg = model(clean.inputs, ff_override=over)[mask]
        out[f"acc_rho_{rho:g}"] = float((lg.argmax(-1) == clean.answers[mask]).double().mean())
        out[f"p_noise_rho_{rho:g}"] = float(torch.softmax(lg, -1)[:, tau].mean())
    out["soft_rank_wo2"] = rp.soft_rank(a2.wo)
    out["positions"] = int(mask.sum())
    return out


def run(config: DistributionalConfig) -> dict:
    """Measure the claims of the module docstring; pure function of ``config``."""
    with torch_threads(config.threads):
        return _run(config)


def _run(c: DistributionalConfig) -> dict:
    from memtheory import dynamics as dyn

    start, cpu0 = time.perf_counter(), time.process_time()
    task = _task(c)
    language = build_language(task)
    per_seed, curves = [], {}
    for k in range(c.seeds):
        seed = c.seed + k
        model, losses = train_two_layer(c, task, language, seed)
        m = evaluate(model, c, task, language, seed)
        m["seed"] = seed
        m["final_train_loss"] = float(np.mean(losses[-max(1, c.steps // 20) :]))
        per_seed.append(m)
        curves[f"train_loss_{seed}"] = losses
    floor = float(dyn.noisy_recall_bayes_floor(c.alpha))

    def col(key):
        return [m[key] for m in per_seed]

    claims = [
        claim(
            "bayes-floor",
            f"noisy cross-entropy at in-context trigger positions (alpha={c.alpha}) vs h(alpha)",
            floor,
            col("noisy_loss_in_context"),
            all(abs(v - floor) <= 0.1 * floor for v in col("noisy_loss_in_context")),
            "within 10% of h(alpha) on every seed (finite training)",
            "nats",
        ),
        claim(
            "calibration",
            "clean test: mean predicted probability of the noise token after a trigger",
            c.alpha,
            col("p_noise"),
            all(abs(v - c.alpha) <= 0.1 for v in col("p_noise")),
            "within 0.1 of alpha on every seed",
        ),
        claim(
            "ff-stores-noise",
            "logit lens of the 2nd FF output: fraction of in-context trigger positions where it "
            "predicts the noise token",
            1.0,
            col("ff2_predicts_noise"),
            min(col("ff2_predicts_noise")) >= 0.9,
            ">= 0.9 on every seed",
        ),
        claim(
            "ff-noise-margin",
            "noise-logit margin of W_U FF_2(e_q) on the trigger embedding (paper's FF probe)",
            "> 0",
            col("ff2_noise_margin"),
            min(col("ff2_noise_margin")) > 0,
            "> 0 on every seed",
        ),
        claim(
            "attn-recalls",
            "logit lens of the 2nd attention output: fraction of positions where it predicts the "
            "in-context answer",
            1.0,
            col("attn2_predicts_answer"),
            min(col("attn2_predicts_answer")) >= 0.9,
            ">= 0.9 on every seed",
        ),
    ]
    full = col("acc_rho_1")
    removed = col("acc_rho_0")
    gain = [a - b for a, b in zip(removed, full, strict=True)]
    claims.append(
        claim(
            "truncation-raises-accuracy",
            "clean in-context accuracy gain from removing the 2nd FF layer (rho = 0) "
            f"(full model: {np.mean(full):.3f})",
            "> 0",
            gain,
            min(gain) > 0,
            "> 0 on every seed",
        )
    )
    for rho in c.rhos:
        if rho in (0.0, 1.0):
            continue
        g = [a - b for a, b in zip(col(f"acc_rho_{rho:g}"), full, strict=True)]
        claims.append(
            claim(
                f"truncation-rho-{rho:g}",
                f"clean accuracy gain from the rank-floor({rho:g} d) truncation of FF_2's output "
                "matrix",
                ">= 0",
                g,
                min(g) >= 0,
                ">= 0 on every seed (the paper's magnitude is unconfirmed)",
            )
        )
    return {
        "experiment": NAME,
        "config": dataclasses.asdict(c),
        "claims": claims,
        "per_seed": per_seed,
        "bayes_floor": floor,
        "curves": curves,
        "wall_time": time.perf_counter() - start,
        "cpu_time": time.process_time() - cpu0,
    }


def figure(result: dict, path) -> None:
    """Training loss against h(alpha); truncation sweep; per-layer probes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(1, 3, figsize=(15, 4.2))
    for key, v in result["curves"].items():
        ax[0].plot(v, lw=0.7, label=key.replace("train_loss_", "seed "))
    ax[0].axhline(result["bayes_floor"], color="k", ls="--", label="h(alpha)")
    ax[0].set(title="training loss (trigger positions)", xlabel="step", yscale="log")
    ax[0].legend(fontsize=7)
    rhos = result["config"]["rhos"]
    for m in result["per_seed"]:
        ax[1].plot(rhos, [m[f"acc_rho_{r:g}"] for r in rhos], "o-", label=f"seed {m['seed']}")
    ax[1].set(title="clean accuracy vs FF2 rank fraction rho", xlabel="rho (0 = FF2 removed)")
    ax[1].legend(fontsize=7)
    keys = [
        "ff2_predicts_noise",
        "attn2_predicts_answer",
        "ff2_predicts_answer",
        "attn2_predicts_noise",
        "probe_wo2",
        "probe_wk2",
        "probe_wk1",
    ]
    vals = np.array([[m[k] for k in keys] for m in result["per_seed"]])
    ax[2].bar(range(len(keys)), vals.mean(0), yerr=vals.std(0))
    ax[2].set_xticks(range(len(keys)), keys, rotation=40, ha="right", fontsize=7)
    ax[2].set(title="per-layer probes (mean over seeds)", ylim=(0, 1.05))
    fig.tight_layout()
    atomic_save_figure(fig, path, dpi=100)


def _notes(result: dict, config) -> list:
    """Free-text notes of ``summary.md``."""
    probes = "; ".join(
        f"seed {m['seed']}: W_O2 {m['probe_wo2']:.2f}, W_K2 {m['probe_wk2']:.2f}, "
        f"W_K1 {m['probe_wk1']:.2f}, clean acc {m['clean_accuracy']:.3f}, "
        f"p(tau) {m['p_noise']:.3f}"
        for m in result["per_seed"]
    )
    return [
        f"Birth-of-a-Transformer probes and clean metrics: {probes}",
        "Synthetic seeded bigram language (Zipf unigram, Dirichlet rows) instead of tiny "
        "Shakespeare; answers never equal the noise token or a trigger.",
        f"optimizer {config.optimizer}, lr {config.lr}, {config.steps} steps, batch "
        f"{config.batch}.",
    ]


def main(argv=None) -> int:
    return _report.experiment_main(
        sys.modules[__name__],
        "Distributional associations (FF) vs in-context recall (attention)",
        _notes,
        argv,
    )


if __name__ == "__main__":
    sys.exit(run_cli(main, prog=f"python -m empirical.experiments.{NAME}"))
