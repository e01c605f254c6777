"""SD-JWT VC (IETF draft-ietf-oauth-sd-jwt-vc): an OB3 microcredential for wallets.

:func:`issue_sd_jwt_vc` renders an OB3 ``AchievementCredential`` as an SD-JWT VC
(``typ: dc+sd-jwt``). The claims keep the OB3 member names, so a verifier can read the
Dutch/EU fields where the OB3 mapping (DESIGN §4) puts them, and the registered claims the
draft requires are added:

=====================  ==========================================  ========================
SD-JWT VC claim        from                                        selectively disclosable
=====================  ==========================================  ========================
``iss``                ``issuer.id``                               never (draft §3.2.2.2)
``iat``                the signing time                            never
``nbf`` / ``exp``      ``validFrom`` / ``validUntil``              never
``vct``                :func:`default_vct` or ``vct=``             never
``cnf``                ``holder_key=`` (``{"jwk": …}``)            never
``status``             ``status=`` (Token Status List reference)   never
``jti``                ``id``                                      no
``sub``                ``credentialSubject.id`` (learner DID)      yes
``credentialSubject``  the subject without ``id``                  see below
=====================  ==========================================  ========================

Inside ``credentialSubject``: every ``identifier[]`` IdentityObject (name, e-mail hash,
student number) and every ``result[]`` is an array-element Disclosure; ``creditsEarned`` and the
other subject members (but ``type`` and ``achievement``) are disclosable members; in the
``achievement`` each ``alignment[]`` of ``targetType: ext:LearningOutcome`` is an array-element
Disclosure and ``criteria.narrative`` (the readable outcome list) is disclosable; ``evidence[]``
elements are disclosable. The unit, institution, level, size, assessment, participation and
quality assurance are always shown. ``@context`` and ``proof`` are left out: an SD-JWT VC is
plain JSON, not JSON-LD (:func:`credential_view` puts the contexts back for display).

:func:`type_metadata` gives the ``vct`` Type Metadata document the issuer serves at the ``vct``
URL (the current draft; older drafts inserted ``/.well-known/vct`` — :func:`type_metadata_paths`
gives both paths).

Example:
    >>> from mcbadge.demo import sample_microcredential
    >>> from mcbadge.keys import KeyPair
    >>> cred = sample_microcredential().to_credential(id="urn:uuid:1",
    ...     valid_from="2025-01-01T00:00:00Z")
    >>> token = issue_sd_jwt_vc(cred, KeyPair.generate("P-256"), kid="https://x.nl/k")
    >>> token.count("~") > 3
    True
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, Final
from urllib.parse import unquote, urlsplit

from mcbadge._internal.dates import DateTimeSyntaxError, parse_datetime
from mcbadge._internal.jsonobject import json_object_of
from mcbadge.errors import InvalidInputError, KeyFormatError, SigningError
from mcbadge.keys import PRIVATE_JWK_MEMBERS, PublicKey, Signer
from mcbadge.proofs.sdjwt import ClaimPath, issue_sd_jwt
from mcbadge.proofs.sdjwt_format import is_status_list_reference

if TYPE_CHECKING:
    from mcbadge.model import AchievementCredential

__all__ = [
    "DEFAULT_VCT_SUFFIX",
    "NEVER_DISCLOSABLE",
    "credential_claims",
    "credential_view",
    "default_vct",
    "integrity_of",
    "issue_sd_jwt_vc",
    "type_metadata",
    "type_metadata_bytes",
    "type_metadata_paths",
]

DEFAULT_VCT_SUFFIX: Final = "/vct/microcredential"
"""Appended to the issuer's HTTPS base to make the default ``vct``."""

NEVER_DISCLOSABLE: Final = ("iss", "nbf", "exp", "cnf", "vct", "vct#integrity", "status")
"""Claims the SD-JWT VC draft forbids in Disclosures."""

