"""Node2Vec's spectral bias, measured with the exact float64 dynamics (arXiv 2510.26745, Sec. 4).

For each of the paper's tiny graphs and each seed, run full-batch gradient ascent on Eq. 1
(``memtheory.spectral.node2vec_dynamics``: V <- V + lr C V, tied embeddings, full softmax, no
bottleneck: dim 100 > n) and record, over training, the effective and numerical rank of V, the
energy of V outside the predicted subspace (``memtheory.spectral.node2vec_prediction``), the
largest principal angle to it, and ||C V||_F (Observation 4 / 7). Also checks Lemma 5 against a
finite-difference gradient and the cycle's closed-form spectrum, so that the claims about the
theory itself have a measurement too. With ``config.eigenbasis`` (default on), also run the
dynamics from a small initialization and record the overlap of V with each eigen-cluster of -L
against the linearized prediction (``eigenbasis``, an extension).

    python -m empirical.experiments.spectral --profile quick --out runs/spectral

Modules: ``config`` (graphs, dynamics settings, profiles; no torch), ``metrics`` (the Lemma 5
and cycle-spectrum checks), ``eigenbasis``, ``run``, ``report``, ``figures``, ``claims``.
"""
