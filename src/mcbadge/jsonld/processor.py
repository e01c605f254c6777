"""How mcbadge drives pyld: loader plumbing, context lint and error translation.

Shared by the strict check (:mod:`mcbadge.jsonld.strict`) and the fast path
(:mod:`mcbadge.jsonld.fastctx`), so both see the same active contexts under the same lock:

* :func:`check_context` lints every context (loaded or embedded) for malformed term
  definitions;
* one context cache and resolver per :class:`~mcbadge.jsonld.loader.DocumentLoader`;
* every pyld failure becomes an :class:`~mcbadge.errors.McBadgeError`;
* pyld's double formatting is replaced by the JavaScript one (see below).
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, NoReturn

from pyld import jsonld as _pyld
from pyld.context_resolver import ContextResolver
from pyld.resolved_context import ResolvedContext

from mcbadge.errors import (
    DocumentLoaderError,
    InvalidContextError,
    JsonLdError,
    McBadgeError,
    PinnedHashMismatchError,
)
from mcbadge.jsonld.loader import DocumentLoader, default_loader
from mcbadge.jsonld.pinned import PINNED_DOCUMENTS

__all__ = [
    "LoaderLike",
    "check_context",
]


LoaderLike = DocumentLoader | Callable[[str, Any], dict[str, Any]]
"""A :class:`~mcbadge.jsonld.loader.DocumentLoader` or any pyld-style ``loader(url, options)``."""
_KEYWORDS = frozenset(_pyld.KEYWORDS)
_TERM_DEFINITION_KEYS = frozenset(
    {
        "@id",
        "@reverse",
        "@type",
        "@language",
        "@direction",
        "@container",
        "@context",
        "@nest",
        "@prefix",
        "@protected",
        "@index",
    }
)
_PLAIN_KEY = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")

# Context-processing error codes of pyld that mean "this context is malformed or conflicts".
_CONTEXT_ERROR_CODES = frozenset(
    {
        "invalid term definition",
        "invalid scoped context",
        "invalid local context",
        "invalid IRI mapping",
        "keyword redefinition",
        "protected term redefinition",
        "invalid context entry",
        "invalid context nullification",
        "invalid vocab mapping",
        "invalid base IRI",
        "invalid container mapping",
        "invalid type mapping",
        "invalid reverse property",
        "invalid keyword alias",
        "invalid @import value",
        "invalid language mapping",
        "invalid default language",
        "invalid @version value",
        "invalid @propagate value",
        "invalid @prefix value",
        "invalid @nest value",
        "invalid base direction",
        "cyclic IRI mapping",
        "processing mode conflict",
        "invalid remote context",
        "context overflow",
        "recursive context inclusion",
    }
)


# --- JSON paths and the annotated input ---------------------------------------------------------


PathPart = str | int


def _format_path(parts: Sequence[PathPart]) -> str:
    out = ["$"]
    for part in parts:
        if isinstance(part, int):
            out.append(f"[{part}]")
        elif _PLAIN_KEY.match(part):
            out.append(f".{part}")
        else:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"')
            out.append(f'["{escaped}"]')
    return "".join(out)


class _Node(dict[str, Any]):
    """A JSON object that remembers its JSON path; survives pyld's ``copy.deepcopy``."""

    path: tuple[PathPart, ...] = ()


# --- context lint -------------------------------------------------------------------------------


def check_context(context: Any, *, source: str) -> None:
    """Reject a JSON-LD context whose term definitions contain non-keyword entries.

    Catches, among others, the defect of the published edubadges educredential context (the
    term ``supervisionType`` has ``"context"`` where ``"@context"`` is required). Scoped
    contexts are checked recursively. ``context`` may be a whole context document
    (``{"@context": ...}``), a context object, a URL string or a list of these.

    Args:
        context: The context (document) to check.
        source: Where it came from (a URL or a description), used in the message.

    Raises:
        InvalidContextError: Naming the term, the offending entry and the fix.

    Example:
        >>> from mcbadge.jsonld import check_context
        >>> check_context({"@context": {"name": {"@id": "https://schema.org/name"}}},
        ...               source="inline")
        >>> check_context({"t": {"@id": "https://e.org/t", "context": {}}}, source="inline")
        Traceback (most recent call last):
        mcbadge.errors.InvalidContextError: ...
    """
    if isinstance(context, Mapping) and "@context" in context:
        context = context["@context"]
    _lint_local_context(context, source=source, scope=())


