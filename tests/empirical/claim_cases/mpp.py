"""Passing and failing made-up results for the mpp claims."""


def _emb(var_at_1):
    rows = []
    for s in range(2):
        for k in range(1, 13):
            v = var_at_1 if k == 1 else 1.0
            rows.append({"seed": s, "present": k, "variance": v, "variance_se": 0.02})
    return rows


def _result(error=1e-13, nmse=(1 / 3, 1 / 3, 1 / 3), mse=(0.0, 0.0, 1.0), var_at_1=1.01):
    return {
        "equivariance": [{"seed": 0, "network": i, "error": error} for i in range(3)],
        "shares": [{"seed": 0, "scales": [1, 10, 1000], "nmse_shares": nmse, "mse_shares": mse}],
        "embedding": _emb(var_at_1),
    }


CASES = {
    "mpp.revin-equivariance": (_result(), _result(error=1e-6)),
    "mpp.nmse-equal-shares": (_result(), _result(nmse=(0.2, 0.3, 0.5))),
    "mpp.embedding-variance": (_result(), _result(var_at_1=1 / 12)),
}


def _toy(pre_small=0.10, scr_small=0.50, pre_large=0.020, scr_large=0.025, excess=(0.3, 0.05)):
    """Made-up toy result: sizes 4 and 1024, widths 2 and 16, three seeds with a little
    seed-to-seed spread; ``excess`` is the joint model's log excess at the two widths."""
    import math

    sizes, widths, systems = [4, 1024], [2, 16], ["advection", "diffusion", "advection-diffusion"]
    rows = []
    for s in range(3):
        jitter = 0.002 * (s - 1)
        for n, pre, scr in ((4, pre_small, scr_small), (1024, pre_large, scr_large)):
            rows.append(
                {"seed": s, "n_ft": n, "pretrained": pre + jitter, "scratch": scr + 2 * jitter}
            )
    inter = []
    for s in range(3):
        for w, e in zip(widths, excess, strict=True):
            for sys in systems:
                single = 0.1 / w
                joint = single * math.exp(e + 0.01 * (s - 1))
                inter.append(
                    {"seed": s, "width": w, "system": sys, "joint": joint, "single": single}
                )
    return {
        "transfer": {"sizes": sizes, "rows": rows},
        "interference": {"widths": widths, "rows": inter},
    }


CASES.update(
    {
        "mpp.transfer-small-data": (_toy(), _toy(pre_small=0.5, scr_small=0.5)),
        "mpp.transfer-gap-closes": (_toy(), _toy(pre_large=0.02, scr_large=0.2)),
        "mpp.interference-low-capacity": (_toy(), _toy(excess=(-0.1, 0.0))),
        "mpp.interference-closes": (_toy(), _toy(excess=(0.3, 0.3))),
    }
)
