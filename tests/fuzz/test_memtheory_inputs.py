"""Fuzz tests of memtheory's inputs (issue 17): sizes, files, numerical edges, CLI flags.

Every CLI case runs ``python -m memtheory.X`` in a subprocess limited to 1 GiB of address space
(``RLIMIT_AS``) and 10 s: it must exit 2 with exactly one line on stderr and no traceback.
The library cases are hypothesis properties or explicit edges, each naming the argument.
"""

from __future__ import annotations

import math
import resource
import subprocess
import sys

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from memtheory import capacity, graphs, scaling, spectral
from memtheory.eigensolvers import top_eigenpairs

MEMORY_LIMIT = 1 << 30
TIME_LIMIT = 10.0


def _limit_memory():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _cli(module: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        preexec_fn=_limit_memory,
    )


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Edge-list files that used to hang, overflow or raise a codec error."""
    d = tmp_path_factory.mktemp("graphs")
    out = {}

    def put(name, data):
        p = d / name
        (p.write_bytes if isinstance(data, bytes) else p.write_text)(data)
        out[name] = str(p)

    put("huge_id.txt", "0 1\n1 1000000000000\n")
    put("overflow_id.txt", "0 99999999999999999999\n")
    put("float_ids.txt", "0 1\n0.5 1.7\n")
    put("binary.bin", bytes(range(256)) * 4)
    put("arabic_digit.txt", "0 1\n1 \u0662\n")
    put("self_loop.txt", "0 1\n2 2\n")
    put("empty.txt", "# nothing\n")
    return out


# (module, args, a fragment the one-line message must contain); {name} is a file above
CLI_CASES = [
    ("memtheory.capacity", ["--facts", "1e5", "--target-error", "1e-310"], "--target-error"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "path-star:1000000x1000"], "max_bytes"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "cycle:1000000000000"], "max_bytes"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "cycle:1e12"], "cycle:INT"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "random:1000000000000x2"], "max_bytes"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "grid:1000000x1000000"], "max_bytes"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "tree-star:3x40"], "max_bytes"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "{huge_id.txt}"], ":2:"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "{overflow_id.txt}"], ":1:"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "{float_ids.txt}"], ":2:"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "{binary.bin}"], "binary.bin:1"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "{arabic_digit.txt}"], "not ASCII"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "{self_loop.txt}"], "self-loop"),
    ("memtheory.capacity", ["--facts", "1e5", "--graph", "{empty.txt}"], "no edges"),
    ("memtheory.capacity", ["--facts", "1e5", "--zipf-alpha", "1"], "--zipf-alpha"),
    ("memtheory.spectral", ["--graph", "path-star:1000000x1000"], "max_bytes"),
    ("memtheory.spectral", ["--graph", "tree-star:3x40"], "max_bytes"),
    ("memtheory.spectral", ["--graph", "{huge_id.txt}"], "relabel"),
    ("memtheory.spectral", ["--graph", "{binary.bin}"], "not a text edge list"),
    ("memtheory.spectral", ["--graph", "path-star:5000x5", "--dynamics"], "node2vec_prediction"),
    ("memtheory.spectral", ["--graph", "cycle:15", "--dynamics", "--dim", "1000000000"], "--dim"),
    ("memtheory.spectral", ["--graph", "cycle:15", "--dynamics", "--lr", "1e6"], "lr"),
    ("memtheory.spectral", ["--graph", "cycle:15", "--dynamics", "--lr", "nan"], "--lr"),
    ("memtheory.spectral", ["--observation4", "--graph", "cycle:15"], "--graph"),
    ("memtheory.spectral", ["--observation4", "--k", "3"], "--k"),
    ("memtheory.spectral", ["--graph", "cycle:15", "--dim", "8"], "--dim"),
    ("memtheory.spectral", ["--graph", "cycle:15", "--lr", "0.1"], "--lr"),
    ("memtheory.spectral", ["--graph", "cycle:15", "--seed", "3"], "--seed"),
    ("memtheory.spectral", ["--graph", "cycle:15", "--steps", "3"], "--steps"),
    ("memtheory.spectral", ["--graph", "cycle:15", "--dynamics", "--record-every", "0"], "record"),
    ("memtheory.spectral", ["--graph", "cycle:15", "--k", "0"], "--k"),
    ("memtheory.spectral", ["--observation4", "--dim", "1000000000"], "--dim"),
]


@pytest.mark.parametrize(
    ("module", "args", "fragment"),
    CLI_CASES,
    ids=[f"{m.split('.')[-1]}:{' '.join(a)}" for m, a, _ in CLI_CASES],
)
def test_cli_refuses_with_one_line(files, module, args, fragment):
    argv = [files[a[1:-1]] if a.startswith("{") else a for a in args]
    out = _cli(module, *argv)
    lines = out.stderr.strip().splitlines()
    assert out.returncode == 2, (out.returncode, out.stderr[-500:])
    assert len(lines) == 1, out.stderr
    assert "Traceback" not in out.stderr
    assert lines[0].startswith(f"python -m {module}: error:"), lines[0]
    assert fragment in lines[0], lines[0]
    assert out.stdout == ""


# --------------------------------------------------------------------------- sizes and graphs
@settings(max_examples=40)
@given(st.integers(1, 10**7), st.integers(2, 10**4))
def test_path_star_size_is_computed_before_allocating(degree, length):
    n = 1 + degree * (length - 1)
    limit = 1 << 20
    if graphs.graph_bytes(n, n - 1) > limit:
        with pytest.raises(ValueError, match="max_bytes"):
            graphs.path_star(degree, length, max_bytes=limit)
    else:
        g = graphs.path_star(degree, length, max_bytes=limit)
        assert (g.n, g.m) == (n, n - 1)


@settings(max_examples=30)
@given(st.integers(1, 50), st.integers(2, 64))
def test_tree_star_size_is_computed_before_allocating(degree, length):
    n = 1 + degree * (2 ** (length - 1) - 1)
    limit = 1 << 20
    if graphs.graph_bytes(n, n - 1) > limit:
        with pytest.raises(ValueError, match="tree-star"):
            graphs.tree_star(degree, length, max_bytes=limit)
    else:
        assert graphs.tree_star(degree, length, max_bytes=limit).n == n


@settings(max_examples=30)
@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40)), min_size=1, max_size=60))
def test_deduplication_never_overflows(pairs):
    # ids spread over [0, 2**34): the old key min*n + max overflowed int64 and dropped edges
    scale = 2**34 // 41
    arr = np.array([(u * scale, v * scale) for u, v in pairs if u != v], dtype=np.int64)
    if arr.size == 0:
        return
    g = graphs.from_edges(2**34, arr, max_bytes=None)
    assert g.m == len({frozenset(p) for p in arr.tolist()})


@pytest.mark.parametrize(
    ("edges", "fragment"),
    [
        ([[0, 1], [1, 0]], "twice"),
        ([[0, 1], [2, 2]], "self-loops"),
        ([[0, 5]], r"\[0, 3\]"),
        ([[0.5, 1.7]], "integer"),
        ([[True, False]], "boolean"),
        ([["0", "1"]], "numeric"),
    ],
)
def test_graph_constructor_refuses_what_it_would_misread(edges, fragment):
    with pytest.raises(ValueError, match=fragment):
        graphs.Graph(4, edges)


def test_from_edges_is_the_one_normalizing_path():
    g = graphs.from_edges(3, [[0, 1], [1, 0], [1, 2], [0, 1]])
    assert g.edges.tolist() == [[0, 1], [1, 2]]
    with pytest.raises(ValueError, match="integer"):
        graphs.from_edges(3, [[0.5, 1.7]])


def test_dense_random_graph_is_exact_and_connected():
    g = graphs.random_graph(1000, 999, seed=2)
    assert g.m == 1000 * 999 // 2 and g.is_connected()
    h = graphs.random_graph(60, 40, seed=5)  # between half and full density
    assert h.m == 1200 and h.is_connected()
    assert np.array_equal(h.edges, graphs.random_graph(60, 40, seed=5).edges)


@pytest.mark.slow
def test_dense_random_graph_time_is_proportional_to_edges():
    import time

    t0 = time.process_time()
    graphs.random_graph(1000, 999)
    assert time.process_time() - t0 < 5.0  # was more than 80 s (rejection of the last pairs)


def test_as_graph_takes_specs_everywhere():
    assert capacity.graph_storage("cycle:6") == capacity.graph_storage(graphs.cycle(6))
    assert spectral.predicted_rank("cycle:15") == 3
    with pytest.raises(ValueError, match="graph must be"):
        graphs.as_graph(15)


# --------------------------------------------------------------------------- numerical edges
@settings(max_examples=40)
@given(st.floats(0.0, 1e6), st.floats(1.0001, 5.0), st.one_of(st.none(), st.integers(1, 5000)))
def test_missing_mass_is_a_probability(samples, alpha, facts):
    if facts is None and samples < 1:
        with pytest.raises(ValueError, match="samples"):
            scaling.missing_mass(samples, alpha, facts)
        return
    assert 0.0 <= scaling.missing_mass(samples, alpha, facts) <= 1.0


@settings(max_examples=40)
@given(st.floats(0.01, 1e6), st.floats(0.01, 1e6), st.floats(1.0001, 5.0))
def test_joint_law_is_a_probability_on_its_domain(d, samples, alpha):
    if d < 8.0 or samples < 1.0:
        with pytest.raises(ValueError, match="d|samples"):
            scaling.joint_law(d, samples, alpha)
    else:
        assert 0.0 <= scaling.joint_law(d, samples, alpha) <= 1.0


def test_quoted_probability_violations_are_gone():
    with pytest.raises(ValueError, match="samples"):
        scaling.missing_mass(0.25, 2)
    assert scaling.missing_mass(1, 1.01) == 1.0  # K_1.01 = 1.035 is capped
    with pytest.raises(ValueError, match="d"):
        scaling.joint_law(1, 1, 2)
    with pytest.raises(ValueError, match="samples"):
        scaling.missing_mass("10", 2)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_readout_error_refuses_non_finite(bad):
    for *args, answers in (
        (bad, 1.0, 1.0, 5),
        (1.0, bad, 1.0, 5),
        (1.0, 1.0, bad, 5),
        (1.0, 1.0, 1.0, bad),
    ):
        with pytest.raises(ValueError):
            scaling.readout_error(*args, answers=answers)


def test_sgd_weight_refuses_non_integer_steps():
    with pytest.raises(ValueError, match="n_steps"):
        scaling.sgd_weight(2.7, 1.0, 5)
    with pytest.raises(ValueError, match="n_steps"):
        scaling.sgd_weight(True, 1.0, 5)


@settings(max_examples=60)
@given(st.floats(-12.0, 300.0), st.floats(-3.0, 1.0), st.integers(2, 10**6))
def test_sgd_weight_continuous_is_accurate_everywhere(log_n, log_lr, answers):
    mpmath = pytest.importorskip("mpmath")
    n, lr = 10.0**log_n, 10.0**log_lr
    if lr * n > 1e300:
        return
    mpmath.mp.dps = 60
    a = mpmath.mpf(answers - 1)
    c = mpmath.mpf(lr) * a * mpmath.mpf(n)
    z = mpmath.mpf(lr) * mpmath.mpf(n) + 1 / a - mpmath.log(a)
    ref = mpmath.log(a) + mpmath.log(mpmath.lambertw(mpmath.exp(z)))
    assert abs(a * ref + mpmath.expm1(ref) - c) <= mpmath.mpf(10) ** -40 * max(c, 1)
    got = scaling.sgd_weight_continuous(n, lr, answers)
    assert_allclose(got, float(ref), rtol=4e-15)


def test_capacity_numerical_edges_raise_cleanly():
    with pytest.raises(ValueError, match="target_error"):
        capacity.required_dimension(1e5, "outer_product", target_error=1e-310)
    with pytest.raises(ValueError, match="d"):
        capacity.outer_product_error(1e5, d=1e300)
    with pytest.raises(ValueError, match="heads, head_dim, width"):
        capacity.facts_capacity("transformer", d=64)
    with pytest.raises(ValueError, match="target_error"):
        capacity.required_parameters(1e5, "mlp", target_error=0.01)
    with pytest.raises(ValueError, match="target_error"):
        capacity.required_parameters(1e5, "outer_product", target_error=2.0)
    with pytest.raises(ValueError, match="facts"):
        capacity.required_dimension("1e5", "mlp")
    # the smallest per-fact error the model resolves still has an answer
    assert capacity.required_dimension(1e5, "outer_product", target_error=1e-300) > 1.0


@settings(max_examples=30)
@given(st.integers(2, 30), st.integers(0, 2**31 - 1))
def test_top_eigenpairs_refuses_non_symmetric(n, seed):
    A = sp.random(n, n, density=0.5, random_state=seed, format="csr")
    if abs(A - A.T).max() == 0:
        return
    with pytest.raises(ValueError, match="symmetric"):
        top_eigenpairs(A, 1)


@pytest.mark.parametrize(
    ("kwargs", "blamed"),
    [
        ({"lr": 1e6}, "lr="),
        ({"init_std": 1e200}, "init_std"),
        ({"V0": np.full((6, 4), 1e200)}, "V0"),
    ],
)
def test_divergence_names_the_parameter(kwargs, blamed):
    with pytest.raises(ValueError, match=blamed):
        spectral.node2vec_dynamics(graphs.cycle(6), d=4, steps=200, record_every=200, **kwargs)


def test_dense_routes_refuse_before_allocating():
    g = graphs.path_star(5000, 5)  # n = 20001: 8 n^2 float64 = 24 GiB
    with pytest.raises(ValueError, match="node2vec_prediction"):
        spectral.node2vec_dynamics(g, d=8, steps=1)
    with pytest.raises(ValueError, match="dense"):
        spectral.ce_fixed_point(g, 8)
    with pytest.raises(ValueError, match="d=1000000000"):
        spectral.node2vec_dynamics(graphs.cycle(6), d=10**9, steps=1)
