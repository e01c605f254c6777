"""Status list constants shared by the issuer and verifier sides, and the error helpers."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

from mcbadge.errors import (
    StatusListError,
)

if TYPE_CHECKING:
    pass


MIN_ENTRIES: Final = 131_072
"""The minimum number of entries of a status list (the spec's Validate Algorithm: 16 KB of bits)."""

DEFAULT_MAX_DECODED_BYTES: Final = 16 * 1024 * 1024
"""Largest uncompressed bitstring :meth:`BitstringStatusList.decode` accepts (decompression bomb
guard): 16 MiB, i.e. 134 million one-bit entries."""

DEFAULT_CACHE_TTL: Final = 300.0
"""Seconds a fetched list is reused by default: the spec's default ``ttl`` (300000 ms)."""

DEFAULT_MAX_DOCUMENT_BYTES: Final = 2 * 1024 * 1024
"""Largest status list document (credential, JWT or revocation list) the checker reads."""

DEFAULT_TIMEOUT: Final = 10.0
"""Seconds per HTTPS request when the checker fetches lists itself."""

MAX_STATUS_SIZE: Final = 8
"""Largest ``statusSize`` supported (2**8 = 256 status messages)."""

VC_V2_CONTEXT: Final = "https://www.w3.org/ns/credentials/v2"
BITSTRING_ENTRY_TYPE: Final = "BitstringStatusListEntry"
BITSTRING_CREDENTIAL_TYPE: Final = "BitstringStatusListCredential"
BITSTRING_SUBJECT_TYPE: Final = "BitstringStatusList"
REVOCATION_LIST_TYPE: Final = "1EdTechRevocationList"

StatusFetcher = Callable[[str], "bytes | str | Mapping[str, Any]"]
"""Called with a status list URL; returns the document: JSON bytes/text, a compact JWS (VC-JWT)
or an already parsed JSON object. Raise any exception when it cannot be had."""
_INDEX_RE: Final = re.compile(r"[0-9]+", re.ASCII)
_HEX_STATUS_RE: Final = re.compile(r"0x[0-9a-fA-F]+", re.ASCII)
_DEFAULT_TTL_MS: Final = 300_000


def _error(message: str, code: str, **details: Any) -> StatusListError:
    return StatusListError(message, code=code, **details)


def _check_int(value: Any, name: str, *, minimum: int, code: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < minimum:
        raise _error(f"{name} must be an integer >= {minimum}, got {value!r}", code, field=name)
    return value
