"""Markdown summary of an mpp result."""

from __future__ import annotations

import numpy as np


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
    lines += ["", f"wall time {result['wall_time']:.1f} s", ""]
    return "\n".join(lines)
