"""Real-browser tests: Playwright drives Debian's Chromium against a live server on loopback.

They cover what only a browser shows: search as you type, the timeline updating after a form,
the phone layout. They also save screenshots of the main pages under docs/screenshots/.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.live import CHROMIUM, chromium_browser, demo_settings, live_server, wait_until

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real uvicorn server on a free loopback port, over a demo network, in a thread."""
    from mentormap.web.app import create_app

    settings = demo_settings(tmp_path_factory.mktemp("browser") / "mentormap.db")
    with live_server(create_app(settings)) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with chromium_browser() as browser:
        yield browser


@pytest.fixture
def page(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def phone(chromium: Any) -> Iterator[Any]:
    context = chromium.new_context(
        viewport={"width": 375, "height": 812}, device_scale_factor=2, is_mobile=True
    )
    tab = context.new_page()
    yield tab
    context.close()


def shot(tab: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"))  # the first screenful


def test_search_as_you_type_filters_without_reloading(server: str, page: Any) -> None:
    page.goto(f"{server}/people")
    shot(page, "people")
    page.evaluate("window.stillHere = true")
    page.locator("#f-q").press_sequentially("priya", delay=30)
    wait_until(page, "document.querySelector('#people-results').textContent.includes('1 person')")
    assert page.evaluate("window.stillHere") is True  # updated in place, no reload
    assert "q=priya" in page.url  # the address can be shared or reloaded
    results = page.locator("#people-results").inner_text()
    assert "Priya Raman" in results and "Dana Whitfield" not in results
    page.select_option("#f-role", "peer")
    page.fill("#f-q", "")
    wait_until(page, "document.querySelector('#people-results').textContent.includes('Ben Sato')")
    assert "Priya Raman" not in page.locator("#people-results").inner_text()


def test_log_a_conversation_with_a_due_person(server: str, page: Any) -> None:
    page.goto(f"{server}/today")
    shot(page, "today")
    row = page.locator("#due .person-row", has_text="Grace Liu")
    assert row.locator(".warmth").inner_text().lower() == "cooling"  # she is due
    row.get_by_role("link", name="Log").click()
    page.wait_for_url("**/people/*#log")
    shot(page, "person")
    page.select_option("#f-kind", "lunch")
    page.fill("#f-notes", "Talked through the **promotion packet**; she offered an intro.")
    page.get_by_role("button", name="Log it").click()
    page.wait_for_url("**#timeline")
    assert "Logged a lunch with Grace Liu." in page.locator(".flash").inner_text()
    first = page.locator(".timeline li").first
    assert "promotion packet" in first.inner_text()
    assert first.locator("strong").inner_text() == "promotion packet"
    assert page.locator(".person-head .warmth").inner_text().lower() == "warm"
    page.get_by_role("link", name="Today").click()
    page.wait_for_url("**/today")
    assert page.locator("#due").count() == 1
    assert page.locator("#due .person-row", has_text="Grace Liu").count() == 0  # she has left
    page.goto(f"{server}/people?q=grace")
    assert page.locator(".person-row .warmth").first.inner_text().lower() == "warm"


def test_a_bad_date_is_explained_next_to_the_field(server: str, page: Any) -> None:
    page.goto(f"{server}/people/1")
    page.fill("#f-on", "the day after")
    page.get_by_role("button", name="Log it").click()
    error = page.locator("#on-error")
    assert "is not a date" in error.inner_text()
    assert page.locator("#f-on").get_attribute("aria-invalid") == "true"


def test_name_autocomplete_offers_matches(server: str, page: Any) -> None:
    page.goto(f"{server}/log")
    page.locator("#f-who").press_sequentially("gallag", delay=30)
    wait_until(
        page,
        "[...document.querySelectorAll('#people-names option')]"
        ".every(o => o.value.toLowerCase().includes('gallagher'))",
    )
    options = page.eval_on_selector_all("#people-names option", "els => els.map(e => e.value)")
    assert options and all("Gallagher" in name for name in options)
    shot(page, "log")


def test_keyboard_reaches_the_skip_link_and_navigation(server: str, page: Any) -> None:
    page.goto(f"{server}/groups")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "/today"
    page.goto(f"{server}/groups/1")
    shot(page, "group")


@pytest.mark.parametrize(
    "path",
    [
        "/today",
        "/people",
        "/people/1",
        "/people/1/edit",
        "/people/1/prep",
        "/log",
        "/groups",
        "/groups/1",
        "/achievements",
        "/trips",
        "/trips/1",
        "/health",
        "/import",
        "/welcome",
    ],
)
def test_phone_width_has_no_horizontal_scroll(server: str, phone: Any, path: str) -> None:
    phone.goto(f"{server}{path}")
    widths = phone.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth, document.body.scrollWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= widths[1], f"{path}: {widths}"
    names = {
        "/today": "phone-today",
        "/people": "phone-people",
        "/people/1": "phone-person",
        "/health": "phone-health",
    }
    if path in names:
        shot(phone, names[path])


@pytest.mark.parametrize(
    "path,name",
    [
        ("/health", "health"),
        ("/people/1/prep", "prep"),
        ("/achievements", "achievements"),
        ("/trips/1", "trip"),
        ("/import", "import"),
    ],
)
def test_main_pages_render_for_screenshots(server: str, page: Any, path: str, name: str) -> None:
    response = page.goto(f"{server}{path}")
    assert response.status == 200
    assert page.locator("h1").count() == 1
    shot(page, name)


def test_group_timer_counts_down(server: str, page: Any) -> None:
    page.goto(f"{server}/groups/1#session")
    clock = page.locator("[data-timer-clock]")
    assert clock.is_visible()  # the script revealed the timer
    assert clock.inner_text() == "06:00"
    assert page.locator("[data-timer-label]").inner_text() == "Opening"
    page.get_by_role("button", name="Start").click()
    wait_until(page, "document.querySelector('[data-timer-clock]').textContent <= '05:58'")
    assert page.locator(".slots li.current").get_attribute("data-label") == "Opening"
    shot(page, "group-session")
    page.get_by_role("button", name="Next speaker").click()
    assert page.locator("[data-timer-label]").inner_text() == "Ben Sato"
    assert page.locator(".slots li.done").count() == 1
    page.get_by_role("button", name="Pause").click()
    paused = clock.inner_text()
    page.wait_for_timeout(1200)
    assert clock.inner_text() == paused


def test_highlights_copy_button(server: str, chromium: Any) -> None:
    context = chromium.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    tab = context.new_page()
    try:
        tab.goto(f"{server}/achievements/highlights?who=Margaret+Okafor")
        tab.get_by_role("button", name="Copy to clipboard").click()
        wait_until(tab, "document.querySelector('.copy-status').textContent === 'Copied.'")
        copied = tab.evaluate("navigator.clipboard.readText()")
        assert copied.startswith("Subject: A few highlights")
        assert copied.strip() == tab.locator("#highlights-text").inner_text().strip()
        shot(tab, "highlights")
    finally:
        context.close()


def test_the_content_security_policy_blocks_inline_script(server: str, page: Any) -> None:
    page.goto(f"{server}/people/1")
    ran = page.evaluate(
        """() => new Promise(resolve => {
            window.inlineRan = false;
            document.addEventListener('securitypolicyviolation',
                e => resolve({ran: window.inlineRan, directive: e.effectiveDirective}));
            setTimeout(() => resolve({ran: window.inlineRan, directive: null}), 3000);
            const script = document.createElement('script');
            script.textContent = 'window.inlineRan = true';
            document.body.appendChild(script);
        })"""
    )
    assert ran == {"ran": False, "directive": "script-src-elem"}
    assert page.evaluate("window.inlineRan") is False


@pytest.mark.parametrize("path", ["/today", "/people/1", "/health", "/groups/1#session", "/log"])
def test_our_own_pages_break_none_of_the_policy(server: str, page: Any, path: str) -> None:
    """Every style and script the pages use comes from /static, so the policy blocks nothing."""
    page.add_init_script(
        "window.violations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.violations.push(e.effectiveDirective + ' ' + e.blockedURI));"
    )
    page.goto(f"{server}{path}")
    page.wait_for_load_state("load")
    assert page.evaluate("window.violations") == []


def _section_boxes(chromium: Any, server: str, width: int) -> dict[str, Any]:
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


def test_today_puts_what_you_owe_first_on_a_phone(server: str, chromium: Any) -> None:
    phone = _section_boxes(chromium, server, 375)
    wide = _section_boxes(chromium, server, 1280)
    assert phone["replies"][0] < phone["follow-ups"][0] < phone["due"][0]
    # Side by side on a wide screen: the due list on the left, what you owe on the right.
    assert wide["due"][1] < wide["replies"][1]
    assert wide["due"][0] == pytest.approx(wide["replies"][0], abs=2)
