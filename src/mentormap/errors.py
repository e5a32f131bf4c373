"""Errors a user can cause. Each carries one sentence that the CLI and web show as is."""

from __future__ import annotations

from collections.abc import Sequence


class UserError(Exception):
    """Something the user can fix: bad input, an unknown name, a refused action."""


class NotFound(UserError):
    """A named thing does not exist."""


class Ambiguous(UserError):
    """A name matches more than one thing."""

    def __init__(self, message: str, candidates: Sequence[str]) -> None:
        super().__init__(message)
        self.candidates = list(candidates)


class InvalidInput(UserError):
    """A value is malformed or out of range."""


class DatabaseTooNew(UserError):
    """The database was written by a newer mentormap."""
