"""Training loops: ``train`` (one model, checkpoint and resume) and ``batched`` (K small models at
once along a model axis, ``torch.func.vmap``).

Importing this package loads nothing; torch loads with ``empirical.training.train`` or
``empirical.training.batched``.
"""
