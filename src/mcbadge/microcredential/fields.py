"""The builder's inputs: the learner, the institution, the unit and the other parts.

Frozen pydantic models that refuse unknown fields and turn every validation failure into a
:class:`~mcbadge.errors.ModelValidationError` naming the field (:class:`_Input`): a
:class:`Learner` (plain name, hashed identifiers, :class:`HashedIdentity`), the awarding
:class:`Institution`, the :class:`Unit`, a :class:`LearningOutcome`, :class:`QualityAssurance`,
a :class:`Prerequisite`, :class:`Stackability`, and the :class:`PolicyViolation` the policy
profiles report. The result and its grade rules live in
:mod:`mcbadge.microcredential.results`.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal`, :mod:`mcbadge.model` (the OB3
vocabulary) and :mod:`mcbadge.microcredential.vocabulary`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError, field_validator

from mcbadge._internal.grades import email_problem
from mcbadge.errors import ModelValidationError, PolicyError

_LANG_RE = re.compile(r"^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")


_ABS_IRI_RE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:\S+$")


# The OB3 IdentityHash form and extension identifier types (as in mcbadge.model).
_IDENTITY_HASH_RE = re.compile(r"sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32}", re.ASCII)


_EXT_TYPE_RE = re.compile(r"ext:[A-Za-z0-9._|\-]+", re.ASCII)


def _wrap_errors(cls_name: str, exc: ValidationError) -> ModelValidationError:
    for err in exc.errors(include_url=False):
        cause = (err.get("ctx") or {}).get("error")
        if isinstance(cause, PolicyError):
            raise cause from None
    errors: list[dict[str, Any]] = []
    for err in exc.errors(include_url=False):
        loc = ".".join(str(p) for p in err["loc"])
        errors.append({"loc": loc, "msg": err["msg"], "type": err["type"]})
    first = errors[0] if errors else {"loc": "", "msg": str(exc)}
    where = f"{cls_name}.{first['loc']}" if first["loc"] else cls_name
    more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
    return ModelValidationError(f"{where}: {first['msg']}{more}", errors=errors)


class _Input(BaseModel):
    """Base for builder inputs: frozen, strict about unknown fields, typed errors."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _wrap_errors(type(self).__name__, exc) from None

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Any:
        """Build from a plain mapping (e.g. parsed JSON/TOML), with typed errors.

        Raises:
            ModelValidationError: a field is missing or invalid; the message names it.
        """
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            raise _wrap_errors(cls.__name__, exc) from None


def _check_email(value: str | None) -> str | None:
    if value is not None:
        problem = email_problem(value)
        if problem is not None:
            raise ValueError(f"{value!r} is not an e-mail address: {problem}")
    return value


def _check_iri(value: str | None, field: str) -> str | None:
    if value is not None and not _ABS_IRI_RE.match(value):
        raise ValueError(f"{field} must be an absolute IRI (e.g. https://...), got {value!r}")
    return value


@functools.cache
def _identifier_types() -> frozenset[str]:
    from mcbadge.model import IdentifierTypeEnum

    return frozenset(member.value for member in IdentifierTypeEnum)


