"""The proofs check family: every Data Integrity proof (each bound to the issuer) and the
VC-JWT signature and claims.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

from mcbadge.errors import (
    DocumentLoaderError,
    InvalidInputError,
    JsonLdError,
    McBadgeError,
    VerificationError,
)
from mcbadge.keys import PublicKey
from mcbadge.verify.binding import _bind_jwk, _bind_vm, _Binding, _implied_controller
from mcbadge.verify.builder import _Builder
from mcbadge.verify.common import _issuer_id, _proofs_of
from mcbadge.verify.options import _entry_key, _Options

# --------------------------------------------------------------------------- DI proofs


def _key_lookup(opts: _Options) -> Callable[[str], PublicKey | None]:
    def lookup(vm_id: str) -> PublicKey | None:
        entry = opts.keys.get(vm_id)
        return None if entry is None else _entry_key(entry)

    return lookup


def _di_results(
    document: Mapping[str, Any], proofs: Sequence[Mapping[str, Any]], opts: _Options
) -> list[Any]:
    """Check every proof's signature, independently of its purpose, challenge and domain."""
    from mcbadge.proofs import verify_proofs

    def purpose_of(proof: Mapping[str, Any]) -> str:
        # A proof whose purpose is not a string fails its signature check as a purpose
        # mismatch (and the proof.purpose check): there is no purpose it could be checked for.
        value = proof.get("proofPurpose")
        return value if isinstance(value, str) else "assertionMethod"

    results: list[Any] = [None] * len(proofs)
    for purpose in dict.fromkeys(purpose_of(p) for p in proofs):
        outcome = verify_proofs(
            document,
            resolver=opts.resolver,
            loader=opts.loader,
            expected_purpose=purpose,
            key_lookup=_key_lookup(opts),
        )
        for index, (proof, result) in enumerate(zip(proofs, outcome, strict=True)):
            if purpose_of(proof) == purpose:
                results[index] = result
    return results


def _signature_hint(error: McBadgeError, vm_id: str | None) -> str:
    if error.code in ("verification_method_unresolved", "jwt_key_unresolved") and vm_id:
        return f" (to trust the key offline: keys={{{vm_id!r}: PublicKey}}; CLI: --key VM=KEY)"
    return ""


def _bind_proof_set(
    b: _Builder,
    binding_id: str,
    verified: Sequence[tuple[int, Any]],
    opts: _Options,
    *,
    owner_id: str,
    owner: Literal["issuer", "holder"],
    relationship: str,
) -> None:
    """Bind the verified proofs of a proof set to the issuer (or holder).

    A credential's proof set is accepted when at least one proof is the issuer's and every
    other proof is by a key its own controller authorizes (a co-signer, e.g. an earlier proof
    in a ``previousProof`` chain); the other signers are reported. A presentation's proofs
    must all be the holder's.
    """
    bad: list[_Binding] = []
    good: list[str] = []
    others: list[dict[str, Any]] = []
    for index, result in verified:
        vm_id = result.verification_method
        binding = _bind_vm(vm_id, owner_id, opts, relationship)
        if binding.ok:
            good.append(f"proof[{index}] {binding.message}")
            continue
        if owner == "issuer" and binding.code == "issuer_key_mismatch":
            controller = _implied_controller(vm_id)
            own = _bind_vm(vm_id, controller, opts, relationship)
            if own.ok:
                others.append({"proof": index, "verification_method": vm_id, "signer": controller})
                continue
            binding = own
        bad.append(binding)
    if bad or not good:
        failing = bad or [
            _Binding(
                False,
                "issuer_key_mismatch",
                f"no proof is by a key of the {owner} {owner_id}: "
                + "; ".join(f"proof[{o['proof']}] is signed by {o['signer']}" for o in others),
            )
        ]
        b.failed(
            binding_id,
            failing[0].code or "issuer_key_mismatch",
            "; ".join(x.message for x in failing),
        )
        return
    if not others:
        b.passed(
            binding_id, f"the {owner} {owner_id} controls every signing key: " + "; ".join(good)
        )
        return
    signers = "; ".join(
        f"proof[{o['proof']}] by {o['signer']} ({o['verification_method']})" for o in others
    )
    b.passed(
        binding_id,
        f"the {owner} {owner_id} signed: " + "; ".join(good) + f"; other signers: {signers}",
        other_signers=others,
    )
    b.warn(f"the proof set has signers other than the issuer: {signers}")


