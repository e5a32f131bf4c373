"""Reading form fields one by one, so each problem is reported next to its own field."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from mentormap.errors import UserError

T = TypeVar("T")


class FormInvalid(Exception):
    """Raised inside a unit of work to roll it back when a field is wrong."""


@dataclass
class Form:
    """The submitted values (as text, to refill the form) and the error of each bad field."""

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    # 400 for a wrong value; a UserError may carry its own (503 for a busy database).
    status: int = 400

    @classmethod
    def of(cls, raw: Any) -> Form:
        values: dict[str, str] = {}
        for key in raw:
            items = [v for v in raw.getlist(key) if isinstance(v, str)]
            values[key] = items[-1].strip() if items else ""
        return cls(values=values)

    def text(self, name: str, *, required: str | None = None) -> str | None:
        value = self.values.get(name, "").strip()
        if not value:
            if required:
                self.errors[name] = required
            return None
        return value

    def parsed(
        self, name: str, parse: Callable[[str], T], *, required: str | None = None
    ) -> T | None:
        """Run a parser that raises UserError; its sentence becomes the field's message."""
        value = self.text(name, required=required)
        if value is None:
            return None
        try:
            return parse(value)
        except UserError as exc:
            self.errors[name] = str(exc)
            return None

    def day(self, name: str, today: date, *, required: str | None = None) -> date | None:
        from mentormap.domain.durations import parse_date

        return self.parsed(name, lambda v: parse_date(v, today), required=required)

    def days(self, name: str) -> int | None:
        from mentormap.domain.durations import parse_days

        return self.parsed(name, parse_days)

    def fail(self, name: str, exc: UserError) -> None:
        """Show a refused action's sentence next to the field it is most about."""
        self.errors[name] = str(exc)
        self.status = getattr(exc, "status", self.status)

    def checked(self, name: str) -> bool:
        return self.values.get(name, "") in ("on", "1", "true", "yes")

    def check(self) -> None:
        """Stop here (rolling back the unit of work) when any field has an error."""
        if self.errors:
            raise FormInvalid

    @property
    def ok(self) -> bool:
        return not self.errors
