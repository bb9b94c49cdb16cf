"""The parts of a plan that people comment on and propose texts for: themes, chapters,
sections, priorities and measures. They live in packages above ``plans``; each registers a
provider here (from its ``apps.py``) that lists a plan's parts as :class:`Target` — a key
(``prioriteit:12``, the same key as the history uses), a label, where the part is shown, its
text fields, its version and how to save a text through the package's own optimistic-locked
``update_part``. ``plans`` never imports those packages.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ivp.plans.models import Plan


class StaleTarget(Exception):
    """The part changed after the version the actor saw; nothing was stored."""


@dataclass
class Target:
    key: str
    label: str
    url: str
    fields: dict[str, str] = field(default_factory=dict)
    """Text fields that can get a proposal: name → label."""
    version: int = 0
    texts: dict[str, str] = field(default_factory=dict)
    confidential: bool = False
    save: Callable[..., None] | None = None
    """``save(by=user, expected_version=n, **{field: text})``; raises :class:`StaleTarget`."""


_PROVIDERS: list[Callable[[Plan], list[Target]]] = []


def register(provider: Callable[[Plan], list[Target]]) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def targets_of(plan: Plan) -> list[Target]:
    """Every part of ``plan`` that can be commented on, in the providers' order."""
    found: list[Target] = []
    for provider in _PROVIDERS:
        found += provider(plan)
    return found


def target(plan: Plan, key: str) -> Target | None:
    return next((t for t in targets_of(plan) if t.key == key), None)
