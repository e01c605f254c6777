"""Verify Open Badges 3.0 credentials (and any W3C VC 2.0 credential) with a full report.

:func:`verify` returns a :class:`~mcbadge.report.VerifiedCredential` when every check passed
(or was skipped for a stated reason), and raises :class:`~mcbadge.errors.VerificationError`
carrying the full :class:`~mcbadge.report.VerificationReport` when any check failed.
:func:`verification_report` runs the same checks and returns the report without raising.
:func:`verify_presentation` checks a Verifiable Presentation: the holder's proof (purpose
``authentication``, with the verifier's challenge and domain), then every credential in it.

The checks run in the order of the OB3 verification algorithm (OB3 §9, and the 1EdTech
validator's extra conformance checks):

====================  =============================================================
check id              what it checks
====================  =============================================================
``format``            the input is a Data Integrity document or a readable VC-JWT
``jsonld.strict``     JSON-LD safe mode: no undefined term, no relative IRI (DI only)
``context``           ``@context``: VC v2 first (VC 1.1 first = legacy); OB3 second
``type``              ``type`` includes ``VerifiableCredential``
``structure``         the VC Data Model 2.0 structure rules (:mod:`mcbadge.verify.vcdm`):
                      typed status, refresh, terms of use, evidence and schema entries,
                      a non-empty subject, related resources and their digests, dateTimeStamps
``schema.ob3``        the pinned OB3 JSON Schema of the credential type (OB3 only)
``subject.identifier`` ``credentialSubject`` has ``id`` or ``identifier`` (OB3 only)
``proof``             (only when there is no usable proof) why not
``proof[i].signature`` each Data Integrity proof verifies (proof sets and chains)
``jwt.signature``     the VC-JWT signature verifies
``proof.issuer_binding`` the signing key belongs to the issuer
``proof.purpose``     every proof has ``proofPurpose: assertionMethod``
``jwt.claims``        ``iss``/``sub``/``jti``/``nbf``/``exp`` agree with the credential
``refresh_service``   a ``refreshService`` is reported, never followed
``status``            ``credentialStatus`` (revocation / suspension), fail-closed
``valid_from``        ``validFrom`` (``issuanceDate``) is not in the future
``valid_until``       ``validUntil`` (``expirationDate``) is not in the past
``proof.created``     no proof was created in the future
``proof.expires``     (when a proof has ``expires``) the proof has not expired
``recipient``         the subject is the expected recipient (when one is given)
``endorsement[i]``    each embedded endorsement verifies, the same way
``trusted_issuer``    the issuer is in the caller's trusted list (when one is given)
``legacy``            (legacy credentials only) a warning that the form is outdated
====================  =============================================================

Default verification is offline: bundled contexts, cached pinned schemas, ``did:key`` and
``did:jwk`` keys, and the keys the caller passes with ``keys=``. ``allow_network=True``
permits HTTPS fetches (did:web, HTTPS key URLs, pinned schemas, status lists).

Example:
    >>> from mcbadge.verify import verify, verification_report
    >>> result = verify(signed_credential, trusted_issuers=[issuer_did])  # doctest: +SKIP
    >>> print(verification_report(token))  # doctest: +SKIP
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal, Protocol, runtime_checkable
from urllib.parse import urldefrag, urlsplit

from mcbadge._internal.dates import DateTimeSyntaxError, parse_datetime
from mcbadge._internal.jsontext import INPUT_CODES, JsonTextError, loads_strict
from mcbadge._internal.urls import normalized_origin_path
from mcbadge.did import Resolver, VerificationMethod
from mcbadge.errors import (
    BakingError,
    DocumentLoaderError,
    InvalidInputError,
    JsonLdError,
    McBadgeError,
    ModelValidationError,
    NetworkNotAllowedError,
    PinnedHashMismatchError,
    StatusListError,
    VerificationError,
)
from mcbadge.jsonld.loader import DocumentLoader, default_loader
from mcbadge.jsonld.urls import (
    OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_CONTEXT_3_0_0_URL,
    OB3_CONTEXT_3_0_1_URL,
    OB3_CONTEXT_3_0_2_URL,
    OB3_CONTEXT_3_0_3_URL,
    OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
    VC_V1_CONTEXT_URL,
    VC_V2_CONTEXT_URL,
)
from mcbadge.keys import PublicKey
from mcbadge.report import (
    Check,
    CheckStatus,
    CredentialFormat,
    VerificationReport,
    VerifiedCredential,
    VerifiedPresentation,
    format_report,
)

__all__ = [
    "DEFAULT_LEEWAY",
    "DEFAULT_MAX_ENDORSEMENT_DEPTH",
    "Check",
    "ExpectedRecipient",
    "KeyEntry",
    "StatusCheckerLike",
    "StatusFetcher",
    "VerificationReport",
    "VerifiedCredential",
    "VerifiedPresentation",
    "format_report",
    "presentation_report",
    "verification_report",
    "verify",
    "verify_presentation",
]

DEFAULT_LEEWAY: Final = timedelta(minutes=5)
"""Clock skew allowed when comparing ``validFrom``, ``validUntil`` and ``created`` with now."""

DEFAULT_MAX_ENDORSEMENT_DEPTH: Final = 3
"""How deep embedded endorsements (endorsements of endorsements…) are verified."""

ExpectedRecipient = str | tuple[str, str]
"""A recipient: a plain identifier (matched against ``credentialSubject.id`` and every
``identifier``), or ``(identityType, value)`` (matched against identifiers of that type)."""

KeyEntry = PublicKey | VerificationMethod
"""A key the caller trusts for a verification method URL. A bare :class:`PublicKey` is
controlled by the DID (or URL without fragment) it is listed under; a
:class:`~mcbadge.did.VerificationMethod` names its controller and relationships itself."""

StatusFetcher = Callable[[str], Any]
"""Fetches a status list credential: ``fetcher(url) -> document`` (dict, JSON text or JWT)."""


@runtime_checkable
class StatusCheckerLike(Protocol):
    """What :func:`verify` needs to check a ``credentialStatus`` entry.

    :class:`mcbadge.status.StatusChecker` implements it; tests and applications may pass
    their own. ``check`` raises :class:`~mcbadge.errors.StatusListError` when the status
    cannot be checked (code e.g. ``status_unavailable``) and otherwise returns a result with
    the entry's ``purpose`` (``"revocation"``, ``"suspension"``…) and whether its bit is set
    (``is_set``).

    Example:
        >>> class AlwaysValid:
        ...     def check(self, entry):
        ...         return {"purpose": entry["statusPurpose"], "is_set": False}
        >>> isinstance(AlwaysValid(), StatusCheckerLike)
        True
    """

    def check(self, entry: Mapping[str, Any]) -> Any:
        """Check one ``credentialStatus`` entry."""
        ...


_VC_TYPE: Final = "VerifiableCredential"
_VP_TYPE: Final = "VerifiablePresentation"
_ACHIEVEMENT_TYPES: Final = frozenset({"AchievementCredential", "OpenBadgeCredential"})
_ENDORSEMENT_TYPE: Final = "EndorsementCredential"
_OB3_TYPES: Final = _ACHIEVEMENT_TYPES | {_ENDORSEMENT_TYPE}
_OB3_CONTEXTS: Final = frozenset(
    {OB3_CONTEXT_3_0_3_URL, OB3_CONTEXT_3_0_2_URL, OB3_CONTEXT_3_0_1_URL, OB3_CONTEXT_3_0_0_URL}
)
# Where 1EdTech's examples of the VC 1.1 era pointed before the purl.imsglobal.org URLs.
_LEGACY_OB3_CONTEXTS: Final = frozenset(
    {"https://imsglobal.github.io/openbadges-specification/context.json"}
)
_LEGACY_PROOF_TYPE: Final = "Ed25519Signature2020"
_JWS_SHAPE: Final = re.compile(r"[A-Za-z0-9_\-]*(\.[A-Za-z0-9_\-]*)+")
_ENVELOPED_PREFIXES: Final = ("data:application/vc+jwt,", "data:application/vc-ld+jwt,")
_NOT_READ: Final = "not checked: the input could not be read as a credential"
_CORE_CHECKS: Final = (
    "jsonld.strict",
    "context",
    "type",
    "structure",
    "schema.ob3",
    "subject.identifier",
    "proof.issuer_binding",
    "proof.purpose",
    "status",
    "valid_from",
    "valid_until",
    "recipient",
    "trusted_issuer",
)


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class _Options:
    resolver: Resolver
    keys: Mapping[str, KeyEntry]
    trusted_issuers: frozenset[str] | None
    status_checker: StatusCheckerLike | None
    status_unavailable: str
    skip_status: bool
    allow_network: bool
    now: datetime
    leeway: timedelta
    expected_recipient: ExpectedRecipient | None
    loader: DocumentLoader
    max_depth: int
    audience: str | None = None
    nonce: str | None = None
    status_fetcher: StatusFetcher | None = None
    token_status_checker: Any = None

    def for_endorsements(self) -> _Options:
        return _Options(
            resolver=self.resolver,
            keys=self.keys,
            trusted_issuers=None,
            status_checker=self.status_checker,
            status_unavailable=self.status_unavailable,
            skip_status=self.skip_status,
            allow_network=self.allow_network,
            now=self.now,
            leeway=self.leeway,
            expected_recipient=None,
            loader=self.loader,
            max_depth=self.max_depth,
        )


def _bad_option(message: str) -> InvalidInputError:
    return InvalidInputError(message, code="invalid_option")


def _options(
    *,
    resolver: Resolver | None,
    keys: Mapping[str, KeyEntry] | None,
    trusted_issuers: Collection[str] | None,
    status_checker: StatusCheckerLike | None,
    status_fetcher: StatusFetcher | None,
    skip_status: bool,
    allow_network: bool,
    clock: Callable[[], datetime] | None,
    leeway: timedelta,
    expected_recipient: ExpectedRecipient | None,
    loader: DocumentLoader | None,
    max_endorsement_depth: int,
    audience: str | None = None,
    nonce: str | None = None,
) -> _Options:
    if (audience is None) != (nonce is None):
        raise _bad_option("give both audience= and nonce= to require a key-binding JWT, or neither")
    for name, value in (("audience", audience), ("nonce", nonce)):
        if value is not None and (not isinstance(value, str) or not value):
            raise _bad_option(f"{name} must be a non-empty str")
    trusted_keys: dict[str, KeyEntry] = {}
    for vm_url, entry in dict(keys or {}).items():
        if not isinstance(vm_url, str) or not vm_url:
            raise _bad_option("keys must map verification method URLs (non-empty str) to keys")
        if not isinstance(entry, PublicKey | VerificationMethod):
            raise _bad_option(
                f"keys[{vm_url!r}] must be a mcbadge.keys.PublicKey or a "
                f"mcbadge.did.VerificationMethod, not {type(entry).__name__}"
            )
        trusted_keys[vm_url] = entry
    if resolver is not None and not isinstance(resolver, Resolver):
        raise _bad_option("resolver must be a mcbadge.did.Resolver")
    if loader is not None and not isinstance(loader, DocumentLoader):
        raise _bad_option("loader must be a mcbadge.jsonld.loader.DocumentLoader")
    trusted: frozenset[str] | None = None
    if trusted_issuers is not None:
        if isinstance(trusted_issuers, str):
            raise _bad_option("trusted_issuers must be a collection of issuer ids, not a str")
        trusted = frozenset(trusted_issuers)
        if not all(isinstance(item, str) for item in trusted):
            raise _bad_option("trusted_issuers must contain issuer ids (str)")
    if not isinstance(leeway, timedelta) or leeway < timedelta(0):
        raise _bad_option("leeway must be a non-negative datetime.timedelta")
    if not isinstance(max_endorsement_depth, int) or max_endorsement_depth < 0:
        raise _bad_option("max_endorsement_depth must be a non-negative int")
    if expected_recipient is not None and not (
        isinstance(expected_recipient, str)
        or (
            isinstance(expected_recipient, tuple)
            and len(expected_recipient) == 2
            and all(isinstance(part, str) for part in expected_recipient)
        )
    ):
        raise _bad_option("expected_recipient must be a str or an (identityType, value) tuple")
    now = clock() if clock is not None else datetime.now(UTC)
    if not isinstance(now, datetime) or now.tzinfo is None or now.utcoffset() is None:
        raise _bad_option("clock() must return a timezone-aware datetime")
    resolver = resolver or Resolver(allow_network=allow_network)
    checker, why = _status_checker(
        status_checker,
        status_fetcher,
        allow_network=allow_network,
        resolver=resolver,
        keys=trusted_keys,
        now=now,
        leeway=leeway,
    )
    return _Options(
        resolver=resolver,
        keys=trusted_keys,
        trusted_issuers=trusted,
        status_checker=checker,
        status_unavailable=why,
        skip_status=bool(skip_status),
        allow_network=bool(allow_network),
        now=now,
        leeway=leeway,
        expected_recipient=expected_recipient,
        loader=loader
        or (DocumentLoader(allow_network=True) if allow_network else default_loader()),
        max_depth=max_endorsement_depth,
        audience=audience,
        nonce=nonce,
        status_fetcher=status_fetcher,
    )


def _status_checker(
    given: StatusCheckerLike | None,
    fetcher: StatusFetcher | None,
    *,
    allow_network: bool,
    resolver: Resolver,
    keys: Mapping[str, KeyEntry],
    now: datetime,
    leeway: timedelta,
) -> tuple[StatusCheckerLike | None, str]:
    if given is not None:
        if not callable(getattr(given, "check", None)):
            raise _bad_option("status_checker must have a check(entry) method")
        return given, ""
    if fetcher is not None and not callable(fetcher):
        raise _bad_option("status_fetcher must be a callable url -> document")
    from mcbadge.status import StatusChecker

    try:
        checker = StatusChecker(
            fetcher=fetcher,
            allow_network=allow_network,
            clock=lambda: now,
            resolver=resolver,
            keys={vm: _entry_key(entry) for vm, entry in keys.items()},
            leeway=leeway,
        )
    except McBadgeError as exc:  # pragma: no cover - the options were checked above
        return None, f"no status checker could be made: {exc.message}"
    return checker, ""


# --------------------------------------------------------------------------- input


def _json_copy(value: Any) -> Any:
    try:
        text = json.dumps(value, allow_nan=False, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError) as exc:
        raise InvalidInputError(
            f"the credential is not JSON data: {exc}", code="input_not_json"
        ) from exc
    return _parse_json_text(text)


def _parse_json_text(text: str) -> Any:
    try:
        return loads_strict(text)
    except JsonTextError as exc:
        message = (
            f"the JSON has the member {exc.member!r} twice in one object; refused because "
            "different readers would see different credentials"
            if exc.kind == "duplicate"
            else f"the input is not valid JSON: {exc.reason}"
        )
        extra = {"member": exc.member} if exc.member is not None else {}
        raise InvalidInputError(
            message, code=INPUT_CODES.get(exc.kind, "input_not_json"), **extra
        ) from exc


def _unbake(image: bytes | str) -> Any:
    """Take the credential out of a baked PNG or SVG (OB3 §5.3)."""
    try:
        from mcbadge.bake import unbake
    except ImportError as exc:  # pragma: no cover - mcbadge.bake ships with mcbadge
        raise InvalidInputError(
            "this is an image (PNG or SVG), and reading baked images needs mcbadge.bake, "
            "which is not available",
            code="baked_image_unsupported",
        ) from exc
    try:
        return unbake(image)
    except BakingError as exc:
        raise InvalidInputError(
            f"cannot take a credential out of the image: {exc.message}", code=exc.code
        ) from exc


def _read_input(value: Any) -> tuple[Literal["json", "jwt", "sd-jwt"], Any]:
    """Classify and copy the input: a JSON object, or a compact JWS."""
    if isinstance(value, Mapping):
        return "json", _json_copy(value)
    to_json_dict = getattr(value, "to_json_dict", None)
    if callable(to_json_dict) and not isinstance(value, str | bytes | bytearray):
        return "json", _json_copy(to_json_dict())
    if isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        stripped = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
        if data.startswith(b"\x89PNG") or stripped.lstrip().startswith(b"<"):
            return _read_input(_unbake(data))
        try:
            value = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidInputError(
                "the input bytes are neither a PNG, nor UTF-8 text (JSON, a JWT or an SVG)",
                code="input_unrecognized",
            ) from exc
    if isinstance(value, str):
        text = value.lstrip("\ufeff").strip()
        if text.startswith("{"):
            parsed = _parse_json_text(text)
            if not isinstance(parsed, dict):  # pragma: no cover - '{' always gives an object
                raise InvalidInputError("the JSON is not an object", code="input_not_object")
            return "json", parsed
        if text.startswith("<"):
            return _read_input(_unbake(text))
        if "~" in text:
            from mcbadge.proofs.sdjwt import looks_like_sd_jwt

            if looks_like_sd_jwt(text):
                return "sd-jwt", text
        if _JWS_SHAPE.fullmatch(text):
            return "jwt", text
        if text.startswith("["):
            raise InvalidInputError(
                "the input is a JSON array; a credential is a JSON object",
                code="input_not_object",
            )
        raise InvalidInputError(
            "the input is neither a JSON credential, a compact JWS (VC-JWT), nor a baked "
            "PNG/SVG image",
            code="input_unrecognized",
        )
    raise InvalidInputError(
        f"cannot verify a {type(value).__name__}: pass a dict, JSON text, a compact JWS, "
        "or the bytes of a baked PNG/SVG",
        code="input_unrecognized",
    )


# --------------------------------------------------------------------------- report builder


class _Builder:
    def __init__(self) -> None:
        self.checks: list[Check] = []
        self.warnings: list[str] = []

    def add(
        self,
        check_id: str,
        status: CheckStatus,
        message: str,
        *,
        code: str | None = None,
        report: VerificationReport | None = None,
        **details: Any,
    ) -> None:
        self.checks.append(
            Check(
                id=check_id,
                status=status,
                message=message,
                error_code=code if status == "failed" else None,
                details=details,
                report=report,
            )
        )

    def passed(self, check_id: str, message: str, **details: Any) -> None:
        self.add(check_id, "passed", message, **details)

    def failed(self, check_id: str, code: str, message: str, **details: Any) -> None:
        self.add(check_id, "failed", message, code=code, **details)

    def skipped(self, check_id: str, message: str, **details: Any) -> None:
        self.add(check_id, "skipped", message, **details)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def has(self, check_id: str) -> bool:
        return any(c.id == check_id for c in self.checks)

    def status_of(self, check_id: str) -> CheckStatus | None:
        return next((c.status for c in self.checks if c.id == check_id), None)

    def guard(self, check_id: str, run: Callable[[], None]) -> None:
        """Run one check; any exception becomes a failed check (never escapes)."""
        try:
            run()
        except McBadgeError as exc:
            self.failed(check_id, exc.code, exc.message)
        except Exception as exc:  # a defect or a third-party surprise: report, never raise
            self.failed(
                check_id,
                "internal_error",
                f"the check could not be completed ({type(exc).__name__}: {exc})",
            )

    def build(
        self, *, fmt: CredentialFormat, credential: Mapping[str, Any] | None
    ) -> VerificationReport:
        return VerificationReport(
            verified=not any(c.status == "failed" for c in self.checks),
            format=fmt,
            checks=tuple(self.checks),
            warnings=tuple(self.warnings),
            credential=credential,
        )


# --------------------------------------------------------------------------- small helpers


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _type_names(value: Any) -> list[str]:
    return [t for t in _as_list(value) if isinstance(t, str)]


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) and issuer else None


def _holder_id(presentation: Mapping[str, Any]) -> str | None:
    holder = presentation.get("holder")
    if isinstance(holder, Mapping):
        holder = holder.get("id")
    return holder if isinstance(holder, str) and holder else None


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _parse_time(value: Any, what: str) -> datetime:
    if not isinstance(value, str):
        raise InvalidInputError(
            f"{what} must be a dateTime string, got {value!r}", code="date_malformed"
        )
    try:
        return parse_datetime(value)
    except DateTimeSyntaxError as exc:
        raise InvalidInputError(
            f"{what} {value!r} is not a dateTime with time zone: {exc}", code="date_malformed"
        ) from exc


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _is_legacy_context(credential: Mapping[str, Any]) -> bool:
    contexts = _as_list(credential.get("@context"))
    return bool(contexts) and contexts[0] == VC_V1_CONTEXT_URL


def _proofs_of(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    proof = document.get("proof")
    if proof is None:
        return []
    if isinstance(proof, Mapping):
        return [proof]
    if isinstance(proof, list) and proof and all(isinstance(p, Mapping) for p in proof):
        return list(proof)
    raise InvalidInputError(
        "proof must be an object or a non-empty array of objects", code="proof_malformed"
    )


# --------------------------------------------------------------------------- key binding


def _entry_key(entry: KeyEntry) -> PublicKey:
    return entry.public_key if isinstance(entry, VerificationMethod) else entry


def _implied_controller(vm_id: str) -> str:
    if vm_id.startswith("did:"):
        return re.split(r"[#?/]", vm_id, maxsplit=1)[0]
    return urldefrag(vm_id)[0]


def _url_under(vm_id: str, issuer_id: str) -> bool:
    """Whether an HTTPS key URL lives under the issuer's HTTPS id (same origin, path below).

    Both URLs are compared as a fetch sees them (scheme and host lower-cased, the default
    port explicit); a URL with dot segments or encoded slashes is never under anything,
    because httpx would fetch another path than the one compared (issue 10, F3).
    """
    vm, issuer = normalized_origin_path(vm_id), normalized_origin_path(issuer_id)
    if vm is None or issuer is None:
        return False
    issuer_parts = urlsplit(issuer_id)
    if issuer_parts.query or issuer_parts.fragment or urlsplit(vm_id).query:
        return False
    if vm[:3] != issuer[:3]:
        return False
    base = issuer[3].rstrip("/")
    return vm[3] == issuer[3] or not base or vm[3].startswith(base + "/")


@dataclass(frozen=True)
class _Binding:
    ok: bool
    code: str | None
    message: str


def _bind_vm(vm_id: str, owner_id: str, opts: _Options, relationship: str) -> _Binding:
    entry = opts.keys.get(vm_id)
    if isinstance(entry, VerificationMethod):
        controller, authorized = entry.controller, entry.authorized_for(relationship)
        source = "given by the caller"
    elif entry is not None:
        controller, authorized = _implied_controller(vm_id), True
        source = "given by the caller"
    else:
        try:
            method = opts.resolver.resolve_verification_method(vm_id)
        except McBadgeError as exc:
            return _Binding(False, "verification_method_unresolved", exc.message)
        controller, authorized = method.controller, method.authorized_for(relationship)
        source = "resolved"
    if controller != owner_id and not _url_under(vm_id, owner_id):
        return _Binding(
            False,
            "issuer_key_mismatch",
            f"{vm_id} is controlled by {controller}, not by {owner_id}",
        )
    if not authorized:
        return _Binding(
            False,
            "verification_method_not_authorized",
            f"{controller} does not list {vm_id} under {relationship}",
        )
    how = "controlled by it" if controller == owner_id else "a key URL under its id"
    return _Binding(True, None, f"{vm_id} ({how}, key {source})")


def _bind_jwk(key: PublicKey, issuer_id: str, opts: _Options) -> _Binding:
    if issuer_id.startswith(("did:key:", "did:jwk:")):
        try:
            document = opts.resolver.resolve(issuer_id)
        except McBadgeError as exc:
            return _Binding(False, "verification_method_unresolved", exc.message)
        for method in document.verification_methods:
            if method.public_key == key and method.authorized_for("assertionMethod"):
                return _Binding(True, None, f"the header jwk is the key of {issuer_id}")
    for vm_id, entry in opts.keys.items():
        if _entry_key(entry) == key and _bind_vm(vm_id, issuer_id, opts, "assertionMethod").ok:
            return _Binding(True, None, f"the header jwk is the caller's trusted key {vm_id}")
    return _Binding(
        False,
        "issuer_key_mismatch",
        "the JWT carries its own key (jwk header), which is not shown to be the issuer's: the "
        f"issuer {issuer_id} is not the did:jwk/did:key of that key, and no key given with "
        "keys= for the issuer matches it",
    )


# --------------------------------------------------------------------------- shared checks


def _check_context(b: _Builder, credential: Mapping[str, Any], *, is_ob3: bool) -> None:
    raw = credential.get("@context")
    contexts = _as_list(raw)
    if not contexts:
        b.failed("context", "context_missing", "the credential has no @context")
        return
    first = contexts[0]
    if first not in (VC_V2_CONTEXT_URL, VC_V1_CONTEXT_URL):
        where = "is missing" if VC_V2_CONTEXT_URL not in contexts else "is not first"
        code = "context_missing" if VC_V2_CONTEXT_URL not in contexts else "context_order"
        b.failed(
            "context",
            code,
            f"the first @context must be {VC_V2_CONTEXT_URL} (VC 2.0); it {where}",
            contexts=contexts,
        )
        return
    legacy = first == VC_V1_CONTEXT_URL
    if is_ob3:
        allowed = _OB3_CONTEXTS | (_LEGACY_OB3_CONTEXTS if legacy else frozenset())
        second = contexts[1] if len(contexts) > 1 else None
        if not (isinstance(second, str) and second in allowed):
            present = [c for c in contexts if isinstance(c, str) and c in allowed]
            b.failed(
                "context",
                "context_order" if present else "context_missing",
                "an Open Badges 3.0 credential needs an OB3 context "
                f"({OB3_CONTEXT_3_0_3_URL}) second in @context; "
                + (f"{present[0]} is at another place" if present else "there is none"),
                contexts=contexts,
            )
            return
    version = "VC 1.1 (legacy)" if legacy else "VC 2.0"
    suffix = f", then {contexts[1]}" if is_ob3 else ""
    b.passed("context", f"{version} context first{suffix}", contexts=contexts)


def _check_type(b: _Builder, credential: Mapping[str, Any], wanted: str) -> None:
    raw = credential.get("type")
    items = _as_list(raw)
    if not items or not all(isinstance(t, str) for t in items):
        b.failed(
            "type", "type_invalid", f"type must be a string or an array of strings, got {raw!r}"
        )
        return
    if wanted not in items:
        hint = ""
        if _VP_TYPE in items:
            hint = "; this is a presentation: use verify_presentation()"
        elif _VC_TYPE in items:
            hint = "; this is a credential: use verify()"
        b.failed("type", "type_mismatch", f"type must include {wanted}, got {items}{hint}")
        return
    b.passed("type", ", ".join(items))


def _check_structure(b: _Builder, credential: Mapping[str, Any], *, is_ob3: bool) -> None:
    """The VC Data Model rules no other check reports (status, refresh and dates have theirs;
    an OB3 subject is checked by ``subject.identifier``)."""
    from mcbadge.verify.vcdm import Rule, related_resources_unchecked, structure_problems

    rules: list[Rule] = [
        "terms_of_use",
        "evidence",
        "credential_schema",
        "related_resource",
        "validity_period",
    ]
    if not is_ob3:
        rules.insert(0, "subject")
    problems = structure_problems(credential, rules=rules)
    if problems:
        listed = "; ".join(p.message for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        b.failed(
            "structure",
            problems[0].code,
            f"{len(problems)} VC Data Model problem(s): {listed}{more}",
            problems=[p.to_dict() for p in problems],
        )
        return
    unchecked = related_resources_unchecked(credential)
    if unchecked:
        b.warn(
            "the digests of these related resources were not checked (not available offline): "
            + ", ".join(unchecked)
        )
    b.passed("structure", "the credential follows the VC Data Model structure rules")


def _check_strict(b: _Builder, document: Mapping[str, Any], opts: _Options) -> None:
    """Safe-mode check of what the document asserts (without ``proof``).

    The proof options are checked by the signature check itself (for RDF suites an undefined
    term there would go unsigned); an unknown proof type should fail as that, not as JSON-LD.
    """
    from mcbadge.jsonld.strict import strict_problems

    unsecured = {k: v for k, v in document.items() if k != "proof"}
    try:
        problems = strict_problems(unsecured, loader=opts.loader)
    except McBadgeError as exc:
        b.failed(
            "jsonld.strict", exc.code, f"the document cannot be processed as JSON-LD: {exc.message}"
        )
        return
    if problems:
        from mcbadge._internal.compactform import COMPACT_KINDS

        listed = "; ".join(f"{p.get('path')}: {p.get('message')}" for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        if all(p.get("kind") in COMPACT_KINDS for p in problems):
            # a member written where the checks do not read it, though the signature covers
            # it (issue 10, F1): the same code as NonCompactJsonLdError at signing
            b.failed(
                "jsonld.strict",
                "jsonld_not_compact",
                f"the document is not in the compact form of its own contexts, so checks "
                f"could miss what the signature covers: {len(problems)} problem(s): "
                f"{listed}{more}",
                problems=problems,
            )
            return
        b.failed(
            "jsonld.strict",
            "jsonld_not_strict",
            f"JSON-LD safe mode refuses {len(problems)} problem(s): {listed}{more}",
            problems=problems,
        )
        return
    b.passed("jsonld.strict", "every term is defined and every IRI is absolute (JSON-LD safe mode)")


def _check_schema(
    b: _Builder,
    credential: Mapping[str, Any],
    names: Sequence[str],
    opts: _Options,
    *,
    legacy: bool,
) -> None:
    from mcbadge.schema import schema_errors

    if not any(name in _OB3_TYPES for name in names):
        b.skipped("schema.ob3", "not an OB3 credential", reason_code="not_ob3")
        return
    if legacy:
        b.skipped(
            "schema.ob3",
            "legacy VC 1.1 credential: the pinned OB3 JSON Schema describes VC 2.0 credentials",
            reason_code="legacy_format",
        )
        return
    is_achievement = any(name in _ACHIEVEMENT_TYPES for name in names)
    url = (
        OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL
        if is_achievement
        else (OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL)
    )
    target = dict(credential)
    normalized: list[str] = []
    if isinstance(target.get("proof"), Mapping):
        # A single proof object and a one-element proof set mean the same (VC Data Integrity);
        # the OB3 schema only knows the array form.
        target["proof"] = [target["proof"]]
        normalized.append("proof")
    for entry in _as_list(credential.get("credentialSchema")):
        schema_id = entry.get("id") if isinstance(entry, Mapping) else None
        if schema_id != url:
            b.warn(
                f"credentialSchema {schema_id!r} was not checked: mcbadge checks the pinned "
                f"OB3 schema of the credential type ({url})"
            )
    try:
        errors = schema_errors(
            target,
            schema_url=url,
            cache_dir=opts.loader.pinned_cache_dir,
            allow_network=opts.allow_network,
        )
    except PinnedHashMismatchError as exc:
        b.failed("schema.ob3", exc.code, exc.message, schema=url)
        return
    except NetworkNotAllowedError:
        b.skipped(
            "schema.ob3",
            f"the pinned OB3 JSON Schema {url} is not in the local cache and network access is "
            "off; seed the cache (`mcbadge cache seed FOLDER`) or allow the network",
            reason_code="network_not_allowed",
            schema=url,
        )
        b.warn("the OB3 JSON Schema check was skipped: the pinned schema is not available offline")
        return
    except DocumentLoaderError as exc:
        b.skipped(
            "schema.ob3",
            f"the pinned OB3 JSON Schema {url} could not be loaded: {exc.message}",
            reason_code=exc.code,
            schema=url,
        )
        b.warn("the OB3 JSON Schema check was skipped: the pinned schema could not be loaded")
        return
    if errors:
        listed = "; ".join(f"{e['path'] or '<document>'}: {e['msg']}" for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        b.failed(
            "schema.ob3",
            "schema_invalid",
            f"{len(errors)} problem(s) against {url}: {listed}{more}",
            schema=url,
            errors=errors,
        )
        return
    b.passed("schema.ob3", f"valid against {url}", schema=url, normalized=normalized)


def _check_subject(b: _Builder, credential: Mapping[str, Any], *, is_ob3: bool) -> None:
    if not is_ob3:
        b.skipped("subject.identifier", "not an OB3 credential", reason_code="not_ob3")
        return
    subjects = _as_list(credential.get("credentialSubject"))
    if not subjects:
        b.failed("subject.identifier", "subject_missing", "the credential has no credentialSubject")
        return
    for index, subject in enumerate(subjects):
        where = "credentialSubject" if len(subjects) == 1 else f"credentialSubject[{index}]"
        if not isinstance(subject, Mapping):
            b.failed("subject.identifier", "subject_missing", f"{where} is not an object")
            return
        has_id = isinstance(subject.get("id"), str) and bool(subject["id"])
        identifiers = _as_list(subject.get("identifier"))
        if not has_id and not identifiers:
            b.failed(
                "subject.identifier",
                "subject_identifier_missing",
                f"{where} has neither id nor identifier, so nobody can tell whom it is about "
                "(OB3 verification step 1)",
            )
            return
    b.passed("subject.identifier", "the subject has an id or an identifier")


def _check_refresh(b: _Builder, credential: Mapping[str, Any]) -> None:
    from mcbadge.verify.vcdm import structure_problems

    raw = credential.get("refreshService")
    if raw is None:
        b.passed("refresh_service", "no refreshService")
        return
    problems = structure_problems(credential, rules=["refresh_service"])
    if problems:
        b.failed(
            "refresh_service",
            "refresh_service_invalid",
            "; ".join(p.message for p in problems),
            problems=[p.to_dict() for p in problems],
        )
        return
    described: list[str] = []
    for entry in _as_list(raw):
        service_id = entry.get("id")
        if isinstance(service_id, str) and urlsplit(service_id).scheme.lower() == "http":
            b.failed(
                "refresh_service",
                "refresh_service_invalid",
                f"refreshService ({entry['type']}) names a plain-http service {service_id!r}; "
                "a refresh service must be called over https",
            )
            return
        described.append(f"{service_id or 'a service without id'} ({entry['type']})")
    b.skipped(
        "refresh_service",
        f"not followed: {', '.join(described)}; mcbadge reports refresh services but does not "
        "call them (a refreshed credential must be fetched and verified on its own)",
        reason_code="not_followed",
    )
    b.warn(f"the credential names a refresh service that was not followed: {', '.join(described)}")


def _status_outcome(result: Any) -> tuple[str | None, bool]:
    """Read ``(purpose, bit set)`` from a status checker's result (``purpose``, ``is_set``)."""
    if isinstance(result, Mapping):
        purpose, flag = result.get("purpose"), result.get("is_set", result.get("set"))
    else:
        purpose, flag = getattr(result, "purpose", None), getattr(result, "is_set", None)
    if not isinstance(flag, bool):
        raise StatusListError(
            f"the status checker returned {type(result).__name__}, which does not say whether "
            "the status bit is set (is_set)",
            code="status_unavailable",
        )
    return (purpose if isinstance(purpose, str) else None), flag


