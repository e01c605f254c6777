"""JSON Schema validation of OB3 documents (draft 2019-09, with format checking).

The OB3 JSON Schemas are *pinned* documents: :func:`mcbadge.jsonld.loader.load_pinned_json` reads
them from the local cache (checking their sha256) and only fetches them when the caller
allows the network. Compiled validators are cached, so validating many credentials against
one schema costs one compilation.

``date-time`` and ``date`` formats are checked with mcbadge's own RFC 3339 parser (a
``date-time`` must carry a time zone), so format checking does not depend on optional
packages of :mod:`jsonschema`. ``$ref`` is only resolved inside the schema itself: a schema
that refers to another document is refused instead of fetched.

Two validators, one verdict. The pure-Python :mod:`jsonschema` validator is the oracle: every
problem reported comes from it. When the compiled ``jsonschema_rs`` validator is installed and
the schema needs nothing it cannot do the same way (drafts 4 to 2020-12, no format other
than ``date-time``/``date``, which it checks with the same parser), a document it finds valid
is valid without asking the oracle (about 40 times faster); any other answer — invalid, an
error, a value it cannot read — goes to the oracle, which decides and lists the problems. So
the compiled validator can only make a valid document faster; the differential tests
(``tests/unit/test_schema_fast.py``) show it never accepts what the oracle refuses.

Example:
    >>> from mcbadge.schema import validate_schema
    >>> validate_schema(credential_dict)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import jsonschema
import jsonschema.exceptions
import jsonschema.protocols
import jsonschema.validators
import referencing
import referencing.exceptions

from mcbadge._internal.dates import DateTimeSyntaxError, parse_date, parse_datetime
from mcbadge.errors import DocumentLoaderError, InvalidInputError, SchemaValidationError
from mcbadge.jsonld.pinned import load_pinned_json
from mcbadge.jsonld.urls import (
    OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL,
    OB3_PROFILE_SCHEMA_URL,
)

__all__ = [
    "OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL",
    "OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL",
    "OB3_PROFILE_SCHEMA_URL",
    "fast_validator_available",
    "oracle_only",
    "schema_errors",
    "validate_schema",
]

_MAX_CACHED: Final = 32
_MAX_MESSAGE: Final = 300
_MAX_ERRORS_IN_MESSAGE: Final = 8

try:  # the compiled validator (wheels for Linux, macOS and Windows); optional at run time
    import jsonschema_rs as _rs
except ImportError:  # pragma: no cover - a platform without a wheel: the oracle alone
    _rs = None  # type: ignore[assignment]

# Formats the compiled validator is given mcbadge's own checks for; a schema using any other
# format is validated by the oracle alone (its FormatChecker may know formats we do not).
_FAST_FORMATS: Final = frozenset({"date-time", "date"})
_fast_enabled = True


@dataclass(frozen=True, slots=True)
class _Compiled:
    oracle: jsonschema.protocols.Validator
    fast: Any | None  # a jsonschema_rs validator, or None when the oracle must decide alone


_cache: OrderedDict[str, _Compiled] = OrderedDict()
_cache_lock = threading.Lock()


def _is_date_time(instance: object) -> bool:
    if isinstance(instance, str):
        parse_datetime(instance)  # raises DateTimeSyntaxError, which names the problem
    return True


def _is_date(instance: object) -> bool:
    if isinstance(instance, str):
        parse_date(instance)
    return True


def _format_checker() -> jsonschema.FormatChecker:
    checker = jsonschema.FormatChecker()
    checker.checks("date-time", raises=DateTimeSyntaxError)(_is_date_time)
    checker.checks("date", raises=DateTimeSyntaxError)(_is_date)
    return checker


_FORMAT_CHECKER: Final = _format_checker()


def _passes(parse: Callable[[str], object]) -> Callable[[str], bool]:
    """A format check for the compiled validator: the same parser as the oracle's."""

    def check(value: str) -> bool:
        try:
            parse(value)
        except DateTimeSyntaxError:
            return False
        return True

    return check