_VC_V2: Final = "https://www.w3.org/ns/credentials/v2"
_OB3: Final = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
_LEARNING_OUTCOME: Final = "ext:LearningOutcome"
_REGISTERED: Final = (
    "iss",
    "iat",
    "nbf",
    "exp",
    "vct",
    "vct#integrity",
    "jti",
    "cnf",
    "status",
    "sub",
)
_SUBJECT_SHOWN: Final = ("type", "achievement", "identifier", "result")


def _as_dict(credential: Mapping[str, Any] | AchievementCredential) -> dict[str, Any]:
    mapping = json_object_of(credential)
    if mapping is not None:
        copied: dict[str, Any] = json.loads(json.dumps(dict(mapping)))
        return copied
    raise InvalidInputError(
        f"an SD-JWT VC is made from a credential (dict or model), not {type(credential).__name__}",
        code="credential_malformed",
    )


def _issuer_id(credential: Mapping[str, Any]) -> str | None:
    issuer = credential.get("issuer")
    if isinstance(issuer, Mapping):
        issuer = issuer.get("id")
    return issuer if isinstance(issuer, str) else None


def _https_base(value: Any) -> str | None:
    if not isinstance(value, str):
        return None
    if value.startswith("did:web:"):
        parts = [unquote(p) for p in value[len("did:web:") :].split(":")]
        return "https://" + "/".join(parts)
    split = urlsplit(value)
    if split.scheme == "https" and split.netloc and not split.query and not split.fragment:
        return value.rstrip("/")
    return None


def default_vct(credential: Mapping[str, Any] | AchievementCredential) -> str:
    """The default ``vct``: ``<issuer's HTTPS base>/vct/microcredential``.

    The base is the issuer id when it is an HTTPS URL or a ``did:web``, else the issuer's
    ``url``.

    Raises:
        InvalidInputError: ``sdjwt_vct_required`` — the issuer has no HTTPS id or url; pass
            ``vct=``.

    Example:
        >>> default_vct({"issuer": {"id": "did:web:hs.nl:mc"}})
        'https://hs.nl/mc/vct/microcredential'
    """
    document = _as_dict(credential)
    issuer = document.get("issuer")
    candidates = [_issuer_id(document)]
    if isinstance(issuer, Mapping):
        candidates.append(issuer.get("url"))
    for candidate in candidates:
        base = _https_base(candidate)
        if base:
            return base + DEFAULT_VCT_SUFFIX
    raise InvalidInputError(
        "the issuer has neither an HTTPS id, a did:web nor an HTTPS url to put the vct under; "
        "pass vct='https://…'",
        code="sdjwt_vct_required",
    )


def _numeric(value: Any, name: str) -> int:
    if not isinstance(value, str):
        raise SigningError(f"{name} must be a dateTime string", code="sdjwt_date_invalid")
    try:
        moment = parse_datetime(value)
    except DateTimeSyntaxError as exc:
        raise SigningError(
            f"{name} {value!r} is not a dateTime: {exc}", code="sdjwt_date_invalid"
        ) from exc
    return int(moment.timestamp())


def _holder_jwk(holder_key: PublicKey | Mapping[str, Any]) -> dict[str, Any]:
    if isinstance(holder_key, PublicKey):
        return holder_key.to_jwk()
    if isinstance(holder_key, Mapping):
        if PRIVATE_JWK_MEMBERS.intersection(holder_key):
            raise InvalidInputError(
                "holder_key must be the holder's public JWK; this one has private members",
                code="sdjwt_holder_key_private",
            )
        try:
            return PublicKey.from_jwk(holder_key).to_jwk()
        except KeyFormatError as exc:
            raise InvalidInputError(
                f"holder_key is not a usable public JWK: {exc.message}",
                code="sdjwt_holder_key_invalid",
            ) from exc
    raise InvalidInputError(
        "holder_key must be a mcbadge.keys.PublicKey or a public JWK dict",
        code="sdjwt_holder_key_invalid",
    )


