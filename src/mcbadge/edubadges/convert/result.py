"""What a conversion gives: the microcredential, and an account of every source field.

:class:`ConversionResult` holds the :class:`~mcbadge.Microcredential`, the
:class:`UnmappedField` s (a source field not carried, with its path, value and reason) and the
notes on every interpretation made; :meth:`ConversionResult.to_credential` re-issues it.

May import: :mod:`mcbadge.microcredential`, :mod:`mcbadge.errors` (:mod:`mcbadge.model` for
type checking only).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from mcbadge.microcredential import (
    Microcredential,
    PolicyName,
    Profile,
)

if TYPE_CHECKING:
    from mcbadge.model import AchievementCredential


@dataclass(frozen=True, slots=True)
class UnmappedField:
    """A source field (or part of one) that the microcredential does not carry.

    Attributes:
        path: Where it is: ``assertion.…``, ``badge_class.…`` or ``issuer.…``; keys that are
            not plain names are written as ``["key"]``, list items as ``[n]``.
        value: The value (a copy), or the part of it that was not carried.
        reason: Why it is not carried.

    Example:
        >>> UnmappedField("assertion.narrative", "Thesis", "no place").to_dict()["path"]
        'assertion.narrative'
    """

    path: str
    value: Any
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"path", "value", "reason"}`` for JSON output.

        Returns:
            A new dict.

        Example:
            >>> sorted(UnmappedField("issuer.x", 1, "unknown").to_dict())
            ['path', 'reason', 'value']
        """
        return {"path": self.path, "value": copy.deepcopy(self.value), "reason": self.reason}


@dataclass(frozen=True, slots=True)
class ConversionResult:
    """What :func:`to_microcredential` produced.

    Attributes:
        microcredential: The microcredential, ready for ``to_credential()``.
        valid_from: The assertion's ``issuedOn``, the re-issued credential's ``validFrom``.
        valid_until: The assertion's ``expires``, if any.
        unmapped: Every source field (or part of a field) not carried, in document order.
        notes: Every interpretation the conversion made, for a person to review.

    Example:
        >>> result = to_microcredential(assertion, badge_class, issuer,
        ...                             learner_name="Ana")  # doctest: +SKIP
        >>> result.to_credential(id="urn:uuid:...", policy="hbo-wo")  # doctest: +SKIP
    """

    microcredential: Microcredential
    valid_from: str
    valid_until: str | None
    unmapped: list[UnmappedField] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_credential(
        self,
        *,
        id: str,  # noqa: A002 - the OB3 name
        policy: PolicyName | None = None,
        profile: Profile = "ob3",
        issuer_id: str | None = None,
    ) -> AchievementCredential:
        """Re-issue as an unsigned OB3 credential, dated as the edubadge was.

        Same as ``microcredential.to_credential(...)`` with ``valid_from`` and
        ``valid_until`` taken from the assertion.

        Args:
            id: The new credential's IRI (e.g. ``urn:uuid:…``).
            policy: The policy profile to check (default: the microcredential's default).
            profile: ``"ob3"`` (default) or ``"edubadges"``.
            issuer_id: The issuer's id, e.g. the signing key's DID.

        Returns:
            The unsigned ``AchievementCredential``.

        Raises:
            PolicyError: a policy rule is broken.
            ModelValidationError: ``id`` or ``issuer_id`` is not an absolute IRI.

        Example:
            >>> result.to_credential(id="urn:uuid:0f4a2c3e-6d1b-4a57-9a4e-7c1de3f0a111")  # doctest: +SKIP
        """  # noqa: E501
        credential: AchievementCredential = self.microcredential.to_credential(
            id=id,
            valid_from=self.valid_from,
            valid_until=self.valid_until,
            issuer_id=issuer_id,
            profile=profile,
            policy=policy,
        )
        return credential
