"""Issue 10, F6 and F9: every fetch has one deadline and never reaches a non-public address.

A real HTTPS server on 127.0.0.1 (a certificate from a throw-away CA made here) serves keys,
redirects and a body that trickles one byte at a time. Without an allow-list mcbadge refuses
to connect to it under every spelling (``127.1``, ``2130706433``, ``0x7f.1``, ``localhost``,
``[::1]``...) and refuses redirects into it; with ``NetworkPolicy(allow_addresses=...)`` the
tests reach it. A trickling server is cut off at the deadline of the whole fetch (tests set
it to a second; nothing here measures time).
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
import socket
import socketserver
import ssl
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from mcbadge.did import Resolver
from mcbadge.errors import DocumentLoaderError, ResolutionError, StatusListError
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.keys import KeyPair
from mcbadge.net import FetchError, NetworkPolicy, fetch
from mcbadge.status import StatusChecker

KEY = KeyPair.from_seed(bytes([9]) * 32)
LOOPBACK = ("127.0.0.1",)


# --------------------------------------------------------------------------- the server


def _certificates(tmp: Path) -> tuple[ssl.SSLContext, ssl.SSLContext]:
    """A CA and a server certificate for 127.0.0.1, localhost and rebind.example."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mcbadge test CA")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    key = ec.generate_private_key(ec.SECP256R1())
    names = [
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.DNSName("localhost"),
        x509.DNSName("rebind.example"),
    ]
    cert = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_file, key_file = tmp / "server.pem", tmp / "server.key"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert_file, key_file)
    client_context = ssl.create_default_context(
        cadata=ca.public_bytes(serialization.Encoding.PEM).decode("ascii")
    )
    return server_context, client_context


class _Handler(socketserver.BaseRequestHandler):
    server: _Server

    def handle(self) -> None:
        try:
            conn = self.server.tls.wrap_socket(self.request, server_side=True)
        except (ssl.SSLError, OSError):
            return
        with conn:
            conn.settimeout(10)
            data = b""
            while b"\r\n\r\n" not in data and len(data) < 65536:
                chunk = conn.recv(4096)
                if not chunk:
                    return
                data += chunk
            path = data.split(b" ", 2)[1].decode("ascii")
            self.server.paths.append(path)
            try:
                self._answer(conn, path)
            except OSError:
                return

    def _answer(self, conn: ssl.SSLSocket, path: str) -> None:
        if path.startswith("/redirect?to="):
            location = path.removeprefix("/redirect?to=")
            conn.sendall(
                f"HTTP/1.1 302 Found\r\nLocation: {location}\r\nContent-Length: 0\r\n"
                "Connection: close\r\n\r\n".encode()
            )
            return
        if path.startswith("/trickle"):
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n")
            conn.sendall(b"Content-Length: 1000\r\nConnection: close\r\n\r\n")
            for _ in range(1000):  # one byte at a time, far slower than any deadline here
                if self.server.stop.wait(0.2):
                    return
                conn.sendall(b" ")
            return
        if path.startswith("/slow-headers"):
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1000:
                if self.server.stop.wait(0.2):
                    return
                conn.sendall(bytes([byte]))
            return
        body = json.dumps(KEY.public_jwk()).encode()
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, tls: ssl.SSLContext) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.tls = tls
        self.paths: list[str] = []
        self.stop = threading.Event()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[_Server, NetworkPolicy]]:
    server_tls, client_tls = _certificates(tmp_path_factory.mktemp("tls"))
    running = _Server(server_tls)
    thread = threading.Thread(target=running.serve_forever, daemon=True)
    thread.start()
    policy = NetworkPolicy(deadline=1.0, allow_addresses=LOOPBACK, tls_context=client_tls)
    try:
        yield running, policy
    finally:
        running.stop.set()
        running.shutdown()
        running.server_close()
        thread.join(5)


def _port(server: tuple[_Server, NetworkPolicy]) -> int:
    port: int = server[0].server_address[1]
    return port