def _run_status_check(
    checker: StatusCheckerLike, entry: Mapping[str, Any], credential: Mapping[str, Any]
) -> Any:
    from mcbadge.status import StatusChecker

    if isinstance(checker, StatusChecker):
        credential_id = credential.get("id")
        return checker.check(
            entry,
            expected_issuer=_issuer_id(credential),
            credential_id=credential_id if isinstance(credential_id, str) else None,
        )
    return checker.check(entry)


def _check_status(b: _Builder, credential: Mapping[str, Any], opts: _Options) -> None:
    raw = credential.get("credentialStatus")
    if raw is None:
        b.passed("status", "no credentialStatus: the issuer gave no way to revoke the credential")
        return
    from mcbadge.verify.vcdm import structure_problems

    problems = structure_problems(credential, rules=["status"])
    if problems:
        b.failed(
            "status",
            "status_malformed",
            "; ".join(p.message for p in problems),
            problems=[p.to_dict() for p in problems],
        )
        return
    entries = _as_list(raw)
    kinds = ", ".join(str(e.get("type")) for e in entries)
    if opts.skip_status:
        b.skipped(
            "status", f"skipped by caller ({kinds} not checked)", reason_code="skipped_by_caller"
        )
        b.warn("the credential's status (revocation/suspension) was not checked: skipped by caller")
        return
    checker = opts.status_checker
    if checker is None:
        b.failed(
            "status",
            "status_unavailable",
            f"the credential has a credentialStatus ({kinds}) that cannot be checked: "
            f"{opts.status_unavailable}; pass status_fetcher= or allow_network=True, or "
            "skip_status=True to accept it unchecked",
        )
        return
    found: list[str] = []
    for entry in entries:
        try:
            result = _run_status_check(checker, entry, credential)
            purpose, is_set = _status_outcome(result)
        except McBadgeError as exc:
            b.failed(
                "status",
                exc.code,
                f"the status ({entry.get('type')}) cannot be checked: {exc.message}; "
                "a credential whose status cannot be checked is refused (skip_status=True to "
                "accept it unchecked)",
            )
            return
        except Exception as exc:  # a caller's checker may raise anything: fail closed
            b.failed(
                "status",
                "status_unavailable",
                f"the status checker failed ({type(exc).__name__}: {exc}); refused",
            )
            return
        if is_set and purpose == "revocation":
            b.failed(
                "status", "revoked", "the issuer has revoked the credential", entry=dict(entry)
            )
            return
        if is_set and purpose == "suspension":
            b.failed(
                "status", "suspended", "the issuer has suspended the credential", entry=dict(entry)
            )
            return
        if is_set:
            b.warn(f"the credential's {purpose} status bit is set")
        found.append(f"{purpose or entry.get('type')}: {'set' if is_set else 'not set'}")
    b.passed("status", "; ".join(found))


