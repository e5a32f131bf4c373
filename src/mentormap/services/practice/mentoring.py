"""The user's side as a mentor: what she notes of each mentee (goals, achievements to praise
and showcase), the opportunities she passed on, her weekly office hours, and her private list
of failure stories worth telling."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from mentormap.domain.practice import DAY_NAMES, Slot, parse_slot, parse_span, parse_weekday
from mentormap.errors import InvalidInput
from mentormap.models import FailureStory, MenteeNote, OfficeHour, Person
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned
from mentormap.services.practice.opportunities import PassedOn, is_mentee, passed_to

NOTE_KINDS = ("goal", "achievement")


def _text(value: str, what: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise InvalidInput(f"Say what the {what} is.")
    return text


# --- a mentee's goals and achievements ---------------------------------------------------------


@dataclass
class MenteeNoteView:
    id: int
    person_id: int
    kind: str
    text: str
    noted_on: date


@dataclass
class StoryView:
    id: int
    text: str
    lesson: str | None
    created_on: date


@dataclass
class OfficeHourView:
    id: int
    weekday: int
    day: str
    starts_at: str
    ends_at: str
    note: str | None
    label: str


@dataclass
class MenteeView:
    person_id: int
    name: str
    is_mentee: bool
    goals: list[MenteeNoteView] = field(default_factory=list)
    achievements: list[MenteeNoteView] = field(default_factory=list)
    passed_on: list[PassedOn] = field(default_factory=list)
    office_hours: list[OfficeHourView] = field(default_factory=list)
    stories: list[StoryView] = field(default_factory=list)


def _note_view(note: MenteeNote) -> MenteeNoteView:
    return MenteeNoteView(note.id, note.person_id, note.kind, note.text, note.noted_on)


def _check_kind(kind: str) -> str:
    value = kind.strip().lower()
    if value not in NOTE_KINDS:
        raise InvalidInput(f"Unknown kind {kind!r}; choose one of: {', '.join(NOTE_KINDS)}.")
    return value


def add_mentee_note(
    ctx: Ctx, person: Person, kind: str, text: str, on: date | None = None
) -> MenteeNote:
    what = _check_kind(kind)
    day = on or ctx.today()
    if what == "achievement" and day > ctx.today():
        raise InvalidInput(f"An achievement on {day.isoformat()} has not happened yet.")
    note = MenteeNote(
        owner_id=ctx.owner_id,
        person_id=person.id,
        kind=what,
        text=_text(text, what),
        noted_on=day,
    )
    ctx.session.add(note)
    ctx.session.flush()
    return note


def get_mentee_note(ctx: Ctx, note_id: int) -> MenteeNote:
    return get_owned(ctx, MenteeNote, note_id, f"No mentee note with id {note_id}.")


def edit_mentee_note(
    ctx: Ctx, note: MenteeNote, *, text: str | None = None, on: date | None = None
) -> MenteeNote:
    if text is not None:
        note.text = _text(text, note.kind)
    if on is not None:
        note.noted_on = on
    ctx.session.flush()
    return note


def remove_mentee_note(ctx: Ctx, note: MenteeNote) -> None:
    ctx.session.delete(note)
    ctx.session.flush()


def mentee_view(ctx: Ctx, person: Person) -> MenteeView:
    """Everything the mentor's side holds for one mentee, on one page."""
    notes = ctx.session.scalars(
        select(MenteeNote)
        .where(MenteeNote.owner_id == ctx.owner_id, MenteeNote.person_id == person.id)
        .order_by(MenteeNote.noted_on.desc(), MenteeNote.id.desc())
    ).all()
    return MenteeView(
        person_id=person.id,
        name=person.name,
        is_mentee=is_mentee(ctx, person),
        goals=[_note_view(n) for n in notes if n.kind == "goal"],
        achievements=[_note_view(n) for n in notes if n.kind == "achievement"],
        passed_on=passed_to(ctx, person),
        office_hours=list_office_hours(ctx),
        stories=list_stories(ctx),
    )


# --- office hours ------------------------------------------------------------------------------


def hour_view(hour: OfficeHour) -> OfficeHourView:
    slot = Slot(hour.weekday, hour.starts_at, hour.ends_at)
    return OfficeHourView(
        id=hour.id,
        weekday=hour.weekday,
        day=DAY_NAMES[hour.weekday],
        starts_at=hour.starts_at,
        ends_at=hour.ends_at,
        note=hour.note,
        label=slot.label,
    )


def _overlapping(ctx: Ctx, slot: Slot, skip_id: int | None = None) -> OfficeHour | None:
    query = select(OfficeHour).where(
        OfficeHour.owner_id == ctx.owner_id,
        OfficeHour.weekday == slot.weekday,
        OfficeHour.starts_at < slot.end,
        OfficeHour.ends_at > slot.start,
    )
    if skip_id is not None:
        query = query.where(OfficeHour.id != skip_id)
    return ctx.session.scalar(query.limit(1))