def _check_di_proofs(
    b: _Builder,
    document: Mapping[str, Any],
    opts: _Options,
    *,
    owner_id: str | None,
    owner: Literal["issuer", "holder"],
    relationship: str,
) -> list[Mapping[str, Any]]:
    """Signature, binding and purpose checks of a DI document; returns its proofs."""
    binding_id = "proof.issuer_binding" if owner == "issuer" else "proof.holder_binding"
    try:
        proofs = _proofs_of(document)
    except InvalidInputError as exc:
        b.failed("proof", exc.code, exc.message)
        b.skipped(binding_id, "no usable proof", reason_code="no_proof")
        b.skipped("proof.purpose", "no usable proof", reason_code="no_proof")
        return []
    if not proofs:
        b.failed("proof", "proof_missing", "the document has no proof (it is not signed)")
        b.skipped(binding_id, "no proof", reason_code="no_proof")
        b.skipped("proof.purpose", "no proof", reason_code="no_proof")
        return []
    strict_failed = b.status_of("jsonld.strict") == "failed"
    results = _di_results(document, proofs, opts)
    for index, result in enumerate(results):
        check_id = f"proof[{index}].signature"
        label = result.cryptosuite or "proof"
        vm_id = result.verification_method
        if result.verified:
            b.passed(
                check_id,
                f"{label} signature by {vm_id} verifies",
                cryptosuite=label,
                verification_method=vm_id,
                legacy=result.legacy,
            )
            continue
        error = result.error or VerificationError(
            "the proof did not verify", code="signature_invalid"
        )
        if strict_failed and isinstance(error, JsonLdError | DocumentLoaderError):
            b.skipped(
                check_id,
                "not checked: the document is not strict JSON-LD (see jsonld.strict), so what a "
                "signature over it covers is ambiguous",
                reason_code=error.code,
            )
            continue
        b.failed(
            check_id,
            error.code,
            f"{label}: {error.message}{_signature_hint(error, vm_id)}",
            cryptosuite=label,
            verification_method=vm_id,
        )

    verified = [(i, r) for i, r in enumerate(results) if r.verified]
    if not verified:
        b.skipped(binding_id, "no verified proof to bind", reason_code="no_verified_proof")
    elif owner_id is None:
        if owner == "issuer":
            b.failed(binding_id, "issuer_missing", "the credential names no issuer id")
        else:
            b.skipped(binding_id, "the presentation names no holder", reason_code="no_holder")
    else:
        _bind_proof_set(
            b, binding_id, verified, opts, owner_id=owner_id, owner=owner, relationship=relationship
        )

    wrong = [
        f"proof[{i}] has proofPurpose {p.get('proofPurpose')!r}"
        for i, p in enumerate(proofs)
        if p.get("proofPurpose") != relationship
    ]
    if wrong:
        b.failed(
            "proof.purpose",
            "proof_purpose_mismatch",
            f"{'; '.join(wrong)}, expected {relationship!r}",
        )
    else:
        b.passed("proof.purpose", f"every proof has proofPurpose {relationship}")
    return proofs


# --------------------------------------------------------------------------- JWT


