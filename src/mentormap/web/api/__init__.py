"""The JSON API at /api/v1: the same services as the pages, for programs, with a bearer token.

Its OpenAPI document is at /api/openapi.json and FastAPI's interactive docs (Swagger UI, served
from the installed package: nothing loads from elsewhere) at /api/docs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

OPENAPI_URL = "/api/openapi.json"
DOCS_URL = "/api/docs"
ASSETS = "/api/docs/assets"


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error(message: str, status: int, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _swagger_folder() -> Path:
    import fastapi_offline

    return Path(fastapi_offline.__file__).parent / "static"


DOCS_PAGE = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>mentormap API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
</head><body>
<div id="swagger-ui" data-url="{OPENAPI_URL}"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/static/api-docs.js"></script>
</body></html>
"""


def install(app: FastAPI) -> None:
    """Add the API's routes, its docs page and the docs' scripts to the app."""
    from mentormap.web.api import routes

    app.include_router(routes.router)
    app.mount(ASSETS, StaticFiles(directory=str(_swagger_folder())), name="api-docs-assets")

    @app.get(DOCS_URL, include_in_schema=False)
    def docs_page() -> HTMLResponse:
        return HTMLResponse(DOCS_PAGE)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            schema = get_openapi(
                title=app.title, version=app.version, summary=app.summary, routes=app.routes
            )
            schema.setdefault("components", {})["securitySchemes"] = {
                "token": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `mentormap token create`.",
                }
            }
            schema["security"] = [{"token": []}]
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
