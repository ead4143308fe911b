"""``run(config) -> dict``: train every encoding on the function and frequency tasks and measure.

Rows (one per study, encoding and seed) go to ``OUT/results.jsonl`` as they finish; a rerun with
the same ``out`` and config skips the finished ones (resume). Figures and ``summary.md`` are
rewritten at the end. See ``metrics`` for the measures and ``docs/experiments/numbers.md``.
"""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import numpy as np
import torch

from empirical.experiments.numbers import metrics as M
from empirical.experiments.numbers.model import NumberEncoder, loss_fn, predict
from empirical.running.results import (
    append_jsonl,
    atomic_write_json,
    atomic_write_text,
    read_jsonl,
    to_jsonable,
)
from empirical.running.runtime import resolve_device, set_seed, torch_threads
from empirical.tasks.numbers import Codec, frequency_records, function_records
from memtheory import numbers as N

STUDIES = ("function", "frequency")


def _tensors(arrays: dict, device) -> dict:
    return {
        "ids": torch.as_tensor(arrays["ids"], device=device),
        "values": torch.as_tensor(arrays["values"], device=device).float(),
        "target_ids": torch.as_tensor(arrays["target_ids"], device=device),
        "target_values": torch.as_tensor(arrays["target_values"], device=device).float(),
    }


def train(codec: Codec, records: np.ndarray, config, seed: int, device, label: str):
    """Train one model on ``records`` (last number masked); returns ``(model, init_embedding,
    final_loss, seconds)``."""
    set_seed(seed)
    arrays = codec.encode(records, masked=codec.n_numbers - 1)
    data = _tensors(arrays, device)
    model = NumberEncoder(
        len(codec.tokens),
        codec.length,
        config.d_model,
        config.n_layer,
        config.n_head,
        config.d_ff,
        config.dropout,
    ).to(device)
    init_embedding = model.token_embedding.weight.detach().double().cpu().numpy().copy()
    # fused: one kernel per tensor instead of torch's per-tensor Python loop on CPU (the loop
    # was a fifth of the quick profile's training time); the same AdamW arithmetic
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=0.0, fused=True)
    sched = torch.optim.lr_scheduler.OneCycleLR(
        opt, max_lr=config.lr, total_steps=config.steps, pct_start=0.1
    )
    gen = torch.Generator(device="cpu").manual_seed(seed)
    pos = torch.as_tensor(arrays["positions"], device=device)
    steps = range(config.steps)
    if config.progress:
        from tqdm import tqdm

        steps = tqdm(steps, desc=label, leave=False)
    t0 = time.perf_counter()
    recent = []
    for _ in steps:
        idx = torch.randint(0, records.shape[0], (config.batch,), generator=gen).to(device)
        loss = loss_fn(
            model,
            {k: v[idx] for k, v in data.items()},
            pos,
            config.mse_weight,
            codec.scheme == "xVal",
        )
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        sched.step()
        recent = (recent + [loss.item()])[-20:]
    return model, init_embedding, float(np.mean(recent)), time.perf_counter() - t0


def _grid(config, refine: int) -> np.ndarray:
    h = config.grid_step / refine
    n = int(round((config.high - config.low) / h))
    return config.low + h * np.arange(n + 1)


