"""Capacity of associative memories: largest N stored at full accuracy, beside the prediction.

Measures, by exponential search then bisection over N (several seeds, frozen i.i.d. embeddings
uniform on the unit sphere, facts f(x) = x with M = N unless stated):

* the outer-product (correlation-matrix) memory ``W = sum_x u_x e_x^T`` of a ``d x d`` matrix
  (no training; exact integer bisection);
* a trained ``d x d`` linear memory (full-batch cross-entropy, Adam, ``W`` from 0);
* an MLP memory ``V ReLU(W e + b)`` of width ``m`` at ``M = 32`` answers, ``f(x) = floor(xM/N)``.

For the linear memories it fits the constant ``c`` of ``d^2 = c N ln N`` (least squares through
the origin over every (d, seed) point) and prints it beside ``memtheory.capacity``'s constants;
for the MLP it fits ``m d = c N``. Claims: arXiv 2412.06538 Sec. 3-4 (Nichani, Lee & Bietti).

    python -m empirical.experiments.capacity --profile quick --out runs/capacity

Modules: ``config`` (sizes, profiles; no torch), ``metrics`` (the storage predicates, the
bisection, the fits), ``run`` (``run(config) -> dict``), ``report``, ``figures``, ``claims``.
"""