class HashedIdentity(_Input):
    """A learner identifier that is already salted and hashed (an OB3 ``IdentityHash``).

    Use it to carry an identity over from another system without knowing the plain value,
    e.g. the ``recipient`` of an Open Badges 2.0 assertion: hash and salt are copied as they
    are, so whoever could check the learner against the old badge can check the new one.

    Attributes:
        identity_type: The OB3 ``identityType`` (``emailAddress``, ``identifier``,
            ``sisSourcedId``..., or ``ext:Name``).
        identity_hash: ``sha256$`` and 64 hex digits (or ``md5$`` and 32): the hash of the
            plain value with the salt appended.
        salt: The salt, when one was used.

    Raises:
        ModelValidationError: the hash is not in the ``sha256$``/``md5$`` form, or the type is
            not an OB3 identifier type.

    Example:
        >>> h = HashedIdentity(identity_type="emailAddress",
        ...                    identity_hash="sha256$" + "ab" * 32, salt="70e5")
        >>> h.salt
        '70e5'
    """

    identity_type: str
    identity_hash: str
    # the salt was hashed with the value: every character counts, white space included
    salt: Annotated[str, StringConstraints(strip_whitespace=False)] | None = None

    @field_validator("identity_type")
    @classmethod
    def _known_type(cls, v: str) -> str:
        if v in _identifier_types() or _EXT_TYPE_RE.fullmatch(v):
            return v
        raise ValueError(
            f"identity_type {v!r} is not an OB3 IdentifierTypeEnum value (e.g. 'emailAddress', "
            "'identifier') or an extension of the form 'ext:Name'"
        )

    @field_validator("identity_hash")
    @classmethod
    def _hash_form(cls, v: str) -> str:
        if not _IDENTITY_HASH_RE.fullmatch(v):
            raise ValueError(
                "identity_hash must be 'sha256$' and 64 hex digits (or 'md5$' and 32), the OB3 "
                f"IdentityHash form; got {v[:80]!r}"
            )
        return v


class Learner(_Input):
    """The learner (earner) of the microcredential.

    The name is carried in plain text; e-mail, student number and eduPersonPrincipalName are
    carried as salted ``sha256$`` hashes (OB3 IdentityObject), so the credential does not
    leak them but a verifier who knows the value can check it. Identities that are already
    hashed elsewhere (an Open Badges 2.0 ``recipient``) are carried unchanged with
    ``hashed_identities``.

    Attributes:
        name: Full name as it should appear on the certificate.
        email: E-mail address (hashed in the credential).
        student_number: Student number in the institution's SIS (hashed, ``sisSourcedId``).
        eppn: eduPersonPrincipalName as used by SURFconext / edubadges (hashed).
        did: The learner's DID, if they have a wallet; becomes ``credentialSubject.id``.
        hash_identifiers: Set to ``False`` to carry e-mail/student number/eppn in plain text.
        hashed_identities: Pre-hashed identities, written as they are (hash and salt kept).
    """

    name: str
    email: str | None = None
    student_number: str | None = None
    eppn: str | None = None
    did: str | None = None
    hash_identifiers: bool = True
    hashed_identities: Sequence[HashedIdentity] = ()

    @field_validator("hashed_identities", mode="before")
    @classmethod
    def _as_tuple(cls, v: Any) -> Any:
        return tuple(v) if isinstance(v, list) else v

    @field_validator("name")
    @classmethod
    def _name_not_empty(cls, v: str) -> str:
        if not v:
            raise ValueError("the learner's name must not be empty")
        return v

    @field_validator("did")
    @classmethod
    def _did_is_iri(cls, v: str | None) -> str | None:
        return _check_iri(v, "did")

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        return _check_email(v)


class Institution(_Input):
    """The awarding body (the OB3 issuer Profile).

    Attributes:
        name: Official name.
        url: Home page (https).
        id: Issuer identifier; defaults to ``url``. Use the issuer's DID when signing with
            ``did:key``/``did:web`` so the key is bound to the issuer.
        brin: BRIN / institution code (``otherIdentifier`` of type ``ext:BRIN``).
        country_code: ISO 3166-1 alpha-2 country of the awarding body (EU mandatory).
        country: Country name.
        locality: City.
        email: Contact e-mail.
        image: Logo URL.
        parent: The institution a faculty belongs to (``parentOrg``).
    """

    name: str
    url: str
    id: str | None = None
    brin: str | None = None
    country_code: str = "NL"
    country: str | None = "Nederland"
    locality: str | None = None
    email: str | None = None
    image: str | None = None
    parent: Institution | None = None

    @field_validator("url", "id", "image")
    @classmethod
    def _iris(cls, v: str | None) -> str | None:
        return _check_iri(v, "url")

    @field_validator("email")
    @classmethod
    def _email(cls, v: str | None) -> str | None:
        return _check_email(v)

    @field_validator("country_code")
    @classmethod
    def _country(cls, v: str) -> str:
        if not re.fullmatch(r"[A-Z]{2}", v):
            raise ValueError(f"country_code must be ISO 3166-1 alpha-2 (e.g. 'NL'), got {v!r}")
        return v

    @property
    def issuer_id(self) -> str:
        """The identifier used as ``issuer.id``."""
        return self.id or self.url


