"""The certificate: :func:`render_certificate_svg`, :func:`render_and_bake`, the verify link.

Puts the pieces together: reads the credential (:mod:`mcbadge.render.reading`), draws the
page (:mod:`mcbadge.render.drawing`), adds the verification QR code when a public URL is
given (:func:`verification_link`), and bakes the signed credential into the SVG with
:func:`mcbadge.bake.bake_svg`.

May import: the modules of this package, :mod:`mcbadge.bake`, :mod:`mcbadge.summary`,
:mod:`mcbadge.errors` (:mod:`mcbadge.model` for type checking only).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlsplit

from mcbadge._internal.jsonobject import json_object_of
from mcbadge.errors import BakingError, InvalidInputError, McBadgeError
from mcbadge.render.drawing import (
    _ACCENT,
    _CENTER,
    _FACTS_HEIGHT,
    _GOLD,
    _GREY,
    _HEIGHT,
    _SERIF,
    _TEXT_WIDTH,
    _WIDTH,
    _eu_row,
    _facts,
    _footer,
    _frame,
    _outcomes,
    _qr,
    _seal,
    _text,
)
from mcbadge.render.labels import _LABELS, Language
from mcbadge.render.reading import _read
from mcbadge.render.text import _esc, _fit, _wrap

if TYPE_CHECKING:
    from mcbadge.model import Credential

__all__ = ["render_and_bake", "render_certificate_svg", "verification_link"]


def verification_link(public_url: str, credential_id: str) -> str:
    """The issuer's verify page for a credential: ``{public_url}/verify?id={credential_id}``.

    Args:
        public_url: Where the issuing service is reached (``mcbadge serve --public-url``),
            an ``https://`` (or ``http://``) URL without query or fragment.
        credential_id: The credential's ``id``; it is percent-encoded into the query.

    Returns:
        The link.

    Raises:
        InvalidInputError: ``public_url`` is not an http(s) URL without query and fragment
            (code ``invalid_option``).

    Example:
        >>> verification_link("https://verify.hs.nl/", "urn:uuid:1")
        'https://verify.hs.nl/verify?id=urn%3Auuid%3A1'
    """
    parts = urlsplit(public_url)
    if parts.scheme not in ("https", "http") or not parts.netloc or parts.query or parts.fragment:
        raise InvalidInputError(
            f"the public URL must be an https:// URL without query or fragment, got {public_url!r}",
            code="invalid_option",
        )
    return f"{public_url.rstrip('/')}/verify?id={quote(credential_id, safe='')}"


def _credential_dict(credential: Any) -> Mapping[str, Any]:
    mapping = json_object_of(credential)
    if mapping is not None:
        return mapping
    raise InvalidInputError(
        f"render_certificate_svg() takes a credential as a dict or an mcbadge model, not "
        f"{type(credential).__name__}",
        code="credential_malformed",
    )


def render_certificate_svg(
    credential: Mapping[str, Any] | Credential,
    *,
    lang: Language = "nl",
    public_url: str | None = None,
) -> str:
    """Draw a printable A4-landscape certificate (SVG) for a microcredential.

    Reads the fields of ``docs/mapping.md``: the learner's name (the ``name`` IdentityObject
    in ``credentialSubject.identifier``, only when it is not hashed), the unit
    (``achievement.name``), the institution (``issuer.name``, and ``issuer.parentOrg.name``),
    the NLQF and EQF levels (``ext:NLQF`` / ``ext:EQF`` alignments), the size (EC from
    ``creditsAvailable`` / ``creditsEarned``, with the study hours of an ``ext:StudyLoad``
    ECTS alignment, or SBU from an ``ext:StudyLoad`` SBU alignment), the learning outcomes
    (``ext:LearningOutcome`` alignments; wrapped, and cut with "… and N more" when they do
    not fit), the result (the grade, or "Behaald"/"Completed"), the date of issue
    (``validFrom``), the EU mandatory elements (type of assessment, form of participation,
    quality assurance) and the credential id, all as :func:`mcbadge.summary.summarize` reads
    them. The institution is named by its name, not its DID. With ``public_url`` the
    certificate carries the verification link (:func:`verification_link`) as text and as a
    QR code. Missing fields are left out; the credential is not validated here and never
    modified.

    Args:
        credential: The credential (signed or not): a dict or an mcbadge model.
        lang: ``"nl"`` (Dutch labels and dates, decimal comma) or ``"en"``.
        public_url: Where the issuer's service is reached (``mcbadge serve --public-url``);
            adds the link to its verify page for this credential, and its QR code.

    Returns:
        The SVG document (UTF-8 text with an XML declaration).

    Raises:
        InvalidInputError: ``lang`` is not ``"nl"`` or ``"en"`` (``unsupported_language``),
            or ``credential`` is not a dict or model (``credential_malformed``).

    Example:
        >>> from mcbadge.demo import sample_microcredential
        >>> cred = sample_microcredential().to_credential(id="urn:uuid:1")
        >>> "Data Privacy in de Zorg" in render_certificate_svg(cred)
        True
    """
    if lang not in _LABELS:
        raise InvalidInputError(
            f"unsupported certificate language {lang!r}; use 'nl' or 'en'",
            code="unsupported_language",
        )
    labels = _LABELS[lang]
    cert = _read(_credential_dict(credential), lang)
    link = None
    if public_url is not None:
        if not cert.credential_id:
            raise InvalidInputError(
                "a verification link needs the credential's id, and this credential has none",
                code="credential_malformed",
            )
        link = verification_link(public_url, cert.credential_id)

    parts: list[str] = []
    parts += _frame()
    if cert.nlqf:
        parts += _seal(cert.nlqf)
    y = 250.0
    institution, size = _fit(cert.institution, 1900, 56, min_size=34, bold=True)
    parts.append(_text(_CENTER, y, institution, size, weight="bold", fill=_ACCENT))
    if cert.parent_org:
        y += 52
        parent, size = _fit(cert.parent_org, 1900, 36, min_size=26)
        parts.append(_text(_CENTER, y, parent, size, fill=_GREY))
    y += 165
    parts.append(_text(_CENTER, y, labels["title"], 132, family=_SERIF, fill=_ACCENT))
    y += 75
    parts.append(_text(_CENTER, y, labels["kind"], 38, weight="bold", fill=_GOLD, spacing=14))
    y += 105
    parts.append(_text(_CENTER, y, labels["certify"], 42, fill=_GREY, style="italic"))
    y += 120
    learner, size = _fit(cert.learner, _TEXT_WIDTH, 100, min_size=64, bold=True)
    if learner == cert.learner:
        learner_lines = [learner]
    else:  # too long for one line even at the smallest size: two lines, never silently cut
        learner_lines = _wrap(cert.learner, _TEXT_WIDTH, size, max_lines=2, bold=True)
    for i, line in enumerate(learner_lines):
        parts.append(_text(_CENTER, y, line, size, weight="bold", family=_SERIF))
        if i < len(learner_lines) - 1:
            y += size * 1.15
    parts.append(
        f'<line x1="{_CENTER - 700}" y1="{y + 34:g}" x2="{_CENTER + 700}" y2="{y + 34:g}" '
        f'stroke="{_GOLD}" stroke-width="3"/>'
    )
    y += 100
    verdict = labels["completed"] if cert.achieved else labels["not_achieved"]
    parts.append(_text(_CENTER, y, verdict, 42, fill=_GREY, style="italic"))
    unit_lines = _wrap(cert.unit or "—", _TEXT_WIDTH, 70, max_lines=2, bold=True)
    y += 100
    for line in unit_lines:
        parts.append(_text(_CENTER, y, line, 70, weight="bold", fill=_ACCENT))
        y += 82
    y += 8
    parts += _facts(cert.facts, y)
    y += _FACTS_HEIGHT
    if cert.eu:
        parts += _eu_row(cert.eu, y + 62)
        y += 115
    parts += _outcomes(cert, labels, y + 75)
    parts += _footer(cert, labels, link)
    if link is not None:
        parts += _qr(link, labels)

    title = f"{labels['title']} {labels['kind'].lower()}: {cert.unit} — {cert.learner}"
    head = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="210mm" '
        f'viewBox="0 0 {_WIDTH} {_HEIGHT}" xml:lang="{lang}" role="img" '
        'aria-labelledby="certificate-title">\n'
        f'<title id="certificate-title">{_esc(title)}</title>\n'
    )
    return head + "\n".join(parts) + "\n</svg>\n"


def render_and_bake(
    credential_signed: Mapping[str, Any] | str | Credential,
    *,
    lang: Language = "nl",
    public_url: str | None = None,
) -> str:
    """Render the certificate SVG and bake the signed credential into it.

    Args:
        credential_signed: The signed credential: a dict (or mcbadge model) with an embedded
            proof, or a VC-JWT (compact JWS; its payload is read, not verified, to draw the
            certificate).
        lang: ``"nl"`` or ``"en"``.
        public_url: Where the issuer's service is reached: adds the verification link and
            its QR code (see :func:`render_certificate_svg`).

    Returns:
        The certificate SVG with ``<openbadges:credential>`` as the first child of ``<svg>``.

    Raises:
        BakingError: the credential cannot be baked (``credential_not_bakeable``, e.g. a
            malformed JWT, or ``credential_too_large``).
        InvalidInputError: unsupported ``lang``.

    Example:
        >>> from mcbadge.bake import unbake_svg
        >>> svg = render_and_bake(signed, lang="en")  # doctest: +SKIP
        >>> unbake_svg(svg) == signed  # doctest: +SKIP
        True
    """
    from mcbadge.bake import bake_svg

    if isinstance(credential_signed, str):
        from mcbadge.proofs.jwt import parse_credential_jwt

        try:
            shown: Mapping[str, Any] | Credential = parse_credential_jwt(
                credential_signed.strip()
            ).credential
        except McBadgeError as exc:
            raise BakingError(
                f"the credential string is not a readable VC-JWT: {exc.message}",
                code="credential_not_bakeable",
            ) from exc
    else:
        shown = credential_signed
    svg = render_certificate_svg(shown, lang=lang, public_url=public_url)
    return bake_svg(svg, credential_signed)
