"""The OpenID4VCI credential configurations mcbadge offers, and the issuer metadata around them.

Three configurations of the OB3 microcredential (OpenID4VCI 1.0 §12.2, Appendix A):

========================  ==============  ===================================================
configuration id          format          what the wallet receives
========================  ==============  ===================================================
``MicroCredential_ldp_vc``     ``ldp_vc``      the OB3 credential with an ``eddsa-rdfc-2022``
                                               Data Integrity proof (JSON)
``MicroCredential_jwt_vc_json`` ``jwt_vc_json`` the OB3 VC-JWT (OB3 §8.2 form, compact JWS)
``MicroCredential_sd_jwt``     ``dc+sd-jwt``   the SD-JWT VC (``vct`` = ``<issuer>/vct/
                                               microcredential``)
========================  ==============  ===================================================

The format names (``ldp_vc``, ``jwt_vc_json``, ``dc+sd-jwt``) are what an SIS asks for in
``POST /offers`` and ``mcbadge offer --format``; :data:`CONFIGURATION_IDS` maps them to the
configuration ids written into offers. Each configuration is written in the OpenID4VCI 1.0
form (``credential_metadata.display``) and keeps the draft-13 ``display`` beside it, so that
wallets on either generation show the credential's name.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any, Final
from urllib.parse import urlsplit

from mcbadge.errors import Oid4vciError
from mcbadge.jsonld.urls import OB3_CONTEXT_3_0_3_URL, VC_V2_CONTEXT_URL
from mcbadge.proofs.sdjwt_vc import DEFAULT_VCT_SUFFIX

__all__ = [
    "CONFIGURATION_IDS",
    "FORMATS",
    "PRE_AUTHORIZED_GRANT",
    "PROOF_ALGORITHMS",
    "authorization_server_metadata",
    "configuration_for_request",
    "credential_configurations",
    "credential_issuer_metadata",
    "https_or_loopback",
    "parse_formats",
]

PRE_AUTHORIZED_GRANT: Final = "urn:ietf:params:oauth:grant-type:pre-authorized_code"
"""The OAuth grant type of the pre-authorized code flow (OpenID4VCI 1.0 §4.1.1)."""

FORMATS: Final = ("ldp_vc", "jwt_vc_json", "dc+sd-jwt")
"""The credential formats mcbadge issues over OpenID4VCI."""

CONFIGURATION_IDS: Final[Mapping[str, str]] = {
    "ldp_vc": "MicroCredential_ldp_vc",
    "jwt_vc_json": "MicroCredential_jwt_vc_json",
    "dc+sd-jwt": "MicroCredential_sd_jwt",
}
"""Format → credential configuration id."""

PROOF_ALGORITHMS: Final = ("EdDSA", "ES256")
"""The JOSE algorithms a wallet may sign its proof of possession with."""

_TYPES: Final = ["VerifiableCredential", "OpenBadgeCredential"]
_BINDING_DID: Final = ["did:key", "did:jwk"]
_DISPLAY: Final = [
    {
        "name": "Microcredential",
        "locale": "nl-NL",
        "description": "Microcredential (Open Badges 3.0)",
    },
    {
        "name": "Microcredential",
        "locale": "en-US",
        "description": "Microcredential (Open Badges 3.0)",
    },
]


def https_or_loopback(url: str) -> bool:
    """Whether ``url`` may be a credential issuer identifier: ``https://``, or ``http://`` on a
    loopback host (``127.0.0.0/8``, ``::1``, ``localhost``) for tests and local wallets.

    Example:
        >>> https_or_loopback("http://127.0.0.1:8000"), https_or_loopback("http://hs.nl")
        (True, False)
    """
    parts = urlsplit(url) if isinstance(url, str) else None
    if parts is None or not parts.hostname:
        return False
    if parts.scheme == "https":
        return True
    if parts.scheme != "http":
        return False
    if parts.hostname == "localhost":
        return True
    try:
        return ipaddress.ip_address(parts.hostname).is_loopback
    except ValueError:
        return False


def parse_formats(formats: Sequence[str] | None) -> tuple[str, ...]:
    """Check requested formats; ``None`` means all three (in the order of :data:`FORMATS`).

    Raises:
        Oid4vciError: ``offer_invalid`` for an unknown, repeated or empty list of formats.

    Example:
        >>> parse_formats(["dc+sd-jwt", "ldp_vc"])
        ('ldp_vc', 'dc+sd-jwt')
    """
    if formats is None:
        return FORMATS
    if isinstance(formats, str) or not isinstance(formats, Sequence) or not formats:
        raise Oid4vciError(
            f"formats must be a non-empty list of {', '.join(FORMATS)}",
            code="offer_invalid",
            reason="formats_invalid",
        )
    for item in formats:
        if item not in FORMATS:
            raise Oid4vciError(
                f"unknown credential format {item!r}; mcbadge offers {', '.join(FORMATS)}",
                code="offer_invalid",
                reason="format_unknown",
            )
    if len(set(formats)) != len(formats):
        raise Oid4vciError(
            "a format is listed twice", code="offer_invalid", reason="formats_invalid"
        )
    return tuple(f for f in FORMATS if f in formats)


def credential_configurations(
    public_url: str, *, key_algorithm: str, formats: Sequence[str] = FORMATS
) -> dict[str, dict[str, Any]]:
    """The ``credential_configurations_supported`` object of the issuer metadata.

    Args:
        public_url: The credential issuer identifier (``mcbadge serve --public-url``).
        key_algorithm: The issuer key's JOSE algorithm (``EdDSA``, ``ES256``, ``RS256``).
        formats: The formats to describe (``ldp_vc`` needs an Ed25519 key).

    Example:
        >>> sorted(credential_configurations("https://hs.nl", key_algorithm="EdDSA"))
        ['MicroCredential_jwt_vc_json', 'MicroCredential_ldp_vc', 'MicroCredential_sd_jwt']
    """
    proof_types = {"jwt": {"proof_signing_alg_values_supported": list(PROOF_ALGORITHMS)}}
    common: dict[str, Any] = {
        "proof_types_supported": proof_types,
        "credential_metadata": {"display": _DISPLAY},
        "display": _DISPLAY,  # draft 13 wallets read it here
    }
    out: dict[str, dict[str, Any]] = {}
    if "ldp_vc" in formats and key_algorithm == "EdDSA":
        out[CONFIGURATION_IDS["ldp_vc"]] = {
            "format": "ldp_vc",
            "cryptographic_binding_methods_supported": _BINDING_DID,
            "credential_signing_alg_values_supported": ["eddsa-rdfc-2022"],
            "credential_definition": {
                "@context": [VC_V2_CONTEXT_URL, OB3_CONTEXT_3_0_3_URL],
                "type": _TYPES,
            },
            **common,
        }
    if "jwt_vc_json" in formats:
        out[CONFIGURATION_IDS["jwt_vc_json"]] = {
            "format": "jwt_vc_json",
            "cryptographic_binding_methods_supported": _BINDING_DID,
            "credential_signing_alg_values_supported": [key_algorithm],
            "credential_definition": {"type": _TYPES},
            **common,
        }
    if "dc+sd-jwt" in formats:
        out[CONFIGURATION_IDS["dc+sd-jwt"]] = {
            "format": "dc+sd-jwt",
            "vct": public_url.rstrip("/") + DEFAULT_VCT_SUFFIX,
            "cryptographic_binding_methods_supported": ["jwk"],
            "credential_signing_alg_values_supported": [key_algorithm],
            **common,
        }
    return out


def credential_issuer_metadata(public_url: str, *, key_algorithm: str) -> dict[str, Any]:
    """The Credential Issuer Metadata (OpenID4VCI 1.0 §12.2.4) of a service at ``public_url``.

    Example:
        >>> credential_issuer_metadata("https://hs.nl", key_algorithm="EdDSA")["nonce_endpoint"]
        'https://hs.nl/nonce'
    """
    base = public_url.rstrip("/")
    return {
        "credential_issuer": base,
        "authorization_servers": [base],
        "credential_endpoint": base + "/credential",
        "nonce_endpoint": base + "/nonce",
        "display": [{"name": "mcbadge", "locale": "en-US"}],
        "credential_configurations_supported": credential_configurations(
            base, key_algorithm=key_algorithm
        ),
    }


def authorization_server_metadata(public_url: str) -> dict[str, Any]:
    """The OAuth 2.0 Authorization Server Metadata (RFC 8414) of the pre-authorized flow.

    There is no authorization endpoint (only pre-authorized codes), so
    ``response_types_supported`` is empty; the token endpoint takes no client
    authentication (``pre-authorized_grant_anonymous_access_supported``).

    Example:
        >>> authorization_server_metadata("https://hs.nl")["token_endpoint"]
        'https://hs.nl/token'
    """
    base = public_url.rstrip("/")
    return {
        "issuer": base,
        "token_endpoint": base + "/token",
        "grant_types_supported": [PRE_AUTHORIZED_GRANT],
        "response_types_supported": [],
        "token_endpoint_auth_methods_supported": ["none"],
        "pre-authorized_grant_anonymous_access_supported": True,
    }


_DRAFT_FORMATS: Final[Mapping[str, str]] = {
    "ldp_vc": "ldp_vc",
    "jwt_vc_json": "jwt_vc_json",
    "dc+sd-jwt": "dc+sd-jwt",
    "vc+sd-jwt": "dc+sd-jwt",  # drafts before 15 named SD-JWT VCs so
}


def configuration_for_request(
    request: Mapping[str, Any], offered: Sequence[str], *, vct: str | None = None
) -> tuple[str, bool]:
    """The configuration id a credential request asks for, and whether it is a draft request.

    OpenID4VCI 1.0 names ``credential_configuration_id``; drafts 11–14 name a ``format``
    (with ``credential_definition`` or ``vct``), which is matched against the offered
    configurations of that format.

    A ``credential_identifier`` (OpenID4VCI 1.0 §8.2) is taken too: the token answer hands
    the offered configuration ids out as identifiers when the wallet asked with
    ``authorization_details``.

    Raises:
        Oid4vciError: ``invalid_credential_request`` (neither or both given),
            ``unknown_credential_configuration`` / ``unknown_credential_identifier`` /
            ``unsupported_credential_format`` (not offered).

    Example:
        >>> configuration_for_request({"format": "vc+sd-jwt"}, ["MicroCredential_sd_jwt"])
        ('MicroCredential_sd_jwt', True)
    """
    config_id = request.get("credential_configuration_id")
    fmt = request.get("format")
    if "credential_identifier" in request:
        # handed out in the token answer's authorization_details (when the wallet asked with
        # authorization_details): the identifier of a configuration is its id
        identifier = request["credential_identifier"]
        if config_id is not None or fmt is not None:
            raise Oid4vciError(
                "a credential request names a credential_identifier or a "
                "credential_configuration_id, not both",
                code="invalid_credential_request",
                status=400,
            )
        return _offered(identifier, offered, "credential identifier"), False
    if (config_id is None) == (fmt is None):
        raise Oid4vciError(
            "a credential request names either credential_configuration_id or (drafts) format",
            code="invalid_credential_request",
            status=400,
        )
    if config_id is not None:
        return _offered(config_id, offered, "credential configuration"), False
    wanted = _DRAFT_FORMATS.get(fmt) if isinstance(fmt, str) else None
    for format_name, candidate in CONFIGURATION_IDS.items():
        if format_name == wanted and candidate in offered:
            _check_draft_details(request, format_name, vct)
            return candidate, True
    raise Oid4vciError(
        f"the format {fmt!r} is not offered here",
        code="unsupported_credential_format",
        status=400,
    )


def _offered(value: Any, offered: Sequence[str], what: str) -> str:
    """``value`` if it names one of the ``offered`` configurations (``unknown_<what>``)."""
    if not isinstance(value, str) or value not in offered:
        raise Oid4vciError(
            f"the {what} {value!r} is not in this offer",
            code="unknown_" + what.replace(" ", "_"),
            status=400,
        )
    return value


def _check_draft_details(request: Mapping[str, Any], format_name: str, vct: str | None) -> None:
    """A draft request's ``vct`` / ``credential_definition.type`` must name what is offered."""
    if format_name == "dc+sd-jwt":
        given = request.get("vct")
        if given is not None and vct is not None and given != vct:
            raise Oid4vciError(
                f"the vct {given!r} is not this issuer's ({vct})",
                code="invalid_credential_request",
                status=400,
            )
        return
    definition = request.get("credential_definition")
    if definition is None:
        return
    types = definition.get("type") if isinstance(definition, Mapping) else None
    if not isinstance(types, list) or set(types) != set(_TYPES):
        raise Oid4vciError(
            f"credential_definition.type must be {_TYPES}",
            code="invalid_credential_request",
            status=400,
        )
