"""What an import will do, record by record: the plan both contact and calendar imports fill."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

Progress = Callable[[int, int], None]
"""Called as (done, total) while records are applied; the CLI draws a bar with it."""


@dataclass
class PlanItem:
    action: str  # new | updated | merged | skipped
    name: str
    where: str
    reason: str
    person_id: int | None = None


@dataclass
class ImportPlan:
    format: str
    dry_run: bool
    items: list[PlanItem] = field(default_factory=list)
    bad_records: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # what was left out of records kept

    @property
    def counts(self) -> dict[str, int]:
        counts = {"new": 0, "updated": 0, "merged": 0, "skipped": 0}
        for item in self.items:
            counts[item.action] += 1
        return counts
