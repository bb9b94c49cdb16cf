"""A function named by its dotted path and imported on its first call.

Apps register their providers (step checks, comment targets, confidential history keys) in
``AppConfig.ready()``, which every process runs — a one-line ``ivp analyse`` too. Naming
the provider instead of importing it keeps the services modules of every step out of the
start-up of processes that never call them. Imports nothing of ivp.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any


class Lazy:
    """Calls ``module.attribute`` (imported when first called); equal to another ``Lazy``
    of the same path, so registering twice still registers once."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._function = None

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self._function is None:
            module, _dot, name = self.path.rpartition(".")
            self._function = getattr(import_module(module), name)
        return self._function(*args, **kwargs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Lazy) and other.path == self.path

    def __hash__(self) -> int:
        return hash(self.path)

    def __repr__(self) -> str:
        return f"Lazy({self.path!r})"
