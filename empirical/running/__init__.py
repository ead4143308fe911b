"""Running and recording experiments: ``experiment`` (the shared ``experiment_main`` CLI),
``results`` (atomic writes, result records, figures), ``sweep`` (one process pool, SLURM through
submitit) and ``runtime`` (device, seeding, threads, evaluation mode).

Importing this package loads nothing; each module loads only what it needs.
"""
