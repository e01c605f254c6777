"""Who signs a batch: the issuer id and verification method a key stands for."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from mcbadge.errors import (
    InvalidInputError,
)

if TYPE_CHECKING:
    from mcbadge.keys import Signer


# --------------------------------------------------------------------------- identity


def signing_identity(
    key: Signer,
    *,
    format: Literal["di", "jwt"] = "di",  # noqa: A002 - the name users expect
    issuer_id: str | None = None,
    verification_method: str | None = None,
) -> tuple[str, str]:
    """Work out the issuer id and verification method a key signs with.

    * ``verification_method`` given (e.g. ``did:web:hs.nl#key-1``): the issuer defaults to
      the part before ``#``.
    * else the key's own: Ed25519 / P-256 ``did:key``, RSA ``did:jwk`` (method ``#0``), or
      a signer's ``verification_method``; ``issuer_id``, when given, must then be that DID
      (otherwise the issued credentials would not verify).

    Args:
        key: The signing key.
        format: ``"di"`` needs an Ed25519 key.
        issuer_id: The issuer id to put in the credentials.
        verification_method: The key's URL.

    Returns:
        ``(issuer_id, verification_method)``.

    Raises:
        InvalidInputError: ``key_unsupported_for_format`` (a non-Ed25519 key for Data
            Integrity), ``issuer_key_mismatch`` (an issuer id the key does not belong to).

    Example:
        >>> from mcbadge.keys import KeyPair
        >>> issuer, vm = signing_identity(KeyPair.generate())
        >>> vm.startswith(issuer + "#z6Mk")
        True
    """
    if format == "di" and key.key_type != "Ed25519":
        raise InvalidInputError(
            f"Data Integrity proofs (eddsa-rdfc-2022, eddsa-jcs-2022) need an Ed25519 key; "
            f"this is a {key.key_type} key: use --format jwt, or an Ed25519 key",
            code="key_unsupported_for_format",
        )
    vm = verification_method or key.verification_method
    if vm is not None:
        return (issuer_id or vm.split("#", 1)[0], vm)
    if key.key_type == "RSA":
        from mcbadge.did import did_jwk

        did = did_jwk(key)
        own_vm = f"{did}#0"
    else:
        did_key = getattr(key, "did_key", None)  # a KeyPair has one; the Signer protocol not
        if not isinstance(did_key, str):
            raise InvalidInputError(
                "this signer has no verification method and no did:key: give its key URL "
                "(verification_method)",
                code="invalid_option",
            )
        did = did_key
        own_vm = f"{did}#{did.removeprefix('did:key:')}"
    if issuer_id is not None and issuer_id != did:
        raise InvalidInputError(
            f"the issuer id {issuer_id!r} is not this key's DID ({did}): give the key's URL "
            "under that issuer with --verification-method (e.g. did:web:example.nl#key-1), or "
            "leave --issuer-id out to issue as the key's DID",
            code="issuer_key_mismatch",
        )
    return (did, own_vm)
