"""The schema check family: the OB3 JSON Schema the credential names, from the pinned cache."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from mcbadge.errors import (
    DocumentLoaderError,
    NetworkNotAllowedError,
    PinnedHashMismatchError,
)
from mcbadge.jsonld.urls import (
    OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
)
from mcbadge.verify.builder import _Builder
from mcbadge.verify.common import _ACHIEVEMENT_TYPES, _OB3_TYPES, _as_list
from mcbadge.verify.options import _Options


def _check_schema(
    b: _Builder,
    credential: Mapping[str, Any],
    names: Sequence[str],
    opts: _Options,
    *,
    legacy: bool,
) -> None:
    from mcbadge.schema import schema_errors

    if not any(name in _OB3_TYPES for name in names):
        b.skipped("schema.ob3", "not an OB3 credential", reason_code="not_ob3")
        return
    if legacy:
        b.skipped(
            "schema.ob3",
            "legacy VC 1.1 credential: the pinned OB3 JSON Schema describes VC 2.0 credentials",
            reason_code="legacy_format",
        )
        return
    is_achievement = any(name in _ACHIEVEMENT_TYPES for name in names)
    url = (
        OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL
        if is_achievement
        else (OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL)
    )
    target = dict(credential)
    normalized: list[str] = []
    if isinstance(target.get("proof"), Mapping):
        # A single proof object and a one-element proof set mean the same (VC Data Integrity);
        # the OB3 schema only knows the array form.
        target["proof"] = [target["proof"]]
        normalized.append("proof")
    for entry in _as_list(credential.get("credentialSchema")):
        schema_id = entry.get("id") if isinstance(entry, Mapping) else None
        if schema_id != url:
            b.warn(
                f"credentialSchema {schema_id!r} was not checked: mcbadge checks the pinned "
                f"OB3 schema of the credential type ({url})"
            )
    try:
        errors = schema_errors(
            target,
            schema_url=url,
            cache_dir=opts.loader.pinned_cache_dir,
            allow_network=opts.allow_network,
        )
    except PinnedHashMismatchError as exc:
        b.failed("schema.ob3", exc.code, exc.message, schema=url)
        return
    except NetworkNotAllowedError:
        b.skipped(
            "schema.ob3",
            f"the pinned OB3 JSON Schema {url} is not in the local cache and network access is "
            "off; seed the cache (`mcbadge cache seed FOLDER`) or allow the network",
            reason_code="network_not_allowed",
            schema=url,
        )
        b.warn("the OB3 JSON Schema check was skipped: the pinned schema is not available offline")
        return
    except DocumentLoaderError as exc:
        b.skipped(
            "schema.ob3",
            f"the pinned OB3 JSON Schema {url} could not be loaded: {exc.message}",
            reason_code=exc.code,
            schema=url,
        )
        b.warn("the OB3 JSON Schema check was skipped: the pinned schema could not be loaded")
        return
    if errors:
        listed = "; ".join(f"{e['path'] or '<document>'}: {e['msg']}" for e in errors[:5])
        more = f" (and {len(errors) - 5} more)" if len(errors) > 5 else ""
        b.failed(
            "schema.ob3",
            "schema_invalid",
            f"{len(errors)} problem(s) against {url}: {listed}{more}",
            schema=url,
            errors=errors,
        )
        return
    b.passed("schema.ob3", f"valid against {url}", schema=url, normalized=normalized)