class Unit(_Input):
    """The unit of education that the microcredential certifies.

    Attributes:
        name: Name of the unit (the certificate's title).
        description: Description (markdown allowed); generated when omitted.
        code: The course code (``humanCode``).
        id: The achievement's IRI; defaults to ``{institution.url}/achievements/{code}``.
        programme_code: CROHO (hbo/wo), CREBO (mbo) or RIO code of the programme.
        programme_code_type: ``ext:CROHO``, ``ext:CREBO`` or ``ext:RIO``.
        language: Language of instruction (OB3 ``inLanguage``), e.g. ``"nl"``, ``"en"``.
        image: Badge image URL.
        field_of_study: Field of study.
        criteria: Extra criteria text (markdown); the learning outcomes are always listed.
        hours: Study load in hours; with ECTS it must equal ``ects * 28``.
    """

    name: str
    description: str | None = None
    code: str | None = None
    id: str | None = None
    programme_code: str | None = None
    programme_code_type: Literal["ext:CROHO", "ext:CREBO", "ext:RIO"] = "ext:CROHO"
    language: str = "nl"
    image: str | None = None
    field_of_study: str | None = None
    criteria: str | None = None
    hours: int | None = None

    @field_validator("name")
    @classmethod
    def _name_not_empty(cls, v: str) -> str:
        if not v:
            raise ValueError("the unit's name must not be empty")
        return v

    @field_validator("id", "image")
    @classmethod
    def _iris(cls, v: str | None) -> str | None:
        return _check_iri(v, "id")

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str) -> str:
        if not _LANG_RE.match(v):
            raise ValueError(
                "language (OB3 inLanguage) must match "
                "^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$, e.g. 'nl' or 'en-GB'; "
                f"got {v!r}"
            )
        return v


class LearningOutcome(_Input):
    """One learning outcome achieved. A plain string is accepted wherever one is expected.

    Attributes:
        text: The outcome (markdown allowed).
        code: A code from the institution's framework.
        url: Where the outcome is published; defaults to a fragment of the achievement IRI.
    """

    text: str
    code: str | None = None
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _iri(cls, v: str | None) -> str | None:
        return _check_iri(v, "url")


class QualityAssurance(_Input):
    """The type of quality assurance (EU mandatory element).

    Attributes:
        name: e.g. ``"NVAO-accreditatie"`` or ``"Kwaliteitsborging microcredentials pilot"``.
        url: Where the quality assurance is published (required by OB3 Alignment).
        description: Longer description.
        code: A decision or accreditation number.
    """

    name: str
    url: str
    description: str | None = None
    code: str | None = None

    @field_validator("url")
    @classmethod
    def _iri(cls, v: str) -> str:
        _check_iri(v, "url")
        return v


class Prerequisite(_Input):
    """A prerequisite for enrolling (EU optional element)."""

    text: str
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _iri(cls, v: str | None) -> str | None:
        return _check_iri(v, "url")


class Stackability(_Input):
    """Integration/stackability options (EU optional element).

    Attributes:
        stackable: ``False`` for a stand-alone microcredential.
        towards: Name of the credential it stacks towards.
        url: IRI of that credential.
    """

    stackable: bool
    towards: str | None = None
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _iri(cls, v: str | None) -> str | None:
        return _check_iri(v, "url")


class PolicyViolation(_Input):
    """One broken policy rule."""

    rule: str
    field: str
    message: str
