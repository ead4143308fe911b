"""``summary_markdown(result)``: the counting experiment's tables."""

from __future__ import annotations

from empirical.validate.claims import Spread


def _spread(values) -> str:
    vals = [v for v in values if v is not None]
    return str(Spread.of(vals)) if vals else "-"


def _variants(runs):
    seen = []
    for r in runs:
        key = (r["mask"], r["position"])
        if key not in seen:
            seen.append(key)
    return seen


def summary_markdown(result: dict) -> str:
    cfg = result["config"]
    th = result["theory"]
    lines = [
        "# Contextual counting (Golkar et al. 2024, arXiv 2406.02585)",
        "",
        f"Task: length {cfg['length']}, {cfg['regions']} regions, region inner length "
        f"0..{cfg['max_region_length']}, p_one {cfg['p_one']}; OOD lengths {cfg['ood_lengths']},"
        f" OOD regions {cfg['ood_regions']}. Model width {cfg['width']}, {cfg['steps']} steps,"
        f" batch {cfg['batch']}, lr {cfg['lr']}. Wall time {result['wall_seconds']:.0f} s"
        f" on {result['device']}.",
        "",
        "## Hand-built counter (Propositions 1-2), float64, no training",
        "",
        "| bias | length | regions | sequences | exact fraction | max abs bias-law error |",
        "|---|---|---|---|---|---|",
    ]
    for r in th["handbuilt"]:
        err = "-" if r["bias_law_error"] is None else f"{r['bias_law_error']:.1e}"
        lines.append(
            f"| {r['bias']} | {r['length']} | {r['regions']} | {r['sequences']} |"
            f" {r['exact_fraction']:.3f} | {err} |"
        )
    lines += [
        "",
        "## Proposition 3 (random weights)",
        "",
        "| seed | non-causal max logit diff | causal max logit diff (control) |",
        "|---|---|---|",
    ]
    for r in th["proposition3"]:
        lines.append(
            f"| {r['seed']} | {r['noncausal_max_diff']:.1e} | {r['causal_max_diff']:.2e} |"
        )
    runs = result["runs"]
    lines += [
        "",
        "## Trained models (mean ± sd over seeds)",
        "",
        "| mask | position | accuracy | OOD length | OOD fewer regions | OOD more regions |"
        " delimiter mass | delimiter uniformity | region probe | decoder BoS | decoder ] |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for mask, pos in _variants(runs):
        rs = [r for r in runs if r["mask"] == mask and r["position"] == pos]
        lines.append(
            f"| {mask} | {pos} | {_spread(r['accuracy'] for r in rs)} |"
            f" {_spread(r['ood_length_accuracy'] for r in rs)} |"
            f" {_spread(r['ood_fewer_regions_accuracy'] for r in rs)} |"
            f" {_spread(r['ood_more_regions_accuracy'] for r in rs)} |"
            f" {_spread(r['encoder']['delimiter_mass'] for r in rs)} |"
            f" {_spread(r['encoder']['delimiter_uniformity'] for r in rs)} |"
            f" {_spread(r['probe_accuracy'] for r in rs)} |"
            f" {_spread(r['decoder']['bos'] for r in rs)} |"
            f" {_spread(r['decoder']['close'] for r in rs)} |"
        )
    lines += [
        "",
        "## Per seed",
        "",
        "| mask | position | seed | loss | accuracy | OOD length | OOD regions | bias token |"
        " BoS mass | ] mass | probe (baseline) | seconds |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        d = r["decoder"]
        lines.append(
            f"| {r['mask']} | {r['position']} | {r['seed']} | {r['final_loss']:.3f} |"
            f" {r['accuracy']:.3f} | {r['ood_length_accuracy']:.3f} |"
            f" {r['ood_regions_accuracy']:.3f} | {d['bias_token']} | {d['bos']:.3f} |"
            f" {d['close']:.3f} | {r['probe_accuracy']:.3f} ({r['probe_baseline']:.3f}) |"
            f" {r['seconds']:.0f} |"
        )
    return "\n".join(lines) + "\n"
