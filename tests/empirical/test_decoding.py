"""Greedy decoding and path accuracies against hand-built lookup models."""

import numpy as np
import pytest
import torch

from empirical.measure.decoding import (
    greedy_decode,
    path_accuracy,
    restricted_argmax,
    teacher_forced_logits,
)
from empirical.tasks.pathstar import (
    incontext_examples,
    make_pathstar,
    path_prefixes,
    path_targets,
)


class PathOracle(torch.nn.Module):
    """Emits the right path for the leaf at position 1 (optionally a wrong first hop).

    Position ``prefix_len - 1 + i`` predicts target ``i`` of the leaf's path; ``wrong`` maps a
    leaf to a replacement first hop; ``follow_input`` makes positions after the decision token
    continue the arm of the token actually fed (as a model that follows edges would).
    """

    def __init__(self, task, prefix_len, wrong=None, follow_input=False):
        super().__init__()
        self.vocab = task.vocab.size
        self.p = prefix_len
        self.path_of = {}
        self.arm_of = {}
        for row in np.concatenate([task.paths("train"), task.paths("heldout")]):
            self.path_of[int(row[-1])] = [int(v) for v in row]
            for i, v in enumerate(row[1:], start=1):
                self.arm_of[int(v)] = ([int(u) for u in row], i)
        self.wrong = wrong or {}
        self.follow_input = follow_input
        self.calls = 0

    def forward(self, x):
        self.calls += 1
        b, t = x.shape
        out = torch.zeros(b, t, self.vocab)
        for r in range(b):
            leaf = int(x[r, 1])
            path = list(self.path_of[leaf])
            right = path[1]
            if leaf in self.wrong:
                path[1] = self.wrong[leaf]
            for pos in range(self.p - 1, t):
                i = pos - (self.p - 1)
                tok = path[i] if i < len(path) else 0
                fed = int(x[r, pos])
                if self.follow_input and i >= 2 and fed in self.arm_of:
                    arm, j = self.arm_of[fed]
                    tok = arm[min(j + 1, len(arm) - 1)]
                if i == 1:
                    out[r, pos, right] = 2.0  # the right first hop is the runner-up
                out[r, pos, tok] = 5.0
        return out


def _setup(seed=0):
    task = make_pathstar(12, 5, seed=seed, n_pause=2)
    pre = path_prefixes(task, "heldout")
    tgt = torch.as_tensor(path_targets(task, "heldout"))
    return task, pre, tgt


def test_oracle_is_perfect():
    task, pre, tgt = _setup()
    model = PathOracle(task, pre.shape[1])
    out = greedy_decode(model, pre, 5)
    assert torch.equal(out, tgt)
    acc = path_accuracy(model, pre, tgt, candidates=task.candidates("heldout"))
    assert acc["exact_match"] == 1.0 and acc["first_token_acc"] == 1.0
    assert acc["restricted_acc"] == 1.0 and acc["per_position"] == [1.0] * 5
    assert acc["teacher_forced_per_position"] == [1.0] * 5 and acc["n"] == 3


def test_wrong_first_hop_counts():
    task, pre, tgt = _setup()
    leaves = tgt[:, -1].tolist()
    train_hop = int(task.paths("train")[0, 1])
    # leaf 0: a training first hop wins overall; the right hop is runner-up
    model = PathOracle(task, pre.shape[1], wrong={leaves[0]: train_hop}, follow_input=True)
    acc = path_accuracy(model, pre, tgt, candidates=task.candidates("heldout"))
    np.testing.assert_allclose(acc["exact_match"], 2 / 3, atol=1e-12)
    np.testing.assert_allclose(acc["first_token_acc"], 2 / 3, atol=1e-12)
    np.testing.assert_allclose(acc["greedy_first_token_acc"], 2 / 3, atol=1e-12)
    # greedy follows the wrong arm after the decision token; teacher forcing does not
    np.testing.assert_allclose(acc["per_position"], [1, 2 / 3, 2 / 3, 2 / 3, 2 / 3], atol=1e-12)
    np.testing.assert_allclose(acc["teacher_forced_per_position"][0], 1.0)
    np.testing.assert_allclose(acc["teacher_forced_per_position"][1], 2 / 3, atol=1e-12)
    assert acc["restricted_acc"] == 1.0  # restricted to held-out first hops, it is right
    # a wrong held-out first hop is wrong even when restricted
    other = int(tgt[1, 1])
    model = PathOracle(task, pre.shape[1], wrong={leaves[0]: other})
    acc = path_accuracy(model, pre, tgt, candidates=task.candidates("heldout"))
    np.testing.assert_allclose(acc["restricted_acc"], 2 / 3, atol=1e-12)
    np.testing.assert_allclose(acc["exact_match"], 2 / 3, atol=1e-12)


