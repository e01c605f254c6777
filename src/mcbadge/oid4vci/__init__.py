"""OpenID for Verifiable Credential Issuance (OID4VCI 1.0): offers, configurations, proofs.

* :mod:`~mcbadge.oid4vci.configurations` — the three credential configurations of the OB3
  microcredential (``ldp_vc``, ``jwt_vc_json``, ``dc+sd-jwt``) and the issuer / authorization
  server metadata;
* :mod:`~mcbadge.oid4vci.offers` — credential offers (:func:`issue_offer`,
  :func:`create_offer`), their URI and QR code;
* :mod:`~mcbadge.oid4vci.proof` — the wallet's JWT proof of possession.

The HTTP endpoints (``/token``, ``/nonce``, ``/credential``, ``POST /offers``) live in
:mod:`mcbadge.service.oid4vci`; the state (offers, tokens, nonces) in the store
(:mod:`mcbadge.store.oid4vci`). This package sits with the workflows: it may import
``issue``/``verify`` and everything below, never the service or the CLI.
"""

from __future__ import annotations

from mcbadge.oid4vci.configurations import CONFIGURATION_IDS, FORMATS, PRE_AUTHORIZED_GRANT
from mcbadge.oid4vci.offers import (
    DEFAULT_OFFER_TTL,
    CredentialOffer,
    check_offer_credential,
    create_offer,
    issue_offer,
    offer_uri,
)
from mcbadge.oid4vci.proof import ProofOfPossession, check_jwt_proof

__all__ = [
    "CONFIGURATION_IDS",
    "DEFAULT_OFFER_TTL",
    "FORMATS",
    "PRE_AUTHORIZED_GRANT",
    "CredentialOffer",
    "ProofOfPossession",
    "check_jwt_proof",
    "check_offer_credential",
    "create_offer",
    "issue_offer",
    "offer_uri",
]
