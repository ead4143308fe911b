"""Contextual counting: exact constructions and trained counters, in and out of distribution.

Golkar et al. 2024, arXiv 2406.02585.
The ``theory`` part checks the hand-built counter of Propositions 1-2, Proposition 3 and the
bias law in float64 (no training); the ``trained`` part trains a 1-layer 1-head encoder with a
cross-attention decoder per mask, positional code and seed and measures accuracy in
distribution, at new lengths and at new numbers of regions, the encoder's attention to previous
delimiters, the linear decodability of the region index, and the decoder's attention mass on BoS
versus "]" (the bias token) against the out-of-distribution outcome.
"""
