"""The scaling figure: log-log error against d and against T, measured over predicted."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from empirical.experiments.scaling.metrics import SCHEMES
from empirical.running.results import atomic_save_figure, new_figure


def save_figures(result: dict, out: Path) -> list[Path]:
    """Log-log error against d and against T: measured points over the predicted lines."""
    fig, axes = new_figure(1, 2, figsize=(11, 4.2))
    for ax, key, label in ((axes[0], "d_sweep", "d"), (axes[1], "T_sweep", "T")):
        sw = result[key]
        grid = np.array(sw["grid"], dtype=float)
        for i, s in enumerate(SCHEMES):
            color = f"C{i}"
            mean = np.array(sw["mean"][s])
            se = np.array(sw["std"][s]) / math.sqrt(len(sw["errors"][s]))
            ax.errorbar(
                grid,
                mean,
                yerr=se,
                fmt="o",
                color=color,
                ms=4,
                capsize=2,
                label=f"{s} (measured, mean +- s.e.)",
            )
            ax.plot(
                grid, sw["predicted"][s], "-", color=color, alpha=0.8, label=f"{s}: scheme_error"
            )
            e = sw["exponents"][s]
            lo, hi = e["fit_range"]
            sel = (grid >= lo) & (grid <= hi)
            if e["predicted"] > 0 and sel.sum() >= 2:
                xs = grid[sel]
                anchor = math.exp(np.mean(np.log(np.maximum(mean[sel], 1e-300))))
                mid = math.exp(np.mean(np.log(xs)))
                ax.plot(
                    xs,
                    anchor * (xs / mid) ** (-e["predicted"]),
                    "--",
                    color=color,
                    alpha=0.6,
                    label=f"{s}: slope -{e['predicted']:.3g}",
                )
        if key == "T_sweep":
            m = result["config"]["answers"]
            ax.plot(
                grid,
                (1 - 1 / m) * np.array(sw["missing_mass"]),
                "k:",
                label="(1 - 1/M) x missing mass (exact)",
            )
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(label)
        ax.set_ylabel("population error")
        ax.set_title(f"error against {label}")
        ax.legend(fontsize=6)
    fig.tight_layout()
    path = atomic_save_figure(fig, out / "scaling.png", dpi=120)
    return [path]
