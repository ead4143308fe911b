"""Markdown summary of a teleport result."""

from __future__ import annotations

import numpy as np

from empirical.validate.claims import Spread


def summary_markdown(result: dict) -> str:
    cfg = result["config"]
    lines = [
        "# Level-set teleportation",
        "",
        f"Quadratics in d = {cfg['d']} (spectrum geomspace(1, kappa, d)), {cfg['seeds']} seeds.",
        "",
        "| kappa | gain in ‖∇f‖² | ‖∇f‖² / (2 f0 λmax) | KKT residual (max) |"
        " worst (f - f*)/bound over schedules |",
        "|---|---|---|---|---|",
    ]
    for kappa in cfg["conditions"]:
        rows = [r for r in result["quadratic"] if r["kappa"] == kappa]
        gain = Spread.of([r["gain"] for r in rows])
        ratio = Spread.of([r["max_grad_ratio"] for r in rows])
        kkt = max(r["kkt_residual"] for r in rows)
        worst = max(max(r["rate_bound_ratio"].values()) for r in rows)
        lines.append(f"| {kappa:g} | {gain} | {ratio} | {kkt:.1e} | {worst:.3g} |")
    logi = result["logistic"]
    ratios = [r["suboptimality_ratio"] for r in logi]
    dist = [r["distance_ratio"] for r in logi]
    lines += [
        "",
        f"Logistic regression ({cfg['samples']} rows, d = {cfg['logistic_d']}, l2 = {cfg['l2']}),"
        f" {cfg['steps']} steps of GD with Armijo line search:",
        f"- suboptimality GD / teleport-every-other-step at the last step: min "
        f"{min(ratios):.3g}, median {float(np.median(ratios)):.3g}",
        f"- distance to w* after a teleport / before, largest of 10 starts per seed: "
        f"{Spread.of(dist)} (max {max(dist):.3g})",
        *(
            [
                f"- plain GD (step 1/L) on separable data without L2 ({sep[0]['samples']} rows, "
                f"d = {sep[0]['d']}), {sep[0]['steps']} steps: tail"
                f" exponent p of f_k ~ k^-p {Spread.of([r['tail_exponent'] for r in sep])}, mean"
                f" f_(k+1)/f_k over the last half "
                f"{Spread.of([r['tail_step_ratio'] for r in sep])}"
            ]
            if (sep := result.get("separable"))
            else []
        ),
        "",
        "Extension (not a claim): a trained Node2Vec embedding moved along its own sub-level set,"
        " maximizing / minimizing the Dirichlet ratio tr(V'LV)/|V|^2:",
        "",
        "| graph | loss | ratio trained | max | min | loss above the level (max, min) |",
        "|---|---|---|---|---|---|",
        *[
            f"| {g['graph']} | {g['loss']:.4g} | {g['ratio']:.4g} | {g['ratio_max']:.4g} |"
            f" {g['ratio_min']:.4g} | {g['loss_gap_max']:.2g}, {g['loss_gap_min']:.2g} |"
            for g in result.get("geometry", [])
        ],
        "",
        f"- wall time {result['wall_time']:.1f} s",
        "",
    ]
    return "\n".join(lines)
