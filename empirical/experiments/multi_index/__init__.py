"""Gaussian multi-index models: the population gradient flow on the overlap M, two-timescale and
planted (Bietti, Bruna & Pillaud-Vivien 2023, arXiv 2310.19793). Numpy/scipy only."""
