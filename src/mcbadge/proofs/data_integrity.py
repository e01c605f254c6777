"""Data Integrity proof sets and chains with the EdDSA cryptosuites."""

from __future__ import annotations

import copy
import hashlib
import marshal
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

from mcbadge._internal.multibase import base58btc_decode, base58btc_encode
from mcbadge.errors import (
    InvalidInputError,
    McBadgeError,
    ResolutionError,
    SigningError,
    VerificationError,
)

if TYPE_CHECKING:
    from mcbadge.did import Resolver
    from mcbadge.jsonld.loader import DocumentLoader
    from mcbadge.keys import PublicKey, Signer

__all__ = [
    "CRYPTOSUITES",
    "Cryptosuite",
    "CryptosuiteName",
    "EddsaJcs2022",
    "EddsaRdfc2022",
    "ProofResult",
    "add_proof",
    "get_cryptosuite",
    "verify_proofs",
]

CryptosuiteName = Literal["eddsa-rdfc-2022", "eddsa-jcs-2022"]
_PROOF_TYPE = "DataIntegrityProof"
_LEGACY_PROOF_TYPE = "Ed25519Signature2020"


class Cryptosuite(Protocol):
    """A Data Integrity cryptosuite: how a document and its proof options become bytes.

    The EdDSA suites hash both with SHA-256 and sign ``sha256(proof) || sha256(document)``.
    """

    name: str
    #: Whether what is signed is the RDF dataset (so proof options need the strict check too).
    signs_rdf: bool

    def canonicalize(self, document: Mapping[str, Any], *, loader: DocumentLoader | None) -> bytes:
        """Canonical bytes of a document (or of proof options carrying an ``@context``)."""
        ...


class EddsaRdfc2022:
    """``eddsa-rdfc-2022``: RDF Dataset Canonicalization (RDFC-1.0) of the JSON-LD document."""

    name = "eddsa-rdfc-2022"
    #: An undefined term or relative IRI would be dropped on the way to RDF, left unsigned.
    signs_rdf = True

    def canonicalize(self, document: Mapping[str, Any], *, loader: DocumentLoader | None) -> bytes:
        """Canonical N-Quads (UTF-8) of ``document``.

        Raises:
            StrictJsonLdError: the document has undefined terms or relative IRIs.
            JsonLdError: the document cannot be processed as JSON-LD.
            CanonicalizationError: canonicalization failed or hit its work limit, or a
                string holds a lone surrogate (``rdfc_invalid_unicode``).
        """
        from mcbadge.jsonld import fastrdf

        # The fast path (contexts processed once, one walk that also runs the strict check)
        # gives byte-identical output or declines; pyld then does it, and reports the errors.
        result = fastrdf.canonicalize(document, loader=loader)
        if result is None:
            from mcbadge.canon import canonicalize_pyld_dataset
            from mcbadge.jsonld.strict import to_rdf_dataset

            result = canonicalize_pyld_dataset(to_rdf_dataset(document, loader=loader))
        return result.to_bytes()


class EddsaJcs2022:
    """``eddsa-jcs-2022``: JSON Canonicalization Scheme (RFC 8785) of the JSON document."""

    name = "eddsa-jcs-2022"
    signs_rdf = False

    def canonicalize(self, document: Mapping[str, Any], *, loader: DocumentLoader | None) -> bytes:
        """RFC 8785 canonical JSON of ``document``.

        Raises:
            StrictJsonLdError: the document has an ``@context`` and undefined terms.
            CanonicalizationError: the document holds a value JSON cannot represent.
        """
        from mcbadge.canon import jcs

        return jcs(document)


CRYPTOSUITES: dict[str, Cryptosuite] = {
    EddsaRdfc2022.name: EddsaRdfc2022(),
    EddsaJcs2022.name: EddsaJcs2022(),
}


def get_cryptosuite(name: str) -> Cryptosuite:
    """The cryptosuite called ``name``.

    Raises:
        InvalidInputError: mcbadge does not implement that cryptosuite (code
            ``unknown_cryptosuite``).

    Example:
        >>> get_cryptosuite("eddsa-jcs-2022").name
        'eddsa-jcs-2022'
    """
    try:
        return CRYPTOSUITES[name]
    except KeyError:
        raise InvalidInputError(
            f"unknown cryptosuite {name!r}; mcbadge implements {', '.join(sorted(CRYPTOSUITES))}",
            code="unknown_cryptosuite",
            cryptosuite=name,
        ) from None


