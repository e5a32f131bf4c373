"""Achievements (the brag log) and the highlights email drafted from it."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.conversations.achievements import (
    add_achievement,
    edit_achievement,
    get_achievement,
    list_achievements,
    remove_achievement,
    unshare,
    views_of,
)
from mentormap.services.conversations.highlights import draft_highlights, mark_sent
from mentormap.services.people.browse import name_suggestions
from mentormap.services.people.people import PeopleFilter, list_people
from mentormap.services.people.resolve import find_person
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work
from mentormap.web.routes.today import back_to

router = APIRouter()
# Who usually gets a highlights email: busy people far ahead, and those who advocate for you.
HIGHLIGHT_ROLES = ("visionary", "sponsor", "role_model")


def _page(
    request: Request, ctx: Ctx, form: Form, status: int = 200, share_form: Form | None = None
) -> HTMLResponse:
    recipients = [p for role in HIGHLIGHT_ROLES for p in list_people(ctx, PeopleFilter(role=role))]
    return render(
        request,
        "achievements.html",
        {
            "achievements": list_achievements(ctx),
            "form": form,
            "recipients": list({p.id: p for p in recipients}.values()),
            "names": name_suggestions(ctx, limit=200),
            "share_form": share_form or Form(),  # `for`: the achievement a refusal is about
            "blank_form": Form(),
        },
        status=status,
    )


@router.get("/achievements")
def achievements_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _page(request, ctx, Form(values={"on": ctx.today().isoformat()}))


@router.post("/achievements")
def achievement_add(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    title = form.text("title", required="Say what you achieved.")
    tags = _tags(form)
    try:
        with unit_of_work(request) as ctx:
            on = form.day("on", ctx.today())
            form.check()
            add_achievement(ctx, title or "", on=on, impact=form.text("impact"), tags=tags)
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail(_field_of(exc), exc)
    else:
        return redirect("/achievements", f"Added “{title}”.")
    with unit_of_work(request) as ctx:
        return _page(request, ctx, form, status=form.status)


def _field_of(exc: UserError) -> str:
    """The field a refused achievement is about: its tags, its day, else its title."""
    return "tags" if "tag" in str(exc) else "on" if "future" in str(exc) else "title"


def _tags(form: Form) -> list[str]:
    return [t for t in form.values.get("tags", "").split(",") if t.strip()]


def _edit_page(
    request: Request, ctx: Ctx, achievement_id: int, form: Form | None = None, status: int = 200
) -> HTMLResponse:
    [view] = views_of(ctx, [get_achievement(ctx, achievement_id)])
    if form is None:
        values = {"title": view.title, "on": view.occurred_on.isoformat()}
        values |= {"impact": view.impact or "", "tags": ", ".join(view.tags)}
        form = Form(values=values)
    return render(request, "achievement_edit.html", {"a": view, "form": form}, status=status)


@router.get("/achievements/{achievement_id:id}/edit")
def achievement_edit(
    request: Request, achievement_id: int, ctx: Ctx = Depends(read_ctx)
) -> HTMLResponse:
    return _edit_page(request, ctx, achievement_id)


@router.post("/achievements/{achievement_id:id}/edit")
def achievement_update(
    request: Request, achievement_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    title = form.text("title", required="Say what you achieved.")
    try:
        with unit_of_work(request) as ctx:
            item = get_achievement(ctx, achievement_id)
            on = form.day("on", ctx.today(), required="Give the day it happened.")
            form.check()
            edit_achievement(
                ctx,
                item,
                title=title,
                on=on,
                impact=form.values.get("impact", ""),
                tags=_tags(form),
            )
    except FormInvalid:
        pass
    except UserError as exc:
        if getattr(exc, "status", 400) == 404:
            raise
        form.fail(_field_of(exc), exc)
    else:
        return redirect("/achievements", f"Saved “{title}”.")
    with unit_of_work(request) as ctx:
        return _edit_page(request, ctx, achievement_id, form, status=form.status)


@router.post("/achievements/{achievement_id:id}/remove")
def achievement_remove(
    request: Request, achievement_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        view = remove_achievement(ctx, get_achievement(ctx, achievement_id))
    return redirect("/achievements", f"Removed “{view.title}”.")


@router.post("/achievements/{achievement_id:id}/shares/{person_id:id}/remove")
def achievement_unshare(
    request: Request, achievement_id: int, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    """Take back a share marked by mistake: prep and highlights offer it to her again."""
    with unit_of_work(request) as ctx:
        item = get_achievement(ctx, achievement_id)
        person = find_person(ctx, f"#{person_id}")
        unshare(ctx, item, person)
        message = f"“{item.title}” is no longer marked shared with {person.name}."
    return redirect(back_to(Form.of(raw), "/achievements"), message)


@router.get("/achievements/highlights")
def highlights_page(request: Request, who: str = "", ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    form = Form(values={"who": who})
    draft = None
    person_id = None
    if who.strip():
        try:
            person = find_person(ctx, who)
            person_id = person.id
            draft, _ids = draft_highlights(ctx, person)
        except UserError as exc:
            form.fail("who", exc)
    return render(
        request,
        "highlights.html",
        {
            "form": form,
            "draft": draft,
            "person_id": person_id,
            "names": name_suggestions(ctx, limit=200),
        },
        status=400 if form.errors else 200,
    )


@router.post("/achievements/highlights/sent")
def highlights_sent(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    with unit_of_work(request) as ctx:
        person = find_person(ctx, form.values.get("who", ""))
        draft, ids = draft_highlights(ctx, person)
        mark_sent(ctx, person, draft, ids)
        message = f"Logged the highlights email to {person.name}: {len(ids)} shared."
        person_id = person.id
    return redirect(f"/people/{person_id}#timeline", message)


@router.post("/achievements/{achievement_id:id}/shared")
def achievement_shared(
    request: Request, achievement_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    """You told someone about it yourself: prep stops offering it to her."""
    from mentormap.services.conversations.achievements import share_in_person

    form = Form.of(raw)
    form.values["for"] = str(achievement_id)
    who = form.text("with", required="Whom did you tell?")
    try:
        with unit_of_work(request) as ctx:
            on = form.day("shared_on", ctx.today())
            form.check()
            item = get_achievement(ctx, achievement_id)
            person = find_person(ctx, who or "")
            share_in_person(ctx, item, person, on)
            message = f"Marked “{item.title}” as shared with {person.name}."
    except FormInvalid:
        pass
    except UserError as exc:
        if getattr(exc, "status", 400) == 404 and "achievement" in str(exc).lower():
            raise
        form.fail("with", exc)
    else:
        return redirect("/achievements", message)
    with unit_of_work(request) as ctx:
        return _page(request, ctx, Form(), status=form.status, share_form=form)
