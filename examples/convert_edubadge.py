"""Re-issue an edubadges (Open Badges 2.0) microcredential as a signed Open Badges 3.0 credential.

Reads the public assertion, its badge class and the issuer as edubadges publishes them, converts
them with ``mcbadge.edubadges.to_microcredential``, signs the result (Data Integrity,
eddsa-rdfc-2022, with a fresh did:key) and prints the credential with the report of every
source field that was not carried over.

Run: .venv/bin/python examples/convert_edubadge.py [FOLDER] [--learner-name NAME]

FOLDER holds ``assertion-ob2-public.json``, ``badgeclass-ob2-public.microcredential.json`` and
``issuer-ob2-public.institution-extensions.json`` (default: the reference examples in
``../shared/reference/edubadges/examples``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import uuid
from pathlib import Path
from typing import Any

from mcbadge.edubadges import ConversionError, to_microcredential
from mcbadge.issue import issue
from mcbadge.keys import KeyPair

DEFAULT_FOLDER = Path("../shared/reference/edubadges/examples")
FILES = {
    "assertion": "assertion-ob2-public.json",
    "badge_class": "badgeclass-ob2-public.microcredential.json",
    "issuer": "issuer-ob2-public.institution-extensions.json",
}
_REAL_HASH = re.compile(r"(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})")


def _read(folder: Path) -> dict[str, dict[str, Any]]:
    docs: dict[str, dict[str, Any]] = {}
    for name, filename in FILES.items():
        docs[name] = json.loads((folder / filename).read_text(encoding="utf-8"))
    return docs


def _demo_recipient(assertion: dict[str, Any]) -> dict[str, Any]:
    """The reference assertion is hand-made: its recipient hash is placeholder text.

    Real edubadges assertions carry a real hash. For the demo, a placeholder is replaced by the
    hash edubadges would publish for a made-up learner identifier (SHA-256 of the lower-cased
    identifier with the salt appended); a real hash is left alone.
    """
    recipient = assertion.get("recipient", {})
    identity = recipient.get("identity", "")
    if not recipient.get("hashed") or _REAL_HASH.fullmatch(identity):
        return assertion
    salt = recipient.get("salt") or ""
    digest = hashlib.sha256(("s1234567@student.example.edu" + salt).encode()).hexdigest()
    print(f"note: placeholder recipient hash {identity!r} replaced for the demo", file=sys.stderr)
    return {**assertion, "recipient": {**recipient, "identity": f"sha256${digest}"}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_FOLDER)
    parser.add_argument(
        "--learner-name",
        default="Ana de Vries",
        help="the learner's name (edubadges public assertions do not disclose it)",
    )
    args = parser.parse_args(argv)

    docs = _read(args.folder)
    try:
        result = to_microcredential(
            _demo_recipient(docs["assertion"]),
            docs["badge_class"],
            docs["issuer"],
            learner_name=args.learner_name,
        )
    except ConversionError as exc:
        print(f"cannot convert: {exc} (field {exc.path})", file=sys.stderr)
        return 1

    key = KeyPair.generate("Ed25519")  # in production: the institution's own key
    credential = result.to_credential(id=f"urn:uuid:{uuid.uuid4()}", issuer_id=key.did_key)
    signed = issue(credential, key)
    report = {
        "credential": signed,
        "unmapped": [field.to_dict() for field in result.unmapped],
        "notes": result.notes,
    }
    print(json.dumps(report, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
