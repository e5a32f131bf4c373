"""Money: spending on coaches, courses and conferences, added, corrected and removed."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.models import Person
from mentormap.services.context import Ctx
from mentormap.services.money import spend
from mentormap.services.people.resolve import find_person
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()
CATEGORIES = [(c.value, c.value) for c in spend.SpendCategory]


def _list_page(request: Request, ctx: Ctx, form: Form, status: int = 200) -> HTMLResponse:
    from mentormap.services.health.ledger import money
    from mentormap.services.preferences import all_preferences

    area, findings = money(ctx, all_preferences(ctx), ctx.today())
    return render(
        request,
        "spend.html",
        {
            "items": spend.list_spend(ctx),
            "form": form,
            "categories": CATEGORIES,
            "area": area,
            "findings": findings,
        },
        status=status,
    )


def _edit_page(request: Request, spend_id: int, form: Form, status: int = 200) -> HTMLResponse:
    return render(
        request,
        "spend_edit.html",
        {"spend_id": spend_id, "form": form, "categories": CATEGORIES},
        status=status,
    )


class _Fields:
    """The form's fields, each checked on its own so a wrong one is marked where it is."""

    def __init__(self, form: Form, ctx: Ctx) -> None:
        self.amount = form.parsed(
            "amount", lambda v: str(spend.parse_amount(v)), required="How much did you pay?"
        )
        self.currency = form.parsed("currency", spend.parse_currency)
        if self.currency is None and "currency" not in form.errors:
            try:
                self.currency = spend.default_currency(ctx)
            except UserError as exc:
                form.fail("currency", exc)
        self.category = form.parsed("category", spend.parse_category) or "coaching"
        self.on: date | None = form.day("on", ctx.today())
        self.coach: Person | None = form.parsed("coach", lambda v: find_person(ctx, v))
        self.note = form.values.get("note", "")


@router.get("/spend")
def spend_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _list_page(request, ctx, Form(values={"category": "coaching"}))


@router.post("/spend")
def spend_add(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            fields = _Fields(form, ctx)
            form.check()
            view = spend.add_spend(
                ctx,
                fields.amount or "",
                currency=fields.currency,
                on=fields.on,
                coach=fields.coach,
                note=fields.note,
                category=fields.category,
            )
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("amount", exc)
    else:
        return redirect("/spend", f"Recorded {view.amount} {view.currency}.")
    with unit_of_work(request) as ctx:
        return _list_page(request, ctx, form, status=form.status)


@router.get("/spend/{spend_id:id}/edit")
def spend_edit(request: Request, spend_id: int, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    item = spend.view_of(ctx, spend.get_spend(ctx, spend_id))
    values = {
        "amount": str(item.amount),
        "currency": item.currency,
        "category": item.category,
        "on": item.on.isoformat(),
        "coach": item.coach or "",
        "note": item.note or "",
    }
    return _edit_page(request, spend_id, Form(values=values))


@router.post("/spend/{spend_id:id}/edit")
def spend_update(request: Request, spend_id: int, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            expense = spend.get_spend(ctx, spend_id)
            fields = _Fields(form, ctx)
            form.check()
            view = spend.edit_spend(
                ctx,
                expense,
                amount=fields.amount,
                currency=fields.currency,
                on=fields.on,
                coach=fields.coach,
                no_coach=fields.coach is None,
                note=fields.note,
                category=fields.category,
            )
    except FormInvalid:
        return _edit_page(request, spend_id, form, status=form.status)
    return redirect("/spend", f"Saved spending #{view.id}.")


@router.post("/spend/{spend_id:id}/remove")
def spend_remove(request: Request, spend_id: int, raw: FormData = Depends(posted_form)) -> Response:
    with unit_of_work(request) as ctx:
        view = spend.remove_spend(ctx, spend.get_spend(ctx, spend_id))
    return redirect("/spend", f"Removed {view.amount} {view.currency} of {view.on}.")
