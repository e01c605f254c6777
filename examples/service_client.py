"""Run the VC API service in-process and talk to it over HTTP, as a backend would.

Starts ``mcbadge.service`` on 127.0.0.1 with a port the OS picks, issues a microcredential
(Data Integrity and VC-JWT), verifies both, shows that a tampered copy is refused with the
report, and stops the service. Everything stays on this machine.

Run: .venv/bin/python examples/service_client.py
"""

from __future__ import annotations

import copy
import secrets
from typing import Any

import httpx

from mcbadge.demo import sample_microcredential
from mcbadge.keys import KeyPair
from mcbadge.service import BackgroundServer, create_app


def main() -> None:
    key = KeyPair.generate("Ed25519")
    token = secrets.token_urlsafe(32)
    app = create_app(key=key, issue_token=token)

    credential = sample_microcredential().to_credential(
        id="urn:uuid:3f1c9a52-8a3b-4c55-9e21-6f0d7c2b1a90",
        valid_from="2025-11-23T10:00:00Z",
        issuer_id=key.did_key,
    )
    unsigned = credential.to_json_dict()

    with (
        BackgroundServer(app) as server,
        httpx.Client(base_url=server.url, timeout=30.0) as http,
    ):
        print(f"service running at {server.url}: {http.get('/health').json()}")
        auth = {"Authorization": f"Bearer {token}"}

        signed: dict[str, Any] = {}
        for name, options in (
            ("di", {"cryptosuite": "eddsa-rdfc-2022"}),
            ("jwt", {"format": "jwt"}),
        ):
            issued = http.post(
                "/credentials/issue",
                json={"credential": unsigned, "options": options},
                headers=auth,
            )
            assert issued.status_code == 201, issued.text
            signed[name] = issued.json()["verifiableCredential"]
            verified = http.post("/credentials/verify", json={"verifiableCredential": signed[name]})
            report = verified.json()
            print(
                f"issued with {options}: HTTP {verified.status_code}, verified={report['verified']}"
            )
            assert verified.status_code == 200, report

        tampered = copy.deepcopy(signed["di"])
        tampered["credentialSubject"]["achievement"]["name"] = "Something else entirely"
        refused = http.post("/credentials/verify", json={"verifiableCredential": tampered})
        failed = [e["check"] for e in refused.json()["errors"]]
        print(f"tampered copy: HTTP {refused.status_code}, failed checks {failed}")
        assert refused.status_code == 400

        no_token = http.post("/credentials/issue", json={"credential": unsigned})
        print(f"issuing without the token: HTTP {no_token.status_code}")
        assert no_token.status_code == 401
    print("service stopped")


if __name__ == "__main__":
    main()