def _function_study(scheme, seed, config, device) -> list[dict]:
    codec = Codec(scheme, exponents=tuple(config.exponents))
    fseed = 1000 * seed
    train_r = function_records(
        config.n_train, low=config.low, high=config.high, gap=config.gap, seed=fseed + 1
    )
    model, init_emb, loss, secs = train(codec, train_r, config, seed, device, f"fn {scheme}")
    test_r = function_records(
        config.n_test, low=config.low, high=config.high, gap=config.gap, seed=fseed + 2
    )
    gap_r = function_records(
        config.n_test // 4, low=config.gap[0], high=config.gap[1], seed=fseed + 3
    )
    gap_r = gap_r[(gap_r[:, 0] > config.gap[0]) & (gap_r[:, 0] < config.gap[1])]

    def pred(R):
        return predict(model, codec, codec.encode(R, masked=1), device)

    coarse, fine = _grid(config, 1), _grid(config, config.refine)
    p_coarse = pred(np.stack([coarse, coarse**2], 1))
    p_fine = pred(np.stack([fine, fine**2], 1))
    row = {
        "study": "function",
        "scheme": scheme,
        "seed": seed,
        "train_loss": loss,
        "seconds": secs,
        "train_rel_error": M.rel_error(pred(train_r[:1024]), train_r[:1024, 1]),
        "test_rel_error": M.rel_error(pred(test_r), test_r[:, 1]),
        "gap_rel_error": M.rel_error(pred(gap_r), gap_r[:, 1]),
        "jump_coarse": M.max_jump(p_coarse),
        "jump_fine": M.max_jump(p_fine),
        "jump_ratio": M.jump_ratio(p_coarse, p_fine),
        "curve_a": coarse[::4].tolist(),
        "curve_pred": p_coarse[::4].tolist(),
    }
    rows = [row]
    emb = model.token_embedding.weight.detach().double().cpu().numpy()
    if scheme == "xVal":
        rows.append(_ray_row(model, codec, seed, config))
    elif scheme != "P10":
        rows.append(_geometry_row(codec, train_r, emb, init_emb, seed))
    return rows


