import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from memtheory import graphs


def test_path_star_paper_sizes():
    g = graphs.path_star(5000, 5)
    assert (g.n, g.m) == (20001, 20000)
    assert graphs.path_star(10000, 10).n == 90001
    assert graphs.path_star(10000, 6).n == 50001
    tiny = graphs.path_star(4, 5)
    assert (tiny.n, tiny.m) == (17, 16)
    assert tiny.directed_edges("both").shape == (32, 2)
    assert tiny.directed_edges("both", self_edges=True).shape == (49, 2)


def test_path_star_meta_orders_arms_first_hop_to_leaf():
    g = graphs.path_star(3, 4)
    arms = g.meta["arms"]
    assert arms.shape == (3, 3)
    edge_set = {tuple(e) for e in g.edges.tolist()}
    for arm in arms:
        assert (0, arm[0]) in edge_set
        for a, b in zip(arm[:-1], arm[1:], strict=True):
            assert (a, b) in edge_set
    assert_array_equal(g.degrees()[arms[:, -1]], 1)
    assert g.degrees()[0] == 3


def test_tree_star_counts():
    g = graphs.tree_star(3, 4)
    assert g.n == 22 and g.m == 21
    assert g.meta["leaves"].size == 3 * 2**2
    assert g.is_connected()
    assert_array_equal(g.degrees()[g.meta["leaves"]], 1)


def test_tiny_graphs():
    assert (graphs.cycle(15).n, graphs.cycle(15).m) == (15, 15)
    g = graphs.grid(4, 4)
    assert (g.n, g.m) == (16, 24)
    irr = graphs.irregular()
    assert (irr.n, irr.m, irr.n_components()) == (16, 20, 2)
    assert_array_equal(irr.degrees()[12:], 3)


def test_random_graph_connected_and_seeded():
    g = graphs.random_graph(2000, 10, seed=3)
    assert g.is_connected()
    assert g.m == 10000
    assert_array_equal(g.edges, graphs.random_graph(2000, 10, seed=3).edges)
    assert not np.array_equal(g.edges, graphs.random_graph(2000, 10, seed=4).edges)


def test_directed_edges_directions():
    g = graphs.path(3)
    assert_array_equal(g.directed_edges("forward"), [[0, 1], [1, 2]])
    assert_array_equal(g.directed_edges("backward"), [[1, 0], [2, 1]])
    assert g.directed_edges("both").shape == (4, 2)
    with pytest.raises(ValueError, match="direction"):
        g.directed_edges("sideways")


@pytest.mark.parametrize(
    "spec,n",
    [
        ("cycle:15", 15),
        ("path:10", 10),
        ("grid:4x4", 16),
        ("path-star:5x6", 26),
        ("tree-star:3x4", 22),
        ("irregular", 16),
        ("random:100x4:1", 100),
    ],
)
def test_parse_graph(spec, n):
    assert graphs.parse_graph(spec).n == n


def test_parse_graph_edge_file(tmp_path):
    f = tmp_path / "g.txt"
    f.write_text("# a triangle\n0 1\n1,2\n2=0\n1 0\n")
    g = graphs.parse_graph(str(f))
    assert (g.n, g.m) == (3, 3)


@pytest.mark.parametrize("spec", ["cycle:0", "grid:4", "nope:3", "", "path-star:0x5", "cycle:x"])
def test_parse_graph_rejects(spec):
    with pytest.raises(ValueError):
        graphs.parse_graph(spec)


@pytest.mark.parametrize(
    "call,name",
    [
        (lambda: graphs.path_star(0, 5), "degree"),
        (lambda: graphs.path_star(3, 1), "length"),
        (lambda: graphs.cycle(-1), "n"),
        (lambda: graphs.from_edges(3, [[0, 0]]), "self-loops"),
        (lambda: graphs.from_edges(3, [[0, 5]]), "edges"),
        (lambda: graphs.grid(2.5, 2), "rows"),
    ],
)
def test_bad_arguments_name_themselves(call, name):
    with pytest.raises(ValueError, match=name):
        call()


@given(st.integers(2, 12), st.integers(0, 2**31 - 1))
def test_relabel_permutes_adjacency(n, seed):
    g = graphs.cycle(max(n, 3))
    perm = np.random.default_rng(seed).permutation(g.n)
    h = g.relabel(perm)
    A, B = g.adjacency().toarray(), h.adjacency().toarray()
    assert_array_equal(B[np.ix_(perm, perm)], A)


def test_relabel_moves_meta():
    g = graphs.path_star(3, 3)
    perm = np.random.default_rng(0).permutation(g.n)
    h = g.relabel(perm)
    assert h.meta["root"] == perm[0]
    assert_array_equal(h.meta["arms"], perm[g.meta["arms"]])
