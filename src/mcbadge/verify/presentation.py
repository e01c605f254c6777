"""Presentations: :func:`verify_presentation` and :func:`presentation_report` check the holder's
proof (challenge, domain) and every credential in it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta
from typing import Any, Literal

from mcbadge.did import Resolver
from mcbadge.errors import (
    InvalidInputError,
)
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.jsonld.urls import (
    VC_V1_CONTEXT_URL,
    VC_V2_CONTEXT_URL,
)
from mcbadge.net import NetworkPolicy
from mcbadge.report import (
    VerificationReport,
    VerifiedCredential,
    VerifiedPresentation,
)
from mcbadge.verify.builder import _Builder
from mcbadge.verify.common import (
    _ENVELOPED_PREFIXES,
    _VP_TYPE,
    _as_list,
    _holder_id,
    _proofs_of,
    _type_names,
)
from mcbadge.verify.credential import _failure, _verify_credential
from mcbadge.verify.dates import _check_proof_times
from mcbadge.verify.options import (
    DEFAULT_LEEWAY,
    DEFAULT_MAX_ENDORSEMENT_DEPTH,
    ExpectedRecipient,
    KeyEntry,
    StatusCheckerLike,
    StatusFetcher,
    _Options,
    _options,
)
from mcbadge.verify.proofs import _check_di_proofs
from mcbadge.verify.reading import _read_input
from mcbadge.verify.structure import _check_strict, _check_type

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
    network: NetworkPolicy | None = None,
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
        network=network,
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
    network: NetworkPolicy | None = None,
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
        network: See :func:`verify`.

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
        network=network,
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
