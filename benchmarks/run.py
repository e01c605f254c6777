"""``make bench``: mcbadge against its peers, on one machine, in one run.

Measures, on the same two credentials — a realistic hbo and a realistic mbo microcredential
built with :class:`mcbadge.Microcredential` — and on the same machine in the same run:

* mcbadge: Data Integrity issue and verify (``eddsa-rdfc-2022``, also with the JSON-LD fast
  path turned off, and ``eddsa-jcs-2022``), VC-JWT issue and verify (EdDSA, RS256), the full
  ``verify()`` (schema, safe mode, dates, issuer...), and ``import mcbadge`` in a fresh process;
* the JavaScript reference stack (``@digitalbazaar/vc`` with the eddsa cryptosuites, from
  ``tests/interop/node``), timed *inside* Node by the worker's ``bench`` op;
* openbadgeslib from PyPI (its Data Integrity and JWT-VC issue/verify), installed into
  ``benchmarks/.venv-peers`` (created on first use, never the project's virtualenv) and timed
  inside its own process;
* the floors: ``cryptography`` Ed25519 sign/verify of 64 bytes, and a bare ``jwcrypto`` JWS
  sign/verify of the very header and payload mcbadge signs;
* the guards and full-size operations whose speed the tests do not time
  (``benchmarks/guards.py``: status list encode/decode, RDFC poison graph, SVG with a DTD).

Every number is the median of many runs after a warm-up. It prints Markdown tables (medians,
then ratios against the targets of issue #7) and writes ``benchmarks/results.json``.

Usage::

    python benchmarks/run.py [--quick] [--no-node] [--no-peers] [--output PATH]
"""

from __future__ import annotations

import argparse
import base64
import gc
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
PEERS_VENV = BENCH_DIR / ".venv-peers"
PEER_SCRIPT = BENCH_DIR / "peers" / "openbadgeslib_bench.py"
REFERENCE_DIR = ROOT.parent / "shared" / "reference"
OPENBADGESLIB = "openbadgeslib[ldp]==4.6.3"

CREATED = "2025-09-01T09:00:00Z"
VALID_FROM = "2025-09-01T09:00:00Z"
BATCH_PLACEHOLDER = "batch: not yet measured (needs the batch issuer)"
ROUNDS = 3

sys.path.insert(0, str(ROOT))  # tests.interop.conftest (the Node worker client)


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- timing ---------------------------------------------------------------------------------------


def _times(
    fn: Callable[[], Any],
    iterations: int,
    warmup: int,
    before: Callable[[], Any] | None = None,
) -> list[float]:
    """Wall milliseconds of each call of ``fn``; ``before`` runs ahead of every call, untimed."""
    for _ in range(warmup):
        if before is not None:
            before()
        fn()
    gc.collect()
    out = []
    for _ in range(iterations):
        if before is not None:
            before()
        start = time.perf_counter_ns()
        fn()
        out.append((time.perf_counter_ns() - start) / 1e6)
    return out


