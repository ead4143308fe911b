"""MPP normalization identities measured: RevIN equivariance, normalized-MSE gradient shares,
the sub-sampled field embedding's variance (McCabe et al. 2023, arXiv 2310.02994). Numpy only."""
