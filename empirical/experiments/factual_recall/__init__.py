"""Factual recall: linear-attention sequential learning, attention/MLP trade-off, facts vs params.

Nichani, Lee & Bietti 2024, *Understanding Factual Recall in Transformers via Associative
Memories* (arXiv 2412.06538). Predictions come from :mod:`memtheory.dynamics` (plateau levels,
population gradient-descent curves of the one-hot linear-attention model),
:mod:`memtheory.capacity` (the paper's fitted facts-per-parameter constant) and the success
boundary the paper draws in Fig. 4 (right) (:mod:`.boundary`).

1. ``sequential``: the one-hot linear-attention model of Fig. 5 (structured facts, init
   ``1e-5``, plain minibatch GD) passes through a plateau at :math:`\\ln(RD)`, then a
   "hallucination" plateau at :math:`\\ln D` (relation known, subject not), then converges; the
   relation loss drops before the subject loss. Measured: the loss at the flattest point between
   the two drops, the initial plateau, the escape steps, against the population GD recursion.
2. ``tradeoff``: the one-layer softmax transformer (frozen random embeddings) on a list of
   ``(H, m)`` cells: reaching 99% needs either enough attention or enough MLP parameters;
   ablations show which block holds the facts; the cells are classified by Fig. 4 (right).
3. ``sweep``: the largest ``S = R`` stored at 99% accuracy for a few ``d`` (bisection started at
   the paper's prediction, learning-rate search), facts per parameter against the paper's 0.15.

Layout: ``config`` (sizes and profiles, no torch), ``boundary`` (Fig. 4 right, no torch),
``metrics`` (models trained and measured), ``run``, ``claims``, ``report``, ``figures``.
"""
