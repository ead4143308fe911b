"""Figures of the trained grid: error against d, against T, Adam against SGD, and the SGD
scheme's prediction against the trained SGD memory."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from empirical.running.results import atomic_save_figure, new_figure


def _label(e) -> str:
    ln = "+LN" if e["layer_norm"] else ""
    fixed = ", ".join(f"{a}={e[a]:g}" for a in ("dim", "batch", "lr", "samples") if a in e)
    return f"{e['model']} {e['optimizer']}{ln} ({fixed})"


def _families(result, key):
    return result["summary"][key]


def _error_bars(ax, e, groups, along):
    gs = sorted(
        (g for g in groups if all(g[a] == e[a] for a in e if a in g and a not in (along, "grids"))),
        key=lambda g: g[along],
    )
    xs = np.array([g[along] for g in gs], dtype=float)
    ys = np.array([g["error"]["mean"] for g in gs])
    sd = np.array([g["error"]["sd"] or 0.0 for g in gs])
    line = ax.errorbar(xs, ys, yerr=sd, fmt="o-", ms=4, capsize=2, label=_label(e))
    return gs, xs, line[0].get_color()


def save_figures(result: dict, out: Path) -> list[Path]:
    """``trained_error_vs_d.png``, ``trained_error_vs_T.png``, ``trained_optimizers.png`` and
    ``trained_sgd_scheme.png`` (only those the result has data for)."""
    out = Path(out)
    groups = result["summary"]["groups"]
    paths = []
    for key, along, name, xlabel in (
        ("d_slopes", "dim", "trained_error_vs_d.png", "d"),
        ("T_slopes", "samples", "trained_error_vs_T.png", "T"),
    ):
        fams = _families(result, key)
        if not fams:
            continue
        fig, ax = new_figure(figsize=(11, 5))
        for e in fams:
            gs, xs, color = _error_bars(ax, e, groups, along)
            if all(g["sgd_scheme"] is not None for g in gs):
                ax.plot(xs, [g["sgd_scheme"] for g in gs], "--", color=color, alpha=0.7)
            if along == "samples":
                ax.plot(xs, [g["floor"] for g in gs], ":", color="k")
        beta = result["summary"].get("asymptotic_T_exponent")
        if along == "samples" and beta:
            xs = np.array(sorted({v for e in fams for v in e["values"]}), dtype=float)
            y0 = max(e["means"][0] for e in fams)
            ax.plot(
                xs,
                y0 * (xs / xs[0]) ** -beta,
                "-.",
                color="gray",
                lw=2,
                label=f"slope -(1 - 1/alpha) = -{beta:g}",
            )
        if along == "samples":
            ax.plot([], [], ":", color="k", label="floor (1-1/M) sum p (1-p)^T")
        ax.plot([], [], "--", color="gray", label="SGD as a scheme (step lr/B)")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("population error")
        ax.legend(fontsize=6, loc="center left", bbox_to_anchor=(1.01, 0.5))
        fig.tight_layout()
        paths.append(atomic_save_figure(fig, out / name, dpi=120))
    pairs = result["summary"]["optimizer_pairs"]
    if pairs:
        fig, ax = new_figure(figsize=(5, 5))
        for p in pairs:
            ax.scatter(p["sgd"]["mean"], p["adam"]["mean"], s=14)
            ax.annotate(
                f"B{p['batch']} lr{p['lr']:g} d{p['dim']}",
                (p["sgd"]["mean"], p["adam"]["mean"]),
                fontsize=5,
            )
        lo = min(min(p["sgd"]["mean"], p["adam"]["mean"]) for p in pairs)
        hi = max(max(p["sgd"]["mean"], p["adam"]["mean"]) for p in pairs)
        lo = max(lo, 1e-4)
        ax.plot([lo, hi], [lo, hi], "k:", label="Adam = SGD")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("SGD error")
        ax.set_ylabel("Adam error (same d, B, lr, T)")
        ax.legend(fontsize=7)
        fig.tight_layout()
        paths.append(atomic_save_figure(fig, out / "trained_optimizers.png", dpi=120))
    mapped = [g for g in groups if g["sgd_scheme"] is not None]
    if mapped:
        fig, ax = new_figure(figsize=(5.5, 5))
        for d in sorted({g["dim"] for g in mapped}):
            gs = [g for g in mapped if g["dim"] == d]
            ax.scatter(
                [max(g["sgd_scheme"], 1e-5) for g in gs],
                [max(g["error"]["mean"], 1e-5) for g in gs],
                s=14,
                label=f"d = {d}",
            )
        ax.plot([1e-5, 1], [1e-5, 1], "k:", label="measured = predicted")
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("SGD-as-a-scheme prediction (step lr/B)")
        ax.set_ylabel("trained SGD memory (seed mean)")
        ax.legend(fontsize=7)
        fig.tight_layout()
        paths.append(atomic_save_figure(fig, out / "trained_sgd_scheme.png", dpi=120))
    return paths
