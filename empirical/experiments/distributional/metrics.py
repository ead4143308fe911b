"""What the distributional experiment trains and measures (torch): the two-layer model on noisy
in-context recall, its clean and noisy test metrics, per-layer probes and FF2 truncations."""

from __future__ import annotations

import numpy as np
import torch

from empirical.experiments.distributional.config import DistributionalConfig
from empirical.measure import recall_probes as rp
from empirical.models.memories.two_layer import TwoLayerConfig, TwoLayerTransformer
from empirical.tasks.noisy_recall import NoisyRecallTask, sample_batch


def make_task(c: DistributionalConfig) -> NoisyRecallTask:
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
        opt = torch.optim.Adam(model.parameters(), lr=c.lr, fused=True)  # same arithmetic
    rng = np.random.default_rng(seed)
    losses = np.empty(c.steps)
    for t in range(c.steps):
        b = sample_batch(task, language, c.batch, rng)
        logits, labels = model.labelled_logits(b.inputs, b.labels)
        loss = torch.nn.functional.cross_entropy(logits, labels)
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
