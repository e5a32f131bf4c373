"""What only a browser shows of the trial's mends: on a phone, Today puts what you owe (replies,
follow-ups) before the due list; on a wide screen the due list keeps the main column."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.web.live import CHROMIUM, chromium_browser, demo_settings, live_server

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from mentormap.web.app import create_app

    settings = demo_settings(tmp_path_factory.mktemp("today-order") / "mentormap.db")
    with live_server(create_app(settings)) as url:
        yield url


def _tops(chromium: Any, server: str, width: int) -> dict[str, Any]:
    context = chromium.new_context(viewport={"width": width, "height": 900})
    try:
        tab = context.new_page()
        tab.goto(f"{server}/today")
        return dict(
            tab.evaluate(
                "Object.fromEntries(['replies', 'follow-ups', 'due'].map(id => {"
                " const box = document.getElementById(id).getBoundingClientRect();"
                " return [id, [box.top, box.left]]; }))"
            )
        )
    finally:
        context.close()


def test_today_puts_what_you_owe_first_on_a_phone(server: str) -> None:
    with chromium_browser() as chromium:
        phone = _tops(chromium, server, 375)
        wide = _tops(chromium, server, 1280)
    assert phone["replies"][0] < phone["follow-ups"][0] < phone["due"][0]
    # Side by side on a wide screen: the due list on the left, what you owe on the right.
    assert wide["due"][1] < wide["replies"][1]
    assert wide["due"][0] == pytest.approx(wide["replies"][0], abs=2)
