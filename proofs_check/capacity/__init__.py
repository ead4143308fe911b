"""Symbolic checks of ``memtheory.capacity`` (capacity of associative memories).

Sources: Nichani, Lee & Bietti, arXiv 2412.06538 (parameter count, fits); the outer-product
signal/noise analysis is derived in ``memtheory.capacity`` and checked here. Each check compares
the closed form with the numeric function it justifies.

One module per ``memtheory.capacity`` module, under the same name.
"""
