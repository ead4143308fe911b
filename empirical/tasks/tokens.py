"""Token vocabulary and sequence format shared by every graph task.

Node ``i`` is token ``i``; the 9 special tokens of the path-star papers follow the nodes
(arXiv 2510.26745 App. B.1: ``|``, ``[PAUSE]``, ``/``, ``$``, ``>``, ``<``, ``[PAD]``, ``[EDGE]``,
``[PATH]``), so the vocabulary has ``n + 9`` tokens.

Sequence format (the contract between tasks, models and the training loop): a batch is a pair of
int64 tensors ``inputs`` and ``labels`` of the same shape ``(B, T)``. ``labels[b, t]`` is the token
the model must predict after reading ``inputs[b, : t + 1]``, or ``IGNORE`` (-100, the
``ignore_index`` of ``torch.nn.functional.cross_entropy``) where no loss is taken. Padding uses
``[PAD]``. An edge example ``[EDGE] u -> v`` is ``inputs = [EDGE, u]``, ``labels = [IGNORE, v]``:
``v`` is predicted at the position of ``u``.
"""

from __future__ import annotations

from dataclasses import dataclass

SPECIALS = ("|", "[PAUSE]", "/", "$", ">", "<", "[PAD]", "[EDGE]", "[PATH]")
IGNORE = -100


@dataclass(frozen=True)
class Vocab:
    """Vocabulary of ``n_nodes`` node tokens followed by the special tokens."""

    n_nodes: int

    @property
    def size(self) -> int:
        return self.n_nodes + len(SPECIALS)

    def special(self, name: str) -> int:
        """Token id of a special token such as ``"[EDGE]"``."""
        return self.n_nodes + SPECIALS.index(name)

    @property
    def pad(self) -> int:
        return self.special("[PAD]")

    def name(self, token: int) -> str:
        """Readable name of a token id (node id as a string, or the special token)."""
        token = int(token)
        if 0 <= token < self.n_nodes:
            return str(token)
        if self.n_nodes <= token < self.size:
            return SPECIALS[token - self.n_nodes]
        return "<ignore>" if token == IGNORE else f"<{token}?>"