def _number_tokens(codec: Codec, records: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Ids of the per-number tokens seen as inputs, and the value each stands for."""
    ids = np.unique(codec.encode(records, masked=1)["ids"][:, : codec.per_number])
    toks = [codec.tokens[i] for i in ids]
    if codec.scheme == "FP15":
        keep = [(i, N.decode([t], "FP15")) for i, t in zip(ids, toks, strict=True)]
    else:  # P1000 mantissas "123", B1999 signed mantissas "+123"
        keep = [
            (i, float(int(t))) for i, t in zip(ids, toks, strict=True) if t.lstrip("+-").isdigit()
        ]
    return np.array([k[0] for k in keep]), np.array([k[1] for k in keep])


def _geometry_row(codec, records, emb, init_emb, seed) -> dict:
    ids, vals = _number_tokens(codec, records)
    return {
        "study": "geometry",
        "scheme": codec.scheme,
        "seed": seed,
        "trained": M.embedding_order(emb[ids], vals, seed=seed),
        "init": M.embedding_order(init_emb[ids], vals, seed=seed),
    }


def _ray_row(model, codec, seed, config) -> dict:
    """The trained xVal input geometry, float64: recover x from LN(x e + p) (the first layer's
    LayerNorm without its affine part) and LN(x e) = LN(3 x e) without the position."""
    e = model.token_embedding.weight[codec.index["[NUM]"]].detach().double().cpu().numpy()
    p = model.position_embedding.weight[0].detach().double().cpu().numpy()
    x = np.linspace(config.low, config.high, 101)
    h = N.layer_norm(x[:, None] * e + p)
    rec = N.recover(h, e, p)
    no_pos = N.layer_norm(x[:, None] * e) - N.layer_norm(3 * x[:, None] * e)
    c, a, b = N.ray_geometry(e, p)
    win = N.dynamic_range(e, p, angle_resolution=1e-3, rel_error=0.01)
    return {
        "study": "ray",
        "scheme": "xVal",
        "seed": seed,
        "recover_max_rel_error": float(np.max(np.abs(rec - x) / np.abs(x))),
        "no_position_max_diff": float(np.max(np.abs(no_pos))),
        "c": c,
        "a": a,
        "b": b,
        "knee_b_over_c": b / c,
        "window_sigma1e-3_r0.01": win.positive,
    }


def _frequency_study(scheme, seed, config, device) -> list[dict]:
    codec = Codec(scheme, exponents=tuple(config.exponents))
    values = np.round(1.0 + 0.01 * np.arange(config.n_values), 2)
    prior = N.zipf_prior(config.n_values, config.zipf_exponent, seed=seed)
    fseed = 1000 * seed + 500
    train_r = frequency_records(config.n_train, values, prior, config.sigma, seed=fseed + 1)
    model, _, loss, secs = train(codec, train_r, config, seed, device, f"freq {scheme}")
    test_r = frequency_records(config.n_test, values, prior, config.sigma, seed=fseed + 2)
    pred = predict(model, codec, codec.encode(test_r, masked=1), device)
    bayes = N.bayes_predictions(values, prior, test_r[:, 0], sigma=config.sigma)
    ref = bayes.mean if scheme == "xVal" else bayes.map
    theory = N.overprediction_ratio(values, prior, sigma=config.sigma, k=config.top_k)
    return [
        {
            "study": "frequency",
            "scheme": scheme,
            "seed": seed,
            "train_loss": loss,
            "seconds": secs,
            "mae": float(np.mean(np.abs(pred - test_r[:, 1]))),
            "bayes_mae": float(np.mean(np.abs(ref - test_r[:, 1]))),
            "ratio": M.overprediction(pred, test_r[:, 1], values, prior, config.top_k),
            "bayes_ratio_sample": M.overprediction(ref, test_r[:, 1], values, prior, config.top_k),
            "theory_ratio_map": theory.map,
            "theory_ratio_mean": theory.mean,
            "scatter_true": test_r[:400, 1].tolist(),
            "scatter_pred": pred[:400].tolist(),
        }
    ]


def exact_rows(config) -> dict:
    """Definitional quantities: tokens per number from the codec's arrays, and torch's float64
    LayerNorm (eps = 0) of x e against sign(x) LN(e) from memtheory."""
    rng = np.random.default_rng(0)
    counts = {}
    for s in N.SCHEMES:
        c = Codec(s, n_numbers=4, exponents=tuple(config.exponents))
        R = rng.uniform(0.1, 9.0, size=(8, 4))
        counts[s] = c.encode(R, masked=0)["ids"].shape[1] / 4
    diffs = []
    for _ in range(50):
        e = rng.normal(size=32)
        x = float(rng.choice([-1, 1]) * 10 ** rng.uniform(-4, 4))
        t = torch.nn.functional.layer_norm(torch.tensor(x * e, dtype=torch.float64), (32,), eps=0)
        diffs.append(np.max(np.abs(t.numpy() - np.sign(x) * N.layer_norm(e))))
    return {"tokens_per_number": counts, "ln_identity_max_diff": float(max(diffs))}


def _key(row) -> tuple:
    return (row["study"], row["scheme"], row["seed"])


def run(config) -> dict:
    """Train and measure every (study, encoding, seed); write and resume when ``config.out``."""
    t0 = time.perf_counter()
    device = resolve_device(config.device)
    cfg = dataclasses.asdict(config)
    out = Path(config.out) if config.out else None
    rows: list[dict] = []
    if out is not None:
        meta = out / "config.json"
        stored = to_jsonable(cfg | {"out": None, "progress": None})
        if meta.exists() and read_jsonl(meta)[0] != stored:
            (out / "results.jsonl").unlink(missing_ok=True)  # another config: start over
        atomic_write_json(meta, stored, indent=None)
        if (out / "results.jsonl").exists():
            rows = read_jsonl(out / "results.jsonl")
    done = {_key(r) for r in rows}
    with torch_threads(config.threads):
        for seed in range(config.seeds):
            for study in STUDIES:
                for scheme in config.schemes:
                    if (study, scheme, seed) in done:
                        continue
                    fn = _function_study if study == "function" else _frequency_study
                    for r in fn(scheme, seed, config, device):
                        rows.append(r)
                        if out is not None:
                            append_jsonl(out / "results.jsonl", r)
    result = {
        "config": cfg,
        "exact": exact_rows(config),
        "function": [r for r in rows if r["study"] == "function"],
        "frequency": [r for r in rows if r["study"] == "frequency"],
        "geometry": [r for r in rows if r["study"] == "geometry"],
        "ray": [r for r in rows if r["study"] == "ray"],
        "seconds": time.perf_counter() - t0,
    }
    if out is not None:
        from empirical.experiments.numbers.figures import write_figures
        from empirical.experiments.numbers.report import summary_markdown

        result["figures"] = write_figures(result, out)
        atomic_write_text(out / "summary.md", summary_markdown(result))
    return result