def _status_claim(status: Mapping[str, Any]) -> dict[str, Any]:
    to_claim = getattr(status, "to_claim", None)
    claim = to_claim() if callable(to_claim) else dict(status)
    ref = claim.get("status_list") if isinstance(claim, Mapping) else None
    if not is_status_list_reference(ref):
        raise InvalidInputError(
            "status must be {'status_list': {'idx': <int >= 0>, 'uri': <status list token URI>}} "
            "(or a mcbadge.status.token_list.StatusReference)",
            code="sdjwt_status_invalid",
        )
    return dict(claim)


def credential_claims(
    credential: Mapping[str, Any] | AchievementCredential,
) -> tuple[dict[str, Any], list[ClaimPath]]:
    """The SD-JWT VC claims of a credential (without registered claims) and what is disclosable.

    Returns:
        ``(claims, disclosable paths)``: the OB3 members under their own names (``sub`` for
        ``credentialSubject.id``; no ``@context``, ``id``, ``proof``), and the paths
        :func:`mcbadge.proofs.sdjwt.issue_sd_jwt` should conceal.

    Raises:
        InvalidInputError: the credential has no ``credentialSubject`` object.
    """
    document = _as_dict(credential)
    subject = document.get("credentialSubject")
    if isinstance(subject, list) and len(subject) == 1:
        subject = subject[0]
    if not isinstance(subject, Mapping):
        raise InvalidInputError(
            "an SD-JWT VC needs exactly one credentialSubject object", code="credential_malformed"
        )
    subject = dict(subject)
    claims: dict[str, Any] = {}
    rules: list[ClaimPath] = []
    if "id" in subject:
        claims["sub"] = subject.pop("id")
        rules.append(("sub",))
    for name, value in document.items():
        if name in ("@context", "id", "proof"):
            continue
        if name == "credentialSubject":
            claims[name] = subject
            continue
        if name in _REGISTERED:
            raise InvalidInputError(
                f"the credential has a top-level {name!r}, which is an SD-JWT VC registered claim",
                code="sdjwt_claim_conflict",
            )
        claims[name] = value
    base: ClaimPath = ("credentialSubject",)
    rules += [(*base, "identifier", None), (*base, "result", None)]
    rules += [(*base, name) for name in subject if name not in _SUBJECT_SHOWN]
    achievement = subject.get("achievement")
    if isinstance(achievement, Mapping):
        alignment = achievement.get("alignment")
        if isinstance(alignment, list):
            for index, item in enumerate(alignment):
                if isinstance(item, Mapping) and item.get("targetType") == _LEARNING_OUTCOME:
                    rules.append((*base, "achievement", "alignment", index))
        rules.append((*base, "achievement", "criteria", "narrative"))
    rules.append(("evidence", None))
    return claims, rules


