"""Sign a microcredential, then verify it the way a receiving institution would.

Run: .venv/bin/python examples/verify_credential.py

It prints the verification report of the Data Integrity credential, verifies the VC-JWT form
against a list of trusted issuers and the learner's e-mail address, and shows what a verifier
reports for a credential that was changed after signing.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime

from mcbadge import VerificationError, issue
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.verify import verification_report, verify


def main() -> None:
    # The issuing side (see examples/sign_microcredential.py).
    key = KeyPair.generate("Ed25519")
    credential = sample_microcredential().to_credential(
        id="urn:uuid:6a3f0c1e-2b4d-4e8f-9a7b-1c2d3e4f5a6b",
        valid_from=datetime.now(UTC).replace(microsecond=0),
        issuer_id=key.did_key,
    )
    signed = issue(credential, key)
    token = issue(credential, key, format="jwt")

    # The verifying side: offline, the issuer's did:key is resolved from the DID itself.
    trusted = [key.did_key]  # in practice: the institutions you accept credentials from
    result = verify(signed, trusted_issuers=trusted)
    print(result.report)  # the report as a table: every check, passed / failed / skipped
    print()

    jwt_result = verify(
        token,
        trusted_issuers=trusted,
        expected_recipient=("emailAddress", "jan.jansen@student.hs-voorbeeld.nl"),
    )
    recipient = jwt_result.report.check("recipient")
    assert recipient is not None
    print(f"VC-JWT: verified, issuer {jwt_result.issuer_id}")
    print(f"        recipient: {recipient.message}")
    print()

    # A credential changed after signing: verify() raises, and the report says why.
    tampered = copy.deepcopy(signed)
    tampered["credentialSubject"]["creditsEarned"] = 30
    try:
        verify(tampered, trusted_issuers=trusted)
    except VerificationError as exc:
        for check in exc.report.failed_checks:
            print(f"refused: {check.id} [{check.error_code}] {check.message}")
    else:  # pragma: no cover - the example would be wrong
        raise SystemExit("a changed credential verified")

    # The report as JSON, for machines (what `mcbadge verify --json` prints).
    data = verification_report(tampered).to_dict()
    print(f"JSON report: verified={data['verified']}, {len(data['checks'])} checks")


if __name__ == "__main__":
    main()
