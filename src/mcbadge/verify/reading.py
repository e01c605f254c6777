"""What the input is: a credential as JSON text or object, a VC-JWT, an SD-JWT, or a baked
PNG/SVG image (unbaked first).
"""

from __future__ import annotations

import json
from typing import Any, Literal

import orjson

from mcbadge._internal.jsonobject import json_object_of
from mcbadge._internal.jsontext import INPUT_CODES, JsonTextError, loads_strict
from mcbadge.errors import (
    BakingError,
    InvalidInputError,
)
from mcbadge.verify.common import _JWS_SHAPE

# --------------------------------------------------------------------------- input


def _json_copy(value: Any) -> Any:
    """``value`` read back from its JSON text: what every verifier reads (refusals typed).

    A plain dict takes orjson both ways first (~15x faster than the json module). orjson
    refuses what is not plain JSON data (other types, non-str member names, lone surrogates,
    integers beyond 64 bits) and writes NaN/Infinity as null, so a copy equal to the input
    has every member and value it had; anything else goes the strict way, which says why.
    """
    if type(value) is dict:
        try:
            copy = orjson.loads(orjson.dumps(value))
            if copy == value:
                return copy
        except (TypeError, ValueError, RecursionError):  # orjson's errors are both
            pass
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidInputError(
            f"the credential is not JSON data: {exc}", code="input_not_json"
        ) from exc
    return _parse_json_text(text)


def _parse_json_text(text: str) -> Any:
    try:
        return loads_strict(text)
    except JsonTextError as exc:
        message = (
            f"the JSON has the member {exc.member!r} twice in one object; refused because "
            "different readers would see different credentials"
            if exc.kind == "duplicate"
            else f"the input is not valid JSON: {exc.reason}"
        )
        extra = {"member": exc.member} if exc.member is not None else {}
        raise InvalidInputError(
            message, code=INPUT_CODES.get(exc.kind, "input_not_json"), **extra
        ) from exc


def _unbake(image: bytes | str) -> Any:
    """Take the credential out of a baked PNG or SVG (OB3 §5.3)."""
    try:
        from mcbadge.bake import unbake
    except ImportError as exc:  # pragma: no cover - mcbadge.bake ships with mcbadge
        raise InvalidInputError(
            "this is an image (PNG or SVG), and reading baked images needs mcbadge.bake, "
            "which is not available",
            code="baked_image_unsupported",
        ) from exc
    try:
        return unbake(image)
    except BakingError as exc:
        raise InvalidInputError(
            f"cannot take a credential out of the image: {exc.message}", code=exc.code
        ) from exc


def _read_input(value: Any) -> tuple[Literal["json", "jwt", "sd-jwt"], Any]:
    """Classify and copy the input: a JSON object, or a compact JWS."""
    mapping = json_object_of(value)
    if mapping is not None:
        return "json", _json_copy(mapping)
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        stripped = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        if data.startswith(b"\x89PNG") or stripped.lstrip().startswith(b"<"):
            return _read_input(_unbake(data))
        try:
            value = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInputError(
                "the input bytes are neither a PNG, nor UTF-8 text (JSON, a JWT or an SVG)",
                code="input_unrecognized",
            ) from exc
    if isinstance(value, str):
        text = value.lstrip("\ufeff").strip()
        if text.startswith("{"):
            parsed = _parse_json_text(text)
            if not isinstance(parsed, dict):  # pragma: no cover - '{' always gives an object
                raise InvalidInputError("the JSON is not an object", code="input_not_object")
            return "json", parsed
        if text.startswith("<"):
            return _read_input(_unbake(text))
        if "~" in text:
            from mcbadge.proofs.sdjwt import looks_like_sd_jwt

            if looks_like_sd_jwt(text):
                return "sd-jwt", text
        if _JWS_SHAPE.fullmatch(text):
            return "jwt", text
        if text.startswith("["):
            raise InvalidInputError(
                "the input is a JSON array; a credential is a JSON object",
                code="input_not_object",
            )
        raise InvalidInputError(
            "the input is neither a JSON credential, a compact JWS (VC-JWT), nor a baked "
            "PNG/SVG image",
            code="input_unrecognized",
        )
    raise InvalidInputError(
        f"cannot verify a {type(value).__name__}: pass a dict, JSON text, a compact JWS, "
        "or the bytes of a baked PNG/SVG",
        code="input_unrecognized",
    )
