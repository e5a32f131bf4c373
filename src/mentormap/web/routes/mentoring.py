"""The mentor's side: office hours (and a page to print), failure stories, and each mentee's
goals, achievements and the opportunities passed on to her."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.domain.practice import DAY_NAMES
from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.people.people import PeopleFilter, list_people
from mentormap.services.people.resolve import find_person
from mentormap.services.practice import mentoring as service
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()
DAYS = [(name.lower()[:3], name) for name in DAY_NAMES]


def _page(
    request: Request, ctx: Ctx, forms: dict[str, Form] | None = None, status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "mentoring.html",
        {
            "hours": service.list_office_hours(ctx),
            "stories": service.list_stories(ctx),
            "mentees": list_people(ctx, PeopleFilter(role="mentee")),
            "forms": forms or {},
            "blank": Form(),
            "days": DAYS,
            "zone": str(ctx.settings.timezone),
        },
        status=status,
    )


@router.get("/mentoring")
def mentoring_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _page(request, ctx)


@router.get("/mentoring/office-hours")
def office_hours_print(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return render(
        request,
        "office_hours.html",
        {"hours": service.list_office_hours(ctx), "zone": str(ctx.settings.timezone)},
    )


def _hour_field(exc: UserError) -> str:
    return "day" if str(exc).startswith("Unknown day") else "hours"


@router.post("/mentoring/office-hours")
def office_hours_add(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            hour = service.hour_view(
                service.add_office_hour(
                    ctx,
                    form.values.get("day", ""),
                    form.values.get("hours", ""),
                    form.text("note"),
                )
            )
    except UserError as exc:
        form.fail(_hour_field(exc), exc)
        with unit_of_work(request) as ctx:
            return _page(request, ctx, {"hour": form}, status=form.status)
    return redirect("/mentoring", f"Office hours added: {hour.label}.")


@router.post("/mentoring/office-hours/{hour_id:id}")
def office_hours_edit(
    request: Request, hour_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            hour = service.edit_office_hour(
                ctx,
                service.get_office_hour(ctx, hour_id),
                day=form.text("day"),
                span=form.text("hours"),
                note=form.values.get("note", ""),
            )
            label = service.hour_view(hour).label
    except UserError as exc:
        with unit_of_work(request) as ctx:
            service.get_office_hour(ctx, hour_id)  # an unknown id is a 404
            form.fail(_hour_field(exc), exc)
            return _page(request, ctx, {f"hour-{hour_id}": form}, status=form.status)
    return redirect("/mentoring", f"Office hours changed: {label}.")


@router.post("/mentoring/office-hours/{hour_id:id}/remove")
def office_hours_remove(
    request: Request, hour_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        label = service.remove_office_hour(ctx, service.get_office_hour(ctx, hour_id))
    return redirect("/mentoring", f"Office hours removed: {label}.")


@router.post("/mentoring/stories")
def story_add(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            service.add_story(ctx, form.values.get("text", ""), form.text("lesson"))
    except UserError as exc:
        form.fail("text", exc)
        with unit_of_work(request) as ctx:
            return _page(request, ctx, {"story": form}, status=form.status)
    return redirect("/mentoring#stories", "Story kept.")


@router.post("/mentoring/stories/{story_id:id}")
def story_edit(request: Request, story_id: int, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            service.edit_story(
                ctx,
                service.get_story(ctx, story_id),
                text=form.values.get("text", ""),
                lesson=form.values.get("lesson", ""),
            )
    except UserError as exc:
        with unit_of_work(request) as ctx:
            service.get_story(ctx, story_id)
            form.fail("text", exc)
            return _page(request, ctx, {f"story-{story_id}": form}, status=form.status)
    return redirect("/mentoring#stories", "Story changed.")


@router.post("/mentoring/stories/{story_id:id}/remove")
def story_remove(request: Request, story_id: int, raw: FormData = Depends(posted_form)) -> Response:
    with unit_of_work(request) as ctx:
        service.remove_story(ctx, service.get_story(ctx, story_id))
    return redirect("/mentoring#stories", "Story removed.")


def _mentee_page(
    request: Request, ctx: Ctx, person_id: int, forms: dict[str, Form], status: int = 200
) -> HTMLResponse:
    view = service.mentee_view(ctx, find_person(ctx, f"#{person_id}"))
    return render(
        request,
        "mentee.html",
        {"m": view, "forms": forms, "blank": Form(values={"kind": "achievement"})},
        status=status,
    )


@router.get("/mentoring/mentees/{person_id:id}")
def mentee_page(request: Request, person_id: int, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _mentee_page(request, ctx, person_id, {})


@router.post("/mentoring/mentees/{person_id:id}/notes")
def mentee_note_add(
    request: Request, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            person = find_person(ctx, f"#{person_id}")
            on = form.day("on", ctx.today())
            form.check()
            service.add_mentee_note(
                ctx, person, form.values.get("kind", ""), form.values.get("text", ""), on
            )
    except UserError as exc:
        form.fail("kind" if "kind" in str(exc) else "on" if "yet" in str(exc) else "text", exc)
    except FormInvalid:
        pass  # a bad date, already next to its field
    else:
        return redirect(f"/mentoring/mentees/{person_id}", "Noted.")
    with unit_of_work(request) as ctx:
        return _mentee_page(request, ctx, person_id, {"add": form}, status=form.status)


@router.post("/mentoring/notes/{note_id:id}")
def mentee_note_edit(
    request: Request, note_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    with unit_of_work(request) as ctx:
        note = service.get_mentee_note(ctx, note_id)
        person_id = note.person_id
    try:
        with unit_of_work(request) as ctx:
            note = service.get_mentee_note(ctx, note_id)
            on = form.day("on", ctx.today())
            form.check()
            service.edit_mentee_note(ctx, note, text=form.values.get("text", ""), on=on)
    except UserError as exc:
        form.fail("text", exc)
    except FormInvalid:
        pass  # a bad date, already next to its field
    else:
        return redirect(f"/mentoring/mentees/{person_id}", "Changed.")
    with unit_of_work(request) as ctx:
        return _mentee_page(request, ctx, person_id, {f"note-{note_id}": form}, form.status)


@router.post("/mentoring/notes/{note_id:id}/remove")
def mentee_note_remove(
    request: Request, note_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        note = service.get_mentee_note(ctx, note_id)
        person_id = note.person_id
        service.remove_mentee_note(ctx, note)
    return redirect(f"/mentoring/mentees/{person_id}", "Removed.")