def test_restricted_argmax():
    logits = torch.tensor([[0.0, 9.0, 1.0, 2.0], [5.0, 0.0, 3.0, 1.0]])
    assert restricted_argmax(logits, [2, 3]).tolist() == [3, 2]
    assert restricted_argmax(logits, torch.tensor([[0, 2], [1, 3]])).tolist() == [2, 3]
    with pytest.raises(ValueError, match="candidates"):
        restricted_argmax(logits, [7])
    with pytest.raises(ValueError, match="candidates"):
        restricted_argmax(logits, [])


def test_teacher_forced_and_teacherless_inputs():
    seen = []

    class Recorder(torch.nn.Module):
        def forward(self, x):
            seen.append(x.clone())
            return torch.nn.functional.one_hot(x, 20).float()  # predicts the token it reads

    pre = torch.tensor([[1, 2, 3]])
    tgt = torch.tensor([[4, 5, 6]])
    lg = teacher_forced_logits(Recorder(), pre, tgt)
    assert seen[-1].tolist() == [[1, 2, 3, 4, 5]]
    assert lg.argmax(-1).tolist() == [[3, 4, 5]]
    teacherless = teacher_forced_logits(Recorder(), pre, tgt, teacherless_token=9)
    assert seen[-1].tolist() == [[1, 2, 3, 9, 9]]
    assert teacherless.argmax(-1).tolist() == [[3, 9, 9]]
    out = greedy_decode(Recorder(), pre, 3, teacherless_token=9)
    assert out.tolist() == [[3, 9, 9]]
    out = greedy_decode(Recorder(), pre, 3)
    assert out.tolist() == [[3, 3, 3]]


def test_greedy_batches_agree_and_restore_mode():
    task, pre, tgt = _setup(seed=3)
    model = PathOracle(task, pre.shape[1])
    model.train()
    a = greedy_decode(model, pre, 5, batch_size=1)
    b = greedy_decode(model, pre, 5, batch_size=64)
    assert torch.equal(a, b) and model.training


def test_incontext_oracle_accuracy():
    batch = incontext_examples(6, 3, 4, seed=2)

    class Copy(torch.nn.Module):
        def forward(self, x):  # reads the target path from a side table keyed by the prompt
            out = torch.zeros(*x.shape, batch.vocab.size)
            p = batch.prefix.shape[1]
            for r in range(x.shape[0]):
                i = next(j for j in range(6) if torch.equal(x[r, :p], batch.prefix[j]))
                for k in range(x.shape[1] - p + 1):
                    out[r, p - 1 + k, batch.targets[i, k]] = 1.0
            return out

    acc = path_accuracy(Copy(), batch.prefix, batch.targets, candidates=batch.candidates)
    assert acc["exact_match"] == 1.0 and acc["restricted_acc"] == 1.0


@pytest.mark.parametrize("name", ["transformer", "mamba"])
def test_head_at_read_positions_equals_full_forward(name):
    """Sequence models apply the head only where decoding reads: same logits and tokens as
    the full forward."""
    from empirical.measure.decoding import _logits_at
    from empirical.models import build_model

    task = make_pathstar(6, 3, seed=0)
    pre = torch.as_tensor(path_prefixes(task, "heldout"))
    tgt = torch.as_tensor(path_targets(task, "heldout"))
    model = build_model(name, task.vocab.size, max_len=16, seed=0).double().eval()
    x = torch.cat([pre, tgt[:, :-1]], 1)
    with torch.no_grad():
        full = model(x)
        for pos in (-1, slice(1, 3), torch.tensor([0, 2])):
            assert torch.allclose(_logits_at(model, x, pos), full[:, pos], rtol=1e-12, atol=1e-12)
        steps = []
        for _ in range(tgt.shape[1]):
            nxt = model(pre if not steps else torch.cat([pre, *steps], 1))[:, -1].argmax(-1)
            steps.append(nxt[:, None])
    assert torch.equal(greedy_decode(model, pre, tgt.shape[1]), torch.cat(steps, 1))
