"""Symbolic checks (sympy) of every closed form that ``memtheory`` uses.

One module per ``memtheory`` module (``proofs_check.spectral`` checks ``memtheory.spectral``, ...).
Each module registers its checks with :func:`proofs_check._core.check`; ``python -m proofs_check``
runs them all and prints a table.
"""
