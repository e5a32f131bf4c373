"""The login flow in Debian's Chromium: sent to sign in, onboarding on an empty network, out."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentormap.db import Database
from mentormap.settings import Settings
from tests.accounts.conftest import PASSWORD, make_user
from tests.web.live import CHROMIUM, chromium_browser, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


def test_sign_in_onboard_and_sign_out_in_a_browser(
    settings: Settings, db: Database, tmp_path: Path
) -> None:
    from mentormap.web.app import create_app

    make_user(db, "alice@example.org")
    with live_server(create_app(settings, multi_user=True)) as url, chromium_browser() as browser:
        context = browser.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
        tab = context.new_page()
        tab.goto(f"{url}/people")
        assert tab.url.startswith(f"{url}/login?next=/people")
        tab.fill("#f-email", "alice@example.org")
        tab.fill("#f-password", "not her password")
        tab.click("button[type=submit]")
        assert "Wrong email or password" in tab.inner_text("main")
        tab.fill("#f-email", "alice@example.org")
        tab.fill("#f-password", PASSWORD)
        tab.click("button[type=submit]")
        assert tab.url == f"{url}/people"
        cookie = next(c for c in context.cookies() if c["name"] == "mm_session")
        assert cookie["httpOnly"] and cookie["sameSite"] == "Lax"
        tab.goto(url)
        assert tab.url == f"{url}/welcome"  # her network is empty: import, or the demo
        assert "Load the demo network" in tab.inner_text("main")
        tab.click("text=Sign out")
        assert tab.url == f"{url}/login"
        tab.goto(f"{url}/today")
        assert "/login" in tab.url
        context.close()
