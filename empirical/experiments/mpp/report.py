"""Markdown summary of an mpp result."""

from __future__ import annotations

import numpy as np

from empirical.experiments.mpp import metrics


def summary_markdown(result: dict) -> str:
    eq = result["equivariance"]
    sh = result["shares"]
    emb = result["embedding"]
    lines = [
        "# MPP normalization identities",
        "",
        f"- RevIN equivariance over {len(eq)} random networks: max relative error "
        f"{max(r['error'] for r in eq):.2e} (eps = 0), {max(r['error_eps'] for r in eq):.2e} "
        "(eps = 1e-7)",
        f"- gradient shares of fields scaled {sh[0]['scales']} with equal relative error: "
        f"nmse {np.round(sh[0]['nmse_shares'], 6).tolist()}, "
        f"mse {np.round(sh[0]['mse_shares'], 6).tolist()}",
        "",
        "| present fields k | variance with sqrt(12/k) | without |",
        "|---|---|---|",
    ]
    for k in range(1, 13):
        rows = [r for r in emb if r["present"] == k]
        v = np.mean([r["variance"] for r in rows])
        u = np.mean([r["variance_unscaled"] for r in rows])
        lines.append(f"| {k} | {v:.3f} | {u:.3f} |")
    if "transfer" in result:
        lines += toy_markdown(result)
    lines += ["", f"wall time {result['wall_time']:.1f} s", ""]
    return "\n".join(lines)


def _pm(sp) -> str:
    return f"{sp.mean:.4f} ± {sp.sd:.4f}"


def toy_markdown(result: dict) -> list[str]:
    """Tables of the Fourier toy: transfer per finetuning size, interference per width."""
    tr, it = result["transfer"], result["interference"]
    zero = [r["nrmse"] for r in tr["zero_shot"]]
    copy = tr["copy_baseline"]
    lines = [
        "",
        "# Fourier toy: transfer (advection + diffusion -> advection-diffusion)",
        "",
        f"Test NRMSE, mean ± sd over {len(zero)} seeds; {tr['params']} parameters. Pretrained "
        f"model before finetuning: {np.mean(zero):.4f}; copy-last-frame baseline: "
        + ", ".join(f"{k} {v:.4f}" for k, v in copy.items())
        + ".",
        "",
        "| n_ft | pretrained | scratch | gap (scratch - pretrained) | z | seeds won |",
        "|---|---|---|---|---|---|",
    ]
    for t in metrics.transfer_table(result):
        lines.append(
            f"| {t['n_ft']} | {_pm(t['pretrained'])} | {_pm(t['scratch'])} | {_pm(t['gap'])} "
            f"| {t['z']:.1f} | {t['wins']:.2f} |"
        )
    table = metrics.interference_table(result)
    systems = list(table[0]["joint"])
    lines += [
        "",
        "# Fourier toy: multi-task interference",
        "",
        "Test NRMSE joint / single per system (means over seeds); log excess = mean over "
        "systems of log(joint / single), mean ± sd over seeds.",
        "",
        "| width | params | " + " | ".join(systems) + " | log excess | z |",
        "|---|---|" + "---|" * len(systems) + "---|---|",
    ]
    params = {int(k): v for k, v in it["params"].items()}
    for t in table:
        cells = [f"{t['joint'][s].mean:.4f} / {t['single'][s].mean:.4f}" for s in systems]
        lines.append(
            f"| {t['width']} | {params[t['width']]} | "
            + " | ".join(cells)
            + f" | {_pm(t['log_excess'])} | {t['z']:.1f} |"
        )
    lines += ["", f"toy CPU time {result['toy_cpu_seconds']:.1f} s"]
    return lines
