"""Figures of the teleport experiment (drawn without touching pyplot's global state)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from empirical.running.results import atomic_save_figure, new_figure


def save_figures(result: dict, out: Path) -> dict:
    """Suboptimality curves (GD vs teleport every other step) and the gain against kappa."""
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(9, 3.5))
    for i, r in enumerate(result["logistic"]):
        kw = {"label": None} if i else {}
        ax1.semilogy(np.maximum(r["gd_suboptimality"], 1e-17), "C0", alpha=0.6, **kw)
        ax1.semilogy(np.maximum(r["teleport_suboptimality"], 1e-17), "C1", alpha=0.6, **kw)
    ax1.plot([], [], "C0", label="GD + line search")
    ax1.plot([], [], "C1", label="teleport every other step")
    ax1.set(xlabel="step", ylabel="f - f*", title="logistic regression")
    ax1.legend()
    kappas = result["config"]["conditions"]
    gains = [[r["gain"] for r in result["quadratic"] if r["kappa"] == k] for k in kappas]
    ax2.semilogx(kappas, [np.mean(g) for g in gains], "o-")
    ax2.set(xlabel="condition number", ylabel="|grad f(w+)|^2 / |grad f(w0)|^2", title="gain")
    path = atomic_save_figure(fig, Path(out) / "teleport.png")
    return {"teleport": path.name}
