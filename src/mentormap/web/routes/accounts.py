"""Signing in and out, invitation sign-ups, and the settings page (API tokens, invitations)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import UserError
from mentormap.services.accounts import invitations, login, tokens, users
from mentormap.web.auth import SESSION_COOKIE, owner_of, who
from mentormap.web.forms import Form
from mentormap.web.render import posted_form, redirect, render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a path on this site only (never //host or a scheme)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _signed_in_response(request: Request, key: str, target: str) -> Response:
    response = redirect(safe_next(target))
    response.set_cookie(
        SESSION_COOKIE,
        key,
        path="/",
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
    )
    return response


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    if not request.app.state.multi_user:
        return redirect("/")  # local mode has no accounts
    if who(request) is not None:
        return redirect(safe_next(next))
    form = Form(values={"next": safe_next(next)})
    return render(request, "login.html", {"form": form})


@router.post("/login")
def login_submit(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    if not request.app.state.multi_user:
        return redirect("/")
    form = Form.of(raw)
    email = form.text("email", required="Give your email address.")
    password = raw.get("password")
    password = password if isinstance(password, str) else ""
    if not password:
        form.errors["password"] = "Give your password."
    if form.ok and email:
        address = request.client.host if request.client else "unknown"
        failed: UserError | None = None
        with request.app.state.db.session() as session:  # a failure is recorded, so commit
            try:
                login.end_session(session, request.cookies.get(SESSION_COOKIE))
                signed = login.sign_in(session, email, password, address)
            except (login.WrongPassword, login.TooManyAttempts) as exc:
                failed = exc
        if failed is None:
            return _signed_in_response(request, signed.key, form.values.get("next", "/"))
        form.errors["password"] = str(failed)
        form.status = failed.status  # type: ignore[attr-defined]
    form.values.pop("password", None)
    return render(request, "login.html", {"form": form}, status=form.status)


@router.post("/logout")
def logout(request: Request, _raw: FormData = Depends(posted_form)) -> Response:
    with request.app.state.db.session() as session:
        login.end_session(session, request.cookies.get(SESSION_COOKIE))
    response = redirect("/login", "Signed out.")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/signup/{key}")
def signup_page(request: Request, key: str) -> HTMLResponse:
    if not request.app.state.multi_user:
        raise UserError("Local mode has no accounts to sign up for.")
    with request.app.state.db.session() as session:
        invitations.check_invitation(session, key)
    return render(request, "signup.html", {"form": Form(), "key": key})


@router.post("/signup/{key}")
def signup_submit(request: Request, key: str, raw: FormData = Depends(posted_form)) -> Response:
    if not request.app.state.multi_user:
        raise UserError("Local mode has no accounts to sign up for.")
    form = Form.of(raw)
    email = form.text("email", required="Give your email address.")
    password, again = raw.get("password"), raw.get("password_again")
    if not isinstance(password, str) or not password:
        form.errors["password"] = "Choose a password."
    elif password != again:
        form.errors["password_again"] = "The two passwords differ."
    if form.ok and email and isinstance(password, str):
        try:
            with request.app.state.db.session() as session:
                user = invitations.accept_invitation(session, key, email, password)
                key_ = login.start_session(session, user.id)
        except UserError as exc:
            form.fail("email" if "email" in str(exc) or "user" in str(exc) else "password", exc)
        else:
            return _signed_in_response(request, key_, "/")
    for secret in ("password", "password_again"):
        form.values.pop(secret, None)
    return render(request, "signup.html", {"form": form, "key": key}, status=form.status)


def _settings_page(
    request: Request,
    form: Form | None = None,
    new_token: str | None = None,
    invitation: str | None = None,
    status: int = 200,
) -> HTMLResponse:
    found = who(request)
    with request.app.state.db.session() as session:
        listed = tokens.list_tokens(session, owner_of(request))
        everyone = users.list_users(session) if found and found.user and found.user.admin else []
    values = {
        "tokens": listed,
        "form": form or Form(),
        "new_token": new_token,
        "invitation": invitation,
        "users": everyone,
    }
    return render(request, "settings.html", values, status=status)


@router.get("/settings")
def settings_page(request: Request) -> HTMLResponse:
    return _settings_page(request)


@router.post("/settings/tokens")
def token_create(request: Request, raw: FormData = Depends(posted_form)) -> HTMLResponse:
    form = Form.of(raw)
    name = form.text("name", required="Name the token, e.g. phone shortcut.")
    if not form.ok or name is None:
        return _settings_page(request, form, status=400)
    found = who(request)
    user_id = found.user.id if found and found.user else None
    try:
        with request.app.state.db.session() as session:
            made = tokens.create_token(session, owner_of(request), name, user_id=user_id)
    except UserError as exc:
        form.fail("name", exc)
        return _settings_page(request, form, status=400)
    return _settings_page(request, new_token=made.token)  # shown this once, never stored


@router.post("/settings/tokens/{token_id}/revoke")
def token_revoke(
    request: Request, token_id: int, _raw: FormData = Depends(posted_form)
) -> Response:
    with request.app.state.db.session() as session:
        view = tokens.revoke_token(session, owner_of(request), token_id)
    return redirect("/settings", f"Revoked the token {view.name}.")


@router.post("/settings/invitations")
def invitation_create(request: Request, _raw: FormData = Depends(posted_form)) -> HTMLResponse:
    found = who(request)
    admin = found is not None and found.user is not None and found.user.admin
    if not request.app.state.multi_user or not admin or found is None or found.user is None:
        raise UserError("Only an admin of a shared server can invite people.")
    with request.app.state.db.session() as session:
        key = invitations.create_invitation(session, created_by=found.user.id)
    link = f"{request.base_url}signup/{key}"
    return _settings_page(request, invitation=link)
