"""A wallet written in Python for the OpenID4VCI tests: just enough of one to redeem an offer
from ``mcbadge serve`` (token, nonce, a JWT proof of possession, the credential request) and to
misbehave on purpose (replays, forged proofs, other audiences).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from mcbadge._internal.jws import sign_compact
from mcbadge.keys import KeyPair
from mcbadge.oid4vci import PRE_AUTHORIZED_GRANT


class Wallet:
    """Just enough of a wallet: redeem an offer, get nonces, sign proofs, ask for credentials."""

    def __init__(self, http: httpx.Client, key: KeyPair | None = None) -> None:
        self.http = http
        self.key = key or KeyPair.generate("P-256")

    @staticmethod
    def read_offer(uri: str) -> dict[str, Any]:
        assert uri.startswith("openid-credential-offer://?credential_offer=")
        offer: dict[str, Any] = json.loads(parse_qs(urlsplit(uri).query)["credential_offer"][0])
        return offer

    def token(self, offer: dict[str, Any], tx_code: str | None = None) -> httpx.Response:
        grant = offer["grants"][PRE_AUTHORIZED_GRANT]
        form = {
            "grant_type": PRE_AUTHORIZED_GRANT,
            "pre-authorized_code": grant["pre-authorized_code"],
        }
        if tx_code is not None:
            form["tx_code"] = tx_code
        return self.http.post("/token", data=form)

    def nonce(self) -> str:
        response = self.http.post("/nonce")
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        return str(response.json()["c_nonce"])

    def proof(
        self,
        nonce: str,
        *,
        audience: str,
        signer: KeyPair | None = None,
        iat: int | None = None,
        header: dict[str, Any] | None = None,
    ) -> str:
        head = header or {"typ": "openid4vci-proof+jwt", "jwk": self.key.public_jwk()}
        claims = {"aud": audience, "iat": iat or int(datetime.now(UTC).timestamp()), "nonce": nonce}
        return sign_compact(head, claims, signer or self.key)

    def credential(self, access_token: str, config_id: str, proof: str) -> httpx.Response:
        return self.http.post(
            "/credential",
            json={"credential_configuration_id": config_id, "proofs": {"jwt": [proof]}},
            headers={"Authorization": f"Bearer {access_token}"},
        )