# --------------------------------------------------------------------------- F9


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",
        "127.1",
        "2130706433",
        "0x7f.1",
        "0177.0.0.1",
        "localhost",
        "LOCALHOST.",
        "[::1]",
        "[::ffff:127.0.0.1]",
        "169.254.169.254",
        "10.0.0.1",
        "192.168.1.1",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 - a URL host to refuse, not a bind address
        "224.0.0.1",
        "[fe80::1]",
        "[fc00::1]",
    ],
)
def test_non_public_addresses_are_refused_in_every_spelling(
    server: tuple[_Server, NetworkPolicy], host: str
) -> None:
    url = f"https://{host}:{_port(server)}/keys/1"
    before = len(server[0].paths)
    with pytest.raises(FetchError) as info:
        fetch(url, accept="application/json", max_bytes=10_000)
    assert info.value.kind == "address_refused"
    assert len(server[0].paths) == before  # nothing reached the server


def test_every_fetch_path_refuses_a_non_public_address(
    server: tuple[_Server, NetworkPolicy],
) -> None:
    port = _port(server)
    with pytest.raises(ResolutionError) as resolution:
        Resolver(allow_network=True).resolve_verification_method(f"https://127.1:{port}/keys/1")
    assert resolution.value.code == "resolution_address_refused"
    with pytest.raises(ResolutionError):
        Resolver(allow_network=True).resolve("did:web:127.1")
    checker = StatusChecker(allow_network=True)
    entry = {
        "id": "https://169.254.169.254/status/1#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": "https://169.254.169.254/status/1",
    }
    with pytest.raises(StatusListError) as status:
        checker.check(entry)
    assert status.value.code == "status_list_unavailable"
    assert status.value.details["reason"] == "address_refused"
    with pytest.raises(DocumentLoaderError) as loader:
        DocumentLoader(allow_network=True).load(f"https://[::1]:{port}/contexts/v1")
    assert loader.value.code == "network_address_refused"


def test_the_allow_list_reaches_the_loopback_server(
    server: tuple[_Server, NetworkPolicy],
) -> None:
    url = f"https://127.0.0.1:{_port(server)}/keys/1"
    resolver = Resolver(allow_network=True, network=server[1])
    assert resolver.resolve_verification_method(url).public_key == KEY.public_key


@pytest.mark.parametrize(
    ("target", "kind"),
    [
        ("https://169.254.169.254/latest/meta-data", "address_refused"),
        ("https://2130706434:{port}/keys/1", "address_refused"),  # 127.0.0.2: not allowed
        ("http://127.0.0.1:{port}/keys/1", "insecure_url"),
        ("/redirect?to=" * 6 + "/keys/1", "redirects"),
    ],
)
def test_redirects_are_checked_hop_by_hop(
    server: tuple[_Server, NetworkPolicy], target: str, kind: str
) -> None:
    port = _port(server)
    policy = NetworkPolicy(
        deadline=5.0,
        allow_addresses=("127.0.0.1/32",),
        tls_context=server[1].tls_context,
    )
    url = f"https://127.0.0.1:{port}/redirect?to={target.format(port=port)}"
    with pytest.raises(FetchError) as info:
        fetch(url, accept="application/json", max_bytes=10_000, policy=policy)
    assert info.value.kind == kind


