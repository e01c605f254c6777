"""QR codes for mcbadge: the certificate's verification link, and OpenID4VCI offers.

A thin wrapper around `segno` (pure Python, no dependencies, ISO/IEC 18004 encoder), so that
the rest of mcbadge depends on three small functions instead of a library's API:

* :func:`qr_matrix` — the modules of the symbol, dark = ``True``, without the quiet zone;
* :func:`qr_svg_path` — SVG path data drawing that matrix at a position and module size, for
  embedding in another SVG (the certificate);
* :func:`qr_png` / :func:`qr_svg` — a stand-alone image (e.g. a credential offer to scan).

Users never import this module; failures are :class:`~mcbadge.errors.InvalidInputError` with
code ``qr_data_too_long`` (more than a QR code holds) or ``qr_unavailable``.

Example:
    >>> m = qr_matrix("https://hs.example/verify?id=urn:uuid:1")
    >>> len(m) == len(m[0]) and len(m) >= 21
    True
"""

from __future__ import annotations

import io
from typing import Final, Literal

from mcbadge.errors import InvalidInputError

__all__ = ["QUIET_ZONE", "ErrorLevel", "qr_matrix", "qr_png", "qr_svg", "qr_svg_path"]

ErrorLevel = Literal["l", "m", "q", "h"]
QUIET_ZONE: Final = 4
"""Light modules around a symbol that a scanner needs (ISO/IEC 18004)."""


def _make(data: str, error: ErrorLevel) -> object:
    try:
        import segno
    except ImportError as exc:  # pragma: no cover - segno is a dependency
        raise InvalidInputError(
            "QR codes need segno (pip install segno)", code="qr_unavailable"
        ) from exc
    try:
        return segno.make_qr(data, error=error, boost_error=False)
    except segno.DataOverflowError as exc:
        raise InvalidInputError(
            f"the text ({len(data)} characters) is longer than a QR code holds",
            code="qr_data_too_long",
        ) from exc
    except ValueError as exc:
        raise InvalidInputError(f"cannot make a QR code: {exc}", code="qr_unavailable") from exc


def qr_matrix(data: str, *, error: ErrorLevel = "m") -> tuple[tuple[bool, ...], ...]:
    """The QR code's modules, row by row (dark = ``True``), without the quiet zone.

    Args:
        data: The text to encode (a URL).
        error: Error correction level; ``"m"`` (15 %) by default.

    Returns:
        A square tuple of rows.

    Raises:
        InvalidInputError: the text does not fit in a QR code (``qr_data_too_long``).

    Example:
        >>> len(qr_matrix("hi"))
        21
    """
    code = _make(data, error)
    return tuple(tuple(bool(v) for v in row) for row in code.matrix)  # type: ignore[attr-defined]


def qr_svg_path(data: str, *, x: float, y: float, module: float, error: ErrorLevel = "m") -> str:
    """SVG path data (``d``) drawing the QR code with its top-left module at ``(x, y)``.

    Runs of dark modules in a row become one rectangle each. The quiet zone is not drawn:
    leave ``QUIET_ZONE * module`` of light space around it.

    Args:
        data: The text to encode.
        x: Left edge of the symbol, in user units.
        y: Top edge of the symbol.
        module: Width of one module, in user units.
        error: Error correction level.

    Returns:
        The path data, for ``<path d="…"/>``.

    Raises:
        InvalidInputError: the text does not fit in a QR code.

    Example:
        >>> qr_svg_path("hi", x=0, y=0, module=1).startswith("M0,0h7")
        True
    """
    parts: list[str] = []
    for r, row in enumerate(qr_matrix(data, error=error)):
        c = 0
        width = len(row)
        while c < width:
            if not row[c]:
                c += 1
                continue
            start = c
            while c < width and row[c]:
                c += 1
            parts.append(
                f"M{x + start * module:g},{y + r * module:g}"
                f"h{(c - start) * module:g}v{module:g}h{-(c - start) * module:g}z"
            )
    return "".join(parts)


def qr_png(data: str, *, scale: int = 8, error: ErrorLevel = "m") -> bytes:
    """A PNG image of the QR code with its quiet zone.

    Args:
        data: The text to encode.
        scale: Pixels per module.
        error: Error correction level.

    Returns:
        The PNG file's bytes.

    Raises:
        InvalidInputError: the text does not fit in a QR code.

    Example:
        >>> qr_png("hi")[:4]
        b'\\x89PNG'
    """
    out = io.BytesIO()
    _make(data, error).save(out, kind="png", scale=scale, border=QUIET_ZONE)  # type: ignore[attr-defined]
    return out.getvalue()


def qr_svg(data: str, *, scale: int = 8, error: ErrorLevel = "m") -> str:
    """A stand-alone SVG image of the QR code with its quiet zone.

    Args:
        data: The text to encode.
        scale: User units per module.
        error: Error correction level.

    Returns:
        The SVG document.

    Raises:
        InvalidInputError: the text does not fit in a QR code.

    Example:
        >>> "<svg" in qr_svg("hi")
        True
    """
    size = (len(qr_matrix(data, error=error)) + 2 * QUIET_ZONE) * scale
    path = qr_svg_path(data, x=QUIET_ZONE * scale, y=QUIET_ZONE * scale, module=scale, error=error)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 {size} {size}"><rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path d="{path}" fill="#000"/></svg>'
    )
