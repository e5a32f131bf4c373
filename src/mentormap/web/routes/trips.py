"""Trips: yours (and whom to see there) and contacts' visits to your city."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.people.browse import name_suggestions
from mentormap.services.people.resolve import find_person
from mentormap.services.travel.trips import (
    add_trip,
    edit_trip,
    find_trip,
    list_trips,
    plan_trip,
    remove_trip,
)
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()


def _page(request: Request, ctx: Ctx, form: Form, past: bool, status: int = 200) -> HTMLResponse:
    return render(
        request,
        "trips.html",
        {
            "trips": list_trips(ctx, include_past=past),
            "past": past,
            "form": form,
            "names": name_suggestions(ctx, limit=200),
        },
        status=status,
    )


@router.get("/trips")
def trips_page(request: Request, past: bool = False, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _page(request, ctx, Form(), past)


@router.post("/trips")
def trip_add(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    city = form.text("city", required="Name the city.")
    try:
        with unit_of_work(request) as ctx:
            start = form.day("start", ctx.today(), required="Give the first day.")
            end = form.day("end", ctx.today(), required="Give the last day.")
            if start and end and end < start:
                form.errors["end"] = "The last day comes before the first."
            visitor = None
            if form.text("visitor"):
                try:
                    visitor = find_person(ctx, form.values["visitor"])
                except UserError as exc:
                    form.fail("visitor", exc)
            form.check()
            assert start is not None and end is not None
            added = add_trip(ctx, city or "", start, end, person=visitor, note=form.text("note"))
            trip_id = added.trip.id
            where = added.trip.city + (f", {added.trip.country}" if added.trip.country else "")
            others = f" (also called that: {', '.join(added.others)})" if added.others else ""
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("city", exc)
    else:
        target = "/trips" if visitor else f"/trips/{trip_id}"
        return redirect(target, f"Added the trip to {where}{others}.")
    with unit_of_work(request) as ctx:
        return _page(request, ctx, form, past=False, status=form.status)


@router.get("/trips/{trip_id:id}")
def trip_plan(
    request: Request, trip_id: int, radius: float = 50.0, ctx: Ctx = Depends(read_ctx)
) -> HTMLResponse:
    return _plan_page(request, ctx, trip_id, radius)


def _plan_page(
    request: Request, ctx: Ctx, trip_id: int, radius: float = 50.0, form: Form | None = None
) -> HTMLResponse:
    plan = plan_trip(ctx, f"#{trip_id}", radius_km=radius)
    if form is None:
        trip = plan.trip
        values = {"start": trip.start_on.isoformat(), "end": trip.end_on.isoformat()}
        form = Form(values={**values, "note": trip.note or ""})
    status = form.status if form.errors else 200
    return render(request, "trip.html", {"plan": plan, "form": form}, status=status)


@router.post("/trips/{trip_id:id}/edit")
def trip_edit(request: Request, trip_id: int, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            trip = find_trip(ctx, f"#{trip_id}")
            start = form.day("start", ctx.today(), required="Give the first day.")
            end = form.day("end", ctx.today(), required="Give the last day.")
            if start and end and end < start:
                form.errors["end"] = "The last day comes before the first."
            form.check()
            view = edit_trip(ctx, trip, start_on=start, end_on=end, note=form.text("note") or "")
    except FormInvalid:
        with unit_of_work(request) as ctx:
            return _plan_page(request, ctx, trip_id, form=form)
    return redirect(f"/trips/{trip_id}", f"Trip to {view.city}: {view.start_on} to {view.end_on}.")


@router.post("/trips/{trip_id:id}/remove")
def trip_remove(request: Request, trip_id: int, raw: FormData = Depends(posted_form)) -> Response:
    with unit_of_work(request) as ctx:
        view = remove_trip(ctx, find_trip(ctx, f"#{trip_id}"))
    return redirect("/trips", f"Removed the trip to {view.city}.")
