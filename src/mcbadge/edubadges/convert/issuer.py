"""The issuer: the awarding institution, its parent (faculty) and its BRIN.

May import: :mod:`mcbadge.edubadges.convert.reading` and its errors,
:mod:`mcbadge.microcredential`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from mcbadge.edubadges.convert.errors import InvalidSourceFieldError
from mcbadge.edubadges.convert.reading import (
    _ISSUER_EXTENSIONS,
    _check_context,
    _check_type,
    _Collector,
    _extension,
    _iri,
    _is_empty,
    _Parts,
    _shown,
    _text,
)

if TYPE_CHECKING:
    pass


def _read_issuer(c: _Collector, i: Mapping[str, Any], parts: _Parts) -> None:
    path = "issuer"
    _check_context(i, path)
    _check_type(i, path, ("Issuer", "Profile"))
    seen = {"@context", "type", "id", "name", "url", "email", "image", "description"}
    inst = parts.institution
    issuer_id = i.get("id")
    if not _is_empty(i.get("url")):
        inst["url"] = _iri(i["url"], "issuer.url")
        if issuer_id is not None:
            c.lose(
                "issuer.id",
                issuer_id,
                "the OB3 issuer id is the re-issuer's "
                "(to_credential(issuer_id=...)); the issuer's URL is carried",
            )
    elif issuer_id is not None:
        inst["url"] = _iri(issuer_id, "issuer.id")
        c.note(
            "issuer.url: the issuer has no url; its public edubadges page (issuer.id) "
            "becomes the institution's url"
        )
    if not _is_empty(i.get("name")):
        inst["name"] = _text(i["name"], "issuer.name")
    if not _is_empty(i.get("email")):
        inst["email"] = _text(i["email"], "issuer.email")
    image = i.get("image")
    if isinstance(image, Mapping) and "id" in image:
        inst["image"] = _iri(image["id"], "issuer.image.id")
        c.leftovers(image, "issuer.image", {"id", "type"})
    elif not _is_empty(image):
        inst["image"] = _iri(image, "issuer.image")
    if not _is_empty(i.get("description")):
        c.lose(
            "issuer.description",
            i["description"],
            "the builder's institution has no description field",
        )

    values: dict[str, tuple[Any, str]] = {}
    for key, member in _ISSUER_EXTENSIONS.items():
        found = _extension(c, i, key, member, path)
        if found is not None:
            values[member] = found
            seen.add(key)
    if "InstitutionIdentifier" in values:
        raw, where = values["InstitutionIdentifier"]
        inst["brin"] = _text(raw, where)
    if "InstitutionName" in values:
        raw, where = values["InstitutionName"]
        name = _text(raw, where)
        if "name" not in inst:
            inst["name"] = name
        elif inst["name"] != name:
            c.lose(
                where,
                raw,
                "the issuer (e.g. a faculty) has its own name; to add the "
                "institution as parentOrg, pass institution= with parent=Institution(...)",
            )
    if "InstitutionCountry" in values:
        raw, where = values["InstitutionCountry"]
        code = _text(raw, where).upper()
        if not re.fullmatch(r"[A-Z]{2}", code):
            raise InvalidSourceFieldError(
                f"{where}: expected an ISO 3166-1 alpha-2 country code such as 'NL', got "
                f"{_shown(raw)}",
                path=where,
            )
        inst["country_code"] = code
        if code != "NL":
            inst["country"] = None  # the builder's default country name is "Nederland"
    else:
        c.note("issuer: no InstitutionCountry extension; the country defaults to NL")
    if "GradingTableURL" in values:
        raw, where = values["GradingTableURL"]
        c.lose(where, raw, "the builder's result has no place for the institution's grading table")
    c.leftovers(i, path, seen)
