"""Markdown summary of a numbers run."""

from __future__ import annotations

from empirical.validate.claims import Spread


def _spread(rows, key):
    vals = [r[key] for r in rows]
    return str(Spread.of(vals)) if vals else "-"


def summary_markdown(result) -> str:
    cfg = result["config"]
    ex = result["exact"]
    lines = [
        "# numbers: xVal vs token encodings",
        "",
        f"d_model {cfg['d_model']}, layers {cfg['n_layer']}, steps {cfg['steps']}, "
        f"batch {cfg['batch']}, seeds {cfg['seeds']}; wall time {result['seconds']:.0f} s.",
        "",
        "tokens per number: "
        + ", ".join(f"{k} {v:g}" for k, v in ex["tokens_per_number"].items())
        + f"; max |LN(x e) - sign(x) LN(e)| (torch float64) {ex['ln_identity_max_diff']:.1e}",
        "",
        f"## Function task (a, a^2), gap {tuple(cfg['gap'])} held out",
        "",
        "| encoding | test rel. err | gap rel. err | jump ratio J(h/m)/J(h) | train s |",
        "|---|---|---|---|---|",
    ]
    schemes = list(dict.fromkeys(r["scheme"] for r in result["function"]))
    for s in schemes:
        rs = [r for r in result["function"] if r["scheme"] == s]
        lines.append(
            f"| {s} | {_spread(rs, 'test_rel_error')} | {_spread(rs, 'gap_rel_error')} | "
            f"{_spread(rs, 'jump_ratio')} | {_spread(rs, 'seconds')} |"
        )
    lines += [
        "",
        f"Predicted jump ratio: 1/{cfg['refine']} for a continuous (C^1) prediction, about 1 "
        "for one that jumps at bucket edges.",
        "",
        f"## Frequency task (Zipf {cfg['zipf_exponent']}, sigma {cfg['sigma']}, "
        f"top-{cfg['top_k']})",
        "",
        "| encoding | R_k measured | R_k Bayes (same sample) | MAE | Bayes MAE |",
        "|---|---|---|---|---|",
    ]
    for s in list(dict.fromkeys(r["scheme"] for r in result["frequency"])):
        rs = [r for r in result["frequency"] if r["scheme"] == s]
        lines.append(
            f"| {s} | {_spread(rs, 'ratio')} | {_spread(rs, 'bayes_ratio_sample')} | "
            f"{_spread(rs, 'mae')} | {_spread(rs, 'bayes_mae')} |"
        )
    if result["frequency"]:
        r0 = result["frequency"][0]
        lines += [
            "",
            f"Theory (memtheory.numbers.overprediction_ratio): MAP {r0['theory_ratio_map']:.3f}, "
            f"rounded posterior mean {r0['theory_ratio_mean']:.3f}.",
        ]
    lines += [
        "",
        "## Per-number embeddings (extension)",
        "",
        "| encoding | seed | n | adjacent-random cos (trained / init) | |PC1 rho| (trained / init)"
        " | smooth energy (trained / chance) |",
        "|---|---|---|---|---|---|",
    ]
    for r in result["geometry"]:
        t, i = r["trained"], r["init"]
        lines.append(
            f"| {r['scheme']} | {r['seed']} | {t['n']} | {t['contrast']:.3f} / {i['contrast']:.3f}"
            f" | {t['pc1_spearman']:.3f} / {i['pc1_spearman']:.3f} | {t['smooth_energy']:.3f} / "
            f"{t['smooth_energy_chance']:.3f} |"
        )
    for r in result["ray"]:
        lines += [
            "",
            f"xVal seed {r['seed']}: x recovered from LN(x e + p) to rel. err "
            f"{r['recover_max_rel_error']:.1e}; LN(x e) - LN(3 x e) {r['no_position_max_diff']:.1e}"
            f"; knee b/c = {r['knee_b_over_c']:.3g}; window (sigma 1e-3, r 0.01) "
            + (
                "none"
                if r["window_sigma1e-3_r0.01"] is None
                else "[{:.3g}, {:.3g}]".format(*r["window_sigma1e-3_r0.01"])
            ),
        ]
    return "\n".join(lines) + "\n"
