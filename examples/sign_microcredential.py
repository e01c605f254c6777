"""Build a microcredential, sign it three ways, and verify each proof.

Run: .venv/bin/python examples/sign_microcredential.py
"""

from __future__ import annotations

from mcbadge import issue
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.proofs import verify_proofs
from mcbadge.proofs.jwt import decode_credential_jwt


def main() -> None:
    key = KeyPair.generate("Ed25519")
    credential = sample_microcredential().to_credential(
        id="urn:uuid:3f1c9a52-8a3b-4c55-9e21-6f0d7c2b1a90",
        valid_from="2026-11-23T10:00:00Z",
        issuer_id=key.did_key,
    )
    for suite in ("eddsa-rdfc-2022", "eddsa-jcs-2022"):
        signed = issue(credential, key, cryptosuite=suite)
        results = verify_proofs(signed)
        assert all(r.verified for r in results), results
        print(f"{suite}: proofValue {signed['proof'][0]['proofValue'][:24]}… verified")

    token = issue(credential, key, format="jwt")
    decoded = decode_credential_jwt(token, key=key.public_key)
    assert decoded.credential == credential.to_json_dict()
    print(f"VC-JWT: {token[:40]}… ({len(token)} bytes) verified")


if __name__ == "__main__":
    main()