def issue_sd_jwt_vc(
    credential: Mapping[str, Any] | AchievementCredential,
    key: Signer,
    *,
    vct: str | None = None,
    vct_integrity: str | None = None,
    holder_key: PublicKey | Mapping[str, Any] | None = None,
    status: Mapping[str, Any] | None = None,
    kid: str | None = None,
    issued_at: datetime | None = None,
    decoys: int | None = None,
) -> str:
    """Issue an OB3 credential as an SD-JWT VC (``typ: dc+sd-jwt``).

    Args:
        credential: The unsigned OB3 credential (dict or model); not modified.
        key: The issuer's key (any :class:`~mcbadge.keys.Signer`).
        vct: The credential type URL (default :func:`default_vct`).
        vct_integrity: An SRI string (``sha256-…``) of the type metadata served at ``vct``
            (see :func:`integrity_of`), added as ``vct#integrity``.
        holder_key: The wallet's public key (``PublicKey`` or JWK): becomes ``cnf.jwk`` and
            lets the holder add a key-binding JWT.
        status: ``{"status_list": {"idx", "uri"}}`` (or a
            :class:`~mcbadge.status.token_list.StatusReference`) for revocation.
        kid: The header ``kid`` (default ``key.verification_method``).
        issued_at: The ``iat`` (default now).
        decoys: Decoy digests per ``_sd`` array (default a random 1–3).

    Returns:
        The SD-JWT VC, ``<JWT>~<Disclosures>~``.

    Raises:
        InvalidInputError: no HTTPS place for the ``vct``, a bad ``holder_key`` or
            ``status``, or a credential without issuer id / subject.
        SigningError: bad ``validFrom`` / ``validUntil``, or the key cannot sign.
    """
    document = _as_dict(credential)
    issuer_id = _issuer_id(document)
    if issuer_id is None:
        raise InvalidInputError("the credential has no issuer id", code="credential_malformed")
    chosen_vct = vct if vct is not None else default_vct(document)
    if not isinstance(chosen_vct, str) or not chosen_vct:
        raise InvalidInputError("vct must be a non-empty string", code="sdjwt_vct_required")
    moment = issued_at or datetime.now(UTC)
    payload: dict[str, Any] = {"iss": issuer_id, "iat": int(moment.timestamp())}
    if "validFrom" in document:
        payload["nbf"] = _numeric(document["validFrom"], "validFrom")
    if document.get("validUntil") is not None:
        payload["exp"] = _numeric(document["validUntil"], "validUntil")
    payload["vct"] = chosen_vct
    if vct_integrity is not None:
        payload["vct#integrity"] = vct_integrity
    if isinstance(document.get("id"), str):
        payload["jti"] = document["id"]
    if holder_key is not None:
        payload["cnf"] = {"jwk": _holder_jwk(holder_key)}
    if status is not None:
        payload["status"] = _status_claim(status)
    claims, rules = credential_claims(document)
    payload.update(claims)
    return issue_sd_jwt(payload, key, disclosable=rules, typ="dc+sd-jwt", kid=kid, decoys=decoys)


def credential_view(claims: Mapping[str, Any]) -> dict[str, Any]:
    """The OB3-shaped credential of processed SD-JWT VC claims (for reports and display).

    ``@context`` (VC v2, OB3 3.0.3) is put back, ``jti`` becomes ``id``, ``sub`` becomes
    ``credentialSubject.id``, ``iss`` the issuer when there is no ``issuer`` object, and
    ``validFrom`` / ``validUntil`` come from ``nbf`` / ``exp`` when the claims lack them.
    Registered claims are dropped; undisclosed claims are simply absent.

    Example:
        >>> credential_view({"iss": "https://hs.nl", "nbf": 0, "sub": "did:x:1",
        ...                  "credentialSubject": {}})["credentialSubject"]
        {'id': 'did:x:1'}
    """
    view: dict[str, Any] = {"@context": [_VC_V2, _OB3]}
    if "jti" in claims:
        view["id"] = claims["jti"]
    view["type"] = claims.get("type", ["VerifiableCredential", "OpenBadgeCredential"])
    view["issuer"] = claims.get("issuer", claims.get("iss"))
    for name, value in claims.items():
        if name not in _REGISTERED and name not in view:
            view[name] = value
    for field_name, claim in (("validFrom", "nbf"), ("validUntil", "exp")):
        value = claims.get(claim)
        if (
            field_name not in view
            and isinstance(value, int | float)
            and not isinstance(value, bool)
        ):
            stamp = datetime.fromtimestamp(max(min(float(value), 253402300799.0), 0.0), UTC)
            view[field_name] = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    subject = view.get("credentialSubject")
    subject = dict(subject) if isinstance(subject, Mapping) else {}
    if "sub" in claims:
        subject = {"id": claims["sub"], **subject}
    view["credentialSubject"] = subject
    return view


# --------------------------------------------------------------------------- type metadata


def _label(nl: str, en: str) -> list[dict[str, str]]:
    return [{"locale": "nl", "label": nl}, {"locale": "en", "label": en}]


