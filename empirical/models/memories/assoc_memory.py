"""Associative memories with frozen random embeddings: linear (outer-product or trained) and MLP.

A memory maps an input token ``x`` with frozen embedding ``e_x`` to the answer
``argmax_y u_y^T F(e_x)`` over frozen output embeddings ``u_y``:

* linear memory ``F(e) = W e`` with ``W`` a ``d x d`` matrix (Nichani, Lee & Bietti,
  arXiv 2412.06538, Sec. 3.1; Cabannes, Dohmatob & Bietti, arXiv 2310.02984, Sec. 2):
  - outer-product (correlation-matrix) rule ``W_q = sum_x q(x) u_{f(x)} e_x^T``
    (arXiv 2310.02984, Eq. 3), no training;
  - trained: ``W`` learned by full-batch cross-entropy with Adam (the capacity notebook of
    arXiv 2412.06538 uses Adam, weight decay 0, a very large learning rate, full batch);
* MLP memory ``F(e) = V ReLU(W e + b)`` with width ``m`` (arXiv 2412.06538, Sec. 3.2).

Everything here is deterministic given its ``seed``. numpy for the outer-product rule and the
readout (float64 by default), torch only inside the training functions.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from memtheory.checks import as_choice, as_float, as_int

# ------------------------------------------------------------------------------------------
# embeddings


def unit_sphere_embeddings(n: int, d: int, seed: int) -> np.ndarray:
    """``n`` i.i.d. rows uniform on the unit sphere of R^d (normalised standard Gaussians).

    Prefix-stable: the first ``k`` rows for a given seed do not depend on ``n``, so memories of
    growing size share their first facts (used by the capacity bisection). ``seed`` is an int
    or a sequence of ints (numpy ``SeedSequence`` entropy).
    """
    n = as_int("n", n, 1)
    d = as_int("d", d, 1)
    g = np.random.default_rng(seed).standard_normal((n, d))
    return g / np.linalg.norm(g, axis=1, keepdims=True)


def gaussian_embeddings(n: int, d: int, seed: int) -> np.ndarray:
    """``n`` i.i.d. rows ``N(0, I_d / d)`` (the input convention of arXiv 2310.02984's notebooks).

    Prefix-stable like :func:`unit_sphere_embeddings`.
    """
    n = as_int("n", n, 1)
    d = as_int("d", d, 1)
    return np.random.default_rng(seed).standard_normal((n, d)) / np.sqrt(d)


def make_embeddings(kind: str, n: int, d: int, seed: int) -> np.ndarray:
    """Embeddings of ``kind`` "sphere" (unit sphere) or "gaussian" (``N(0, I/d)``)."""
    as_choice("kind", kind, ("sphere", "gaussian"))
    if kind == "sphere":
        return unit_sphere_embeddings(n, d, seed)
    return gaussian_embeddings(n, d, seed)


# ------------------------------------------------------------------------------------------
# readout


def _check_memory_inputs(inputs, outputs, targets):
    inputs = np.asarray(inputs)
    outputs = np.asarray(outputs)
    targets = np.asarray(targets)
    if inputs.ndim != 2 or outputs.ndim != 2:
        raise ValueError("inputs and outputs must be 2-D embedding arrays (rows = tokens)")
    if inputs.shape[1] != outputs.shape[1]:
        raise ValueError(
            f"inputs and outputs must share the dimension d, got {inputs.shape[1]} and "
            f"{outputs.shape[1]}"
        )
    if targets.shape != (inputs.shape[0],):
        raise ValueError(f"targets must have shape ({inputs.shape[0]},), got {targets.shape}")
    if targets.size and (targets.min() < 0 or targets.max() >= outputs.shape[0]):
        raise ValueError(f"targets must lie in [0, {outputs.shape[0] - 1}]")
    return inputs, outputs, targets.astype(np.int64)


def correct_mask(
    features: np.ndarray, outputs: np.ndarray, targets: np.ndarray, chunk: int = 4096
) -> np.ndarray:
    """Boolean mask: is ``u_{f(x)}^T F_x`` strictly larger than every other ``u_y^T F_x``?

    ``features`` holds the rows ``F_x`` (the memory's output for each input). Ties count as
    wrong, so an empty memory (all scores equal) stores nothing. Computed in chunks of rows so
    the ``N x M`` score matrix never has to exist at once.
    """
    features = np.asarray(features)
    outputs = np.asarray(outputs)
    targets = np.asarray(targets, dtype=np.int64)
    out = np.empty(features.shape[0], dtype=bool)
    for start in range(0, features.shape[0], chunk):
        stop = min(start + chunk, features.shape[0])
        scores = features[start:stop] @ outputs.T
        rows = np.arange(stop - start)
        tgt = targets[start:stop]
        right = scores[rows, tgt].copy()
        scores[rows, tgt] = -np.inf
        out[start:stop] = right > scores.max(axis=1)
    return out


def linear_recall(W, inputs, outputs, targets, chunk: int = 4096) -> np.ndarray:
    """Mask of facts ``x -> targets[x]`` recalled by ``argmax_y u_y^T W e_x`` (strict argmax)."""
    inputs, outputs, targets = _check_memory_inputs(inputs, outputs, targets)
    W = np.asarray(W)
    d = inputs.shape[1]
    if W.shape != (d, d):
        raise ValueError(f"W must have shape ({d}, {d}), got {W.shape}")
    return correct_mask(inputs @ W.T, outputs, targets, chunk)


# ------------------------------------------------------------------------------------------
# outer-product memories


def outer_product_memory(inputs, outputs, targets, weights=None) -> np.ndarray:
    r"""The correlation-matrix memory :math:`W_q = \sum_x q(x)\, u_{f(x)} e_x^\top`.

    arXiv 2310.02984, Sec. 2 (``q = 1`` gives the plain Hebbian / outer-product rule of
    arXiv 2412.06538). ``weights`` is ``q`` (default all ones); tokens with ``q = 0`` are not
    stored. Returns the ``d x d`` matrix.
    """
    inputs, outputs, targets = _check_memory_inputs(inputs, outputs, targets)
    if weights is None:
        weighted = inputs
    else:
        q = np.asarray(weights, dtype=inputs.dtype)
        if q.shape != (inputs.shape[0],) or not np.all(np.isfinite(q)) or np.any(q < 0):
            raise ValueError(f"weights must be {inputs.shape[0]} finite values >= 0")
        weighted = inputs * q[:, None]
    return outputs[targets].T @ weighted


def outer_product_recall(inputs, outputs, targets, weights=None, chunk: int = 4096):
    r"""Recall mask of the outer-product memory ``W_q`` (strict argmax over all answers).

    Uses whichever association is cheaper: the ``d x d`` matrix ``W_q`` when many tokens are
    stored, or, when only ``|S|`` tokens have ``q > 0`` and ``|S| < d``, the identity
    :math:`u_y^\top W_q e_x = \sum_{x' \in S} q(x') (e_{x'}^\top e_x)(u_y^\top u_{f(x')})`
    (arXiv 2310.02984, Eq. 3), which never forms ``W_q``.
    """
    inputs, outputs, targets = _check_memory_inputs(inputs, outputs, targets)
    n, d = inputs.shape
    q = np.ones(n, dtype=inputs.dtype) if weights is None else np.asarray(weights, inputs.dtype)
    if q.shape != (n,) or not np.all(np.isfinite(q)) or np.any(q < 0):
        raise ValueError(f"weights must be {n} finite values >= 0")
    stored = np.flatnonzero(q > 0)
    if stored.size >= d:
        W = outer_product_memory(inputs, outputs, targets, q)
        return correct_mask(inputs @ W.T, outputs, targets, chunk)
    # features F_x = sum_{x' in S} q(x') (e_x' . e_x) u_{f(x')}, expressed in the answer basis
    kernel = inputs @ inputs[stored].T * q[stored]  # (n, |S|)
    answer_gram = outputs[targets[stored]] @ outputs.T  # (|S|, M)
    out = np.empty(n, dtype=bool)
    rows_all = np.arange(n)
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        scores = kernel[start:stop] @ answer_gram
        rows = rows_all[: stop - start]
        tgt = targets[start:stop]
        right = scores[rows, tgt].copy()
        scores[rows, tgt] = -np.inf
        out[start:stop] = right > scores.max(axis=1)
    return out


# ------------------------------------------------------------------------------------------
# Zipf memory schemes (arXiv 2310.02984, Sec. 3 and the scheme table of its code)

SCHEMES = ("uniform", "power", "threshold")


def scheme_weights(counts, scheme: str, *, rho: float = 1.0, top: int | None = None) -> np.ndarray:
    r"""Memory-scheme weights ``q(x)`` from the empirical counts of ``T`` samples.

    * ``"uniform"``: ``q(x) = 1`` for every seen token (``q = 1``; unseen tokens are not stored);
    * ``"power"``: ``q(x) = \hat p(x)^\rho`` with ``\hat p = counts / T`` (``\rho = 1`` is
      frequency weighting ``q = \hat p``);
    * ``"threshold"``: ``q(x) = 1`` for the ``top`` most frequent seen tokens (ties broken by the
      smaller index), 0 otherwise (arXiv 2310.02984, Prop. 4; code uses ``top = d // 8``).

    Returns float64 weights, zero on unseen tokens.
    """
    counts = np.asarray(counts)
    if counts.ndim != 1 or counts.size == 0 or np.any(counts < 0):
        raise ValueError("counts must be a non-empty 1-D array of non-negative counts")
    as_choice("scheme", scheme, SCHEMES)
    seen = counts > 0
    total = counts.sum()
    if scheme == "uniform":
        return seen.astype(np.float64)
    if scheme == "power":
        rho = as_float("rho", rho, 0.0, None)
        if total == 0:
            return np.zeros(counts.size)
        p_hat = counts / total
        q = np.zeros(counts.size)
        q[seen] = p_hat[seen] ** rho
        return q
    if top is None:
        raise ValueError("top must be given for the threshold scheme")
    top = as_int("top", top, 0)
    order = np.lexsort((np.arange(counts.size), -counts))  # by count desc, then index asc
    keep = order[:top]
    q = np.zeros(counts.size)
    q[keep[counts[keep] > 0]] = 1.0
    return q


def zipf_memory_error(inputs, outputs, targets, weights, probabilities) -> float:
    r"""Population error :math:`\sum_x p(x)\,\mathbf 1\{\hat f_q(x) \ne f_*(x)\}` of ``W_q``.

    arXiv 2310.02984, Sec. 2 (the error the paper's scaling laws describe). Ties count as
    errors.
    """
    p = np.asarray(probabilities, dtype=np.float64)
    ok = outer_product_recall(inputs, outputs, targets, weights)
    if p.shape != ok.shape:
        raise ValueError(f"probabilities must have shape {ok.shape}, got {p.shape}")
    return float(p[~ok].sum())


# ------------------------------------------------------------------------------------------
# trained memories (torch)


@dataclasses.dataclass
class TrainConfig:
    """Full-batch cross-entropy training with Adam (weight decay 0).

    ``lr``: Adam learning rate (the linear-memory fit of arXiv 2412.06538 used 1000; Adam's
    update is scale-free, so a large rate drives the logits' scale up fast and the loss then
    acts on the margin violations only). ``steps``: the budget; training stops early once
    every fact is recalled (checked every ``check_every`` steps).
    """

    steps: int = 1024
    lr: float = 1000.0
    check_every: int = 16
    betas: tuple[float, float] = (0.9, 0.999)

    def __post_init__(self):
        self.steps = as_int("steps", self.steps, 1)
        self.lr = as_float("lr", self.lr, 0.0, None, low_open=True)
        self.check_every = as_int("check_every", self.check_every, 1)


def _torch_inputs(inputs, outputs, targets, device="cpu"):
    import torch

    inputs, outputs, targets = _check_memory_inputs(inputs, outputs, targets)
    return (
        torch.as_tensor(inputs, dtype=torch.float32, device=device),
        torch.as_tensor(outputs, dtype=torch.float32, device=device),
        torch.as_tensor(targets, dtype=torch.int64, device=device),
    )


def _fit(params, logits_fn, targets, cfg: TrainConfig) -> dict:
    import torch

    opt = torch.optim.Adam(params, lr=cfg.lr, betas=cfg.betas, weight_decay=0.0)
    steps_done = 0
    acc = 0.0
    for step in range(1, cfg.steps + 1):
        opt.zero_grad(set_to_none=True)
        logits = logits_fn()
        loss = torch.nn.functional.cross_entropy(logits, targets)
        loss.backward()
        opt.step()
        steps_done = step
        if step % cfg.check_every == 0 or step == cfg.steps:
            with torch.no_grad():
                acc = _strict_accuracy(logits_fn(), targets)
            if acc == 1.0:
                break
    return {"steps": steps_done, "accuracy": acc, "loss": float(loss.detach())}


def _strict_accuracy(logits, targets) -> float:
    import torch

    rows = torch.arange(logits.shape[0], device=logits.device)
    right = logits[rows, targets].clone()
    masked = logits.clone()
    masked[rows, targets] = -torch.inf
    return float((right > masked.max(dim=1).values).double().mean())


def train_linear_memory(inputs, outputs, targets, config: TrainConfig | None = None, device="cpu"):
    """Train ``W`` (``d x d``, init 0) of ``argmax_y u_y^T W e_x`` by full-batch CE with Adam.

    arXiv 2412.06538, Sec. 3.1 (capacity notebook: Adam, weight decay 0, LR 1000, full batch).
    Embeddings stay frozen; ``W`` starts at 0, so the run is deterministic (no seed). Returns
    ``(W, info)``: ``W`` as a float64 numpy array, ``info`` with
    ``steps``, ``accuracy`` (strict argmax, float32 logits) and ``loss``.
    """
    import torch

    cfg = config or TrainConfig()
    E, U, y = _torch_inputs(inputs, outputs, targets, device)
    d = E.shape[1]
    W = torch.zeros(d, d, device=device, requires_grad=True)
    info = _fit([W], lambda: (E @ W.T) @ U.T, y, cfg)
    return W.detach().cpu().double().numpy(), info


def mlp_parameter_count(d: int, width: int) -> int:
    """Trainable parameters of ``V ReLU(W e + b)``: ``2 m d + m`` (the paper counts ``2md``)."""
    return 2 * width * d + width


def train_mlp_memory(
    inputs, outputs, targets, width: int, config: TrainConfig | None = None, seed=0, device="cpu"
):
    """Train the MLP memory ``F(e) = V ReLU(W e + b)`` of width ``m`` by full-batch CE, Adam.

    arXiv 2412.06538, Sec. 3.2 (sweep: Adam LR 3e-2). Init: ``W ~ N(0, 1/d)``, ``b = 0``,
    ``V ~ N(0, 1/m)``, from ``seed``. Returns ``(params, info)`` with ``params`` a dict of float64
    numpy arrays ``W`` (m x d), ``b`` (m,), ``V`` (d x m).
    """
    import torch

    width = as_int("width", width, 1)
    cfg = config or TrainConfig(lr=3e-2, steps=4096)
    E, U, y = _torch_inputs(inputs, outputs, targets, device)
    d = E.shape[1]
    gen = torch.Generator().manual_seed(int(seed))
    W = (torch.randn(width, d, generator=gen) / np.sqrt(d)).to(device).requires_grad_(True)
    b = torch.zeros(width, device=device, requires_grad=True)
    V = (torch.randn(d, width, generator=gen) / np.sqrt(width)).to(device).requires_grad_(True)

    def logits():
        return (torch.relu(E @ W.T + b) @ V.T) @ U.T

    info = _fit([W, b, V], logits, y, cfg)
    params = {k: t.detach().cpu().double().numpy() for k, t in (("W", W), ("b", b), ("V", V))}
    return params, info


def mlp_features(params: dict, inputs) -> np.ndarray:
    """Rows ``V ReLU(W e_x + b)`` of a trained MLP memory (float64)."""
    inputs = np.asarray(inputs, dtype=np.float64)
    return np.maximum(inputs @ params["W"].T + params["b"], 0.0) @ params["V"].T
