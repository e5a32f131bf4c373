"""Logging a conversation: the quick Log page, and the shared parsing the person page reuses."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.datastructures import FormData

from mentormap.domain.vocab import Direction, InteractionKind, parse_choice
from mentormap.errors import UserError
from mentormap.models import Group, Interaction, Person
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.people.browse import name_suggestions
from mentormap.services.people.groups import list_groups
from mentormap.services.people.resolve import find_group, find_person
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()

KINDS = [(k.value, k.value.replace("_", " ")) for k in InteractionKind]
DIRECTIONS = [(d.value, d.value) for d in Direction]


def log_defaults(today: date) -> dict[str, str]:
    return {"kind": "call", "direction": "mutual", "on": today.isoformat()}


def read_log_fields(form: Form, today: date) -> dict[str, Any]:
    """The interaction fields of a log form; problems land in `form.errors` by field."""
    kind = form.parsed("kind", lambda v: parse_choice(InteractionKind, v, "kind").value)
    direction = form.parsed("direction", lambda v: parse_choice(Direction, v, "direction").value)
    on = form.day("on", today)
    if on is not None and on > today:
        form.errors["on"] = "That day is still to come; log what has happened."
    needs_reply = form.checked("needs_reply")
    if needs_reply and direction not in (None, Direction.INBOUND.value):
        form.errors["needs_reply"] = "Only an inbound message can need a reply."
    return {
        "kind": kind or InteractionKind.CALL.value,
        "direction": direction or Direction.MUTUAL.value,
        "on": on or today,
        "notes": form.text("notes"),
        "location": form.text("location"),
        "needs_reply": needs_reply,
    }


def resolve_people(ctx: Ctx, form: Form) -> list[Person]:
    people: list[Person] = []
    names = [n.strip() for n in form.values.get("who", "").split(",") if n.strip()]
    for name in names:
        try:
            people.append(find_person(ctx, name))
        except UserError as exc:
            form.fail("who", exc)
    return people


def record_actions(ctx: Ctx, item: Interaction, form: Form) -> None:
    """After a vent each names one positive action: yours, and hers ('Name: …' when several
    were there). Both become follow-ups; a name nobody present has is shown by its field."""
    from mentormap.services.conversations.capture import Extras, record_extras

    mine, hers = form.text("action"), form.text("their_action")
    if not (mine or hers):
        return
    people = [p.person for p in item.participants]
    theirs: list[tuple[str, str]] = []
    if hers:
        name, sep, text = hers.partition(":")
        if len(people) == 1:
            # With her alone, 'Name:' is optional, and a colon in the text is just a colon.
            full = people[0].name.casefold()
            named = sep and name.strip().casefold() in (full, full.split()[0])
            theirs.append((people[0].name, text.strip() if named else hers))
        elif sep and name.strip() and text.strip():
            theirs.append((name.strip(), text.strip()))
        else:
            form.errors["their_action"] = (
                "Several were there: write it as 'Name: what she will do'."
            )
            raise FormInvalid
    try:
        record_extras(
            ctx, item, people, Extras(actions=[mine] if mine else [], their_actions=theirs)
        )
    except UserError as exc:
        form.fail("their_action" if theirs else "action", exc)
        raise FormInvalid from exc


def _resolve_group(ctx: Ctx, form: Form) -> Group | None:
    name = form.text("group")
    if not name:
        return None
    try:
        return find_group(ctx, name)
    except UserError as exc:
        form.fail("group", exc)
        return None


def _page(request: Request, ctx: Ctx, form: Form, status: int = 200) -> HTMLResponse:
    return render(
        request,
        "log.html",
        {
            "form": form,
            "kinds": KINDS,
            "directions": DIRECTIONS,
            "names": name_suggestions(ctx, limit=200),
            "groups": list_groups(ctx),
        },
        status=status,
    )


@router.get("/log")
def log_page(
    request: Request, who: str = "", group: str = "", ctx: Ctx = Depends(read_ctx)
) -> HTMLResponse:
    values = log_defaults(ctx.today()) | {"who": who[:500], "group": group[:200]}
    if group:
        values["kind"] = InteractionKind.GROUP_SESSION.value
    return _page(request, ctx, Form(values=values))


@router.post("/log")
def log_submit(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            fields = read_log_fields(form, ctx.today())
            people = resolve_people(ctx, form)
            group = _resolve_group(ctx, form)
            if not people and group is None and "who" not in form.errors:
                form.errors["who"] = "Name at least one person, or choose a group."
            form.check()
            if group is not None and fields["kind"] == InteractionKind.CALL.value and not people:
                fields["kind"] = InteractionKind.GROUP_SESSION.value
            item = log_interaction(ctx, people, group=group, **fields)
            record_actions(ctx, item, form)
            names = ", ".join(p.name for p in people) or (group.name if group else "")
            target = f"/people/{people[0].id}" if len(people) == 1 else "/log"
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("who", exc)
    else:
        return redirect(target, f"Logged a {fields['kind'].replace('_', ' ')} with {names}.")
    with unit_of_work(request) as ctx:
        return _page(request, ctx, form, status=form.status)


@router.get("/people-suggest")
def suggest(q: str = "", ctx: Ctx = Depends(read_ctx)) -> JSONResponse:
    """Names matching what has been typed, for the autocomplete list."""
    return JSONResponse(name_suggestions(ctx, q[:100]))
