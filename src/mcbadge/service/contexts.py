"""The JSON-LD contexts the service knows: mcbadge's bundled ones, operator-added files, and the
W3C examples context (off by default).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from mcbadge._internal.jsontext import loads_strict
from mcbadge.errors import (
    InvalidInputError,
)
from mcbadge.jsonld.bundled import bundled_contexts
from mcbadge.jsonld.loader import DocumentLoader
from mcbadge.net import NetworkPolicy

W3C_EXAMPLES_V2_CONTEXT_URL: Final = "https://www.w3.org/ns/credentials/examples/v2"
"""The W3C VC examples context, used by the W3C specifications and conformance suites."""

# Provenance: the W3C publishes https://www.w3.org/ns/credentials/examples/v2 as a context
# with a single @vocab, mapping every term to the VC examples vocabulary
# https://www.w3.org/ns/credentials/examples# (listed on https://www.w3.org/2025/credentials).
# The canonical N-Quads of the W3C vc-di-eddsa test vectors show exactly this IRI for the
# examples terms (e.g. <https://www.w3.org/ns/credentials/examples#alumniOf>). No registry
# package ships this context, and it is one IRI, so it is written out here; it is used only
# when the operator asks for it (w3c_examples_context=True / --w3c-examples-context).
_W3C_EXAMPLES_V2_CONTEXT: Final[Mapping[str, Any]] = {
    "@context": {"@vocab": "https://www.w3.org/ns/credentials/examples#"}
}


# --------------------------------------------------------------------------- contexts


def service_loader(
    *,
    contexts: Mapping[str, Any] | None = None,
    w3c_examples_context: bool = False,
    allow_network: bool = False,
    network: NetworkPolicy | None = None,
) -> DocumentLoader:
    """Build the service's document loader: the bundled contexts plus the operator's own.

    Args:
        contexts: ``{url: context document}`` (parsed JSON with ``@context``) to serve
            offline. A URL of a bundled context cannot be replaced.
        w3c_examples_context: Also serve ``https://www.w3.org/ns/credentials/examples/v2``
            (an ``@vocab`` context; see the module docstring for why it is opt-in).
        allow_network: Let the loader fetch other contexts over HTTPS.
        network: The policy of those fetches (:class:`mcbadge.net.NetworkPolicy`).

    Returns:
        The :class:`~mcbadge.jsonld.loader.DocumentLoader`.

    Raises:
        InvalidInputError: a context is not a JSON object with ``@context``, or it would
            replace a bundled context.

    Example:
        >>> loader = service_loader(w3c_examples_context=True)
        >>> loader.load(W3C_EXAMPLES_V2_CONTEXT_URL)["@context"]["@vocab"]
        'https://www.w3.org/ns/credentials/examples#'
    """
    extra: dict[str, Any] = {}
    if w3c_examples_context:
        extra[W3C_EXAMPLES_V2_CONTEXT_URL] = json.loads(json.dumps(_W3C_EXAMPLES_V2_CONTEXT))
    bundled = bundled_contexts()
    for url, document in (contexts or {}).items():
        if url in bundled:
            raise InvalidInputError(
                f"{url} is bundled with mcbadge and cannot be replaced", code="invalid_option"
            )
        if not isinstance(document, Mapping) or "@context" not in document:
            raise InvalidInputError(
                f"the context for {url} must be a JSON object with '@context'",
                code="invalid_option",
            )
        extra[url] = document
    return DocumentLoader(extra_documents=extra, allow_network=allow_network, network=network)


def _read_context_specs(specs: Sequence[str]) -> dict[str, Any]:
    contexts: dict[str, Any] = {}
    for spec in specs:
        url, sep, file_name = spec.partition("=")
        if not sep or not url or not file_name:
            raise InvalidInputError(
                f"--context needs URL=FILE, got {spec!r}", code="invalid_option"
            )
        try:
            contexts[url] = loads_strict(Path(file_name).read_bytes())
        except OSError as exc:
            raise InvalidInputError(
                f"cannot read the context file {file_name}: {exc.strerror}",
                code="invalid_option",
            ) from exc
        except ValueError as exc:
            raise InvalidInputError(
                f"the context file {file_name} is not JSON: {exc}", code="invalid_option"
            ) from exc
    return contexts
