"""The experiment's figure: margins, loss rate, spikes (loss, accuracy), sweep, d = 2 gaps."""

from __future__ import annotations

from empirical.running.results import atomic_save_figure, new_figure


def figure(result: dict, curves: dict, path) -> None:
    """Six panels drawn from ``curves`` (the arrays :func:`.run.run` saves in ``curves.npz``)."""
    cv = curves
    fig, ax = new_figure(2, 3, figsize=(14, 8))
    t = cv["orth_t"]
    for j in range(cv["orth_margins"].shape[1]):
        ax[0, 0].plot(t[1:], cv["orth_margins"][1:, j], lw=1.5, color=f"C{j % 10}")
        ax[0, 0].plot(t[1:], cv["orth_flow"][:, j], "k:", lw=0.8)
    ax[0, 0].set_xscale("log")
    ax[0, 0].set(title="margins (GD; dotted: continuous-time flow)", xlabel="step", ylabel="m_t")
    ax[0, 1].loglog(t[1:], cv["orth_loss"][1:], label="GD loss")
    ax[0, 1].loglog(t[1:], cv["orth_loss_asym"], "k--", label="N(M-1)/(eta M t)")
    ax[0, 1].set(title="loss rate (orthonormal)", xlabel="step")
    ax[0, 1].legend()
    for e in result["config"]["spike_etas"]:
        ax[0, 2].plot(cv[f"spike_loss_{e}"], label=f"eta={e}")
        ax[1, 0].plot(cv[f"spike_acc_{e}"], label=f"eta={e}")
    ax[0, 2].set(title="two correlated tokens: loss", xlabel="step", yscale="log")
    ax[0, 2].legend()
    ax[1, 0].set(title="two correlated tokens: accuracy", xlabel="step")
    ax[1, 0].legend()
    ax[1, 1].semilogx(cv["sweep_etas"], cv["sweep_median_first_full"], "o-")
    ax[1, 1].set(title="sweep: median first step at full accuracy", xlabel="eta")
    ax2 = ax[1, 1].twinx()
    ax2.semilogx(cv["sweep_etas"], cv["sweep_spike_fraction"], "s--", color="C3")
    ax2.set_ylabel("fraction with a loss spike", color="C3")
    for n in result["config"]["under_n"]:
        ax[1, 2].hist(cv[f"under_gap_{n}"], bins=20, alpha=0.6, label=f"N={n}")
    ax[1, 2].set(title="d=2: GD 0-1 error minus best", xlabel="gap")
    ax[1, 2].legend()
    fig.tight_layout()
    atomic_save_figure(fig, path, dpi=100)
