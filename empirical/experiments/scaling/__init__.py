"""Scaling laws of associative memories under Zipf data: error against d and against T.

Outer-product memories ``W_q = sum_x q(x) u_{f(x)} e_x^T`` (frozen random unit embeddings,
``f(x) = x mod M``) built from the counts of ``T`` i.i.d. Zipf(alpha) tokens with the schemes of
Cabannes, Dohmatob & Bietti (arXiv 2310.02984): ``uniform`` (q = 1 on seen tokens), ``power``
(q = p_hat^rho), ``threshold`` (q = 1 on the floor(d / r) most frequent seen tokens). The
population error ``sum_x p(x) 1{f_hat(x) != f(x)}`` is measured

* against d at a fixed large T (one data set per seed, the memory size varies), and
* against T at a fixed large d (one embedding draw per seed, fresh data per T),

over several seeds; the log-log slopes over a stated range are printed beside
``memtheory.scaling.exponent_d`` / ``exponent_T`` (asymptotic) and beside the slope of
``memtheory.scaling.scheme_error`` (finite-size mean-field prediction) over the same range.

    python -m empirical.experiments.scaling --profile quick --out runs/scaling

Modules: ``config`` (sizes, profiles; no torch), ``metrics`` (errors and slopes), ``run``,
``report``, ``figures``, ``claims``. The trained memories of the paper's Section 4 grid are the
sibling experiment ``empirical.experiments.scaling_trained``.
"""
