"""Claims of the trained associative memories (measured by ``experiments.scaling_trained``).

Cabannes, Dohmatob & Bietti (arXiv 2310.02984): the error-vs-T law of Sec. 3.2 on the trained
SGD memory, the finite-d prediction of ``memtheory.scaling`` (SGD as a memory scheme, Eq. 16)
against the trained memory's error-vs-d, Adam against SGD at large batches (Sec. 4.2-4.3),
learned embeddings against the statistical floor (Sec. 4.4), and where in (d, B, lr) the
SGD-as-a-scheme map agrees with the trained memory. Checks read ``result["summary"]``
(``summary.summarize``) and select cells by their axes, so the quick slices and the paper's
full grid are judged alike.
"""

from __future__ import annotations

import math

from empirical.experiments.scaling_trained.config import DISCOVERY_GRID
from empirical.validate.claims import (
    AllOf,
    AtLeast,
    AtMost,
    Claim,
    Kind,
    Measured,
    Near,
    NotReproducing,
    register,
)

CABANNES = "Cabannes, Dohmatob & Bietti 2023 (arXiv 2310.02984)"
EXP = "scaling_trained"

#: |trained SGD error - SGD-scheme prediction| allowed: 2 standard errors of a 10-seed mean
#: (per-seed sd up to 0.05 at B = 1024, so 0.016) rounded up to 0.03, plus 25 % for the
#: mean-field model's constants (Gaussian readout, unit-norm rather than N(0, 1/d) embeddings);
#: fixed before measuring
MAP_TOL = Near(abs=0.03, rel=0.25, quantity="population error")
MAP_WHY = (
    "2 standard errors of a 10-seed mean (per-seed sd up to 0.05 at B = 1024) rounded up to "
    "0.03, plus 25% for the mean-field model's constants (Gaussian readout, unit-norm "
    "embeddings against the grid's N(0, 1/d)); fixed before measuring"
)
#: where the SGD-as-a-scheme map was found to agree on the discovery grid ``sgd-map``
#: (T = 10240, d in {10, 100, 200}, B in {16, 64, 1024}, lr in {0.1, 1, 10, 100}): total
#: per-sample step lr T / B of at least 10 (at lr T / B = 1 the N(0, 1/d) initial memory
#: W_0, which the scheme leaves out, dominates), and at d < N only up to lr T / B = 160
#: (above, at 640 and more, the trained memory errs far less than the scheme predicts)
MIN_TOTAL_STEP = 10.0
MAX_TOTAL_STEP_BELOW_N = 160.0


def _plain_sgd(g) -> bool:
    return g["model"] == "matrix" and g["optimizer"] == "sgd" and not g["layer_norm"]


def total_step(g) -> float:
    """``lr T / B``: the SGD scheme's step ``lr / B`` times the samples ``T``."""
    return g["lr"] * g["samples"] / g["batch"]


def in_agreement_region(g, tokens: int) -> bool:
    """The rule found on the discovery grid: ``lr T / B >= 10`` and, when ``d < N``,
    ``lr T / B <= 160``."""
    s = total_step(g)
    return s >= MIN_TOTAL_STEP and (g["dim"] >= tokens or s <= MAX_TOTAL_STEP_BELOW_N)


def _cell(g) -> str:
    return f"d {g['dim']}, B {g['batch']}, lr {g['lr']:g}, T {g['samples']}"


def _sd(s) -> str:
    return "n = 1" if s["sd"] is None else f"sd {s['sd']:.4f}, n = {s['n']}"


# --- error against T ---------------------------------------------------------------------


def t_slope_rows(result):
    """The T family of the paper's quoted setting: SGD matrix memory, d = 100, B = 1024,
    lr = 0.1 (released means 0.663, 0.210, 0.073 at T = 1024, 10240, 102400)."""
    alpha = result["config"]["alpha"]
    rows = []
    for e in result["summary"]["T_slopes"]:
        if _plain_sgd(e) and (e["dim"], e["batch"], e["lr"]) == (100, 1024, 0.1):
            if len(e["values"]) < 3:
                continue
            se = e["seed_exponents"]
            rows.append(
                Measured(
                    e["exponent"],
                    predicted=1.0 - 1.0 / alpha,
                    label=f"SGD matrix d 100, B 1024, lr 0.1, T in {e['values']}",
                    detail=(
                        f"means {', '.join(f'{m:.4f}' for m in e['means'])}; per-seed exponent "
                        f"{se['mean']:.3f} ({_sd(se)}); finite-N floor exponent "
                        f"{e['floor_exponent']:.3f}"
                    ),
                    figure="trained_error_vs_T.png",
                )
            )
    return rows


