"""What baking a PNG and baking an SVG share: the credential as text, and the size limits.

A credential to bake becomes its JSON text (an embedded proof) or stays a compact JWS (a
VC-JWT), refused when it holds characters that UTF-8 or XML 1.0 cannot carry as they are; a
credential taken out is read back strictly (:func:`mcbadge._internal.jsontext.loads_strict`).
Images and credentials are bounded (:data:`DEFAULT_MAX_IMAGE_BYTES`,
:data:`DEFAULT_MAX_CREDENTIAL_BYTES`). Every failure is a
:class:`~mcbadge.errors.BakingError` with a stable ``code``.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal` (:mod:`mcbadge.model` for type
checking only).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Literal

from mcbadge._internal.jsonobject import json_object_of
from mcbadge._internal.jsontext import JsonTextError, check_text, loads_strict
from mcbadge.errors import BakingError

if TYPE_CHECKING:
    pass


DEFAULT_MAX_IMAGE_BYTES = 32 * 1024 * 1024
"""Largest image (PNG bytes or SVG text, UTF-8) that is baked or read: 32 MiB."""


DEFAULT_MAX_CREDENTIAL_BYTES = 8 * 1024 * 1024
"""Largest credential (UTF-8 JSON or JWS) that is baked or extracted: 8 MiB."""


ImageFormat = Literal["png", "svg"]


_JWS = re.compile(r"[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+")


# Characters a JSON text may hold only inside strings that are unsafe in UTF-8 or XML 1.0:
# lone surrogates (not encodable), U+FFFE and U+FFFF (not XML characters), C1 controls
# (allowed but invisible and easily mangled). JSON escapes keep the same value.
_UNSAFE_JSON_CHARS = re.compile("[\ud800-\udfff\ufffe\uffff\x7f-\x9f]")


def _fail(code: str, message: str, **details: Any) -> BakingError:
    return BakingError(message, code=code, **details)


def _credential_text(
    credential: Any, *, indent: int | None, max_bytes: int, ascii_only: bool = False
) -> tuple[str, bool]:
    """Serialise ``credential``; returns ``(text, is_jwt)``."""
    if isinstance(credential, str):
        token = credential.strip()
        if not _JWS.fullmatch(token):
            raise _fail(
                "credential_not_bakeable",
                "a credential given as a string must be a compact JWS (a VC-JWT: three "
                "base64url parts separated by dots); pass a credential with an embedded "
                "proof as a dict",
            )
        text, is_jwt = token, True
    else:
        document = _as_mapping(credential)
        try:
            text = json.dumps(
                document,
                ensure_ascii=ascii_only,
                allow_nan=False,
                indent=indent,
                separators=(",", ":") if indent is None else (",", ": "),
            )
        except (TypeError, ValueError) as exc:
            raise _fail(
                "credential_not_bakeable",
                f"the credential cannot be written as JSON: {exc}",
            ) from exc
        try:
            check_text(text)
        except JsonTextError as exc:
            raise _fail(
                "credential_not_bakeable",
                f"the credential cannot be baked: {exc.reason}, which is not Unicode text "
                "(no reader could read it back)",
            ) from exc
        text = _UNSAFE_JSON_CHARS.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
        is_jwt = False
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        raise _fail(
            "credential_too_large",
            f"the credential is {size} bytes; the limit is {max_bytes}",
            size=size,
            limit=max_bytes,
        )
    return text, is_jwt


def _as_mapping(credential: Any) -> Mapping[str, Any]:
    mapping = json_object_of(credential)
    if mapping is not None:
        return mapping
    raise _fail(
        "credential_not_bakeable",
        f"a credential to bake is a dict (embedded proof), an mcbadge model or a compact JWS "
        f"string, not {type(credential).__name__}",
    )


def _parse_credential_text(text: str, *, where: str) -> dict[str, Any] | str:
    """Turn extracted text into a credential: a dict (JSON) or a compact JWS."""
    stripped = text.strip()
    if _JWS.fullmatch(stripped):
        return stripped
    if not stripped.startswith("{"):
        raise _fail(
            "credential_malformed",
            f"the credential in the {where} is neither a JSON object nor a compact JWS",
        )
    try:
        value = loads_strict(stripped)
    except JsonTextError as exc:
        extra = {"member": exc.member} if exc.member is not None else {}
        raise _fail(
            "credential_malformed",
            f"the credential in the {where} is not valid JSON: {exc.reason}",
            **extra,
        ) from exc
    if not isinstance(value, dict):  # pragma: no cover - "{" always parses to an object
        raise _fail("credential_malformed", f"the credential in the {where} is not an object")
    return value


def _check_image_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise _fail(
            "image_too_large",
            f"the image is {size} bytes; the limit is {max_bytes}",
            size=size,
            limit=max_bytes,
        )


def _check_credential_size(text: str, max_bytes: int) -> None:
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > max_bytes:
        raise _fail(
            "credential_too_large",
            f"the baked credential is {size} bytes; the limit is {max_bytes}",
            size=size,
            limit=max_bytes,
        )
