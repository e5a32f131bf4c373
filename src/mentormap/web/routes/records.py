"""What the person page records besides conversations: follow-ups, favours either way and their
loop, advice and its verdict, tags and your own attributes. Each form shows its problems by
field."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from mentormap.domain.vocab import FavourDirection, FavourKind, parse_choice
from mentormap.errors import UserError
from mentormap.models import Person
from mentormap.services.context import Ctx
from mentormap.services.people.resolve import find_person
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, redirect, unit_of_work

router = APIRouter()

FAVOUR_DIRECTIONS = [
    (FavourDirection.RECEIVED.value, "She did it for you (you asked, or she offered)"),
    (FavourDirection.GIVEN.value, "You did it for her"),
]
FAVOUR_KINDS = [(k.value, k.value.replace("_", " ")) for k in FavourKind]
# An advice verdict in one choice, so "not followed, but it helped" cannot be sent.
VERDICTS = [
    ("helped", "I followed it, and it helped"),
    ("no_help", "I followed it; it did not help"),
    ("not_followed", "I did not follow it"),
]
FORM_NAMES = ("follow_up", "favour", "report", "advice", "review", "tag", "attr")


def record_forms(ctx: Ctx, person: Person, forms: dict[str, Form]) -> dict[str, Any]:
    """What the person page needs to draw these cards: the lists, the forms, the choices."""
    from mentormap.services.conversations.advice import list_advice

    today = ctx.today().isoformat()
    defaults = {
        "favour": {"direction": FavourDirection.RECEIVED.value, "kind": "other", "on": today},
        "advice": {"on": today},
    }
    return {
        "advice": list(reversed(list_advice(ctx, person=person))),
        "record_forms": {
            name: forms.get(name) or Form(values=dict(defaults.get(name, {})))
            for name in FORM_NAMES
        },
        "blank_form": Form(),  # for the rows a refused form was not about
        "favour_directions": FAVOUR_DIRECTIONS,
        "favour_kinds": FAVOUR_KINDS,
        "verdicts": VERDICTS,
    }


def _again(
    request: Request, person_id: int, name: str, form: Form, target: int | None = None
) -> Response:
    """The person page once more, with this form's values and problems in place.

    `target` is the favour or advice a refused form was about: only that one shows it.
    """
    from mentormap.web.routes.people import _person_page

    if target is not None:
        form.values["for"] = str(target)
    with unit_of_work(request) as ctx:
        return _person_page(request, ctx, person_id, forms={name: form}, status=form.status)


def _save(
    request: Request,
    person_id: int,
    name: str,
    form: Form,
    write: Callable[[Ctx, Person], str],
    *,
    anchor: str,
    field: str,
    target: int | None = None,
) -> Response:
    """Run `write` in one unit of work; a refusal is shown next to `field`, nothing is saved."""
    try:
        with unit_of_work(request) as ctx:
            person = find_person(ctx, f"#{person_id}")
            message = write(ctx, person)
    except FormInvalid:
        return _again(request, person_id, name, form, target)
    except UserError as exc:
        if getattr(exc, "status", 400) == 404:
            raise
        form.fail(field, exc)
        return _again(request, person_id, name, form, target)
    return redirect(f"/people/{person_id}#{anchor}", message)


# --- follow-ups ----------------------------------------------------------------------------------


@router.post("/people/{person_id:id}/followups")
def follow_up_add(
    request: Request, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    from mentormap.services.clock.followups import add_follow_up

    form = Form.of(raw)
    title = form.text("title", required="Say what is to be done, e.g. send the slides.")

    def write(ctx: Ctx, person: Person) -> str:
        due = form.day("due", ctx.today())
        form.check()
        theirs = form.checked("theirs")
        add_follow_up(
            ctx, title or "", person=person, due_on=due, owed_by="them" if theirs else "me"
        )
        when = f", due {due:%d %b}" if due else ""
        return f"Follow-up for {person.name}{when}: {' '.join((title or '').split())}"

    return _save(request, person_id, "follow_up", form, write, anchor="follow-ups", field="title")


# --- favours -------------------------------------------------------------------------------------


@router.post("/people/{person_id:id}/favours")
def favour_add(request: Request, person_id: int, raw: FormData = Depends(posted_form)) -> Response:
    from mentormap.services.clock.favours import add_favour

    form = Form.of(raw)
    description = form.text("description", required="Say what the favour was.")
    direction = form.parsed(
        "direction", lambda v: parse_choice(FavourDirection, v, "direction").value
    )
    kind = form.parsed("kind", lambda v: parse_choice(FavourKind, v, "favour kind").value)

    def write(ctx: Ctx, person: Person) -> str:
        on = form.day("on", ctx.today())
        form.check()
        favour = add_favour(
            ctx,
            person,
            description or "",
            direction=direction or FavourDirection.RECEIVED.value,
            kind=kind or FavourKind.OTHER.value,
            on=on,
        )
        if favour.direction == FavourDirection.GIVEN.value:
            return f"Recorded what you did for {person.name}."
        return f"Recorded {person.name}'s favour. Next: thank her, act on it, tell her."

    return _save(request, person_id, "favour", form, write, anchor="favours", field="description")


@router.post("/people/{person_id:id}/favours/{favour_id:id}/report")
def favour_report(
    request: Request, person_id: int, favour_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    """You told the giver what came of it, with a note of what did (kept in the logged telling)."""
    from mentormap.errors import NotFound
    from mentormap.services.clock.favours import get_favour, mark_reported

    form = Form.of(raw)

    def write(ctx: Ctx, person: Person) -> str:
        favour = get_favour(ctx, favour_id)
        if favour.person_id != person.id:
            raise NotFound(f"No favour with id {favour_id} for {person.name}.")
        on = form.day("on", ctx.today())
        form.check()
        mark_reported(ctx, favour, on, "message", note=form.text("note"))
        return f"Loop closed: you told {person.name} what came of it (logged)."

    return _save(
        request, person_id, "report", form, write, anchor="favours", field="note", target=favour_id
    )


# --- advice --------------------------------------------------------------------------------------


@router.post("/people/{person_id:id}/advice")
def advice_add(request: Request, person_id: int, raw: FormData = Depends(posted_form)) -> Response:
    from mentormap.services.conversations.advice import add_advice

    form = Form.of(raw)
    text = form.text("text", required="Write the advice in a sentence.")

    def write(ctx: Ctx, person: Person) -> str:
        on = form.day("on", ctx.today())
        form.check()
        item = add_advice(ctx, person, text or "", on=on)
        return f"Recorded advice #{item.id} from {person.name}; review it once you have tried it."

    return _save(request, person_id, "advice", form, write, anchor="advice", field="text")


@router.post("/advice/{advice_id:id}/review")
def advice_review(
    request: Request, advice_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    from mentormap.services.conversations.advice import get_advice, review_advice

    form = Form.of(raw)
    verdict = form.parsed(
        "verdict", _verdict, required="Say how it went: helped, did not help, or not followed."
    )
    with unit_of_work(request) as ctx:
        person_id = get_advice(ctx, advice_id).person_id

    def write(ctx: Ctx, person: Person) -> str:
        form.check()
        assert verdict is not None
        followed, helped = verdict
        review_advice(ctx, advice_id, followed=followed, helped=helped, note=form.text("note"))
        if followed and helped:
            return f"Glad it helped. A follow-up is open: tell {person.name.split()[0]} so."
        return "Noted how it went."

    return _save(
        request,
        person_id,
        "review",
        form,
        write,
        anchor="advice",
        field="verdict",
        target=advice_id,
    )


@router.post("/advice/{advice_id:id}/remove")
def advice_remove(
    request: Request, advice_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    from mentormap.services.conversations.advice import get_advice, remove_advice

    with unit_of_work(request) as ctx:
        advice = get_advice(ctx, advice_id)
        person_id = advice.person_id
        item = remove_advice(ctx, advice)
    return redirect(f"/people/{person_id}#advice", f"Removed the advice: {item.text}")


def _verdict(value: str) -> tuple[bool, bool | None]:
    from mentormap.errors import InvalidInput

    choices = {"helped": (True, True), "no_help": (True, False), "not_followed": (False, None)}
    if value not in choices:
        raise InvalidInput("Choose one of the three answers.")
    return choices[value]


# --- tags and attributes -------------------------------------------------------------------------


@router.post("/people/{person_id:id}/tags")
def tag_add(request: Request, person_id: int, raw: FormData = Depends(posted_form)) -> Response:
    from mentormap.services.people.tags import clean_tag, tag_person

    form = Form.of(raw)
    tags = [t.strip() for t in (form.text("tags", required="Write a tag.") or "").split(",")]
    tags = [t for t in tags if t]

    def write(ctx: Ctx, person: Person) -> str:
        form.check()
        tag_person(ctx, person, tags)
        return f"Tagged {person.name}: {', '.join(clean_tag(t) for t in tags)}."

    return _save(request, person_id, "tag", form, write, anchor="tags", field="tags")


@router.post("/people/{person_id:id}/tags/remove")
def tag_remove(request: Request, person_id: int, raw: FormData = Depends(posted_form)) -> Response:
    from mentormap.services.people.tags import untag_person

    form = Form.of(raw)
    tag = form.text("tag", required="Which tag?")

    def write(ctx: Ctx, person: Person) -> str:
        form.check()
        untag_person(ctx, person, [tag or ""])
        return f"Removed the tag {tag} from {person.name}."

    return _save(request, person_id, "tag", form, write, anchor="tags", field="tags")


@router.post("/people/{person_id:id}/attributes")
def attribute_set(
    request: Request, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    from mentormap.services.people.tags import clean_key, set_attribute

    form = Form.of(raw)
    key = form.parsed("key", clean_key, required="Name the attribute, e.g. seniority.")
    value = form.text("value", required="Give it a value, e.g. principal.")

    def write(ctx: Ctx, person: Person) -> str:
        form.check()
        attr = set_attribute(ctx, person, key or "", value or "")
        return f"{person.name}: {attr.key.replace('_', ' ')} = {attr.value}."

    return _save(request, person_id, "attr", form, write, anchor="tags", field="value")


@router.post("/people/{person_id:id}/attributes/remove")
def attribute_unset(
    request: Request, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    from mentormap.services.people.tags import unset_attribute

    form = Form.of(raw)
    key = form.text("key", required="Which attribute?")

    def write(ctx: Ctx, person: Person) -> str:
        form.check()
        unset_attribute(ctx, person, key or "")
        return f"Removed {key} from {person.name}."

    return _save(request, person_id, "attr", form, write, anchor="tags", field="key")
