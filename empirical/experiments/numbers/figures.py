"""Figures of the numbers experiment (drawn off pyplot, saved atomically)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from empirical.running.results import atomic_save_figure, new_figure


def _first_seed(rows):
    seen = {}
    for r in rows:
        seen.setdefault(r["scheme"], r)
    return list(seen.values())


def continuity_figure(result, path):
    rows = _first_seed(result["function"])
    cfg = result["config"]
    fig, axes = new_figure(1, len(rows), figsize=(3.2 * len(rows), 3.0), squeeze=False)
    for ax, r in zip(axes[0], rows, strict=True):
        a = np.asarray(r["curve_a"])
        ax.axvspan(*cfg["gap"], color="0.85", label="gap (not trained)")
        ax.plot(a, a**2, "k--", lw=0.8, label="a^2")
        ax.plot(a, r["curve_pred"], lw=1.0, label="prediction")
        ax.set_title(f"{r['scheme']}: gap rel. err {r['gap_rel_error']:.3f}", fontsize=8)
        ax.set_xlabel("a")
    axes[0][0].set_ylabel("predicted a^2")
    axes[0][0].legend(fontsize=6)
    fig.tight_layout()
    return atomic_save_figure(fig, path)


def frequency_figure(result, path):
    rows = _first_seed(result["frequency"])
    fig, axes = new_figure(1, len(rows), figsize=(3.2 * len(rows), 3.0), squeeze=False)
    for ax, r in zip(axes[0], rows, strict=True):
        ax.plot(r["scatter_true"], r["scatter_pred"], ".", ms=2)
        ax.plot([1, 2], [1, 2], "k--", lw=0.6)
        ax.set_title(f"{r['scheme']}: R_k = {r['ratio']:.2f}", fontsize=8)
        ax.set_xlabel("true value")
    axes[0][0].set_ylabel("prediction")
    fig.tight_layout()
    return atomic_save_figure(fig, path)


def geometry_figure(result, path):
    rows = result["geometry"]
    fig, ax = new_figure(figsize=(4.5, 3.0))
    labels = [f"{r['scheme']} s{r['seed']}" for r in rows]
    x = np.arange(len(rows))
    ax.bar(x - 0.2, [r["init"]["contrast"] for r in rows], 0.4, label="at init")
    ax.bar(x + 0.2, [r["trained"]["contrast"] for r in rows], 0.4, label="trained")
    ax.set_xticks(x, labels, fontsize=7)
    ax.set_ylabel("adjacent - random cosine")
    ax.legend(fontsize=7)
    fig.tight_layout()
    return atomic_save_figure(fig, path)


def write_figures(result, out) -> dict:
    out = Path(out)
    figs = {}
    if result["function"]:
        figs["continuity"] = continuity_figure(result, out / "continuity_gap.png").name
    if result["frequency"]:
        figs["frequency"] = frequency_figure(result, out / "frequency_scatter.png").name
    if result["geometry"]:
        figs["geometry"] = geometry_figure(result, out / "embedding_geometry.png").name
    return figs
