"""Level-set teleportation on quadratics and logistic regression: KKT points, gains, rates.

Mishkin, Bietti & Gower 2024 (arXiv 2403.03362). Pure numpy (``memtheory.teleport``): no torch.
"""
