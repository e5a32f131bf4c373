"""Who a request is for: the signed-in user (server mode), a bearer token (the API), or local mode.

Every request passes here before any route, so a route added later cannot be reached without a
login by forgetting a dependency. The owner found here is the only one `read_ctx` and
`unit_of_work` open a unit of work for.

- `/api/…` needs `Authorization: Bearer TOKEN` in both modes (the docs and the OpenAPI document
  excepted); a cookie never authenticates an API call, which is why the API needs no CSRF token.
- Server mode: every other page needs a live session cookie, except the login and sign-up pages
  and static files; a browser without one is sent to the login page.
- Local mode: the machine's one owner, as before.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.responses import JSONResponse, RedirectResponse

from mentormap.db import Database
from mentormap.models import LOCAL_OWNER_ID
from mentormap.services.accounts.users import UserView
from mentormap.web.csrf import ASGIApp, Receive, Scope, Send
from mentormap.web.response_cache import ResponseCache, answer, key_of, run_and_keep

if TYPE_CHECKING:
    from mentormap.services.accounts.tokens import Holder

logger = logging.getLogger(__name__)

SESSION_COOKIE = "mm_session"
PUBLIC_PAGES = ("/login", "/signup/", "/static/", "/feed/")  # a feed: its secret is its key
PUBLIC_API = ("/api/openapi.json", "/api/docs")  # the document and its docs, not the data


@dataclass(frozen=True)
class Who:
    owner_id: int
    user: UserView | None = None  # None in local mode and for API tokens


def cookie(scope: Scope, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed header is no cookie
                return None
            morsel = jar.get(name)
            if morsel is not None:
                return morsel.value
    return None


def bearer(scope: Scope) -> str | None:
    value = Headers(scope=scope).get("authorization", "")
    scheme, _, token = value.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def _token_owner(session: Session, secret: str) -> Holder | None:
    from mentormap.services.accounts.tokens import token_owner

    return token_owner(session, secret)


def _finish(session: Session) -> None:
    """End the request's session: commit what is left (the token's last use, when no unit of
    work took the session over and committed it), then give the connection back."""
    try:
        if session.in_transaction():
            session.commit()
    except Exception:  # a busy database: the time of last use can wait for the next call
        logger.info("could not note a token's last use", exc_info=True)
    finally:
        session.close()


def _session_user(db: Database, key: str) -> UserView | None:
    from mentormap.services.accounts.login import session_user

    with db.session() as session:
        return session_user(session, key)


def api_refusal(message: str, status: int = 401) -> JSONResponse:
    headers = {"www-authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)


class AuthMiddleware:
    def __init__(
        self, app: ASGIApp, db: Database, multi_user: bool, cache: ResponseCache | None = None
    ) -> None:
        self.app = app
        self.db = db
        self.multi_user = multi_user
        self.cache = cache  # the API's kept answers (web.response_cache); None keeps none

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        state: dict[str, Any] = scope.setdefault("state", {})
        if path == "/api" or path.startswith("/api/"):
            if path in PUBLIC_API or path.startswith("/api/docs/"):
                await self.app(scope, receive, send)
                return
            secret = bearer(scope)
            if secret is None:
                message = "Send a token: Authorization: Bearer TOKEN (`mentormap token create`)."
                await api_refusal(message)(scope, receive, send)
                return
            await self._api_call(secret, scope, receive, send)
            return
        if not self.multi_user:
            state["who"] = Who(owner_id=LOCAL_OWNER_ID)
        else:
            key = cookie(scope, SESSION_COOKIE)
            user = await run_in_threadpool(_session_user, self.db, key) if key else None
            if user is not None:
                state["who"] = Who(owner_id=user.owner_id, user=user)
            elif not path.startswith(PUBLIC_PAGES):
                target = path + (
                    "?" + scope["query_string"].decode("latin-1")
                    if scope.get("query_string")
                    else ""
                )
                response = RedirectResponse(f"/login?next={quote(target)}", status_code=303)
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)

    async def _api_call(self, secret: str, scope: Scope, receive: Receive, send: Send) -> None:
        # The token is checked in the session the request's unit of work then goes on in
        # (`state["session"]`, see `web.render.read_ctx`): one connection and one transaction
        # for the whole call instead of two.
        session = self.db.new_session()
        try:
            holder = await run_in_threadpool(_token_owner, session, secret)
            if holder is None:
                message = "This token is not valid (revoked, or its user is disabled)."
                await api_refusal(message)(scope, receive, send)
                return
            scope["state"]["who"] = Who(owner_id=holder.owner_id)
            scope["state"]["session"] = session
            key = None
            if self.cache is not None:
                key = key_of(scope, holder.owner_id, holder.data_version, self.db.settings.today())
            if key is None or self.cache is None:
                await self.app(scope, receive, send)
            elif (kept := self.cache.get(key)) is not None:
                await answer(kept, send)
            else:
                await run_and_keep(self.app, self.cache, key, scope, receive, send)
        finally:
            await run_in_threadpool(_finish, session)


def who(request: Any) -> Who | None:
    return getattr(request.state, "who", None)


def owner_of(request: Any) -> int:
    """The owner of the request's data; a route reached without one is a bug, never local mode."""
    found = who(request)
    if found is None:
        raise PermissionError("a request reached a route without an owner")
    return found.owner_id
