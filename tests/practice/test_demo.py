"""The demo network shows every practice record kind, so a new user sees them."""

from __future__ import annotations

import json

from tests.conftest import CliInvoke


def test_the_demo_has_prospects_opportunities_hours_and_stories(demo_cli: CliInvoke) -> None:
    prospects = json.loads(demo_cli("prospect", "list", "--json").output)
    assert len({p["stage"] for p in prospects}) >= 3
    assert "role_given" in {p["stage"] for p in prospects}
    chances = json.loads(demo_cli("opportunity", "list", "--json").output)
    assert {"considering", "applied", "accepted", "declined", "done"} <= {
        c["status"] for c in chances
    }
    assert {c["kind"] for c in chances} >= {"cfp", "program", "project"}
    assert any(c["passed_to"] for c in chances)
    champion = [c for c in chances if c["from"] == "Chiara Bellini"]
    assert any(c["status"] in ("accepted", "done") for c in champion)
    assert json.loads(demo_cli("office-hours", "list", "--json").output)
    assert len(json.loads(demo_cli("story", "list", "--json").output)) >= 2
    agenda = json.loads(demo_cli("today", "--json").output)
    assert agenda["deadlines"]
    mentee = json.loads(demo_cli("mentee", "show", "Aisha Khan", "--json").output)
    assert mentee["goals"] and mentee["achievements"] and mentee["passed_on"]
    assert "2 of your 3 talks came from Chiara Bellini" in demo_cli("health").output
