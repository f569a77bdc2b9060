"""Dialect-free failures. Each dialect renders them in its vendor's envelope and words."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with one field. `code` is a stable vocabulary the dialects translate:
    required, blank, too_long, too_short, invalid, invalid_choice, taken, not_found,
    out_of_range, not_allowed."""

    field: str
    code: str
    params: dict[str, Any] = dataclasses.field(default_factory=dict)


class DomainError(Exception):
    pass


class Invalid(DomainError):
    """The request breaks a rule; nothing was written."""

    def __init__(self, *problems: Problem) -> None:
        super().__init__("; ".join(f"{p.field}: {p.code}" for p in problems))
        self.problems = list(problems)

    @classmethod
    def one(cls, field_name: str, code: str, **params: Any) -> Invalid:
        return cls(Problem(field_name, code, params))


class Duplicate(Invalid):
    """A uniqueness rule was broken (a subclass: some vendors answer it differently)."""


class NotFound(DomainError):
    def __init__(self, resource: str, key: object = None) -> None:
        super().__init__(f"{resource} {key!r} not found")
        self.resource = resource
        self.key = key


class Forbidden(DomainError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Collector:
    """Gathers problems so a request reports every broken rule at once."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, field_name: str, code: str, **params: Any) -> None:
        self.problems.append(Problem(field_name, code, params))

    def raise_if_any(self) -> None:
        if self.problems:
            if all(p.code == "taken" for p in self.problems):
                raise Duplicate(*self.problems)
            raise Invalid(*self.problems)
