"""`mentormap who`: people ranked by evidence, with roles, warmth, why and a specific ask."""

from __future__ import annotations

import json

import pytest

from tests.conftest import CliInvoke


def run(cli: CliInvoke, *args: str) -> str:
    result = cli(*args)
    assert result.exit_code == 0, result.output
    return str(result.output)


def ranked(cli: CliInvoke, *args: str) -> list[dict[str, object]]:
    return list(json.loads(run(cli, "who", *args, "--json"))["people"])


@pytest.fixture
def network(cli: CliInvoke) -> CliInvoke:
    run(cli, "people", "add", "Zoë Ó Briain", "--expertise", "Kubernetes, batch scheduling",
        "--role", "role_model")  # fmt: skip
    run(cli, "people", "add", "Tagged Tom")
    run(cli, "tag", "add", "Tagged Tom", "kubernetes")
    run(
        cli, "people", "add", "Sam Lee", "--title", "Kubernetes platform lead", "--company", "Hooli"
    )
    run(cli, "people", "add", "Ana Lima", "--interests", "bouldering, kubernetes", "--role", "peer")
    run(cli, "people", "add", "Old Olga")
    run(cli, "people", "add", "Nobody Ned", "--expertise", "gardening")
    run(cli, "people", "add", "Bo Berg", "--interests", "jazz and Kubernetes")
    run(cli, "log", "Ana Lima", "-k", "lunch", "--on", "2026-11-02", "--no-edit", "-n",
        "She moved the batch jobs onto kubernetes last month.")  # fmt: skip
    run(cli, "log", "Old Olga", "-k", "call", "--on", "2022-01-02", "--no-edit", "-n",
        "Kubernetes upgrade pains.")  # fmt: skip
    return cli


def test_evidence_ranks_expertise_then_work_then_recent_conversations(network: CliInvoke) -> None:
    people = ranked(network, "kubernetes")
    names = [p["name"] for p in people]
    # Declared expertise and tags first, then title, then a recent conversation, then an old one.
    assert names[:2] == ["Tagged Tom", "Zoë Ó Briain"]  # equal evidence: by name
    assert names[2:5] == ["Sam Lee", "Ana Lima", "Old Olga"]
    assert "Nobody Ned" not in names
    assert "Bo Berg" not in names  # an interest is no evidence of knowing it
    scores = [float(p["score"]) for p in people]  # type: ignore[arg-type]
    assert scores == sorted(scores, reverse=True)


def test_each_helper_has_roles_warmth_why_and_a_specific_ask(network: CliInvoke) -> None:
    people = {p["name"]: p for p in ranked(network, "Kubernetes")}
    zoe, ana, sam = people["Zoë Ó Briain"], people["Ana Lima"], people["Sam Lee"]
    assert zoe["roles"] == ["role_model"]
    assert zoe["why"] == ["expertise: Kubernetes, batch scheduling"]
    assert sam["why"] == ["works as: Kubernetes platform lead Hooli"]
    assert ana["why"] == [
        "lunch 2 Nov 2026: 'She moved the batch jobs onto kubernetes last month.'"
    ]
    assert "2 Nov 2026" in str(ana["ask"])
    # Warmth is the one standing's, as `people show` reports it.
    shown = json.loads(run(network, "people", "show", "Ana Lima", "--json"))
    assert ana["warmth"] == shown["standing"]["warmth"] == shown["warmth"]
    for person in people.values():
        assert "mentor" not in str(person["ask"]).lower()
        assert str(person["ask"]).endswith("?")


def test_stemming_accents_and_text_output(network: CliInvoke) -> None:
    assert [p["name"] for p in ranked(network, "schedule")] == ["Zoë Ó Briain"]
    out = run(network, "who", "kubernetes")
    assert "Zoë Ó Briain (role_model" in out and "ask:" in out
    none = run(network, "who", "quantum")
    assert "No one in your network shows quantum yet." in none
    missing = network("who")
    assert missing.exit_code == 1 and "Say what you need help with" in missing.output


def test_archived_people_are_left_out(network: CliInvoke) -> None:
    run(network, "people", "archive", "Sam Lee")
    assert "Sam Lee" not in [p["name"] for p in ranked(network, "kubernetes")]


def test_introductions_for_someone(network: CliInvoke) -> None:
    result = json.loads(run(network, "who", "--for", "Ana Lima", "--json"))
    assert result["for"] == "Ana Lima"
    assert result["topics"] == ["bouldering", "kubernetes"]
    names = [p["name"] for p in result["people"]]
    assert "Ana Lima" not in names
    assert "Bo Berg" in names  # she shares the interest
    bo = next(p for p in result["people"] if p["name"] == "Bo Berg")
    assert bo["why"][0] == "shares Ana Lima's interest: kubernetes"
    assert "Ana Lima" in bo["ask"]
    bare = network("who", "--for", "Nobody Ned")
    assert bare.exit_code == 0  # her expertise is a topic too
    run(network, "people", "add", "Empty Emma")
    empty = network("who", "--for", "Empty Emma")
    assert empty.exit_code == 1 and "has no interests or expertise yet" in empty.output
