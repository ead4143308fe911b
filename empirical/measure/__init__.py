"""Measurement of trained models: ``decoding`` (batched greedy decoding and path metrics),
``probes`` (embeddings and weights handed to ``memtheory.geometry``) and ``recall_probes``
(associative-recall readouts, margins and low-rank truncation).

Importing this package loads nothing; torch loads with one of its modules.
"""
