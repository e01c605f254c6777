"""Issue a microcredential as an SD-JWT VC, show part of it with key binding, verify, revoke.

Run: python examples/sd_jwt_wallet.py
"""

from __future__ import annotations

from mcbadge import issue, verify
from mcbadge.demo import sample_microcredential
from mcbadge.errors import VerificationError
from mcbadge.keys import KeyPair
from mcbadge.proofs.sdjwt_kb import present
from mcbadge.status.token_list import TokenStatusRegistry

KID = "https://www.hs-voorbeeld.nl/keys#1"
STATUS_URI = "https://www.hs-voorbeeld.nl/status/1"

issuer_key = KeyPair.generate("P-256").with_verification_method(KID)
wallet_key = KeyPair.generate("P-256")  # the learner's wallet holds this key
registry = TokenStatusRegistry(STATUS_URI, size=1024)  # in memory for the example

credential = sample_microcredential().to_credential(
    id="urn:uuid:3f2d1c0b-9a8e-4d7c-b6a5-4f3e2d1c0b9a", valid_from="2025-01-01T00:00:00Z"
)
reference = registry.allocate()
sd_jwt_vc = issue(
    credential,
    issuer_key,
    format="sd-jwt",
    holder_key=wallet_key.public_key,
    status=reference.to_claim(),
)
print(f"issued an SD-JWT VC of {len(sd_jwt_vc)} characters, {sd_jwt_vc.count('~') - 1} Disclosures")

# The learner shows who they are and the learning outcomes, not the grade.
shown = present(
    sd_jwt_vc,
    disclose=[("credentialSubject", "identifier"), ("credentialSubject", "achievement")],
    holder_key=wallet_key,
    audience="https://werkgever.example",
    nonce="n-81f3",
)

published = {STATUS_URI: registry.token(issuer_key)}
result = verify(
    shown,
    keys={KID: issuer_key.public_key},
    audience="https://werkgever.example",
    nonce="n-81f3",
    status_fetcher=published.__getitem__,
)
subject = result.credential["credentialSubject"]
print("verified; disclosed:", ", ".join(result.disclosed or ()))
print("unit:", subject["achievement"]["name"], "| grade shown:", bool(subject.get("result")))

registry.revoke(reference.idx)
published[STATUS_URI] = registry.token(issuer_key)
try:
    verify(
        shown,
        keys={KID: issuer_key.public_key},
        audience="https://werkgever.example",
        nonce="n-81f3",
        status_fetcher=published.__getitem__,
    )
except VerificationError as exc:
    print("after revocation:", exc.report.check("status").error_code)
