"""What is measured on a trained counter (Golkar et al. 2024, arXiv 2406.02585, Secs. 4-5).

* :func:`encoder_attention`: mass of a token's encoder attention on the delimiters at or before
  it, and how uniform it is over them (:math:`1 - \\mathrm{TV}` to the uniform distribution),
  the signature of the CP computation of Proposition 2;
* :func:`region_probe`: linear decodability of the region index from the encoder outputs of
  1-tokens (least-squares one-hot probe fitted on one batch, scored on another), and the same
  probe on the input embeddings as the baseline;
* :func:`decoder_attention`: the decoder's attention mass on BoS, on the "]" tokens and on the
  queried region's 1-tokens; the larger of the first two names the bias token.
"""

from __future__ import annotations

import numpy as np
import torch

from empirical.running.runtime import eval_mode
from empirical.tasks.counting import sample_counting
from memtheory.counting import BOS, CLOSE, ONE, OPEN


def _sample(cfg, seed, tag, device, n=None):
    b = sample_counting(
        np.random.default_rng([seed, tag]),
        n or cfg.eval_batch,
        cfg.length,
        cfg.regions,
        cfg.max_region_length,
        cfg.p_one,
    )
    return b, torch.as_tensor(b.tokens, device=device)


def encoder_attention(model, cfg, seed: int, device) -> dict:
    """Mean mass on previous delimiters, on BoS, and uniformity over previous delimiters, over
    the 0/1 tokens that have at least one delimiter before them."""
    b, x = _sample(cfg, seed, 3, device)
    with eval_mode(model):
        _, w = model.encode(x)
    w = w.double().cpu().numpy()
    t = b.tokens
    delim = (t == OPEN) | (t == CLOSE)
    N = t.shape[1]
    before = np.tril(np.ones((N, N), dtype=bool))  # j <= i
    mass, unif, bos = [], [], []
    for s in range(t.shape[0]):
        prev = before & delim[s][None, :]
        rows = np.flatnonzero((t[s] <= ONE) & (prev.sum(1) > 0))
        wd = np.where(prev[rows], w[s][rows], 0.0)
        m = wd.sum(1)
        mass.append(m)
        bos.append(w[s][rows, 0])
        p = wd / np.maximum(m[:, None], 1e-300)
        u = prev[rows] / prev[rows].sum(1, keepdims=True)
        unif.append(1.0 - 0.5 * np.abs(p - u).sum(1))
    return {
        "delimiter_mass": float(np.concatenate(mass).mean()),
        "bos_mass": float(np.concatenate(bos).mean()),
        "delimiter_uniformity": float(np.concatenate(unif).mean()),
    }


def _features(model, x):
    with eval_mode(model):
        enc, _ = model.encode(x)
        emb = model.embed(x)
    return enc.double().cpu().numpy(), emb.double().cpu().numpy()


def _probe_accuracy(f_train, y_train, f_test, y_test, classes, ridge=1e-3):
    def design(f):
        return np.concatenate([f, np.ones((f.shape[0], 1))], axis=1)

    a = design(f_train)
    onehot = np.eye(classes)[y_train]
    w = np.linalg.solve(a.T @ a + ridge * np.eye(a.shape[1]), a.T @ onehot)
    return float(np.mean(np.argmax(design(f_test) @ w, axis=1) == y_test))


def region_probe(model, cfg, seed: int, device, n: int = 256) -> dict:
    """Linear-probe accuracy of the region index of 1-tokens inside regions: encoder outputs vs
    input embeddings (baseline); chance is the largest region's share. Also returns the
    2-D PCA of the held-out encoder outputs for the figure."""
    out = {}
    data = []
    for tag in (4, 5):
        b, x = _sample(cfg, seed, tag, device, n)
        enc, emb = _features(model, x)
        sel = (b.tokens == ONE) & (b.region >= 0)
        data.append((enc[sel], emb[sel], b.region[sel]))
    (e0, m0, y0), (e1, m1, y1) = data
    out["probe_accuracy"] = _probe_accuracy(e0, y0, e1, y1, cfg.regions)
    out["probe_baseline"] = _probe_accuracy(m0, y0, m1, y1, cfg.regions)
    out["probe_chance"] = float(np.bincount(y1, minlength=cfg.regions).max() / y1.size)
    c = e1 - e1.mean(0)
    _, _, vt = np.linalg.svd(c, full_matrices=False)
    keep = np.random.default_rng(seed).permutation(len(y1))[:600]
    out["pca"] = {"xy": (c[keep] @ vt[:2].T).round(4).tolist(), "region": y1[keep].tolist()}
    return out


def decoder_attention(model, cfg, seed: int, device, regions: int | None = None) -> dict:
    """Mean decoder attention mass on BoS, on all "]" tokens, on the queried region's 1-tokens
    and elsewhere (sequences with ``regions`` regions, the first ``min(regions, cfg.regions)``
    queried)."""
    R = regions or cfg.regions
    q = min(R, cfg.regions)
    b = sample_counting(
        np.random.default_rng([seed, 6, R]),
        cfg.eval_batch,
        cfg.length,
        R,
        cfg.max_region_length,
        cfg.p_one,
    )
    x = torch.as_tensor(b.tokens, device=device)
    with eval_mode(model):
        enc, _ = model.encode(x)
        _, w = model.decode(enc, q)
    w = w.double().cpu().numpy()  # (B, q, N)
    t = b.tokens
    bos = w[:, :, 0].mean()
    close = (w * (t == CLOSE)[:, None, :]).sum(-1).mean()
    ones = np.stack([(t == ONE) & (b.region == r) for r in range(q)], axis=1)
    own = (w * ones).sum(-1).mean()
    assert np.all(t[:, 0] == BOS)
    bias = "bos" if bos > close else "close"
    return {
        "bos": float(bos),
        "close": float(close),
        "own_ones": float(own),
        "other": float(1.0 - bos - close - own),
        "bias_token": bias,
    }