def _check_dates(
    b: _Builder,
    credential: Mapping[str, Any],
    opts: _Options,
    *,
    legacy: bool,
    is_ob3: bool,
    jwt_payload: Mapping[str, Any] | None = None,
) -> None:
    """``validFrom``/``validUntil`` against the clock; for a VC-JWT also ``nbf``/``exp``.

    A JWT's ``exp`` ends its validity even when the credential has no ``validUntil``, and its
    ``nbf`` starts it (issue 10, F8): the token is valid only inside both windows.
    """
    now, leeway = opts.now, opts.leeway
    nbf = exp = None
    if jwt_payload is not None:
        from mcbadge.proofs.jwt import claim_times

        nbf, exp = claim_times(jwt_payload)
    start_field = "validFrom"
    if "validFrom" not in credential and "issuanceDate" in credential:
        start_field = "issuanceDate"
    end_field = "validUntil"
    if "validUntil" not in credential and "expirationDate" in credential:
        end_field = "expirationDate"

    def check_start() -> None:
        if nbf is not None and nbf > now + leeway:
            b.failed(
                "valid_from",
                "not_yet_valid",
                f"the VC-JWT is not valid before its nbf {_stamp(nbf)} (now {_stamp(now)})",
            )
            return
        if start_field not in credential:
            if legacy:
                b.failed(
                    "valid_from", "valid_from_missing", "a VC 1.1 credential needs issuanceDate"
                )
            elif is_ob3:
                b.failed("valid_from", "valid_from_missing", "an OB3 credential needs validFrom")
            else:
                b.passed("valid_from", "no validFrom: valid from any time")
            return
        start = _parse_time(credential[start_field], start_field)
        if start > now + leeway:
            b.failed(
                "valid_from",
                "not_yet_valid",
                f"{start_field} {credential[start_field]} is in the future (now {_stamp(now)})",
            )
            return
        b.passed("valid_from", f"{start_field} {credential[start_field]} has passed")

    def check_end() -> None:
        jwt_note = f"; the JWT exp {_stamp(exp)} has not passed" if exp is not None else ""
        if end_field in credential:
            end = _parse_time(credential[end_field], end_field)
            if end < now - leeway:
                b.failed(
                    "valid_until",
                    "expired",
                    f"the credential expired at {credential[end_field]} (now {_stamp(now)})",
                )
                return
        if exp is not None and exp < now - leeway:
            without = "" if end_field in credential else " (the credential has no validUntil)"
            b.failed(
                "valid_until",
                "expired",
                f"the VC-JWT expired at its exp {_stamp(exp)}{without} (now {_stamp(now)})",
            )
            return
        if end_field not in credential:
            b.passed("valid_until", f"no validUntil: the credential does not expire{jwt_note}")
            return
        b.passed("valid_until", f"{end_field} {credential[end_field]} has not passed{jwt_note}")

    b.guard("valid_from", check_start)
    b.guard("valid_until", check_end)


