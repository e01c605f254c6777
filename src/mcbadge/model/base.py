""":class:`OB3Model`, the base of every OB3 class: camelCase on the wire, lossless, typed errors.

The base keeps properties the model does not know verbatim (at any depth), writes known
properties under their OB3 names (``@context`` for ``context``), omits absent ones, keeps an
empty array the input gave, and turns every pydantic ``ValidationError`` into a
:class:`~mcbadge.errors.ModelValidationError` whose ``errors`` name the wire path. The
wire-name tables (``_wire_keys``) are filled as the classes are defined.

May import: :mod:`mcbadge.errors`, :mod:`mcbadge._internal`, :mod:`mcbadge.model.fields`,
pydantic.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, Final, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    SerializationInfo,
    SerializerFunctionWrapHandler,
    ValidationError,
    field_validator,
    model_serializer,
)
from pydantic.alias_generators import to_camel

from mcbadge._internal.jsontext import INPUT_CODES, JsonTextError, loads_strict
from mcbadge.errors import ModelValidationError
from mcbadge.model.fields import _UNION_TAGS, _fail

_MAX_ERRORS_IN_MESSAGE: Final = 8


def _format_loc(parts: tuple[int | str, ...], sibling: str | None = None) -> str:
    if sibling is not None:
        parts = (*parts[:-1], sibling)
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part not in _UNION_TAGS:
            part = _NAME_TO_WIRE.get(part, part)
            out += f".{part}" if out else part
    return out


def _model_error(exc: ValidationError, title: str) -> ModelValidationError:
    errors: list[dict[str, Any]] = []
    for err in exc.errors(include_url=False, include_input=False):
        ctx = err.get("ctx") or {}
        sibling = ctx.get("sibling") if isinstance(ctx.get("sibling"), str) else None
        msg = "required property is missing" if err["type"] == "missing" else err["msg"]
        errors.append({"loc": _format_loc(err["loc"], sibling), "msg": msg, "type": err["type"]})
    return _errors_to_exception(errors, title)


def _errors_to_exception(errors: list[dict[str, Any]], title: str) -> ModelValidationError:
    count = len(errors)
    shown = "; ".join(
        f"{e['loc'] or '<document>'}: {e['msg']}" for e in errors[:_MAX_ERRORS_IN_MESSAGE]
    )
    more = f"; and {count - _MAX_ERRORS_IN_MESSAGE} more" if count > _MAX_ERRORS_IN_MESSAGE else ""
    plural = "" if count == 1 else "s"
    return ModelValidationError(
        f"{title} does not fit the OB3 data model ({count} problem{plural}): {shown}{more}",
        errors=errors,
    )


def _load_object(data: Mapping[str, Any] | str | bytes | bytearray, title: str) -> dict[str, Any]:
    if isinstance(data, str | bytes | bytearray):
        # the one strict reader: a duplicated member, a lone surrogate or a huge number is
        # refused (error type json_duplicate_member, json_lone_surrogate, ...)
        try:
            loaded = loads_strict(bytes(data) if isinstance(data, bytearray) else data)
        except JsonTextError as exc:
            kind = INPUT_CODES.get(exc.kind, "json_invalid")
            raise _errors_to_exception(
                [{"loc": "", "msg": f"not valid JSON: {exc.reason}", "type": kind}], title
            ) from exc
        data = loaded
    if not isinstance(data, Mapping):
        raise _errors_to_exception(
            [
                {
                    "loc": "",
                    "msg": f"must be a JSON object, got {type(data).__name__}",
                    "type": "object_type",
                }
            ],
            title,
        )
    return dict(data)


_WIRE_KEYS: dict[type[BaseModel], dict[str, str]] = {}


# Python field name -> JSON key for every model (filled at import, below the classes), so
# that errors from constructor calls (Python names) report the wire path too.
_NAME_TO_WIRE: dict[str, str] = {}


_OPTIONAL_KEYS: dict[type[BaseModel], tuple[tuple[str, str], ...]] = {}


def _wire_keys(cls: type[BaseModel]) -> dict[str, str]:
    """Field name -> JSON key (``valid_from`` -> ``validFrom``), per class, cached."""
    keys = _WIRE_KEYS.get(cls)
    if keys is None:
        keys = {
            name: info.serialization_alias or info.alias or name
            for name, info in cls.model_fields.items()
        }
        _WIRE_KEYS[cls] = keys
    return keys


def _optional_keys(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(name, JSON key) of the fields that may be ``None`` (absent), per class, cached."""
    keys = _OPTIONAL_KEYS.get(cls)
    if keys is None:
        fields = cls.model_fields
        keys = tuple(
            (name, key) for name, key in _wire_keys(cls).items() if fields[name].default is None
        )
        _OPTIONAL_KEYS[cls] = keys
    return keys


