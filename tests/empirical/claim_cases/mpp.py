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
