"""Grades and e-mail addresses as Dutch student information systems write them.

* A numeric grade may use the Dutch decimal comma (``"7,5"``); mcbadge writes it with a
  decimal point (``"7.5"``), the form OB3 ``requiredValue``/``valueMin``/``valueMax`` and every
  verifier comparing numbers read. Nothing else about the text changes (``"7,50"`` becomes
  ``"7.50"``; ``"8"`` stays ``"8"``).
* An e-mail address gets a pragmatic offline check: one ``@``, a local part and a domain with
  a dot, no spaces or control characters, RFC 5321 lengths. No DNS lookup.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Final

__all__ = ["email_problem", "normalize_decimal", "parse_decimal"]

_DECIMAL_COMMA: Final = re.compile(r"[+-]?[0-9]+,[0-9]+")
_DECIMAL: Final = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
_LOCAL: Final = re.compile(r"[^\s@\"(),:;<>\[\\\]]+")
_LABEL: Final = re.compile(r"(?!-)[^\s@.\"(),:;<>\[\\\]_!#$%&'*+/=?^`{|}~]+(?<!-)")


def normalize_decimal(text: str) -> str:
    """``"7,5"`` -> ``"7.5"``: a number written with the Dutch decimal comma; else unchanged.

    Example:
        >>> normalize_decimal("7,5"), normalize_decimal("8"), normalize_decimal("A")
        ('7.5', '8', 'A')
    """
    return text.replace(",", ".") if _DECIMAL_COMMA.fullmatch(text) else text


def parse_decimal(text: str | None) -> Decimal | None:
    """The number a (normalized) grade text stands for, or ``None`` when it is not a number.

    Example:
        >>> parse_decimal("7.5"), parse_decimal("goed")
        (Decimal('7.5'), None)
    """
    if text is None or not _DECIMAL.fullmatch(text):
        return None
    try:
        return Decimal(text)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        return None


def email_problem(address: str) -> str | None:
    """Why ``address`` is not a usable e-mail address, or ``None`` when it is.

    Example:
        >>> email_problem("jan@example.nl") is None, email_problem("not-an-email")
        (True, "it has no '@'")
    """
    if "@" not in address:
        return "it has no '@'"
    local, _, domain = address.rpartition("@")
    if len(address) > 254:
        return "it is longer than 254 characters"
    if not local or len(local) > 64:
        return "the part before '@' is empty or longer than 64 characters"
    if (
        not _LOCAL.fullmatch(local)
        or local.startswith(".")
        or local.endswith(".")
        or (".." in local)
    ):
        return "the part before '@' has a space, a second '@' or another character not allowed"
    labels = domain.split(".")
    if len(labels) < 2 or not all(labels):
        return f"the domain {domain!r} is not a name with a dot (e.g. example.nl)"
    if not all(_LABEL.fullmatch(label) and len(label) <= 63 for label in labels):
        return f"the domain {domain!r} has a character a domain name cannot have"
    if labels[-1].isdigit():
        return f"the domain {domain!r} ends in a number, not a top-level domain"
    return None