_FAST_FORMAT_CHECKS: Final = {"date-time": _passes(parse_datetime), "date": _passes(parse_date)}


def _formats_in(node: object) -> Iterator[object]:
    if isinstance(node, Mapping):
        for key, value in node.items():
            if key == "format":
                yield value
            if key not in ("enum", "const", "examples", "default"):
                yield from _formats_in(value)
    elif isinstance(node, list):
        for item in node:
            yield from _formats_in(item)


def _refuse_retrieval(uri: str) -> Any:
    raise LookupError(f"mcbadge does not fetch {uri}")


def _compile_fast(document: dict[str, Any], cls: type[Any]) -> Any | None:
    """The compiled twin of the oracle, or None where it could judge differently."""
    if _rs is None:
        return None
    twins: dict[type[Any], Any] = {
        jsonschema.Draft4Validator: _rs.Draft4Validator,
        jsonschema.Draft6Validator: _rs.Draft6Validator,
        jsonschema.Draft7Validator: _rs.Draft7Validator,
        jsonschema.Draft201909Validator: _rs.Draft201909Validator,
        jsonschema.Draft202012Validator: _rs.Draft202012Validator,
    }
    fast_cls = twins.get(cls)
    if fast_cls is None:
        return None
    if any(f not in _FAST_FORMATS for f in _formats_in(document)):
        return None
    try:
        return fast_cls(
            document,
            formats=_FAST_FORMAT_CHECKS,
            validate_formats=True,
            retriever=_refuse_retrieval,
        )
    except Exception:  # noqa: BLE001 - e.g. an external $ref: the oracle reports it
        return None


