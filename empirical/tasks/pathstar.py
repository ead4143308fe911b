"""Path-star tasks: the in-weights task of the geometric-memory paper and the in-context one.

**In-weights** (Noroozizadeh et al. 2025, arXiv 2510.26745, §2 and App. B.1): one fixed
path-star graph :math:`\\mathcal{G}_{d,\\ell}` (``length`` :math:`\\ell` counts nodes from the
root, :math:`n = 1 + d(\\ell-1)`) with seeded shuffled node ids. The model memorizes its edges,

* edge example ``[EDGE] u -> v``: ``inputs = [EDGE, u]``, ``labels = [IGNORE, v]``
  (``direction`` both / forward / backward, optional self-edges ``u -> u``),

and sees root-to-leaf paths for a seeded 75% of the leaves,

* path example ``[PATH] leaf [PAUSE]*k -> root, v_1, ..., leaf`` (``target="full"``),
  the reversed path ``leaf, ..., v_1, root`` (``"reversed"``), or the full sequence with the loss
  on :math:`v_1` only (``"first-token"``, the paper's hardest-token-only task).

The held-out 25% of the leaves never appear in a path example (their edges are memorized). The
*decision token* is target position 1: :math:`v_1` for forward targets (an
:math:`(\\ell-2)`-fold composition of the predecessor map from the leaf) and the leaf's parent for
reversed targets. Chance level for it, and for the full path, is :math:`1/d`.

**In-context** (Bachmann & Nagarajan 2024, arXiv 2403.06963, §3): a fresh path-star with random
labels from ``n_values`` node values per example, the shuffled directed edge list
``u v | u v | ... | u v / start goal >`` (:math:`3E+3` prefix tokens, :math:`E = d(\\ell-1)`),
then the target path ``start, v_1, ..., goal`` (``reverse``: goal first). ``teacherless``
replaces every target-position input with ``$`` (multi-token prediction). ``>`` stands for the
original ``=`` separator, which the shared vocabulary does not have.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from empirical.tasks.tokens import IGNORE, Vocab
from memtheory.checks import as_choice, as_float, as_int
from memtheory.graphs import Graph, path_star

__all__ = [
    "TARGETS",
    "PathStarTask",
    "make_pathstar",
    "edge_examples",
    "path_examples",
    "path_prefixes",
    "path_targets",
    "pad_examples",
    "mix_examples",
    "packed_edge_examples",
    "InContextBatch",
    "incontext_examples",
]

TARGETS = ("full", "reversed", "first-token")


@dataclass(frozen=True, eq=False)
class PathStarTask:
    """One in-weights path-star dataset (graph, leaf split, edge examples, path format).

    Attributes:
        graph: the relabelled :func:`memtheory.graphs.path_star` graph; ``graph.meta["arms"]``
            is ``(d, length-1)`` node ids, first hop -> leaf.
        vocab: ``Vocab(n)``: node tokens then the 9 special tokens.
        train_arms, heldout_arms: disjoint sorted arm indices (rows of ``arms``).
        edges: directed edge examples ``(u, v)``, shape ``(k, 2)``.
        n_pause: pause tokens between the leaf and the target.
        target: ``"full"``, ``"reversed"`` or ``"first-token"``.
        seed: the seed that made the labels and the split.
    """

    graph: Graph
    vocab: Vocab
    train_arms: np.ndarray
    heldout_arms: np.ndarray
    edges: np.ndarray
    n_pause: int
    target: str
    seed: int

    @property
    def degree(self) -> int:
        return int(self.graph.meta["degree"])

    @property
    def length(self) -> int:
        return int(self.graph.meta["length"])

    @property
    def root(self) -> int:
        return int(self.graph.meta["root"])

    @property
    def arms(self) -> np.ndarray:
        return self.graph.meta["arms"]

    @property
    def chance(self) -> float:
        """Chance level of the decision token and of the full path: :math:`1/d`."""
        return 1.0 / self.degree

    def split_arms(self, split: str) -> np.ndarray:
        """Arm indices of ``"train"`` or ``"heldout"`` leaves."""
        as_choice("split", split, ("train", "heldout"))
        return self.train_arms if split == "train" else self.heldout_arms

    def paths(self, split: str) -> np.ndarray:
        """Root-to-leaf node paths of a split, ``(len, length)`` int64, root first."""
        arms = self.arms[self.split_arms(split)]
        root = np.full((arms.shape[0], 1), self.root, dtype=np.int64)
        return np.concatenate([root, arms], axis=1)

    @property
    def decision_index(self) -> int:
        """Target position of the decision token (1: the first token after root or leaf)."""
        return 1

    def candidates(self, split: str) -> np.ndarray:
        """Nodes that can be the decision token of the split's paths (for restricted argmax)."""
        return np.unique(path_targets(self, split)[:, self.decision_index])


