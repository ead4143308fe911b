"""Figure of the Fourier toy (drawn without touching pyplot's global state)."""

from __future__ import annotations

from pathlib import Path

from empirical.experiments.mpp import metrics
from empirical.running.results import atomic_save_figure, new_figure


def save_figures(result: dict, out: Path) -> dict:
    """Left: test NRMSE against n_ft, pretrained and scratch (mean ± sd over seeds). Right:
    the joint model's log excess over single-system models against width."""
    if "transfer" not in result:
        return {}
    fig, (ax1, ax2) = new_figure(1, 2, figsize=(9, 3.5))
    table = metrics.transfer_table(result)
    n = [t["n_ft"] for t in table]
    for key, style in (("pretrained", "C1o-"), ("scratch", "C0s-")):
        ax1.errorbar(
            n,
            [t[key].mean for t in table],
            yerr=[t[key].sd for t in table],
            fmt=style,
            capsize=3,
            label=key,
        )
    zero = [r["nrmse"] for r in result["transfer"]["zero_shot"]]
    ax1.axhline(sum(zero) / len(zero), color="C1", ls=":", label="pretrained, no finetuning")
    ax1.set(xscale="log", yscale="log", xlabel="finetuning samples n_ft", ylabel="test NRMSE")
    ax1.set_title("advection + diffusion -> advection-diffusion", fontsize=9)
    ax1.legend(fontsize=8)
    inter = metrics.interference_table(result)
    widths = [t["width"] for t in inter]
    ax2.errorbar(
        widths,
        [t["log_excess"].mean for t in inter],
        yerr=[t["log_excess"].sd for t in inter],
        fmt="C2o-",
        capsize=3,
    )
    ax2.axhline(0.0, color="0.5", lw=0.8)
    ax2.set(xscale="log", xlabel="width", ylabel="mean log(NRMSE joint / single)")
    ax2.set_xticks(widths, [str(w) for w in widths])
    ax2.minorticks_off()
    ax2.set_title("multi-task excess over one model per system", fontsize=9)
    fig.tight_layout()
    path = atomic_save_figure(fig, Path(out) / "mpp_toy.png")
    return {"toy": path.name}
