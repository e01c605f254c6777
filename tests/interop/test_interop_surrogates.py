"""A Node-signed credential holding a lone surrogate (issue 11: "from verify_proofs on a
Node-signed one"): JavaScript strings may hold half a UTF-16 pair, and the digitalbazaar stack
signs such a credential. mcbadge's strict JSON reader refuses the text (``json_lone_surrogate``);
a caller who parses it with another reader and calls ``verify_proofs()`` gets a failed proof
with a code, never a ``UnicodeEncodeError``, and ``issue()`` refuses to sign the same
credential (``string_lone_surrogate``).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from mcbadge.errors import InvalidInputError, McBadgeError
from mcbadge.issue import issue
from mcbadge.keys import KeyPair
from mcbadge.proofs import verify_proofs
from mcbadge.verify import verification_report
from tests.interop.conftest import NodeWorker
from tests.interop.test_interop_signing import _node_sign
from tests.unit.test_verify import ob3_credential

KEY = KeyPair.from_seed(bytes(range(7, 39)))
CODES = {"eddsa-rdfc-2022": "rdfc_invalid_unicode", "eddsa-jcs-2022": "jcs_invalid_unicode"}


def _with_surrogate() -> dict[str, Any]:
    credential = ob3_credential(issuer=KEY.did_key)
    credential["name"] = "Data Privacy \ud800 in de Zorg"
    return credential


@pytest.mark.parametrize("cryptosuite", sorted(CODES))
def test_a_node_signed_credential_with_a_lone_surrogate_fails_typed(
    node_worker: NodeWorker, cryptosuite: Any
) -> None:
    theirs = _node_sign(node_worker, _with_surrogate(), KEY, cryptosuite, "2026-01-01T00:00:00Z")
    assert theirs["name"] == "Data Privacy \ud800 in de Zorg"  # Node signed it as it is
    (result,) = verify_proofs(theirs)
    assert not result.verified
    assert isinstance(result.error, McBadgeError)
    assert result.error.code == CODES[cryptosuite]
    # as JSON text, which is how it travels, the strict reader refuses it before any proof
    text = json.dumps(theirs)
    with pytest.raises(InvalidInputError) as info:
        verification_report(text)
    assert info.value.code == "json_lone_surrogate"
    with pytest.raises(InvalidInputError) as refused:
        issue(_with_surrogate(), KEY, cryptosuite=cryptosuite)
    assert refused.value.code == "string_lone_surrogate"
