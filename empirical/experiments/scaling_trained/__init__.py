"""Trained associative memories on the grid of arXiv 2310.02984 (Sec. 4): error vs d, T, optimizer.

The memory ``logits = LN(E[x] W) U^T`` over M answers (``empirical.models.memories.zipf_memory``) is
trained as the paper trains it (SGD, or Adam with betas (0, 0) at lr/d for W and lr/sqrt(d) for
the embeddings; batch B; one pass over T fresh Zipf samples) on every cell of a grid (d, lr, B,
T, optimizer, model, LayerNorm, seed). Cells are sharded by task id (``--shard``/``--num-shards``)
and run locally or as a submitit job array (``--executor``); each finished job writes its cells,
one JSON line each, under ``OUT/cells/`` so an interrupted run resumes without redoing them.

    python -m empirical.experiments.scaling_trained --profile quick --out runs/scaling_trained

Modules: ``config`` (grid and profiles; no torch), ``cells`` (expand, shard, run a chunk),
``run``, ``summary`` (seed means, predictions, slopes), ``report``, ``figures``, ``claims``.
This is a sibling of ``empirical.experiments.scaling`` (fixed memory formulas) rather than part
of it: its run is a sharded grid of independent cells with its own resume store and executor.
"""
