"""Cards as a CardDAV server holds them: their UID and REV, and the merge that writes a person
back into the server's card without losing what mentormap does not model.

A card is read as content lines (unfolded). Writing back starts from the server's card: the
lines of every field mentormap changed are replaced by its own, everything else (photos, extra
addresses' streets, anniversaries, X- properties of other apps, groups) is kept as it was.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

from mentormap.interop.records import ContactRecord
from mentormap.interop.vcard import _escape, fold, write_vcards

FIELD_PROPS: dict[str, tuple[str, ...]] = {
    "name": ("FN", "N"),
    "emails": ("EMAIL",),
    "phones": ("TEL",),
    "links": ("URL", "X-SOCIALPROFILE"),
    "company": ("ORG",),
    "title": ("TITLE",),
    "address": ("ADR",),
    "birthday": ("BDAY",),
    "notes": ("NOTE",),
    "how_met": ("X-MENTORMAP-HOW-MET",),
    "met_on": ("X-MENTORMAP-MET-ON",),
}
"""The card properties behind each field mentormap syncs."""

REWRITTEN = frozenset({"BEGIN", "END", "VERSION", "UID", "REV", "PRODID"})
PRODID = "-//mentormap//sync//EN"
_NAME = re.compile(r"^(?:[A-Za-z0-9-]+\.)?([A-Za-z0-9-]+)")


def unfold(raw: str) -> list[str]:
    """The card's content lines, continuation lines joined (and quoted-printable soft breaks)."""
    lines: list[str] = []
    for line in re.split(r"\r\n|\n|\r", raw):
        if line[:1] in (" ", "\t") and lines:
            lines[-1] += line[1:]
        elif lines and lines[-1].endswith("=") and "QUOTED-PRINTABLE" in lines[-1].upper():
            lines[-1] = lines[-1][:-1] + line
        elif line.strip():
            lines.append(line)
    return lines


def prop_name(line: str) -> str:
    found = _NAME.match(line)
    return found.group(1).upper() if found else ""


def _group(line: str) -> str | None:
    head = re.split(r"[;:]", line, maxsplit=1)[0]
    return head.split(".", 1)[0].lower() if "." in head else None


def _value(line: str) -> str:
    """What follows the first colon outside a quoted parameter."""
    quoted = False
    for position, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif char == ":" and not quoted:
            return line[position + 1 :]
    return ""


def card_uid(raw: str) -> str | None:
    for line in unfold(raw):
        if prop_name(line) == "UID":
            return _value(line).strip() or None
    return None


def card_rev(raw: str) -> datetime | None:
    """When the card was last changed, as naive UTC, if it says (REV)."""
    for line in unfold(raw):
        if prop_name(line) != "REV":
            continue
        text = _value(line).strip().replace("-", "").replace(":", "")
        found = re.match(r"(\d{8})(?:T(\d{6}))?", text)
        if found is None:
            return None
        try:
            return datetime.strptime(found.group(1) + (found.group(2) or "000000"), "%Y%m%d%H%M%S")
        except ValueError:
            return None
    return None


def categories(raw: str) -> list[str]:
    found: list[str] = []
    for line in unfold(raw):
        if prop_name(line) == "CATEGORIES":
            found += [part.strip() for part in re.split(r"(?<!\\),", _value(line)) if part.strip()]
    return found


def _own_lines(record: ContactRecord) -> dict[str, list[str]]:
    """mentormap's lines for each field of the record, from the vCard writer."""
    by_field: dict[str, list[str]] = {name: [] for name in FIELD_PROPS}
    owner = {prop: name for name, props in FIELD_PROPS.items() for prop in props}
    for line in unfold("".join(write_vcards([record]))):
        name = owner.get(prop_name(line))
        if name is not None:
            by_field[name].append(line)
    return by_field


def _address_line(line: str, record: ContactRecord) -> str:
    """The server's first ADR with only its city and country set to the record's."""
    value = _value(line)
    head = line[: len(line) - len(value)]
    parts = re.split(r"(?<!\\);", value)
    parts += [""] * (7 - len(parts))
    parts[3] = _escape(record.city or "")
    parts[6] = _escape(record.country or "")
    return head + ";".join(parts)


def merge_card(
    server: str | None,
    record: ContactRecord,
    uid: str,
    changed: set[str],
    now: datetime,
    role_categories: list[str] | None = None,
    role_keys: frozenset[str] = frozenset(),
) -> str:
    """The vCard 4.0 to write: the server's card (None: a new one) with the `changed` fields
    replaced by the record's. With `role_categories`, CATEGORIES holds those roles plus the
    server's own categories that are not role names."""
    ours = _own_lines(record)
    kept: list[str] = []
    written: set[str] = set()
    replaced = {prop for name in changed for prop in FIELD_PROPS[name]}
    server_lines = unfold(server) if server else []
    server_categories: list[str] = []
    for line in server_lines:
        name = prop_name(line)
        if name in REWRITTEN:
            continue
        if name == "CATEGORIES" and role_categories is not None:
            server_categories += [
                c for c in categories(line + "\r\n") if c.lower() not in role_keys
            ]
            continue
        if name == "ADR" and "address" in changed:
            if "address" not in written and (record.city or record.country):
                kept.append(_address_line(line, record))
            written.add("address")
            continue
        if name in replaced:
            field_name = next(f for f, props in FIELD_PROPS.items() if name in props)
            if field_name not in written:
                kept.extend(ours[field_name])
                written.add(field_name)
            continue
        kept.append(line)
    fields = set(FIELD_PROPS) if server is None else changed
    for field_name in FIELD_PROPS:
        if field_name in fields and field_name not in written:
            kept.extend(ours[field_name])
    # An Apple label whose property is gone would label nothing.
    groups = {_group(line) for line in kept if prop_name(line) != "X-ABLABEL"}
    kept = [line for line in kept if prop_name(line) != "X-ABLABEL" or _group(line) in groups]
    if role_categories is not None:
        every = list(dict.fromkeys([*server_categories, *role_categories]))
        if every:
            kept.append("CATEGORIES:" + ",".join(_escape(c) for c in every))
    stamp = (
        now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
        if now.tzinfo
        else now.strftime("%Y%m%dT%H%M%SZ")
    )
    lines = [
        "BEGIN:VCARD",
        "VERSION:4.0",
        f"PRODID:{PRODID}",
        f"UID:{_escape(uid)}",
        *kept,
        f"REV:{stamp}",
        "END:VCARD",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)
