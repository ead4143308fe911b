"""The capacity experiment's figure: d^2 against N ln N, and m d against N."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from empirical.running.results import atomic_save_figure, new_figure


def save_figures(result: dict, out: Path) -> list[Path]:
    """d^2 against N ln N for both linear memories (with the predicted lines), and m d vs N."""
    from matplotlib.ticker import NullFormatter

    paths = []
    fig, axes = new_figure(1, 2, figsize=(10, 4))
    ax = axes[0]
    for name, key, color in (
        ("outer product", "outer_product", "C0"),
        ("trained linear", "trained_linear", "C1"),
    ):
        pts = [p for p in result["points"] if p["memory"] == key]
        x = np.array([p["facts"] * math.log(p["facts"]) for p in pts])
        y = np.array([p["d"] ** 2 for p in pts], dtype=float)
        ax.loglog(x, y, "o", color=color, alpha=0.7, label=f"{name} (measured)")
        grid = np.geomspace(x.min() / 2, x.max() * 2, 50)
        c_pred = result[key]["predicted_constant"]
        ax.loglog(grid, c_pred * grid, "-", color=color, label=f"predicted c = {c_pred:g}")
        c_fit = result[key]["constant"]
        ax.loglog(grid, c_fit * grid, ":", color=color, label=f"fitted c = {c_fit:.2f}")
    ax.set_xlabel("N ln N")
    ax.set_ylabel("d^2")
    ax.set_title("linear memories: d^2 = c N ln N")
    ax.legend(fontsize=7)
    ax = axes[1]
    pts = [p for p in result["points"] if p["memory"] == "mlp"]
    if pts:
        n = np.array([p["facts"] for p in pts], dtype=float)
        md = np.array([p["d"] * p["m"] for p in pts], dtype=float)
        ax.loglog(n, md, "o", color="C2", label="MLP (measured)")
        grid = np.geomspace(n.min() / 2, n.max() * 2, 50)
        mm = result["mlp"]
        ax.loglog(
            grid,
            mm["predicted_constant"] * grid,
            "-",
            color="C2",
            label=f"predicted c = {mm['predicted_constant']:g}",
        )
        ax.loglog(
            grid, mm["constant"] * grid, ":", color="C2", label=f"fitted c = {mm['constant']:.2f}"
        )
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("N")
        ax.set_ylabel("m d")
        ax.set_title(f"MLP memory (M = {mm['answers']}): m d = c N")
        ax.legend(fontsize=7)
    fig.tight_layout()
    path = atomic_save_figure(fig, Path(out) / "capacity.png", dpi=120)
    paths.append(path)
    return paths
