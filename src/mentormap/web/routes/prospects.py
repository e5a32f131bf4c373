"""The prospects board: a column per stage, moved with plain forms (no script needed)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.domain.practice import STAGE_LABEL, ProspectAs, ProspectStage
from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.people.browse import name_suggestions
from mentormap.services.practice.prospects import (
    add_prospect,
    drop_prospect,
    edit_prospect,
    get_prospect,
    list_prospects,
    move_prospect,
)
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()
AS_CHOICES = [(k.value, k.value.replace("_", " ")) for k in ProspectAs]
STAGE_CHOICES = [(s.value, STAGE_LABEL[s]) for s in ProspectStage]


def _page(
    request: Request, ctx: Ctx, forms: dict[str, Form] | None = None, status: int = 200
) -> HTMLResponse:
    views = list_prospects(ctx)
    columns = [
        (s.value, STAGE_LABEL[s], [v for v in views if v.stage == s.value]) for s in ProspectStage
    ]
    return render(
        request,
        "prospects.html",
        {
            "columns": columns,
            "forms": forms or {},
            "blank": Form(),
            "as_choices": AS_CHOICES,
            "stage_choices": STAGE_CHOICES,
            "names": name_suggestions(ctx, limit=200),
        },
        status=status,
    )


@router.get("/prospects")
def prospects_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _page(request, ctx)


@router.post("/prospects")
def prospect_add(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("name", required="Name her: someone in your network, or a new name.")
    as_ = form.text("as", required="Say what she could become.")
    try:
        form.check()
        with unit_of_work(request) as ctx:
            added = add_prospect(ctx, name or "", as_ or "", why=form.text("why"))
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("as" if "kind" in str(exc) else "name", exc)
    else:
        new = " (new to your network)" if added.created_person else ""
        return redirect("/prospects", f"{added.view.name}{new} is now a prospect.")
    with unit_of_work(request) as ctx:
        return _page(request, ctx, {"add": form}, status=form.status)


@router.post("/prospects/{prospect_id:id}/move")
def prospect_move(
    request: Request, prospect_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            moved = move_prospect(ctx, get_prospect(ctx, prospect_id), form.values.get("stage", ""))
    except UserError as exc:
        form.fail("stage", exc)
        with unit_of_work(request) as ctx:
            get_prospect(ctx, prospect_id)  # an unknown id is a 404, not a form error
            return _page(request, ctx, {f"move-{prospect_id}": form}, status=form.status)
    role = f" She is now your {moved.role.key.replace('_', ' ')}." if moved.role else ""
    return redirect("/prospects", f"{moved.view.name}: {moved.view.stage_label.lower()}.{role}")


@router.post("/prospects/{prospect_id:id}/edit")
def prospect_edit(
    request: Request, prospect_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            view = edit_prospect(
                ctx,
                get_prospect(ctx, prospect_id),
                as_=form.text("as") or None,
                why=form.values.get("why", ""),
            )
    except UserError as exc:
        form.fail("as", exc)
        with unit_of_work(request) as ctx:
            get_prospect(ctx, prospect_id)
            return _page(request, ctx, {f"edit-{prospect_id}": form}, status=form.status)
    return redirect("/prospects", f"Changed {view.name}.")


@router.post("/prospects/{prospect_id:id}/drop")
def prospect_drop(
    request: Request, prospect_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        name = drop_prospect(ctx, get_prospect(ctx, prospect_id))
    return redirect("/prospects", f"{name} is no longer a prospect.")
