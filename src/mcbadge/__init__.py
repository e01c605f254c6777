"""mcbadge: Dutch microcredentials as Open Badges 3.0 Verifiable Credentials."""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from mcbadge._internal.version import VERSION
from mcbadge.errors import (
    BakingError,
    BatchError,
    CanonicalizationError,
    CanonicalizationLimitError,
    DocumentLoaderError,
    EdubadgesError,
    InvalidContextError,
    InvalidInputError,
    JsonLdError,
    KeyFormatError,
    McBadgeError,
    ModelValidationError,
    NetworkNotAllowedError,
    NQuadsSyntaxError,
    Oid4vciError,
    PinnedHashMismatchError,
    PolicyError,
    ResolutionError,
    SchemaValidationError,
    SigningError,
    StatusListError,
    StoreError,
    StrictJsonLdError,
    VerificationError,
)

if TYPE_CHECKING:
    from mcbadge.issue import (
        issue,
    )
    from mcbadge.microcredential import (
        Institution,
        Learner,
        LearningOutcome,
        Microcredential,
        Prerequisite,
        QualityAssurance,
        Result,
        Stackability,
        Unit,
        check_policy,
    )
    from mcbadge.oid4vci import CredentialOffer, issue_offer
    from mcbadge.report import (
        VerificationReport,
        VerifiedCredential,
        VerifiedPresentation,
        format_report,
    )
    from mcbadge.verify import (
        VerifyOutcome,
        verification_report,
        verify,
        verify_many,
        verify_presentation,
    )

__version__ = VERSION

# The rest of the public API is imported on first use (PEP 562), so `import mcbadge` does not
# load pydantic, httpx, pyld and the models; `from mcbadge import Microcredential` works as before.
_LAZY: dict[str, str] = {
    "issue": "mcbadge.issue",
    "Institution": "mcbadge.microcredential",
    "Learner": "mcbadge.microcredential",
    "LearningOutcome": "mcbadge.microcredential",
    "Microcredential": "mcbadge.microcredential",
    "Prerequisite": "mcbadge.microcredential",
    "QualityAssurance": "mcbadge.microcredential",
    "Result": "mcbadge.microcredential",
    "Stackability": "mcbadge.microcredential",
    "Unit": "mcbadge.microcredential",
    "check_policy": "mcbadge.microcredential",
    "CredentialOffer": "mcbadge.oid4vci",
    "issue_offer": "mcbadge.oid4vci",
    "VerificationReport": "mcbadge.report",
    "VerifiedCredential": "mcbadge.report",
    "VerifiedPresentation": "mcbadge.report",
    "format_report": "mcbadge.report",
    "verification_report": "mcbadge.verify",
    "verify": "mcbadge.verify",
    "verify_many": "mcbadge.verify",
    "VerifyOutcome": "mcbadge.verify",
    "verify_presentation": "mcbadge.verify",
}

__all__ = [
    "BakingError",
    "BatchError",
    "CanonicalizationError",
    "CanonicalizationLimitError",
    "CredentialOffer",
    "DocumentLoaderError",
    "EdubadgesError",
    "Institution",
    "InvalidContextError",
    "InvalidInputError",
    "JsonLdError",
    "KeyFormatError",
    "Learner",
    "LearningOutcome",
    "McBadgeError",
    "Microcredential",
    "ModelValidationError",
    "NQuadsSyntaxError",
    "NetworkNotAllowedError",
    "Oid4vciError",
    "PinnedHashMismatchError",
    "PolicyError",
    "Prerequisite",
    "QualityAssurance",
    "ResolutionError",
    "Result",
    "SchemaValidationError",
    "SigningError",
    "Stackability",
    "StatusListError",
    "StoreError",
    "StrictJsonLdError",
    "Unit",
    "VerificationError",
    "VerificationReport",
    "VerifiedCredential",
    "VerifiedPresentation",
    "VerifyOutcome",
    "__version__",
    "check_policy",
    "format_report",
    "issue",
    "issue_offer",
    "verification_report",
    "verify",
    "verify_many",
    "verify_presentation",
]


class _Package(types.ModuleType):
    """The ``mcbadge`` module: keeps ``mcbadge.issue`` and ``mcbadge.verify`` the functions.

    Importing the submodule ``mcbadge.issue`` (or ``mcbadge.verify``) makes Python bind it as
    an attribute of the package, which would shadow the public function of the same name.
    The submodules stay importable by name (``from mcbadge.verify import verify``).
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHADOWED and isinstance(value, types.ModuleType):
            return
        super().__setattr__(name, value)


_SHADOWED: frozenset[str] = frozenset({"issue", "verify"})
sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