@dataclass(frozen=True)
class ProofResult:
    """The outcome of checking one proof.

    Attributes:
        proof: The proof object as it appears in the document.
        verified: ``True`` only when the signature verified with the resolved key.
        cryptosuite: The cryptosuite (or legacy proof type) named by the proof.
        verification_method: The verification method URL named by the proof.
        controller: The controller of the resolved verification method, when resolved.
        error: Why the proof failed, as a typed error with a stable ``code``.
        legacy: ``True`` for an ``Ed25519Signature2020`` proof (VC 1.1 era).
    """

    proof: Mapping[str, Any]
    verified: bool
    cryptosuite: str | None
    verification_method: str | None
    controller: str | None = None
    error: McBadgeError | None = None
    legacy: bool = False
    public_key: PublicKey | None = field(default=None, repr=False)


def _copy_json(value: Any) -> Any:
    """A deep copy of JSON data (dicts, lists, scalars) — several times faster than
    ``copy.deepcopy``, which remains the fallback for anything else."""
    kind = type(value)
    if kind is dict:
        return {k: _copy_json(v) for k, v in value.items()}
    if kind is list:
        return [_copy_json(v) for v in value]
    if kind is str or kind is int or kind is float or kind is bool or value is None:
        return value
    return copy.deepcopy(value)


class _CheckedCopy(dict[str, Any]):
    """The copy of a credential that ``issue()``'s signing-time checks read (private to it):
    :func:`add_proof` signs it as it is, without copying it again."""


def _now() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _proofs_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    proof = document.get("proof")
    if proof is None:
        return []
    if isinstance(proof, Mapping):
        return [proof]
    if isinstance(proof, list) and all(isinstance(p, Mapping) for p in proof):
        return list(proof)
    raise InvalidInputError(
        "proof must be an object or an array of objects", code="proof_malformed"
    )


def _matching_proofs(
    proofs: Sequence[Mapping[str, Any]], previous: str | Sequence[str], *, error: type[McBadgeError]
) -> list[dict[str, Any]]:
    if isinstance(previous, str):
        wanted: list[Any] = [previous]
    elif isinstance(previous, list | tuple) and previous:
        wanted = list(previous)
    else:
        raise error(
            f"previousProof must be a proof id or a non-empty list of proof ids, got {previous!r}",
            code="previous_proof_missing",
            previous_proof=repr(previous)[:80],
        )
    by_id = {p.get("id"): p for p in proofs if isinstance(p.get("id"), str)}
    out: list[dict[str, Any]] = []
    for proof_id in wanted:
        if not isinstance(proof_id, str) or proof_id not in by_id:
            raise error(
                f"previousProof {proof_id!r} names no proof in the document's proof set",
                code="previous_proof_missing",
                previous_proof=proof_id,
            )
        out.append(dict(by_id[proof_id]))
    return out