class OB3Model(BaseModel):
    """Base of every OB3 model: camelCase on the wire, extensions kept, frozen, lossless.

    Unknown properties are kept in ``model_extra`` (validated as plain JSON values) and
    written back unchanged. Construct with Python names (``valid_from=...``) or wire names;
    documents from outside should come in through :meth:`from_json`, which only accepts
    wire names (so an extension property that happens to be called ``valid_from`` stays an
    extension).

    Raises:
        ModelValidationError: On construction, when the data does not fit the model.

    Example:
        >>> Criteria(narrative="Pass the exam", extraNote={"a": None}).to_json_dict()
        {'narrative': 'Pass the exam', 'extraNote': {'a': None}}
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        frozen=True,
        strict=True,
        allow_inf_nan=False,
    )

    __pydantic_extra__: dict[str, JsonValue] = Field(init=False)

    _TYPE_REQUIRED: ClassVar[tuple[frozenset[str], ...]] = ()
    """For array ``type``s: each set names alternatives, one of which must be present."""

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise _model_error(exc, type(self).__name__) from exc

    # Tell pydantic this is still its own __init__ (as RootModel does), so nested objects
    # are validated in one pass in pydantic-core instead of through a Python call each.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        try:
            super().__setattr__(name, value)
        except ValidationError as exc:  # frozen: pydantic reports it as a validation error
            raise _model_error(exc, type(self).__name__) from exc

    def __delattr__(self, name: str) -> None:
        try:
            super().__delattr__(name)
        except ValidationError as exc:
            raise _model_error(exc, type(self).__name__) from exc

    @classmethod
    def model_validate(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate ``obj`` (pydantic's entry point; errors become ModelValidationError).

        Raises:
            ModelValidationError: The data does not fit the model.

        Example:
            >>> Criteria.model_validate({"narrative": "x"}).narrative
            'x'
        """
        try:
            return super().model_validate(obj, *args, **kwargs)
        except ValidationError as exc:
            raise _model_error(exc, cls.__name__) from exc

    @classmethod
    def model_validate_json(cls, json_data: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate JSON text (pydantic's entry point); prefer :meth:`from_json`.

        Raises:
            ModelValidationError: The data does not fit the model or is not JSON.

        Example:
            >>> Criteria.model_validate_json('{"narrative": "x"}').narrative
            'x'
        """
        try:
            return super().model_validate_json(json_data, *args, **kwargs)
        except ValidationError as exc:
            raise _model_error(exc, cls.__name__) from exc

    @classmethod
    def model_validate_strings(cls, obj: Any, *args: Any, **kwargs: Any) -> Self:
        """Validate string data (pydantic's entry point); errors become ModelValidationError.

        Raises:
            ModelValidationError: The data does not fit the model.

        Example:
            >>> Criteria.model_validate_strings({"narrative": "x"}).narrative
            'x'
        """
        try:
            return super().model_validate_strings(obj, *args, **kwargs)
        except ValidationError as exc:
            raise _model_error(exc, cls.__name__) from exc

    @classmethod
    def from_json(cls, data: Mapping[str, Any] | str | bytes | bytearray) -> Self:
        """Read an OB3 object from a JSON document (a dict, or JSON text/bytes).

        Only OB3 (wire) property names are recognised; the input is not modified.

        Args:
            data: The JSON object, or its text.

        Returns:
            The validated, frozen model.

        Raises:
            ModelValidationError: The text is not JSON, not an object, or does not fit
                the model; ``errors`` lists every problem with its wire path.

        Example:
            >>> Image.from_json('{"id": "https://x.example/i.png", "type": "Image"}').id
            'https://x.example/i.png'
        """
        obj = _load_object(data, cls.__name__)
        return cls.model_validate(obj, by_alias=True, by_name=False)

    def to_json_dict(self) -> dict[str, Any]:
        """The object as plain JSON data, OB3 names, absent properties omitted.

        Returns:
            A new dict (safe to modify) of JSON types only.

        Example:
            >>> Image(id="https://x.example/i.png").to_json_dict()
            {'id': 'https://x.example/i.png', 'type': 'Image'}
        """
        data: dict[str, Any] = self.model_dump(mode="json", by_alias=True)
        return data

    def to_json(self, *, indent: int | None = None) -> str:
        """The object as JSON text (UTF-8, non-ASCII written as is).

        Args:
            indent: Pretty-print with this indentation; compact when ``None``.

        Returns:
            The JSON text.

        Example:
            >>> Criteria(narrative="x").to_json()
            '{"narrative":"x"}'
        """
        return self.model_dump_json(by_alias=True, indent=indent)

    def with_updates(self, changes: Mapping[str, Any]) -> Self:
        """A validated copy with some properties replaced.

        Args:
            changes: Python or wire names to new values; ``None`` removes a known
                property; an unknown name sets an extension property.

        Returns:
            The new model (this one is unchanged).

        Raises:
            ModelValidationError: The result does not fit the model.

        Example:
            >>> Criteria(narrative="a").with_updates({"narrative": "b"}).narrative
            'b'
        """
        keys = _wire_keys(type(self))
        values = self.__dict__
        data: dict[str, Any] = {
            keys[name]: values[name] for name in keys if values[name] is not None
        }
        data.update(self.__pydantic_extra__ or {})
        for key, value in changes.items():
            data[keys.get(key, key)] = value
        return type(self).model_validate(data, by_alias=True, by_name=False)

    @field_validator("type", mode="after", check_fields=False)
    @classmethod
    def _check_type_members(cls, value: Any) -> Any:
        if isinstance(value, list):
            for alternatives in cls._TYPE_REQUIRED:
                if alternatives.isdisjoint(value):
                    wanted = " or ".join(repr(a) for a in sorted(alternatives))
                    raise _fail(
                        "ob3_type_missing",
                        f"type must include {wanted} (OB3 requires it), got {value!r}",
                    )
        return value

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: SerializerFunctionWrapHandler, info: SerializationInfo) -> Any:
        data = handler(self)
        if isinstance(data, dict):
            values = self.__dict__
            index = 1 if info.by_alias else 0
            for keys in _optional_keys(type(self)):
                if values[keys[0]] is None and data.get(keys[index], 0) is None:
                    del data[keys[index]]
        return data
