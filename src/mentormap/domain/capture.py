"""The $EDITOR template for `mentormap log`, and the parser that reads it back.

Pure text in, text out. Comments are single-line HTML comments, so whatever survives into the
notes still renders as clean Markdown. Sections are `## ` headings with fixed names; any other
heading inside the notes stays part of the notes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from mentormap.errors import InvalidInput

NOTES = "Notes"
ADVICE = "Advice"
FAVOURS = "Favours"
FOLLOW_UPS = "Follow-ups"
ACTION = "Positive action"
AGENDA = "Agenda points covered"
SECTIONS = (NOTES, ADVICE, FAVOURS, FOLLOW_UPS, ACTION, AGENDA)
HEADER_KEYS = ("date", "people", "group", "kind", "location")

_COMMENT = re.compile(r"^\s*<!--.*-->\s*$")
_HEADING = re.compile(r"^##\s+(.+?)\s*$")
_HEADER = re.compile(r"^(\w+):\s*(.*)$")
_ITEM = re.compile(r"^\s*[-*]\s+(.*\S)\s*$")
_TICKED = re.compile(r"^\s*[-*]\s+\[[xX]\]\s+#(\d+)\b")
_FAVOUR = re.compile(r"^(given|gave|received|got)\s+([\w -]+?)\s*:\s*(.+)$", re.IGNORECASE)
_FOLLOW_UP = re.compile(r"^(me|them)\s*:\s*(.+?)(?:\s+by\s+(\S+))?$", re.IGNORECASE)


@dataclass(frozen=True)
class AgendaLine:
    id: int
    who: str
    text: str


@dataclass
class CapturedFavour:
    direction: str  # given | received
    kind: str
    text: str
    person: str | None = None  # "Name: text" names who, when several people were there


@dataclass
class CapturedFollowUp:
    owed_by: str  # me | them
    title: str
    due: str | None = None  # as typed: a date or a relative form, parsed by the caller


@dataclass
class Captured:
    """What the user wrote. Dates and names stay text: the service resolves them."""

    on: str = ""
    people: list[str] = field(default_factory=list)
    group: str = ""
    kind: str = ""
    location: str = ""
    notes: str = ""
    advice: list[tuple[str | None, str]] = field(default_factory=list)
    favours: list[CapturedFavour] = field(default_factory=list)
    follow_ups: list[CapturedFollowUp] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    covered: list[int] = field(default_factory=list)

    def is_empty(self) -> bool:
        return not (
            self.notes
            or self.advice
            or self.favours
            or self.follow_ups
            or self.actions
            or self.covered
        )


def render_template(
    *,
    on: date,
    people: list[str],
    group: str | None,
    kind: str,
    location: str | None = None,
    notes: str | None = None,
    agenda: list[AgendaLine] | None = None,
) -> str:
    """The text the editor opens on: header fields, then one section per thing to capture."""
    lines = [
        "<!-- Log a conversation. Lines like this one are ignored. Save and quit to log it; -->",
        "<!-- leave every section empty (or quit without saving) and nothing is logged. -->",
        f"date: {on.isoformat()}",
        f"people: {', '.join(people)}",
        f"group: {group or ''}",
        f"kind: {kind}",
        f"location: {location or ''}",
        "",
        f"## {NOTES}",
        "<!-- What was discussed, in Markdown. -->",
        notes or "",
        "",
        f"## {ADVICE}",
        "<!-- One per line: '- advice', or '- Name: advice' when several people were there. -->",
        "",
        f"## {FAVOURS}",
        "<!-- '- received introduction: what she did' or '- given referral: Name: what you did'."
        " -->",
        "",
        f"## {FOLLOW_UPS}",
        "<!-- '- me: send the deck by 2026-12-01' or '- them: intro to Sam by +1w'. -->",
        "",
        f"## {ACTION}",
        "<!-- After venting with a friend: the one positive step you commit to, one line. -->",
        "",
        f"## {AGENDA}",
        "<!-- Tick the points you covered: [x]. -->",
    ]
    for item in agenda or []:
        lines.append(f"- [ ] #{item.id} {item.who}: {item.text}")
    lines.append("")
    return "\n".join(lines)


def split_name(text: str) -> tuple[str | None, str]:
    """'Priya Raman: keep a brag doc' → ('Priya Raman', 'keep a brag doc'); no name → None."""
    head, sep, tail = text.partition(":")
    # 'See https://…' is not a name: a URL's colon is followed by '//'.
    if sep and tail.strip() and 0 < len(head.split()) <= 4 and not tail.startswith("//"):
        return head.strip(), tail.strip()
    return None, text.strip()


def parse_capture(text: str) -> Captured:
    """Read the edited template back. Raises InvalidInput naming the line that does not fit."""
    result = Captured()
    section: str | None = None
    notes: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if _COMMENT.match(raw):
            continue
        heading = _HEADING.match(raw)
        if heading and heading.group(1) in SECTIONS:
            section = heading.group(1)
            continue
        if section is None:
            _read_header(result, raw, number)
        elif section == NOTES:
            notes.append(raw)
        elif section == AGENDA:
            ticked = _TICKED.match(raw)
            if ticked:
                result.covered.append(int(ticked.group(1)))
        else:
            item = _ITEM.match(raw)
            if item is None:
                if raw.strip():
                    raise InvalidInput(
                        f"Line {number}: start each {section.lower()} entry with '- '."
                    )
                continue
            _read_item(result, section, item.group(1), number)
    result.notes = "\n".join(notes).strip()
    return result


def _read_header(result: Captured, raw: str, number: int) -> None:
    if not raw.strip():
        return
    match = _HEADER.match(raw.strip())
    if match is None or match.group(1).lower() not in HEADER_KEYS:
        raise InvalidInput(
            f"Line {number}: expected one of {', '.join(HEADER_KEYS)} before the sections."
        )
    key, value = match.group(1).lower(), match.group(2).strip()
    if key == "people":
        result.people = [name.strip() for name in value.split(",") if name.strip()]
    elif key == "date":
        result.on = value
    else:
        setattr(result, key, value)


def _read_item(result: Captured, section: str, text: str, number: int) -> None:
    if section == ADVICE:
        result.advice.append(split_name(text))
    elif section == ACTION:
        result.actions.append(text)
    elif section == FAVOURS:
        match = _FAVOUR.match(text)
        if match is None:
            raise InvalidInput(
                f"Line {number}: write a favour as 'received KIND: what' or 'given KIND: what'."
            )
        direction = "given" if match.group(1).lower() in ("given", "gave") else "received"
        person, what = split_name(match.group(3))
        result.favours.append(
            CapturedFavour(direction, match.group(2).strip().lower(), what, person)
        )
    elif section == FOLLOW_UPS:
        match = _FOLLOW_UP.match(text)
        if match is None:
            raise InvalidInput(
                f"Line {number}: write a follow-up as 'me: what [by DATE]' or 'them: what'."
            )
        result.follow_ups.append(
            CapturedFollowUp(match.group(1).lower(), match.group(2).strip(), match.group(3))
        )