def _clash(hour: OfficeHour) -> InvalidInput:
    return InvalidInput(f"That overlaps your office hours #{hour.id} ({hour_view(hour).label}).")


def add_office_hour(ctx: Ctx, day: str, span: str, note: str | None = None) -> OfficeHour:
    slot = parse_slot(day, span)
    clash = _overlapping(ctx, slot)
    if clash is not None:
        raise _clash(clash)
    hour = OfficeHour(
        owner_id=ctx.owner_id,
        weekday=slot.weekday,
        starts_at=slot.start,
        ends_at=slot.end,
        note=" ".join((note or "").split()) or None,
    )
    ctx.session.add(hour)
    ctx.session.flush()
    return hour


def get_office_hour(ctx: Ctx, hour_id: int) -> OfficeHour:
    return get_owned(ctx, OfficeHour, hour_id, f"No office hours with id {hour_id}.")


def edit_office_hour(
    ctx: Ctx,
    hour: OfficeHour,
    *,
    day: str | None = None,
    span: str | None = None,
    note: str | None = None,
) -> OfficeHour:
    weekday = parse_weekday(day) if day else hour.weekday
    start, end = parse_span(span) if span else (hour.starts_at, hour.ends_at)
    slot = Slot(weekday, start, end)
    clash = _overlapping(ctx, slot, skip_id=hour.id)
    if clash is not None:
        raise _clash(clash)
    hour.weekday, hour.starts_at, hour.ends_at = weekday, start, end
    if note is not None:
        hour.note = " ".join(note.split()) or None
    ctx.session.flush()
    return hour


def remove_office_hour(ctx: Ctx, hour: OfficeHour) -> str:
    label = hour_view(hour).label
    ctx.session.delete(hour)
    ctx.session.flush()
    return label


def list_office_hours(ctx: Ctx) -> list[OfficeHourView]:
    """The weekly slots, Monday first: also what a calendar feed reads (`office_hour_slots`)."""
    hours = ctx.session.scalars(
        select(OfficeHour)
        .where(OfficeHour.owner_id == ctx.owner_id)
        .order_by(OfficeHour.weekday, OfficeHour.starts_at, OfficeHour.id)
    ).all()
    return [hour_view(h) for h in hours]


def office_hour_slots(ctx: Ctx) -> list[tuple[Slot, str | None]]:
    """The weekly slots as plain values, for a calendar feed to repeat weekly (RRULE
    FREQ=WEEKLY) in the user's time zone (`ctx.settings.timezone`)."""
    return [(Slot(v.weekday, v.starts_at, v.ends_at), v.note) for v in list_office_hours(ctx)]


def office_hours_text(ctx: Ctx) -> str:
    """Office hours as plain text to print or paste into a message to mentees."""
    hours = list_office_hours(ctx)
    zone = str(ctx.settings.timezone)
    if not hours:
        return "No office hours set yet."
    lines = [f"Office hours (times in {zone}):"]
    for hour in hours:
        extra = f" — {hour.note}" if hour.note else ""
        lines.append(f"  {hour.label}{extra}")
    lines.append("Book a slot by message; outside these, ask and I will find a time.")
    return "\n".join(lines)


# --- failure stories -----------------------------------------------------------------------------


def _story_view(story: FailureStory) -> StoryView:
    return StoryView(story.id, story.text, story.lesson, story.created_on)


def add_story(ctx: Ctx, text: str, lesson: str | None = None) -> FailureStory:
    story = FailureStory(
        owner_id=ctx.owner_id,
        text=_text(text, "story"),
        lesson=" ".join((lesson or "").split()) or None,
        created_on=ctx.today(),
    )
    ctx.session.add(story)
    ctx.session.flush()
    return story


def get_story(ctx: Ctx, story_id: int) -> FailureStory:
    return get_owned(ctx, FailureStory, story_id, f"No story with id {story_id}.")


def edit_story(
    ctx: Ctx, story: FailureStory, *, text: str | None = None, lesson: str | None = None
) -> FailureStory:
    if text is not None:
        story.text = _text(text, "story")
    if lesson is not None:
        story.lesson = " ".join(lesson.split()) or None
    ctx.session.flush()
    return story


def remove_story(ctx: Ctx, story: FailureStory) -> None:
    ctx.session.delete(story)
    ctx.session.flush()


def list_stories(ctx: Ctx) -> list[StoryView]:
    stories = ctx.session.scalars(
        select(FailureStory)
        .where(FailureStory.owner_id == ctx.owner_id)
        .order_by(FailureStory.created_on.desc(), FailureStory.id.desc())
    ).all()
    return [_story_view(s) for s in stories]
