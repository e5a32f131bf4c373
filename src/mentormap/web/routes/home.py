"""The front door: send a new user to onboarding, everyone else to the main view."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.people.people import PeopleFilter, count_people
from mentormap.web.forms import Form
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()


def main_view(request: Request) -> str:
    """The page `/` opens: the daily agenda when it exists, else the people list."""
    paths = [path for path, _ in request.app.state.nav]
    return "/today" if "/today" in paths else "/people"


@router.get("/")
def index(request: Request, ctx: Ctx = Depends(read_ctx)) -> Response:
    if count_people(ctx, PeopleFilter(include_archived=True)) == 0:
        return RedirectResponse("/welcome", status_code=303)
    return RedirectResponse(main_view(request), status_code=303)


@router.get("/welcome")
def welcome(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    empty = count_people(ctx, PeopleFilter(include_archived=True)) == 0
    return render(request, "welcome.html", {"empty": empty, "form": Form()})


@router.post("/welcome/demo")
def load_demo(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    from mentormap.services.demo.network import build_demo

    form = Form.of(raw)
    if not form.checked("confirm"):
        form.errors["confirm"] = "Tick the box to confirm: the demo adds invented people."
    if form.ok:
        try:
            with unit_of_work(request) as ctx:
                counts = build_demo(ctx)
        except UserError as exc:
            form.fail("confirm", exc)
        else:
            return redirect(
                main_view(request),
                f"Demo network loaded: {counts['people']} people, "
                f"{counts['interactions']} interactions.",
            )
    with unit_of_work(request) as ctx:
        empty = count_people(ctx, PeopleFilter(include_archived=True)) == 0
    return render(request, "welcome.html", {"empty": empty, "form": form}, status=form.status)
