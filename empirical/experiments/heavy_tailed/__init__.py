"""Heavy-tailed class imbalance: per-tier loss under GD, Adam and sign descent.

Kunstner, Yadav, Milligan, Schmidt & Bietti 2024 (arXiv 2402.19449). Three problems, each trained
full batch from zero with GD, Adam and sign descent (:mod:`.metrics`):

* the tiered-Zipf linear softmax model (linear layer with bias, uniform inputs; classes grouped by
  tier, each tier 1/m of the samples);
* the toolkit's Zipf associative memory (Zipf(1) inputs, bijection ``f(x) = x`` so the classes
  are as imbalanced as the inputs, Gaussian input embeddings, population cross-entropy weighted
  by the input frequencies), once with one-hot class rows (``u_y = e_y``, a last layer) and once
  with Gaussian unembeddings (classes share every weight coordinate); inputs grouped into
  equal-mass groups.

Step size: each optimizer's comes from a half-decade grid, chosen on the first seed: among the
runs that stay finite and whose total loss never rises above its initial value, the one whose
most frequent group halves its loss closest (in log ratio) to ``target_half_time`` steps, ties
to the lower final loss (:func:`.metrics.select_lr`). That puts every optimizer on the same clock
for the frequent classes, so the rare groups' half-times are compared at equal resolution.

Measured (:mod:`.run`): per problem, optimizer and seed, each group's half-loss time and the ratio
rarest over most frequent; and whether torch GD and sign descent reproduce the reduced one-hot
model (:func:`memtheory.dynamics.orthonormal_class_losses`) exactly. Claims: :mod:`.claims`.

``python -m empirical.experiments.heavy_tailed --profile quick --out DIR``.
"""
