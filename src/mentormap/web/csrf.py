"""CSRF protection: a random nonce in a cookie, and its HMAC under a per-process secret in forms.

A cross-site page can make the browser send our cookie but cannot read it, so it cannot produce
the matching signed field. The secret lives only in this process: after a restart old forms are
refused and the user simply submits again.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Awaitable, Callable, MutableMapping
from http.cookies import SimpleCookie
from typing import Any

COOKIE = "mm_csrf"
FIELD = "csrf_token"
_NONCE = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class CsrfSigner:
    def __init__(self, secret: bytes | None = None) -> None:
        self._secret = secret or secrets.token_bytes(32)

    def token_for(self, nonce: str) -> str:
        return hmac.new(self._secret, nonce.encode(), hashlib.sha256).hexdigest()

    def valid(self, nonce: str | None, token: str | None) -> bool:
        if not nonce or not token or not _NONCE.match(nonce):
            return False
        return hmac.compare_digest(self.token_for(nonce), token)


def _cookie_nonce(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is treated as no cookie
                return None
            morsel = jar.get(COOKIE)
            if morsel and _NONCE.match(morsel.value):
                return morsel.value
    return None


class CsrfCookieMiddleware:
    """Gives every browser a nonce cookie on its first request and exposes it to the templates."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = _cookie_nonce(scope)
        fresh = nonce is None
        if nonce is None:
            nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})["csrf_nonce"] = nonce

        async def send_with_cookie(message: Message) -> None:
            if fresh and message["type"] == "http.response.start":
                cookie = f"{COOKIE}={nonce}; Path=/; HttpOnly; SameSite=Strict"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        await self.app(scope, receive, send_with_cookie)
