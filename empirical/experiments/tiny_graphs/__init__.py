r"""Tiny graphs: associative versus geometric memory of edges (geometric-memory paper, §C.3).

Noroozizadeh, Nagarajan, Rosenfeld & Kumar 2025, *Deep sequence models tend to memorize
geometrically; it is unclear why* (arXiv 2510.26745), Observations 3a, 4, 5, 7 and the v2/v3
released tiny-graph notebooks (notes §4.4, §5, §6.2, §10, §15 B-C).

Every model of :mod:`empirical.models` (``transformer``, ``mamba``, ``one-layer``, ``node2vec``
and the frozen-embedding controls ``transformer-frozen``, ``mamba-frozen``,
``one-layer-frozen``) is trained on the edges of the paper's four tiny graphs (path-star 4x5,
grid 4x4, cycle 15, the two-component irregular graph; any ``--graph`` spec adds one), in both
directions, with and without self-edges ``u -> u``, over several seeds. The seeds of one
(graph, model, self-edges) cell are trained *at once* along a batched model axis
(:mod:`empirical.training.batched`). Recipes are the released tiny-graph ones (notes §4.4, see
:func:`recipe`); training runs for the recipe's step budget (the paper trains "until 100% edge
memorization"; the released notebooks use fixed epoch budgets, which is what the geometry
claims need) and the first step at which memorization is complete is recorded.

Tracked at log-spaced steps, for each seed (``E``: the ``n`` node rows of the tied token
embedding; ``Z``: the ``n x n`` logit matrix of the model for input ``[EDGE] u``, node
columns only):

* ``topk_recovery``: top-deg edge recovery from ``Z`` (``memtheory.geometry
  .topk_edge_recovery(scores=Z)``, the paper's memorization criterion: every node's
  neighbours among its top-deg logits); ``embedding_topk_recovery``: the same from
  :math:`EE^\top` (the released metric);
* ``mean_edge_cosine``: mean over directed graph edges (no self-edges) of
  :math:`\cos(E_u, E_v)`, the released "geometric level";
* ``spectral_energy``: fraction of :math:`\lVert E\rVert_F^2` inside the predicted Node2Vec
  subspace (``memtheory.spectral.node2vec_prediction``: the Fiedler-like top eigenvectors of
  :math:`-L`), uncentered; an isotropic (random) embedding scores
  ``spectral_baseline`` = k/n in expectation;
* ``zigzag_energy``: fraction of :math:`\lVert E\rVert_F^2` inside the span of the
  eigenvectors of :math:`S = D^{-1}A + (D^{-1}A)^\top` (equivalently of :math:`-L = S - 2I`)
  whose eigenvalue of ``S`` is **negative** (below :math:`-10^{-9}\max|\lambda(S)|`), i.e.
  eigenvalue of :math:`-L` below -2: the "highly negative", sign-alternating eigen-directions
  the authors call zigzag geometry (notes §10.2). Always computed on the graph *without*
  self-edges, so the two arms of claim 4 are measured against the same directions; the
  isotropic expectation is ``zigzag_baseline`` = (#negative eigenvalues)/n;
* ``skewed_top1`` / ``skewed_margin``: for the 1-layer networks the exact released "skewed
  low-rank" decomposition ``memtheory.geometry.skewed_low_rank(E, W^T, b)``; for the other
  models (no single bilinear core) its logit-level generalization: with the thin SVD
  :math:`E = U\Sigma V_h`, :math:`Z' = \sum_i (u_i^\top Z u_i)\,u_iu_i^\top` (the part of ``Z``
  diagonal in the embedding's left singular basis; for ``Z = E W E^T`` it is exactly the
  released :math:`E W' E^\top`), scored with ``edge_top1_margin``; ``full_top1``/``full_margin``
  are the same scores of ``Z`` itself. These four always exclude the diagonal and score the
  graph's edges (the released "self excluded"), with or without self-edges in training.

Claims: :mod:`empirical.experiments.tiny_graphs.claims` (memorization, geometry versus the
frozen controls, Node2Vec torch versus theory, self-edges and zigzag geometry, associative
before geometric, the knobs, the net above its frozen control), judged on the aggregated blocks
of :mod:`empirical.experiments.tiny_graphs.aggregate`.

Modules: ``config`` (config, profiles, recipes, flags; no torch), ``metrics``, ``train``,
``store`` (resume), ``run`` (``run(config) -> dict``), ``aggregate``, ``claims``, ``report``,
``figures``, ``__main__``.

Run ``python -m empirical.experiments.tiny_graphs --profile quick --out DIR [--json]
[--graph SPEC ...]``. Outputs in ``DIR``: ``results.jsonl`` (one line per graph x model x
self-edges x seed, plus the claim-3, associative-fast and claim-6 runs, each with its
config), ``arrays/*.npz`` (final embeddings and logits), PNG figures and ``summary.md``.
Rerunning with the same ``--out`` skips every record already in ``results.jsonl`` made with
the same settings.
"""
