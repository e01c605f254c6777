"""Issue 10, F3: one tenant must not sign for another through a key URL with dot segments.

``https://hs-voorbeeld.example/issuers/1/../2#key-1`` was compared as a string (it starts
with ``/issuers/1/``, so it looked like issuer 1's key) but httpx removes the dot segments
and fetched ``/issuers/2``: tenant 2's key verified a credential of issuer 1, even with
``trusted_issuers=[issuer 1]``. Key URLs and DID URLs with dot segments, encoded slashes or
double encoding are now refused, and key binding compares normalized URLs.
"""

from __future__ import annotations

import json

import httpx
import pytest

from mcbadge.did import Resolver, did_web_url
from mcbadge.errors import ResolutionError
from mcbadge.keys import KeyPair
from mcbadge.verify.binding import _url_under
from tests.unit.test_verify import failures, ob3_credential, report_of, sign

HOST = "https://hs-voorbeeld.example"
ISSUER_1 = f"{HOST}/issuers/1"
TENANT_2 = KeyPair.from_seed(bytes([42]) * 32)


def tenant_2_server(document_id: str) -> httpx.Client:
    """The host: it serves tenant 2's controller document at /issuers/2, written by tenant 2."""
    document = {
        "id": document_id,
        "verificationMethod": [
            {
                "id": f"{document_id}#key-1",
                "type": "Multikey",
                "controller": document_id,
                "publicKeyMultibase": TENANT_2.to_multikey(),
            }
        ],
        "assertionMethod": [f"{document_id}#key-1"],
    }

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/issuers/2":
            return httpx.Response(
                200,
                content=json.dumps(document).encode(),
                headers={"content-type": "application/json"},
            )
        return httpx.Response(404)

    return httpx.Client(transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    "path",
    [
        "/issuers/1/../2",
        "/issuers/1/%2e%2e/2",
        "/issuers/1/.%2E/2",
        "/issuers/1/./../2",
        "/issuers/1%2f..%2f2",
        "/issuers/1/%252e%252e/2",
    ],
)
def test_tenant_2_cannot_sign_for_issuer_1_with_dot_segments(path: str) -> None:
    base = HOST + path
    vm = f"{base}#key-1"
    forged = sign(ob3_credential(ISSUER_1), TENANT_2, verification_method=vm)
    resolver = Resolver(allow_network=True, http_client=tenant_2_server(base))
    report = report_of(forged, resolver=resolver, trusted_issuers=[ISSUER_1])
    assert not report.verified
    assert "verification_method_unresolved" in [code for _, code in failures(report)]
    with pytest.raises(ResolutionError) as info:
        resolver.resolve_verification_method(vm)
    assert info.value.code == "resolution_unsafe_url"


def test_tenant_2_key_still_verifies_its_own_credential() -> None:
    issuer_2 = f"{HOST}/issuers/2"
    own = sign(ob3_credential(issuer_2), TENANT_2, verification_method=f"{issuer_2}#key-1")
    resolver = Resolver(allow_network=True, http_client=tenant_2_server(issuer_2))
    assert report_of(own, resolver=resolver, trusted_issuers=[issuer_2]).verified
    forged = sign(ob3_credential(ISSUER_1), TENANT_2, verification_method=f"{issuer_2}#key-1")
    report = report_of(forged, resolver=resolver)
    assert ("proof.issuer_binding", "issuer_key_mismatch") in failures(report)


@pytest.mark.parametrize(
    ("vm", "issuer", "under"),
    [
        (f"{HOST}/issuers/1/keys/1", ISSUER_1, True),
        ("https://HS-VOORBEELD.example:443/issuers/1/keys/1", ISSUER_1, True),
        (f"{HOST}/issuers/1/../2/keys/1", ISSUER_1, False),
        (f"{HOST}/issuers/1/%2E%2E/2", ISSUER_1, False),
        (f"{HOST}/issuers/10/keys/1", ISSUER_1, False),
        (f"{HOST}/issuers/1/keys/1", f"{HOST}/issuers/1/x/..", False),
        (f"{HOST}/issuers/1/keys/1?tenant=2", ISSUER_1, False),
        ("https://user@hs-voorbeeld.example/issuers/1/k", ISSUER_1, False),
        (f"{HOST}:8443/issuers/1/keys/1", ISSUER_1, False),
    ],
)
def test_key_urls_are_compared_normalized(vm: str, issuer: str, under: bool) -> None:
    assert _url_under(vm, issuer) is under


@pytest.mark.parametrize(
    "did",
    [
        "did:web:hs-voorbeeld.example:issuers:%2e%2e",
        "did:web:hs-voorbeeld.example:issuers:.",
        "did:web:hs-voorbeeld.example:issuers:%2f",
        "did:web:hs-voorbeeld.example:issuers:%252e%252e",
        "did:web:hs-voorbeeld.example:issuers:%5c",
        "did:web:127.1",
        "did:web:2130706433",
        "did:web:0x7f.1",
        "did:web:%5B%3A%3A1%5D",
    ],
)
def test_did_web_tricks_are_refused(did: str) -> None:
    with pytest.raises(ResolutionError):
        did_web_url(did)
