"""Before a conversation: a person's prep brief, and the agenda points parked for her."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.conversations.agenda_points import Target, add_point, drop_point, get_point
from mentormap.services.conversations.prep import person_brief
from mentormap.services.people.resolve import find_person
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()


def _prep_page(
    request: Request, ctx: Ctx, person_id: int, form: Form | None = None, status: int = 200
) -> HTMLResponse:
    person = find_person(ctx, f"#{person_id}")
    brief = person_brief(ctx, person)
    return render(
        request,
        "prep.html",
        {"brief": brief, "person_id": person.id, "form": form or Form()},
        status=status,
    )


@router.get("/people/{person_id:id}/prep")
def prep_page(request: Request, person_id: int, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _prep_page(request, ctx, person_id)


@router.post("/people/{person_id:id}/agenda")
def agenda_add(request: Request, person_id: int, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    text = form.text("text", required="Write the point you want to raise.")
    back = "/people/{}/prep" if form.values.get("back") == "prep" else "/people/{}"
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
        return redirect(back.format(person_id) + "#agenda", f"Parked a point for {name}.")
    with unit_of_work(request) as ctx:
        return _prep_page(request, ctx, person_id, form=form, status=form.status)


@router.post("/people/{person_id:id}/agenda/{point_id:id}/drop")
def agenda_drop(
    request: Request, person_id: int, point_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        person = find_person(ctx, f"#{person_id}")
        point = get_point(ctx, point_id)
        if point.person_id != person.id:
            raise UserError(f"Agenda point #{point_id} is not for {person.name}.")
        drop_point(ctx, point_id)
    back = "prep" if Form.of(raw).values.get("back") == "prep" else ""
    url = f"/people/{person_id}/{back}".rstrip("/")
    return redirect(url + "#agenda", "Dropped the point.")
