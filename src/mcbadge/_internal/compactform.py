"""The "compact form" rule: what a check reads is what the signature covers.

mcbadge's checks (dates, status, issuer, type, proofs, endorsements) read JSON members by
their term names: ``validUntil``, ``credentialStatus``, ``id``. An ``eddsa-rdfc-2022``
signature covers the RDF dataset, and many JSON spellings give the same dataset: the member
renamed to its full IRI, moved under an ``@nest`` term, reached through an alias term from an
inline context, wrapped in a value object, or restated on another node with the same ``@id``
(``@included``, ``@reverse``). Each would hide a member from a check while the signature still
verifies (issue 10, F1).

mcbadge therefore accepts only documents written in the *compact form of their own
contexts*: every statement is made with the one term the active context has for it, in the
shape that context gives. These problem kinds are reported (with the strict-mode problems of
:mod:`mcbadge.jsonld`) and refused at signing and at verification with the error code
``jsonld_not_compact`` (:class:`~mcbadge.errors.NonCompactJsonLdError`):

* ``non_compact_key`` — a key written as an IRI, compact IRI or vocabulary-relative name
  although a term of the active context maps to that IRI;
* ``keyword_spelling`` — ``@id`` / ``@type`` written as the keyword in a node object although
  the active context aliases it (``id`` / ``type``);
* ``nest``, ``included``, ``reverse_property`` — statements made through ``@nest``,
  ``@included``, ``@reverse`` or a reverse-property term; ``set_object`` — a value wrapped
  in ``{"@set": [...]}`` (the compact form is the array);
* ``value_object`` — a value object where the term gives the value's type or language (or a
  value object holding only ``@value``): the plain value is the compact form;
* ``non_compact_iri`` — an ``@type`` (or ``@vocab``-typed) value written as an IRI although a
  term maps to it; ``rewritten_iri`` — an ``@id`` (or ``@id``-typed) value that a prefix
  definition turns into another IRI;
* ``node_merge`` — an embedded node object with the document's own ``@id`` (its statements
  would merge into the document's node). The one shape allowed is a node with nothing but
  ``id`` and ``type`` whose types are none the checks look for (the OB3 specification's
  complete example has ``"refreshService": {"id": <the credential's id>, "type": ...}``);
* for contexts embedded in the document (inline ``@context`` objects):
  ``inline_context_keyword`` (``@base``, ``@language``, ``@direction``, ``@propagate``,
  ``@import`` change how every other member reads), ``inline_redefinition``
  (a term already defined is given another meaning), ``keyword_alias`` (a new name for a
  keyword other than ``id``/``type``);
* ``ambiguous_term`` — a term for an IRI that another term of the active context already
  names, when the contexts mcbadge knows offline (bundled, or given by the caller) do not give
  it that name: ``expiry`` for ``validUntil`` from an embedded context, or from a context
  fetched over the network (``verify(allow_network=True)``).

Inline contexts that only add terms for new IRIs (the W3C VC 2.0 suite's
``{"ExampleTestCredential": "https://example.org/#ExampleTestCredential"}``) stay valid.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

__all__ = [
    "ALLOWED_INLINE_ALIASES",
    "CHECKED_TYPE_NAMES",
    "COMPACT_KINDS",
    "INLINE_CONTEXT_KEYWORDS",
    "terms_by_iri",
]

COMPACT_KINDS: Final = frozenset(
    {
        "non_compact_key",
        "keyword_spelling",
        "nest",
        "included",
        "reverse_property",
        "set_object",
        "value_object",
        "non_compact_iri",
        "rewritten_iri",
        "node_merge",
        "inline_context_keyword",
        "inline_redefinition",
        "keyword_alias",
        "ambiguous_term",
    }
)
"""The problem kinds of the compact-form rule (all others are strict-mode problems)."""

INLINE_CONTEXT_KEYWORDS: Final = frozenset(
    {"@base", "@language", "@direction", "@propagate", "@import"}
)
"""Context entries refused in an embedded context: each changes how other members read.

``@vocab`` stays allowed: it only gives an IRI to keys no term defines (which strict mode
refuses otherwise), and a key written for an IRI that a term names is ``non_compact_key``.
"""

CHECKED_TYPE_NAMES: Final = frozenset(
    {
        "VerifiableCredential",
        "VerifiablePresentation",
        "EnvelopedVerifiableCredential",
        "OpenBadgeCredential",
        "AchievementCredential",
        "EndorsementCredential",
        "BitstringStatusListCredential",
    }
)
"""Types the checks look for on a document: a node merged into the document may not add one."""

ALLOWED_INLINE_ALIASES: Final = frozenset({("id", "@id"), ("type", "@type")})
"""The keyword aliases an embedded context may (re)state: the ones the VC contexts define."""

# Inverse maps are built per active context (its ``mappings`` dict, which pyld and fastrdf
# keep alive in their caches); bounded so that documents cannot grow it without limit.
_INVERSE: dict[int, tuple[Mapping[str, Any], dict[str, tuple[str, ...]]]] = {}
_INVERSE_MAX: Final = 1024


def terms_by_iri(mappings: Mapping[str, Any], *, memo: bool = True) -> dict[str, tuple[str, ...]]:
    """``{IRI or keyword: (terms mapping to it, ...)}`` of an active context's term mappings.

    Args:
        mappings: pyld's ``active_ctx["mappings"]``.
        memo: Remember the result per mappings object (only for finished active contexts:
            pyld fills a new context's mappings while it processes it).

    Returns:
        The inverse map (terms mapped to ``null`` are left out).

    Raises:
        Nothing.

    Example:
        >>> terms_by_iri({"id": {"@id": "@id"}, "name": {"@id": "https://schema.org/name"}})
        {'@id': ('id',), 'https://schema.org/name': ('name',)}
    """
    hit = _INVERSE.get(id(mappings)) if memo else None
    if hit is not None and hit[0] is mappings:
        return hit[1]
    inverse: dict[str, list[str]] = {}
    for term, definition in mappings.items():
        if isinstance(definition, Mapping):
            iri = definition.get("@id")
            if isinstance(iri, str):
                inverse.setdefault(iri, []).append(term)
    result = {iri: tuple(terms) for iri, terms in inverse.items()}
    if not memo:
        return result
    if len(_INVERSE) >= _INVERSE_MAX:
        _INVERSE.clear()
    _INVERSE[id(mappings)] = (mappings, result)
    return result
