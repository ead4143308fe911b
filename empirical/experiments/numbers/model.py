r"""The xVal encoder: ``h_i = x_i e_{tok_i} + p_i`` into a pre-LN Transformer encoder, a token
head and a number head (Golkar et al. 2023, arXiv 2310.02989; notes §1.2-§1.5).

The same model serves every encoding: for P10 ... FP15 every value ``x_i`` is 1 (so the input is
the ordinary ``e_{tok_i} + p_i``) and only the token head is trained; for xVal the number head is
trained with MSE at the masked ``[NUM]`` and gives the predicted value ("modified number
inference").
"""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


class NumberEncoder(nn.Module):
    """Encoder with token and number heads (sizes from :class:`..config.Config`)."""

    def __init__(self, vocab: int, length: int, d_model, n_layer, n_head, d_ff, dropout):
        super().__init__()
        self.token_embedding = nn.Embedding(vocab, d_model)
        self.position_embedding = nn.Embedding(length, d_model)
        nn.init.normal_(self.token_embedding.weight, std=0.02 * np.sqrt(d_model))
        nn.init.normal_(self.position_embedding.weight, std=0.02 * np.sqrt(d_model))
        layer = nn.TransformerEncoderLayer(
            d_model,
            n_head,
            d_ff,
            dropout,
            activation="gelu",
            batch_first=True,
            norm_first=True,
            layer_norm_eps=1e-5,
        )
        self.encoder = nn.TransformerEncoder(layer, n_layer, enable_nested_tensor=False)
        self.norm = nn.LayerNorm(d_model, eps=1e-5)
        self.token_head = nn.Sequential(
            nn.Linear(d_model, d_ff, bias=False), nn.GELU(), nn.Linear(d_ff, vocab, bias=False)
        )
        self.number_head = nn.Sequential(nn.Linear(d_model, d_ff), nn.GELU(), nn.Linear(d_ff, 1))

    def embed(self, ids: torch.Tensor, values: torch.Tensor) -> torch.Tensor:
        """Multiply first, then add the position (the order of the latest released code)."""
        pos = torch.arange(ids.shape[1], device=ids.device)
        return values.unsqueeze(-1) * self.token_embedding(ids) + self.position_embedding(pos)

    def forward(self, ids, values, positions=None):
        """Token logits ``(B, L, V)`` and number-head values ``(B, L)``; with ``positions`` (a
        1-d index tensor) both heads only at those positions, ``(B, k, V)`` and ``(B, k)``: the
        final norm and the heads are position-wise, so these are the same numbers as the full
        output read there (the token head over a 2000-token vocabulary is most of the work)."""
        h = self.encoder(self.embed(ids, values))
        if positions is not None:
            h = h[:, positions]
        h = self.norm(h)
        return self.token_head(h), self.number_head(h).squeeze(-1)


def loss_fn(model, batch, positions, mse_weight: float, xval: bool):
    """Cross-entropy on every masked token, plus ``mse_weight`` x MSE of the number head at the
    masked ``[NUM]`` when ``xval``."""
    lg, num = model(batch["ids"], batch["values"], positions)  # (B, k, V), (B, k)
    loss = F.cross_entropy(lg.reshape(-1, lg.shape[-1]), batch["target_ids"].reshape(-1))
    if xval:
        loss = loss + mse_weight * F.mse_loss(num[:, 0], batch["target_values"])
    return loss


def predict(model, codec, arrays: dict, device, batch: int = 2048) -> np.ndarray:
    """Predicted values at the masked number: the number head for xVal, else the restricted
    argmax of each slot (only tokens valid in that slot) decoded by the codec."""
    pos = torch.as_tensor(arrays["positions"], device=device)
    out = []
    model.eval()
    with torch.no_grad():
        for i in range(0, arrays["ids"].shape[0], batch):
            ids = torch.as_tensor(arrays["ids"][i : i + batch], device=device)
            vals = torch.as_tensor(arrays["values"][i : i + batch], device=device).float()
            logits, num = model(ids, vals, pos)  # heads at the masked positions only
            if codec.scheme == "xVal":
                out.append(num[:, 0].double().cpu().numpy())
                continue
            pred = []
            for j, allowed in enumerate(codec.slots):
                a = torch.as_tensor(allowed, device=device)
                pred.append(a[logits[:, j][:, a].argmax(-1)].cpu().numpy())
            out.append(codec.decode_ids(np.stack(pred, axis=1)))
    model.train()
    return np.concatenate(out)
