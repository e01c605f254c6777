"""Either format: tell a PNG from an SVG, and bake or unbake whichever it is.

:func:`detect_format` reads the first bytes; :func:`bake` and :func:`unbake` dispatch to
:mod:`mcbadge.bake.png` and :mod:`mcbadge.bake.svg` (an image given as ``str`` is an SVG).

May import: the modules of this package, :mod:`mcbadge.errors` (:mod:`mcbadge.model` for type
checking only).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, overload

from mcbadge.bake.common import (
    DEFAULT_MAX_CREDENTIAL_BYTES,
    DEFAULT_MAX_IMAGE_BYTES,
    ImageFormat,
    _fail,
)
from mcbadge.bake.png import _PNG_SIGNATURE, _png_bytes, bake_png, unbake_png
from mcbadge.bake.svg import bake_svg, unbake_svg

if TYPE_CHECKING:
    from mcbadge.model import Credential

__all__ = ["bake", "detect_format", "unbake"]


def detect_format(image: bytes | str) -> ImageFormat:
    """Tell a PNG from an SVG by its first bytes.

    Args:
        image: The image's bytes (or, for SVG, its text).

    Returns:
        ``"png"`` or ``"svg"``.

    Raises:
        BakingError: neither (``image_format_unknown``).

    Example:
        >>> detect_format(b"\\x89PNG\\r\\n\\x1a\\n...")
        'png'
        >>> detect_format('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>')
        'svg'
    """
    if isinstance(image, bytes | bytearray | memoryview):
        head = bytes(image[:512])
        if head.startswith(_PNG_SIGNATURE):
            return "png"
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        if head.lstrip().startswith(b"<"):
            return "svg"
    elif isinstance(image, str):
        if image.lstrip("\ufeff \t\r\n").startswith("<"):
            return "svg"
    raise _fail(
        "image_format_unknown",
        "the image is neither a PNG nor an SVG; OB3 baking supports only these two",
    )


@overload
def bake(
    image: bytes,
    credential: Mapping[str, Any] | str | Credential,
    *,
    replace: bool = False,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> bytes: ...


@overload
def bake(
    image: str,
    credential: Mapping[str, Any] | str | Credential,
    *,
    replace: bool = False,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> str: ...


def bake(
    image: bytes | str,
    credential: Mapping[str, Any] | str | Credential,
    *,
    replace: bool = False,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> bytes | str:
    """Bake a credential into a PNG or SVG, whichever ``image`` is.

    Args:
        image: PNG bytes, SVG bytes (UTF-8) or SVG text.
        credential: A credential with an embedded proof (dict or mcbadge model) or a VC-JWT
            (compact JWS string).
        replace: Replace a credential the image already carries instead of refusing.
        max_image_bytes: Refuse larger images.
        max_credential_bytes: Refuse larger credentials.

    Returns:
        The baked image in the type it came in: ``bytes`` for bytes (an SVG is returned
        UTF-8 encoded), ``str`` for SVG text.

    Raises:
        BakingError: see :func:`bake_png` and :func:`bake_svg`; ``image_format_unknown`` when
            the image is neither.

    Example:
        >>> baked_png = bake(open("badge.png", "rb").read(), signed)  # doctest: +SKIP
        >>> baked_svg = bake(svg_text, token)  # doctest: +SKIP
    """
    if detect_format(image) == "png":
        return bake_png(
            _png_bytes(image),
            credential,
            replace=replace,
            max_image_bytes=max_image_bytes,
            max_credential_bytes=max_credential_bytes,
        )
    baked = bake_svg(
        image,
        credential,
        replace=replace,
        max_image_bytes=max_image_bytes,
        max_credential_bytes=max_credential_bytes,
    )
    return baked if isinstance(image, str) else baked.encode("utf-8")


def unbake(
    image: bytes | str,
    *,
    max_image_bytes: int = DEFAULT_MAX_IMAGE_BYTES,
    max_credential_bytes: int = DEFAULT_MAX_CREDENTIAL_BYTES,
) -> dict[str, Any] | str:
    """Extract the credential baked into a PNG or SVG, whichever ``image`` is.

    Args:
        image: PNG bytes, SVG bytes (UTF-8) or SVG text.
        max_image_bytes: Refuse larger images.
        max_credential_bytes: Refuse larger credentials.

    Returns:
        A dict (JSON credential with an embedded proof) or a str (VC-JWT compact JWS). Verify
        it before trusting it.

    Raises:
        BakingError: see :func:`unbake_png` and :func:`unbake_svg`; ``image_format_unknown``
            when the image is neither.

    Example:
        >>> credential = unbake(open("badge.png", "rb").read())  # doctest: +SKIP
    """
    if detect_format(image) == "png":
        return unbake_png(
            _png_bytes(image),
            max_image_bytes=max_image_bytes,
            max_credential_bytes=max_credential_bytes,
        )
    return unbake_svg(
        image, max_image_bytes=max_image_bytes, max_credential_bytes=max_credential_bytes
    )