def make_pathstar(
    degree,
    length,
    *,
    seed=0,
    train_fraction=0.75,
    direction: str = "both",
    self_edges: bool = False,
    n_pause=None,
    target: str = "full",
    shuffle_ids: bool = True,
) -> PathStarTask:
    """Build the in-weights path-star task (arXiv 2510.26745, App. B.1).

    Node ids are a seeded random permutation (``shuffle_ids``); the leaf split keeps
    ``round(train_fraction * degree)`` arms for training (at least 1, at most ``degree - 1``).
    ``n_pause`` defaults to ``length`` (Table 1: pause tokens = path length).
    """
    d = as_int("degree", degree, minimum=2)
    ell = as_int("length", length, minimum=2)
    seed = as_int("seed", seed, minimum=0)
    frac = as_float("train_fraction", train_fraction, 0.0, 1.0, low_open=True, high_open=True)
    as_choice("direction", direction, ("both", "forward", "backward"))
    as_choice("target", target, TARGETS)
    k = ell if n_pause is None else as_int("n_pause", n_pause, minimum=0)
    rng = np.random.default_rng(seed)
    graph = path_star(d, ell)
    if shuffle_ids:
        graph = graph.relabel(rng.permutation(graph.n))
    n_train = min(max(int(round(frac * d)), 1), d - 1)
    order = rng.permutation(d)
    train_arms = np.sort(order[:n_train]).astype(np.int64)
    heldout_arms = np.sort(order[n_train:]).astype(np.int64)
    edges = graph.directed_edges(direction, self_edges=bool(self_edges))
    return PathStarTask(graph, Vocab(graph.n), train_arms, heldout_arms, edges, k, target, seed)


def edge_examples(task: PathStarTask) -> tuple[torch.Tensor, torch.Tensor]:
    """All directed edge examples: ``inputs = [EDGE, u]``, ``labels = [IGNORE, v]``."""
    e = torch.as_tensor(task.edges, dtype=torch.int64)
    inputs = torch.stack([torch.full_like(e[:, 0], task.vocab.special("[EDGE]")), e[:, 0]], 1)
    labels = torch.stack([torch.full_like(e[:, 1], IGNORE), e[:, 1]], 1)
    return inputs, labels


def path_prefixes(task: PathStarTask, split: str) -> torch.Tensor:
    """Prompts ``[PATH] leaf [PAUSE]*k``, shape ``(len, 2 + k)``."""
    leaves = task.arms[task.split_arms(split), -1]
    out = np.empty((leaves.size, 2 + task.n_pause), dtype=np.int64)
    out[:, 0] = task.vocab.special("[PATH]")
    out[:, 1] = leaves
    out[:, 2:] = task.vocab.special("[PAUSE]")
    return torch.as_tensor(out)


def path_targets(task: PathStarTask, split: str) -> np.ndarray:
    """Target node sequences, ``(len, length)``: root..leaf, or leaf..root for ``reversed``."""
    paths = task.paths(split)
    return paths[:, ::-1].copy() if task.target == "reversed" else paths


