"""A :class:`memtheory.teleport.Problem` from a torch function: gradient and Hessian-vector
product by autograd (Mishkin, Bietti & Gower 2024, arXiv 2403.03362, Sec. 4: the teleport solver
needs one HVP per iteration, which autograd gives by differentiating the gradient)."""

from __future__ import annotations

import numpy as np
import torch

from memtheory.checks import as_int
from memtheory.teleport import Problem


def autograd_problem(loss, dim: int) -> Problem:
    r"""Wrap ``loss(w: torch.Tensor) -> scalar tensor`` (``w`` of shape ``(dim,)``, float64).

    .. math:: \nabla f(w) = \partial_w f,\qquad
       \nabla^2 f(w)\,v = \partial_w\big(\nabla f(w)^\top v\big)

    (double backward). Every call converts from and to float64 numpy, so the result plugs into
    :func:`memtheory.teleport.teleport` and :func:`memtheory.teleport.gd_teleport` like the
    analytic problems.
    """
    dim = as_int("dim", dim, minimum=1)

    def tensor(w):
        w = np.asarray(w, dtype=np.float64)
        if w.shape != (dim,):
            raise ValueError(f"w must have shape ({dim},), got {w.shape}")
        return torch.tensor(w, dtype=torch.float64, requires_grad=True)

    def f(w):
        with torch.no_grad():
            return float(loss(torch.as_tensor(np.asarray(w, dtype=np.float64))))

    def grad(w):
        t = tensor(w)
        (g,) = torch.autograd.grad(loss(t), t)
        return g.numpy()

    def hvp(w, v):
        t = tensor(w)
        (g,) = torch.autograd.grad(loss(t), t, create_graph=True)
        (h,) = torch.autograd.grad(g @ torch.as_tensor(np.asarray(v, dtype=np.float64)), t)
        return h.numpy()

    return Problem(f=f, grad=grad, hvp=hvp, dim=dim)
