"""MPP (McCabe et al. 2023, arXiv 2310.02994) measured. Normalization identities (numpy):
RevIN equivariance, normalized-MSE gradient shares, the sub-sampled field embedding's variance.
The Fourier toy (torch, one thread): exact 1-D periodic advection, diffusion and
advection-diffusion (``memtheory.periodic_pde``); transfer from pretraining on two systems to
the third against training from scratch, and multi-task interference against width."""
