"""Opportunities: the list, adding one, changing or removing it, and passing it to a mentee."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.domain.practice import OpportunityKind, OpportunityStatus
from mentormap.errors import UserError
from mentormap.models import Person
from mentormap.services.context import Ctx
from mentormap.services.people.browse import name_suggestions
from mentormap.services.people.people import PeopleFilter, list_people
from mentormap.services.people.resolve import find_person
from mentormap.services.practice import opportunities as service
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()
KINDS = [
    (k.value, k.value.upper() if k == OpportunityKind.CFP else k.value) for k in OpportunityKind
]
STATUSES = [(s.value, s.value) for s in OpportunityStatus]


def _list_page(request: Request, ctx: Ctx, form: Form, status: int = 200) -> HTMLResponse:
    return render(
        request,
        "opportunities.html",
        {
            "opportunities": service.list_opportunities(ctx),
            "form": form,
            "kinds": KINDS,
            "statuses": STATUSES,
            "names": name_suggestions(ctx, limit=200),
        },
        status=status,
    )


def _person(ctx: Ctx, form: Form, name: str) -> Person | None:
    if not form.text(name):
        return None
    try:
        return find_person(ctx, form.values[name])
    except UserError as exc:
        form.fail(name, exc)
        return None


def _field_of(exc: UserError) -> str:
    text = str(exc)
    if "status" in text:
        return "status"
    if "kind" in text:
        return "kind"
    if "web address" in text:
        return "url"
    return "title"


@router.get("/opportunities")
def opportunities_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _list_page(request, ctx, Form(values={"kind": "cfp", "status": "considering"}))


@router.post("/opportunities")
def opportunity_add(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    title = form.text("title", required="Name the opportunity.")
    try:
        with unit_of_work(request) as ctx:
            deadline = form.day("deadline", ctx.today())
            person = _person(ctx, form, "from")
            form.check()
            added = service.add_opportunity(
                ctx,
                title or "",
                kind=form.values.get("kind", "cfp"),
                brought_by=person,
                deadline=deadline,
                status=form.values.get("status") or "considering",
                url=form.text("url"),
                note=form.text("note"),
            )
            added_id = added.id
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail(_field_of(exc), exc)
    else:
        return redirect(f"/opportunities/{added_id}", f"Added “{title}”.")
    with unit_of_work(request) as ctx:
        return _list_page(request, ctx, form, status=form.status)


def _detail_page(
    request: Request, ctx: Ctx, opportunity_id: int, forms: dict[str, Form], status: int = 200
) -> HTMLResponse:
    view = service.view_of(ctx, service.get_opportunity(ctx, opportunity_id))
    values = {
        "title": view.title,
        "kind": view.kind,
        "status": view.status,
        "deadline": view.deadline.isoformat() if view.deadline else "",
        "from": view.from_name or "",
        "url": view.url or "",
        "note": view.note or "",
    }
    return render(
        request,
        "opportunity.html",
        {
            "o": view,
            "edit": forms.get("edit") or Form(values=values),
            "pass_form": forms.get("pass") or Form(),
            "kinds": KINDS,
            "statuses": STATUSES,
            "mentees": list_people(ctx, PeopleFilter(role="mentee")),
            "passes": service.passes_of(ctx, opportunity_id),
            "names": name_suggestions(ctx, limit=200),
        },
        status=status,
    )


@router.get("/opportunities/{opportunity_id:id}")
def opportunity_page(
    request: Request, opportunity_id: int, ctx: Ctx = Depends(read_ctx)
) -> HTMLResponse:
    return _detail_page(request, ctx, opportunity_id, {})


@router.post("/opportunities/{opportunity_id:id}")
def opportunity_update(
    request: Request, opportunity_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    title = form.text("title", required="Name the opportunity.")
    try:
        with unit_of_work(request) as ctx:
            opportunity = service.get_opportunity(ctx, opportunity_id)
            deadline = form.day("deadline", ctx.today())
            person = _person(ctx, form, "from")
            form.check()
            updated = service.update_opportunity(
                ctx,
                opportunity,
                status=form.values.get("status") or None,
                title=title,
                kind=form.values.get("kind") or None,
                deadline=deadline,
                brought_by=person,
                note=form.values.get("note", ""),
                url=form.values.get("url", ""),
            )
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail(_field_of(exc), exc)
    else:
        message = f"Saved “{updated.view.title}” ({updated.view.status})."
        if updated.thank_you is not None:
            message += f" Follow-up: {updated.thank_you.title}."
        return redirect(f"/opportunities/{opportunity_id}", message)
    with unit_of_work(request) as ctx:
        return _detail_page(request, ctx, opportunity_id, {"edit": form}, status=form.status)


@router.post("/opportunities/{opportunity_id:id}/pass")
def opportunity_pass(
    request: Request, opportunity_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    form.text("to", required="Name the mentee you point at it.")
    try:
        with unit_of_work(request) as ctx:
            opportunity = service.get_opportunity(ctx, opportunity_id)
            mentee = _person(ctx, form, "to")
            form.check()
            assert mentee is not None
            service.pass_on(ctx, opportunity, mentee, form.text("note"))
            name = mentee.name
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("to", exc)
    else:
        return redirect(f"/opportunities/{opportunity_id}", f"Passed on to {name}.")
    with unit_of_work(request) as ctx:
        return _detail_page(request, ctx, opportunity_id, {"pass": form}, status=form.status)


@router.post("/opportunities/{opportunity_id:id}/unpass/{person_id:id}")
def opportunity_unpass(
    request: Request, opportunity_id: int, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        mentee = find_person(ctx, f"#{person_id}")
        service.unpass(ctx, service.get_opportunity(ctx, opportunity_id), mentee)
        name = mentee.name
    return redirect(f"/opportunities/{opportunity_id}", f"No longer passed on to {name}.")


@router.post("/opportunities/{opportunity_id:id}/remove")
def opportunity_remove(
    request: Request, opportunity_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        title = service.remove_opportunity(ctx, service.get_opportunity(ctx, opportunity_id))
    return redirect("/opportunities", f"Removed “{title}”.")
