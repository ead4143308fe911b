"""``as_dict()`` for memtheory's frozen result dataclasses (one definition for all of them)."""

from __future__ import annotations

from dataclasses import fields


class FieldsAsDict:
    """Mixin for a result dataclass: :meth:`as_dict` gives ``{field name: value}`` holding the
    field values themselves (``dataclasses.asdict`` deep-copies arrays). A trailing ``_`` is
    dropped from a key (``lambda_`` -> ``"lambda"``: the historical key is a Python keyword)."""

    __slots__ = ()

    def as_dict(self) -> dict:
        """``{key: value}``, the keys the result files use."""
        return {f.name.rstrip("_"): getattr(self, f.name) for f in fields(self)}