def _check_proof_times(b: _Builder, proofs: Sequence[Mapping[str, Any]], opts: _Options) -> None:
    future: list[str] = []
    for index, proof in enumerate(proofs):
        created = proof.get("created")
        if created is None:
            continue
        try:
            moment = _parse_time(created, "created")
        except InvalidInputError:
            continue  # a malformed created is a signature-check failure (proof_created_malformed)
        if moment > opts.now + opts.leeway:
            future.append(f"proof[{index}] created {created}")
    if future:
        b.failed(
            "proof.created",
            "proof_created_in_future",
            f"{'; '.join(future)} is in the future (now {_stamp(opts.now)})",
        )
    else:
        b.passed("proof.created", "no proof was created in the future")
    expiring = [(i, p["expires"]) for i, p in enumerate(proofs) if "expires" in p]
    if not expiring:
        return
    expired: list[str] = []
    for index, expires in expiring:
        try:
            moment = _parse_time(expires, "expires")
        except InvalidInputError as exc:
            b.failed("proof.expires", exc.code, f"proof[{index}]: {exc.message}")
            return
        if moment < opts.now - opts.leeway:
            expired.append(f"proof[{index}] expired at {expires}")
    if expired:
        b.failed("proof.expires", "proof_expired", "; ".join(expired))
    else:
        b.passed("proof.expires", "no proof has expired")


