"""Seed means of the grid's cells beside the predictions of ``memtheory.scaling``, slopes in T
and d, and Adam/SGD pairs (numpy only)."""

from __future__ import annotations

import math

import numpy as np

from empirical.validate.claims import Spread
from memtheory import scaling as theory

#: the axes of a cell other than its seed (a group of seeds shares them)
GROUP_AXES = ("model", "optimizer", "layer_norm", "dim", "batch", "lr", "samples")


def _spread(values) -> dict:
    s = Spread.of(values)
    return {"mean": s.mean, "sd": None if math.isnan(s.sd) else s.sd, "n": s.n}


def floor_error(samples, alpha, tokens, answers) -> float:
    """Statistical floor :math:`(1 - 1/M)\\sum_x p(x)(1 - p(x))^T`: every seen token stored,
    every unseen one guessed among M answers (arXiv 2310.02984, Sec. 3.2)."""
    return (1.0 - 1.0 / answers) * float(theory.missing_mass(samples, alpha, facts=tokens))


def sgd_scheme_error(dim, samples, lr, batch, alpha, tokens, answers) -> float:
    """``memtheory.scaling.scheme_error("sgd", ...)`` at the per-sample step ``lr / B``: a
    batch-mean loss gives each sample of ``x`` the update ``(lr / B)`` times its own gradient,
    and ``q_gamma`` (arXiv 2310.02984, Eq. 16) counts per-sample updates ``n_x = T p(x)``."""
    return theory.scheme_error(
        "sgd", d=dim, samples=samples, alpha=alpha, facts=tokens, answers=answers, lr=lr / batch
    )


def groups(rows: list[dict], config: dict) -> list[dict]:
    """One entry per cell configuration: its axes, ``grids``, the seed spread of ``error``,
    ``error_head``, ``error_tail`` and ``initial_error``, the ``floor`` and, for the SGD matrix
    memory without LayerNorm, ``sgd_scheme`` (the SGD-as-a-scheme prediction)."""
    by: dict[tuple, list[dict]] = {}
    for r in rows:
        by.setdefault(tuple(r[a] for a in GROUP_AXES), []).append(r)
    out = []
    N, M, alpha = config["tokens"], config["answers"], config["alpha"]
    for k, rs in by.items():
        g = dict(zip(GROUP_AXES, k, strict=True))
        g["grids"] = sorted({n for r in rs for n in r["grids"]})
        g["seeds"] = sorted(r["seed"] for r in rs)
        for m in ("error", "error_head", "error_tail", "initial_error"):
            g[m] = _spread([r[m] for r in rs])
        g["floor"] = floor_error(g["samples"], alpha, N, M)
        mappable = g["model"] == "matrix" and g["optimizer"] == "sgd" and not g["layer_norm"]
        g["sgd_scheme"] = (
            sgd_scheme_error(g["dim"], g["samples"], g["lr"], g["batch"], alpha, N, M)
            if mappable
            else None
        )
        out.append(g)
    return out


def fit_decay(x, y) -> float:
    """Decay exponent ``-slope`` of ``log y`` against ``log x`` (nan if fewer than 2 y > 0)."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    sel = y > 0
    if sel.sum() < 2:
        return float("nan")
    return float(-np.polyfit(np.log(x[sel]), np.log(y[sel]), 1)[0])


def slopes(rows: list[dict], gs: list[dict], along: str) -> list[dict]:
    """Decay exponents along ``along`` ("samples" or "dim"), one per family of groups that
    share every other axis and cover at least 2 values: the exponent of the seed means, the
    spread of the per-seed exponents, and the exponents of the floor (T) and of the SGD scheme
    prediction (when defined) over the same values."""
    others = tuple(a for a in GROUP_AXES if a != along)
    error_of = {(tuple(r[a] for a in GROUP_AXES), r["seed"]): r["error"] for r in rows}
    fams: dict[tuple, list[dict]] = {}
    for g in gs:
        fams.setdefault(tuple(g[a] for a in others), []).append(g)
    out = []
    for k, fam in fams.items():
        if len(fam) < 2:
            continue
        fam = sorted(fam, key=lambda g: g[along])
        xs = [g[along] for g in fam]
        means = [g["error"]["mean"] for g in fam]
        per_seed = []
        seeds = set.intersection(*(set(g["seeds"]) for g in fam))
        for s in sorted(seeds):
            ys = [error_of[(tuple(g[a] for a in GROUP_AXES), s)] for g in fam]
            e = fit_decay(xs, ys)
            if math.isfinite(e):
                per_seed.append(e)
        entry = dict(zip(others, k, strict=True))
        entry.update(
            along=along,
            values=xs,
            means=means,
            grids=sorted({n for g in fam for n in g["grids"]}),
            exponent=fit_decay(xs, means),
            seed_exponents=_spread(per_seed) if per_seed else None,
            floor_exponent=fit_decay(xs, [g["floor"] for g in fam]),
            sgd_scheme_exponent=(
                fit_decay(xs, [g["sgd_scheme"] for g in fam])
                if all(g["sgd_scheme"] is not None for g in fam)
                else None
            ),
        )
        out.append(entry)
    return out


def optimizer_pairs(gs: list[dict]) -> list[dict]:
    """Adam against SGD at equal (model, LayerNorm, d, B, lr, T): both seed spreads and the
    gap ``SGD mean - Adam mean``."""
    others = tuple(a for a in GROUP_AXES if a != "optimizer")
    by: dict[tuple, dict] = {}
    for g in gs:
        by.setdefault(tuple(g[a] for a in others), {})[g["optimizer"]] = g
    out = []
    for k, pair in by.items():
        if set(pair) != {"sgd", "adam"}:
            continue
        entry = dict(zip(others, k, strict=True))
        entry.update(
            grids=sorted(set(pair["sgd"]["grids"]) | set(pair["adam"]["grids"])),
            sgd=pair["sgd"]["error"],
            adam=pair["adam"]["error"],
            initial=pair["sgd"]["initial_error"]["mean"],
            gap=pair["sgd"]["error"]["mean"] - pair["adam"]["error"]["mean"],
        )
        out.append(entry)
    return out


def summarize(rows: list[dict], config: dict) -> dict:
    """``groups``, ``T_slopes``, ``d_slopes`` and ``optimizer_pairs`` of the rows."""
    gs = groups(rows, config)
    return {
        "groups": gs,
        "T_slopes": slopes(rows, gs, "samples"),
        "d_slopes": slopes(rows, gs, "dim"),
        "optimizer_pairs": optimizer_pairs(gs),
        "asymptotic_T_exponent": 1.0 - 1.0 / config["alpha"] if config["alpha"] > 1 else None,
    }