register(
    Claim(
        id="scaling_trained.T-slope",
        kind=Kind.PAPER,
        paper=f"{CABANNES}, Sec. 3.2 and the released grid (SGD, B 1024, lr 0.1, d 100)",
        statement="The trained memory's error falls as T^-(1 - 1/alpha) in the data size T.",
        prediction="decay exponent 1 - 1/alpha = 0.5 at alpha = 2 (memtheory.scaling.exponent_T)",
        experiment=EXP,
        check=t_slope_rows,
        tolerance=Near(abs=0.15, quantity="decay exponent in T"),
        tolerance_reason=(
            "as the scheme exponents (experiments.scaling): a log factor shifts a local slope by "
            "up to 0.145; the competing exponents (0: a d-bound floor; 0.94 and more: the "
            "finite-N floor over these T) are both more than 0.3 away"
        ),
        symbolic_check="scaling.finite_data_constant",
    )
)


# --- error against d: the finite-d prediction --------------------------------------------


def d_prediction_rows(result):
    """The d scan at the paper's quoted setting (SGD matrix, B 1024, lr 0.1, T 102400) against
    ``scheme_error('sgd', d=d, samples=T, alpha=alpha, facts=N, lr=lr / B)``."""
    rows = []
    for g in sorted(result["summary"]["groups"], key=lambda g: g["dim"]):
        if _plain_sgd(g) and (g["batch"], g["lr"], g["samples"]) == (1024, 0.1, 102400):
            rows.append(
                Measured(
                    g["error"]["mean"],
                    predicted=g["sgd_scheme"],
                    label=f"d {g['dim']}",
                    detail=f"SGD matrix, B 1024, lr 0.1, T 102400; {_sd(g['error'])}",
                    figure="trained_error_vs_d.png",
                )
            )
    return rows if len(rows) >= 2 else []


register(
    Claim(
        id="scaling_trained.d-finite-prediction",
        kind=Kind.MODEL,
        paper=f"{CABANNES}, Sec. 4.1 (Eq. 16) and Theorem 1; released grid means",
        statement=(
            "The trained SGD memory's error against d follows memtheory.scaling's finite-d "
            "prediction for SGD as a memory scheme at step lr/B."
        ),
        prediction="memtheory.scaling.scheme_error('sgd', d, T, alpha, N, lr=lr/B) at each d",
        experiment=EXP,
        check=d_prediction_rows,
        tolerance=MAP_TOL,
        tolerance_reason=MAP_WHY,
    )
)


# --- Adam against SGD ----------------------------------------------------------------------


def optimizer_rows(result):
    """Adam against SGD at equal (d, B, lr, T), B >= 256, matrix memory without LayerNorm:
    the gap in standard errors, and the premise that the SGD control trained."""
    rows = []
    for p in result["summary"]["optimizer_pairs"]:
        if p["model"] != "matrix" or p["layer_norm"] or p["batch"] < 256:
            continue
        s, a = p["sgd"], p["adam"]
        if s["sd"] is None or a["sd"] is None:
            z = math.nan
        else:
            se = math.sqrt(s["sd"] ** 2 / s["n"] + a["sd"] ** 2 / a["n"])
            z = min(p["gap"] / se, 1e6) if se > 0 else math.copysign(1e6, p["gap"])
        rows.append(
            Measured(
                {"gap / s.e.": z, "SGD error / initial": s["mean"] / p["initial"]},
                label=_cell(p),
                detail=f"SGD {s['mean']:.4f} ({_sd(s)}), Adam {a['mean']:.4f} ({_sd(a)})",
                figure="trained_optimizers.png",
            )
        )
    return rows


register(
    Claim(
        id="scaling_trained.adam-beats-sgd-large-batch",
        kind=Kind.PAPER,
        paper=f"{CABANNES}, Sec. 4.2-4.3 (Adam with betas (0, 0), lr/d; large batches)",
        statement="At large batches Adam stores more than SGD at the same (d, B, lr, T).",
        prediction="SGD error - Adam error > 0 at every B >= 256 cell",
        experiment=EXP,
        check=optimizer_rows,
        tolerance=AllOf(
            parts={
                "gap / s.e.": AtLeast(2.0, quantity="(SGD - Adam) / s.e."),
                "SGD error / initial": AtMost(0.5, quantity="SGD error / initial error"),
            }
        ),
        tolerance_reason=(
            "the gap must exceed 2 standard errors of the difference of the seed means; the "
            "SGD control counts only if it trained (at most half its error at initialization)"
        ),
    )
)


# --- learned embeddings against the floor ---------------------------------------------------


def floor_rows(result):
    """Learned W, E, U (SGD, B 16, lr 1, the paper's setting) against the floor."""
    rows = []
    for g in sorted(result["summary"]["groups"], key=lambda g: (g["dim"], g["samples"])):
        if (g["model"], g["optimizer"], g["layer_norm"], g["batch"], g["lr"]) == (
            "learnable",
            "sgd",
            False,
            16,
            1.0,
        ):
            rows.append(
                Measured(
                    g["error"]["mean"],
                    predicted=g["floor"],
                    label=f"d {g['dim']}, T {g['samples']}",
                    detail=f"learned W, E, U; SGD B 16, lr 1; {_sd(g['error'])}",
                    figure="trained_error_vs_T.png",
                )
            )
    return rows