def _identity_objects(subject: Mapping[str, Any]) -> Iterator[Any]:
    from mcbadge.model import IdentityObject

    for item in _as_list(subject.get("identifier")):
        if not isinstance(item, Mapping):
            continue
        try:
            yield IdentityObject.model_validate(dict(item))
        except ModelValidationError:
            continue


def _check_recipient(b: _Builder, credential: Mapping[str, Any], opts: _Options) -> None:
    wanted = opts.expected_recipient
    if wanted is None:
        b.skipped("recipient", "no expected recipient given", reason_code="not_requested")
        return
    identity_type, value = wanted if isinstance(wanted, tuple) else (None, wanted)
    for subject in _as_list(credential.get("credentialSubject")):
        if not isinstance(subject, Mapping):
            continue
        if identity_type is None and subject.get("id") == value:
            b.passed("recipient", "credentialSubject.id is the expected recipient")
            return
        for identity in _identity_objects(subject):
            if identity_type is not None and identity.identity_type != identity_type:
                continue
            if identity.matches(value):
                how = "hashed" if identity.is_hashed else "plain"
                b.passed(
                    "recipient",
                    f"a {how} {identity.identity_type} identifier matches the expected recipient",
                )
                return
    kind = f" of type {identity_type}" if identity_type else ""
    b.failed(
        "recipient",
        "recipient_mismatch",
        f"no credentialSubject id or identifier{kind} matches the expected recipient",
    )


