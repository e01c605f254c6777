"""Reading the service's bearer token: from a file, else from ``$MCBADGE_SERVICE_TOKEN``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Final

from mcbadge.errors import InvalidInputError

__all__ = ["TOKEN_ENV", "read_token"]

TOKEN_ENV: Final = "MCBADGE_SERVICE_TOKEN"  # noqa: S105 - the variable name, not a token


def read_token(path: Path | None) -> str | None:
    """The token in ``path`` (stripped), else ``$MCBADGE_SERVICE_TOKEN``, else ``None``.

    Raises:
        InvalidInputError: ``invalid_option`` when the file cannot be read.
    """
    if path is not None:
        try:
            return path.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise InvalidInputError(
                f"cannot read the token file {path}: {exc.strerror}", code="invalid_option"
            ) from exc
    token = os.environ.get(TOKEN_ENV)
    return token.strip() if token else None