register(
    Claim(
        id="scaling_trained.learned-floor",
        kind=Kind.PAPER,
        paper=f"{CABANNES}, Sec. 4.4 (learning the embeddings removes the capacity bottleneck)",
        statement=(
            "With learned embeddings the trained memory reaches the statistical floor: every "
            "seen token is right."
        ),
        prediction="(1 - 1/M) sum_x p(x) (1 - p(x))^T (memtheory.scaling.missing_mass)",
        experiment=EXP,
        check=floor_rows,
        tolerance=Near(abs=0.0005, rel=0.3, quantity="population error"),
        tolerance_reason=(
            "3 standard errors of a 5-seed mean of the unseen mass (per-seed sd 17-24% of the "
            "floor at T = 1024-10240, N = 100) plus the guessing of unseen tokens; 0.0005 "
            "absolute where the floor is below one token's mass"
        ),
        symbolic_check="scaling.finite_data_constant",
    )
)


# --- where SGD is a memory scheme ------------------------------------------------------------


def _map_groups(result, inside: bool):
    tokens = result["config"]["tokens"]
    return [
        g
        for g in result["summary"]["groups"]
        if _plain_sgd(g)
        and DISCOVERY_GRID not in g["grids"]
        and in_agreement_region(g, tokens) == inside
    ]


def map_agree_rows(result):
    return [
        Measured(
            g["error"]["mean"],
            predicted=g["sgd_scheme"],
            label=_cell(g),
            detail=f"lr T / B = {total_step(g):g}; {_sd(g['error'])}",
            figure="trained_sgd_scheme.png",
        )
        for g in _map_groups(result, True)
    ]


def map_miss_rows(result):
    out = []
    for g in _map_groups(result, False):
        m, p = g["error"]["mean"], g["sgd_scheme"]
        excess = abs(m - p) - (MAP_TOL.abs + MAP_TOL.rel * abs(p))
        out.append(
            Measured(
                excess,
                predicted=p,
                label=_cell(g),
                detail=f"measured {m:.4f} ({_sd(g['error'])}); lr T / B = {total_step(g):g}",
                figure="trained_sgd_scheme.png",
            )
        )
    return out


REGION = (
    f"lr T / B >= {MIN_TOTAL_STEP:g}, and at d < N also lr T / B <= "
    f"{MAX_TOTAL_STEP_BELOW_N:g} (found on the grid '{DISCOVERY_GRID}', T = 10240)"
)

register(
    Claim(
        id="scaling_trained.sgd-scheme-agrees",
        kind=Kind.MODEL,
        paper=f"{CABANNES}, Sec. 4.1, Eq. 16 (SGD as a memory scheme)",
        statement=(
            f"Inside the region {REGION}, the trained SGD memory's error equals the SGD-scheme "
            "prediction, on cells not used to find the region."
        ),
        prediction="memtheory.scaling.scheme_error('sgd', d, T, alpha, N, lr=lr/B)",
        experiment=EXP,
        check=map_agree_rows,
        tolerance=MAP_TOL,
        tolerance_reason=MAP_WHY,
        not_reproducing=NotReproducing(
            "refuted",
            "quick slice (3-10 seeds): 19 of 20 out-of-sample cells inside the region agree; "
            "d 500, B 1024, lr 100, T 1024 (lr T / B = 100 in a single step) measures 0.0698 "
            "against 0.0286 (margin -0.004): the per-sample recursion of Eq. 16 does not "
            "describe one large batch step, and the discovery grid (T = 10240) had at least "
            "10 steps per cell",
        ),
    )
)
register(
    Claim(
        id="scaling_trained.sgd-scheme-misses",
        kind=Kind.MODEL,
        paper=f"{CABANNES}, Sec. 4.1 (the approximation assumes near-orthogonal embeddings)",
        statement=(
            f"Outside the region {REGION}, the SGD-scheme prediction misses the trained SGD "
            "memory, on cells not used to find the region."
        ),
        prediction=(
            "|measured - scheme_error('sgd')| beyond the agreement window of "
            "scaling_trained.sgd-scheme-agrees"
        ),
        experiment=EXP,
        check=map_miss_rows,
        tolerance=AtLeast(0.0, strict=True, quantity="distance beyond the agreement window"),
        tolerance_reason="the complement of the agreement window, the same numbers",
        not_reproducing=NotReproducing(
            "refuted",
            "quick slice (3-10 seeds): 7 of 8 out-of-sample cells outside the region miss; "
            "d 20, B 256, lr 100, T 1024 (lr T / B = 400 at d < N, 4 steps) measures 0.0527 "
            "against 0.0665, inside the window (margin -0.033): the d < N bound of the region "
            "was found at T = 10240 only",
        ),
    )
)
