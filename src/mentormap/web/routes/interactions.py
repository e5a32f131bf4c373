"""Changing or removing a logged interaction: an edit form, and a delete asked once more on its
own page, so it needs no JavaScript to confirm."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.models import Interaction
from mentormap.services.context import Ctx
from mentormap.services.conversations import interactions as interaction_service
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work
from mentormap.web.routes.log import DIRECTIONS, KINDS, read_log_fields, resolve_people
from mentormap.web.routes.today import back_to

router = APIRouter()


def _home(item: Interaction) -> str:
    """Where to go afterwards: the first participant's timeline, else the Log page."""
    people = sorted(p.person_id for p in item.participants)
    return f"/people/{people[0]}#timeline" if people else "/log"


def _values(ctx: Ctx, item: Interaction) -> dict[str, str]:
    view = interaction_service.views_of(ctx, [item])[0]
    return {
        "kind": item.kind,
        "on": item.occurred_on.isoformat(),
        "direction": item.direction,
        "location": item.location or "",
        "notes": item.notes or "",
        "needs_reply": "on" if item.needs_reply else "",
        "who": ", ".join(view.people),
    }


def _edit_page(
    request: Request, ctx: Ctx, item: Interaction, form: Form, status: int = 200
) -> HTMLResponse:
    view = interaction_service.views_of(ctx, [item])[0]
    return render(
        request,
        "interaction_edit.html",
        {
            "item": view,
            "form": form,
            "kinds": KINDS,
            "directions": DIRECTIONS,
            "back": back_to(form, _home(item)),
        },
        status=status,
    )


@router.get("/interactions/{interaction_id:id}/edit")
def interaction_edit(
    request: Request, interaction_id: int, back: str = "", ctx: Ctx = Depends(read_ctx)
) -> HTMLResponse:
    item = interaction_service.get_interaction(ctx, interaction_id)
    form = Form(values=_values(ctx, item) | {"back": back[:300]})
    return _edit_page(request, ctx, item, form)


@router.post("/interactions/{interaction_id:id}/edit")
def interaction_update(
    request: Request, interaction_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            item = interaction_service.get_interaction(ctx, interaction_id)
            fields = read_log_fields(form, ctx.today())
            people = resolve_people(ctx, form)
            if not people and "who" not in form.errors:
                form.errors["who"] = "Name at least one person who took part."
            form.check()
            interaction_service.edit_interaction(
                ctx,
                item,
                people,
                kind=fields["kind"],
                on=fields["on"],
                direction=fields["direction"],
                notes=fields["notes"],
                location=fields["location"],
                needs_reply=fields["needs_reply"],
            )
            target = back_to(form, _home(item))
    except FormInvalid:
        pass
    except UserError as exc:
        if getattr(exc, "status", 400) == 404:
            raise
        form.fail("kind", exc)
    else:
        return redirect(target, f"Saved the changes to interaction #{interaction_id}.")
    with unit_of_work(request) as ctx:
        item = interaction_service.get_interaction(ctx, interaction_id)
        return _edit_page(request, ctx, item, form, status=form.status)


@router.get("/interactions/{interaction_id:id}/delete")
def interaction_confirm_delete(
    request: Request, interaction_id: int, back: str = "", ctx: Ctx = Depends(read_ctx)
) -> HTMLResponse:
    item = interaction_service.get_interaction(ctx, interaction_id)
    view = interaction_service.views_of(ctx, [item])[0]
    form = Form(values={"back": back[:300]})
    return render(
        request,
        "interaction_delete.html",
        {"item": view, "form": form, "back": back_to(form, _home(item))},
    )


@router.post("/interactions/{interaction_id:id}/delete")
def interaction_delete(
    request: Request, interaction_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    with unit_of_work(request) as ctx:
        item = interaction_service.get_interaction(ctx, interaction_id)
        target = back_to(form, _home(item))
        what = f"the {item.kind.replace('_', ' ')} of {item.occurred_on:%d %b %Y}"
        interaction_service.delete_interaction(ctx, item)
    return redirect(target, f"Deleted {what}.")