def type_metadata(
    vct: str,
    *,
    name: str = "Microcredential",
    description: str = "A Dutch microcredential: an Open Badges 3.0 AchievementCredential.",
    extends: str | None = None,
) -> dict[str, Any]:
    """The SD-JWT VC Type Metadata document for mcbadge microcredentials.

    Serve it at the ``vct`` URL (``GET`` answers this JSON; see :func:`type_metadata_bytes`
    for the exact bytes and :func:`integrity_of` for ``vct#integrity``). It names the type in
    Dutch and English and labels the claims a wallet should show, with their selective
    disclosure (``sd``: ``always`` / ``never``) as :func:`issue_sd_jwt_vc` makes them.

    Args:
        vct: The type URL.
        name: The developer-facing name.
        description: The developer-facing description.
        extends: A type this one extends.

    Returns:
        The metadata as a JSON object.

    Example:
        >>> type_metadata("https://hs.nl/vct/microcredential")["display"][0]["locale"]
        'nl'
    """
    subject: ClaimPath = ("credentialSubject",)
    achievement: ClaimPath = (*subject, "achievement")

    def claim(path: ClaimPath, nl: str, en: str, sd: str, **extra: Any) -> dict[str, Any]:
        return {"path": list(path), "display": _label(nl, en), "sd": sd, **extra}

    doc: dict[str, Any] = {"vct": vct, "name": name, "description": description}
    if extends is not None:
        doc["extends"] = extends
    doc["display"] = [
        {
            "locale": "nl",
            "name": "Microcredential",
            "description": "Bewijs van een afgeronde onderwijseenheid (Open Badges 3.0).",
        },
        {
            "locale": "en",
            "name": "Microcredential",
            "description": "Proof of a completed unit of learning (Open Badges 3.0).",
        },
    ]
    doc["claims"] = [
        claim(("issuer", "name"), "Instelling", "Institution", "never", mandatory=True),
        claim((*achievement, "name"), "Onderwijseenheid", "Unit", "never", mandatory=True),
        claim((*achievement, "humanCode"), "Code", "Code", "never"),
        claim((*achievement, "achievementType"), "Soort", "Kind", "never"),
        claim((*achievement, "creditsAvailable"), "Studiepunten (EC)", "Credits (ECTS)", "never"),
        claim(
            (*achievement, "alignment", None, "targetName"),
            "Niveau, omvang, toetsing en leeruitkomsten",
            "Level, size, assessment and learning outcomes",
            "allowed",
        ),
        claim((*subject, "creditsEarned"), "Behaalde studiepunten", "Credits earned", "always"),
        claim((*subject, "result", None), "Resultaat", "Result", "always"),
        claim((*subject, "identifier", None), "Lerende", "Learner", "always"),
        claim(("sub",), "Lerende (DID)", "Learner (DID)", "always"),
        claim(("validFrom",), "Geldig vanaf", "Valid from", "never"),
        claim(("validUntil",), "Geldig tot", "Valid until", "never"),
    ]
    return doc


def type_metadata_bytes(metadata: Mapping[str, Any]) -> bytes:
    """The exact bytes to serve for a Type Metadata document (compact UTF-8 JSON)."""
    return json.dumps(dict(metadata), separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def integrity_of(document: bytes) -> str:
    """The W3C SRI ``integrity metadata`` (``sha256-<base64>``) of served bytes.

    Example:
        >>> integrity_of(b"{}")
        'sha256-RBNvo1WzZ4oRRq0W9+hknpT7T8If536DEMBg9hyq/4o='
    """
    return "sha256-" + base64.b64encode(hashlib.sha256(document).digest()).decode("ascii")


def type_metadata_paths(vct: str) -> tuple[str, str]:
    """The URL paths to serve a ``vct``'s metadata at: the ``vct`` path itself (current draft)
    and ``/.well-known/vct`` + path (drafts 05–08, still used by some wallets).

    Raises:
        InvalidInputError: the ``vct`` is not an HTTPS URL.

    Example:
        >>> type_metadata_paths("https://hs.nl/vct/microcredential")
        ('/vct/microcredential', '/.well-known/vct/vct/microcredential')
    """
    split = urlsplit(vct)
    if split.scheme != "https" or not split.netloc:
        raise InvalidInputError("only an HTTPS vct can be served", code="sdjwt_vct_required")
    path = split.path or "/"
    return path, "/.well-known/vct" + path
