"""The factual-recall figure: sequential learning, trade-off cells against Fig. 4 (right)'s
boundary, facts against parameters."""

from __future__ import annotations

import numpy as np

from empirical.experiments.factual_recall.boundary import (
    ATTENTION_ALONE,
    ATTENTION_MIN,
    MLP_INTERCEPT,
    PAPER_FACTS,
)
from empirical.running.results import atomic_save_figure, new_figure


def figure(result: dict, curves: dict, path) -> None:
    """Three panels: losses (measured and population GD), cells coloured by accuracy over
    ``(A, M) = (d d_h H, d m)`` with the paper's boundary, stored facts against parameters."""
    fig, ax = new_figure(1, 3, figsize=(16, 4.5))
    seq, pop, lv = curves["seq"], curves["seq_pop"], curves["seq_levels"]
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
    grid = result["tradeoff"]
    if grid:
        d, dh = result["config"]["tr_d"], result["config"]["tr_head_dim"]
        a = np.array([d * dh * r["heads"] for r in grid], dtype=float)
        m = np.array([d * r["mlp_width"] for r in grid], dtype=float)
        acc = np.array([r["accuracy"] for r in grid])
        sc = ax[1].scatter(a, m, c=acc, vmin=0, vmax=1, cmap="viridis", s=80, edgecolors="k")
        for x, y, r in zip(a, m, grid, strict=True):
            ax[1].annotate(
                r["stored_in"][:4], (x, y), fontsize=7, xytext=(4, 4), textcoords="offset points"
            )
        s = grid[0]["facts"] / PAPER_FACTS
        xs = np.linspace(ATTENTION_MIN * s, ATTENTION_ALONE * s, 50)
        ax[1].plot(xs, MLP_INTERCEPT * s - xs / 2, "r--", lw=1, label="Fig. 4 right boundary")
        ax[1].axvline(ATTENTION_MIN * s, color="r", ls="--", lw=1)
        ax[1].set(title="trade-off: test accuracy", xlabel="attention d d_h H", ylabel="MLP d m")
        ax[1].legend(fontsize=7)
        fig.colorbar(sc, ax=ax[1])
    sw = result["sweep"]
    if sw:
        p = [r["params"] for r in sw]
        ax[2].loglog(p, [max(1, r["max_facts"]) for r in sw], "o-", label="measured (99%)")
        ax[2].loglog(p, [r["predicted_facts"] for r in sw], "k--", label="0.15 facts/param")
        ax[2].legend()
    ax[2].set(title="facts vs parameters", xlabel="4 H d_h d + 2 m d", ylabel="facts S^2")
    fig.tight_layout()
    atomic_save_figure(fig, path, dpi=100)
