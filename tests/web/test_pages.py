"""Every page renders through the real app on a real SQLite file, with the right content."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from mentormap.web.render import STATIC, TEMPLATES
from tests.web.conftest import post


def test_empty_database_opens_on_onboarding(client: TestClient) -> None:
    first = client.get("/", follow_redirects=False)
    assert first.status_code == 303
    assert first.headers["location"] == "/welcome"
    page = client.get("/welcome")
    assert page.status_code == 200
    assert "Load the demo network" in page.text
    assert 'action="/welcome/demo"' in page.text
    assert "Add a person" in page.text


def test_main_view_is_today_once_there_is_a_network(demo_client: TestClient) -> None:
    response = demo_client.get("/", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/today"
    assert "already has people" in demo_client.get("/welcome").text


def test_people_list_shows_names_roles_and_warmth(demo_client: TestClient) -> None:
    page = demo_client.get("/people")
    assert page.status_code == 200
    assert "Dana Whitfield" in page.text
    assert 'class="role role-role_model">Role model<' in page.text
    for band in ("warm", "cooling", "cold", "dormant"):
        assert f"warmth warmth-{band}" in page.text
    assert "page 1 of 2" in page.text  # the demo's 80 people, 50 a page
    assert 'rel="next"' in page.text


def test_people_second_page(demo_client: TestClient) -> None:
    first = demo_client.get("/people").text
    second = demo_client.get("/people?page=2").text
    assert "page 2 of 2" in second
    names = re.compile(r'class="name">([^<]+)<')
    assert not set(names.findall(first)) & set(names.findall(second))


def test_search_filters_on_the_server(demo_client: TestClient) -> None:
    page = demo_client.get("/people?q=priya")
    assert "Priya Raman" in page.text
    assert "Ben Sato" not in page.text
    assert "1 person" in page.text


def test_partial_results_are_a_fragment_for_the_live_search(demo_client: TestClient) -> None:
    fragment = demo_client.get("/people?q=priya&partial=1")
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert "Priya Raman" in fragment.text


def test_filter_by_role_city_and_tag(demo_client: TestClient) -> None:
    peers = demo_client.get("/people?role=peer").text
    assert "Ben Sato" in peers and "Priya Raman" not in peers
    london = demo_client.get("/people?city=London").text
    assert "Dana Whitfield" in london and "Aisha Khan" not in london
    post(demo_client, "/people/1/edit", _profile_of_priya(demo_client, tags="speaking"))
    tagged = demo_client.get("/people?tag=speaking").text
    assert "Priya Raman" in tagged and "1 person" in tagged
    assert '<option value="speaking"' in tagged


def _profile_of_priya(client: TestClient, **changes: str) -> dict[str, str]:
    from tests.web.test_forms import edit_values

    return edit_values(client, 1, **changes)


def test_sort_by_last_contact_puts_the_most_recent_first(demo_client: TestClient) -> None:
    page = demo_client.get("/people?sort=last_contact").text
    first = page.index('class="last">')
    assert page[first : first + 40].count("ago") or "today" in page[first : first + 40]
    assert "never" not in page[first : first + 40]


def test_bad_filters_say_what_is_wrong(demo_client: TestClient) -> None:
    page = demo_client.get("/people?role=boss")
    assert page.status_code == 400
    assert "Unknown role &#39;boss&#39;" in page.text
    assert demo_client.get("/people?sort=shoe").status_code == 400
    assert demo_client.get("/people?page=zero").status_code == 400


def test_no_match_message(demo_client: TestClient) -> None:
    assert "No one matches" in demo_client.get("/people?q=zzzzzz").text


def test_empty_people_list_points_to_the_start(client: TestClient) -> None:
    assert "Your network is empty" in client.get("/people").text


def test_person_page_has_profile_roles_preferences_timeline_and_forms(
    demo_client: TestClient,
) -> None:
    page = demo_client.get("/people/1")
    assert page.status_code == 200
    text = page.text
    assert "<h1>Priya Raman" in text
    assert "Role model" in text and "What to bring" in text
    assert 'id="preferences"' in text
    assert 'id="timeline"' in text and "<time" in text
    assert 'action="/people/1/log"' in text
    assert 'href="/people/1/edit"' in text
    assert "warmth warmth-" in text


def test_unknown_person_and_page_are_404(demo_client: TestClient) -> None:
    missing = demo_client.get("/people/99999")
    assert missing.status_code == 404
    assert "No person with id #99999" in missing.text
    assert demo_client.get("/nowhere").status_code == 404
    assert demo_client.get("/groups/999").status_code == 404


def test_edit_and_new_person_pages(demo_client: TestClient) -> None:
    edit = demo_client.get("/people/1/edit")
    assert edit.status_code == 200
    assert 'value="Priya Raman"' in edit.text
    assert demo_client.get("/people/new").status_code == 200


def test_quick_log_page_has_a_datalist_of_names(demo_client: TestClient) -> None:
    page = demo_client.get("/log?who=Priya")
    assert page.status_code == 200
    assert '<datalist id="people-names">' in page.text
    assert '<option value="Priya Raman">' in page.text
    assert 'value="Priya"' in page.text
    assert '<option value="Leadership circle"' in page.text


def test_name_suggestions_are_json(demo_client: TestClient) -> None:
    found = demo_client.get("/people-suggest?q=raman").json()
    assert found == ["Priya Raman"]
    assert demo_client.get("/people-suggest?q=100%").json() == []


def test_groups_list_and_group_page(demo_client: TestClient) -> None:
    page = demo_client.get("/groups")
    assert "Leadership circle" in page.text
    assert "6 members" in page.text
    group_id = re.search(r'href="/groups/(\d+)"', page.text).group(1)  # type: ignore[union-attr]
    group = demo_client.get(f"/groups/{group_id}")
    assert group.status_code == 200
    assert "Ben Sato" in group.text and "Remove" in group.text
    assert "warmth warmth-" in group.text


def test_static_files_are_ours_and_served(client: TestClient) -> None:
    assert client.get("/static/style.css").status_code == 200
    script = client.get("/static/app.js")
    assert script.status_code == 200
    assert len(script.text) < 8000  # small and our own
    for path in [*TEMPLATES.rglob("*.html"), *STATIC.rglob("*")]:
        text = Path(path).read_text()
        assert "cdn" not in text.lower(), path
        assert not re.search(r'(src|href)="https?://', text), path
        assert ".min." not in path.name


def test_navigation_marks_the_current_page(demo_client: TestClient) -> None:
    page = demo_client.get("/groups").text
    assert '<a href="/groups" aria-current="page">' in page
    assert 'class="skip" href="#main"' in page


def test_search_ignores_case_and_treats_wildcards_literally(demo_client: TestClient) -> None:
    assert "Priya Raman" in demo_client.get("/people?q=PRIYA").text
    assert "No one matches" in demo_client.get("/people?q=%25").text
    assert "No one matches" in demo_client.get("/people?q=_").text


def test_filter_by_warmth_agrees_with_the_badges(demo_client: TestClient) -> None:
    seen = 0
    for band in ("warm", "cooling", "cold", "dormant", "none"):
        page = demo_client.get(f"/people?warmth={band}&partial=1").text
        badges = re.findall(r'class="warmth warmth-(\w+)"', page)
        assert badges and set(badges) == {band}, band
        seen += int(re.search(r"(\d+) (?:person|people)", page).group(1))  # type: ignore[union-attr]
    assert seen == 80  # every active person falls in exactly one band
    bad = demo_client.get("/people?warmth=tepid")
    assert bad.status_code == 400
    assert "Unknown warmth" in bad.text
