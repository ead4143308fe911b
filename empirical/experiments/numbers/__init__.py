"""xVal vs digit-token encodings: continuity, a held-out gap, frequency bias, embedding geometry.

Golkar et al. 2023, *xVal* (arXiv 2310.02989); notes ``../shared/papers/xval.md``; pages
``docs/theory/numbers.md`` and ``docs/experiments/numbers.md``. ``config`` holds the profiles,
``run`` the experiment (torch), ``claims`` the claims.
"""
