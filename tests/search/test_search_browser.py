"""In a real browser: "/" jumps to the header's search box, results show highlighted words, and
the box fits a phone's header. Playwright drives Debian's Chromium against a live server."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.live import CHROMIUM, chromium_browser, demo_settings, live_server, wait_until

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from mentormap.web.app import create_app

    settings = demo_settings(tmp_path_factory.mktemp("search-browser") / "mentormap.db")
    with live_server(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with chromium_browser() as browser:
        yield browser


def test_slash_focuses_the_search_box_and_results_are_highlighted(
    server: str, chromium: Any
) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.goto(f"{server}/today")
    page.keyboard.press("/")
    wait_until(page, "document.activeElement && document.activeElement.id === 'site-search'")
    page.keyboard.type("reorg")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search?q=reorg")
    assert page.locator("mark").first.inner_text().lower() == "reorg"
    assert page.locator("h2", has_text="Conversations").count() == 1
    # "/" typed inside a text field is just a character.
    page.fill("#search-q", "")
    page.focus("#search-q")
    page.keyboard.type("a/b")
    assert page.input_value("#search-q") == "a/b"
    assert not [e for e in errors if "Content Security Policy" in e]
    context.close()


def test_the_search_box_fits_a_phone(server: str, chromium: Any) -> None:
    context = chromium.new_context(viewport={"width": 375, "height": 812}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{server}/who?topic=reorg")
    box = page.locator("#site-search").bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 375
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    context.close()