def _check_trusted(b: _Builder, issuer_id: str | None, opts: _Options) -> None:
    if opts.trusted_issuers is None:
        b.skipped("trusted_issuer", "no trusted issuer list given", reason_code="not_requested")
    elif issuer_id is not None and issuer_id in opts.trusted_issuers:
        b.passed("trusted_issuer", f"{issuer_id} is a trusted issuer")
    else:
        b.failed(
            "trusted_issuer",
            "issuer_not_trusted",
            f"the issuer {issuer_id} is not in the trusted issuer list",
        )


def _endorsements(credential: Mapping[str, Any]) -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []

    def collect(holder: Any, prefix: str) -> None:
        if not isinstance(holder, Mapping):
            return
        for key in ("endorsement", "endorsementJwt"):
            for index, item in enumerate(_as_list(holder.get(key))):
                found.append((f"{prefix}{key}[{index}]", item))

    collect(credential, "")
    collect(credential.get("issuer"), "issuer.")
    subjects = _as_list(credential.get("credentialSubject"))
    for index, subject in enumerate(subjects):
        where = "credentialSubject" if len(subjects) == 1 else f"credentialSubject[{index}]"
        if isinstance(subject, Mapping):
            collect(subject.get("achievement"), f"{where}.achievement.")
    return found


def _check_endorsements(
    b: _Builder, credential: Mapping[str, Any], opts: _Options, depth: int
) -> None:
    for index, (path, item) in enumerate(_endorsements(credential)):
        check_id = f"endorsement[{index}]"
        if depth >= opts.max_depth:
            b.skipped(
                check_id,
                f"{path} not verified: the endorsement depth limit ({opts.max_depth}) is reached",
                reason_code="depth_limit",
                path=path,
            )
            b.warn(f"{path} was not verified (endorsement depth limit)")
            continue
        if isinstance(item, str):
            kind: Literal["json", "jwt"] = "jwt"
        elif isinstance(item, Mapping):
            kind = "json"
        else:
            b.failed(
                check_id,
                "endorsement_malformed",
                f"{path} is neither an object nor a JWT",
                path=path,
            )
            continue

        def run(
            kind: Literal["json", "jwt"] = kind,
            item: Any = item,
            path: str = path,
            check_id: str = check_id,
        ) -> None:
            nested = _verify_credential(kind, item, opts.for_endorsements(), depth + 1)
            names = _type_names((nested.credential or {}).get("type"))
            by = nested.issuer_id or "an unknown issuer"
            if nested.credential is not None and _ENDORSEMENT_TYPE not in names:
                b.add(
                    check_id,
                    "failed",
                    f"{path} is not an EndorsementCredential (type {names})",
                    code="endorsement_type",
                    report=nested,
                    path=path,
                )
            elif nested.verified:
                b.add(check_id, "passed", f"{path} by {by} verifies", report=nested, path=path)
            else:
                failing = ", ".join(f"{c.id} ({c.error_code})" for c in nested.failed_checks)
                b.add(
                    check_id,
                    "failed",
                    f"{path} by {by} does not verify: {failing}",
                    code="endorsement_invalid",
                    report=nested,
                    path=path,
                )

        b.guard(check_id, run)


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


# --------------------------------------------------------------------------- credentials


def _unreadable(b: _Builder, code: str, message: str) -> VerificationReport:
    b.failed("format", code, message)
    for check_id in _CORE_CHECKS:
        b.skipped(check_id, _NOT_READ, reason_code="input_unreadable")
    return b.build(fmt="unknown", credential=None)


def _verify_credential(
    kind: Literal["json", "jwt"], value: Any, opts: _Options, depth: int
) -> VerificationReport:
    b = _Builder()
    token: str | None = None
    parsed: Any = None
    if kind == "jwt":
        from mcbadge.proofs.jwt import parse_credential_jwt

        token = str(value)
        try:
            parsed = parse_credential_jwt(token)
        except McBadgeError as exc:
            return _unreadable(b, exc.code, f"not a readable VC-JWT: {exc.message}")
        credential: dict[str, Any] = parsed.credential
        legacy = parsed.legacy or _is_legacy_context(credential)
        fmt: CredentialFormat = "jwt-legacy" if legacy else "jwt"
        form = "legacy vc-claim " if parsed.legacy else ""
        b.passed("format", f"{form}VC-JWT (compact JWS, alg {parsed.algorithm})")
    else:
        if not isinstance(value, Mapping):
            return _unreadable(b, "input_not_object", "a credential must be a JSON object")
        credential = dict(value)
        try:
            proof_types = [p.get("type") for p in _proofs_of(credential)]
        except InvalidInputError:
            proof_types = []
        legacy = _is_legacy_context(credential) or _LEGACY_PROOF_TYPE in proof_types
        fmt = "di-legacy" if legacy else "di"
        count = len(proof_types)
        b.passed("format", f"JSON document with Data Integrity proof(s) ({count} proof(s))")

    names = _type_names(credential.get("type"))
    is_ob3 = any(name in _OB3_TYPES for name in names)
    issuer_id = _issuer_id(credential)

    if kind == "json":
        b.guard("jsonld.strict", lambda: _check_strict(b, credential, opts))
    else:
        b.skipped(
            "jsonld.strict",
            "a VC-JWT payload is not processed as JSON-LD (its @context is still checked)",
            reason_code="jwt",
        )
    b.guard("context", lambda: _check_context(b, credential, is_ob3=is_ob3))
    b.guard("type", lambda: _check_type(b, credential, _VC_TYPE))
    b.guard("structure", lambda: _check_structure(b, credential, is_ob3=is_ob3))
    b.guard("schema.ob3", lambda: _check_schema(b, credential, names, opts, legacy=legacy))
    b.guard("subject.identifier", lambda: _check_subject(b, credential, is_ob3=is_ob3))

    proofs: list[Mapping[str, Any]] = []
    if kind == "json":

        def di() -> None:
            proofs.extend(
                _check_di_proofs(
                    b,
                    credential,
                    opts,
                    owner_id=issuer_id,
                    owner="issuer",
                    relationship="assertionMethod",
                )
            )

        b.guard("proof", di)
    else:
        jws = str(token)
        b.guard("jwt.signature", lambda: _jwt_signature(b, jws, parsed, credential, opts))
        b.skipped("proof.purpose", "a VC-JWT has no proof purpose", reason_code="jwt")
        b.guard("jwt.claims", lambda: _jwt_claims(b, parsed.payload, opts))

    b.guard("refresh_service", lambda: _check_refresh(b, credential))
    b.guard("status", lambda: _check_status(b, credential, opts))
    _check_dates(
        b,
        credential,
        opts,
        legacy=legacy,
        is_ob3=is_ob3,
        jwt_payload=parsed.payload if kind == "jwt" else None,
    )
    if kind == "json" and proofs:
        b.guard("proof.created", lambda: _check_proof_times(b, proofs, opts))
    elif kind == "json":
        b.skipped("proof.created", "no proof", reason_code="no_proof")
    b.guard("recipient", lambda: _check_recipient(b, credential, opts))
    b.guard("endorsement", lambda: _check_endorsements(b, credential, opts, depth))
    b.guard("trusted_issuer", lambda: _check_trusted(b, issuer_id, opts))
    if legacy:
        if fmt == "di-legacy":
            what = "a VC 1.1 credential" if _is_legacy_context(credential) else "a credential"
            if any(p.get("type") == _LEGACY_PROOF_TYPE for p in proofs):
                what += " with an Ed25519Signature2020 proof"
        elif parsed is not None and parsed.legacy:
            what = "a VC-JWT in the VC 1.1 form (credential in the vc claim)"
        else:
            what = "a VC-JWT of a VC 1.1 credential"
        message = (
            f"legacy format: {what}; accepted for verification (mcbadge's builder never makes one)"
        )
        b.passed("legacy", message)
        b.warn(message)
    return b.build(fmt=fmt, credential=credential)


