"""Their lives: news (life events) added, changed and removed from a person's page."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.domain.lives import LifeEventKind, parse_life_event_kind
from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.people import lives
from mentormap.services.people.resolve import find_person
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()
KINDS = [(k.value, k.value.replace("_", " ")) for k in LifeEventKind]


def _page(
    request: Request, form: Form, *, heading: str, action: str, person_id: int, status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "life_event.html",
        {
            "form": form,
            "heading": heading,
            "action": action,
            "person_id": person_id,
            "kinds": KINDS,
        },
        status=status,
    )


def _read(form: Form, ctx: Ctx) -> tuple[str, str, date | None]:
    """(text, kind, day) of the form, each bad field marked; check the form before use."""
    text = form.text("text", required="Say what happened.")
    kind = form.parsed("kind", lambda v: parse_life_event_kind(v).value)
    on = form.day("on", ctx.today())
    return text or "", kind or "other", on


@router.post("/people/{person_id:id}/life-events")
def life_event_add(
    request: Request, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            person = find_person(ctx, f"#{person_id}")
            text, kind, on = _read(form, ctx)
            form.check()
            view = lives.add_life_event(ctx, person, text, on=on, kind=kind)
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("text", exc)
    else:
        return redirect(f"/people/{person_id}#life-events", f"Noted {view.name}'s news.")
    return _page(
        request,
        form,
        heading="Add news",
        action=f"/people/{person_id}/life-events",
        person_id=person_id,
        status=form.status,
    )


@router.get("/life-events/{event_id:id}/edit")
def life_event_edit(request: Request, event_id: int, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    event = lives.get_life_event(ctx, event_id)
    values = {
        "text": event.text,
        "on": event.occurred_on.isoformat() if event.occurred_on else "",
        "kind": event.kind,
    }
    return _page(
        request,
        Form(values=values),
        heading=f"Edit news of {event.person.name}",
        action=f"/life-events/{event_id}/edit",
        person_id=event.person_id,
    )


@router.post("/life-events/{event_id:id}/edit")
def life_event_update(
    request: Request, event_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    person_id = 0
    try:
        with unit_of_work(request) as ctx:
            event = lives.get_life_event(ctx, event_id)
            person_id = event.person_id
            text, kind, on = _read(form, ctx)
            form.check()
            view = lives.edit_life_event(ctx, event, text=text, kind=kind, on=on)
    except FormInvalid:
        pass
    except UserError as exc:
        if not person_id:
            raise
        form.fail("text", exc)
    else:
        return redirect(f"/people/{view.person_id}#life-events", f"Saved {view.name}'s news.")
    return _page(
        request,
        form,
        heading="Edit news",
        action=f"/life-events/{event_id}/edit",
        person_id=person_id,
        status=form.status,
    )


@router.post("/life-events/{event_id:id}/remove")
def life_event_remove(
    request: Request, event_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        view = lives.remove_life_event(ctx, lives.get_life_event(ctx, event_id))
    return redirect(f"/people/{view.person_id}#life-events", f"Removed: {view.text}")
