"""The markdown summary of a trained-grid result: seed means beside the predictions."""

from __future__ import annotations


def _f(x, digits=4) -> str:
    return "—" if x is None else f"{x:.{digits}f}"


def _pm(s) -> str:
    if s is None:
        return "—"
    sd = "" if s["sd"] is None else f" ± {s['sd']:.4f}"
    return f"{s['mean']:.4f}{sd}"


def _axes(e) -> str:
    ln = " +LN" if e["layer_norm"] else ""
    return f"{e['model']} {e['optimizer']}{ln}"


def summary_markdown(result: dict) -> str:
    """Every cell group (mean ± sd over seeds, head/tail errors, floor, SGD-scheme prediction),
    the decay exponents in T and d, and the Adam/SGD pairs."""
    c, s = result["config"], result["summary"]
    lines = [
        "# Trained associative memories on the paper's grid (arXiv 2310.02984, Sec. 4)",
        "",
        f"N = {c['tokens']} tokens, M = {c['answers']} answers (f(x) = x mod M), Zipf alpha = "
        f"{c['alpha']}, W init `{c['w_init']}`, Adam betas {tuple(c['betas'])} at lr/d (W) and "
        f"lr/sqrt(d) (E, U); one pass over T fresh samples; seeds 42..{41 + c['seeds']} "
        f"(shard {c['shard']} of {c['num_shards']}). {len(result['cells'])} cells, "
        f"{result['resumed']} read back from a previous run; wall time "
        f"{result['wall_time']:.1f} s. Errors: mean ± sd (ddof 1) over seeds; head/tail: "
        "unweighted error on the 30 most/least frequent tokens; floor: (1 - 1/M) sum_x p(x) "
        "(1 - p(x))^T; SGD scheme: memtheory.scaling.scheme_error('sgd') at step lr/B.",
        "",
        "| grids | memory | d | B | lr | T | error | head | tail | floor | SGD scheme |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for g in sorted(s["groups"], key=lambda g: (g["grids"], g["model"], g["optimizer"])):
        lines.append(
            f"| {', '.join(g['grids'])} | {_axes(g)} | {g['dim']} | {g['batch']} | {g['lr']:g} "
            f"| {g['samples']} | {_pm(g['error'])} | {g['error_head']['mean']:.3f} "
            f"| {g['error_tail']['mean']:.3f} | {_f(g['floor'])} | {_f(g['sgd_scheme'])} |"
        )
    for key, label in (("T_slopes", "T"), ("d_slopes", "d")):
        lines += [
            "",
            f"## Decay exponents in {label} (error ~ {label}^-beta)",
            "",
            "| grids | memory | fixed | values | beta of the means | per seed | floor beta "
            "| SGD scheme beta |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for e in s[key]:
            fixed = ", ".join(f"{a} {e[a]:g}" for a in ("dim", "batch", "lr", "samples") if a in e)
            lines.append(
                f"| {', '.join(e['grids'])} | {_axes(e)} | {fixed} | "
                f"{', '.join(str(v) for v in e['values'])} | {e['exponent']:.3f} | "
                f"{_pm(e['seed_exponents'])} | {_f(e['floor_exponent'], 3)} | "
                f"{_f(e['sgd_scheme_exponent'], 3)} |"
            )
    lines += [
        "",
        "## Adam against SGD at equal (d, B, lr, T)",
        "",
        "| grids | model | d | B | lr | T | SGD | Adam | SGD - Adam |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for p in s["optimizer_pairs"]:
        ln = " +LN" if p["layer_norm"] else ""
        lines.append(
            f"| {', '.join(p['grids'])} | {p['model']}{ln} | {p['dim']} | {p['batch']} | "
            f"{p['lr']:g} | {p['samples']} | {_pm(p['sgd'])} | {_pm(p['adam'])} | "
            f"{p['gap']:+.4f} |"
        )
    return "\n".join(lines) + "\n"
