"""The exact part of the counting experiment: no training, float64 (``memtheory.counting``).

Rows: the hand-built counter (Propositions 1-2) with the BoS bias and with the "]" bias over
lengths and numbers of regions; Proposition 3 on random non-causal NoPE encoders.
"""

from __future__ import annotations

import numpy as np

from empirical.tasks.counting import sample_counting
from memtheory import counting as mc

MAX_COUNT = 64


def _regions_at(length: int, max_regions: int) -> list[int]:
    fits = [r for r in range(1, max_regions + 1) if 2 * r <= length]
    if length <= 512:
        return fits
    return sorted({r for r in (1, 2, max(1, max_regions // 4), max_regions) if r in fits})


def _run_counter(net, length, regions, n, seed):
    m = min(MAX_COUNT, length // regions - 2)
    b = sample_counting(np.random.default_rng([seed, length, regions]), n, length, regions, m)
    exact, err = [], 0.0
    b_tok = 1.0 if net.bias == "bos" else float(regions)
    for t, c in zip(b.tokens, b.counts, strict=True):
        f = mc.handbuilt_forward(net, t)
        exact.append(bool(np.array_equal(np.argmax(f.logits, axis=1), c)))
        want = mc.bias_output(c, [1.0, 0.0], [0.0, 1.0], bias_tokens=b_tok)
        err = max(err, float(np.abs(f.o - want).max()))
    return {
        "bias": net.bias,
        "length": length,
        "regions": regions,
        "sequences": n,
        "exact_fraction": float(np.mean(exact)),
        "bias_law_error": err,
        "max_count": int(b.counts.max()),
    }


def handbuilt_rows(cfg, seed: int = 0) -> list[dict]:
    """BoS bias at every ``theory_lengths`` x regions; "]" bias (readout set for
    ``cfg.regions``) at every length with ``cfg.regions`` regions and at 512 tokens (or the
    largest length) with every other region count."""
    K = cfg.theory_max_regions
    n = cfg.theory_sequences
    bos = mc.handbuilt_network(max_regions=K, max_count=MAX_COUNT, bias="bos")
    close = mc.handbuilt_network(
        max_regions=K, max_count=MAX_COUNT, bias="close", train_regions=cfg.regions
    )
    rows = []
    for L in cfg.theory_lengths:
        for R in _regions_at(L, K):
            rows.append(_run_counter(bos, L, R, n, seed))
        if 2 * cfg.regions <= L:
            rows.append(_run_counter(close, L, cfg.regions, n, seed))
    L = min([x for x in cfg.theory_lengths if x >= 2 * K] or [max(cfg.theory_lengths)])
    for R in _regions_at(L, K):
        if R != cfg.regions:
            m = min(MAX_COUNT, L // R - 2)
            # the "]" failure needs a nonzero count: sequences with p_one = 0.8
            b = sample_counting(np.random.default_rng([seed, 9, R]), n, L, R, m, p_one=0.8)
            exact = [
                bool(np.array_equal(mc.handbuilt_counts(close, t), c))
                for t, c in zip(b.tokens, b.counts, strict=True)
            ]
            rows.append(
                {
                    "bias": "close",
                    "length": L,
                    "regions": R,
                    "sequences": n,
                    "exact_fraction": float(np.mean(exact)),
                    "bias_law_error": None,
                    "max_count": int(b.counts.max()),
                }
            )
    return rows


def proposition3_rows(seeds: int = 5) -> list[dict]:
    """Largest logit difference of random non-causal NoPE encoder-decoders on multiset-equal
    inputs (the paper's pair and shuffled random sequences), and of causal ones (control)."""
    rows = []
    a, b = (mc.parse(s) for s in mc.MULTISET_PAIR)
    for seed in range(seeds):
        w = mc.random_encoder_decoder(seed, width=16, layers=2, queries=4, classes=8)
        rng = np.random.default_rng([seed, 7])
        t = sample_counting(rng, 1, 60, 4, 8).tokens[0]
        x = t.copy()
        slots = np.flatnonzero(t <= mc.ONE)
        x[slots] = t[rng.permutation(slots)]
        pairs = [(a, b), (t, x)]
        diff = {}
        for causal in (False, True):
            diff[causal] = max(
                float(
                    np.abs(
                        mc.encoder_decoder_logits(w, p, causal)[:2]
                        - mc.encoder_decoder_logits(w, q, causal)[:2]
                    ).max()
                )
                for p, q in pairs
            )
        rows.append(
            {
                "seed": seed,
                "noncausal_max_diff": diff[False],
                "causal_max_diff": diff[True],
                "counts_differ": bool(not np.array_equal(mc.region_counts(a), mc.region_counts(b))),
            }
        )
    return rows


def gap_row(max_n: int = 63, padding: int = 16) -> dict:
    """The bias law and its gap measured on the hand-built counter: sequences
    ``0^padding [ 1^n ] 0^padding`` for ``n = 0..max_n``; largest deviation of ``o(n)`` from
    :math:`(n e_1 + e_2)/(n+1)` and of ``o(n+1) - o(n)`` from :math:`(e_1 - e_2)/((n+1)(n+2))`."""
    net = mc.handbuilt_network(max_regions=1, max_count=max_n + 1, bias="bos")
    os_ = []
    for n in range(max_n + 2):
        t = [mc.BOS] + [mc.ZERO] * padding + [mc.OPEN] + [mc.ONE] * n + [mc.CLOSE]
        os_.append(mc.handbuilt_forward(net, t + [mc.ZERO] * padding).o[0])
    o = np.array(os_)
    ns = np.arange(max_n + 2)
    law = mc.bias_output(ns, [1.0, 0.0], [0.0, 1.0])
    gap = mc.bias_gap(ns[:-1], [1.0, 0.0], [0.0, 1.0])
    return {
        "max_n": max_n,
        "law_error": float(np.abs(o - law).max()),
        "gap_error": float(np.abs(np.diff(o, axis=0) - gap).max()),
        "gap_at_max_n": float(gap[-1, 0]),
    }
