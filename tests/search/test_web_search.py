"""The web face of search: the header's box on every page, results grouped by type with
highlighted (and escaped) snippets, "Who can help?", and expertise on the new-person form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.conftest import CliInvoke

BASE_URL = "http://127.0.0.1:8000"


@pytest.fixture
def web(cli: CliInvoke, settings: Settings) -> Iterator[TestClient]:
    def run(*args: str) -> None:
        result = cli(*args)
        assert result.exit_code == 0, result.output

    run("people", "add", "Zoë Ó Briain", "--expertise", "Kubernetes", "--role", "sponsor")
    run("people", "add", "Eve <script>alert(1)</script>", "--company", "Evil & Co")
    run("log", "Zoë", "-k", "lunch", "--no-edit", "-n", "Moved <b>batch</b> jobs onto kubernetes.")
    run("log", "Eve", "-k", "call", "--no-edit", "-n", "Kubernetes <img src=x onerror=alert(1)>")
    run("goal", "add", "Learn kubernetes operators")
    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        yield client


def test_every_page_has_the_search_box(web: TestClient) -> None:
    for path in ("/", "/today", "/people", "/health", "/who", "/search"):
        page = web.get(path)
        assert page.status_code == 200, path
        assert 'action="/search"' in page.text and 'id="site-search"' in page.text, path
        assert '<script src="/static/search.js" defer></script>' in page.text
    assert web.get("/static/search.js").status_code == 200
    assert "Who can help?" in web.get("/today").text


def test_results_are_grouped_highlighted_and_escaped(web: TestClient) -> None:
    page = web.get("/search", params={"q": "kubernetes"})
    assert page.status_code == 200
    html = page.text
    for heading in ("People", "Conversations", "Goals"):
        assert f"<h2>{heading}</h2>" in html
    assert "<mark>kubernetes</mark>" in html or "<mark>Kubernetes</mark>" in html
    # Everything from the database is escaped; only our own <mark> is markup.
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>batch</b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'value="kubernetes"' in html  # the header box keeps the query
    marks = re.findall(r"<mark>(.*?)</mark>", html)
    assert marks and all(m.lower() == "kubernetes" for m in marks)


def test_filters_and_errors_on_the_page(web: TestClient) -> None:
    only = web.get("/search", params={"q": "kubernetes", "type": "goal"}).text
    assert "<h2>Goals</h2>" in only and "<h2>People</h2>" not in only
    sponsors = web.get("/search", params={"q": "kubernetes", "role": "sponsor"}).text
    assert "Zoë Ó Briain" in sponsors and "Evil" not in sponsors and "Eve &lt;" not in sponsors
    bad = web.get("/search", params={"q": "kubernetes", "type": "nope"})
    assert bad.status_code == 200 and "Unknown type" in bad.text
    empty = web.get("/search", params={"q": "zzzz"}).text
    assert "Nothing found" in empty


def test_who_can_help_page(web: TestClient) -> None:
    page = web.get("/who", params={"topic": "kubernetes"})
    assert page.status_code == 200
    html = page.text
    assert html.index("Zoë Ó Briain") < html.index("Eve &lt;script&gt;")
    assert "expertise: <mark>Kubernetes</mark>" in html
    assert "Sponsor" in html and "Ask:" in html
    assert "<script>alert" not in html


def test_the_new_person_form_takes_expertise(web: TestClient) -> None:
    from tests.web.conftest import post

    form = web.get("/people/new").text
    assert 'name="expertise"' in form and 'name="interests"' in form
    response = post(
        web,
        "/people/new",
        {"name": "Ola Nordmann", "expertise": "Terraform", "interests": "sailing", "role": "peer"},
        form_page="/people/new",
    )
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert "Ola Nordmann" in web.get("/who", params={"topic": "terraform"}).text


def test_search_script_has_no_inline_code() -> None:
    static = Path(__file__).resolve().parents[2] / "src" / "mentormap" / "web" / "static"
    assert 'getElementById("site-search")' in (static / "search.js").read_text()
