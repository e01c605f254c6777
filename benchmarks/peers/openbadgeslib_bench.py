"""Time openbadgeslib (PyPI) on the credential mcbadge is benchmarked with.

Runs inside ``benchmarks/.venv-peers`` (created by ``benchmarks/run.py``), never in the
project's virtualenv. Reads one JSON object from stdin::

    {"credential": {...}, "payload": {...}, "iterations": {"di": 30, "jwt": 200}}

and writes one JSON object to stdout: ``{"version": ..., "results": {name: [ms, ...]}}``, or
``{"error": ...}`` per operation it cannot run. Operations: Data Integrity
``eddsa-rdfc-2022`` issue and verify (``add_data_integrity_proof`` /
``verify_data_integrity_proof``: the proof only, like ``mcbadge.proofs``) and VC-JWT issue and
verify with EdDSA and RS256 (``OB3Signer.sign_payload`` / ``OB3Verifier.verify``: signature,
``nbf``/``exp``, and openbadgeslib's model of the credential).
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any


def _times(fn: Callable[[], Any], iterations: int, warmup: int = 3) -> list[float]:
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(iterations):
        start = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def main() -> int:
    request = json.load(sys.stdin)
    credential: dict[str, Any] = request["credential"]
    payload: dict[str, Any] = request["payload"]
    iterations: dict[str, int] = request["iterations"]

    from importlib.metadata import version

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
    from openbadgeslib.ob3 import (  # type: ignore[import-not-found]
        OB3Signer,
        OB3Verifier,
        add_data_integrity_proof,
        verify_data_integrity_proof,
    )

    def pems(private: Any) -> tuple[bytes, bytes]:
        return (
            private.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            private.public_key().public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ),
        )

    ed_private, ed_public = pems(ed25519.Ed25519PrivateKey.generate())
    rsa_private, rsa_public = pems(rsa.generate_private_key(public_exponent=65537, key_size=2048))
    created = datetime(2025, 9, 1, 9, 0, tzinfo=UTC)
    vm = request.get("verification_method", "did:example:issuer#key-1")

    results: dict[str, Any] = {}

    def run(name: str, fn: Callable[[], Any], count: int) -> None:
        try:
            results[name] = _times(fn, count)
        except Exception as exc:  # noqa: BLE001 - reported, not hidden
            results[name] = {"error": f"{type(exc).__name__}: {exc}"}

    try:
        signed = add_data_integrity_proof(credential, ed_private, vm, created=created)
    except Exception as exc:  # noqa: BLE001
        results["di_issue"] = results["di_verify"] = {"error": f"{type(exc).__name__}: {exc}"}
    else:
        run(
            "di_issue",
            partial(add_data_integrity_proof, credential, ed_private, vm, created=created),
            iterations["di"],
        )
        run("di_verify", partial(verify_data_integrity_proof, signed, ed_public), iterations["di"])

    for alg, private, public in (
        ("EdDSA", ed_private, ed_public),
        ("RS256", rsa_private, rsa_public),
    ):
        signer = OB3Signer(private, algorithm=alg)
        verifier = OB3Verifier(public)
        try:
            token = signer.sign_payload(payload)
            verifier.verify(token)
        except Exception as exc:  # noqa: BLE001
            error = {"error": f"{type(exc).__name__}: {exc}"}
            results[f"jwt_issue_{alg}"] = results[f"jwt_verify_{alg}"] = error
            continue
        run(f"jwt_issue_{alg}", partial(signer.sign_payload, payload), iterations["jwt"])
        run(f"jwt_verify_{alg}", partial(verifier.verify, token), iterations["jwt"])

    json.dump({"version": version("openbadgeslib"), "results": results}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
