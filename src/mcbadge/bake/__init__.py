"""Baking: carry an Open Badges 3.0 credential inside a PNG or SVG image, and take it out again.

This follows *Open Badges 3.0* §5.3 "Baked Badge":

* **PNG** — one ``iTXt`` chunk with the keyword ``openbadgecredential``, compression flag 0,
  empty language tag and translated keyword. Its text is the credential's JSON (a credential
  with an embedded proof, e.g. Data Integrity) or the compact JWS (a VC-JWT). mcbadge writes
  the chunk straight after ``IHDR`` so that readers that stop at the first match find it
  early; PNG allows an ``iTXt`` chunk anywhere between ``IHDR`` and ``IEND``.
* **SVG** — the root ``<svg>`` declares ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"``
  and its first child is ``<openbadges:credential>``: with a ``verify="…"`` attribute holding
  the compact JWS for a VC-JWT, or with the credential's JSON in a ``<![CDATA[…]]>`` body for
  an embedded proof.

The spec allows exactly one credential per image and leaves it to the implementation whether
baking an already baked image is an error or replaces the credential: mcbadge refuses
(``already_baked``) unless the caller passes ``replace=True``.

Reading is strict: a PNG must have a valid signature, well-formed chunks and correct CRCs;
an SVG is parsed with expat; the standard SVG 1.0/1.1 ``<!DOCTYPE svg PUBLIC …>`` is accepted,
but no DTD is ever loaded and no entity expanded: an internal DTD subset, an entity declaration
or an entity reference is refused (no XXE, no "billion laughs"). Input sizes are bounded.
Every failure is a :class:`~mcbadge.errors.BakingError` with a stable ``code``.

Where each part lives (every name is imported from here, the documented path):
:mod:`~mcbadge.bake.common` (the credential as text, the limits), :mod:`~mcbadge.bake.png`,
:mod:`~mcbadge.bake.svg`, and :mod:`~mcbadge.bake.auto` (:func:`detect_format`, :func:`bake`,
:func:`unbake` for either). The package is on the credentials floor: it may import
:mod:`mcbadge.errors` and :mod:`mcbadge._internal`; never proofs, verify, service or cli.

Example:
    >>> from mcbadge.bake import bake, unbake
    >>> baked = bake(png_bytes, signed_credential)  # doctest: +SKIP
    >>> unbake(baked) == signed_credential  # doctest: +SKIP
    True
"""

from __future__ import annotations

from mcbadge.bake.auto import bake, detect_format, unbake
from mcbadge.bake.common import DEFAULT_MAX_CREDENTIAL_BYTES, DEFAULT_MAX_IMAGE_BYTES, ImageFormat
from mcbadge.bake.png import PNG_KEYWORD, bake_png, unbake_png
from mcbadge.bake.svg import OB3_SVG_NAMESPACE, bake_svg, unbake_svg

__all__ = [
    "DEFAULT_MAX_CREDENTIAL_BYTES",
    "DEFAULT_MAX_IMAGE_BYTES",
    "OB3_SVG_NAMESPACE",
    "PNG_KEYWORD",
    "ImageFormat",
    "bake",
    "bake_png",
    "bake_svg",
    "detect_format",
    "unbake",
    "unbake_png",
    "unbake_svg",
]
