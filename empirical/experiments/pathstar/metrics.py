"""What the path-star experiment measures: held-out and training path accuracies at each
evaluation step, the leaf/first-hop geometry, the summary of a learning curve, and the training
throughput (FLOP/s) beside the machine's measured matmul FLOP/s."""

from __future__ import annotations

import time

import numpy as np
import torch

from empirical.measure.decoding import path_accuracy
from empirical.tasks.pathstar import path_prefixes, path_targets
from empirical.tasks.tokens import IGNORE


def param_flops_per_token(model, vocab_size: int, labels=None) -> float:
    """Training FLOPs per token: :math:`6N` (Kaplan et al. 2020) for the trunk, plus
    :math:`6Vd` for the (tied) head times the fraction of positions that carry a label in
    ``labels`` (the loss applies the head there only,
    :func:`empirical.training.train.model_loss`)."""
    n = 0
    for name, p in model.named_parameters():
        if name in ("token_embedding", "pos_embedding", "lm_head_weight"):
            continue
        n += p.numel()
    d = model.token_embedding.shape[1]
    labelled = 1.0 if labels is None else float((torch.as_tensor(labels) != IGNORE).float().mean())
    return 6.0 * (n + vocab_size * d * labelled)


def measure_matmul_flops(
    size: int = 256, repeats: int = 20, threads: int = 1, trials: int = 5
) -> float:
    """Measured float32 matmul FLOP/s of this machine (``threads`` intra-op threads, now): the
    best of ``trials`` timings of ``repeats`` products (one timing of 7 ms was once disturbed
    enough to print a utilization of 138%; the best of several is the machine's rate)."""
    old = torch.get_num_threads()
    torch.set_num_threads(threads)
    try:
        a, b = torch.randn(size, size), torch.randn(size, size)
        a @ b
        best = float("inf")
        for _ in range(trials):
            t0 = time.perf_counter()
            for _ in range(repeats):
                a @ b
            best = min(best, time.perf_counter() - t0)
    finally:
        torch.set_num_threads(old)
    return 2.0 * size**3 * repeats / max(best, 1e-9)


def split_metrics(model, task, split: str, limit: int | None, candidates=None) -> dict:
    """Path accuracies of the first ``limit`` paths of ``split`` (``train`` or ``heldout``)."""
    pre = path_prefixes(task, split)
    tgt = torch.as_tensor(path_targets(task, split))
    if limit is not None and pre.shape[0] > limit:
        pre, tgt = pre[:limit], tgt[:limit]
    return path_accuracy(model, pre, tgt, decision_index=task.decision_index, candidates=candidates)


def embedding_contrast(model, task) -> dict:
    """Leaf/first-hop cosine contrast of the held-out arms
    (:func:`memtheory.geometry.leaf_first_hop_contrast`)."""
    from empirical.measure.probes import embeddings
    from memtheory.geometry import leaf_first_hop_contrast

    X = embeddings(model, task.graph.n)
    arms = task.arms[task.heldout_arms]
    out = leaf_first_hop_contrast(X, arms[:, -1], arms[:, 0])
    return {"contrast": out.contrast, "diag_rank_acc": out.diag_rank_acc}


def make_eval(task, config, step_offset: int = 0, last_step: int | None = None):
    """The evaluation callback of one training phase: held-out and training path accuracies
    (:func:`empirical.measure.decoding.path_accuracy`, greedy decoding batched) and the
    leaf/first-hop contrast, at step ``step + step_offset``; all held-out paths at ``last_step``,
    else at most ``config.eval_heldout_max`` of them."""
    cands = task.candidates("heldout")

    def eval_fn(model, step):
        limit = None if step == last_step else config.eval_heldout_max
        ho = split_metrics(model, task, "heldout", limit, candidates=cands)
        tr = split_metrics(model, task, "train", config.eval_train_max)
        row = {
            "global_step": step + step_offset,
            "heldout_first_token_acc": ho["first_token_acc"],
            "heldout_exact_match": ho["exact_match"],
            "heldout_restricted_acc": ho["restricted_acc"],
            "heldout_per_position": ho["per_position"],
            "heldout_teacher_forced_per_position": ho["teacher_forced_per_position"],
            "train_first_token_acc": tr["first_token_acc"],
            "train_exact_match": tr["exact_match"],
            "train_per_position": tr["per_position"],
            "train_teacher_forced_acc": tr["teacher_forced_acc"],
        }
        row.update({f"heldout_{k}": v for k, v in embedding_contrast(model, task).items()})
        return row

    return eval_fn


def summarize(
    history: list[dict],
    keys_peak=("heldout_first_token_acc", "heldout_exact_match", "heldout_restricted_acc"),
) -> dict:
    """Final values, peaks (value and step) and the step summaries the claims read, from one
    run's evaluation history."""
    last = history[-1]
    out = {}
    for key in (
        "heldout_first_token_acc",
        "heldout_exact_match",
        "heldout_restricted_acc",
        "train_first_token_acc",
        "train_exact_match",
        "heldout_contrast",
        "heldout_diag_rank_acc",
        "heldout_per_position",
        "heldout_teacher_forced_per_position",
        "train_per_position",
    ):
        out[key] = last.get(key)
    for key in keys_peak:
        vals = [(h[key], h["global_step"]) for h in history if h.get(key) is not None]
        if vals:
            best = max(vals, key=lambda v: v[0])
            short = key.removesuffix("_acc")  # heldout_first_token_peak, ...
            out[f"{short}_peak"] = best[0]
            out[f"{short}_peak_step"] = best[1]
    # claim 6: geometry before any held-out path is right; claim 7: steps to fit training paths
    first_right = next(
        (h["global_step"] for h in history if (h.get("heldout_exact_match") or 0) > 0), None
    )
    geom = next((h["global_step"] for h in history if (h.get("heldout_contrast") or 0) > 0.2), None)
    fit = next(
        (h["global_step"] for h in history if (h.get("train_exact_match") or 0) >= 0.9), None
    )
    out["first_step_heldout_path_right"] = first_right
    out["initial_contrast"] = history[0].get("heldout_contrast")
    out["first_step_contrast_above_0.2"] = geom
    out["contrast_when_first_path_right"] = next(
        (h.get("heldout_contrast") for h in history if (h.get("heldout_exact_match") or 0) > 0),
        None,
    )
    out["steps_to_fit_train_paths"] = fit
    return out


