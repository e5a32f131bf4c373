"""The daily digest: today's agenda (`services/clock/today.py`) as plain text and as HTML."""

from __future__ import annotations

from html import escape

from mentormap.services.clock.today import Today


def _sections(today: Today) -> list[tuple[str, list[str]]]:
    sections: list[tuple[str, list[str]]] = []
    if today.owed_replies:
        sections.append(
            (
                "Replies you owe",
                [
                    f"{o.name}: reply by {o.due_on.isoformat()}"
                    + (f" ({o.question or o.excerpt})" if o.question or o.excerpt else "")
                    for o in today.owed_replies
                ],
            )
        )
    if today.follow_ups:
        sections.append(
            (
                "Follow-ups",
                [
                    f"{f.title}" + (f" ({f.name})" if f.name else "")
                    + (f", due {f.due_on.isoformat()}" if f.due_on else "")
                    for f in today.follow_ups
                ],
            )
        )  # fmt: skip
    if today.due:
        sections.append(
            (
                "Due for a catch-up",
                [
                    f"{e.name} ({', '.join(e.roles) or 'contact'}): {e.warmth.value}, "
                    f"due {e.due_on.isoformat()}"
                    for e in today.due
                ],
            )
        )
    if today.visiting:
        sections.append(
            (
                "Visiting soon",
                [
                    f"{v.name} in {v.city}, {v.start_on.isoformat()} to {v.end_on.isoformat()}"
                    for v in today.visiting
                ],
            )
        )
    if today.reconnect:
        sections.append(("Worth reconnecting", [e.name for e in today.reconnect]))
    return sections


def subject(today: Today) -> str:
    count = len(today.owed_replies) + len(today.follow_ups) + len(today.due)
    return f"mentormap: {count} things for {today.today.strftime('%A %d %B')}"


def digest_text(today: Today) -> str:
    lines = [subject(today), ""]
    sections = _sections(today)
    if not sections:
        lines.append("Nothing due today: a good day to reach out to someone new.")
    for title, items in sections:
        lines.append(title)
        lines.extend(f"- {item}" for item in items)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def digest_html(today: Today) -> str:
    parts = [f"<h1>{escape(subject(today))}</h1>"]
    sections = _sections(today)
    if not sections:
        parts.append("<p>Nothing due today: a good day to reach out to someone new.</p>")
    for title, items in sections:
        parts.append(f"<h2>{escape(title)}</h2><ul>")
        parts.extend(f"<li>{escape(item)}</li>" for item in items)
        parts.append("</ul>")
    return "<!doctype html><html><body>" + "".join(parts) + "</body></html>\n"
