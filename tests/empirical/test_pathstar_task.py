"""The in-weights and in-context path-star datasets: sizes, splits, formats, seeds."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from empirical.tasks.pathstar import (
    edge_examples,
    incontext_examples,
    make_pathstar,
    mix_examples,
    path_examples,
    path_prefixes,
    path_targets,
)
from empirical.tasks.tokens import IGNORE


def test_paper_graph_sizes():
    task = make_pathstar(5000, 5, seed=0)
    assert task.graph.n == 20001
    assert task.vocab.size == 20010
    assert task.edges.shape == (40000, 2)
    assert task.train_arms.size == 3750 and task.heldout_arms.size == 1250
    x, y = edge_examples(task)
    assert x.shape == (40000, 2) and y.shape == (40000, 2)
    x, y = path_examples(task, "train")
    assert x.shape == (3750, 1 + 5 + 5)  # [PATH] leaf + 5 pauses + 5 targets - 1
    assert x.shape == y.shape


def test_edge_direction_and_self_edge_counts():
    for direction, count in (("both", 2 * 40), ("forward", 40), ("backward", 40)):
        task = make_pathstar(10, 5, direction=direction)
        assert task.edges.shape == (count, 2)
    task = make_pathstar(10, 5, self_edges=True)
    assert task.edges.shape == (80 + 41, 2)
    fwd = make_pathstar(10, 5, direction="forward", seed=3)
    parent = {int(v): int(u) for u, v in fwd.edges}
    # forward edges point away from the root: every child has exactly one parent
    assert len(parent) == 40 and fwd.root not in parent


@given(
    degree=st.integers(2, 60),
    length=st.integers(2, 7),
    seed=st.integers(0, 10_000),
    n_pause=st.integers(0, 4),
)
def test_split_and_path_invariants(degree, length, seed, n_pause):
    task = make_pathstar(degree, length, seed=seed, n_pause=n_pause)
    assert task.graph.n == 1 + degree * (length - 1)
    assert np.intersect1d(task.train_arms, task.heldout_arms).size == 0
    assert task.train_arms.size + task.heldout_arms.size == degree
    assert 1 <= task.train_arms.size <= degree - 1
    heldout_leaves = set(task.arms[task.heldout_arms, -1].tolist())
    x, y = path_examples(task, "train")
    used = set(x.unique().tolist()) | set(y[y != IGNORE].unique().tolist())
    assert not used & heldout_leaves  # no held-out leaf in any training path
    edge_set = {(int(u), int(v)) for u, v in task.edges}
    for split in ("train", "heldout"):
        paths = task.paths(split)
        targets = path_targets(task, split)
        assert targets.shape[1] == length  # target length = path length
        assert np.all(paths[:, 0] == task.root)
        for p in paths:
            for a, b in zip(p[:-1], p[1:], strict=True):
                assert (int(a), int(b)) in edge_set and (int(b), int(a)) in edge_set
    # labels: prefix ignored, then exactly the target path, root first
    p = 2 + n_pause
    assert torch.all(y[:, : p - 1] == IGNORE)
    assert torch.equal(y[:, p - 1 :], torch.as_tensor(task.paths("train")))
    assert torch.equal(x[:, 1], torch.as_tensor(task.arms[task.train_arms, -1]))


def test_reversed_and_first_token_targets():
    full = make_pathstar(8, 5, seed=1, n_pause=2)
    rev = make_pathstar(8, 5, seed=1, n_pause=2, target="reversed")
    first = make_pathstar(8, 5, seed=1, n_pause=2, target="first-token")
    np.testing.assert_array_equal(path_targets(rev, "train"), path_targets(full, "train")[:, ::-1])
    _, yf = path_examples(first, "train")
    labelled = (yf != IGNORE).nonzero()
    assert torch.all(labelled[:, 1] == 4)  # position of the root input, predicting v_1
    np.testing.assert_array_equal(yf[:, 4].numpy(), full.paths("train")[:, 1])
    assert np.array_equal(first.candidates("heldout"), np.sort(full.arms[full.heldout_arms, 0]))


def test_datasets_are_seeded():
    a, b, c = (make_pathstar(30, 4, seed=s) for s in (7, 7, 8))
    assert np.array_equal(a.graph.edges, b.graph.edges)
    assert np.array_equal(a.heldout_arms, b.heldout_arms)
    assert not np.array_equal(a.graph.edges, c.graph.edges)
    xa, ya = mix_examples(a, 2)
    xb, yb = mix_examples(b, 2)
    assert torch.equal(xa, xb) and torch.equal(ya, yb)
    assert xa.shape[0] == 180 + 2 * 22
    assert torch.equal(path_prefixes(a, "heldout"), path_prefixes(b, "heldout"))


def test_invalid_arguments():
    with pytest.raises(ValueError, match="degree"):
        make_pathstar(1, 4)
    with pytest.raises(ValueError, match="target"):
        make_pathstar(5, 4, target="sideways")
    with pytest.raises(ValueError, match="n_values"):
        incontext_examples(4, 5, 5, n_values=10)


def test_incontext_format():
    d, ell, n_values = 3, 5, 50
    batch = incontext_examples(200, d, ell, n_values, seed=4)
    e = d * (ell - 1)
    assert batch.prefix.shape == (200, 3 * e + 3)
    assert batch.targets.shape == (200, ell)
    assert batch.vocab.size == n_values + 9
    v = batch.vocab
    for i in range(20):
        pre = batch.prefix[i].tolist()
        edges_part = pre[: 3 * e - 1]
        assert edges_part[2::3] == [v.special("|")] * (e - 1)
        pairs = list(zip(edges_part[0::3], edges_part[1::3], strict=True))
        nodes = {u for pair in pairs for u in pair}
        assert len(nodes) == 1 + e and max(nodes) < n_values
        assert pre[-4:] == [
            v.special("/"),
            batch.targets[i, 0].item(),
            batch.targets[i, -1].item(),
            v.special(">"),
        ]
        path = batch.targets[i].tolist()
        assert all((a, b) in pairs for a, b in zip(path[:-1], path[1:], strict=True))
        assert path[1] in batch.candidates[i].tolist()
    # the target follows the prefix, loss only on the target
    p = batch.prefix.shape[1]
    assert torch.all(batch.labels[:, : p - 1] == IGNORE)
    assert torch.equal(batch.labels[:, p - 1 :], batch.targets)
    assert torch.equal(batch.inputs[:, p:], batch.targets[:, :-1])
    # edge lists are shuffled: the goal arm's edges are not always first
    first_edge_on_path = [
        (batch.prefix[i, 0].item(), batch.prefix[i, 1].item())
        == tuple(batch.targets[i, :2].tolist())
        for i in range(200)
    ]
    assert 0 < sum(first_edge_on_path) < 200


def test_incontext_options_and_seed():
    a = incontext_examples(10, 2, 4, seed=1, teacherless=True)
    b = incontext_examples(10, 2, 4, seed=1, reverse=True, first_token_only=True)
    c = incontext_examples(10, 2, 4, seed=1)
    assert torch.equal(a.prefix, c.prefix) and torch.equal(b.prefix, c.prefix)
    p = a.prefix.shape[1]
    assert torch.all(a.inputs[:, p:] == a.vocab.special("$"))
    assert torch.equal(b.targets, c.targets.flip(1))
    assert torch.equal((b.labels != IGNORE).sum(1), torch.ones(10, dtype=torch.int64))
    assert torch.equal(b.labels[:, p], b.targets[:, 1])
    assert not torch.equal(c.prefix, incontext_examples(10, 2, 4, seed=2).prefix)


def test_packed_edges_hold_every_edge_once():
    from empirical.tasks.pathstar import packed_edge_examples

    task = make_pathstar(7, 4, seed=2)
    x, y = packed_edge_examples(task, 9, seed=1)
    assert x.shape[1] == 9
    edge_tok = task.vocab.special("[EDGE]")
    pairs = sorted(
        (int(x[r, c]), int(y[r, c]))
        for r in range(x.shape[0])
        for c in range(x.shape[1])
        if y[r, c] != IGNORE
    )
    assert pairs == sorted(map(tuple, task.edges.tolist()))
    assert torch.all(x[:, 0:8:2][y[:, 1:9:2] != IGNORE] == edge_tok)
