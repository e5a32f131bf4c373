"""What the trial found in the loops and in `today`, mended: a favour's report carries a note,
follow-ups can be changed, and the due list is ordered by role, the coldest first in each."""

from __future__ import annotations

import json
from datetime import timedelta

from mentormap.domain.cadence import Warmth
from mentormap.services.clock.today import compute_today
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.people.people import add_person
from mentormap.services.people.roles import give_role
from tests.conftest import TODAY, CliInvoke


def ok(result) -> str:  # type: ignore[no-untyped-def]
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_favour_reported_keeps_the_note_in_the_logged_telling(cli: CliInvoke) -> None:
    ok(cli("people", "add", "Dana Whitfield", "--role", "sponsor"))
    ok(cli("favour", "add", "Dana", "Introduced me to the CFP chair", "--kind", "introduction"))
    ok(cli("favour", "acted", "1"))
    said = ok(cli("favour", "reported", "1", "--note", "The chair accepted my talk for March."))
    assert "Loop closed on favour #1" in said
    logged = json.loads(ok(cli("timeline", "Dana", "--json")))[0]
    assert logged["notes"] == (
        "Told them what came of: Introduced me to the CFP chair\n\n"
        "The chair accepted my talk for March."
    )
    ok(cli("favour", "add", "Dana", "Reviewed my packet", "--on", "-9d", "--acted", "-5d"))
    refused = cli("favour", "reported", "2", "--no-log", "--note", "x")
    assert refused.exit_code == 1 and "drop --no-log" in refused.stderr


def test_followup_edit_rewords_and_moves_the_due_date(cli: CliInvoke) -> None:
    ok(cli("people", "add", "Jo Nakamura"))
    ok(cli("followup", "add", "Jo", "Send slides", "--due", "+3d"))
    said = ok(cli("followup", "edit", "1", "--title", "Send the annotated slides", "--due", "+1w"))
    assert said.strip() == "Follow-up #1: Send the annotated slides, due 2026-12-02."
    moved = json.loads(ok(cli("followup", "edit", "1", "--due", "2026-11-20", "--json")))
    assert moved["title"] == "Send the annotated slides" and moved["days_overdue"] == 5
    nothing = cli("followup", "edit", "1")
    assert nothing.exit_code == 1 and "Nothing to change" in nothing.stderr
    blank = cli("followup", "edit", "1", "--title", "  ")
    assert blank.exit_code == 1 and "needs a title" in blank.stderr
    ok(cli("followup", "done", "1"))
    closed = cli("followup", "edit", "1", "--title", "again")
    assert closed.exit_code == 1 and "only open ones" in closed.stderr


def test_due_is_ordered_by_role_and_coldest_first_within_it(ctx: Ctx) -> None:
    def person(name: str, role: str, silent_days: int) -> None:
        someone = add_person(ctx, name)
        give_role(ctx, someone, role, since=TODAY - timedelta(days=600))
        log_interaction(ctx, [someone], kind="call", on=TODAY - timedelta(days=silent_days))

    # Sponsors are kept monthly, contacts every six months.
    person("Sponsor cooling", "sponsor", 35)
    person("Sponsor cold", "sponsor", 80)
    person("Contact cold", "contact", 400)
    person("Contact cooling", "contact", 190)
    agenda = compute_today(ctx)
    assert [(e.name, e.warmth) for e in agenda.due] == [
        ("Sponsor cold", Warmth.COLD),
        ("Sponsor cooling", Warmth.COOLING),
        ("Contact cold", Warmth.COLD),
        ("Contact cooling", Warmth.COOLING),
    ]
