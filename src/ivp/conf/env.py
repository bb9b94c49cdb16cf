"""Read settings from the environment, cast by the type of the default, and remember each
variable with its help text so that ``docs/configuration.md`` can be checked against it."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T", str, bool, int, list)

_TRUE = {"1", "true", "yes", "on", "ja"}
_FALSE = {"0", "false", "no", "off", "nee", ""}


@dataclass(frozen=True)
class Variable:
    name: str
    default: object
    help: str


REGISTRY: dict[str, Variable] = {}


def config(name: str, default: T, help: str) -> T:  # noqa: A002 - mirrors decouple's API
    """Return environment variable ``name`` cast to the type of ``default``."""
    REGISTRY[name] = Variable(name, default, help)
    raw = os.environ.get(name)
    if raw is None:
        return default
    if isinstance(default, bool):
        value = raw.strip().lower()
        if value in _TRUE:
            return True  # type: ignore[return-value]
        if value in _FALSE:
            return False  # type: ignore[return-value]
        raise ValueError(f"Environment variable {name}={raw!r} is not a boolean")
    if isinstance(default, int):
        return int(raw)  # type: ignore[return-value]
    if isinstance(default, list):
        return [part.strip() for part in raw.split(",") if part.strip()]  # type: ignore[return-value]
    return raw  # type: ignore[return-value]
