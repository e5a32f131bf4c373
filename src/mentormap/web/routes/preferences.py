"""Your own settings on the web (as `mentormap config`): employer, home city, budget, rates."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.preferences import (
    KNOWN,
    PER_CURRENCY,
    all_preferences,
    check_key,
    set_preference,
    unset_preference,
)
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()


def _page(request: Request, ctx: Ctx, form: Form, status: int = 200) -> HTMLResponse:
    values = all_preferences(ctx)
    rows = [(name, values.get(name), meaning) for name, (meaning, _check) in KNOWN.items()]
    for prefix, (meaning, _check) in PER_CURRENCY.items():
        rows += [(n, v, meaning) for n, v in values.items() if n.startswith(prefix + ".")]
    examples = [f"{prefix}.XXX: {meaning}" for prefix, (meaning, _) in PER_CURRENCY.items()]
    return render(
        request,
        "config.html",
        {"rows": rows, "form": form, "keys": list(KNOWN), "examples": examples},
        status=status,
    )


@router.get("/config")
def settings_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _page(request, ctx, Form())


@router.post("/config")
def settings_set(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    key = form.parsed("key", check_key, required="Choose a setting.")
    value = form.text("value", required="Give a value.")
    try:
        form.check()
        with unit_of_work(request) as ctx:
            stored = set_preference(ctx, key or "", value or "")
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("value", exc)
    else:
        return redirect("/config", f"{key} = {stored}")
    with unit_of_work(request) as ctx:
        return _page(request, ctx, form, status=form.status)


@router.post("/config/{key}/unset")
def settings_unset(request: Request, key: str, raw: FormData = Depends(posted_form)) -> Response:
    with unit_of_work(request) as ctx:
        name = check_key(key)
        removed = unset_preference(ctx, name)
    return redirect("/config", f"{name} cleared." if removed else f"{name} was not set.")
