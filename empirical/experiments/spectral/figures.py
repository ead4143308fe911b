"""The spectral experiment's figure: effective rank and energy outside the prediction."""

from __future__ import annotations

from pathlib import Path

from empirical.running.results import atomic_save_figure, new_figure


def save_figure(result: dict, path: Path) -> Path:
    """Effective rank and energy outside the predicted subspace over training, per graph."""
    fig, axes = new_figure(1, 2, figsize=(9, 3.2))
    colors = {}
    for r in result["runs"]:
        c = colors.setdefault(r["graph"], f"C{len(colors) % 10}")
        steps = [h["step"] for h in r["history"]]
        label = r["graph"] if r["seed"] == 0 else None
        axes[0].plot(steps, [h["effective_rank"] for h in r["history"]], color=c, label=label)
        axes[0].axhline(r["predicted_rank"], color=c, ls=":", lw=0.8)
        axes[1].semilogy(steps, [max(h["energy_outside"], 1e-12) for h in r["history"]], color=c)
    axes[0].set(xlabel="step", ylabel="effective rank of V", title="rank (dotted: predicted)")
    axes[1].set(xlabel="step", ylabel="energy outside prediction", title="subspace")
    axes[0].legend(fontsize=7)
    fig.tight_layout()
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return atomic_save_figure(fig, path, dpi=110)
