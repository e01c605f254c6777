"""``issue()``: sign a credential as Data Integrity, VC-JWT or SD-JWT VC."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal, overload

from mcbadge._internal.jsonobject import json_object_of
from mcbadge.errors import InvalidInputError, McBadgeError

if TYPE_CHECKING:
    from mcbadge.jsonld.loader import DocumentLoader
    from mcbadge.keys import PublicKey, Signer
    from mcbadge.model import AchievementCredential
    from mcbadge.proofs.data_integrity import CryptosuiteName

__all__ = ["issue"]


def _as_dict(credential: Mapping[str, Any] | AchievementCredential) -> dict[str, Any]:
    mapping = json_object_of(credential)
    if mapping is not None:
        return dict(mapping)
    raise InvalidInputError(
        f"issue() takes a credential as a dict or an mcbadge model, not "
        f"{type(credential).__name__}",
        code="credential_malformed",
    )


@overload
def issue(
    credential: Mapping[str, Any] | AchievementCredential,
    key: Signer,
    *,
    format: Literal["di"] = "di",
    cryptosuite: CryptosuiteName | None = None,
    verification_method: str | None = None,
    created: str | datetime | None = None,
    embed_jwk: bool = False,
    loader: DocumentLoader | None = None,
    holder_key: None = None,
    status: None = None,
    vct: None = None,
    allow_foreign_key: bool = False,
) -> dict[str, Any]: ...


@overload
def issue(
    credential: Mapping[str, Any] | AchievementCredential,
    key: Signer,
    *,
    format: Literal["jwt"],
    cryptosuite: None = None,
    verification_method: str | None = None,
    created: str | datetime | None = None,
    embed_jwk: bool = False,
    loader: DocumentLoader | None = None,
    holder_key: None = None,
    status: None = None,
    vct: None = None,
    allow_foreign_key: bool = False,
) -> str: ...


@overload
def issue(
    credential: Mapping[str, Any] | AchievementCredential,
    key: Signer,
    *,
    format: Literal["sd-jwt"],
    cryptosuite: None = None,
    verification_method: str | None = None,
    created: None = None,
    embed_jwk: Literal[False] = False,
    loader: None = None,
    holder_key: PublicKey | Mapping[str, Any] | None = None,
    status: Mapping[str, Any] | None = None,
    vct: str | None = None,
    allow_foreign_key: bool = False,
) -> str: ...


def issue(
    credential: Mapping[str, Any] | AchievementCredential,
    key: Signer,
    *,
    format: Literal["di", "jwt", "sd-jwt"] = "di",  # noqa: A002 - the name users expect
    cryptosuite: CryptosuiteName | None = None,
    verification_method: str | None = None,
    created: str | datetime | None = None,
    embed_jwk: bool = False,
    loader: DocumentLoader | None = None,
    holder_key: PublicKey | Mapping[str, Any] | None = None,
    status: Mapping[str, Any] | None = None,
    vct: str | None = None,
    allow_foreign_key: bool = False,
) -> dict[str, Any] | str:
    """Sign a credential.

    Args:
        credential: The unsigned credential: a dict or an ``AchievementCredential``. It is
            never modified.
        key: Who signs: a :class:`~mcbadge.keys.KeyPair`, or any
            :class:`~mcbadge.keys.Signer` (an HSM or cloud KMS key).
        format: ``"di"`` for a Data Integrity proof (JSON), ``"jwt"`` for a VC-JWT in the
            OB3 form (compact JWS), ``"sd-jwt"`` for an SD-JWT VC (``dc+sd-jwt``, selective
            disclosure; see :mod:`mcbadge.proofs.sdjwt_vc` for the claim mapping).
        cryptosuite: For ``"di"``: ``"eddsa-rdfc-2022"`` (default) or ``"eddsa-jcs-2022"``.
            An option that does not apply to the chosen format (``cryptosuite``, ``created``
            or ``loader`` with ``"jwt"``; ``embed_jwk`` with ``"di"``) is refused, never
            silently ignored.
        verification_method: The key's URL (``did:key:…#…``, ``did:web:…#key-1``,
            ``https://…``); defaults to ``key.verification_method``, and for Ed25519/P-256 keys
            without one, to the key's ``did:key`` verification method.
        created: For ``"di"``: the proof's ``created`` time (default now).
        embed_jwk: For ``"jwt"``: put the public JWK in the header instead of a ``kid``.
        loader: JSON-LD document loader (default: the offline bundled contexts).
        holder_key: For ``"sd-jwt"``: the wallet's public key (``PublicKey`` or JWK), put in
            ``cnf`` so that the holder can add a key-binding JWT.
        status: For ``"sd-jwt"``: the Token Status List reference
            (``{"status_list": {"idx", "uri"}}`` or a
            :class:`~mcbadge.status.token_list.StatusReference`).
        vct: For ``"sd-jwt"``: the credential type URL (default
            ``<issuer HTTPS base>/vct/microcredential``).
        allow_foreign_key: Sign even when the key is not shown to be the issuer's (the W3C
            test vectors do this). Off by default: ``verify()`` refuses such a credential
            (``proof.issuer_binding``), so ``issue()`` refuses to make one.

    Before signing, in every format, ``issue()`` runs every check of
    :func:`mcbadge.verify.verify` that can be decided at signing time
    (:func:`mcbadge.verify.signing.signing_checks`: structure, the OB3 schema, strict JSON-LD,
    issuer binding, date formats, embedded endorsements) and refuses with the error code
    ``verify()`` would report.

    Returns:
        A new dict with a ``proof`` array (``"di"``), the compact JWS (``"jwt"``), or the
        SD-JWT VC ``<JWT>~<Disclosures>~`` (``"sd-jwt"``).

    Raises:
        SigningRefusedError: ``verify()`` would refuse the credential; ``code`` is the failing
            check's code (e.g. ``issuer_key_mismatch``, ``schema_invalid``), ``check`` its id.
        SigningError: the key cannot sign in this format (e.g. RSA for Data Integrity).
        StrictJsonLdError: (``"di"``) the credential has undefined terms or relative IRIs.
        InvalidContextError: (``"di"``) the credential uses the invalid educredential context;
            issue it as ``format="jwt"``.
        InvalidInputError: unknown format or cryptosuite, or an option that does not apply to
            the format (code ``option_not_applicable``).

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> key = KeyPair.generate("Ed25519")
        >>> signed = issue(credential, key)  # doctest: +SKIP
        >>> token = issue(credential, key, format="jwt")  # doctest: +SKIP
        >>> sd_vc = issue(credential, key, format="sd-jwt", holder_key=jwk)  # doctest: +SKIP
    """
    from mcbadge.keys.pair import _is_signer

    document = _as_dict(credential)
    if not _is_signer(key):
        raise InvalidInputError(
            f"issue() needs a mcbadge.keys.Signer as key (a KeyPair, or an HSM/KMS signer), "
            f"not {type(key).__name__}",
            code="key_invalid",
        )
    if format not in ("di", "jwt", "sd-jwt"):
        raise InvalidInputError(
            f"unknown format {format!r}; use 'di' (Data Integrity), 'jwt' (VC-JWT) or 'sd-jwt' "
            "(SD-JWT VC)",
            code="unknown_format",
        )
    if format == "di" and embed_jwk:
        raise _not_applicable("embed_jwk", "jwt")
    if format in ("jwt", "sd-jwt"):
        for name, value in (("cryptosuite", cryptosuite), ("created", created), ("loader", loader)):
            if value is not None:
                raise _not_applicable(name, "di")
    if format == "sd-jwt" and embed_jwk:
        raise _not_applicable("embed_jwk", "jwt")
    if format != "sd-jwt":
        sd_options: tuple[tuple[str, object], ...] = (
            ("holder_key", holder_key),
            ("status", status),
            ("vct", vct),
        )
        for name, option in sd_options:
            if option is not None:
                raise _not_applicable(name, "sd-jwt")
    vm = verification_method or key.verification_method or _did_key_vm(key)
    if format in ("di", "jwt", "sd-jwt"):
        from mcbadge.verify.signing import refuse_unverifiable, signing_checks

        report = signing_checks(
            document,
            key,
            format=format,
            verification_method=vm,
            embed_jwk=embed_jwk,
            created=created,
            allow_foreign_key=allow_foreign_key,
            loader=loader,
            strict=False,  # the proof suite runs it, in the same walk as canonicalization
        )
        failed = report.failed_checks
        if failed and failed[0].id != "format" and format == "di" and "@context" in document:
            # verify() reports jsonld.strict first: on the way to a refusal (only then, it
            # costs a second walk) raise its typed error when it fails too
            from mcbadge.jsonld import check_strict

            check_strict({k: v for k, v in document.items() if k != "proof"}, loader=loader)
        refuse_unverifiable(report)
        if isinstance(report.credential, dict):
            from mcbadge.proofs.data_integrity import _CheckedCopy

            # sign the very copy the checks read: a caller (or another thread) changing
            # their dict now cannot slip anything unchecked into the signature
            document = _CheckedCopy(report.credential)
    if format == "di":
        from mcbadge.proofs import add_proof

        if embed_jwk:
            raise _not_applicable("embed_jwk", "jwt")
        return add_proof(
            document,
            key,
            cryptosuite=cryptosuite or "eddsa-rdfc-2022",
            verification_method=vm,
            created=created,
            loader=loader,
        )
    if format == "jwt":
        from mcbadge.proofs.jwt import sign_credential_jwt

        for name, value in (("cryptosuite", cryptosuite), ("created", created), ("loader", loader)):
            if value is not None:
                raise _not_applicable(name, "di")

        return sign_credential_jwt(
            document, key, kid=None if embed_jwk else vm, embed_jwk=embed_jwk
        )
    if format == "sd-jwt":
        from mcbadge.proofs.sdjwt_vc import issue_sd_jwt_vc

        di_options: tuple[tuple[str, object], ...] = (
            ("cryptosuite", cryptosuite),
            ("created", created),
            ("loader", loader),
        )
        for name, option in di_options:
            if option is not None:
                raise _not_applicable(name, "di")
        if embed_jwk:
            raise _not_applicable("embed_jwk", "jwt")
        return issue_sd_jwt_vc(document, key, vct=vct, holder_key=holder_key, status=status, kid=vm)
    raise InvalidInputError(
        f"unknown format {format!r}; use 'di' (Data Integrity), 'jwt' (VC-JWT) or 'sd-jwt' "
        "(SD-JWT VC)",
        code="unknown_format",
    )


def _not_applicable(option: str, applies_to: str) -> InvalidInputError:
    return InvalidInputError(
        f"{option}= applies only to format={applies_to!r}; leave it out for this format",
        code="option_not_applicable",
        option=option,
    )


def _did_key_vm(key: Signer) -> str | None:
    try:
        vm = getattr(key, "did_key_verification_method", None)
    except McBadgeError:  # e.g. an RSA key has no did:key
        return None
    return vm if isinstance(vm, str) else None