def _lint_local_context(context: Any, *, source: str, scope: tuple[str, ...]) -> None:
    if isinstance(context, list | tuple):
        for item in context:
            _lint_local_context(item, source=source, scope=scope)
        return
    if not isinstance(context, Mapping):
        return
    for term, definition in context.items():
        if not isinstance(term, str) or term.startswith("@") or not isinstance(definition, Mapping):
            continue
        for entry in definition:
            if entry not in _TERM_DEFINITION_KEYS:
                raise InvalidContextError(
                    _bad_entry_message(source, (*scope, term), str(entry)),
                    context=source,
                    term=term,
                    entry=str(entry),
                    scope=list(scope),
                )
        if "@context" in definition:
            _lint_local_context(definition["@context"], source=source, scope=(*scope, term))


def _bad_entry_message(source: str, scope: tuple[str, ...], entry: str) -> str:
    term = scope[-1]
    where = f"context {source}"
    if len(scope) > 1:
        where += " (in the scoped context of " + " > ".join(repr(s) for s in scope[:-1]) + ")"
    if "@" + entry in _KEYWORDS:
        what = (
            f"the term {term!r} has an entry {entry!r} where JSON-LD requires {'@' + entry!r}; "
            "a term definition may only contain JSON-LD keywords, so every conforming "
            "processor rejects this context"
        )
    else:
        what = (
            f"the term {term!r} has an entry {entry!r}, which is not allowed in a JSON-LD term "
            "definition (allowed: " + ", ".join(sorted(_TERM_DEFINITION_KEYS)) + ")"
        )
    message = f"{where}: {what}."
    pinned = PINNED_DOCUMENTS.get(source)
    if pinned is not None and pinned.known_defect:
        message += f" This is the known defect of this published context: {pinned.known_defect}"
    return message


# --- loader plumbing ----------------------------------------------------------------------------


class _ContextCache:
    """A small thread-safe LRU map, the shared cache pyld's ContextResolver expects."""

    def __init__(self, maxsize: int = 512) -> None:
        self._data: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._maxsize = maxsize

    def get(self, key: Any, default: Any = None) -> Any:
        with self._lock:
            if key not in self._data:
                return default
            self._data.move_to_end(key)
            return self._data[key]

    def __getitem__(self, key: Any) -> Any:
        with self._lock:
            self._data.move_to_end(key)
            return self._data[key]

    def __setitem__(self, key: Any, value: Any) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self._maxsize:
                self._data.popitem(last=False)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._data

    def __len__(self) -> int:
        with self._lock:
            return len(self._data)


class _Resolver(ContextResolver):  # type: ignore[misc]
    """pyld's ContextResolver, remembering static (object) contexts by identity.

    pyld keys static contexts by their canonical JSON, which it recomputes every time a
    type-scoped context is applied (about a third of the expansion time of a typical OB3
    credential). The context objects of loaded documents live as long as the loader's cache,
    so their identity is a valid key; the memo holds a reference, so ids are never reused.
    """

    def __init__(self, state: _LoaderState, loader: Callable[[str, Any], dict[str, Any]]) -> None:
        super().__init__(state.contexts, loader)
        self._state = state

    def resolve(self, active_ctx: Any, context: Any, base: Any, cycles: Any = None) -> Any:
        if isinstance(context, _Node) and "@context" not in context:
            # A context embedded in the document is processed afresh every time (pyld would
            # reuse the processed result of an equal context), so that the compact-form checks
            # of mcbadge._internal.compactform see each of its term definitions.
            return [ResolvedContext(context)]
        if isinstance(context, list) and any(isinstance(item, _Node) for item in context):
            resolved: list[Any] = []
            for item in context:
                resolved.extend(self.resolve(active_ctx, item, base, cycles))
            return resolved
        if not isinstance(context, dict) or isinstance(context, _Node) or "@context" in context:
            # lists, URLs, context documents, and contexts embedded in the input (fresh copies
            # on every call) take pyld's path
            return super().resolve(active_ctx, context, base, cycles)
        memo = self._state.static
        hit = memo.get(id(context))
        if hit is not None and hit[0] is context:
            return [hit[1]]
        resolved = super().resolve(active_ctx, context, base, cycles)
        if len(resolved) == 1:
            memo[id(context)] = (context, resolved[0])
        return resolved


