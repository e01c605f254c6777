"""Deliver a microcredential to a learner's wallet (OpenID4VCI), as an SIS would.

Starts ``mcbadge.service`` on 127.0.0.1 with a store (a temp folder), then plays the student
information system: makes a credential offer for one learner with ``issue_offer()`` (over
HTTP, ``POST /offers`` with the issuing token), protected by a transaction code, and writes
the offer's QR code as PNG and SVG. A wallet that scans the QR code reads the issuer metadata
printed at the end, redeems the pre-authorized code at ``/token`` (with the code the learner
types) and fetches the credential from ``/credential``. Everything stays on this machine.

Run: .venv/bin/python examples/wallet_offer.py
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path

import httpx

from mcbadge import issue_offer
from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, create_app
from mcbadge.store import open_store


def main() -> None:
    key = KeyPair.generate("Ed25519")
    token = secrets.token_urlsafe(32)
    credential = sample_microcredential().to_credential(
        id="urn:uuid:9d3c1f7e-2b4a-4c6d-8e1f-0a2b3c4d5e6f",
        valid_from="2026-01-15T10:00:00Z",
        issuer_id=key.did_key,
    )
    with tempfile.TemporaryDirectory() as folder:
        with (
            open_store(data_dir=Path(folder) / "data") as store,
            BackgroundServer(create_app(key=key, issue_token=token, store=store)) as server,
        ):
            offer = issue_offer(credential, service=server.url, token=token, tx_code=True)
            png = Path(folder) / "offer.png"
            png.write_bytes(offer.qr_png())
            (Path(folder) / "offer.svg").write_text(offer.qr_svg(), encoding="utf-8")
            print(f"offer for the learner (expires {offer.expires}):\n  {offer.uri}")
            print(f"transaction code to send by e-mail: {offer.tx_code}")
            print(f"QR code: {png.stat().st_size} bytes PNG, and SVG")
            metadata = httpx.get(f"{server.url}/.well-known/openid-credential-issuer").json()
            print(f"the wallet reads {server.url}/.well-known/openid-credential-issuer:")
            for config_id, config in metadata["credential_configurations_supported"].items():
                print(f"  {config_id}: {config['format']}")


if __name__ == "__main__":
    main()
