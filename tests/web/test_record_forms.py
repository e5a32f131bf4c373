"""Web forms for the writes the CLI has: favours and their loop, advice and its review, goals
and challenges, tags and attributes, and changing or deleting an interaction."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from mentormap.db import Database
from mentormap.models import Advice, Favour, FollowUp, Goal, Interaction, Person
from mentormap.services.clock.favours import add_favour, mark_acted
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.people.people import add_person
from mentormap.services.unit import open_ctx
from tests.web.conftest import post, token


@pytest.fixture
def network(db: Database, client: TestClient) -> TestClient:
    with open_ctx(db) as ctx:
        dana = add_person(ctx, "Dana Whitfield")
        add_person(ctx, "Jo Nakamura")
        log_interaction(ctx, [dana], kind="coffee", on=date(2026, 11, 20), notes="The packet")
    return client


def error_next_to(page: str, field: str) -> str:
    """The message shown right under one field (the macros give it the id FIELD-error)."""
    found = re.search(rf'<p class="field-error" id="{field}-error">([^<]*)</p>', page)
    assert found, f"no error shown next to {field}"
    return found.group(1)


def one(db: Database, query):  # type: ignore[no-untyped-def]
    with open_ctx(db) as ctx:
        return ctx.session.execute(query).all()


def test_a_favour_is_recorded_from_the_person_page(network: TestClient, db: Database) -> None:
    page = network.get("/people/1").text
    assert 'action="/people/1/favours"' in page and "Record a favour" in page
    refused = post(network, "/people/1/favours", {"direction": "received", "kind": "other"})
    assert refused.status_code == 400  # type: ignore[attr-defined]
    assert error_next_to(refused.text, "description") == "Say what the favour was."  # type: ignore[attr-defined]
    future = post(network, "/people/1/favours", {"description": "Intro", "on": "2027-01-01"})
    assert "in the future" in error_next_to(future.text, "description")  # type: ignore[attr-defined]
    bad_kind = post(network, "/people/1/favours", {"description": "Intro", "kind": "bribe"})
    assert "Unknown favour kind" in error_next_to(bad_kind.text, "kind")  # type: ignore[attr-defined]
    assert one(db, select(Favour.id)) == []  # nothing half-written
    made = post(
        network,
        "/people/1/favours",
        {"direction": "received", "kind": "introduction", "description": "Intro to the chair"},
    )
    assert made.status_code == 303  # type: ignore[attr-defined]
    assert made.headers["location"] == "/people/1#favours"  # type: ignore[attr-defined]
    given = post(network, "/people/1/favours", {"direction": "given", "description": "Read her CV"})
    assert given.status_code == 303  # type: ignore[attr-defined]
    assert sorted(one(db, select(Favour.direction, Favour.kind, Favour.state))) == [
        ("given", "other", "given"),
        ("received", "introduction", "received"),
    ]
    no_token = network.post("/people/1/favours", data={"description": "x"})
    assert no_token.status_code == 403


def test_telling_the_giver_keeps_a_note_and_shows_errors_on_that_favour(
    network: TestClient, db: Database
) -> None:
    with open_ctx(db) as ctx:
        dana = ctx.session.get(Person, 1)
        assert dana is not None
        favour = add_favour(ctx, dana, "Reviewed my packet", on=date(2026, 11, 10))
        mark_acted(ctx, favour, date(2026, 11, 12))
        favour_id = favour.id
    page = network.get("/people/1").text
    assert f'action="/people/1/favours/{favour_id}/report"' in page
    early = post(
        network, f"/people/1/favours/{favour_id}/report", {"on": "2026-11-11", "note": "x"}
    )
    assert early.status_code == 400  # type: ignore[attr-defined]
    assert "before you acted" in error_next_to(early.text, "note")  # type: ignore[attr-defined]
    assert "<details open>" in early.text  # type: ignore[attr-defined]
    done = post(network, f"/people/1/favours/{favour_id}/report", {"note": "The panel said yes."})
    assert done.status_code == 303  # type: ignore[attr-defined]
    notes = one(db, select(Interaction.notes).where(Interaction.kind == "message"))
    assert notes == [("Told them what came of: Reviewed my packet\n\nThe panel said yes.",)]


def test_advice_is_recorded_and_reviewed(network: TestClient, db: Database) -> None:
    empty = post(network, "/people/1/advice", {"text": " "})
    assert error_next_to(empty.text, "text") == "Write the advice in a sentence."  # type: ignore[attr-defined]
    assert post(network, "/people/1/advice", {"text": "Ask for scope"}).status_code == 303  # type: ignore[attr-defined]
    (advice_id,) = one(db, select(Advice.id))[0]
    page = network.get("/people/1").text
    assert "Ask for scope" in page and f'action="/advice/{advice_id}/review"' in page
    no_verdict = post(network, f"/advice/{advice_id}/review", {"verdict": ""})
    assert no_verdict.status_code == 400  # type: ignore[attr-defined]
    assert "Say how it went" in error_next_to(no_verdict.text, "verdict")  # type: ignore[attr-defined]
    helped = post(network, f"/advice/{advice_id}/review", {"verdict": "helped", "note": "Got it"})
    assert helped.status_code == 303  # type: ignore[attr-defined]
    assert one(db, select(Advice.followed, Advice.helped, Advice.note)) == [(True, True, "Got it")]
    titles = [t for (t,) in one(db, select(FollowUp.title))]
    assert "Tell Dana her advice helped: Ask for scope" in titles
    assert "it helped you" in network.get("/people/1").text


def test_tags_and_attributes_are_added_and_removed(network: TestClient, db: Database) -> None:
    assert post(network, "/people/1/tags", {"tags": "Rust, speaking"}).status_code == 303  # type: ignore[attr-defined]
    page = network.get("/people/1").text
    assert "Remove the tag rust" in page and "Remove the tag speaking" in page
    assert post(network, "/people/1/tags/remove", {"tag": "rust"}).status_code == 303  # type: ignore[attr-defined]
    page = network.get("/people/1").text
    assert "Remove the tag rust" not in page and "Remove the tag speaking" in page
    blank = post(network, "/people/1/tags", {"tags": ""})
    assert error_next_to(blank.text, "tags") == "Write a tag."  # type: ignore[attr-defined]

    bad = post(network, "/people/1/attributes", {"key": "9 lives", "value": "x"})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert "is not an attribute name" in error_next_to(bad.text, "key")  # type: ignore[attr-defined]
    no_value = post(network, "/people/1/attributes", {"key": "seniority"})
    assert "Give it a value" in error_next_to(no_value.text, "value")  # type: ignore[attr-defined]
    ok = post(network, "/people/1/attributes", {"key": "Seniority", "value": "principal"})
    assert ok.status_code == 303  # type: ignore[attr-defined]
    assert "<dt>seniority</dt>" in network.get("/people/1").text
    gone = post(network, "/people/1/attributes/remove", {"key": "seniority"})
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert "<dt>seniority</dt>" not in network.get("/people/1").text


def test_an_interaction_is_edited_with_errors_by_field(network: TestClient, db: Database) -> None:
    ((item_id,),) = one(db, select(Interaction.id))
    assert f'href="/interactions/{item_id}/edit' in network.get("/people/1").text
    form = network.get(f"/interactions/{item_id}/edit").text
    assert 'value="Dana Whitfield"' in form and 'value="2026-11-20"' in form
    form_url = f"/interactions/{item_id}/edit"
    future = post(
        network, form_url, {"who": "Dana", "kind": "coffee", "on": "2027-02-01"}, form_url
    )
    assert future.status_code == 400  # type: ignore[attr-defined]
    assert "still to come" in error_next_to(future.text, "on")  # type: ignore[attr-defined]
    stranger = post(network, form_url, {"who": "Dana, Zed", "kind": "coffee"}, form_url)
    assert "Zed" in error_next_to(stranger.text, "who")  # type: ignore[attr-defined]
    nobody = post(network, form_url, {"who": "", "kind": "coffee"}, form_url)
    assert "at least one person" in error_next_to(nobody.text, "who")  # type: ignore[attr-defined]
    saved = post(
        network,
        form_url,
        {
            "who": "Dana Whitfield, Jo",
            "kind": "lunch",
            "on": "2026-11-18",
            "direction": "mutual",
            "notes": "The packet, and Jo's team",
            "back": "/people/1#timeline",
        },
        form_url,
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert saved.headers["location"] == "/people/1#timeline"  # type: ignore[attr-defined]
    assert one(db, select(Interaction.kind, Interaction.occurred_on, Interaction.notes)) == [
        ("lunch", date(2026, 11, 18), "The packet, and Jo's team")
    ]
    assert "The packet, and Jo" in network.get("/people/2").text  # Jo is in it now


def test_deleting_an_interaction_asks_first_without_javascript(
    network: TestClient, db: Database
) -> None:
    ((item_id,),) = one(db, select(Interaction.id))
    confirm = network.get(f"/interactions/{item_id}/delete?back=/people/1")
    assert confirm.status_code == 200
    assert f'<form method="post" action="/interactions/{item_id}/delete"' in confirm.text
    assert "Keep it" in confirm.text and 'name="csrf_token"' in confirm.text
    assert one(db, select(Interaction.id)) == [(item_id,)]  # asking deletes nothing
    forged = network.post(f"/interactions/{item_id}/delete", data={})
    assert forged.status_code == 403
    url = f"/interactions/{item_id}/delete"
    gone = post(network, url, {"back": "//evil.example/"}, f"{url}?back=/people/1")
    assert gone.status_code == 303  # type: ignore[attr-defined]
    assert gone.headers["location"] == "/people/1#timeline"  # type: ignore[attr-defined]
    assert one(db, select(Interaction.id)) == []
    assert network.get(f"/interactions/{item_id}/edit").status_code == 404


def test_goals_and_challenges_are_added_edited_and_closed(
    network: TestClient, db: Database
) -> None:
    assert "/goals" in network.get("/today").text  # in the navigation
    missing = post(network, "/goals", {"kind": "goal"}, "/goals")
    assert missing.status_code == 400  # type: ignore[attr-defined]
    assert "Write the goal" in error_next_to(missing.text, "title")  # type: ignore[attr-defined]
    wrong = post(network, "/goals", {"title": "x", "kind": "dream"}, "/goals")
    assert "goal or a challenge" in error_next_to(wrong.text, "kind")  # type: ignore[attr-defined]
    made = post(network, "/goals", {"title": "Reach Staff", "kind": "goal"}, "/goals")
    assert made.status_code == 303  # type: ignore[attr-defined]
    post(network, "/goals", {"title": "Scope creep", "kind": "challenge", "top": "on"}, "/goals")
    page = network.get("/goals").text
    assert "Reach Staff" in page and "challenge · top" in page
    edit = "/goals/1/edit"
    assert 'value="Reach Staff"' in network.get(edit).text
    blank = post(network, edit, {"title": "", "kind": "goal"}, edit)
    assert "Write the goal" in error_next_to(blank.text, "title")  # type: ignore[attr-defined]
    saved = post(
        network, edit, {"title": "Reach Staff by 2027", "kind": "goal", "note": "L6"}, edit
    )
    assert saved.status_code == 303  # type: ignore[attr-defined]
    assert post(network, "/goals/2/close", {"as": "dropped"}, "/goals").status_code == 303  # type: ignore[attr-defined]
    assert post(network, "/goals/1/close", {}, "/goals").status_code == 303  # type: ignore[attr-defined]
    assert sorted(one(db, select(Goal.title, Goal.state, Goal.note, Goal.top))) == [
        ("Reach Staff by 2027", "done", "L6", False),
        ("Scope creep", "dropped", None, False),
    ]
    again = post(network, "/goals/1/close", {}, "/goals")
    assert again.status_code == 400  # type: ignore[attr-defined]
    assert token(network, "/goals")


def test_a_follow_up_is_changed_on_the_web(network: TestClient, db: Database) -> None:
    with open_ctx(db) as ctx:
        from mentormap.services.clock.followups import add_follow_up

        dana = ctx.session.get(Person, 1)
        item = add_follow_up(ctx, "Send slides", person=dana, due_on=date(2026, 11, 28))
        item_id = item.id
    assert f"/follow-ups/{item_id}/edit" in network.get("/people/1").text
    url = f"/follow-ups/{item_id}/edit"
    assert 'value="Send slides"' in network.get(url).text
    bad = post(network, url, {"title": "Send slides", "due": "someday"}, url)
    assert bad.status_code == 400  # type: ignore[attr-defined]
    assert error_next_to(bad.text, "due")  # type: ignore[attr-defined]
    blank = post(network, url, {"title": " ", "due": ""}, url)
    assert error_next_to(blank.text, "title") == "Say what is to be done."  # type: ignore[attr-defined]
    saved = post(network, url, {"title": "Send the annotated slides", "due": "2026-12-02",
                                "back": "/people/1#follow-ups"}, url)  # fmt: skip
    assert saved.headers["location"] == "/people/1#follow-ups"  # type: ignore[attr-defined]
    assert one(db, select(FollowUp.title, FollowUp.due_on)) == [
        ("Send the annotated slides", date(2026, 12, 2))
    ]


def test_an_achievement_is_marked_shared_in_person(network: TestClient, db: Database) -> None:
    from mentormap.models import AchievementShare
    from mentormap.services.conversations.achievements import add_achievement

    with open_ctx(db) as ctx:
        achievement_id = add_achievement(ctx, "Gave the keynote", on=date(2026, 11, 20)).id
    page = network.get("/achievements").text
    assert f'action="/achievements/{achievement_id}/shared"' in page
    url = f"/achievements/{achievement_id}/shared"
    nobody = post(network, url, {"with": "Zed"}, "/achievements")
    assert nobody.status_code == 400  # type: ignore[attr-defined]
    assert "Zed" in error_next_to(nobody.text, "with")  # type: ignore[attr-defined]
    early = post(network, url, {"with": "Dana", "shared_on": "2026-11-01"}, "/achievements")
    assert "after that day" in error_next_to(early.text, "with")  # type: ignore[attr-defined]
    done = post(network, url, {"with": "Dana"}, "/achievements")
    assert done.status_code == 303  # type: ignore[attr-defined]
    assert one(db, select(AchievementShare.person_id, AchievementShare.shared_on)) == [
        (1, date(2026, 11, 25))
    ]
    assert "Dana Whitfield (25 Nov 2026)" in network.get("/achievements").text


def test_the_person_page_log_takes_both_positive_actions(network: TestClient, db: Database) -> None:
    logged = post(
        network,
        "/people/2/log",
        {"kind": "call", "on": "2026-11-20", "direction": "mutual", "notes": "vented",
         "action": "Ask for the transfer", "their_action": "Book the climbing course"},
        "/people/2",
    )  # fmt: skip
    assert logged.status_code == 303  # type: ignore[attr-defined]
    rows = one(db, select(FollowUp.title, FollowUp.owed_by, FollowUp.due_on, FollowUp.person_id))
    assert sorted(rows) == [
        ("Positive action: Ask for the transfer", "me", date(2026, 11, 27), 2),
        ("Positive action: Book the climbing course", "them", date(2026, 11, 27), 2),
    ]


def test_adding_a_namesake_on_the_web_says_so_with_the_ids(network: TestClient) -> None:
    added = post(
        network, "/people/new", {"name": "Dana Whitfield", "role": "contact"}, "/people/new"
    )
    assert added.status_code == 303  # type: ignore[attr-defined]
    page = network.get(added.headers["location"]).text  # type: ignore[attr-defined]
    assert "Added Dana Whitfield (#3). You already had someone called Dana Whitfield: #1" in page


def test_the_log_page_takes_their_action_for_the_right_person(
    network: TestClient, db: Database
) -> None:
    base = {"who": "Dana, Jo", "kind": "call", "on": "2026-11-24", "direction": "mutual"}
    vague = post(network, "/log", {**base, "their_action": "book the course"})
    assert vague.status_code == 400  # type: ignore[attr-defined]
    assert "Several were there" in error_next_to(vague.text, "their_action")  # type: ignore[attr-defined]
    absent = post(network, "/log", {**base, "their_action": "Zed: book the course"})
    assert "there were: Dana Whitfield (#1), Jo Nakamura (#2)" in error_next_to(
        absent.text,  # type: ignore[attr-defined]
        "their_action",
    )
    assert one(db, select(Interaction.id).where(Interaction.kind == "call")) == []
    logged = post(network, "/log", {**base, "their_action": "Jo: book the course"})
    assert logged.status_code == 303  # type: ignore[attr-defined]
    assert one(db, select(FollowUp.title, FollowUp.owed_by, FollowUp.person_id)) == [
        ("Positive action: book the course", "them", 2)
    ]