class _LoaderState:
    """What is cached per loader: resolved contexts (by URL or canonical JSON) and the memo."""

    def __init__(self) -> None:
        self.contexts = _ContextCache()
        self.static = _ContextCache(maxsize=1024)
        self.lock = threading.RLock()


# One state per DocumentLoader: pyld's own cache is process-wide and keyed by URL only, so two
# loaders serving different documents for one URL would collide in it.
_states: weakref.WeakKeyDictionary[DocumentLoader, _LoaderState] = weakref.WeakKeyDictionary()
_states_lock = threading.Lock()


def _state_for(loader: LoaderLike) -> _LoaderState:
    if not isinstance(loader, DocumentLoader):
        return _LoaderState()
    with _states_lock:
        state = _states.get(loader)
        if state is None:
            state = _LoaderState()
            _states[loader] = state
        return state


def _pyld_loader(loader: LoaderLike) -> Callable[[str, Any], dict[str, Any]]:
    """Wrap ``loader``: lint every loaded context, explain known defects, allow caching."""

    def load(url: str, options: Any) -> dict[str, Any]:
        try:
            remote = dict(loader(url, options))
        except DocumentLoaderError as exc:
            pinned = PINNED_DOCUMENTS.get(url)
            if (
                pinned is not None
                and pinned.known_defect
                and not isinstance(exc, PinnedHashMismatchError)
            ):
                raise InvalidContextError(
                    f"context {url} cannot be used: {pinned.known_defect} (it was not loaded: "
                    f"{exc.message})",
                    context=url,
                ) from exc
            raise
        document = remote.get("document")
        if isinstance(document, Mapping):
            check_context(document, source=url)
        remote["tag"] = "static"
        return remote

    return load


def _pyld_options(loader: LoaderLike) -> tuple[_LoaderState, dict[str, Any]]:
    """The per-loader cache state and the pyld options every operation on it uses.

    Shared with :mod:`mcbadge.jsonld.fastrdf`, which processes contexts through the same resolver
    (and under the same lock) so both paths see identical active contexts.
    """
    state = _state_for(loader)
    wrapped = _pyld_loader(loader)
    options = {
        "documentLoader": wrapped,
        "contextResolver": _Resolver(state, wrapped),
        "base": "",
        "processingMode": "json-ld-1.1",
    }
    return state, options


def _process(processor: Any, prepared: Any, loader: LoaderLike | None, *, to_rdf: bool) -> Any:
    """Run pyld with mcbadge's loader plumbing, translating every failure."""
    actual: LoaderLike = loader if loader is not None else default_loader()
    state, options = _pyld_options(actual)
    # pyld's per-context caches (cachetools LRUs inside ResolvedContext) are not thread-safe,
    # so operations sharing a loader's caches take turns (pyld holds the GIL throughout anyway).
    with state.lock:
        try:
            return (
                processor.to_rdf(prepared, options)
                if to_rdf
                else processor.expand(prepared, options)
            )
        except McBadgeError:
            raise
        except Exception as exc:  # pyld raises JsonLdError, but also TypeError & co.
            _reraise(exc)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _translate(exc: Exception) -> McBadgeError:
    """Turn whatever pyld raised into an mcbadge error (keeping ours as they are)."""
    for cause in _causes(exc):
        if isinstance(cause, McBadgeError):
            return cause
    innermost: _pyld.JsonLdError | None = None
    for cause in _causes(exc):
        if isinstance(cause, _pyld.JsonLdError):
            innermost = cause
    if innermost is None:
        return JsonLdError(f"JSON-LD processing failed: {type(exc).__name__}: {exc}")
    code = str(innermost.code or innermost.type)
    text = str(innermost.args[0]) if innermost.args else code
    details = innermost.details if isinstance(innermost.details, Mapping) else {}
    extra = "".join(
        f"; {name}: {details[name]!r}"
        for name in ("term", "url", "keyword", "value")
        if name in details and isinstance(details[name], str | int | float)
    )
    message = f"JSON-LD processing failed ({code}): {text}{extra}"
    if code in _CONTEXT_ERROR_CODES:
        return InvalidContextError(message, pyld_code=code)
    return JsonLdError(message, pyld_code=code)


def _reraise(exc: Exception) -> NoReturn:
    """Raise the mcbadge error for ``exc``: ours unchanged (with its own cause), or a new one."""
    error = _translate(exc)
    if any(cause is error for cause in _causes(exc)):
        raise error from error.__cause__
    raise error from exc
