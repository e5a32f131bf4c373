"""Peer mentoring groups: the list, one group's members, adding and removing members, and
changing, archiving or deleting a group."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import NotFound, UserError
from mentormap.models import Group, Person
from mentormap.services.context import Ctx
from mentormap.services.conversations.group_sessions import SessionPlan, log_session, plan
from mentormap.services.people.browse import get_group, name_suggestions, warmth_by_person
from mentormap.services.people.groups import (
    add_member,
    create_group,
    current_members,
    delete_group,
    edit_group,
    list_groups,
)
from mentormap.services.people.groups import remove_member as remove_member_service
from mentormap.services.people.people import summaries
from mentormap.services.people.resolve import find_person
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()


def _group(ctx: Ctx, group_id: int) -> Group:
    return get_group(ctx, group_id)


def _list_page(request: Request, ctx: Ctx, form: Form, status: int = 200) -> HTMLResponse:
    groups = list_groups(ctx, include_archived=True)
    context = {
        "groups": [g for g in groups if not g.archived],
        "archived": [g for g in groups if g.archived],
        "form": form,
    }
    return render(request, "groups.html", context, status)


@router.get("/groups")
def groups_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _list_page(request, ctx, Form(values={"cadence": "30d", "minutes": "60"}))


@router.post("/groups")
def group_create(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("name", required="A group needs a name.")
    cadence = form.days("cadence") or 30
    minutes = form.parsed("minutes", _minutes) or 60
    try:
        form.check()
        with unit_of_work(request) as ctx:
            group = create_group(ctx, name or "", cadence_days=cadence, session_minutes=minutes)
            group_id, group_name = group.id, group.name
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("name", exc)
    else:
        return redirect(f"/groups/{group_id}", f"Created {group_name}.")
    with unit_of_work(request) as ctx:
        return _list_page(request, ctx, form, status=form.status)


def _minutes(value: str) -> int:
    from mentormap.errors import InvalidInput

    if not value.isdigit() or not 5 <= int(value) <= 600:
        raise InvalidInput("Write the session length in minutes, between 5 and 600.")
    return int(value)


def _session_plan(
    ctx: Ctx, group: Group, members: list[Person], choice: SessionChoice
) -> tuple[SessionPlan | None, str | None]:
    """The time boxes for who is present (default everyone), or why there is no fair plan."""
    by_id = {m.id: m for m in members}
    present = [by_id[i] for i in choice.present if i in by_id]
    pressing = [by_id[i] for i in choice.pressing if i in by_id]
    if not members:
        return None, None
    try:
        found = plan(
            ctx,
            group,
            minutes=choice.minutes,
            present=present,
            pressing=pressing,
            with_me=choice.with_me,
            me_pressing=choice.me_pressing,
        )
        return found, None
    except UserError as exc:
        return None, str(exc)


@dataclass
class SessionChoice:
    present: list[int] = field(default_factory=list)
    pressing: list[int] = field(default_factory=list)
    minutes: int | None = None
    with_me: bool = False  # the user takes a share of the time too
    me_pressing: bool = False


def _group_page(
    request: Request,
    ctx: Ctx,
    group_id: int,
    form: Form | None = None,
    status: int = 200,
    choice: SessionChoice | None = None,
    edit_form: Form | None = None,
) -> HTMLResponse:
    group = _group(ctx, group_id)
    if edit_form is None:
        values = {"name": group.name, "cadence": f"{group.cadence_days}d"}
        values |= {"minutes": str(group.session_minutes), "note": group.note or ""}
        edit_form = Form(values=values | ({"archived": "on"} if group.archived else {}))
    members = current_members(ctx, group)
    choice = choice or SessionChoice()
    session_plan, plan_error = _session_plan(ctx, group, members, choice)
    view = next(g for g in list_groups(ctx) if g.id == group.id) if not group.archived else None
    return render(
        request,
        "group.html",
        {
            "group": group,
            "view": view,
            "members": summaries(ctx, members, with_standing=False),
            "warmth": warmth_by_person(ctx, [m.id for m in members]),
            "form": form or Form(),
            "names": name_suggestions(ctx, limit=200),
            "plan": session_plan,
            "plan_error": plan_error,
            "choice": choice,
            "edit_form": edit_form,
        },
        status=status,
    )


@router.get("/groups/{group_id:id}")
def group_page(
    request: Request,
    group_id: int,
    present: list[int] = Query(default=[]),
    pressing: list[int] = Query(default=[]),
    minutes: int | None = Query(default=None, ge=5, le=600),
    me: bool = Query(default=False),
    me_pressing: bool = Query(default=False),
    ctx: Ctx = Depends(read_ctx),
) -> HTMLResponse:
    choice = SessionChoice(
        present=present, pressing=pressing, minutes=minutes, with_me=me, me_pressing=me_pressing
    )
    return _group_page(request, ctx, group_id, choice=choice)


@router.post("/groups/{group_id:id}/session")
def group_log_session(
    request: Request, group_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    """Log the planned session with those present; the schedule goes into the notes."""
    form = Form.of(raw)
    ids = [int(v) for v in raw.getlist("present") if isinstance(v, str) and v.isdigit()]
    pressing = [int(v) for v in raw.getlist("pressing") if isinstance(v, str) and v.isdigit()]
    minutes = form.parsed("minutes", _minutes)
    if "minutes" in form.errors:  # shown above the session plan, where the length is chosen
        form.errors["session"] = form.errors.pop("minutes")
    choice = SessionChoice(
        present=ids,
        pressing=pressing,
        minutes=minutes,
        with_me=form.checked("me"),
        me_pressing=form.checked("me_pressing"),
    )
    try:
        with unit_of_work(request) as ctx:
            group = _group(ctx, group_id)
            members = current_members(ctx, group)
            session_plan, plan_error = _session_plan(ctx, group, members, choice)
            if session_plan is None:
                form.errors["session"] = plan_error or "The group has no members yet."
            form.check()
            assert session_plan is not None
            present = [m for m in members if m.id in set(ids)] if ids else members
            log_session(ctx, group, session_plan, present, notes=form.text("notes"))
            message = f"Logged the session of {group.name} with {len(present)} present."
    except FormInvalid:
        pass
    except UserError as exc:
        if isinstance(exc, NotFound):
            raise
        form.fail("session", exc)
    else:
        return redirect(f"/groups/{group_id}", message)
    with unit_of_work(request) as ctx:
        return _group_page(request, ctx, group_id, form=form, status=form.status, choice=choice)


@router.post("/groups/{group_id:id}/members")
def group_add_member(
    request: Request, group_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    who = form.text("who", required="Name the person to add.")
    try:
        form.check()
        with unit_of_work(request) as ctx:
            group = _group(ctx, group_id)
            person = find_person(ctx, who or "")
            add_member(ctx, group, person)
            message = f"Added {person.name} to {group.name}."
    except FormInvalid:
        pass
    except UserError as exc:
        if isinstance(exc, NotFound) and "group" in str(exc):
            raise
        form.errors["who"] = str(exc)
    else:
        return redirect(f"/groups/{group_id}", message)
    with unit_of_work(request) as ctx:
        return _group_page(request, ctx, group_id, form=form, status=form.status)


@router.post("/groups/{group_id:id}/members/{person_id:id}/remove")
def group_remove_member(
    request: Request, group_id: int, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        group = _group(ctx, group_id)
        person = find_person(ctx, f"#{person_id}")
        remove_member_service(ctx, group, person)
        message = f"{person.name} has left {group.name}."
    return redirect(f"/groups/{group_id}", message)


@router.post("/groups/{group_id:id}/edit")
def group_edit(request: Request, group_id: int, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("name", required="A group needs a name.")
    cadence = form.days("cadence")
    minutes = form.parsed("minutes", _minutes)
    try:
        with unit_of_work(request) as ctx:
            group = _group(ctx, group_id)
            form.check()
            edit_group(
                ctx,
                group,
                name=name,
                cadence_days=cadence,
                session_minutes=minutes,
                note=form.values.get("note", ""),
                archived=form.checked("archived"),
            )
            message = f"Saved {group.name}" + (" (archived)." if group.archived else ".")
    except FormInvalid:
        pass
    except UserError as exc:
        if isinstance(exc, NotFound):
            raise
        form.fail("cadence" if "adence" in str(exc) else "name", exc)
    else:
        return redirect(f"/groups/{group_id}", message)
    with unit_of_work(request) as ctx:
        return _group_page(request, ctx, group_id, status=form.status, edit_form=form)


@router.post("/groups/{group_id:id}/delete")
def group_delete(request: Request, group_id: int, raw: FormData = Depends(posted_form)) -> Response:
    """Its past sessions stay as conversations; memberships and its own points go."""
    with unit_of_work(request) as ctx:
        gone = delete_group(ctx, _group(ctx, group_id))
    return redirect(
        "/groups",
        f"Deleted {gone.name}; its {gone.sessions} past session(s) stay in the timelines "
        "of those who came.",
    )
