"""A printable certificate for a microcredential: an A4-landscape SVG with the credential baked in.

:func:`render_certificate_svg` draws what a person reads on a Dutch microcredential
certificate — learner, unit, institution, NLQF and EQF level, size (EC or SBU), learning
outcomes, result, date of issue and the issuer's id — from the credential's machine-readable
fields (see ``docs/mapping.md``). :func:`render_and_bake` also bakes the signed credential
into the SVG (OB3 §5.3.2), so the certificate a learner prints or shares carries the
credential that proves it.

Every text from the credential is cleaned before it is drawn: characters XML 1.0 does not
allow (control characters, U+FFFE/U+FFFF, lone surrogates) are dropped or turned into
spaces, bidirectional override and isolate controls are removed (so a name cannot reorder
the text around it), and the result is XML-escaped. SVG has no automatic line breaking, so
long texts are wrapped and shortened with an estimate of their width.

Where each part lives (every name is imported from here, the documented path):
:mod:`~mcbadge.render.labels` (the words, Dutch and English), :mod:`~mcbadge.render.text`
(cleaning, measuring and wrapping text), :mod:`~mcbadge.render.reading` (what the certificate
says, from the credential summary), :mod:`~mcbadge.render.drawing` (the page and its SVG
pieces) and :mod:`~mcbadge.render.certificate` (the public functions). In that order each
imports only the ones before it. The package is on the formats floor: it may import
:mod:`mcbadge.bake`, :mod:`mcbadge.summary` and the layers below; never verify, service or cli.

Example:
    >>> from mcbadge.render import render_and_bake
    >>> svg = render_and_bake(signed_credential, lang="nl")  # doctest: +SKIP
"""

from __future__ import annotations

from mcbadge.render.certificate import render_and_bake, render_certificate_svg, verification_link
from mcbadge.render.labels import Language

__all__ = ["Language", "render_and_bake", "render_certificate_svg", "verification_link"]
