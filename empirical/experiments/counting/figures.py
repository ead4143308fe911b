"""Figures of the counting experiment (outside pyplot; saved atomically)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from empirical.running.results import atomic_save_figure, new_figure


def save_figures(result: dict, out) -> dict:
    """Accuracy per variant, the encoder PCA of 1-tokens by region (best causal model) and
    decoder bias mass against out-of-distribution accuracy; returns ``{name: file}``."""
    out = Path(out)
    runs = result["runs"]
    files = {}
    if not runs:
        return files
    variants = []
    for r in runs:
        if (r["mask"], r["position"]) not in variants:
            variants.append((r["mask"], r["position"]))
    fig, ax = new_figure(figsize=(8, 3.5))
    keys = [
        ("accuracy", "in distribution"),
        ("ood_length_accuracy", "new lengths"),
        ("ood_regions_accuracy", "new region counts"),
    ]
    x = np.arange(len(variants))
    for i, (k, label) in enumerate(keys):
        vals = [[r[k] for r in runs if (r["mask"], r["position"]) == v] for v in variants]
        ax.bar(x + (i - 1) * 0.27, [np.mean(v) for v in vals], 0.27, label=label)
        for j, v in enumerate(vals):
            ax.plot([x[j] + (i - 1) * 0.27] * len(v), v, "k.", ms=3)
    ax.set_xticks(x, [f"{m}\n{p}" for m, p in variants], fontsize=8)
    ax.set_ylabel("per-region accuracy")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=7)
    fig.tight_layout()
    files["accuracy"] = atomic_save_figure(fig, out / "accuracy.png").name

    causal = [r for r in runs if r["mask"] == "causal"] or runs
    best = max(causal, key=lambda r: r["accuracy"])
    fig, ax = new_figure(figsize=(4.5, 4))
    xy = np.asarray(best["pca"]["xy"])
    reg = np.asarray(best["pca"]["region"])
    for k in np.unique(reg):
        ax.scatter(xy[reg == k, 0], xy[reg == k, 1], s=5, label=f"region {k}")
    ax.set_title(
        f"encoder outputs of 1-tokens\n{best['mask']} {best['position']} seed {best['seed']}"
        f" (probe {best['probe_accuracy']:.2f})",
        fontsize=8,
    )
    ax.set_xlabel("PC 1")
    ax.set_ylabel("PC 2")
    ax.legend(fontsize=7, markerscale=3)
    fig.tight_layout()
    files["pca"] = atomic_save_figure(fig, out / "encoder_pca.png").name

    fig, ax = new_figure(figsize=(4.5, 4))
    for r in runs:
        d = r["decoder"]
        share = d["bos"] / max(d["bos"] + d["close"], 1e-12)
        ax.scatter(
            share,
            r["ood_regions_accuracy"],
            c="C0" if r["mask"] == "causal" else "C3",
            marker={"nope": "o", "rope": "s", "absolute": "^"}[r["position"]],
            s=25,
        )
    ax.set_xlabel("decoder bias share BoS / (BoS + ])")
    ax.set_ylabel("accuracy at new region counts")
    ax.set_title("blue causal, red non-causal; o NoPE, s RoPE, ^ absolute", fontsize=8)
    fig.tight_layout()
    files["bias"] = atomic_save_figure(fig, out / "decoder_bias.png").name
    return files