def _hash_data(
    suite: Cryptosuite,
    unsecured: Mapping[str, Any],
    proof_config: Mapping[str, Any],
    *,
    loader: DocumentLoader | None,
    doc_cache: dict[tuple[int, str], tuple[Mapping[str, Any], bytes]] | None = None,
) -> bytes:
    """``sha256(canonical proof options) || sha256(canonical document)``.

    ``eddsa-rdfc-2022`` canonicalizes the proof options under the document's ``@context``.
    ``eddsa-jcs-2022`` carries the ``@context`` in the proof itself (set when signing) and
    hashes the document under the proof's ``@context``, which must start the document's
    (vc-di-eddsa, eddsa-jcs-2022 Create/Verify Proof).

    A document with an ``@context`` is checked in JSON-LD safe mode (for both suites: what is
    signed must mean the same to every JSON-LD processor); for RDF suites the proof options
    are checked too, since anything dropped on the way to RDF is not signed. For RDF suites the
    check runs inside canonicalization (one pass over each document, the document first);
    ``doc_cache`` (per :func:`verify_proofs` call) keeps the document's canonical form for the
    other proofs of a proof set.

    Raises:
        VerificationError: (JCS) the proof's ``@context`` does not start the document's.
        StrictJsonLdError: the document or the proof options are not strict JSON-LD.
    """
    config = dict(proof_config)
    config.pop("proofValue", None)
    document = unsecured
    if suite.signs_rdf:
        config.pop("@context", None)
        if "@context" in unsecured:
            config["@context"] = unsecured["@context"]
    elif "@context" in config:
        _check_proof_context(config["@context"], unsecured.get("@context"))
        document = dict(unsecured)
        document["@context"] = config["@context"]
    if not suite.signs_rdf and "@context" in unsecured:
        from mcbadge.jsonld.strict import check_strict

        check_strict(unsecured, loader=loader)
    cache_key = (id(document), suite.name)
    cached = doc_cache.get(cache_key) if doc_cache is not None else None
    if cached is not None and cached[0] is document:
        doc_hash = cached[1]
    else:
        doc_hash = hashlib.sha256(suite.canonicalize(document, loader=loader)).digest()
        if doc_cache is not None:
            doc_cache[cache_key] = (document, doc_hash)
    return _proof_hash(suite, config, loader=loader) + doc_hash


# Proof options repeat: a batch signs thousands of credentials with the same cryptosuite,
# created time, verification method and @context. Their hash is kept (keyed by the suite, the
# loader that resolves the contexts, and the options' marshal bytes), bounded in size.
_PROOF_HASHES: OrderedDict[tuple[str, object, bytes], bytes] = OrderedDict()
_PROOF_HASHES_MAX = 64
_PROOF_HASHES_LOCK = threading.Lock()


def _proof_hash(
    suite: Cryptosuite, config: Mapping[str, Any], *, loader: DocumentLoader | None
) -> bytes:
    # marshal (format 2: no back-references) is exact about types (1 is not 1.0 or True, a
    # tuple is not a list) and refuses anything but built-in data; equal bytes are equal
    # options in the same member order, so a hit is the hash they would get
    try:
        key = (suite.name, loader, marshal.dumps(cast("Any", config), 2))
    except (ValueError, RecursionError):  # not plain data: let canonicalization judge it
        return hashlib.sha256(suite.canonicalize(config, loader=loader)).digest()
    with _PROOF_HASHES_LOCK:
        found = _PROOF_HASHES.get(key)
        if found is not None:
            _PROOF_HASHES.move_to_end(key)
            return found
    digest = hashlib.sha256(suite.canonicalize(config, loader=loader)).digest()
    with _PROOF_HASHES_LOCK:
        _PROOF_HASHES[key] = digest
        while len(_PROOF_HASHES) > _PROOF_HASHES_MAX:
            _PROOF_HASHES.popitem(last=False)
    return digest


