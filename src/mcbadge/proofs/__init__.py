"""Proofs: W3C Data Integrity (``eddsa-rdfc-2022``, ``eddsa-jcs-2022``) and VC-JWT.

* :mod:`mcbadge.proofs.data_integrity` -- :func:`add_proof` secures a document (adding to a
  proof set, or chaining with ``previous_proof``); :func:`verify_proofs` checks every proof of
  a secured document and returns one :class:`ProofResult` per proof. Both follow *Verifiable
  Credential Data Integrity 1.0* (§4.2 Add Proof Set/Chain, §4.4 Verify Proof Sets and
  Chains) and the *EdDSA Cryptosuites v1.0*.
* :mod:`mcbadge.proofs.jwt` -- VC-JWT in the Open Badges 3.0 form (OB3 §8.2): sign, decode
  strictly, check the registered claims.

May import: errors, _internal, keys, did, canon, jsonld. Never model, issue, verify, status,
service or cli. The Data Integrity names are importable from here (loaded on first use, so
``mcbadge.proofs.jwt`` does not pull in the JSON-LD stack).

Example:
    >>> from mcbadge.keys import KeyPair
    >>> key = KeyPair.generate("Ed25519")
    >>> signed = add_proof(doc, key, cryptosuite="eddsa-rdfc-2022")  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module("mcbadge.proofs.data_integrity"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
