"""Loss curves of the overlap flows (drawn without touching pyplot's global state)."""

from __future__ import annotations

from pathlib import Path

from empirical.running.results import atomic_save_figure, new_figure


def save_figures(result: dict, out: Path) -> dict:
    links = list(dict.fromkeys(r["link"] for r in result["flows"]))
    fig, axes = new_figure(1, len(links), figsize=(4 * len(links), 3.2), squeeze=False)
    for ax, link in zip(axes[0], links, strict=True):
        for r in result["flows"]:
            if r["link"] == link:
                style = "-" if r["mode"] == "two-timescale" else ":"
                ax.semilogx(r["t"][1:], r["loss"][1:], style, alpha=0.7)
        ax.set(title=link, xlabel="t", ylabel="population loss")
    path = atomic_save_figure(fig, Path(out) / "multi_index.png")
    names = {"loss": path.name}
    trap = [r for r in result.get("trap", []) if "loss" in r]
    if trap:
        names["trap"] = _trap_figure(trap, Path(out)).name
    return names


def _trap_figure(rows: list[dict], out: Path) -> Path:
    """Loss / E f*^2 of the first starts of each symmetric link: planted trapped (red),
    planted escaping (blue), two-timescale (grey)."""
    from empirical.experiments.multi_index.metrics import TRAP_LEVEL

    links = list(dict.fromkeys(r["link"] for r in rows))
    fig, axes = new_figure(1, len(links), figsize=(4 * len(links), 3.6), squeeze=False)
    for ax, link in zip(axes[0], links, strict=True):
        for r in rows:
            if r["link"] != link:
                continue
            y = [v / r["target_energy"] for v in r["loss"][1:]]
            if r["mode"] == "two-timescale":
                ax.semilogx(r["t"][1:], y, color="0.6", lw=1)
            else:
                bad = r["final_over_energy"] >= TRAP_LEVEL
                ax.semilogx(r["t"][1:], y, color="C3" if bad else "C0", ls="--", lw=1)
        ax.set(title=link, xlabel="t", ylabel="loss / E f*^2")
    fig.suptitle("planted flow dashed: trapped (red), escaping (blue); two-timescale grey")
    fig.subplots_adjust(top=0.8, bottom=0.15, wspace=0.3)
    return atomic_save_figure(fig, out / "multi_index_trap.png")
