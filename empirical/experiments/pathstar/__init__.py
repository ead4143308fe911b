"""In-weights path-star: held-out path finding from memorized edges, and the geometry behind it.

Noroozizadeh, Nagarajan, Rosenfeld & Kumar (2025), arXiv 2510.26745, §2-3 and App. B-D: a model
memorizes the edges of a path-star :math:`\\mathcal{G}_{d,\\ell}` and sees root-to-leaf paths for
75% of the leaves; it must then emit the path (an :math:`(\\ell-2)`-fold composition for the
first hop :math:`v_1`) for held-out leaves. Controls: frozen token embeddings, one edge
direction, and the in-context task of Bachmann & Nagarajan (2024, arXiv 2403.06963).

Recipes (``--variant``): ``mixed`` (edges and paths interleaved, the paper's default),
``staged`` (edges, then paths), ``hardest-token`` (edges + loss on :math:`v_1` only),
``frozen-embeddings`` (the ``-frozen`` model), ``forward-edges`` (forward edges, forward path),
``backward-edges`` (backward edges, reversed path), ``in-context``; the ``pause`` runs repeat
``mixed`` with several pause counts (claim 7).

Every run evaluates at log-spaced steps (dense early, so a transient peak is seen) greedy exact
match, first-token accuracy (:math:`v_1` with the root fed), the restricted first-token accuracy
(argmax over the held-out arms' first hops only), per-position and teacher-forced accuracy on
train and held-out leaves, and the leaf/first-hop cosine contrast on held-out arms
(:func:`memtheory.geometry.leaf_first_hop_contrast`). Records carry peak and final values and
chance :math:`1/d`. Run::

    python -m empirical.experiments.pathstar --profile quick --out runs/pathstar [--json]
"""

CLI_HELP = __doc__  # --help shows the whole description