def add_proof(
    document: Mapping[str, Any],
    signer: Signer,
    *,
    cryptosuite: CryptosuiteName = "eddsa-rdfc-2022",
    verification_method: str | None = None,
    created: str | datetime | None = None,
    proof_purpose: str = "assertionMethod",
    proof_id: str | None = None,
    previous_proof: str | Sequence[str] | None = None,
    challenge: str | None = None,
    domain: str | None = None,
    expires: str | None = None,
    loader: DocumentLoader | None = None,
) -> dict[str, Any]:
    """Return a copy of ``document`` with one more Data Integrity proof.

    The new proof joins the document's proof set. With ``previous_proof`` it is chained:
    the proofs it names are signed along with the document (Data Integrity §4.2). ``proof``
    is always written as an array, as the OB3 JSON Schema requires.

    Args:
        document: The credential (or any JSON-LD document); it is not modified.
        signer: An Ed25519 :class:`~mcbadge.keys.Signer` (a ``KeyPair``, HSM or KMS).
        cryptosuite: ``"eddsa-rdfc-2022"`` (default) or ``"eddsa-jcs-2022"``.
        verification_method: The key's URL; defaults to ``signer.verification_method``.
        created: Proof creation time; defaults to now (UTC, whole seconds).
        proof_purpose: ``"assertionMethod"`` for credentials, ``"authentication"`` for
            presentations.
        proof_id: An ``id`` for the proof (needed for others to chain to it).
        previous_proof: The ``id`` (or ids) of earlier proofs this one chains to.
        challenge: Verifier challenge (presentations).
        domain: Verifier domain (presentations).
        expires: When the proof expires (``xsd:dateTime``).
        loader: JSON-LD document loader; defaults to the offline bundled-contexts loader.

    Returns:
        The secured document.

    Raises:
        SigningError: the signer is not Ed25519, has no verification method, or failed.
        StrictJsonLdError: the document has undefined terms or relative IRIs.
        InvalidInputError: unknown cryptosuite, or ``previous_proof`` names no proof.

    Example:
        >>> signed = add_proof(credential, key, cryptosuite="eddsa-jcs-2022")  # doctest: +SKIP
        >>> signed["proof"][0]["cryptosuite"]  # doctest: +SKIP
        'eddsa-jcs-2022'
    """
    suite = get_cryptosuite(cryptosuite)
    if signer.key_type != "Ed25519":
        raise SigningError(
            f"{cryptosuite} needs an Ed25519 key, not {signer.key_type}; use format='jwt' "
            "for P-256 or RSA keys",
            code="key_type_mismatch",
        )
    vm = verification_method or signer.verification_method
    if not vm:
        raise SigningError(
            "no verification method: pass verification_method=... or use a key that has one "
            "(e.g. KeyPair.with_verification_method(key.did_key_verification_method))",
            code="verification_method_missing",
        )
    if isinstance(created, datetime):
        if created.tzinfo is None:
            raise InvalidInputError("created must carry a time zone", code="naive_datetime")
        created_text = created.astimezone(UTC).replace(microsecond=0).isoformat()
        created_text = created_text.replace("+00:00", "Z")
    else:
        created_text = created or _now()

    if type(document) is _CheckedCopy:  # issue()'s own copy: it becomes part of the result
        unsecured = {k: v for k, v in document.items() if k != "proof"}
        existing = [dict(p) for p in _proofs_of(document)]
    else:
        unsecured = {k: _copy_json(v) for k, v in document.items() if k != "proof"}
        existing = [_copy_json(dict(p)) for p in _proofs_of(document)]

    proof: dict[str, Any] = {"type": _PROOF_TYPE}
    if proof_id is not None:
        proof["id"] = proof_id
    proof["cryptosuite"] = suite.name
    proof["created"] = created_text
    proof["verificationMethod"] = vm
    proof["proofPurpose"] = proof_purpose
    for key, value in (("challenge", challenge), ("domain", domain), ("expires", expires)):
        if value is not None:
            proof[key] = value
    if not suite.signs_rdf and "@context" in unsecured:
        proof["@context"] = _copy_json(unsecured["@context"])
    to_secure: dict[str, Any] = unsecured
    if previous_proof is not None:
        proof["previousProof"] = (
            previous_proof if isinstance(previous_proof, str) else list(previous_proof)
        )
        to_secure = dict(unsecured)
        to_secure["proof"] = _matching_proofs(existing, previous_proof, error=InvalidInputError)

    doc_cache: dict[tuple[int, str], tuple[Mapping[str, Any], bytes]] | None = None
    if suite.signs_rdf:
        # sign only RDF the JavaScript stack canonicalizes the same way (mcbadge.proofs.portable)
        from mcbadge.proofs.portable import portable_canonical_nquads

        canonical = portable_canonical_nquads(to_secure, loader=loader)
        doc_cache = {(id(to_secure), suite.name): (to_secure, hashlib.sha256(canonical).digest())}
    data = _hash_data(suite, to_secure, proof, loader=loader, doc_cache=doc_cache)
    try:
        signature = signer.sign(data)
    except McBadgeError:
        raise
    except Exception as exc:  # a custom Signer (HSM/KMS) may raise anything
        raise SigningError(f"the signer failed: {exc}", code="signer_failed") from exc
    if len(signature) != 64:
        raise SigningError(
            f"an Ed25519 signature is 64 bytes; the signer returned {len(signature)}",
            code="signature_malformed",
        )
    proof["proofValue"] = "z" + base58btc_encode(signature)

    out = dict(unsecured)
    out["proof"] = [*existing, proof]
    return out