def path_examples(task: PathStarTask, split: str = "train") -> tuple[torch.Tensor, torch.Tensor]:
    """Teacher-forced path examples of a split.

    The sequence ``prefix + target`` is shifted by one: ``inputs = seq[:-1]``,
    ``labels = seq[1:]`` with ``IGNORE`` on prefix positions; ``first-token`` keeps only the label
    of the decision token :math:`v_1`. Shape ``(len, 1 + k + length)``.
    """
    prefix = path_prefixes(task, split)
    target = torch.as_tensor(path_targets(task, split))
    seq = torch.cat([prefix, target], dim=1)
    inputs, labels = seq[:, :-1].clone(), seq[:, 1:].clone()
    p = prefix.shape[1]
    labels[:, : p - 1] = IGNORE
    if task.target == "first-token":
        keep = p - 1 + task.decision_index
        mask = torch.ones(labels.shape[1], dtype=torch.bool)
        mask[keep] = False
        labels[:, mask] = IGNORE
    return inputs, labels


def pad_examples(batches, pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-pad several ``(inputs, labels)`` pairs to one length and concatenate them."""
    t = max(x.shape[1] for x, _ in batches)
    xs, ys = [], []
    for x, y in batches:
        extra = t - x.shape[1]
        xs.append(torch.nn.functional.pad(x, (0, extra), value=pad))
        ys.append(torch.nn.functional.pad(y, (0, extra), value=IGNORE))
    return torch.cat(xs), torch.cat(ys)


def mix_examples(
    task: PathStarTask, path_repeat: int = 1, pack_edges: bool = False, seed=0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Edge examples and ``path_repeat`` copies of the training paths, padded to one length.

    This is the interleaved (``mixed``) recipe's training set; ``path_repeat`` sets the
    path-to-edge mixing ratio when batches are sampled uniformly from it. ``pack_edges`` packs
    several edges per row (:func:`packed_edge_examples`) to the path examples' length.
    """
    as_int("path_repeat", path_repeat, minimum=0)
    x, y = path_examples(task, "train")
    edges = packed_edge_examples(task, x.shape[1], seed) if pack_edges else edge_examples(task)
    parts = [edges]
    if path_repeat:
        parts.append((x.repeat(path_repeat, 1), y.repeat(path_repeat, 1)))
    return pad_examples(parts, task.vocab.pad)


def packed_edge_examples(
    task: PathStarTask, width: int, seed=0
) -> tuple[torch.Tensor, torch.Tensor]:
    """Edge examples packed ``width // 2`` to a row: ``[EDGE] u [EDGE] u' ...``.

    Labels ``[IGNORE, v, IGNORE, v', ...]``: each ``v`` is predicted at the position of its
    ``u``, as in :func:`edge_examples`, but a row holds several (seeded shuffled) edges, so that
    padding edges to the length of path examples does not waste compute. Earlier edges of a row
    are visible to later ones; they carry no information about them (a packing convention of
    this toolkit, not of the paper). The last row is padded with ``[PAD]``.
    """
    width = as_int("width", width, minimum=2)
    per = width // 2
    rng = np.random.default_rng(as_int("seed", seed, minimum=0))
    e = task.edges[rng.permutation(task.edges.shape[0])]
    rows = -(-e.shape[0] // per)
    inputs = np.full((rows, width), task.vocab.pad, dtype=np.int64)
    labels = np.full((rows, width), IGNORE, dtype=np.int64)
    flat_in = inputs[:, : 2 * per].reshape(rows, per, 2)
    flat_lab = labels[:, : 2 * per].reshape(rows, per, 2)
    idx = np.arange(e.shape[0])
    r, c = idx // per, idx % per
    flat_in[r, c, 0] = task.vocab.special("[EDGE]")
    flat_in[r, c, 1] = e[:, 0]
    flat_lab[r, c, 1] = e[:, 1]
    inputs[:, : 2 * per] = flat_in.reshape(rows, 2 * per)
    labels[:, : 2 * per] = flat_lab.reshape(rows, 2 * per)
    return torch.as_tensor(inputs), torch.as_tensor(labels)


@dataclass(frozen=True, eq=False)
class InContextBatch:
    """In-context path-star examples (Bachmann & Nagarajan 2024).

    ``inputs``/``labels`` are the training pairs (loss on target tokens only); ``prefix`` is the
    ``3E+3``-token prompt; ``targets`` the ``length`` target nodes; ``candidates`` the ``d``
    first hops (or, reversed, just the goal's parent) of each example, for restricted argmax.
    """

    inputs: torch.Tensor
    labels: torch.Tensor
    prefix: torch.Tensor
    targets: torch.Tensor
    candidates: torch.Tensor
    vocab: Vocab
    degree: int
    length: int
    teacherless: bool
    reverse: bool

    @property
    def chance(self) -> float:
        return 1.0 / self.degree


def incontext_examples(
    n_examples,
    degree,
    length,
    n_values=None,
    *,
    seed=0,
    reverse: bool = False,
    teacherless: bool = False,
    first_token_only: bool = False,
) -> InContextBatch:
    """Sample in-context path-star examples (arXiv 2403.06963, §3; generator of §2.2 there).

    Each example draws :math:`1 + d(\\ell-1)` distinct labels from ``n_values`` (default the
    minimum), lays out ``d`` arms from the start, shuffles the :math:`E = d(\\ell-1)` directed
    (parent, child) edges, and picks the goal arm uniformly.
    """
    b = as_int("n_examples", n_examples, minimum=1)
    d = as_int("degree", degree, minimum=2)
    ell = as_int("length", length, minimum=2)
    n_nodes = 1 + d * (ell - 1)
    nv = n_nodes if n_values is None else as_int("n_values", n_values, minimum=n_nodes)
    seed = as_int("seed", seed, minimum=0)
    rng = np.random.default_rng(seed)
    vocab = Vocab(nv)
    labels_ = np.argsort(rng.random((b, nv)), axis=1)[:, :n_nodes].astype(np.int64)
    start = labels_[:, 0]
    arms = labels_[:, 1:].reshape(b, d, ell - 1)
    parents = np.concatenate([np.repeat(start[:, None, None], d, 1), arms[:, :, :-1]], axis=2)
    edges = np.stack([parents.reshape(b, -1), arms.reshape(b, -1)], axis=2)  # (b, E, 2)
    e = edges.shape[1]
    order = np.argsort(rng.random((b, e)), axis=1)
    edges = np.take_along_axis(edges, order[:, :, None], axis=1)
    goal_arm = rng.integers(0, d, size=b)
    path = np.concatenate([start[:, None], arms[np.arange(b), goal_arm]], axis=1)  # (b, ell)
    goal = path[:, -1]
    bar, slash, gt = vocab.special("|"), vocab.special("/"), vocab.special(">")
    triples = np.concatenate([edges, np.full((b, e, 1), bar, dtype=np.int64)], axis=2)
    edge_tokens = triples.reshape(b, -1)[:, :-1]  # drop the last "|"
    tail = np.stack([np.full(b, slash), start, goal, np.full(b, gt)], axis=1)
    prefix = np.concatenate([edge_tokens, tail], axis=1).astype(np.int64)  # (b, 3E+3)
    targets = path[:, ::-1].copy() if reverse else path
    if reverse:
        cands = targets[:, 1:2]
    else:
        cands = arms[:, :, 0]
    p = prefix.shape[1]
    if teacherless:
        dollars = np.full((b, ell - 1), vocab.special("$"), dtype=np.int64)
        inputs = np.concatenate([prefix, dollars], axis=1)
    else:
        inputs = np.concatenate([prefix, targets[:, :-1]], axis=1)
    lab = np.full(inputs.shape, IGNORE, dtype=np.int64)
    lab[:, p - 1 :] = targets
    if first_token_only:
        keep = lab[:, p].copy()
        lab[:] = IGNORE
        lab[:, p] = keep
    return InContextBatch(
        torch.as_tensor(inputs),
        torch.as_tensor(lab),
        torch.as_tensor(prefix),
        torch.as_tensor(targets),
        torch.as_tensor(cands),
        vocab,
        d,
        ell,
        bool(teacherless),
        bool(reverse),
    )
