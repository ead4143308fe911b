"""The experiment's figure: per-group loss curves, one row per problem, one column per
optimizer."""

from __future__ import annotations

import numpy as np

from empirical.experiments.heavy_tailed.config import METHODS
from empirical.running.results import atomic_save_figure, new_figure


def figure(result: dict, curves: dict, path) -> None:
    """Group losses against the step (log-log), dark = frequent, yellow = rare."""
    from matplotlib import colormaps

    cmap = colormaps["viridis"]
    problems = list(result["results"])
    fig, ax = new_figure(
        len(problems), 3, figsize=(14, 3.4 * len(problems)), sharey="row", squeeze=False
    )
    for i, problem in enumerate(problems):
        t = curves[f"{problem}_steps"]
        for j, method in enumerate(METHODS):
            if f"{problem}_{method}" not in curves:
                ax[i, j].set_visible(False)
                continue
            gl = curves[f"{problem}_{method}"]
            G = gl.shape[1]
            for g in range(G):
                ax[i, j].plot(np.maximum(t, 1), gl[:, g], color=cmap(g / max(1, G - 1)))
            lr = result["results"][problem]["lr"][method]
            ax[i, j].set(
                xscale="log",
                yscale="log",
                title=f"{problem}: {method} (lr {lr:.2g})",
                xlabel="step",
            )
        ax[i, 0].set_ylabel("group loss (dark = frequent, yellow = rare)")
    fig.tight_layout()
    atomic_save_figure(fig, path, dpi=100)
