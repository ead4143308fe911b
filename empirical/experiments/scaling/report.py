"""The markdown summary of a scaling result: fitted exponents beside the predicted ones."""

from __future__ import annotations

from empirical.experiments.scaling.metrics import SCHEMES


def summary_markdown(result: dict) -> str:
    """Fitted exponents beside the predicted ones, with verdicts and the numbers."""
    c = result["config"]
    lines = [
        "# Scaling laws of associative memories (measured)",
        "",
        f"Zipf alpha = {c['alpha']}, M = {c['answers']} answers (f(x) = x mod M), "
        f"embeddings `{c['embeddings']}`, {c['seeds']} seeds, power scheme rho = {c['rho']}, "
        f"threshold P = floor(d / {c['threshold_ratio']:g}). Decay exponents beta of "
        f"error ~ x^-beta, least-squares log-log slope of the seed mean over the stated range. "
        f"Tolerance {c['tolerance']} absolute (see ScalingConfig). "
        f"Wall time {result['wall_time']:.1f} s.",
        "",
        "| sweep | scheme | fit range | measured beta (+- seed s.e.) | predicted (asymptotic) "
        "| verdict | finite-size predicted slope | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    bad = []
    for key, label in (("d_sweep", "d"), ("T_sweep", "T")):
        sw = result[key]
        fixed = (
            f"T = {sw['samples']}, N = {sw['tokens']}"
            if key == "d_sweep"
            else f"d = {sw['dim']}, N = {sw['tokens']}"
        )
        for s in SCHEMES:
            e = sw["exponents"][s]
            se = "" if e["seed_se"] is None else f" +- {e['seed_se']:.3f}"
            v1 = "reproduces" if e["reproduces"] else "does NOT reproduce"
            v2 = "reproduces" if e["reproduces_finite_size"] else "does NOT reproduce"
            lines.append(
                f"| {label} ({fixed}) | {s} | [{e['fit_range'][0]:g}, {e['fit_range'][1]:g}] | "
                f"{e['measured']:.3f}{se} | {e['predicted']:.3f} | {v1} "
                f"({e['difference']:+.3f}) | {e['finite_size_predicted']:.3f} | {v2} |"
            )
            if not e["reproduces"]:
                bad.append(
                    f"{s} in {label}: measured {e['measured']:.3f} vs predicted "
                    f"{e['predicted']:.3f}"
                )
    lines += ["", "## Mean errors", ""]
    for key, label in (("d_sweep", "d"), ("T_sweep", "T")):
        sw = result[key]
        lines.append(f"| {label} | " + " | ".join(f"{s} (meas / pred)" for s in SCHEMES) + " |")
        lines.append("|---" * (1 + len(SCHEMES)) + "|")
        for j, g in enumerate(sw["grid"]):
            cells = [f"{sw['mean'][s][j]:.4f} / {sw['predicted'][s][j]:.4f}" for s in SCHEMES]
            lines.append(f"| {g} | " + " | ".join(cells) + " |")
        lines.append("")
    lines.append(
        "Does not reproduce (asymptotic exponent): " + ("; ".join(bad) if bad else "none") + "."
    )
    return "\n".join(lines) + "\n"
