"""The dates check family: ``validFrom`` / ``validUntil`` (and the VC 1.1 ``issuanceDate`` /
``expirationDate``) against the clock with leeway, and proof ``created`` / ``expires``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mcbadge.errors import (
    InvalidInputError,
)
from mcbadge.verify.builder import _Builder
from mcbadge.verify.common import _parse_time, _stamp
from mcbadge.verify.options import _Options


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
