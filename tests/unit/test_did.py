"""DIDs: did:key and did:jwk offline, did:web and HTTPS key URLs over an injected transport."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from mcbadge._internal.multibase import base58btc_encode, base64url_encode
from mcbadge.did import (
    DID_CONTEXT,
    MULTIKEY_CONTEXT,
    Resolver,
    did_jwk,
    did_web,
    did_web_document,
    did_web_url,
    parse_controller_document,
    resolve_did_jwk,
    resolve_did_key,
)
from mcbadge.errors import InvalidInputError, ResolutionError
from mcbadge.keys import KeyPair
from mcbadge.net import NetworkPolicy
from tests.conftest import load_reference_json

ED25519_DID = "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp"
ED25519_BASE58 = "4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS"
P256_DID = "did:key:zDnaerx9CtbPJ1q36T5Ln5wYt3MQYeGRG5ehnPAmxcf5mDZpv"
P256_JWK = {
    "kty": "EC",
    "crv": "P-256",
    "x": "igrFmi0whuihKnj9R3Om1SoMph72wUGeFaBbzG2vzns",
    "y": "efsX5b10x8yjyrj4ny3pGfLcY7Xby1KzgqOdqnsrJIM",
}
# did:jwk method specification, P-256 example.
DID_JWK_P256 = (
    "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVVM3l6OT"
    "FQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
)
DID_JWK_X25519 = (
    "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJIQzdPUT"
    "FOei1EUThoYmVHZE5yZngtRkctSUswOCJ9"
)


def _mock(
    routes: dict[str, Callable[[httpx.Request], httpx.Response] | httpx.Response],
    calls: list[str] | None = None,
) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        url = str(request.url)
        if calls is not None:
            calls.append(url)
        route = routes.get(url)
        if route is None:
            return httpx.Response(404, text="not found")
        return route(request) if callable(route) else route

    return httpx.Client(transport=httpx.MockTransport(handler))


def _json(doc: Any, **headers: str) -> httpx.Response:
    return httpx.Response(
        200,
        content=json.dumps(doc).encode(),
        headers={"content-type": "application/json"} | headers,
    )


# --------------------------------------------------------------------------- did:key


def test_did_key_ed25519_resolves_to_a_multikey_document() -> None:
    doc = resolve_did_key(ED25519_DID)
    vm_id = f"{ED25519_DID}#{ED25519_DID.removeprefix('did:key:')}"
    assert doc.to_dict() == {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": ED25519_DID,
        "verificationMethod": [
            {
                "id": vm_id,
                "type": "Multikey",
                "controller": ED25519_DID,
                "publicKeyMultibase": ED25519_DID.removeprefix("did:key:"),
            }
        ],
        "authentication": [vm_id],
        "assertionMethod": [vm_id],
        "capabilityInvocation": [vm_id],
        "capabilityDelegation": [vm_id],
    }
    vm = doc.verification_method(vm_id)
    assert vm.controller == ED25519_DID
    assert vm.authorized_for("assertionMethod") and not vm.authorized_for("keyAgreement")
    assert doc.assertion_method == (vm_id,)
    # The W3C did:key test vector gives the same key in base58 (seed 00..00).
    assert KeyPair.from_seed(bytes(32)).public_key == vm.public_key
    assert base58btc_encode(vm.public_key.to_raw()) == ED25519_BASE58


def test_did_key_p256_resolves_to_the_published_jwk() -> None:
    doc = resolve_did_key(P256_DID + "#" + P256_DID.removeprefix("did:key:"))
    assert doc.id == P256_DID
    (vm,) = doc.verification_methods
    assert vm.public_key.to_jwk() == P256_JWK
    assert vm.type == "Multikey"


def test_did_key_of_the_ob3_vector_key() -> None:
    vector = load_reference_json("ob3", "test-vectors", "ob_eddsa-rdfc-2022_test-vector.json")
    doc = resolve_did_key("did:key:" + vector["publicKeyMultibase"])
    assert doc.verification_methods[0].public_key.to_raw().hex() == vector["publicKeyHex"]


@pytest.mark.parametrize(
    ("did", "code"),
    [
        (
            "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#other",
            "verification_method_not_found",
        ),
        ("did:key:u7QE", "resolution_invalid_did"),
        ("did:key:z6Mk0OIl", "resolution_invalid_did"),
        ("did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme", "resolution_invalid_did"),
        ("did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp/path", "resolution_invalid_did"),
        ("did:web:example.com", "resolution_invalid_did"),
    ],
)
def test_did_key_refusals(did: str, code: str) -> None:
    with pytest.raises(ResolutionError) as info:
        resolve_did_key(did)
    assert info.value.code == code


# --------------------------------------------------------------------------- did:jwk


def test_did_jwk_spec_example_resolves() -> None:
    doc = resolve_did_jwk(DID_JWK_P256 + "#0")
    (vm,) = doc.verification_methods
    assert vm.id == DID_JWK_P256 + "#0"
    assert vm.type == "JsonWebKey2020"
    assert vm.controller == DID_JWK_P256
    assert vm.public_key.to_jwk() == {
        "kty": "EC",
        "crv": "P-256",
        "x": "acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0",
        "y": "_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE",
    }
    assert doc.assertion_method == (vm.id,)
    assert "keyAgreement" not in doc.to_dict()


@pytest.mark.parametrize("key_type", ["Ed25519", "P-256", "RSA"])
def test_did_jwk_round_trips(key_type: Any) -> None:
    key = KeyPair.generate(key_type)
    did = did_jwk(key)
    assert did == did_jwk(key.public_key)
    vm = Resolver().resolve_verification_method(did + "#0")
    assert vm.public_key == key.public_key
    assert Resolver().resolve_verification_method(did).id == did + "#0"


def test_did_jwk_refusals() -> None:
    private = KeyPair.generate().to_jwk(private=True)
    private_did = "did:jwk:" + base64url_encode(json.dumps(private).encode())
    with pytest.raises(ResolutionError) as info:
        resolve_did_jwk(private_did)
    assert info.value.code == "key_private_material"
    with pytest.raises(ResolutionError):
        resolve_did_jwk(DID_JWK_X25519)  # an encryption key cannot sign
    with pytest.raises(ResolutionError) as frag:
        resolve_did_jwk(DID_JWK_P256 + "#1")
    assert frag.value.code == "verification_method_not_found"
    with pytest.raises(ResolutionError):
        resolve_did_jwk("did:jwk:eyJ=")
    with pytest.raises(ResolutionError):
        resolve_did_jwk("did:jwk:" + base64url_encode(b"[1,2]"))


# --------------------------------------------------------------------------- did:web


@pytest.mark.parametrize(
    ("did", "url"),
    [
        ("did:web:w3c-ccg.github.io", "https://w3c-ccg.github.io/.well-known/did.json"),
        ("did:web:w3c-ccg.github.io:user:alice", "https://w3c-ccg.github.io/user/alice/did.json"),
        ("did:web:example.com%3A3000:user:alice", "https://example.com:3000/user/alice/did.json"),
        ("did:web:example.com#key-1", "https://example.com/.well-known/did.json"),
        ("did:web:Example.COM", "https://example.com/.well-known/did.json"),
    ],
)
def test_did_web_url_follows_the_spec(did: str, url: str) -> None:
    assert did_web_url(did) == url


@pytest.mark.parametrize(
    "did",
    [
        "did:web:127.0.0.1",
        "did:web:example.com:a%2Fb",
        "did:web:example.com:..",
        "did:web:example.com:%2E%2E",
        "did:web:example.com::x",
        "did:web:exa mple.com",
        "did:web:example.com%3A99999",
        "did:web:example.com/path",
        "did:web:user@example.com",
    ],
)
def test_did_web_url_refuses_unsafe_dids(did: str) -> None:
    with pytest.raises(ResolutionError):
        did_web_url(did)


def test_did_web_builds_dids_with_port_and_path() -> None:
    assert did_web("hs-voorbeeld.nl") == "did:web:hs-voorbeeld.nl"
    assert did_web("localhost:8443", "issuers/fdi") == "did:web:localhost%3A8443:issuers:fdi"
    assert did_web("hs.nl", ["issuers", "a b"]) == "did:web:hs.nl:issuers:a%20b"
    assert (
        did_web_url(did_web("hs.nl", ["issuers", "a b"])) == "https://hs.nl/issuers/a%20b/did.json"
    )
    for bad_domain in ("192.168.1.1", "hs.nl/x", "", "-hs.nl"):
        with pytest.raises(InvalidInputError):
            did_web(bad_domain)
    with pytest.raises(InvalidInputError):
        did_web("hs.nl", "a/../b")


def test_did_web_document_lists_every_key_and_parses_back() -> None:
    did = did_web("hs-voorbeeld.nl", "issuers/fdi")
    ed = KeyPair.generate("Ed25519").with_verification_method(did + "#main")
    p256 = KeyPair.generate("P-256")
    rsa_key = KeyPair.generate("RSA").public_key
    doc = did_web_document("hs-voorbeeld.nl", ed, p256, rsa_key, path="issuers/fdi")
    assert doc["id"] == did
    assert doc["@context"] == [DID_CONTEXT, MULTIKEY_CONTEXT, "https://w3id.org/security/jwk/v1"]
    ids = [vm["id"] for vm in doc["verificationMethod"]]
    assert ids == [did + "#main", did + "#key-2", did + "#key-3"]
    assert doc["assertionMethod"] == ids == doc["authentication"]
    assert [vm["type"] for vm in doc["verificationMethod"]] == [
        "Multikey",
        "Multikey",
        "JsonWebKey",
    ]
    parsed = parse_controller_document(json.loads(json.dumps(doc)), expected_id=did)
    assert parsed.verification_method(did + "#main").public_key == ed.public_key
    assert parsed.verification_method("#key-2").public_key == p256.public_key
    assert parsed.verification_method(did + "#key-3").public_key == rsa_key
    with pytest.raises(InvalidInputError):
        did_web_document("hs-voorbeeld.nl")


def test_resolver_without_network_explains_how_to_proceed() -> None:
    with pytest.raises(ResolutionError) as info:
        Resolver().resolve_verification_method("did:web:hs-voorbeeld.nl#key-1")
    assert info.value.code == "network_not_allowed"
    assert "allow_network=True" in info.value.message and "keys=" in info.value.message
    with pytest.raises(ResolutionError) as https_info:
        Resolver().resolve_verification_method("https://hs-voorbeeld.nl/keys/1")
    assert https_info.value.code == "network_not_allowed"


def test_resolver_fetches_did_web_over_the_injected_client_and_caches() -> None:
    key = KeyPair.generate("Ed25519")
    doc = did_web_document("hs-voorbeeld.nl", key)
    calls: list[str] = []
    client = _mock(
        {
            "https://hs-voorbeeld.nl/.well-known/did.json": _json(
                doc, **{"content-type": "application/did+json"}
            )
        },
        calls,
    )
    resolver = Resolver(allow_network=True, http_client=client)
    vm = resolver.resolve_verification_method("did:web:hs-voorbeeld.nl#key-1")
    assert vm.public_key == key.public_key
    assert vm.authorized_for("assertionMethod")
    assert vm.controller == "did:web:hs-voorbeeld.nl"
    resolver.resolve_verification_method("did:web:hs-voorbeeld.nl#key-1")
    assert calls == ["https://hs-voorbeeld.nl/.well-known/did.json"]
    with pytest.raises(ResolutionError) as info:
        resolver.resolve_verification_method("did:web:hs-voorbeeld.nl#key-9")
    assert info.value.code == "verification_method_not_found"


def test_resolver_did_web_with_port_and_path() -> None:
    key = KeyPair.generate("P-256")
    doc = did_web_document("localhost:8443", key, path="issuers/fdi")
    client = _mock({"https://localhost:8443/issuers/fdi/did.json": _json(doc)})
    did_url = "did:web:localhost%3A8443:issuers:fdi#key-1"
    # localhost is this machine: reached only when the caller allows loopback (issue 10, F9)
    with pytest.raises(ResolutionError) as info:
        Resolver(allow_network=True, http_client=client).resolve_verification_method(did_url)
    assert info.value.code == "resolution_address_refused"
    loopback = NetworkPolicy(allow_addresses=("127.0.0.0/8",))
    resolver = Resolver(allow_network=True, http_client=client, network=loopback)
    vm = resolver.resolve_verification_method(did_url)
    assert vm.public_key == key.public_key


def test_resolver_refuses_a_did_web_document_with_another_id() -> None:
    doc = did_web_document("evil.example", KeyPair.generate())
    client = _mock({"https://hs-voorbeeld.nl/.well-known/did.json": _json(doc)})
    with pytest.raises(ResolutionError) as info:
        Resolver(allow_network=True, http_client=client).resolve("did:web:hs-voorbeeld.nl")
    assert info.value.code == "resolution_id_mismatch"


@pytest.mark.parametrize(
    ("response", "code"),
    [
        (httpx.Response(404, text="nope"), "resolution_http_status"),
        (httpx.Response(500, text="boom"), "resolution_http_status"),
        (
            httpx.Response(200, text="<html></html>", headers={"content-type": "text/html"}),
            "resolution_wrong_content",
        ),
        (
            httpx.Response(200, text="{not json", headers={"content-type": "application/json"}),
            "resolution_bad_json",
        ),
        (
            httpx.Response(
                200, text='{"id": 1, "id": 2}', headers={"content-type": "application/json"}
            ),
            "resolution_bad_json",
        ),
        (
            httpx.Response(200, text="[1, 2]", headers={"content-type": "application/json"}),
            "resolution_bad_document",
        ),
        (
            httpx.Response(200, content=b"\xff\xfe", headers={"content-type": "application/json"}),
            "resolution_bad_json",
        ),
    ],
)
def test_resolver_refuses_bad_responses(response: httpx.Response, code: str) -> None:
    client = _mock({"https://hs-voorbeeld.nl/.well-known/did.json": response})
    with pytest.raises(ResolutionError) as info:
        Resolver(allow_network=True, http_client=client).resolve("did:web:hs-voorbeeld.nl")
    assert info.value.code == code


def test_resolver_enforces_the_size_cap_declared_and_streamed() -> None:
    big = {"id": "did:web:hs-voorbeeld.nl", "padding": "x" * 5000}
    client = _mock({"https://hs-voorbeeld.nl/.well-known/did.json": _json(big)})
    with pytest.raises(ResolutionError) as info:
        Resolver(allow_network=True, http_client=client, max_bytes=1000).resolve(
            "did:web:hs-voorbeeld.nl"
        )
    assert info.value.code == "resolution_too_large"

    def streamed(request: httpx.Request) -> httpx.Response:
        # No content-length: the cap must hold while reading.
        return httpx.Response(
            200,
            stream=httpx.ByteStream(json.dumps(big).encode()),
            headers={"content-type": "application/json"},
        )

    client2 = _mock({"https://hs-voorbeeld.nl/.well-known/did.json": streamed})
    with pytest.raises(ResolutionError) as info2:
        Resolver(allow_network=True, http_client=client2, max_bytes=1000).resolve(
            "did:web:hs-voorbeeld.nl"
        )
    assert info2.value.code == "resolution_too_large"


def test_resolver_reports_timeouts_and_transport_errors() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("too slow", request=request)

    def broken(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    for handler, code in ((slow, "resolution_timeout"), (broken, "resolution_http_error")):
        client = _mock({"https://hs-voorbeeld.nl/.well-known/did.json": handler})
        with pytest.raises(ResolutionError) as info:
            Resolver(allow_network=True, http_client=client, timeout=0.5).resolve(
                "did:web:hs-voorbeeld.nl"
            )
        assert info.value.code == code


def test_resolver_follows_https_redirects_but_not_to_http() -> None:
    key = KeyPair.generate()
    doc = did_web_document("hs-voorbeeld.nl", key)
    start = "https://hs-voorbeeld.nl/.well-known/did.json"
    good = _mock(
        {
            start: httpx.Response(
                302, headers={"location": "https://cdn.hs-voorbeeld.nl/did.json"}
            ),
            "https://cdn.hs-voorbeeld.nl/did.json": _json(doc),
        }
    )
    vm = Resolver(allow_network=True, http_client=good).resolve_verification_method(
        "did:web:hs-voorbeeld.nl#key-1"
    )
    assert vm.public_key == key.public_key
    insecure = _mock(
        {start: httpx.Response(301, headers={"location": "http://hs-voorbeeld.nl/did.json"})}
    )
    with pytest.raises(ResolutionError) as info:
        Resolver(allow_network=True, http_client=insecure).resolve("did:web:hs-voorbeeld.nl")
    assert info.value.code == "resolution_insecure_url"
    loop = _mock({start: httpx.Response(302, headers={"location": start})})
    with pytest.raises(ResolutionError) as loop_info:
        Resolver(allow_network=True, http_client=loop).resolve("did:web:hs-voorbeeld.nl")
    assert loop_info.value.code == "resolution_too_many_redirects"


# --------------------------------------------------------------------------- HTTPS key URLs


def test_https_controller_document_like_the_ob3_vector() -> None:
    vector = load_reference_json("ob3", "test-vectors", "ob_eddsa-rdfc-2022_test-vector.json")
    controller = vector["controller"]
    document = {
        "@context": [DID_CONTEXT, MULTIKEY_CONTEXT],
        "id": controller,
        "verificationMethod": [
            {
                "id": vector["verificationMethod"],
                "type": "Multikey",
                "controller": controller,
                "publicKeyMultibase": vector["publicKeyMultibase"],
            }
        ],
        "assertionMethod": [vector["verificationMethod"]],
    }
    client = _mock({controller: _json(document)})
    vm = Resolver(allow_network=True, http_client=client).resolve_verification_method(
        vector["verificationMethod"]
    )
    assert vm.public_key.to_raw().hex() == vector["publicKeyHex"]
    assert vm.authorized_for("assertionMethod")


def test_https_legacy_ed25519_verification_key_2020_and_relative_ids() -> None:
    key = KeyPair.generate()
    document = {
        "id": "https://hs.example/issuer",
        "assertionMethod": [
            {
                "id": "#key-1",
                "type": "Ed25519VerificationKey2020",
                "controller": "https://hs.example/issuer",
                "publicKeyMultibase": key.to_multikey(),
            }
        ],
    }
    client = _mock({"https://hs.example/issuer": _json(document)})
    vm = Resolver(allow_network=True, http_client=client).resolve_verification_method(
        "https://hs.example/issuer#key-1"
    )
    assert vm.type == "Ed25519VerificationKey2020"
    assert vm.public_key == key.public_key
    assert vm.authorized_for("assertionMethod")


def test_https_bare_jwk_and_jwks_key_urls() -> None:
    key = KeyPair.generate("RSA")
    other = KeyPair.generate("RSA")
    jwks = {"keys": [other.to_jwk() | {"kid": "key-0"}, key.to_jwk() | {"kid": "key-1"}]}
    client = _mock(
        {
            "https://hs.example/keys/1": _json(
                key.to_jwk(), **{"content-type": "application/jwk+json"}
            ),
            "https://hs.example/keys": _json(jwks),
        }
    )
    resolver = Resolver(allow_network=True, http_client=client)
    bare = resolver.resolve_verification_method("https://hs.example/keys/1")
    assert bare.public_key == key.public_key and bare.relationships == frozenset()
    from_set = resolver.resolve_verification_method("https://hs.example/keys#key-1")
    assert from_set.public_key == key.public_key
    with pytest.raises(ResolutionError) as info:
        resolver.resolve_verification_method("https://hs.example/keys#key-7")
    assert info.value.code == "verification_method_not_found"


def test_https_single_verification_method_document() -> None:
    key = KeyPair.generate("P-256")
    url = "https://hs.example/keys/p256"
    vm_doc = {
        "id": url,
        "type": "Multikey",
        "controller": "https://hs.example/issuer",
        "publicKeyMultibase": key.to_multikey(),
    }
    controller_doc = {"id": "https://hs.example/issuer", "assertionMethod": [url]}
    client = _mock({url: _json(vm_doc), "https://hs.example/issuer": _json(controller_doc)})
    vm = Resolver(allow_network=True, http_client=client).resolve_verification_method(url)
    assert vm.public_key == key.public_key
    assert vm.controller == "https://hs.example/issuer"
    # issue 10, F3: a controller that does not list the key is not its controller
    unlisted = _mock({url: _json(vm_doc), "https://hs.example/issuer": _json({"id": "x"})})
    with pytest.raises(ResolutionError) as info:
        Resolver(allow_network=True, http_client=unlisted).resolve_verification_method(url)
    assert info.value.code == "verification_method_inconsistent"


def test_https_documents_with_inconsistent_methods_are_refused() -> None:
    key = KeyPair.generate()
    base = "https://hs.example/issuer"
    wrong_controller = {
        "id": base,
        "verificationMethod": [
            {
                "id": base + "#k",
                "type": "Multikey",
                "controller": "https://evil.example/",
                "publicKeyMultibase": key.to_multikey(),
            }
        ],
    }
    outside = {
        "id": base,
        "verificationMethod": [
            {
                "id": "https://evil.example/k#k",
                "type": "Multikey",
                "controller": base,
                "publicKeyMultibase": key.to_multikey(),
            }
        ],
    }
    sibling = {
        "id": base,
        "verificationMethod": [
            {
                "id": base + "2#k",
                "type": "Multikey",
                "controller": base,
                "publicKeyMultibase": key.to_multikey(),
            }
        ],
    }
    other_id = {"id": "https://other.example/issuer", "verificationMethod": []}
    for document, code in (
        (wrong_controller, "verification_method_inconsistent"),
        (outside, "verification_method_inconsistent"),
        (sibling, "verification_method_inconsistent"),
        (other_id, "resolution_id_mismatch"),
    ):
        client = _mock({base: _json(document)})
        with pytest.raises(ResolutionError) as info:
            Resolver(allow_network=True, http_client=client).resolve_verification_method(
                base + "#k"
            )
        assert info.value.code == code


def test_unsupported_key_in_a_document_is_reported_by_name() -> None:
    base = "https://hs.example/issuer"
    document = {
        "id": base,
        "verificationMethod": [
            {
                "id": base + "#k1",
                "type": "EcdsaSecp256k1VerificationKey2019",
                "controller": base,
                "publicKeyHex": "02" + "11" * 32,
            }
        ],
    }
    client = _mock({base: _json(document)})
    with pytest.raises(ResolutionError) as info:
        Resolver(allow_network=True, http_client=client).resolve_verification_method(base + "#k1")
    assert info.value.code == "verification_method_unsupported"
    assert "EcdsaSecp256k1VerificationKey2019" in info.value.message


def test_resolver_refuses_http_and_unknown_schemes_even_with_network() -> None:
    resolver = Resolver(allow_network=True, http_client=_mock({}))
    with pytest.raises(ResolutionError) as info:
        resolver.resolve_verification_method("http://hs.example/keys/1")
    assert info.value.code == "resolution_insecure_url"
    with pytest.raises(ResolutionError) as scheme:
        resolver.resolve_verification_method("ftp://hs.example/keys/1")
    assert scheme.value.code == "resolution_unsupported_method"
    with pytest.raises(ResolutionError) as method:
        resolver.resolve_verification_method("did:ethr:0xabc#key-1")
    assert method.value.code == "resolution_unsupported_method"
    with pytest.raises(ResolutionError):
        resolver.resolve_verification_method("")


def test_explicit_trusted_keys_win_without_network() -> None:
    key = KeyPair.generate("RSA")
    resolver = Resolver(keys={"https://hs.example/keys#1": key.public_key})
    vm = resolver.resolve_verification_method("https://hs.example/keys#1")
    assert vm.public_key == key.public_key
    assert vm.controller == "https://hs.example/keys"
    assert vm.authorized_for("assertionMethod")
    with pytest.raises(InvalidInputError):
        Resolver(keys={"https://hs.example/k": key})  # type: ignore[dict-item]
    with pytest.raises(InvalidInputError):
        Resolver(timeout=0)
