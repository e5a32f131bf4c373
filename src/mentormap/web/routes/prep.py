"""Before a conversation: a person's prep brief, and the agenda points parked for her."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import InvalidInput, NotFound, UserError
from mentormap.models import AgendaItem, Person
from mentormap.services.context import Ctx
from mentormap.services.conversations.agenda_points import (
    Target,
    add_point,
    drop_point,
    edit_point,
    get_point,
)
from mentormap.services.conversations.prep import person_brief
from mentormap.services.people.resolve import find_person
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()


def _prep_page(
    request: Request,
    ctx: Ctx,
    person_id: int,
    form: Form | None = None,
    status: int = 200,
    edit_form: Form | None = None,
) -> HTMLResponse:
    person = find_person(ctx, f"#{person_id}")
    brief = person_brief(ctx, person)
    context = {"brief": brief, "person_id": person.id, "form": form or Form()}
    # `for` in the edit form names the point a refused change is about: only it shows it.
    context["agenda_edit"] = edit_form or Form()
    return render(request, "prep.html", context, status=status)


def _her_point(ctx: Ctx, person_id: int, point_id: int) -> tuple[Person, AgendaItem]:
    person = find_person(ctx, f"#{person_id}")
    point = get_point(ctx, point_id)
    if point.person_id != person.id:
        raise UserError(f"Agenda point #{point_id} is not for {person.name}.")
    return person, point


def _back(form: Form, person_id: int) -> str:
    return (
        f"/people/{person_id}/prep" if form.values.get("back") == "prep" else f"/people/{person_id}"
    )


def _place(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise InvalidInput("Write the place as a number, 1 for first.")
    return int(value)


@router.get("/people/{person_id:id}/prep")
def prep_page(request: Request, person_id: int, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _prep_page(request, ctx, person_id)


@router.post("/people/{person_id:id}/agenda")
def agenda_add(request: Request, person_id: int, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    text = form.text("text", required="Write the point you want to raise.")
    try:
        form.check()
        with unit_of_work(request) as ctx:
            person = find_person(ctx, f"#{person_id}")
            add_point(ctx, Target(person=person), text or "")
            name = person.name
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("text", exc)
    else:
        return redirect(_back(form, person_id) + "#agenda", f"Parked a point for {name}.")
    with unit_of_work(request) as ctx:
        return _prep_page(request, ctx, person_id, form=form, status=form.status)


@router.post("/people/{person_id:id}/agenda/{point_id:id}/drop")
def agenda_drop(
    request: Request, person_id: int, point_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        _her_point(ctx, person_id, point_id)
        drop_point(ctx, point_id)
    return redirect(_back(Form.of(raw), person_id) + "#agenda", "Dropped the point.")


@router.post("/people/{person_id:id}/agenda/{point_id:id}/edit")
def agenda_edit(
    request: Request, person_id: int, point_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    """Reword a point or move it to another place (`agenda edit`)."""
    form = Form.of(raw)
    form.values["for"] = str(point_id)
    text = form.text("text", required="Write the point you want to raise.")
    place = form.parsed("place", _place)
    with unit_of_work(request) as ctx:
        _her_point(ctx, person_id, point_id)  # refused as a whole, not next to a field
    try:
        with unit_of_work(request) as ctx:
            form.check()
            item = edit_point(ctx, point_id, text=text, position=place)
            message = f"Changed the point: {item.text}"
    except FormInvalid:
        pass
    except UserError as exc:
        if isinstance(exc, NotFound):
            raise
        form.fail("place" if "Position" in str(exc) else "text", exc)
    else:
        return redirect(_back(form, person_id) + "#agenda", message)
    with unit_of_work(request) as ctx:
        return _prep_page(request, ctx, person_id, status=form.status, edit_form=form)
