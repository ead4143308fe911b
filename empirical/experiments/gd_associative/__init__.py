"""Gradient descent on one associative memory: margins, loss rate, spikes, Hessian, d = 2.

Cabannes, Simsek & Bietti 2024, *Learning Associative Memories with Gradient Descent*
(arXiv 2402.18724). The measurement is full-batch GD on the full matrix ``W`` written in torch
(float64, the cross-entropy gradient written out; the Hessian check uses autograd), in
:mod:`.metrics`; every prediction comes from :mod:`memtheory.dynamics`.

What is measured (:mod:`.run`; the claims that judge it are in :mod:`.claims`):

1. margins: with orthonormal embeddings, the measured margins against the scalar recursion
   :math:`m_{t+1}=m_t+\\eta p(x)M/(e^{m_t}+M-1)`;
2. log growth: the slope :math:`dm/d\\ln t` over the last decade against the continuous-time flow
   (tending to 1: :math:`m_t\\approx\\ln(\\eta p M t)`);
3. loss rate: :math:`\\mathcal L_T\\cdot\\eta M T/(N(M-1))` (tends to 1);
4. no oscillation: the largest one-step loss increase under orthonormal GD;
5. spikes: two correlated (cosine 0.95), imbalanced (:math:`p_1 = 0.75`) tokens at a small and a
   large step, against the reduced 2-D map;
6. sweep: the paper's grid of :math:`(p_1,\\eta,\\alpha)`: loss increases below the monotone step
   bound, first step at full accuracy against the step;
7. Hessian: the closed form against autograd;
8. underparameterized: :math:`d = 2`, :math:`M = 2`: how often GD's 0-1 error at convergence
   exceeds the best linear rule's, against the logistic minimizer (GD step: the monotone step
   bound of each draw).

``python -m empirical.experiments.gd_associative --profile quick --out DIR``.
"""