def test_a_name_is_checked_by_the_address_it_resolves_to_and_that_address_is_used(
    server: tuple[_Server, NetworkPolicy], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = socket.getaddrinfo

    def dns(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
        if host == "rebind.example":  # this name's DNS answer is the loopback address
            return real("127.0.0.1", port, *args, **kwargs)
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", dns)
    url = f"https://rebind.example:{_port(server)}/keys/1"
    with pytest.raises(FetchError) as info:
        fetch(url, accept="application/json", max_bytes=10_000)
    assert info.value.kind == "address_refused"
    # allowed: connected to the checked address, certificate checked for the name
    result = fetch(url, accept="application/json", max_bytes=10_000, policy=server[1])
    assert json.loads(result.body)["x"] == KEY.public_jwk()["x"]


# --------------------------------------------------------------------------- F6


@pytest.mark.parametrize("path", ["/trickle", "/slow-headers"])
def test_a_trickling_server_is_cut_off_at_the_fetch_deadline(
    server: tuple[_Server, NetworkPolicy], path: str
) -> None:
    url = f"https://127.0.0.1:{_port(server)}{path}"
    with pytest.raises(FetchError) as info:
        fetch(url, accept="application/json", max_bytes=10_000, policy=server[1])
    assert info.value.kind == "deadline"


def test_every_fetch_path_has_the_deadline(server: tuple[_Server, NetworkPolicy]) -> None:
    url = f"https://127.0.0.1:{_port(server)}/trickle"
    policy = server[1]
    with pytest.raises(ResolutionError) as resolution:
        Resolver(allow_network=True, network=policy).resolve_verification_method(url)
    assert resolution.value.code == "resolution_timeout"
    with pytest.raises(DocumentLoaderError) as loader:
        DocumentLoader(allow_network=True, network=policy).load(url)
    assert loader.value.code == "network_deadline_exceeded"
    checker = StatusChecker(allow_network=True, network=policy)
    entry = {
        "id": f"{url}#7",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": "7",
        "statusListCredential": url,
    }
    with pytest.raises(StatusListError) as status:
        checker.check(entry)
    assert status.value.details["reason"] == "deadline"


def test_policy_rejects_nonsense() -> None:
    for bad in ({"deadline": 0}, {"max_redirects": -1}, {"allow_addresses": ("not an ip",)}):
        with pytest.raises(ValueError):
            NetworkPolicy(**bad)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- one policy


def _through_verify(server: tuple[_Server, NetworkPolicy], kind: str) -> tuple[Any, str]:
    """An input whose verification fetches ``/trickle`` on the loopback server by ``kind``'s
    path, and the text its failed check carries when the fetch is refused / times out."""
    from mcbadge import issue
    from mcbadge.proofs import add_proof
    from tests.unit.test_verify import ISSUER, ob3_credential, sign

    url = f"https://127.0.0.1:{_port(server)}/trickle"
    if kind == "status list":
        entry = {
            "id": f"{url}#7",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "7",
            "statusListCredential": url,
        }
        return sign(ob3_credential(credentialStatus=entry)), "status"
    if kind == "key":
        created = "2026-01-01T00:00:00Z"
        signed = add_proof(
            ob3_credential(), ISSUER, verification_method=f"{url}#key", created=created
        )
        return signed, "proof[0].signature"
    if kind == "context":
        document = ob3_credential()
        document["@context"] = [*document["@context"], url]
        return document, "jsonld.strict"
    if kind == "token status list":
        reference = {"status_list": {"idx": 1, "uri": url}}
        token = issue(ob3_credential(), ISSUER, format="sd-jwt", vct=url, status=reference)
        return token, "status"
    # an SD-JWT VC of an HTTPS issuer: its JWT VC Issuer Metadata is fetched
    document = ob3_credential()
    document["issuer"]["id"] = f"https://127.0.0.1:{_port(server)}"
    return issue(document, ISSUER, format="sd-jwt", vct=url), "proof.issuer_binding"


VERIFY_PATHS = ["status list", "key", "context", "token status list", "issuer metadata"]


@pytest.mark.parametrize("kind", VERIFY_PATHS)
def test_verify_passes_its_network_policy_to_every_fetch(
    server: tuple[_Server, NetworkPolicy], kind: str
) -> None:
    """``verify(allow_network=True, network=policy)``: one policy for keys, status lists (both
    kinds), contexts and issuer metadata. Without it, the loopback server is never reached;
    with it (loopback allowed, one-second deadline), it is, and the trickle is cut off."""
    from mcbadge.verify import verification_report

    value, check_id = _through_verify(server, kind)
    before = len(server[0].paths)
    refused = verification_report(value, allow_network=True)
    assert len(server[0].paths) == before, "the default policy reached a loopback address"
    failed = refused.check(check_id)
    assert failed is not None and failed.status == "failed"
    if kind != "issuer metadata":  # that one falls back to the (offline) kid binding
        assert "refusing to connect" in failed.message or "address" in (failed.error_code or "")

    allowed = verification_report(value, allow_network=True, network=server[1])
    assert len(server[0].paths) > before, "the caller's policy did not reach the fetch"
    assert not allowed.verified
    failed = allowed.check(check_id)
    assert failed is not None and failed.status == "failed"
    if kind == "issuer metadata":
        assert server[0].paths[-1].startswith("/.well-known/jwt-vc-issuer")
    else:
        assert "timed out" in failed.message or "deadline" in (failed.error_code or "")


def test_a_network_policy_without_the_network_is_an_invalid_option(
    server: tuple[_Server, NetworkPolicy],
) -> None:
    from mcbadge.errors import InvalidInputError
    from mcbadge.verify import verification_report

    value, _ = _through_verify(server, "status list")
    with pytest.raises(InvalidInputError) as info:
        verification_report(value, network=server[1])
    assert info.value.code == "invalid_option"


def test_the_token_status_checker_takes_the_policy(server: tuple[_Server, NetworkPolicy]) -> None:
    from mcbadge.status.token_list import StatusReference, TokenStatusChecker

    url = f"https://127.0.0.1:{_port(server)}/trickle"
    reference = StatusReference(1, url)
    before = len(server[0].paths)
    with pytest.raises(StatusListError) as refused:
        TokenStatusChecker(allow_network=True).check(reference, issuer_key=KEY.public_key)
    assert "refusing to connect" in refused.value.message
    assert len(server[0].paths) == before
    checker = TokenStatusChecker(allow_network=True, network=server[1])
    assert checker.network is server[1]
    with pytest.raises(StatusListError) as cut:
        checker.check(reference, issuer_key=KEY.public_key)
    assert cut.value.details["reason"] == "deadline"
    assert len(server[0].paths) == before + 1


# --------------------------------------------------------------------------- the caller's transport


def test_a_callers_own_http_client_still_has_the_url_guard(
    server: tuple[_Server, NetworkPolicy], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A caller that passes its own ``httpx`` client (or transport) decides where a *host
    name* connects: mcbadge's DNS-address check is in its own transport, which the caller's
    replaces (docs/security.md: the caller's explicit responsibility). Everything mcbadge can
    decide from the URL still holds: scheme, literal non-public addresses in every spelling,
    ``localhost``, every redirect hop, the size cap and the deadline."""
    import httpx

    port = _port(server)
    tls = server[1].tls_context
    with httpx.Client(verify=tls, trust_env=False) as own:  # type: ignore[arg-type]
        before = len(server[0].paths)
        for host in ("127.0.0.1", "127.1", "2130706433", "localhost", "[::1]", "169.254.169.254"):
            with pytest.raises(FetchError) as info:
                fetch(f"https://{host}:{port}/keys/1", accept="*/*", max_bytes=10_000, client=own)
            assert info.value.kind == "address_refused", host
        with pytest.raises(FetchError) as insecure:
            fetch(f"http://example.org:{port}/", accept="*/*", max_bytes=10_000, client=own)
        assert insecure.value.kind == "insecure_url"
        assert len(server[0].paths) == before  # nothing reached the server

        # loopback allowed by the policy: redirects are still checked hop by hop, the
        # deadline still cuts a trickle off, the size cap still holds
        hop = f"https://127.0.0.1:{port}/redirect?to=https://169.254.169.254/latest/meta-data"
        with pytest.raises(FetchError) as redirect:
            fetch(hop, accept="*/*", max_bytes=10_000, policy=server[1], client=own)
        assert redirect.value.kind == "address_refused"
        with pytest.raises(FetchError) as slow:
            url = f"https://127.0.0.1:{port}/trickle"
            fetch(url, accept="*/*", max_bytes=10_000, policy=server[1], client=own)
        assert slow.value.kind == "deadline"
        with pytest.raises(FetchError) as big:
            url = f"https://127.0.0.1:{port}/keys/1"
            fetch(url, accept="*/*", max_bytes=10, policy=server[1], client=own)
        assert big.value.kind == "too_large"

        # the one thing the caller's client decides: which address a name resolves to
        real = socket.getaddrinfo

        def dns(host: str, port: Any, *args: Any, **kwargs: Any) -> Any:
            if host == "rebind.example":
                return real("127.0.0.1", port, *args, **kwargs)
            return real(host, port, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", dns)
        url = f"https://rebind.example:{port}/keys/1"
        with pytest.raises(FetchError) as guarded:
            fetch(url, accept="*/*", max_bytes=10_000)  # mcbadge's own transport
        assert guarded.value.kind == "address_refused"
        reached = fetch(url, accept="*/*", max_bytes=10_000, client=own)
        assert json.loads(reached.body)["x"] == KEY.public_jwk()["x"]


def test_verify_many_and_the_service_pass_the_policy_too(
    server: tuple[_Server, NetworkPolicy],
) -> None:
    import httpx

    from mcbadge.errors import InvalidInputError
    from mcbadge.service import BackgroundServer, create_app
    from mcbadge.verify.many import verify_many

    document, _ = _through_verify(server, "status list")
    before = len(server[0].paths)
    (outcome,) = verify_many([document], workers=1, allow_network=True, network=server[1])
    assert outcome.report is not None and not outcome.report.verified
    assert "timed out" in outcome.report.check("status").message  # type: ignore[union-attr]
    assert len(server[0].paths) == before + 1

    with pytest.raises(InvalidInputError):
        create_app(verify_only=True, network=server[1])  # a policy without the network
    for network, reached in ((None, 0), (server[1], 1)):
        app = create_app(verify_only=True, allow_network=True, network=network)
        before = len(server[0].paths)
        with BackgroundServer(app) as service:
            answer = httpx.post(
                service.url + "/credentials/verify",
                json={"verifiableCredential": document},
                timeout=60,
            )
        assert answer.status_code == 400, answer.text
        assert len(server[0].paths) == before + reached


def test_the_command_line_takes_an_allow_list(
    server: tuple[_Server, NetworkPolicy], tmp_path: Path
) -> None:
    """``mcbadge verify --allow-network --allow-address 127.0.0.1``: the address is no longer
    refused (the fetch then fails on this test's private certificate authority, which the
    command does not trust); without ``--allow-address`` it is refused before connecting."""
    from tests.integration.test_cli_verify import run

    document, _ = _through_verify(server, "status list")
    path = tmp_path / "credential.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    def status_message(*options: str) -> str:
        result = run("--json", "verify", *options, str(path))
        assert result.returncode == 1, result.stdout + result.stderr
        checks = {c["id"]: c for c in json.loads(result.stdout)["checks"]}
        message: str = checks["status"]["message"]
        return message

    assert "refusing to connect" in status_message("--allow-network")
    allowed = status_message("--allow-network", "--allow-address", "127.0.0.1")
    assert "refusing to connect" not in allowed
    assert "certificate" in allowed.lower() or "ssl" in allowed.lower(), allowed
    refused = run("--json", "verify", "--allow-address", "127.0.0.1", str(path))
    assert refused.returncode == 2
    assert json.loads(refused.stderr)["error"]["code"] == "invalid_option"
    bad = run("--json", "verify", "--allow-network", "--allow-address", "nonsense", str(path))
    assert bad.returncode == 2
    assert json.loads(bad.stderr)["error"]["code"] == "invalid_option"


def test_serve_takes_the_allow_list_with_the_network_only() -> None:
    import argparse

    from mcbadge.errors import InvalidInputError
    from mcbadge.service import app_from_args, build_parser_serve

    parser = argparse.ArgumentParser(prog="mcbadge")
    build_parser_serve(parser.add_subparsers(dest="command"))

    def args(*argv: str) -> argparse.Namespace:
        return parser.parse_args(["serve", "--verify-only", *argv])

    with pytest.raises(InvalidInputError) as info:
        app_from_args(args("--allow-address", "10.20.0.0/16"))
    assert info.value.code == "invalid_option"
    with pytest.raises(InvalidInputError):
        app_from_args(args("--allow-network", "--allow-address", "not-an-address"))
    assert app_from_args(args("--allow-network", "--allow-address", "10.20.0.0/16")) is not None