def _schema_key(schema: Mapping[str, Any]) -> str:
    text = json.dumps(schema, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _compile(schema: Mapping[str, Any], *, name: str) -> _Compiled:
    document = dict(schema)
    cls = jsonschema.validators.validator_for(document, default=jsonschema.Draft201909Validator)
    try:
        cls.check_schema(document)
    except jsonschema.exceptions.SchemaError as exc:
        raise InvalidInputError(
            f"the JSON Schema {name} is itself invalid: {exc.message}",
            code="schema_malformed",
            schema=name,
        ) from exc
    # An empty registry never retrieves: a $ref to another document is Unresolvable.
    registry: referencing.Registry[Any] = referencing.Registry()
    oracle = cls(document, registry=registry, format_checker=_FORMAT_CHECKER)
    return _Compiled(oracle=oracle, fast=_compile_fast(json.loads(json.dumps(document)), cls))


def _cached_validator(key: str, build: Callable[[], tuple[Mapping[str, Any], str]]) -> _Compiled:
    with _cache_lock:
        compiled = _cache.get(key)
        if compiled is not None:
            _cache.move_to_end(key)
            return compiled
    schema, name = build()
    compiled = _compile(schema, name=name)
    with _cache_lock:
        _cache[key] = compiled
        _cache.move_to_end(key)
        while len(_cache) > _MAX_CACHED:
            _cache.popitem(last=False)
    return compiled


def _validator(
    *,
    schema_url: str,
    schema: Mapping[str, Any] | None,
    cache_dir: Path | str | None,
    allow_network: bool,
) -> jsonschema.protocols.Validator:
    """The oracle (pure-Python) validator for a schema, compiled once."""
    return _compiled(
        schema_url=schema_url, schema=schema, cache_dir=cache_dir, allow_network=allow_network
    ).oracle


def _compiled(
    *,
    schema_url: str,
    schema: Mapping[str, Any] | None,
    cache_dir: Path | str | None,
    allow_network: bool,
) -> _Compiled:
    if schema is not None:
        given = schema
        name = str(given.get("$id") or schema_url)
        return _cached_validator(_schema_key(given), lambda: (given, name))

    def load() -> tuple[Mapping[str, Any], str]:
        loaded = load_pinned_json(schema_url, cache_dir=cache_dir, allow_network=allow_network)
        if not isinstance(loaded, Mapping):
            raise DocumentLoaderError(
                f"pinned JSON Schema {schema_url} is not a JSON object", url=schema_url
            )
        return loaded, schema_url

    return _cached_validator("url:" + schema_url, load)


def _clear_cache() -> None:
    """Forget every compiled validator (tests use it to isolate loader behaviour)."""
    with _cache_lock:
        _cache.clear()


def fast_validator_available() -> bool:
    """Whether the compiled validator (``jsonschema_rs``) is installed and switched on.

    Returns:
        True when valid documents are confirmed by the compiled validator.

    Example:
        >>> isinstance(fast_validator_available(), bool)
        True
    """
    return _rs is not None and _fast_enabled


@contextmanager
def oracle_only() -> Iterator[None]:
    """Validate with the pure-Python validator alone inside the ``with`` block.

    Process-wide, not thread-safe: for benchmarks and differential tests.

    Raises:
        Nothing.

    Example:
        >>> with oracle_only():
        ...     fast_validator_available()
        False
    """
    global _fast_enabled
    previous = _fast_enabled
    _fast_enabled = False
    try:
        yield
    finally:
        _fast_enabled = previous


def _fast_valid(compiled: _Compiled, document: object) -> bool:
    """True only when the compiled validator finds ``document`` valid; otherwise (invalid, or
    a value it cannot read, such as a non-JSON Python object) the oracle decides."""
    if compiled.fast is None or not _fast_enabled:
        return False
    try:
        return bool(compiled.fast.is_valid(document))
    except Exception:  # noqa: BLE001 - anything it cannot judge goes to the oracle
        return False


def _pointer(path: Any) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _short(text: str) -> str:
    return text if len(text) <= _MAX_MESSAGE else text[: _MAX_MESSAGE - 1] + "…"


_JSON_TYPES: Final = (
    (bool, "boolean"),
    (int, "integer"),
    (float, "number"),
    (str, "string"),
    (list, "array"),
    (Mapping, "object"),
)


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    return next((name for kind, name in _JSON_TYPES if isinstance(value, kind)), "unknown")


def _describe(error: jsonschema.exceptions.ValidationError) -> str:
    if error.validator == "type":
        expected = error.validator_value
        wanted = " or ".join(expected) if isinstance(expected, list) else str(expected)
        return f"must be of JSON type {wanted}, got {_json_type(error.instance)}"
    if error.validator == "format" and error.cause is not None:
        return _short(f"is not a valid {error.validator_value}: {error.cause}")
    if error.validator in ("oneOf", "anyOf") and error.context:
        # Prefer the branches whose top-level JSON type fitted (e.g. the Profile object
        # branch of an issuer given as an object), then jsonschema's relevance order.
        fitted = [e for e in error.context if not (e.validator == "type" and not e.relative_path)]
        best = jsonschema.exceptions.best_match(fitted or error.context)
        if best is not None:
            where = _pointer(best.relative_path)
            detail = _describe(best)
            closest = f"{where}: {detail}" if where else detail
            return _short(
                f"matches none of the allowed forms ({error.validator}); closest: {closest}"
            )
    return _short(error.message)


def schema_errors(
    document: Mapping[str, Any],
    *,
    schema_url: str = OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    schema: Mapping[str, Any] | None = None,
    cache_dir: Path | str | None = None,
    allow_network: bool = False,
) -> list[dict[str, str]]:
    """Every way ``document`` breaks a JSON Schema (empty when it is valid).

    Args:
        document: The JSON document (e.g. ``credential.to_json_dict()``).
        schema_url: The pinned schema to use (default: the OB3 AchievementCredential one).
        schema: Use this schema instead of loading ``schema_url`` (it is not checked against
            a pin; treat it as read-only while it is in use).
        cache_dir: The pinned-document cache directory (default: the loader's).
        allow_network: Let the loader fetch a pinned schema missing from the cache.

    Returns:
        One ``{"path": JSON pointer, "msg": ..., "keyword": ..., "schema_path": ...}`` per
        problem, sorted by path.

    Raises:
        DocumentLoaderError: The schema cannot be loaded, or it refers to another document.
        NetworkNotAllowedError: The schema is not cached and the network is not allowed.
        PinnedHashMismatchError: The cached schema is not the pinned version.
        InvalidInputError: The schema itself is not a valid JSON Schema.

    Example:
        >>> schema_errors({"id": 1}, schema={"properties": {"id": {"type": "string"}}})
        [{'path': '/id', 'msg': 'must be of JSON type string, got integer', 'keyword': 'type', 'schema_path': '/properties/id/type'}]
    """  # noqa: E501
    compiled = _compiled(
        schema_url=schema_url, schema=schema, cache_dir=cache_dir, allow_network=allow_network
    )
    if _fast_valid(compiled, document):
        return []
    try:
        found = list(compiled.oracle.iter_errors(document))
    except referencing.exceptions.Unresolvable as exc:
        raise DocumentLoaderError(
            f"the JSON Schema {schema_url if schema is None else '(given)'} refers to {exc}, "
            "which mcbadge does not fetch; give a schema with its references inlined",
        ) from exc
    found.sort(key=lambda e: ([str(p) for p in e.absolute_path], e.message))
    return [
        {
            "path": _pointer(error.absolute_path),
            "msg": _describe(error),
            "keyword": str(error.validator),
            "schema_path": _pointer(error.absolute_schema_path),
        }
        for error in found
    ]


def validate_schema(
    document: Mapping[str, Any],
    *,
    schema_url: str = OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA_URL,
    schema: Mapping[str, Any] | None = None,
    cache_dir: Path | str | None = None,
    allow_network: bool = False,
) -> None:
    """Check ``document`` against a JSON Schema (draft 2019-09, formats checked).

    Args:
        document: The JSON document (e.g. ``credential.to_json_dict()``).
        schema_url: The pinned schema to use (default: the OB3 AchievementCredential one;
            :data:`OB3_ENDORSEMENT_CREDENTIAL_SCHEMA_URL` for endorsements).
        schema: Use this schema instead of loading ``schema_url``.
        cache_dir: The pinned-document cache directory (default: the loader's).
        allow_network: Let the loader fetch a pinned schema missing from the cache.

    Raises:
        SchemaValidationError: The document breaks the schema; ``errors`` lists every
            problem as ``{"path": "/credentialSubject/type", "msg": ...}``.
        DocumentLoaderError: The schema cannot be loaded, or it refers to another document.
        NetworkNotAllowedError: The schema is not cached and the network is not allowed.
        PinnedHashMismatchError: The cached schema is not the pinned version.
        InvalidInputError: The schema itself is not a valid JSON Schema.

    Example:
        >>> validate_schema({"id": "x"}, schema={"required": ["id", "type"]})
        Traceback (most recent call last):
        ...
        mcbadge.errors.SchemaValidationError: document does not match the JSON Schema (given) (1 problem): <document>: 'type' is a required property
    """  # noqa: E501
    errors = schema_errors(
        document,
        schema_url=schema_url,
        schema=schema,
        cache_dir=cache_dir,
        allow_network=allow_network,
    )
    if not errors:
        return
    name = schema_url if schema is None else str(schema.get("$id") or "(given)")
    count = len(errors)
    shown = "; ".join(
        f"{e['path'] or '<document>'}: {e['msg']}" for e in errors[:_MAX_ERRORS_IN_MESSAGE]
    )
    more = f"; and {count - _MAX_ERRORS_IN_MESSAGE} more" if count > _MAX_ERRORS_IN_MESSAGE else ""
    plural = "" if count == 1 else "s"
    raise SchemaValidationError(
        f"document does not match the JSON Schema {name} ({count} problem{plural}): {shown}{more}",
        errors=errors,
        schema=name,
    )