def _report_for(value: Any, opts: _Options) -> VerificationReport:
    kind, data = _read_input(value)
    if kind == "sd-jwt":
        from mcbadge.verify.sdjwt import sd_jwt_report

        return sd_jwt_report(str(data), opts)
    report = _verify_credential(kind, data, opts, 0)
    if opts.audience is not None:
        # a verifier that asks for key binding must not accept a credential without one
        b = _Builder()
        b.checks.extend(report.checks)
        b.warnings.extend(report.warnings)
        b.failed(
            "sdjwt.key_binding",
            "sdjwt_kb_missing",
            "audience= and nonce= require an SD-JWT VC presentation with a key-binding JWT; "
            "this credential is not an SD-JWT VC",
        )
        return b.build(fmt=report.format, credential=report.credential)
    return report


def _failure(report: VerificationReport, what: str) -> VerificationError:
    failing = ", ".join(f"{c.id} ({c.error_code})" for c in report.failed_checks)
    return VerificationError(
        f"the {what} did not verify: {failing}",
        report=report,
        failed=[c.id for c in report.failed_checks],
    )


def verification_report(
    credential_or_jwt: Any,
    *,
    resolver: Resolver | None = None,
    keys: Mapping[str, KeyEntry] | None = None,
    trusted_issuers: Collection[str] | None = None,
    status_checker: StatusCheckerLike | None = None,
    status_fetcher: StatusFetcher | None = None,
    skip_status: bool = False,
    allow_network: bool = False,
    clock: Callable[[], datetime] | None = None,
    leeway: timedelta = DEFAULT_LEEWAY,
    expected_recipient: ExpectedRecipient | None = None,
    loader: DocumentLoader | None = None,
    max_endorsement_depth: int = DEFAULT_MAX_ENDORSEMENT_DEPTH,
    audience: str | None = None,
    nonce: str | None = None,
) -> VerificationReport:
    """Run every verification check and return the report, without raising for failures.

    Takes the same arguments as :func:`verify`; use it to show a report (``print(report)``
    draws a table). ``report.verified`` is ``True`` only when no check failed.

    Returns:
        The :class:`~mcbadge.report.VerificationReport`.

    Raises:
        InvalidInputError: the input is not a credential at all (not a JSON object, not a
            compact JWS, not a baked image), or an option is invalid (code
            ``invalid_option``).

    Example:
        >>> report = verification_report(signed)  # doctest: +SKIP
        >>> [c.id for c in report.failed_checks]  # doctest: +SKIP
        []
    """
    opts = _options(
        resolver=resolver,
        keys=keys,
        trusted_issuers=trusted_issuers,
        status_checker=status_checker,
        status_fetcher=status_fetcher,
        skip_status=skip_status,
        allow_network=allow_network,
        clock=clock,
        leeway=leeway,
        expected_recipient=expected_recipient,
        loader=loader,
        max_endorsement_depth=max_endorsement_depth,
        audience=audience,
        nonce=nonce,
    )
    return _report_for(credential_or_jwt, opts)


def verify(
    credential_or_jwt: Any,
    *,
    resolver: Resolver | None = None,
    keys: Mapping[str, KeyEntry] | None = None,
    trusted_issuers: Collection[str] | None = None,
    status_checker: StatusCheckerLike | None = None,
    status_fetcher: StatusFetcher | None = None,
    skip_status: bool = False,
    allow_network: bool = False,
    clock: Callable[[], datetime] | None = None,
    leeway: timedelta = DEFAULT_LEEWAY,
    expected_recipient: ExpectedRecipient | None = None,
    loader: DocumentLoader | None = None,
    max_endorsement_depth: int = DEFAULT_MAX_ENDORSEMENT_DEPTH,
    audience: str | None = None,
    nonce: str | None = None,
) -> VerifiedCredential:
    """Verify a credential: Data Integrity JSON, a VC-JWT, an SD-JWT VC, or a baked PNG/SVG.

    Every check of the OB3 verification algorithm runs (see the module docstring for the
    list); the credential verifies only when none failed. Verification is offline unless
    ``allow_network=True``.

    Args:
        credential_or_jwt: A credential as a dict (or mcbadge model), JSON text or bytes, a
            compact JWS (VC-JWT), or the bytes of a baked PNG/SVG (or SVG text).
        resolver: Resolves verification methods (default: offline did:key/did:jwk; with
            ``allow_network`` also did:web and HTTPS key URLs).
        keys: Keys the caller trusts, by verification method URL (``proof.verificationMethod``
            or JWT ``kid``); for a JWT with neither ``kid`` nor ``jwk``, by issuer id. A bare
            :class:`~mcbadge.keys.PublicKey` is controlled by the DID / URL it is listed
            under; a :class:`~mcbadge.did.VerificationMethod` names its controller.
        trusted_issuers: When given, the issuer id must be one of these.
        status_checker: Checks ``credentialStatus`` entries (an object with
            ``check(entry)``); by default a :class:`mcbadge.status.StatusChecker` built
            with ``status_fetcher`` and ``allow_network``.
        status_fetcher: ``fetcher(url) -> document`` used by the default status checker.
        skip_status: Do not check status; the ``status`` check is then ``skipped`` ("skipped
            by caller"). Without it, a status that cannot be checked fails verification.
        allow_network: Allow HTTPS fetches (keys, did:web, pinned schemas, status lists).
        clock: Returns "now" (timezone-aware); default the system clock.
        leeway: Clock skew allowed for ``validFrom`` / ``validUntil`` / ``created``.
        expected_recipient: When given, the subject must be this recipient: a value
            matched against ``credentialSubject.id`` and every ``identifier`` (hashed ones
            too), or ``(identityType, value)`` to match only identifiers of that type.
        loader: JSON-LD document loader (default: bundled contexts and cached pins).
        max_endorsement_depth: How deep embedded endorsements are verified.
        audience: For an SD-JWT VC presentation: require a key-binding JWT for this
            audience (with ``nonce``); any other credential then fails (``sdjwt_kb_missing``).
        nonce: The verifier's nonce the key-binding JWT must carry (with ``audience``).

    Returns:
        The :class:`~mcbadge.report.VerifiedCredential` (credential, report, format, issuer;
        for an SD-JWT VC also ``disclosed``, the disclosed claims).

    Raises:
        VerificationError: a check failed; ``exc.report`` is the full report and
            ``exc.details["failed"]`` lists the failing check ids.
        InvalidInputError: the input is not a credential at all, or an option is invalid.

    Example:
        >>> from mcbadge import issue
        >>> from mcbadge.keys import KeyPair
        >>> key = KeyPair.generate("Ed25519")
        >>> result = verify(issue(credential, key))  # doctest: +SKIP
        >>> result.report.verified  # doctest: +SKIP
        True
    """
    report = verification_report(
        credential_or_jwt,
        resolver=resolver,
        keys=keys,
        trusted_issuers=trusted_issuers,
        status_checker=status_checker,
        status_fetcher=status_fetcher,
        skip_status=skip_status,
        allow_network=allow_network,
        clock=clock,
        leeway=leeway,
        expected_recipient=expected_recipient,
        loader=loader,
        max_endorsement_depth=max_endorsement_depth,
        audience=audience,
        nonce=nonce,
    )
    if not report.verified:
        raise _failure(report, "credential")
    return VerifiedCredential(
        credential=report.credential or {},
        report=report,
        format=report.format,
        issuer_id=report.issuer_id,
        disclosed=report.disclosed,
    )


# --------------------------------------------------------------------------- presentations


def _embedded_credential(item: Any) -> tuple[Literal["json", "jwt"], Any] | None:
    if isinstance(item, str):
        return "jwt", item
    if not isinstance(item, Mapping):
        return None
    item_id = item.get("id")
    if "EnvelopedVerifiableCredential" in _type_names(item.get("type")) and isinstance(
        item_id, str
    ):
        for prefix in _ENVELOPED_PREFIXES:
            if item_id.startswith(prefix):
                return "jwt", item_id[len(prefix) :]
        return None
    return "json", item


