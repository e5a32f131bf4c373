"""The Mail page: add an IMAP account, run a sync and read its report, accept suggestions."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.mail.accounts import (
    SECURITY,
    account_views,
    add_account,
    forget_account,
    store_password,
)
from mentormap.services.mail.capture import my_addresses
from mentormap.services.mail.imap import sync_accounts
from mentormap.services.mail.suggestions import accept_suggestion, mail_suggestions
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()

SECURITY_CHOICES = [
    ("ssl", "TLS (port 993)"),
    ("starttls", "STARTTLS (port 143)"),
    ("plain", "None: this machine only (127.0.0.1)"),
]
assert tuple(value for value, _ in SECURITY_CHOICES) == SECURITY


def _page(request: Request, ctx: Ctx, form: Form, status: int = 200, **extra: Any) -> HTMLResponse:
    context = {
        "accounts": account_views(ctx),
        "suggestions": mail_suggestions(ctx),
        "me": ", ".join(sorted(my_addresses(ctx))),
        "form": form,
        "security": SECURITY_CHOICES,
        **extra,
    }
    return render(request, "mail.html", context, status=status)


@router.get("/mail")
def mail_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _page(request, ctx, Form(values={"security": "ssl", "folders": "INBOX"}))


@router.post("/mail/accounts")
def mail_add_account(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("name", required="Give the account a short name.")
    host = form.text("host", required="Name the IMAP server.")
    user = form.text("user", required="Give the login name.")
    port = form.parsed("port", _port)
    password = form.text("password")
    command = form.text("password_command")
    if not password and not command:
        form.errors["password"] = "Give the password (kept in the keyring) or a password command."
    folders = [f.strip() for f in (form.text("folders") or "INBOX").split(",") if f.strip()]
    me = [a for a in (form.text("me") or "").replace(",", " ").split() if a]
    try:
        with unit_of_work(request) as ctx:
            form.check()
            account = add_account(
                ctx,
                name or "",
                host=host or "",
                user=user or "",
                port=port,
                folders=folders,
                security=form.values.get("security", "ssl"),
                password_command=command,
                me=me,
            )
            if command is None and password:
                store_password(account.name, account.username, password)
            added = account.name
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("name", exc)
    else:
        return redirect("/mail", f"Added the mail account {added}; sync it to read its mail.")
    form.values.pop("password", None)  # never sent back to the browser
    with unit_of_work(request) as ctx:
        return _page(request, ctx, form, status=form.status)


def _port(value: str) -> int:
    from mentormap.errors import InvalidInput

    if not value.isdigit():
        raise InvalidInput(f"{value!r} is not a port number.")
    return int(value)


@router.post("/mail/sync")
def mail_sync(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("account")
    try:
        with unit_of_work(request) as ctx:
            report = sync_accounts(ctx, name)
    except UserError as exc:
        with unit_of_work(request) as ctx:
            return _page(request, ctx, Form(), status=400, sync_error=str(exc))
    with unit_of_work(request) as ctx:
        return _page(request, ctx, Form(), report=report, synced=name or "every account")


@router.post("/mail/forget")
def mail_forget(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("account") or ""
    if not form.checked("confirm"):
        with unit_of_work(request) as ctx:
            return _page(
                request, ctx, Form(), status=400,
                sync_error=f"Tick the box to forget {name} and everything it brought in.",
            )  # fmt: skip
    with unit_of_work(request) as ctx:
        removed = forget_account(ctx, name)
    return redirect(
        "/mail",
        f"Forgot {name}: {removed.interactions} interactions and {removed.messages} messages.",
    )


@router.post("/mail/suggestions")
def mail_accept(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    with unit_of_work(request) as ctx:
        added = accept_suggestion(ctx, form.values.get("address", ""), form.text("name"))
    return redirect(
        f"/people/{added.person_id}",
        f"Added {added.name}: {added.interactions} emails linked to her.",
    )
