"""What one sync run did, for the CLI, the web page and the last-run note on each source."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Conflict:
    """One field edited on both sides since the last run, and which side was kept."""

    person_id: int
    name: str
    field: str
    kept: str  # "mentormap" or "server"
    mentormap: Any
    server: Any


@dataclass
class SyncReport:
    source: str
    kind: str
    pulled: int = 0  # cards (events) read from the server that were new or changed
    created: int = 0  # people made from new cards
    updated: int = 0  # people whose fields the server changed
    pushed: int = 0  # cards written to the server
    archived: int = 0  # people archived because their card was deleted on the server
    interactions: int = 0  # calendar: interactions made from past events
    moved: int = 0  # calendar: interactions moved by a rescheduled event
    removed: int = 0  # calendar: interactions of events cancelled or gone
    booked: int = 0  # calendar: catch-ups planned ahead
    trips: int = 0  # calendar: all-day visits and trips
    conflicts: list[Conflict] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # what was left alone, and why
    incremental: bool = False  # by a sync token (or the ETags), not a first full read
    requests: int = 0  # sent to the server
    server_seconds: float = 0.0  # spent waiting for the server's answers

    def counts(self) -> dict[str, int]:
        names: tuple[str, ...]
        if self.kind == "carddav":
            names = ("pulled", "created", "updated", "pushed", "archived")
        else:
            names = ("pulled", "interactions", "moved", "removed", "booked", "trips")
        found = {name: getattr(self, name) for name in names}
        found["conflicts"] = len(self.conflicts)
        return found

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "kind": self.kind,
            "counts": self.counts(),
            "conflicts": [asdict(c) for c in self.conflicts],
            "skipped": self.skipped,
            "incremental": self.incremental,
            "server": {"requests": self.requests, "seconds": round(self.server_seconds, 3)},
        }

    def summary(self) -> str:
        parts = ", ".join(f"{value} {name}" for name, value in self.counts().items())
        return f"{self.source}: {parts}."
