"""``run(config) -> dict``: overlap flows, their plateaus and escape times."""

from __future__ import annotations

import math
import time

import numpy as np

from empirical.experiments.multi_index.config import Config
from empirical.running.results import to_jsonable, write_topic_outputs
from memtheory import multi_index as mi

T_MAX = 1e9


def flow_row(link: str, mode: str, d: int, seed: int) -> dict:
    """One flow: its loss curve, drop times, the loss midway (in log time) between drops."""
    out = mi.integrate_overlap(
        mi.random_overlap(d, 2, seed), link, mode=mode, t_max=T_MAX, points=120
    )
    t, loss = out["t"], out["loss"]
    levels = mi.LINKS[link].plateaus
    drops = mi.loss_drops(t, loss, levels)
    between = []
    for a, b in zip(drops, drops[1:], strict=False):
        if math.isfinite(a) and math.isfinite(b) and a > 0:
            tm = math.sqrt(a * b)
            between.append(float(np.interp(tm, t, loss)))
        else:
            between.append(math.nan)
    return {
        "link": link,
        "mode": mode,
        "d": d,
        "seed": seed,
        "initial_loss": float(loss[0]),
        "final_loss": float(loss[-1]),
        "min_singular_value": float(np.linalg.svd(out["M"][-1], compute_uv=False)[-1]),
        "drops": drops,
        "plateau_levels": list(levels),
        "loss_between_drops": between,
        "t": t,
        "loss": loss,
    }


TRAP_CURVES = 10  # loss curves kept for the first seeds of each trap link and mode


def trap_row(link: str, mode: str, d: int, seed: int, t_max: float = 1e12) -> dict:
    """One start of a symmetric link: final loss relative to E f*^2, final overlap, and what
    the sign rule (memtheory.multi_index.planted_sign_trap) predicts for the planted flow."""
    M0 = mi.random_overlap(d, 2, seed)
    # rtol 1e-8 keeps |M| <= 1 up to t = 1e12 (1e-6 let it drift by 2%); atol 1e-16 sits below
    # a trapped entry's 1/(36 t) >= 3e-14 there, so the integrator cannot flip its sign
    out = mi.integrate_overlap(M0, link, mode=mode, t_max=t_max, points=40, rtol=1e-8, atol=1e-16)
    scale = mi.population_loss(np.zeros((2, 2)), link, mode="two-timescale")  # E f*^2
    try:
        predicted = bool(mi.planted_sign_trap(M0, link)) if mode == "planted" else False
    except ValueError:  # not a single-degree separable link: no rule
        predicted = None
    row = {
        "link": link,
        "mode": mode,
        "d": d,
        "seed": seed,
        "target_energy": scale,
        "initial_loss": float(out["loss"][0]),
        "final_loss": float(out["loss"][-1]),
        "final_over_energy": float(out["loss"][-1] / scale),
        "t_end": float(out["t"][-1]),
        "M0": M0,
        "final_M": out["M"][-1],
        "predicted_trapped": predicted,
    }
    if seed < TRAP_CURVES:
        row |= {"t": out["t"], "loss": out["loss"]}
    return row


def run(config: Config) -> dict:
    """Every flow of the profile; ``result.json``, ``summary.md`` and a figure in ``config.out``."""
    t0 = time.perf_counter()
    flows = [
        flow_row(link, mode, config.d, s)
        for link in config.links
        for mode in mi.MODES
        for s in range(config.seeds)
    ]
    escape = []
    for link in config.slope_links:
        for d in config.dims:
            for s in range(config.seeds):
                row = flow_row(link, "two-timescale", d, s)
                escape.append({"link": link, "d": d, "seed": s, "escape_time": row["drops"][-1]})
    trap = [
        trap_row(link, mode, config.d, s, config.trap_t_max)
        for link in config.trap_links
        for mode in mi.MODES
        for s in range(config.trap_seeds)
    ]
    from empirical.experiments.multi_index.finite import compare_with_flow

    finite = [compare_with_flow(link, "two-timescale", config) for link in config.finite_links]
    result = to_jsonable(
        {
            "config": config,
            "flows": flows,
            "escape": escape,
            "finite": finite,
            "trap": trap,
            "wall_time": time.perf_counter() - t0,
        }
    )
    if config.out:
        write_topic_outputs(config.out, result, "multi_index")
    return result
