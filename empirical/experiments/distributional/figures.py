"""The distributional figure: training loss against h(alpha), truncation sweep, probes."""

from __future__ import annotations

import numpy as np

from empirical.running.results import atomic_save_figure, new_figure

PROBES = (
    "ff2_predicts_noise",
    "attn2_predicts_answer",
    "ff2_predicts_answer",
    "attn2_predicts_noise",
    "probe_wo2",
    "probe_wk2",
    "probe_wk1",
)


def figure(result: dict, curves: dict, path) -> None:
    """Training loss per seed against :math:`h(\\alpha)`; clean accuracy against the FF2 rank
    fraction; per-layer probes (mean and sd over seeds)."""
    fig, ax = new_figure(1, 3, figsize=(15, 4.2))
    for key, v in curves.items():
        ax[0].plot(v, lw=0.7, label=key.replace("train_loss_", "seed "))
    ax[0].axhline(result["bayes_floor"], color="k", ls="--", label="h(alpha)")
    ax[0].set(title="training loss (trigger positions)", xlabel="step", yscale="log")
    ax[0].legend(fontsize=7)
    rhos = result["config"]["rhos"]
    for m in result["per_seed"]:
        ax[1].plot(rhos, [m[f"acc_rho_{r:g}"] for r in rhos], "o-", label=f"seed {m['seed']}")
    ax[1].set(title="clean accuracy vs FF2 rank fraction rho", xlabel="rho (0 = FF2 removed)")
    ax[1].legend(fontsize=7)
    vals = np.array([[m[k] for k in PROBES] for m in result["per_seed"]])
    err = vals.std(0, ddof=1) if len(vals) > 1 else None
    ax[2].bar(range(len(PROBES)), vals.mean(0), yerr=err)
    ax[2].set_xticks(range(len(PROBES)), PROBES, rotation=40, ha="right", fontsize=7)
    ax[2].set(title="per-layer probes (mean, sd over seeds)", ylim=(0, 1.05))
    fig.tight_layout()
    atomic_save_figure(fig, path, dpi=100)
