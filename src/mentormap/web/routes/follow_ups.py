"""Changing a follow-up: its wording and its due date (`followup edit` on the web)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.clock import followups
from mentormap.services.context import Ctx
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work
from mentormap.web.routes.today import back_to

router = APIRouter()


def _page(request: Request, follow_up_id: int, form: Form, status: int = 200) -> HTMLResponse:
    return render(
        request,
        "follow_up_edit.html",
        {"follow_up_id": follow_up_id, "form": form, "back": back_to(form, "/today")},
        status=status,
    )


@router.get("/follow-ups/{follow_up_id:id}/edit")
def follow_up_edit(
    request: Request, follow_up_id: int, back: str = "", ctx: Ctx = Depends(read_ctx)
) -> HTMLResponse:
    item = followups.view_of(ctx, followups.get_follow_up(ctx, follow_up_id))
    values = {
        "title": item.title,
        "due": item.due_on.isoformat() if item.due_on else "",
        "back": back[:300],
        "name": item.name or "",
    }
    return _page(request, follow_up_id, Form(values=values))


@router.post("/follow-ups/{follow_up_id:id}/edit")
def follow_up_update(
    request: Request, follow_up_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    title = form.text("title", required="Say what is to be done.")
    try:
        with unit_of_work(request) as ctx:
            due = form.day("due", ctx.today())
            form.check()
            item = followups.edit_follow_up(
                ctx, followups.get_follow_up(ctx, follow_up_id), title=title, due_on=due
            )
            message = f"Saved: {item.title}"
    except FormInvalid:
        pass
    except UserError as exc:
        if getattr(exc, "status", 400) == 404:
            raise
        form.fail("title", exc)
    else:
        return redirect(back_to(form, "/today"), message)
    return _page(request, follow_up_id, form, status=form.status)