def _stats(samples: list[float]) -> dict[str, float | int]:
    ordered = sorted(samples)
    return {
        "median_ms": statistics.median(ordered),
        "p10_ms": ordered[len(ordered) // 10],
        "p90_ms": ordered[(len(ordered) * 9) // 10],
        "n": len(ordered),
    }


# --- the credentials ------------------------------------------------------------------------------


def _microcredentials() -> dict[str, Any]:
    from mcbadge import (
        Institution,
        Learner,
        LearningOutcome,
        Microcredential,
        QualityAssurance,
        Result,
        Unit,
    )
    from mcbadge.demo import sample_microcredential

    mbo = Microcredential(
        learner=Learner(
            name="Fatima el Amrani",
            email="f.elamrani@student.rijnland.nl",
            student_number="7654321",
        ),
        institution=Institution(
            name="ROC Rijnland Voorbeeld",
            url="https://www.roc-voorbeeld.nl",
            brin="25XY",
            locality="Leiden",
        ),
        unit=Unit(
            name="Basis Zorg en Welzijn: Hygiëne en Veiligheid",
            code="ZW-HV-02",
            description="Werkt hygiënisch en veilig volgens de protocollen van de zorginstelling.",
            programme_code="25655",
            programme_code_type="ext:CREBO",
            language="nl",
        ),
        nlqf=3,
        sbu=240,
        learning_outcomes=[
            LearningOutcome(text="Past handhygiëne toe volgens het protocol."),
            LearningOutcome(text="Gebruikt persoonlijke beschermingsmiddelen correct."),
            LearningOutcome(text="Meldt onveilige situaties volgens de meldprocedure."),
            LearningOutcome(text="Reinigt en desinfecteert materialen en ruimtes."),
        ],
        result=Result(
            grade="voldaan",
            result_type="LetterGrade",
            scale_min=None,
            scale_max=None,
            pass_mark=None,
        ),
        assessment="testing",
        participation="onsite or blended",
        supervision="onsite with identity verification",
        quality_assurance=QualityAssurance(
            name="Kwaliteitskader pilot microcredentials mbo",
            url="https://www.mbo-raad.nl/microcredentials",
        ),
    )
    return {"hbo": sample_microcredential(), "mbo": mbo}


def _to_credential(mc: Any, issuer_id: str) -> Any:
    return mc.to_credential(
        id="urn:uuid:7b0b4a8e-2f7a-4c1e-9d0e-5f3c2a1b6d4e",
        valid_from=VALID_FROM,
        issuer_id=issuer_id,
    )


def _seed_schema_cache() -> bool:
    """Point mcbadge's pinned cache at a temporary copy seeded from ../shared/reference, so the
    full ``verify()`` runs its JSON Schema check (it skips the check without the schema)."""
    from mcbadge.jsonld.pinned import seed_pinned_cache_from

    if not REFERENCE_DIR.is_dir():
        return False
    cache = tempfile.mkdtemp(prefix="mcbadge-bench-cache-")
    os.environ["MCBADGE_CACHE_DIR"] = cache
    return bool(seed_pinned_cache_from(REFERENCE_DIR, cache_dir=cache))


# --- mcbadge --------------------------------------------------------------------------------------


def _b64url_json(segment: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def _bench_mcbadge(mc: Any, keys: dict[str, Any], n: int) -> dict[str, Any]:
    from mcbadge.issue import issue
    from mcbadge.jsonld import fastrdf
    from mcbadge.proofs import verify_proofs
    from mcbadge.proofs.data_integrity import CryptosuiteName
    from mcbadge.verify import verify

    ed, rsa = keys["ed"], keys["rsa"]
    model = _to_credential(mc, ed.did_key)
    doc = model.to_json_dict()
    results: dict[str, Any] = {}

    def record(name: str, fn: Callable[[], Any], count: int) -> None:
        # mcbadge remembers the last few JSON-LD walks by content (verify() walks a credential
        # twice), embedded objects already walked (a cohort's achievement and issuer) and
        # RDFC-1.0 first-degree hashes: every call here starts without them (forgotten before
        # the clock starts), as a credential of an unseen unit would (benchmarks/users.py
        # measures a cohort's credentials one after another)
        results[name] = _times(
            fn, count, warmup=max(3, count // 10), before=fastrdf._forget_remembered
        )

    record("build", partial(_to_credential, mc, ed.did_key), n // 2)
    record("di_issue_rdfc_model", partial(issue, model, ed, created=CREATED), n // 2)

    suites: tuple[tuple[CryptosuiteName, str], ...] = (
        ("eddsa-rdfc-2022", "rdfc"),
        ("eddsa-jcs-2022", "jcs"),
    )
    for suite, tag in suites:
        signed = issue(doc, ed, cryptosuite=suite, created=CREATED)
        assert all(r.verified for r in verify_proofs(signed)), suite
        record(f"di_issue_{tag}", partial(issue, doc, ed, cryptosuite=suite, created=CREATED), n)
        record(f"di_verify_{tag}", partial(verify_proofs, signed), n)
        if tag == "rdfc":
            verify(signed, trusted_issuers=[ed.did_key])  # must pass
            record(
                "di_verify_full_rdfc", partial(verify, signed, trusted_issuers=[ed.did_key]), n // 2
            )
            with fastrdf.pyld_only():
                slow = max(10, n // 10)
                record("di_issue_rdfc_pyld", partial(issue, doc, ed, created=CREATED), slow)
                record("di_verify_rdfc_pyld", partial(verify_proofs, signed), slow)

    for alg, key in (("EdDSA", ed), ("RS256", rsa)):
        # the RSA key is not the did:key issuer's: timed for the signature and claims only
        foreign = alg == "RS256"
        token = issue(doc, key, format="jwt", allow_foreign_key=foreign)
        check = partial(_check_jwt, token, key.public_key)
        check()
        record(
            f"jwt_issue_{alg}",
            partial(issue, doc, key, format="jwt", allow_foreign_key=foreign),
            n * 2,
        )
        record(f"jwt_verify_{alg}", check, n * 2)
        if alg == "EdDSA":
            verify(token, trusted_issuers=[ed.did_key])
            record(
                "jwt_verify_full_EdDSA",
                partial(verify, token, trusted_issuers=[ed.did_key]),
                n // 4,
            )
        results[f"_token_{alg}"] = token
    return results


def _check_jwt(token: str, key: Any) -> None:
    """What a VC-JWT verifier must do at least: the signature, and the claims against the
    credential they repeat."""
    from mcbadge.proofs.jwt import check_jwt_claims, decode_credential_jwt

    result = decode_credential_jwt(token, key=key)
    if check_jwt_claims(result.payload):
        raise AssertionError("claims do not match the credential")


def _bench_floors(tokens: dict[str, str], keys: dict[str, Any], n: int) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from jwcrypto import jwk, jws

    results: dict[str, Any] = {}
    private = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    public = private.public_key()
    message = bytes(range(64))
    signature = private.sign(message)
    results["ed25519_sign_64"] = _times(partial(private.sign, message), n * 5, 50)
    results["ed25519_verify_64"] = _times(partial(public.verify, signature, message), n * 5, 50)
    for alg, token in tokens.items():
        header_b64, payload_b64, _ = token.split(".")
        protected = json.dumps(_b64url_json(header_b64), separators=(",", ":"))
        payload = base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4))
        key = jwk.JWK(**keys["ed" if alg == "EdDSA" else "rsa"].to_jwk(private=True))

        def sign(k: Any = key, p: bytes = payload, h: str = protected) -> str:
            token_ = jws.JWS(p)
            token_.add_signature(k, None, protected=h)
            out: str = token_.serialize(compact=True)
            return out

        floor_token = sign()

        def verify(k: Any = key, t: str = floor_token) -> None:
            token_ = jws.JWS()
            token_.deserialize(t)
            token_.verify(k)

        verify()
        results[f"jwcrypto_sign_{alg}"] = _times(sign, n * 2, 20)
        results[f"jwcrypto_verify_{alg}"] = _times(verify, n * 2, 20)
    return results


def _bench_import(runs: int) -> dict[str, Any]:
    code = (
        "import time; t = time.perf_counter(); import mcbadge; "
        "print((time.perf_counter() - t) * 1000)"
    )
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
        )
        samples.append(float(out.stdout.strip()))
    return _stats(samples)


# --- Node ---------------------------------------------------------------------------------------


class _NodeBench:
    """The Node worker (tests/interop/node), kept running across the rounds."""

    def __init__(self, ed: Any) -> None:
        self.problem: str | None = None
        self.versions: dict[str, Any] = {}
        self.worker: Any = None
        node = shutil.which("node")
        node_dir = ROOT / "tests" / "interop" / "node"
        if node is None:
            self.problem = "node is not on PATH"
            return
        if not (node_dir / "node_modules").is_dir():
            self.problem = "tests/interop/node/node_modules is missing (run `make node`)"
            return
        from tests.interop.conftest import NodeWorker

        self.key = {
            "publicKeyMultibase": ed.to_multikey(),
            "secretKeyMultibase": ed.to_multikey(private=True),
            "id": ed.did_key_verification_method,
            "controller": ed.did_key,
        }
        self.worker = NodeWorker(node=node, script=node_dir / "worker.mjs", timeout=300)
        info = self.worker.request("ping")
        packages = info.get("packages", {})
        self.versions = {
            "node": info.get("node"),
            "@digitalbazaar/vc": packages.get("@digitalbazaar/vc"),
            "jsonld": packages.get("jsonld"),
            "@digitalbazaar/eddsa-rdfc-2022-cryptosuite": packages.get(
                "@digitalbazaar/eddsa-rdfc-2022-cryptosuite"
            ),
        }

    def warm_up(self, docs: dict[str, dict[str, Any]]) -> None:
        """Run each credential through both suites once, unmeasured, so every measured round
        sees V8's optimised code (mcbadge's caches are warmed the same way, by its warm-up)."""
        for doc in docs.values():
            self.run(doc, 20)

    def run(self, doc: dict[str, Any], n: int) -> dict[str, list[float]]:
        from tests.interop.conftest import NodeWorkerError

        if self.worker is None:
            return {}
        results: dict[str, list[float]] = {}
        try:
            for suite, tag in (("eddsa-rdfc-2022", "rdfc"), ("eddsa-jcs-2022", "jcs")):
                out = self.worker.request(
                    "bench",
                    {
                        "credential": doc,
                        "key": self.key,
                        "cryptosuite": suite,
                        "created": CREATED,
                        "iterations": n,
                        "warmup": max(10, n // 2),  # let V8 optimise the hot paths first
                    },
                )
                results[f"di_issue_{tag}"] = out["issue_ms"]
                results[f"di_verify_{tag}"] = out["verify_ms"]
        except NodeWorkerError as exc:
            self.problem = f"the Node worker failed: {exc}"
            return {}
        return results

    def close(self) -> None:
        if self.worker is not None:
            self.worker.close()


# --- openbadgeslib ------------------------------------------------------------------------------


def _peers_python() -> tuple[Path | None, str | None]:
    """The peers' virtualenv interpreter, creating the venv on first use."""
    python = PEERS_VENV / "bin" / "python"
    marker = PEERS_VENV / ".installed"
    if python.exists() and marker.exists() and marker.read_text() == OPENBADGESLIB:
        return python, None
    _say(f"creating {PEERS_VENV.relative_to(ROOT)} with {OPENBADGESLIB} (first run only)...")
    try:
        subprocess.run([sys.executable, "-m", "venv", str(PEERS_VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                OPENBADGESLIB,
            ],
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        return None, f"cannot install {OPENBADGESLIB} into {PEERS_VENV.name}: {detail[-300:]}"
    marker.write_text(OPENBADGESLIB)
    return python, None


def _bench_openbadgeslib(
    python: Path, doc: dict[str, Any], payload: dict[str, Any], ed: Any, n: int
) -> tuple[dict[str, Any], str | None, str | None]:
    """One openbadgeslib run in its own virtualenv: (samples, version, problem)."""
    request = {
        "credential": doc,
        "payload": payload,
        "verification_method": ed.did_key_verification_method,
        "iterations": {"di": max(10, n // 4), "jwt": n * 2},
    }
    proc = subprocess.run(
        [str(python), str(PEER_SCRIPT)],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        timeout=600,
        cwd=BENCH_DIR,
    )
    if proc.returncode != 0:
        return {}, None, f"openbadgeslib run failed: {proc.stderr[-300:]}"
    answer = json.loads(proc.stdout)
    return answer["results"], answer["version"], None


# --- report -------------------------------------------------------------------------------------

ROWS: list[tuple[str, str, str]] = [
    # (group, key, label)
    ("mcbadge", "build", "mcbadge Microcredential.to_credential() (build + validate)"),
    ("mcbadge", "di_issue_rdfc", "mcbadge DI issue, eddsa-rdfc-2022"),
    ("mcbadge", "di_issue_rdfc_model", "mcbadge DI issue, eddsa-rdfc-2022, from the model object"),
    ("mcbadge", "di_verify_rdfc", "mcbadge DI verify (proofs), eddsa-rdfc-2022"),
    ("mcbadge", "di_verify_full_rdfc", "mcbadge verify() of the DI credential (all checks)"),
    ("mcbadge", "di_issue_rdfc_pyld", "mcbadge DI issue, eddsa-rdfc-2022, fast path off (pyld)"),
    ("mcbadge", "di_verify_rdfc_pyld", "mcbadge DI verify (proofs), fast path off (pyld)"),
    ("mcbadge", "di_issue_jcs", "mcbadge DI issue, eddsa-jcs-2022"),
    ("mcbadge", "di_verify_jcs", "mcbadge DI verify (proofs), eddsa-jcs-2022"),
    ("mcbadge", "jwt_issue_EdDSA", "mcbadge JWT issue, EdDSA"),
    ("mcbadge", "jwt_verify_EdDSA", "mcbadge JWT verify (signature + claims), EdDSA"),
    ("mcbadge", "jwt_verify_full_EdDSA", "mcbadge verify() of the JWT (all checks), EdDSA"),
    ("mcbadge", "jwt_issue_RS256", "mcbadge JWT issue, RS256"),
    ("mcbadge", "jwt_verify_RS256", "mcbadge JWT verify (signature + claims), RS256"),
    ("node", "di_issue_rdfc", "Node @digitalbazaar/vc issue, eddsa-rdfc-2022"),
    ("node", "di_verify_rdfc", "Node @digitalbazaar/vc verifyCredential, eddsa-rdfc-2022"),
    ("node", "di_issue_jcs", "Node @digitalbazaar/vc issue, eddsa-jcs-2022"),
    ("node", "di_verify_jcs", "Node @digitalbazaar/vc verifyCredential, eddsa-jcs-2022"),
    ("obl", "di_issue", "openbadgeslib DI issue, eddsa-rdfc-2022"),
    ("obl", "di_verify", "openbadgeslib DI verify, eddsa-rdfc-2022"),
    ("obl", "jwt_issue_EdDSA", "openbadgeslib JWT issue, EdDSA"),
    ("obl", "jwt_verify_EdDSA", "openbadgeslib JWT verify (OB3Verifier), EdDSA"),
    ("obl", "jwt_issue_RS256", "openbadgeslib JWT issue, RS256"),
    ("obl", "jwt_verify_RS256", "openbadgeslib JWT verify (OB3Verifier), RS256"),
    ("floor", "ed25519_sign_64", "floor: cryptography Ed25519 sign, 64 bytes"),
    ("floor", "ed25519_verify_64", "floor: cryptography Ed25519 verify, 64 bytes"),
    ("floor", "jwcrypto_sign_EdDSA", "floor: jwcrypto JWS sign, same header+payload, EdDSA"),
    ("floor", "jwcrypto_verify_EdDSA", "floor: jwcrypto JWS verify, same token, EdDSA"),
    ("floor", "jwcrypto_sign_RS256", "floor: jwcrypto JWS sign, same header+payload, RS256"),
    ("floor", "jwcrypto_verify_RS256", "floor: jwcrypto JWS verify, same token, RS256"),
]

# (label, numerator (slower) (group, key), denominator (group, key), kind, target)
#   kind "faster": numerator/denominator >= target;  "within": mcbadge/floor <= target
RATIOS: list[tuple[str, tuple[str, str], tuple[str, str], str, float, float | None]] = [
    (
        "DI issue: Node / mcbadge",
        ("node", "di_issue_rdfc"),
        ("mcbadge", "di_issue_rdfc"),
        "faster",
        2.0,
        4.0,
    ),
    (
        "DI verify: Node / mcbadge (proofs)",
        ("node", "di_verify_rdfc"),
        ("mcbadge", "di_verify_rdfc"),
        "faster",
        2.0,
        4.0,
    ),
    (
        "DI verify: Node / mcbadge verify() (all checks)",
        ("node", "di_verify_rdfc"),
        ("mcbadge", "di_verify_full_rdfc"),
        "faster",
        5.0,
        None,
    ),
    (
        "DI issue: openbadgeslib / mcbadge",
        ("obl", "di_issue"),
        ("mcbadge", "di_issue_rdfc"),
        "info",
        0.0,
        None,
    ),
    (
        "DI verify: openbadgeslib / mcbadge (proofs)",
        ("obl", "di_verify"),
        ("mcbadge", "di_verify_rdfc"),
        "info",
        0.0,
        None,
    ),
    (
        "DI issue: fast path off / on",
        ("mcbadge", "di_issue_rdfc_pyld"),
        ("mcbadge", "di_issue_rdfc"),
        "info",
        0.0,
        None,
    ),
    (
        "JWT EdDSA issue: mcbadge / jwcrypto sign",
        ("mcbadge", "jwt_issue_EdDSA"),
        ("floor", "jwcrypto_sign_EdDSA"),
        "within",
        1.3,
        None,
    ),
    (
        "JWT verify EdDSA: openbadgeslib / mcbadge",
        ("obl", "jwt_verify_EdDSA"),
        ("mcbadge", "jwt_verify_EdDSA"),
        "faster",
        3.0,
        None,
    ),
    (
        "JWT verify RS256: openbadgeslib / mcbadge",
        ("obl", "jwt_verify_RS256"),
        ("mcbadge", "jwt_verify_RS256"),
        "faster",
        3.0,
        None,
    ),
    (
        "JWT verify EdDSA: openbadgeslib / mcbadge verify() (all checks)",
        ("obl", "jwt_verify_EdDSA"),
        ("mcbadge", "jwt_verify_full_EdDSA"),
        "faster",
        1.0,
        None,
    ),
]


def _median(data: dict[str, Any], level: str, group: str, key: str) -> float | None:
    entry = data.get(group, {}).get(level, {}).get(key)
    if isinstance(entry, dict) and "median_ms" in entry:
        return float(entry["median_ms"])
    return None


def _fmt(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.3f}" if value < 1 else f"{value:.2f}" if value < 100 else f"{value:.0f}"


def _report(data: dict[str, Any], notes: dict[str, str]) -> tuple[str, list[dict[str, Any]]]:
    levels = ["hbo", "mbo"]
    lines = ["| operation (median ms) | hbo | mbo |", "|---|---:|---:|"]
    for group, key, label in ROWS:
        cells = [_fmt(_median(data, level, group, key)) for level in levels]
        if all(c == "—" for c in cells) and group in notes:
            cells = [f"not measured: {notes[group]}", ""]
        else:
            errors = [data.get(group, {}).get(level, {}).get(key) for level in levels]
            for index, entry in enumerate(errors):
                if isinstance(entry, dict) and "error" in entry:
                    cells[index] = f"cannot: {entry['error'][:60]}"
        lines.append(f"| {label} | {cells[0]} | {cells[1]} |")
    imported = data.get("import", {}).get("median_ms")
    lines.append(f"| `import mcbadge` (fresh process) | {_fmt(imported)} | |")
    batch = data.get("batch") if isinstance(data.get("batch"), dict) else None
    if batch is None:
        lines.append(f"| {BATCH_PLACEHOLDER} | — | — |")
    else:
        for size in ("small", "large"):
            run = batch[size]
            if "error" in run:
                lines.append(f"| batch {run['rows']} rows | failed: {run['error'][:60]} | |")
                continue
            lines.append(
                f"| batch {run['rows']:,} rows, {run['workers']} workers: credentials/s, "
                f"peak RSS (MB) | {run['per_second']:.0f}/s | {run['peak_rss_mb']:.0f} MB |"
            )

    ratio_lines = [
        "| ratio (from the medians above) | hbo | mbo | target | met |",
        "|---|---:|---:|---|---|",
    ]
    ratios: list[dict[str, Any]] = []
    for label, top, bottom, kind, target, stretch in RATIOS:
        values: list[float | None] = []
        for level in levels:
            a = _median(data, level, *top)
            b = _median(data, level, *bottom)
            values.append(a / b if a is not None and b else None)
        if kind == "faster":
            goal = f"≥ {target:g}×" + (f" (stretch {stretch:g}×)" if stretch else "")
            met = [v is not None and v >= target for v in values]
        elif kind == "within":
            goal = f"≤ {target:g}×"
            met = [v is not None and v <= target for v in values]
        else:
            goal, met = "(context)", []
        if kind == "info":
            verdict = ""
        elif any(v is None for v in values):
            verdict = "not measured"
        elif all(met):
            verdict = "yes" + (
                " (stretch too)"
                if stretch and all(v is not None and v >= stretch for v in values)
                else ""
            )
        else:
            verdict = "**missed**"
        shown = [("—" if v is None else f"{v:.2f}×") for v in values]
        ratio_lines.append(f"| {label} | {shown[0]} | {shown[1]} | {goal} | {verdict} |")
        ratios.append(
            {
                "ratio": label,
                "kind": kind,
                "target": target,
                "stretch": stretch,
                "values": dict(zip(levels, values, strict=True)),
                "met": verdict,
            }
        )
    imported_met = imported is not None and imported < 200
    ratio_lines.append(
        f"| `import mcbadge` | {_fmt(imported)} ms | | < 200 ms | "
        f"{'yes' if imported_met else '**missed**'} |"
    )
    if batch is None:
        ratio_lines.append(
            "| batch: ≥ 2,000 DI credentials/s on 2 cores; peak memory large ≤ 1.5× small "
            "| — | — | | not measured (--no-batch) |"
        )
    else:
        large, small = batch["large"], batch["small"]
        rate = large.get("per_second")
        mem = batch.get("memory_ratio")
        ratio_lines.append(
            f"| batch throughput ({large['rows']:,} rows) | {_fmt(rate)}/s | | ≥ 2,000/s | "
            f"{'yes' if rate and rate >= 2000 else '**missed**'} |"
        )
        ratio_lines.append(
            f"| batch peak memory {large['rows']:,} / {small['rows']:,} rows | {_fmt(mem)}× | "
            f"| ≤ 1.5× | {'yes' if mem and mem <= 1.5 else '**missed**'} |"
        )
    ratios.append(
        {
            "ratio": "import mcbadge",
            "value_ms": imported,
            "target_ms": 200,
            "met": "yes" if imported_met else "missed",
        }
    )
    if batch is None:
        ratios.append({"ratio": "batch", "met": "not measured"})
    else:
        ratios.append(
            {
                "ratio": "batch",
                "per_second": batch["large"].get("per_second"),
                "memory_ratio": batch.get("memory_ratio"),
            }
        )
    return "\n".join(lines) + "\n\n" + "\n".join(ratio_lines) + "\n", ratios


# --- main ---------------------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    load = os.getloadavg() if hasattr(os, "getloadavg") else None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpus": os.cpu_count(),
        "load_average": load,
        "when": datetime.now(UTC).replace(microsecond=0).isoformat(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer iterations (a smoke run)")
    parser.add_argument("--no-node", action="store_true", help="skip the Node stack")
    parser.add_argument("--no-peers", action="store_true", help="skip openbadgeslib")
    parser.add_argument("--output", type=Path, default=BENCH_DIR / "results.json")
    parser.add_argument("--no-batch", action="store_true", help="skip the batch measurements")
    parser.add_argument("--batch-small", type=int, default=1000, help="rows of the small batch")
    parser.add_argument("--batch-large", type=int, default=100_000, help="rows of the large batch")
    parser.add_argument("--batch-workers", type=int, default=2, help="worker processes")
    parser.add_argument(
        "--batch-scale", type=int, default=10_000, help="rows of the --workers 1 vs 2 batches"
    )
    parser.add_argument("--verify-files", type=int, default=10_000, help="files to verify")
    parser.add_argument("--service-seconds", type=float, default=20.0, help="load per server")
    parser.add_argument(
        "--service-requests", type=int, default=100_000, help="requests of the memory run"
    )
    parser.add_argument("--service-workers", type=int, default=2, help="mcbadge serve workers")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["batch", "verify", "service", "scaling"],
        help="leave out a section of issue 15's measurements (repeatable)",
    )
    args = parser.parse_args(argv)
    n = 20 if args.quick else 200
    started = time.perf_counter()
    from users import uptime  # benchmarks/users.py, beside this file

    load_at_start = uptime()
    _say(f"machine load: {load_at_start}")

    from importlib.metadata import version

    from mcbadge.keys import KeyPair

    ed = KeyPair.from_seed(b"mcbadge benchmark Ed25519 seed!!")
    ed = ed.with_verification_method(ed.did_key_verification_method)
    rsa = KeyPair.generate("RSA").with_verification_method("https://www.hs-voorbeeld.nl/keys/rsa")
    keys = {"ed": ed, "rsa": rsa}
    schema_checked = _seed_schema_cache()
    mcs = _microcredentials()
    docs = {level: _to_credential(mc, ed.did_key).to_json_dict() for level, mc in mcs.items()}

    # Raw samples, merged over the rounds: every implementation is measured in each round,
    # so a burst of load on this machine hits all of them alike.
    samples: dict[str, dict[str, dict[str, Any]]] = {
        group: {level: {} for level in docs} for group in ("mcbadge", "floor", "node", "obl")
    }
    notes: dict[str, str] = {}
    payloads: dict[str, dict[str, Any]] = {}
    node = None if args.no_node else _NodeBench(ed)
    if args.no_node:
        notes["node"] = "--no-node"
    elif node is not None and node.problem:
        notes["node"] = node.problem
    peers_python: Path | None = None
    obl_version = None
    if args.no_peers:
        notes["obl"] = "--no-peers"
    else:
        peers_python, problem = _peers_python()
        if problem:
            notes["obl"] = problem

    def merge(group: str, level: str, measured: dict[str, Any]) -> None:
        for name, value in measured.items():
            into = samples[group][level]
            if isinstance(value, list):
                into.setdefault(name, []).extend(value)
            else:  # an {"error": ...} from a peer that cannot run the operation
                into[name] = value

    if node is not None and node.worker is not None:
        _say("warming up the Node stack...")
        node.warm_up(docs)
    rounds = 1 if args.quick else ROUNDS
    per_round = max(10, n // rounds)
    try:
        for round_ in range(rounds):
            for level, doc in docs.items():
                _say(f"round {round_ + 1}/{rounds}, {level}: mcbadge...")
                measured = _bench_mcbadge(mcs[level], keys, per_round)
                tokens = {alg: measured.pop(f"_token_{alg}") for alg in ("EdDSA", "RS256")}
                payloads[level] = _b64url_json(tokens["EdDSA"].split(".")[1])
                merge("mcbadge", level, measured)
                merge("floor", level, _bench_floors(tokens, keys, per_round))
                if node is not None and node.worker is not None:
                    _say(f"round {round_ + 1}/{rounds}, {level}: Node...")
                    merge("node", level, node.run(doc, max(10, per_round // 2)))
                    if node.problem:
                        notes["node"] = node.problem
                if peers_python is not None:
                    _say(f"round {round_ + 1}/{rounds}, {level}: openbadgeslib...")
                    measured, obl_version, problem = _bench_openbadgeslib(
                        peers_python, doc, payloads[level], ed, per_round
                    )
                    merge("obl", level, measured)
                    if problem:
                        notes["obl"] = problem
    finally:
        if node is not None:
            node.close()

    data: dict[str, Any] = {
        group: {
            level: {
                name: (_stats(value) if isinstance(value, list) else value)
                for name, value in by_name.items()
            }
            for level, by_name in by_level.items()
        }
        for group, by_level in samples.items()
    }
    data["node_versions"] = node.versions if node is not None else None
    data["openbadgeslib_version"] = obl_version
    _say("import mcbadge...")
    data["import"] = _bench_import(3 if args.quick else 9)
    from guards import run as run_guards  # benchmarks/guards.py, beside this file
    from guards import table as guards_table

    _say("guards and the full-size status list...")
    data["guards"] = run_guards(quick=args.quick)
    if not args.no_batch:
        from batch import run as run_batch  # benchmarks/batch.py, beside this file

        small, large = (200, 2000) if args.quick else (args.batch_small, args.batch_large)
        print(f"batch: issuing {small:,} and {large:,} credentials...", file=sys.stderr)
        data["batch"] = run_batch(small=small, large=large, workers=args.batch_workers)

    from service import distinct_signed  # benchmarks/service.py
    from users import run as run_users  # benchmarks/users.py, beside this file
    from users import table as users_table

    sections = {"batch", "verify", "service", "scaling"} - set(args.skip)
    if args.quick:
        sections -= {"service", "scaling"}
    signed_hbo = distinct_signed(docs["hbo"], ed, 256, created=CREATED)
    data["users"] = run_users(
        credential=docs["hbo"],
        signed=signed_hbo,
        key_pem=ed.to_pem(),
        batch_scale=1000 if args.quick else args.batch_scale,
        verify_files=500 if args.quick else args.verify_files,
        service_seconds=args.service_seconds,
        service_requests=args.service_requests,
        service_workers=args.service_workers,
        sections=sections,
    )
    table, ratios = _report(data, notes)
    targets, met = users_table(data, data["users"])
    data["issue15"] = met
    quads = {}
    from mcbadge.jsonld import fastrdf

    for level, doc in docs.items():
        result = fastrdf.rdf_quads(doc)
        quads[level] = None if isinstance(result, fastrdf.Decline) else len(set(result))
    header = (
        f"mcbadge benchmark — {_machine()['platform']}, Python {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load {_machine()['load_average']}; credentials: hbo "
        f"({quads['hbo']} quads) and mbo ({quads['mbo']} quads); JSON Schema check in verify(): "
        f"{'on' if schema_checked else 'skipped (no ../shared/reference)'}"
    )
    print(header + "\n")
    print(f"machine load (uptime): at the start  {load_at_start}")
    print(f"                       before part 3 {data['users']['uptime_before']}")
    print(f"                       at the end    {data['users']['uptime_after']}\n")
    print(targets)
    print(table)
    print(guards_table(data["guards"]))
    for group, note in notes.items():
        print(f"note: {group}: {note}")
    elapsed = time.perf_counter() - started
    print(f"({elapsed:.0f} s; raw numbers in {args.output})")

    data.update(
        machine=_machine(),
        versions={name: version(name) for name in ("mcbadge", "pyld", "cryptography", "jwcrypto")},
        credentials={"quads": quads, "schema_checked_in_verify": schema_checked},
        ratios=ratios,
        notes=notes,
        elapsed_s=elapsed,
        command="make bench  (python benchmarks/run.py)",
        uptime_at_start=load_at_start,
    )
    args.output.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
