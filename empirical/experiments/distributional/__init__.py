"""Distributional associations vs in-context reasoning: FF stores the noise, attention recalls.

Chen, Bruna & Bietti 2024 (arXiv 2406.03068), on the trigger task of Bietti et al. 2023
(arXiv 2306.00802). A two-layer transformer (frozen random embeddings, :math:`W_Q = I`, FF in both
blocks, no LayerNorm) is trained on noisy in-context recall: after a trigger, the next token is a
fixed noise token :math:`\\tau` with probability :math:`\\alpha`, else the sequence's answer
:math:`\\bar y`. Measured (per seed) on a clean test set (:math:`\\alpha = 0`) at trigger positions
whose answer already appeared in context:

1. ``bayes-floor``: the noisy training loss at those positions against :math:`h(\\alpha)`
   (:func:`memtheory.dynamics.noisy_recall_bayes_floor`);
2. ``calibration``: the predicted probability of :math:`\\tau` is about :math:`\\alpha`;
3. ``ff-stores-noise``: the second FF layer read through the unembedding predicts :math:`\\tau`
   (logit lens at the positions, and the paper's noise-logit margin of
   :math:`W_U\\,\\mathrm{FF}_2(e_q)`), while ``attn-recalls``: the second attention layer's output
   predicts :math:`\\bar y`;
4. ``truncation``: replacing the second FF layer's output matrix by its best rank
   :math:`\\lfloor\\rho d\\rfloor` approximation (:math:`\\rho = 0` removes the layer) raises clean
   in-context accuracy;
5. the Birth-of-a-Transformer memory probes are reported alongside: :math:`W_O^2` (answer-pool
   tokens copied to their own unembedding), :math:`W_K^2` (each trigger's query picks the key
   :math:`W_K^2W_O^1W_V^1e_q` of its own token among all tokens) and :math:`W_K^1` (positional
   previous-token attention).

Layout: ``config`` (sizes and profiles, no torch), ``metrics`` (training and the probes), ``run``,
``claims``, ``report``, ``figures``.
"""
