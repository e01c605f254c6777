"""W3C Data Integrity proofs: the ``eddsa-rdfc-2022`` and ``eddsa-jcs-2022`` cryptosuites.

:func:`add_proof` secures a document (adding to a proof set, or chaining with
``previous_proof``); :func:`verify_proofs` checks every proof of a secured document and
returns one :class:`ProofResult` per proof. Both follow *Verifiable Credential Data
Integrity 1.0* (§4.2 Add Proof Set/Chain, §4.4 Verify Proof Sets and Chains) and the
*EdDSA Cryptosuites v1.0*.

Example:
    >>> from mcbadge.keys import KeyPair
    >>> key = KeyPair.generate("Ed25519")
    >>> signed = add_proof(doc, key, cryptosuite="eddsa-rdfc-2022")  # doctest: +SKIP
"""

from __future__ import annotations

from mcbadge.proofs.data_integrity import (
    CRYPTOSUITES,
    Cryptosuite,
    ProofResult,
    add_proof,
    get_cryptosuite,
    verify_proofs,
)

__all__ = [
    "CRYPTOSUITES",
    "Cryptosuite",
    "ProofResult",
    "add_proof",
    "get_cryptosuite",
    "verify_proofs",
]
