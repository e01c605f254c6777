"""Fault injection for the fake edubadges server: scripted one-shot faults and seeded random ones.

A fault applies ``before`` the server processes the request (nothing happens on the server)
or ``after`` it (the state has changed, but the answer is a failure or never arrives — the
ambiguous case a client must handle without awarding anyone twice).
"""

from __future__ import annotations

import random
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

When = Literal["before", "after"]


@dataclass(frozen=True)
class Fault:
    """One injected failure.

    Attributes:
        kind: ``"status"`` (answer ``status`` instead), ``"drop"`` (close the connection without
            answering), ``"delay"`` (wait ``delay`` seconds, then carry on normally — longer
            than the client's timeout it becomes a timeout).
        when: ``"before"`` or ``"after"`` processing.
        status: The status for ``"status"`` faults.
        delay: Seconds for ``"delay"`` faults.
        retry_after: ``Retry-After`` header value for ``"status"`` faults.
    """

    kind: Literal["status", "drop", "delay"]
    when: When = "before"
    status: int = 500
    delay: float = 0.0
    retry_after: str | None = None

    @property
    def name(self) -> str:
        if self.kind == "status":
            return f"{self.status}_{self.when}"
        if self.kind == "drop":
            return f"drop_{self.when}"
        return f"delay{self.delay:g}_{self.when}"

    @classmethod
    def error(
        cls, status: int = 500, *, when: When = "before", retry_after: str | None = None
    ) -> Fault:
        return cls(kind="status", when=when, status=status, retry_after=retry_after)

    @classmethod
    def drop(cls, *, when: When = "before") -> Fault:
        return cls(kind="drop", when=when)

    @classmethod
    def slow(cls, delay: float, *, when: When = "after") -> Fault:
        return cls(kind="delay", when=when, delay=delay)


@dataclass
class _Scripted:
    fault: Fault
    method: str | None
    path: str | None
    remaining: int


@dataclass(frozen=True)
class InjectedFault:
    """A record of a fault the server applied."""

    method: str
    path: str
    fault: Fault


class FaultPlan:
    """Decides, per request, whether (and which) fault to inject. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._scripted: list[_Scripted] = []
        self._rng: random.Random | None = None
        self._rate = 0.0
        self._choices: tuple[Fault, ...] = ()
        self._methods: frozenset[str] | None = None
        self._paths: tuple[str, ...] | None = None
        self.injected: list[InjectedFault] = []

    def script(
        self,
        fault: Fault,
        *,
        method: str | None = None,
        path: str | None = None,
        times: int = 1,
    ) -> None:
        """Inject ``fault`` into the next ``times`` requests matching method and path prefix."""
        with self._lock:
            self._scripted.append(_Scripted(fault, method, path, times))

    def randomize(
        self,
        *,
        seed: int,
        rate: float,
        faults: Sequence[Fault],
        methods: Sequence[str] | None = None,
        paths: Sequence[str] | None = None,
    ) -> None:
        """Inject a random fault from ``faults`` into a ``rate`` share of matching requests."""
        with self._lock:
            self._rng = random.Random(seed)
            self._rate = rate
            self._choices = tuple(faults)
            self._methods = frozenset(methods) if methods is not None else None
            self._paths = tuple(paths) if paths is not None else None

    def clear(self) -> None:
        """Stop injecting faults (the record of injected ones is kept)."""
        with self._lock:
            self._scripted.clear()
            self._rng = None

    def pick(self, method: str, path: str) -> Fault | None:
        with self._lock:
            for item in self._scripted:
                if (item.method in (None, method)) and (
                    item.path is None or path.startswith(item.path)
                ):
                    item.remaining -= 1
                    if item.remaining <= 0:
                        self._scripted.remove(item)
                    self.injected.append(InjectedFault(method, path, item.fault))
                    return item.fault
            if self._rng is None or not self._choices:
                return None
            if self._methods is not None and method not in self._methods:
                return None
            if self._paths is not None and not path.startswith(self._paths):
                return None
            if self._rng.random() >= self._rate:
                return None
            fault = self._rng.choice(self._choices)
            self.injected.append(InjectedFault(method, path, fault))
            return fault
