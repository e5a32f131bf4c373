"""The achievements log and the highlights email."""

from __future__ import annotations

import json

from tests.conftest import CliInvoke


def test_empty_achievements_log(cli: CliInvoke) -> None:
    result = cli("achievement", "list")
    assert result.exit_code == 0
    assert "Your achievements log is empty" in result.stdout
    assert json.loads(cli("achievement", "list", "--json").stdout) == []
    cli("people", "add", "Dana Whitfield", "--role", "sponsor")
    empty = cli("highlights", "Dana")
    assert empty.exit_code == 1
    assert "Nothing new to tell Dana Whitfield" in empty.stderr
    brief = json.loads(cli("prep", "Dana", "--json").stdout)
    assert (
        "No new achievements since you last shared some with Dana."
        in (brief["bring"][0]["specifics"])
    )


def test_add_edit_list_with_tags(cli: CliInvoke) -> None:
    added = cli(
        "achievement",
        "add",
        "Shipped the search rewrite",
        "--on",
        "2026-10-01",
        "--impact",
        "Queries 3x faster",
        "--tag",
        "Launch",
        "--tag",
        "perf",
    )
    assert added.exit_code == 0, added.output
    cli("achievement", "add", "Ran the offsite")
    items = json.loads(cli("achievement", "list", "--json").stdout)
    assert [i["title"] for i in items] == ["Ran the offsite", "Shipped the search rewrite"]
    assert items[1]["tags"] == ["launch", "perf"] and items[1]["impact"] == "Queries 3x faster"
    tagged = json.loads(cli("achievement", "list", "--tag", "launch", "--json").stdout)
    assert [i["title"] for i in tagged] == ["Shipped the search rewrite"]
    first = str(items[1]["id"])
    assert cli("achievement", "edit", first, "--impact", "", "--tag", "search").exit_code == 0
    edited = json.loads(cli("achievement", "list", "--tag", "search", "--json").stdout)[0]
    assert edited["impact"] is None and edited["tags"] == ["search"]
    table = cli("achievement", "list").stdout
    assert "Shipped the search rewrite" in table


def test_bad_achievement_input(cli: CliInvoke) -> None:
    for args, message in [
        (["add", "x", "--on", "2027-01-01"], "in the future"),
        (["add", "  "], "needs a title"),
        (["add", "x", "--tag", "no way!"], "is not a tag"),
        (["edit", "42", "--title", "y"], "No achievement #42"),
        (["add", "x", "--on", "someday"], "is not a date"),
    ]:
        result = cli("achievement", *args)
        assert result.exit_code == 1, args
        assert message in result.stderr
    assert json.loads(cli("achievement", "list", "--json").stdout) == []


def test_highlights_email_on_the_demo(demo_cli: CliInvoke) -> None:
    result = demo_cli("highlights", "Margaret Okafor")
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert text.startswith("Subject: A few highlights since we last spoke, Margaret\n")
    assert "Hi Margaret," in text
    # the newest five not yet shared with her, oldest first
    assert "- Ran the hiring loop calibration (October 2026) — Time-to-offer down a week" in text
    assert "Wrote the team's technical strategy" not in text
    assert "Shipped the storage-tier migration" not in text  # shared with her long ago
    assert "Thank you again: you introduced me to the staff-plus mentoring program lead." in text
    md = demo_cli("highlights", "Margaret Okafor", "--md").stdout
    assert md.startswith("**Subject:**") and "- **Ran the hiring loop calibration**" in md


def test_mark_sent_logs_the_email_and_records_shares(demo_cli: CliInvoke) -> None:
    # Margaret last spoke with you on 26 Aug: only the October calibration is news to her.
    before = json.loads(demo_cli("timeline", "Margaret Okafor", "--json").stdout)
    sent = demo_cli("highlights", "Margaret Okafor", "--mark-sent")
    assert sent.exit_code == 0, sent.output
    assert "1 achievement(s) marked shared with Margaret Okafor" in sent.stdout
    after = json.loads(demo_cli("timeline", "Margaret Okafor", "--json").stdout)
    assert len(after) == len(before) + 1
    assert after[0]["kind"] == "highlights_email" and after[0]["direction"] == "outbound"
    log = json.loads(demo_cli("achievement", "list", "--json").stdout)
    calibration = next(a for a in log if a["title"] == "Ran the hiring loop calibration")
    told = {(s["person"], s["shared_on"]) for s in calibration["shared_with"]}
    assert ("Margaret Okafor", "2026-11-25") in told
    again = demo_cli("highlights", "Margaret Okafor")
    assert again.exit_code == 1 and "Nothing new to tell" in again.stderr
    # a new achievement is news again
    demo_cli("achievement", "add", "Closed the quarter's roadmap")
    draft = json.loads(demo_cli("highlights", "Margaret", "--json").stdout)
    assert [i["title"] for i in draft["items"]] == ["Closed the quarter's roadmap"]


def test_never_shared_reaches_back_one_year(demo_cli: CliInvoke) -> None:
    demo_cli("people", "add", "Nova Reyes", "--role", "sponsor")  # never met, nothing shared
    draft = json.loads(demo_cli("highlights", "Nova Reyes", "--limit", "10", "--json").stdout)
    dates = [i["occurred_on"] for i in draft["items"]]
    assert dates == sorted(dates) and min(dates) >= "2025-11-25"
    assert len(dates) == 5
    assert draft["since"] == "2025-11-25"