def _jwt_signature(
    b: _Builder, token: str, parsed: Any, credential: Mapping[str, Any], opts: _Options
) -> None:
    from mcbadge.proofs.jwt import decode_credential_jwt

    header = parsed.header
    issuer_id = _issuer_id(credential)
    key: PublicKey | None = None
    vm_id: str | None = None
    used = "the key in the jwk header"
    if "kid" in header:
        vm_id = header["kid"]
        entry = opts.keys.get(vm_id)
        if entry is not None:
            key, used = _entry_key(entry), f"the caller's key for {vm_id}"
        else:
            used = f"the resolved key {vm_id}"
            try:
                key = opts.resolver.resolve_verification_method(vm_id).public_key
            except McBadgeError as exc:
                hint = _signature_hint(VerificationError("", code="jwt_key_unresolved"), vm_id)
                b.failed(
                    "jwt.signature",
                    "jwt_key_unresolved",
                    f"cannot resolve the JWT key {vm_id}: {exc.message}{hint}",
                )
                b.skipped(
                    "proof.issuer_binding",
                    "no verified signature to bind",
                    reason_code="no_verified_proof",
                )
                return
    elif "jwk" not in header:
        entry = opts.keys.get(issuer_id) if issuer_id else None
        if entry is None:
            b.failed(
                "jwt.signature",
                "jwt_no_key_reference",
                "the JWT names no key (neither kid nor jwk) and no key was given for its issuer "
                f"{issuer_id}: pass keys={{issuer_id: PublicKey}} if you know the issuer's key",
            )
            b.skipped(
                "proof.issuer_binding",
                "no verified signature to bind",
                reason_code="no_verified_proof",
            )
            return
        key, vm_id = _entry_key(entry), issuer_id
        used = f"the caller's key for the issuer {issuer_id}"
    try:
        result = decode_credential_jwt(token, key=key)
    except McBadgeError as exc:
        b.failed("jwt.signature", exc.code, exc.message)
        b.skipped(
            "proof.issuer_binding", "no verified signature to bind", reason_code="no_verified_proof"
        )
        return
    b.passed(
        "jwt.signature",
        f"{result.algorithm} signature verifies with {used}",
        algorithm=result.algorithm,
        kid=vm_id,
    )
    if issuer_id is None:
        b.failed("proof.issuer_binding", "issuer_missing", "the credential names no issuer id")
        return
    if "kid" in header and vm_id is not None:
        binding = _bind_vm(vm_id, issuer_id, opts, "assertionMethod")
    elif "jwk" in header and result.key is not None:
        binding = _bind_jwk(result.key, issuer_id, opts)
    else:
        binding = _Binding(
            True, None, f"the key was given by the caller for the issuer {issuer_id}"
        )
    if binding.ok:
        b.passed(
            "proof.issuer_binding", f"the issuer {issuer_id} controls the key: {binding.message}"
        )
    else:
        b.failed("proof.issuer_binding", binding.code or "issuer_key_mismatch", binding.message)


def _jwt_claims(b: _Builder, payload: Mapping[str, Any], opts: _Options) -> None:
    from mcbadge.proofs.jwt import check_jwt_claims

    problems = check_jwt_claims(payload)
    if problems:
        b.failed(
            "jwt.claims",
            problems[0].code,
            "; ".join(p.message for p in problems),
            problems=[p.to_dict() for p in problems],
        )
    else:
        inner = payload.get("vc")
        credential: Mapping[str, Any] = inner if isinstance(inner, Mapping) else payload
        has_end = any(f in credential for f in ("validUntil", "expirationDate"))
        present = [
            c
            for c in ("iss", "sub", "jti", "nbf", "exp")
            if c in payload and (c != "exp" or has_end)
        ]
        message = f"{', '.join(present)} agree with the credential"
        if "exp" in payload and not has_end:
            # the JWT's own expiry: compared with the clock in valid_until (issue 10, F8)
            message += "; exp has no validUntil to agree with and is checked as the JWT's expiry"
        b.passed("jwt.claims", message)
    iat = payload.get("iat")
    if iat is None:
        b.skipped("proof.created", "the JWT has no iat claim", reason_code="no_iat")
    elif isinstance(iat, bool) or not isinstance(iat, int | float):
        b.failed("proof.created", "jwt_claim_invalid", "iat must be a NumericDate number")
    elif datetime.fromtimestamp(max(min(iat, 253402300799), 0), UTC) > opts.now + opts.leeway:
        b.failed("proof.created", "proof_created_in_future", f"the JWT iat {iat} is in the future")
    else:
        b.passed("proof.created", "the JWT was not issued in the future (iat)")
