"""The app factory: one open database, the routers, static files and error pages."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException

from mentormap.db import Database
from mentormap.errors import NotFound, UserError
from mentormap.settings import Settings
from mentormap.web import render
from mentormap.web.csrf import CsrfCookieMiddleware, CsrfSigner
from mentormap.web.timing import ServerTimingMiddleware


def create_app(settings: Settings) -> FastAPI:
    """Build the web app on the database `settings` names (opening it upgrades its schema)."""
    from mentormap.web.routes import (
        achievements,
        groups,
        health,
        home,
        interop,
        log,
        people,
        prep,
        today,
        trips,
    )

    db = Database.open(settings)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        db.close()

    app = FastAPI(
        title="mentormap", docs_url=None, redoc_url=None, openapi_url=None, lifespan=lifespan
    )
    app.state.db = db
    app.state.settings = settings
    app.state.csrf = CsrfSigner(secrets.token_bytes(32))
    app.state.templates = render.make_templates()
    app.state.nav = list(render.NAV)
    app.add_middleware(CsrfCookieMiddleware)
    app.add_middleware(ServerTimingMiddleware)  # added last: runs outermost, times everything
    app.mount("/static", StaticFiles(directory=str(render.STATIC)), name="static")
    modules = (home, today, people, prep, log, groups, achievements, trips, health, interop)
    for module in modules:
        app.include_router(module.router)

    @app.exception_handler(UserError)
    async def user_error(request: Request, exc: UserError) -> HTMLResponse:
        status = 404 if isinstance(exc, NotFound) else 400
        title = "Not found" if status == 404 else "That did not work"
        return render.render(
            request, "error.html", {"title": title, "message": str(exc)}, status=status
        )

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> HTMLResponse:
        title = "Page not found" if exc.status_code == 404 else "Request refused"
        message = "There is no page at this address." if exc.status_code == 404 else str(exc.detail)
        return render.render(
            request, "error.html", {"title": title, "message": message}, status=exc.status_code
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> HTMLResponse:
        fields = ", ".join(str(err["loc"][-1]) for err in exc.errors())
        return render.render(
            request,
            "error.html",
            {"title": "Bad request", "message": f"Check these values: {fields}."},
            status=400,
        )

    return app
