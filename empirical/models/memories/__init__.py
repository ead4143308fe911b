"""Memory models: networks that store a set of facts (token -> answer pairs) in their weights,
as opposed to the graph-task sequence models one level up in ``empirical.models``.

* ``assoc_memory``: linear (outer-product or trained) and MLP associative memories on frozen
  random embeddings (capacity experiment; arXiv 2412.06538 Sec. 3, arXiv 2310.02984);
* ``zipf_memory``: the trained Zipf associative memory of arXiv 2310.02984 Sec. 4
  (scaling_trained experiment);
* ``factual``: the one-layer softmax-attention + MLP and the linear-attention models of the
  factual-recall paper (arXiv 2412.06538 Sec. 4);
* ``two_layer``: the two-layer Transformer of noisy in-context recall (arXiv 2406.03068), whose
  feed-forward layers store the facts.

Importing this package loads nothing; torch loads with ``zipf_memory``, ``factual`` or
``two_layer`` (``assoc_memory`` loads torch only inside its training functions).
"""