def verify_proofs(
    document: Mapping[str, Any],
    *,
    resolver: Resolver | None = None,
    loader: DocumentLoader | None = None,
    expected_purpose: str = "assertionMethod",
    challenge: str | None = None,
    domain: str | None = None,
    key_lookup: Callable[[str], PublicKey | None] | None = None,
) -> list[ProofResult]:
    """Check every proof of a secured document; never raises for a bad proof.

    Each proof is checked on its own (a proof set), and a proof with ``previousProof`` is
    checked over the document together with the proofs it names (a proof chain).

    Args:
        document: The secured document.
        resolver: Resolves verification methods (default: offline ``did:key``/``did:jwk``).
        loader: JSON-LD document loader (default: offline bundled contexts).
        expected_purpose: The proof purpose every proof must have.
        challenge: When given, every proof's ``challenge`` must equal it.
        domain: When given, every proof's ``domain`` must equal it.
        key_lookup: Optional explicit key lookup tried before ``resolver``.

    Returns:
        One :class:`ProofResult` per proof; empty when the document has no proof.

    Raises:
        InvalidInputError: ``proof`` is not an object or an array of objects.

    Example:
        >>> all(r.verified for r in verify_proofs(signed))  # doctest: +SKIP
        True
    """
    from mcbadge.did import Resolver

    proofs = _proofs_of(document)
    unsecured = {k: v for k, v in document.items() if k != "proof"}
    resolver = resolver or Resolver()
    # The unsecured document is canonicalized once for every proof of a proof set.
    doc_cache: dict[tuple[int, str], tuple[Mapping[str, Any], bytes]] = {}
    return [
        _verify_one(
            proof,
            proofs,
            unsecured,
            resolver=resolver,
            loader=loader,
            expected_purpose=expected_purpose,
            challenge=challenge,
            domain=domain,
            key_lookup=key_lookup,
            doc_cache=doc_cache,
        )
        for proof in proofs
    ]


_LEGACY_SUITE_NAME = "eddsa-2022"
_VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"


def _first_context(document: Mapping[str, Any]) -> Any:
    contexts = document.get("@context")
    return contexts[0] if isinstance(contexts, list) and contexts else contexts


def _fail(code: str, message: str, **details: Any) -> VerificationError:
    return VerificationError(message, code=code, **details)


