"""Your goals and current challenges: add, change, and close as reached or dropped."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.conversations import goals as goal_service
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()

GOAL_KINDS = [("goal", "A goal (where you are heading)"), ("challenge", "A challenge (facing now)")]


def _kind(value: str) -> str:
    from mentormap.errors import InvalidInput

    if value not in goal_service.KINDS:
        raise InvalidInput("Choose a goal or a challenge.")
    return value


def _page(request: Request, ctx: Ctx, form: Form, status: int = 200) -> HTMLResponse:
    goals = goal_service.list_goals(ctx, include_closed=True)
    return render(
        request,
        "goals.html",
        {
            "open_goals": [g for g in goals if g.state == "open"],
            "closed_goals": [g for g in goals if g.state != "open"],
            "form": form,
            "goal_kinds": GOAL_KINDS,
        },
        status=status,
    )


@router.get("/goals")
def goals_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _page(request, ctx, Form(values={"kind": "goal"}))


def _fields(form: Form) -> tuple[str | None, str | None]:
    title = form.text("title", required="Write the goal or challenge in a few words.")
    kind = form.parsed("kind", _kind, required="Choose a goal or a challenge.")
    return title, kind


@router.post("/goals")
def goal_add(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    title, kind = _fields(form)
    try:
        form.check()
        with unit_of_work(request) as ctx:
            goal = goal_service.add_goal(
                ctx,
                title or "",
                kind=kind or "goal",
                top=form.checked("top"),
                note=form.text("note"),
            )
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("title", exc)
    else:
        return redirect("/goals", f"Added {goal.kind} #{goal.id}: {goal.title}")
    with unit_of_work(request) as ctx:
        return _page(request, ctx, form, status=form.status)


def _edit_page(request: Request, goal_id: int, form: Form, status: int = 200) -> HTMLResponse:
    return render(
        request,
        "goal_edit.html",
        {"goal_id": goal_id, "form": form, "goal_kinds": GOAL_KINDS},
        status=status,
    )


@router.get("/goals/{goal_id:id}/edit")
def goal_edit(request: Request, goal_id: int, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    goal = goal_service.get_goal(ctx, goal_id)
    values = {
        "title": goal.title,
        "kind": goal.kind,
        "note": goal.note or "",
        "top": "on" if goal.top else "",
        "state": goal.state,
    }
    return _edit_page(request, goal_id, Form(values=values))


@router.post("/goals/{goal_id:id}/edit")
def goal_update(request: Request, goal_id: int, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    title, kind = _fields(form)
    try:
        form.check()
        with unit_of_work(request) as ctx:
            goal = goal_service.edit_goal(
                ctx,
                goal_id,
                title=title,
                kind=kind,
                top=form.checked("top"),
                note=form.values.get("note", ""),
            )
    except FormInvalid:
        pass
    except UserError as exc:
        if getattr(exc, "status", 400) == 404:
            raise
        form.fail("top" if "top" in str(exc) else "title", exc)
    else:
        return redirect("/goals", f"Saved {goal.kind} #{goal.id}: {goal.title}")
    return _edit_page(request, goal_id, form, status=form.status)


@router.post("/goals/{goal_id:id}/close")
def goal_close(request: Request, goal_id: int, raw: FormData = Depends(posted_form)) -> Response:
    """Reached (or overcome), or dropped: either way it leaves the open list and prep."""
    form = Form.of(raw)
    state = "dropped" if form.values.get("as") == "dropped" else "done"
    with unit_of_work(request) as ctx:
        goal = goal_service.finish_goal(ctx, goal_id, state)
    word = "Dropped" if state == "dropped" else "Reached"
    return redirect("/goals", f"{word}: {goal.title}")


@router.post("/goals/{goal_id:id}/remove")
def goal_remove(request: Request, goal_id: int, raw: FormData = Depends(posted_form)) -> Response:
    """Gone for good, unlike closing: for one added by mistake."""
    with unit_of_work(request) as ctx:
        goal = goal_service.remove_goal(ctx, goal_id)
    return redirect("/goals", f"Removed {goal.kind} #{goal.id}: {goal.title}")
