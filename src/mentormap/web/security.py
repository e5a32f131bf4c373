"""What keeps other websites out: the Host allow-list, the same-origin rule for changes, headers.

mentormap has no login; it relies on listening on loopback. That alone does not stop a page the
user visits from reaching it: DNS rebinding points a hostile name at 127.0.0.1, so the browser
talks to us while believing it talks to the hostile site, which may then read every page. Only
answering the Host names we are known by defeats that. A cross-site form post needs no
rebinding at all; the CSRF token stops it, and the Origin check below is a second wall.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse

from mentormap.errors import InvalidInput
from mentormap.web.csrf import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LABEL = r"[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST_NAME = re.compile(rf"^{_LABEL}(\.{_LABEL})*\.?$")

# Nothing runs or loads from anywhere but this app; inline script and style stay inert (the
# templates have none), nobody may frame a page (clickjacking), and forms post only here.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
    "object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
]
# Pages and exports hold notes: a shared machine's browser cache must not keep them.
NO_STORE = (b"cache-control", b"no-store")


def host_pattern(name: str) -> str:
    """An --allowed-host name as the Host header spells it: lower case, IPv6 in brackets."""
    cleaned = name.strip().lower()
    bare = cleaned[1:-1] if cleaned.startswith("[") and cleaned.endswith("]") else cleaned
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        if not _HOST_NAME.match(cleaned):
            raise InvalidInput(
                f"{name!r} is not a host name or IP address (give it without a port)."
            ) from None
        return cleaned.rstrip(".")
    return f"[{address.compressed}]" if address.version == 6 else address.compressed


def host_allow_list(extra: Iterable[str] = ()) -> list[str]:
    """The loopback names plus the given ones, each as TrustedHostMiddleware compares them."""
    hosts = list(LOOPBACK_HOSTS)
    for name in extra:
        pattern = host_pattern(name)
        if pattern not in hosts:
            hosts.append(pattern)
    return hosts


def _same_origin(source: str, host: str) -> bool:
    """Whether an Origin or Referer value names this very site (scheme, host and port)."""
    try:
        parts = urlsplit(source)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and parts.netloc.lower() == host.lower()


class SameOriginMiddleware:
    """Refuses a state-changing request whose Origin (else Referer) is another site, with 403.

    A request with neither header is let through: browsers send Origin on every cross-site POST,
    so its absence means a non-browser client, which the CSRF token still has to satisfy.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in STATE_CHANGING:
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        source = headers.get("origin") or headers.get("referer")
        # "null" is what a sandboxed frame or a data: page sends: never us.
        if source is not None and not _same_origin(source, headers.get("host", "")):
            response = PlainTextResponse(
                "Refused: this request came from another website.", status_code=403
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


class SecurityHeadersMiddleware:
    """Adds the security headers to every response, and no-store to all but static files."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cacheable = scope["path"].startswith("/static/")

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                added = [h for h in SECURITY_HEADERS if h[0] not in present]
                if not cacheable and NO_STORE[0] not in present:
                    added.append(NO_STORE)
                message["headers"] = [*message.get("headers", []), *added]
            await send(message)

        await self.app(scope, receive, send_with_headers)