def _check_presentation_proofs(
    b: _Builder, vp: Mapping[str, Any], opts: _Options, challenge: str | None, domain: str | None
) -> None:
    proofs = _check_di_proofs(
        b, vp, opts, owner_id=_holder_id(vp), owner="holder", relationship="authentication"
    )
    if not proofs:
        b.skipped("proof.challenge", "no proof", reason_code="no_proof")
        b.skipped("proof.domain", "no proof", reason_code="no_proof")
        return
    for check_id, wanted, name in (
        ("proof.challenge", challenge, "challenge"),
        ("proof.domain", domain, "domain"),
    ):
        if wanted is None:
            b.skipped(check_id, f"no {name} given by the verifier", reason_code="not_requested")
            continue
        wrong = [
            f"proof[{i}] {name} {p.get(name)!r}"
            for i, p in enumerate(proofs)
            if wanted not in (_as_list(p.get(name)) if name == "domain" else [p.get(name)])
        ]
        if wrong:
            b.failed(check_id, f"{name}_mismatch", f"{'; '.join(wrong)}, expected {wanted!r}")
        else:
            b.passed(check_id, f"every proof has the expected {name}")
    _check_proof_times(b, proofs, opts)


def _presentation_report(
    vp_value: Any, challenge: str | None, domain: str | None, opts: _Options
) -> tuple[VerificationReport, list[VerificationReport]]:
    kind, vp = _read_input(vp_value)
    if kind != "json":
        raise InvalidInputError(
            "only Data Integrity presentations (JSON) are supported, not a VP-JWT",
            code="presentation_format_unsupported",
        )
    b = _Builder()
    b.passed("format", "JSON presentation with Data Integrity proof(s)")
    b.guard("jsonld.strict", lambda: _check_strict(b, vp, opts))

    def context() -> None:
        contexts = _as_list(vp.get("@context"))
        if contexts and contexts[0] in (VC_V2_CONTEXT_URL, VC_V1_CONTEXT_URL):
            b.passed("context", f"{contexts[0]} first")
        else:
            b.failed(
                "context",
                "context_order" if VC_V2_CONTEXT_URL in contexts else "context_missing",
                f"the first @context must be {VC_V2_CONTEXT_URL}",
            )

    b.guard("context", context)
    b.guard("type", lambda: _check_type(b, vp, _VP_TYPE))
    b.guard("proof", lambda: _check_presentation_proofs(b, vp, opts, challenge, domain))
    nested_reports: list[VerificationReport] = []
    try:
        rdf_signed = any(p.get("cryptosuite") != "eddsa-jcs-2022" for p in _proofs_of(vp))
    except InvalidInputError:
        rdf_signed = False
    for index, item in enumerate(_as_list(vp.get("verifiableCredential"))):
        check_id = f"credential[{index}]"
        embedded = _embedded_credential(item)
        if embedded is None:
            b.failed(check_id, "credential_malformed", "neither a credential object nor a VC-JWT")
            continue
        if isinstance(item, str) and rdf_signed:
            # JSON-LD reads a bare string here as an IRI of an (empty) graph: the JWT itself
            # would not be signed by the holder's RDF proof, so anyone could swap it.
            b.failed(
                check_id,
                "credential_not_covered",
                "a VC-JWT given as a bare string in verifiableCredential is not covered by an "
                "RDF-canonicalized proof (JSON-LD drops it); present it as an "
                "EnvelopedVerifiableCredential with a data:application/vc+jwt, id",
            )
            continue

        def run(
            embedded: tuple[Literal["json", "jwt"], Any] = embedded, check_id: str = check_id
        ) -> None:
            nested = _verify_credential(embedded[0], embedded[1], opts, 0)
            nested_reports.append(nested)
            if nested.verified:
                b.add(
                    check_id, "passed", f"credential by {nested.issuer_id} verifies", report=nested
                )
            else:
                failing = ", ".join(f"{c.id} ({c.error_code})" for c in nested.failed_checks)
                b.add(
                    check_id,
                    "failed",
                    f"credential by {nested.issuer_id} does not verify: {failing}",
                    code="credential_invalid",
                    report=nested,
                )

        b.guard(check_id, run)
    return b.build(fmt="vp-di", credential=vp), nested_reports


def presentation_report(
    presentation: Any,
    *,
    challenge: str | None,
    domain: str | None,
    resolver: Resolver | None = None,
    keys: Mapping[str, KeyEntry] | None = None,
    trusted_issuers: Collection[str] | None = None,
    status_checker: StatusCheckerLike | None = None,
    status_fetcher: StatusFetcher | None = None,
    skip_status: bool = False,
    allow_network: bool = False,
    clock: Callable[[], datetime] | None = None,
    leeway: timedelta = DEFAULT_LEEWAY,
    expected_recipient: ExpectedRecipient | None = None,
    loader: DocumentLoader | None = None,
    max_endorsement_depth: int = DEFAULT_MAX_ENDORSEMENT_DEPTH,
) -> VerificationReport:
    """Check a presentation and every credential in it; return the report without raising.

    Takes the same arguments as :func:`verify_presentation`.

    Returns:
        The presentation's report; each ``credential[i]`` check carries that credential's
        report in ``check.report``.

    Raises:
        InvalidInputError: the input is not a JSON presentation, or an option is invalid.

    Example:
        >>> report = presentation_report(vp, challenge="c-1", domain=None)  # doctest: +SKIP
    """
    opts = _options(
        resolver=resolver,
        keys=keys,
        trusted_issuers=trusted_issuers,
        status_checker=status_checker,
        status_fetcher=status_fetcher,
        skip_status=skip_status,
        allow_network=allow_network,
        clock=clock,
        leeway=leeway,
        expected_recipient=expected_recipient,
        loader=loader,
        max_endorsement_depth=max_endorsement_depth,
    )
    return _presentation_report(presentation, challenge, domain, opts)[0]


def verify_presentation(
    presentation: Any,
    *,
    challenge: str | None,
    domain: str | None,
    resolver: Resolver | None = None,
    keys: Mapping[str, KeyEntry] | None = None,
    trusted_issuers: Collection[str] | None = None,
    status_checker: StatusCheckerLike | None = None,
    status_fetcher: StatusFetcher | None = None,
    skip_status: bool = False,
    allow_network: bool = False,
    clock: Callable[[], datetime] | None = None,
    leeway: timedelta = DEFAULT_LEEWAY,
    expected_recipient: ExpectedRecipient | None = None,
    loader: DocumentLoader | None = None,
    max_endorsement_depth: int = DEFAULT_MAX_ENDORSEMENT_DEPTH,
) -> VerifiedPresentation:
    """Verify a Verifiable Presentation: the holder's proof, then every credential in it.

    The holder's Data Integrity proof must verify, have ``proofPurpose: authentication``,
    carry the verifier's ``challenge`` and ``domain``, and (when the presentation names a
    ``holder``) be made with a key the holder controls. Each credential in
    ``verifiableCredential`` (a JSON credential, a VC-JWT string, or an
    ``EnvelopedVerifiableCredential`` with a ``data:application/vc+jwt,`` id) is verified
    like :func:`verify` does, with the same options.

    Args:
        presentation: The presentation (dict, JSON text or bytes).
        challenge: The challenge the verifier issued; ``None`` skips the check (replay
            protection is then off — the report says so).
        domain: The verifier's domain; ``None`` skips the check.
        resolver: See :func:`verify`.
        keys: See :func:`verify`.
        trusted_issuers: See :func:`verify` (applies to the credentials).
        status_checker: See :func:`verify`.
        status_fetcher: See :func:`verify`.
        skip_status: See :func:`verify`.
        allow_network: See :func:`verify`.
        clock: See :func:`verify`.
        leeway: See :func:`verify`.
        expected_recipient: See :func:`verify` (applies to the credentials).
        loader: See :func:`verify`.
        max_endorsement_depth: See :func:`verify`.

    Returns:
        The :class:`~mcbadge.report.VerifiedPresentation`.

    Raises:
        VerificationError: a check failed (of the presentation or of a credential in it);
            ``exc.report`` is the presentation's report.
        InvalidInputError: the input is not a JSON presentation, or an option is invalid.

    Example:
        >>> vp = verify_presentation(doc, challenge="c-1", domain="hs.nl")  # doctest: +SKIP
    """
    opts = _options(
        resolver=resolver,
        keys=keys,
        trusted_issuers=trusted_issuers,
        status_checker=status_checker,
        status_fetcher=status_fetcher,
        skip_status=skip_status,
        allow_network=allow_network,
        clock=clock,
        leeway=leeway,
        expected_recipient=expected_recipient,
        loader=loader,
        max_endorsement_depth=max_endorsement_depth,
    )
    report, nested = _presentation_report(presentation, challenge, domain, opts)
    if not report.verified:
        raise _failure(report, "presentation")
    presented = report.credential or {}
    return VerifiedPresentation(
        presentation=presented,
        report=report,
        holder=_holder_id(presented),
        credentials=tuple(
            VerifiedCredential(
                credential=r.credential or {}, report=r, format=r.format, issuer_id=r.issuer_id
            )
            for r in nested
        ),
    )