def _verify_one(
    proof: Mapping[str, Any],
    proofs: Sequence[Mapping[str, Any]],
    unsecured: Mapping[str, Any],
    *,
    resolver: Resolver,
    loader: DocumentLoader | None,
    expected_purpose: str,
    challenge: str | None,
    domain: str | None,
    key_lookup: Callable[[str], PublicKey | None] | None,
    doc_cache: dict[tuple[int, str], tuple[Mapping[str, Any], bytes]] | None = None,
) -> ProofResult:
    proof_type = proof.get("type")
    suite_name = proof.get("cryptosuite")
    vm = proof.get("verificationMethod")
    vm_id = vm.get("id") if isinstance(vm, Mapping) else vm
    legacy = proof_type == _LEGACY_PROOF_TYPE
    label = suite_name if isinstance(suite_name, str) else proof_type
    result = {
        "proof": proof,
        "cryptosuite": label if isinstance(label, str) else None,
        "verification_method": vm_id if isinstance(vm_id, str) else None,
        "legacy": legacy,
    }
    try:
        if proof_type == _PROOF_TYPE and suite_name == _LEGACY_SUITE_NAME:
            # The pre-2023 name of eddsa-rdfc-2022 (same algorithm); on VC 1.1 credentials only.
            if _first_context(unsecured) != _VC_V1_CONTEXT:
                raise _fail(
                    "unknown_cryptosuite",
                    f"{_LEGACY_SUITE_NAME} is the pre-2023 name of eddsa-rdfc-2022 and is "
                    "accepted only on VC 1.1 credentials; a VC 2.0 credential uses "
                    "eddsa-rdfc-2022",
                )
            legacy = True
            result["legacy"] = True
        if legacy:
            suite: Cryptosuite = CRYPTOSUITES["eddsa-rdfc-2022"]
        elif proof_type != _PROOF_TYPE:
            raise _fail("unknown_proof_type", f"unsupported proof type {proof_type!r}")
        elif not isinstance(suite_name, str) or suite_name not in CRYPTOSUITES:
            raise _fail(
                "unknown_cryptosuite",
                f"unknown cryptosuite {suite_name!r}; mcbadge verifies "
                f"{', '.join(sorted(CRYPTOSUITES))}",
            )
        else:
            suite = CRYPTOSUITES[suite_name]
        if proof.get("proofPurpose") != expected_purpose:
            raise _fail(
                "proof_purpose_mismatch",
                f"proofPurpose is {proof.get('proofPurpose')!r}, expected {expected_purpose!r}",
            )
        if challenge is not None and proof.get("challenge") != challenge:
            raise _fail("challenge_mismatch", "the proof's challenge does not match")
        if domain is not None and proof.get("domain") != domain:
            raise _fail("domain_mismatch", "the proof's domain does not match")
        if not isinstance(vm_id, str) or not vm_id:
            raise _fail("verification_method_missing", "the proof has no verificationMethod")
        created = proof.get("created")
        if created is not None and not _is_datetime(created):
            raise _fail("proof_created_malformed", f"created {created!r} is not a dateTime")
        proof_value = proof.get("proofValue")
        if not isinstance(proof_value, str) or not proof_value.startswith("z"):
            raise _fail(
                "proof_value_malformed",
                "proofValue must be a multibase base58btc string (starting with 'z')",
            )
        try:
            # the length first: base58 decoding is quadratic (issue 10, F5)
            signature = base58btc_decode(proof_value[1:], max_bytes=64)
        except McBadgeError as exc:
            raise _fail("proof_value_malformed", f"proofValue is not base58btc: {exc}") from exc
        if len(signature) != 64:
            raise _fail(
                "proof_value_malformed",
                f"an Ed25519 signature is 64 bytes; proofValue holds {len(signature)}",
            )
        to_verify: Mapping[str, Any] = unsecured
        previous = proof.get("previousProof")
        if previous is not None:
            to_verify = dict(unsecured)
            to_verify["proof"] = _matching_proofs(proofs, previous, error=VerificationError)
        public_key, controller = _resolve(vm_id, resolver=resolver, key_lookup=key_lookup)
        if public_key.key_type != "Ed25519":
            raise _fail(
                "key_type_mismatch",
                f"{label} needs an Ed25519 key; {vm_id} is {public_key.key_type}",
            )
        data = _hash_data(suite, to_verify, proof, loader=loader, doc_cache=doc_cache)
        try:
            public_key.verify(data, signature)
        except McBadgeError as exc:
            raise _fail(
                "signature_invalid",
                f"the signature does not verify with {vm_id}: the document or the proof was "
                "changed after signing, or another key signed it",
            ) from exc
    except McBadgeError as exc:
        return ProofResult(verified=False, error=exc, **result)  # type: ignore[arg-type]
    return ProofResult(
        verified=True,
        controller=controller,
        public_key=public_key,
        **result,  # type: ignore[arg-type]
    )


def _check_proof_context(proof_context: Any, doc_context: Any) -> None:
    p = proof_context if isinstance(proof_context, list) else [proof_context]
    d = doc_context if isinstance(doc_context, list) else [doc_context]
    if d[: len(p)] != p:
        raise _fail(
            "proof_context_mismatch",
            "the proof's @context must be the start of the document's @context",
        )


def _resolve(
    vm_id: str,
    *,
    resolver: Resolver,
    key_lookup: Callable[[str], PublicKey | None] | None,
) -> tuple[PublicKey, str | None]:
    if key_lookup is not None:
        key = key_lookup(vm_id)
        if key is not None:
            return key, None
    try:
        method = resolver.resolve_verification_method(vm_id)
    except ResolutionError as exc:
        raise _fail(
            "verification_method_unresolved",
            f"cannot resolve the verification method {vm_id}: {exc.message}",
        ) from exc
    return method.public_key, method.controller


def _is_datetime(value: Any) -> bool:
    if not isinstance(value, str) or "T" not in value:
        return False
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return parsed.tzinfo is not None
