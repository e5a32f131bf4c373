"""A conversation brief as text: Markdown for notes and sharing, plain for the terminal."""

from __future__ import annotations

from mentormap.services.conversations.prep import Brief, LoopView


def _hours(offset: float) -> str:
    if offset == 0:
        return "same time as you"
    sign = "ahead of" if offset > 0 else "behind"
    amount = abs(offset)
    shown = f"{amount:g}"
    return f"{shown} h {sign} you"


def _loop(item: LoopView) -> str:
    due = f" (due {item.due_on.isoformat()})" if item.due_on else ""
    return f"{item.text}{due}"


def render_brief(brief: Brief, markdown: bool = True) -> str:
    """One document; `markdown=False` drops the Markdown marks for a plain terminal."""
    out: list[str] = []

    def heading(text: str, level: int = 2) -> None:
        if out:
            out.append("")
        out.append(("#" * level + " " + text) if markdown else text.upper())

    def bullet(text: str, indent: int = 0) -> None:
        out.append("  " * indent + ("- " if markdown else "• ") + text)

    def bold(text: str) -> str:
        return f"**{text}**" if markdown else text

    title = f"Prep: {brief.name}"
    out.append(f"# {title}" if markdown else title)
    out.append("")
    facts = []
    if brief.roles:
        facts.append(f"{bold('Roles')}: {', '.join(brief.roles)}")
    work = ", ".join(p for p in (brief.title, brief.company) if p)
    if work:
        facts.append(f"{bold('Work')}: {work}")
    place = ", ".join(p for p in (brief.city, brief.country) if p)
    if place:
        facts.append(f"{bold('Where')}: {place}")
    if brief.local_time:
        offset = f" ({_hours(brief.hours_from_you)})" if brief.hours_from_you is not None else ""
        facts.append(f"{bold('Local time now')}: {brief.local_time}{offset}")
    prefers = ", ".join(p for p in (brief.preferred_format, brief.preferred_time) if p)
    if prefers:
        facts.append(f"{bold('Prefers')}: {prefers}")
    if brief.last_contact_on:
        facts.append(
            f"{bold('Last contact')}: {brief.last_contact_on.isoformat()} "
            f"({brief.days_since_contact} days ago)"
        )
    else:
        facts.append(f"{bold('Last contact')}: never logged")
    if brief.standing.get("reason"):
        due = brief.standing.get("due_on")
        when = f"{brief.standing['warmth']}, due {due}; " if due else ""
        facts.append(f"{bold('Standing')}: {when}{brief.standing['reason']}")
    if brief.time_box_minutes:
        facts.append(f"{bold('Time box')}: {brief.time_box_minutes} minutes")
    for fact in facts:
        bullet(fact)

    if brief.members:
        heading("Members")
        for m in brief.members:
            where = f", {m.city}" if m.city else ""
            clock = f" — {m.local_time}" if m.local_time else ""
            bullet(f"{m.name}{where}{clock}")

    heading("Since last time")
    if not (brief.recent or brief.news or brief.personal_details):
        bullet("Nothing logged yet: this is a first conversation.")
    for item in brief.recent:
        text = f": {item.excerpt}" if item.excerpt else ""
        bullet(f"{item.occurred_on.isoformat()} {item.kind.replace('_', ' ')}{text}")
    if brief.personal_details:
        bullet(f"Personal: {brief.personal_details}")
    for event in brief.news:
        when = event["on"].isoformat() + " " if event["on"] else ""
        prompt = f" — {event['prompt']}" if event.get("prompt") else ""
        bullet(f"News: {when}{event['text']}{prompt}")

    heading("Open loops")
    if not (brief.i_owe or brief.they_owe):
        bullet("Nothing open either way.")
    for loop in brief.i_owe:
        bullet(f"You owe: {_loop(loop)}")
    for loop in brief.they_owe:
        bullet(f"Theirs: {_loop(loop)}")

    heading("Agenda points")
    if not brief.agenda:
        bullet(f'None parked: `mentormap agenda add "{brief.name}" "…"`.')
    for point in brief.agenda:
        bullet(f"{point.position}. {point.text} (#{point.id})")

    heading("What to bring")
    for role in brief.bring:
        label = role.label + (f" ({role.note})" if role.note else "")
        bullet(f"{bold(label)}, {role.time_box_minutes} min")
        for line in role.bring:
            bullet(line, 1)
        for line in role.specifics:
            bullet(line, 1)
        for line in role.watch_out:
            bullet(f"Watch out: {line}", 1)

    if brief.schedule is not None:
        heading("Suggested schedule")
        if brief.schedule.first_last_time:
            bullet(f"{brief.schedule.first_last_time} went first last time.")
        for slot in brief.schedule.slots:
            flag = " (pressing problem)" if slot.pressing else ""
            bullet(f"{slot.starts}–{slot.ends} {slot.label}, {slot.minutes} min{flag}")
    return "\n".join(out) + "\n"
