"""The capacity experiment's markdown summary: constants beside predictions, per-size tables."""

from __future__ import annotations


def _sd(sd) -> str:
    return "n/a (1 seed)" if sd is None else f"{sd:.1f}"


def _word(v: dict) -> str:
    return "reproduces" if v["reproduces"] else "does NOT reproduce"


def summary_markdown(result: dict) -> str:
    """The human-readable summary: constants beside predictions, with verdicts and numbers."""
    cfg = result["config"]
    o, t, r = result["outer_product"], result["trained_linear"], result["ratio"]
    acc = "100%" if cfg["threshold"] == 1.0 else f"{100 * cfg['threshold']:g}%"
    lines = [
        "# Associative-memory capacity (measured)",
        "",
        f"Largest N stored at {acc} accuracy, bisection over N, embeddings `{cfg['embeddings']}`;"
        f" tolerance {cfg['tolerance']:.0%} relative (see CapacityConfig). "
        f"Wall time {result['wall_time']:.1f} s.",
        "",
        "| memory | measured d^2/(N ln N) | predicted | source | verdict |",
        "|---|---|---|---|---|",
        f"| outer product | {o['constant']:.3f} | {o['predicted_constant']:.3f} (asymptotic) | "
        f"memtheory.capacity.OUTER_PRODUCT_C_ALL | {_word(o['vs_asymptotic'])} "
        f"({o['vs_asymptotic']['relative_error']:+.0%}) |",
        f"| trained linear (Adam lr {t['lr']:g}, {t['steps']} steps) | {t['constant']:.3f} | "
        f"{t['predicted_constant']:.3f} (fit, 99%) | TRAINED_LINEAR_C | {_word(t['vs_fit'])} "
        f"({t['vs_fit']['relative_error']:+.0%}) |",
        f"| trained linear | {t['constant']:.3f} | {t['statphys_constant']:.3f} (asymptotic) | "
        f"TRAINED_LINEAR_C_STATPHYS | {_word(t['vs_statphys'])} "
        f"({t['vs_statphys']['relative_error']:+.0%}) |",
    ]
    fv = r["fitted_verdict"]
    lines.append(
        f"| ratio of fitted constants (outer / trained) | {r['fitted_constants']:.3f} | "
        f"{r['predicted']:.3f} | OUTER_PRODUCT_C_ALL / TRAINED_LINEAR_C | {_word(fv)} "
        f"({fv['relative_error']:+.0%}) |"
    )
    if r["verdict"] is not None:
        dims = ", ".join(str(row["d"]) for row in r["common_dims"])
        lines.append(
            f"| ratio outer / trained at common d ({dims}) | {r['common_dims_mean']:.3f} | "
            f"{r['predicted']:.3f} (asymptotic) | C_ALL / TRAINED_LINEAR_C | "
            f"{_word(r['verdict'])} ({r['verdict']['relative_error']:+.0%}) |"
        )
        fs = r["finite_size_verdict"]
        lines.append(
            f"| ratio outer / trained at common d | {r['common_dims_mean']:.3f} | "
            f"{r['predicted_finite_size_common_dims']:.3f} (finite size) | "
            f"outer_product_capacity(model='gaussian') / TRAINED_LINEAR_C | {_word(fs)} "
            f"({fs['relative_error']:+.0%}) |"
        )
    if "mlp" in result:
        mm = result["mlp"]
        lines.append(
            f"| MLP (M={mm['answers']}, Adam lr {mm['lr']:g}, {mm['steps']} steps): m d / N | "
            f"{mm['constant']:.3f} | {mm['predicted_constant']:.3f} (fit, 99%) | MLP_C_M32 | "
            f"{_word(mm['vs_fit'])} ({mm['vs_fit']['relative_error']:+.0%}) |"
        )
    g = o["vs_gaussian_model_largest_d"]
    lines += [
        "",
        f"Outer product at d = {g['d']}: measured N = {g['measured']:.1f}, finite-size Gaussian "
        f"model (outer_product_capacity(model='gaussian')) N = {g['predicted']:.1f}: "
        f"{_word(g)} ({g['relative_error']:+.0%}).",
        "",
        "## Per dimension",
        "",
        "| memory | size | N (mean) | N (sd over seeds) | predicted N | ratio (mean) |",
        "|---|---|---|---|---|---|",
    ]
    for name, rows in (("outer product", o["per_d"]), ("trained linear", t["per_d"])) + (
        (("MLP (d, m)", result["mlp"]["per_size"]),) if "mlp" in result else ()
    ):
        for row in rows:
            lines.append(
                f"| {name} | {row['size']} | {row['facts_mean']:.1f} | {_sd(row['facts_std'])} |"
                f" {row['predicted_facts']:.1f} | {row['ratio_mean']:.3f} |"
            )
    for c in result["lr_check"]:
        lines += [
            "",
            f"Learning-rate check at d = {c['d']} (seed 0): Adam lr {c['lr']:g} stores N = "
            f"{c['facts']} (ratio {c['ratio']:.3f}); lr {c['baseline_lr']:g} stores N = "
            f"{c['baseline_facts']} with the same step budget.",
        ]
    bad = [
        k
        for k, v in (
            ("outer product vs asymptotic constant", o["vs_asymptotic"]),
            ("outer product vs finite-size model", g),
            ("trained linear vs fitted constant", t["vs_fit"]),
            ("trained linear vs stat-phys constant", t["vs_statphys"]),
            ("outer/trained ratio of fitted constants", r["fitted_verdict"]),
            ("outer/trained ratio at common d (asymptotic)", r["verdict"]),
            ("outer/trained ratio at common d (finite size)", r["finite_size_verdict"]),
            ("MLP constant", result.get("mlp", {}).get("vs_fit")),
        )
        if v is not None and not v["reproduces"]
    ]
    lines += ["", "Does not reproduce: " + (", ".join(bad) if bad else "none") + "."]
    return "\n".join(lines) + "\n"
