"""Templates, flash messages, redirects and the CSRF check every route shares."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from markupsafe import Markup
from sqlalchemy.exc import OperationalError
from starlette.datastructures import FormData

from mentormap.domain.links import is_safe_link
from mentormap.domain.lives import LifeEventKind, birthday_text
from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.unit import open_ctx
from mentormap.web import csrf
from mentormap.web.auth import owner_of, who
from mentormap.web.markdown import render_markdown
from mentormap.web.response_cache import CTXS

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"
FLASH_COOKIE = "mm_flash"

# Pages in the top navigation: (path prefix, label). Features add themselves as they land.
NAV: list[tuple[str, str]] = [
    ("/today", "Today"),
    ("/people", "People"),
    ("/log", "Log"),
    ("/groups", "Groups"),
    ("/achievements", "Achievements"),
    ("/goals", "Goals"),
    ("/trips", "Trips"),
    ("/prospects", "Prospects"),
    ("/opportunities", "Opportunities"),
    ("/mentoring", "Mentoring"),
    ("/health", "Health"),
    ("/spend", "Money"),
    ("/who", "Who can help?"),
    ("/mail", "Mail"),
    ("/sync", "Sync"),
    ("/import", "Import & export"),
]

WARMTH_HELP = {
    "warm": "in touch: inside her cadence",
    "cooling": "due: past her cadence",
    "cold": "drifting: several catch-ups missed",
    "dormant": "dormant: worth reviving on purpose",
    None: "no clock: she reaches out, or you hire per task",
}


def make_templates() -> Jinja2Templates:
    from mentormap.services.people.browse import role_label

    templates = Jinja2Templates(directory=str(TEMPLATES))
    env = templates.env
    env.filters["markdown"] = render_markdown
    env.filters["role_label"] = role_label
    env.filters["nice_date"] = nice_date
    env.filters["birthday"] = birthday_text
    env.globals["life_event_kinds"] = [k.value for k in LifeEventKind]
    env.filters["ago"] = ago
    env.globals["WARMTH_HELP"] = WARMTH_HELP
    env.globals["csrf_field"] = csrf_field
    env.tests["safe_link"] = is_safe_link
    return templates


def nice_date(value: date | None, empty: str = "—") -> str:
    if value is None:
        return empty
    return f"{value.day} {value:%b %Y}"


def ago(value: date | None, today: date) -> str:
    if value is None:
        return "never"
    days = (today - value).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 60:
        return f"{days} days ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def csrf_field(request: Request) -> Markup:
    token = request.app.state.csrf.token_for(request.state.csrf_nonce)
    return Markup(f'<input type="hidden" name="{csrf.FIELD}" value="{token}">')


def csrf_ok(request: Request, form: Any) -> bool:
    token = form.get(csrf.FIELD)
    return bool(request.app.state.csrf.valid(request.cookies.get(csrf.COOKIE), token))


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    flash = request.cookies.get(FLASH_COOKIE)
    values = {
        "nav": request.app.state.nav,
        "path": request.url.path,
        "flash": unquote(flash) if flash else None,
        "today": request.app.state.settings.today(),
        "signed_in": who(request),
        "multi_user": request.app.state.multi_user,
        **(context or {}),
    }
    response = request.app.state.templates.TemplateResponse(
        request, template, values, status_code=status
    )
    if flash:
        response.delete_cookie(FLASH_COOKIE, path="/")
    return response


def redirect(url: str, flash: str | None = None) -> RedirectResponse:
    """Post/redirect/get: 303 to a page, carrying a one-time message."""
    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(FLASH_COOKIE, quote(flash), path="/", httponly=True, samesite="strict")
    return response


def forbidden(request: Request) -> HTMLResponse:
    return render(
        request,
        "error.html",
        {
            "title": "Form expired",
            "message": "This form has expired or did not come from mentormap. "
            "Go back, reload the page and send it again.",
        },
        status=403,
    )


class FormRefused(Exception):
    """A form post without a valid CSRF token; the app answers it with `forbidden`."""


async def posted_form(request: Request) -> FormData:
    """FastAPI dependency: the submitted form, once its CSRF token has been checked.

    Reading the body is the only part of a post that needs the event loop, so the handlers
    themselves are plain functions that FastAPI runs in its thread pool: a handler waiting on
    the database then holds up no one else.
    """
    raw = await request.form()
    if not csrf_ok(request, raw):
        raise FormRefused
    return raw


class DatabaseBusy(UserError):
    """Another program (a `mentormap` command) is writing; the post can simply be sent again."""

    status = 503


def is_busy(exc: OperationalError) -> bool:
    text = str(exc.orig).lower()
    return "locked" in text or "busy" in text


@contextmanager
def _busy_is_a_user_error() -> Iterator[None]:
    try:
        yield
    except OperationalError as exc:
        if not is_busy(exc):
            raise
        raise DatabaseBusy(
            "The database is busy: another mentormap command is writing to it. "
            "Nothing was saved; send this again in a moment."
        ) from exc


@contextmanager
def unit_of_work(request: Request) -> Iterator[Ctx]:
    """A service context in one transaction: committed at the end, rolled back on any error.

    A lock held too long by another process ends in DatabaseBusy, a UserError, so the form
    comes back with what was typed and the reason.
    """
    with _busy_is_a_user_error(), _open(request) as ctx:
        yield ctx


@contextmanager
def _open(request: Request) -> Iterator[Ctx]:
    """The request's unit of work, in the session its token was checked in, if any. It is noted
    on the request, whose kept answer (`web.response_cache`) must know if it read the clock."""
    session = getattr(request.state, "session", None)
    with open_ctx(request.app.state.db, owner_of(request), session=session) as ctx:
        request.scope.setdefault("state", {}).setdefault(CTXS, []).append(ctx)
        yield ctx


def read_ctx(request: Request) -> Iterator[Ctx]:
    """FastAPI dependency: the request's service context, for its signed-in owner."""
    with _busy_is_a_user_error(), _open(request) as ctx:
        yield ctx
