"""Edge-memorization task: exact sizes, token format, targets, Eq. 1 weights, bad graphs."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from empirical.tasks.edges import edge_dataset, edge_targets, eq1_weights
from empirical.tasks.tokens import IGNORE, Vocab
from memtheory.graphs import cycle, from_edges, grid, irregular, path_star, random_graph

TINY = [path_star(4, 5), grid(4, 4), cycle(15), irregular()]


@pytest.mark.parametrize("graph", TINY, ids=lambda g: g.name)
@pytest.mark.parametrize(
    ("direction", "self_edges"),
    # one direction needs self-edges on these graphs (sinks would have no target)
    [("both", False), ("both", True), ("forward", True), ("backward", True)],
)
def test_sizes_and_format(graph, direction, self_edges):
    inputs, labels = edge_dataset(graph, direction, self_edges)
    expected = (2 if direction == "both" else 1) * graph.m + (graph.n if self_edges else 0)
    assert inputs.shape == labels.shape == (expected, 2)
    assert inputs.dtype == labels.dtype == torch.int64
    vocab = Vocab(graph.n)
    assert (inputs[:, 0] == vocab.special("[EDGE]")).all()
    assert (labels[:, 0] == IGNORE).all()
    pairs = graph.directed_edges(direction, self_edges=self_edges)
    assert np.array_equal(inputs[:, 1].numpy(), pairs[:, 0])
    assert np.array_equal(labels[:, 1].numpy(), pairs[:, 1])


def test_known_counts():
    # notes §6.2: directed examples 32/48/30/40 without, 49/64/45/56 with self-edges
    assert [edge_dataset(g)[0].shape[0] for g in TINY] == [32, 48, 30, 40]
    assert [edge_dataset(g, self_edges=True)[0].shape[0] for g in TINY] == [49, 64, 45, 56]


def test_no_prefix_variant():
    inputs, labels = edge_dataset(cycle(5), prefix=False)
    assert inputs.shape == labels.shape == (10, 1)
    assert set(labels[:, 0].tolist()) == set(range(5))


@given(
    n=st.integers(4, 30),
    mean_degree=st.floats(2.0, 3.0),
    seed=st.integers(0, 1000),
    isolated=st.booleans(),
)
def test_targets_are_the_neighbourhoods(n, mean_degree, seed, isolated):
    graph = random_graph(n, mean_degree, seed=seed)
    if isolated:  # one more node, touching nothing
        graph = from_edges(n + 1, graph.edges)
        with pytest.raises(ValueError, match="isolated"):
            edge_dataset(graph)
        return
    targets = edge_targets(graph)
    A = graph.adjacency().toarray()
    assert len(targets) == n
    for u in range(n):
        assert np.array_equal(targets[u], np.flatnonzero(A[u]))
    w = eq1_weights(graph)
    assert w.dtype == torch.float64
    np.testing.assert_allclose(w.sum().item(), n, rtol=1e-12)
    assert edge_dataset(graph)[0].shape == (2 * graph.m, 2)


def test_self_edge_targets_include_self():
    targets = edge_targets(cycle(6), self_edges=True)
    assert [t.tolist() for t in targets[:2]] == [[0, 1, 5], [0, 1, 2]]


def test_isolated_node_fails_before_training():
    graph = from_edges(4, [(0, 1), (1, 2)])
    with pytest.raises(ValueError, match="isolated node"):
        edge_dataset(graph)
    with pytest.raises(ValueError, match="isolated"):
        edge_targets(graph)
    # with self-edges every node has a target again
    assert edge_dataset(graph, self_edges=True)[0].shape[0] == 4 + 4


def test_one_direction_sink_and_bad_arguments():
    with pytest.raises(ValueError, match="forward edge"):
        edge_dataset(path_star(3, 3), direction="forward")
    with pytest.raises(ValueError, match="direction"):
        edge_dataset(cycle(5), direction="sideways")
    with pytest.raises(ValueError, match="vocab"):
        edge_dataset(cycle(5), vocab=Vocab(6))
    with pytest.raises(ValueError, match="Graph"):
        edge_dataset(np.zeros((3, 2)))
    # a cycle has a forward edge out of every node
    assert edge_dataset(cycle(5), direction="forward")[0].shape == (5, 2)
