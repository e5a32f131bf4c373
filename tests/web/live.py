"""A live app for tests: uvicorn in a thread on a free loopback port, and Debian's Chromium."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from tests.conftest import TODAY, ZONE
from tests.ports import free_port

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def demo_settings(path: Path) -> Any:
    """Settings for a demo network built at `path` (today fixed, the tests' zone)."""
    from mentormap.db import Database
    from mentormap.services.demo.network import build_demo
    from mentormap.services.unit import open_ctx
    from mentormap.settings import Settings

    settings = Settings(
        database_url=f"sqlite:///{path}", timezone=ZoneInfo(ZONE), today_override=TODAY
    )
    db = Database.open(settings)
    with open_ctx(db) as ctx:
        build_demo(ctx)
    db.close()
    return settings


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """`app` served by a real uvicorn on a free loopback port, in a thread; its base URL."""
    import uvicorn

    port = free_port()
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not running.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)


@contextmanager
def chromium_browser() -> Iterator[Any]:
    """Debian's Chromium, launched by Playwright with the flags that keep it offline."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def wait_until(tab: Any, expression: str, timeout: float = 10.0) -> None:
    """Poll a JavaScript condition until it holds.

    Playwright's own wait_for_function compiles the condition inside the page with eval, which
    the app's Content-Security-Policy rightly refuses; page.evaluate goes through the DevTools
    protocol instead.
    """
    deadline = time.monotonic() + timeout
    while not tab.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        time.sleep(0.05)
