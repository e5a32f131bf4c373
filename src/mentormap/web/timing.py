"""A `Server-Timing` header on every response: the app's own time, for the benchmark."""

from __future__ import annotations

import time

from mentormap.web.csrf import ASGIApp, Message, Receive, Scope, Send


class ServerTimingMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def send_timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                took = (time.perf_counter() - started) * 1000
                header = f"app;dur={took:.1f}".encode()
                message["headers"] = [*message.get("headers", []), (b"server-timing", header)]
            await send(message)

        await self.app(scope, receive, send_timed)
