"""The Sync page: add an address book or calendar, run a sync and read its report, remove one."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.sync.sources import (
    add_source,
    remove_source,
    run_sources,
    source_views,
    store_source_password,
)
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()

KIND_CHOICES = [
    ("carddav", "Address book (CardDAV), both ways"),
    ("caldav", "Calendar (CalDAV), read"),
    ("ics", "Calendar address (.ics), read"),
]


def _page(request: Request, ctx: Ctx, form: Form, status: int = 200, **extra: Any) -> HTMLResponse:
    context = {"sources": source_views(ctx), "form": form, "kinds": KIND_CHOICES, **extra}
    return render(request, "sync.html", context, status=status)


@router.get("/sync")
def sync_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _page(request, ctx, Form(values={"kind": "carddav"}))


@router.post("/sync/sources")
def sync_add(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("name", required="Give the source a short name.")
    url = form.text("url", required="Give the address of the address book or calendar.")
    user = form.text("user")
    password = form.text("password")
    command = form.text("password_command")
    if user and not password and not command:
        form.errors["password"] = "Give the password (kept in the keyring) or a password command."
    me = [a for a in (form.text("me") or "").replace(",", " ").split() if a]
    try:
        with unit_of_work(request) as ctx:
            form.check()
            source = add_source(
                ctx,
                name or "",
                kind=form.values.get("kind", "carddav"),
                url=url or "",
                user=user,
                password_command=command,
                me=me,
                roles_as_categories=form.checked("roles_as_categories"),
            )
            if command is None and password:
                store_source_password(source, password)
            added = source.name
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("url", exc)
    else:
        return redirect("/sync", f"Added the sync source {added}; run it to sync.")
    form.values.pop("password", None)  # never sent back to the browser
    with unit_of_work(request) as ctx:
        return _page(request, ctx, form, status=form.status)


@router.post("/sync/run")
def sync_run(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("source")
    try:
        with unit_of_work(request) as ctx:
            reports = run_sources(ctx, name)
    except UserError as exc:
        with unit_of_work(request) as ctx:
            return _page(request, ctx, Form(), status=400, sync_error=str(exc))
    with unit_of_work(request) as ctx:
        return _page(request, ctx, Form(values={"kind": "carddav"}), reports=reports)


@router.post("/sync/remove")
def sync_remove(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("source") or ""
    if not form.checked("confirm"):
        with unit_of_work(request) as ctx:
            return _page(
                request, ctx, Form(), status=400,
                sync_error=f"Tick the box to remove {name}.",
            )  # fmt: skip
    with unit_of_work(request) as ctx:
        links = remove_source(ctx, name)
    return redirect("/sync", f"Removed {name}: {links} links forgotten; people stay.")


@router.get("/feed/{secret}.ics")
def feed(request: Request, secret: str) -> Response:
    """The private reminder feed a phone calendar subscribes to; any other secret is a 404.

    Reached by its secret alone (a calendar app signs in to nothing), also on a shared server:
    the secret says whose feed it is."""
    from fastapi import HTTPException

    from mentormap.services.sync.feed import feed_owner, feed_text
    from mentormap.services.unit import open_ctx

    db = request.app.state.db
    with open_ctx(db) as lookup:
        owner = feed_owner(lookup, secret)
    if owner is None:
        raise HTTPException(status_code=404)
    with open_ctx(db, owner) as ctx:
        text = feed_text(ctx)
    return Response(
        text,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "private, max-age=900"},
    )
