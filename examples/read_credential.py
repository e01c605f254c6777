"""Verify a microcredential and read what it says; rebuild the microcredential from it.

Run: .venv/bin/python examples/read_credential.py

Prints the summary a verifier shows (learner, unit, level, size, result, EU elements) from
a freshly signed credential, and checks that Microcredential.from_credential() gives back
the fields that went in. Everything runs offline.
"""

from __future__ import annotations

from mcbadge import issue, verify
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.microcredential import Microcredential
from mcbadge.summary import describe

key = KeyPair.generate("Ed25519")
mc = sample_microcredential()
signed = issue(
    mc.to_credential(
        id="urn:uuid:6e5d4c3b-2a19-4f8e-9d7c-6b5a4f3e2d1c",
        valid_from="2026-01-15T10:00:00Z",
        issuer_id=key.did_key,
    ),
    key,
)

result = verify(signed)  # raises VerificationError (with the report) when it does not verify
summary = result.summary  # read from the JSON the checks ran on
assert summary is not None
for label, text in describe(summary):
    print(f"{label:>18}: {text}")

back = Microcredential.from_credential(result.credential)
assert (back.unit.name, back.nlqf, back.ects) == (mc.unit.name, mc.nlqf, mc.ects)
assert back.result == mc.result and back.quality_assurance == mc.quality_assurance
print("read back: the same unit, level, size, result and quality assurance")
