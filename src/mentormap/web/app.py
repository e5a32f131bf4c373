"""The app factory: one open database, the routers, static files, error pages, the guards."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import event
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from mentormap import __version__
from mentormap.db import Database
from mentormap.errors import NotFound, UserError
from mentormap.settings import Settings
from mentormap.web import api, render
from mentormap.web.auth import AuthMiddleware
from mentormap.web.csrf import CsrfCookieMiddleware, CsrfSigner
from mentormap.web.head import HeadAsGetMiddleware
from mentormap.web.response_cache import ResponseCache
from mentormap.web.security import (
    SECURITY_HEADERS,
    SameOriginMiddleware,
    SecurityHeadersMiddleware,
    host_allow_list,
)
from mentormap.web.timing import ServerTimingMiddleware

KEPT_BYTES = 32 * 1024 * 1024  # per worker: Today on 20,000 people is about 60 kB


def _shorter_lock_wait(db: Database, seconds: float) -> None:
    """Make the web's connections give up on another process's lock after `seconds`."""
    if db.engine.dialect.name != "sqlite":
        return

    def set_timeout(dbapi_connection: Any, _record: Any) -> None:
        # Runs after db.py's own pragmas on each new connection, so this value wins.
        dbapi_connection.execute(f"PRAGMA busy_timeout={int(seconds * 1000)}")

    event.listen(db.engine, "connect", set_timeout)
    db.engine.dispose()  # connections opened while checking the schema keep the old wait


def create_app(
    settings: Settings,
    allowed_hosts: Iterable[str] = (),
    *,
    multi_user: bool = False,
    secret: bytes | None = None,
    kept_bytes: int = KEPT_BYTES,
) -> FastAPI:
    """Build the web app on the database `settings` names (opening it upgrades its schema).

    It answers only requests addressed to a loopback name or to one of `allowed_hosts`.
    `multi_user` asks for a login on every page (server mode); `secret` signs the CSRF tokens,
    and must be the same in every worker process of one server. `kept_bytes` bounds the memory
    the API's kept answers take in each worker (`web.response_cache`); 0 keeps none.
    """
    from mentormap.web.routes import (
        accounts,
        achievements,
        follow_ups,
        goals,
        groups,
        health,
        home,
        interactions,
        interop,
        lives,
        log,
        mail,
        mentoring,
        opportunities,
        people,
        preferences,
        prep,
        prospects,
        records,
        search,
        spend,
        sync,
        today,
        trips,
    )

    hosts = host_allow_list(allowed_hosts)
    db = Database.open(settings)
    _shorter_lock_wait(db, settings.web_lock_wait_seconds)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(
        title="mentormap",
        version=__version__,
        summary="Your career network: people, roles, conversations, what is due and owed.",
        docs_url=None,
        redoc_url=None,
        openapi_url=api.OPENAPI_URL,  # the JSON API's; the pages are left out of it
        lifespan=lifespan,
    )
    app.state.db = db
    app.state.settings = settings
    app.state.allowed_hosts = hosts
    app.state.multi_user = multi_user
    app.state.csrf = CsrfSigner(secret or secrets.token_bytes(32))
    app.state.templates = render.make_templates()
    app.state.nav = list(render.NAV)
    # Added innermost first; each one added later wraps the ones before it.
    app.state.kept = ResponseCache(kept_bytes) if kept_bytes > 0 else None
    app.add_middleware(  # after every guard
        AuthMiddleware, db=db, multi_user=multi_user, cache=app.state.kept
    )
    app.add_middleware(CsrfCookieMiddleware)
    app.add_middleware(SameOriginMiddleware)
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=hosts, www_redirect=False)
    app.add_middleware(HeadAsGetMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)  # also on the refusals of the guards inside
    app.add_middleware(ServerTimingMiddleware)  # added last: runs outermost, times everything
    app.mount("/static", StaticFiles(directory=str(render.STATIC)), name="static")
    # The API first: a request is matched against the routes in order, and programs ask far
    # more often than a person clicks. No page lives under /api/.
    api.install(app)
    modules = (
        *(home, today, people, prep, log, groups, achievements, trips, health, interop, search),
        sync,
        accounts,
        lives,
        spend,
        preferences,
        *(prospects, opportunities, mentoring),
        *(mail, records, interactions, goals, follow_ups),
    )
    for module in modules:
        app.include_router(module.router, include_in_schema=False)

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> Response:
        status = 404 if isinstance(exc, NotFound) else getattr(exc, "status", 400)
        if api.is_api(request):
            return api.error(str(exc), status)
        title = "Not found" if status == 404 else "That did not work"
        return render.render(
            request, "error.html", {"title": title, "message": str(exc)}, status=status
        )

    @app.exception_handler(render.FormRefused)
    async def form_refused(request: Request, _exc: render.FormRefused) -> HTMLResponse:
        return render.forbidden(request)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        if api.is_api(request):
            found = exc.status_code == 404
            return api.error("No such API endpoint." if found else str(exc.detail), exc.status_code)
        title = "Page not found" if exc.status_code == 404 else "Request refused"
        message = "There is no page at this address." if exc.status_code == 404 else str(exc.detail)
        return render.render(
            request, "error.html", {"title": title, "message": message}, status=exc.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        fields = ", ".join(str(err["loc"][-1]) for err in exc.errors())
        if api.is_api(request):
            return api.error(f"Check these values: {fields}.", 422)
        return render.render(
            request,
            "error.html",
            {"title": "Bad request", "message": f"Check these values: {fields}."},
            status=400,
        )

    @app.exception_handler(Exception)
    async def crashed(request: Request, _exc: Exception) -> Response:
        # Starlette answers a crash outside every middleware, so the headers are set here.
        headers = {name.decode(): value.decode() for name, value in SECURITY_HEADERS}
        headers["cache-control"] = "no-store"
        if api.is_api(request):
            return api.error("Internal server error.", 500, headers)
        return PlainTextResponse("Internal Server Error", status_code=500, headers=headers)

    return app
