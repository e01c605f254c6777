"""The JSON object a credential argument stands for (a mapping, or an mcbadge model)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["json_object_of"]


def json_object_of(value: Any) -> Mapping[str, Any] | None:
    """A mapping as given, an mcbadge model's ``to_json_dict()``, or None for anything else.

    The public functions that take "a credential as a dict or an mcbadge model" read it through
    this one function, and each raises its own typed error for None.
    """
    if isinstance(value, Mapping):
        return value
    to_json_dict = getattr(value, "to_json_dict", None)
    if callable(to_json_dict) and not isinstance(value, str | bytes | bytearray):
        out = to_json_dict()
        if isinstance(out, Mapping):
            return out
    return None