def curve(history: list[dict]) -> list[dict]:
    """The learning curve kept in a record (one dict per evaluation step)."""
    keys = (
        "global_step",
        "loss",
        "heldout_first_token_acc",
        "heldout_exact_match",
        "heldout_restricted_acc",
        "train_first_token_acc",
        "train_exact_match",
        "heldout_contrast",
        "heldout_per_position",
        "train_teacher_forced_acc",
    )
    return [{k: h.get(k) for k in keys} for h in history]


_PREDICTIONS: dict = {}  # graph -> its predicted subspace: a process reuses it across runs


def _prediction(graph) -> np.ndarray:
    """``memtheory.spectral.node2vec_prediction(graph)``, computed once per graph and process
    (a dense eigendecomposition: seconds for the 1,201-node graph, which 6 runs share)."""
    from memtheory.spectral import node2vec_prediction

    def frozen(v):  # a hashable, exact copy of a graph field (arrays by shape and bytes)
        if isinstance(v, dict):
            return tuple(sorted((str(k), frozen(x)) for k, x in v.items()))
        a = np.asarray(v)
        return (a.dtype.str, a.shape, a.tobytes()) if a.dtype != object else repr(v)

    key = (graph.n, frozen(graph.edges), frozen(graph.meta or {}))
    if key not in _PREDICTIONS:
        _PREDICTIONS[key] = node2vec_prediction(graph)
    return _PREDICTIONS[key]


def predicted_energy(X: np.ndarray, graph) -> tuple:
    """Energy of the centred node embeddings in the predicted Node2Vec subspace.

    The subspace is :func:`memtheory.spectral.node2vec_prediction` (top eigenvector of
    :math:`-L` plus its Fiedler-like cluster; arXiv 2510.26745 Observation 4), the energy
    :func:`memtheory.geometry.subspace_energy` with ``center=True``. Returns ``(energy, k)``;
    a random ``k``-dimensional subspace holds :math:`k/n` in expectation.
    """
    from memtheory.geometry import subspace_energy
    from memtheory.spectral import node2vec_prediction

    try:
        basis = _prediction(graph)
        return subspace_energy(X, basis, center=True), int(basis.shape[1])
    except ValueError:  # too many columns to densify (d = 5000): use the sparse orthonormal basis
        Q = node2vec_prediction(graph, sparse=True)
        Xc = X - X.mean(axis=0, keepdims=True)
        inside = float(np.sum(np.asarray(Q.T @ Xc) ** 2))
        return inside / float(np.sum(Xc * Xc)), int(Q.shape[1])


def geometry_summary(model, task, n_show: int = 40) -> dict:
    """Final geometry of one in-weights run: heatmap, path distances, PCA, spectral energy."""
    from empirical.measure.probes import embeddings
    from memtheory.geometry import leaf_first_hop_contrast, path_distance_matrix

    X = embeddings(model, task.graph.n)
    ho = task.arms[task.heldout_arms]
    lf = leaf_first_hop_contrast(X, ho[:, -1], ho[:, 0])
    D = path_distance_matrix(X, ho)
    off = ~np.eye(D.shape[0], dtype=bool)
    out = {
        "heatmap": lf.heatmap[:n_show, :n_show],
        "contrast": lf.contrast,
        "diag_rank_acc": lf.diag_rank_acc,
        "path_distance": D[:n_show, :n_show],
        "path_diag_mean": float(np.mean(np.diag(D))),
        "path_offdiag_mean": float(np.mean(D[off])),
        "subspace_energy": None,
        "subspace_energy_random": None,
    }
    try:
        energy, k = predicted_energy(X, task.graph)
        out.update(subspace_energy=energy, subspace_k=k, subspace_energy_random=k / task.graph.n)
    except (ImportError, ValueError, RuntimeError) as exc:  # report, do not hide
        out["subspace_error"] = str(exc)
    # 2-D PCA of the non-root nodes of a few arms, coloured by arm
    arms_show = task.arms[np.concatenate([task.heldout_arms[:5], task.train_arms[:5]])]
    nodes = arms_show.ravel()
    Y = X[nodes] - X[nodes].mean(0)
    _, _, vt = np.linalg.svd(Y, full_matrices=False)
    out["pca"] = Y @ vt[:2].T
    out["pca_arm"] = np.repeat(np.arange(arms_show.shape[0]), arms_show.shape[1])
    out["pca_pos"] = np.tile(np.arange(arms_show.shape[1]), arms_show.shape[0])
    out["pca_heldout"] = np.repeat(
        np.arange(arms_show.shape[0]) < min(5, ho.shape[0]), arms_show.shape[1]
    )
    return out
