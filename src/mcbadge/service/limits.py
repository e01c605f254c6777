"""Limits of the service (body size, JSON depth, token length) and the constants its parts share."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Final

logger = logging.getLogger("mcbadge.service")

DEFAULT_MAX_BODY_BYTES: Final = 1_048_576
"""Largest request body the service accepts by default (1 MiB)."""

MAX_JSON_DEPTH: Final = 64
"""Deepest nesting of arrays and objects the service reads in a request body."""

DRAIN_LIMIT_BYTES: Final = 65_536
"""Largest unread request body drained before an early answer closes the connection."""

DRAIN_SECONDS: Final = 2.0
"""How long an early answer waits for the rest of a small body before it closes anyway."""

MIN_TOKEN_LENGTH: Final = 16
"""Shortest bearer token the service accepts for ``/credentials/issue``."""

_JSON_TYPES: Final = frozenset({"application/json", "application/ld+json"})
# Sent with answers given before the request body was read: the server then closes the
# connection. A small body is drained first (service.errors._drain_unread_body), a large one
# is not read at all.
_CLOSE: Final[Mapping[str, str]] = {"Connection": "close"}
# Signing failures that are the service's own problem (its key or signer), not the client's.
_SERVER_SIGNING_CODES: Final = frozenset(
    {
        "signer_failed",
        "signature_malformed",
        "verification_method_missing",
        "jwt_signer_failed",
        "jwt_invalid_signer",
        "jwt_no_key_reference",
        "jwt_kid_and_jwk",
    }
)
