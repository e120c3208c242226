"""How a model was serialized: framework, format and runtime."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from frogml.domain.errors import ValidationError
from frogml.domain.model.base import Value

__all__ = ["SerializationMetadata"]

_FIELDS = ("framework", "framework_version", "serialization_format", "runtime", "runtime_version")


class SerializationMetadata(Value, frozen=True):
    """The manifest's ``model_format``; every field is required and non-empty."""

    framework: str
    framework_version: str
    serialization_format: str
    runtime: str
    runtime_version: str

    def __post_init__(self) -> None:
        for field in _FIELDS:
            value = getattr(self, field)
            if not isinstance(value, str):
                problem = f"must be a string, got {value!r}"
            elif not value.strip():
                problem = f"must be a non-empty string, got {value!r}"
            else:
                continue
            raise ValidationError(f"model_type.{field} {problem}", field=f"model_type.{field}")

    @classmethod
    def coerce(cls, value: SerializationMetadata | Mapping[str, object]) -> SerializationMetadata:
        """Accept the value itself or a dict with exactly its five fields."""
        if isinstance(value, SerializationMetadata):
            return value
        if not isinstance(value, Mapping):
            raise ValidationError(
                "model_type must be a SerializationMetadata or a dict", field="model_type"
            )
        unknown = sorted(set(value) - set(_FIELDS))
        missing = [field for field in _FIELDS if field not in value]
        if unknown or missing:
            parts = [
                f"missing {', '.join(missing)}" if missing else "",
                f"unknown {', '.join(map(str, unknown))}" if unknown else "",
            ]
            raise ValidationError(
                "model_type: " + "; ".join(p for p in parts if p),
                field="model_type",
                hint="give framework, framework_version, serialization_format, "
                "runtime and runtime_version",
            )
        # built directly, not with msgspec.convert: __post_init__ checks each type and
        # says what is wrong in plain words, where convert says "Expected `str`, ..."
        given: dict[str, Any] = {field: value[field] for field in _FIELDS}
        return cls(**given)
