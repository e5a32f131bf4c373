"""`mentormap user …`, `token …` and `--user EMAIL`: accounts from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

from mentormap.db import Database
from mentormap.models import ApiToken, User
from mentormap.services.accounts.keys import digest
from mentormap.services.accounts.passwords import MEMORY_COST_KIB, TIME_COST, verify_password
from tests.conftest import CliInvoke

PASSWORD = "correct horse battery\n"


def add(cli: CliInvoke, email: str, *extra: str) -> None:
    result = cli("user", "add", email, "--password-stdin", *extra, input=PASSWORD)
    assert result.exit_code == 0, result.output


def test_user_add_hashes_with_argon2id_and_lists(cli: CliInvoke, db: Database) -> None:
    add(cli, "Alice@Example.org", "--admin")
    add(cli, "bob@example.org")
    listed = json.loads(cli("user", "list", "--json").stdout)
    assert [(u["email"], u["admin"], u["disabled"]) for u in listed] == [
        ("alice@example.org", True, False),
        ("bob@example.org", False, False),
    ]
    assert listed[0]["owner_id"] != listed[1]["owner_id"]  # a network each
    with db.session() as session:
        stored = session.scalars(select(User.password_hash)).first()
    assert stored is not None and stored.startswith("$argon2id$")
    assert f"m={MEMORY_COST_KIB},t={TIME_COST}" in stored
    assert "correct horse" not in stored and verify_password(stored, "correct horse battery")
    assert "alice@example.org  admin  active" in cli("user", "list").stdout


def test_user_add_refusals_are_one_line(cli: CliInvoke) -> None:
    add(cli, "alice@example.org")
    for args, text, expected in [
        (("alice@example.org",), PASSWORD, "already a user"),
        (("not-an-email",), PASSWORD, "is not an email address"),
        (("carol@example.org",), "short\n", "at least 10 characters"),
        (("carol@example.org",), "", "No password"),
    ]:
        result = cli("user", "add", *args, "--password-stdin", input=text)
        assert result.exit_code == 1 and expected in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    result = cli("user", "add", "carol@example.org")  # no terminal to ask on
    assert result.exit_code == 1 and "--password-stdin" in result.stderr


def test_user_passwd_and_disable(cli: CliInvoke, db: Database) -> None:
    add(cli, "alice@example.org")
    result = cli("user", "passwd", "ALICE@example.org", "--password-stdin", input="another one!!\n")
    assert result.exit_code == 0, result.output
    with db.session() as session:
        stored = session.scalars(select(User.password_hash)).one()
    assert verify_password(stored, "another one!!")
    assert cli("user", "disable", "alice@example.org").exit_code == 0
    assert json.loads(cli("user", "list", "--json").stdout)[0]["disabled"] is True
    refused = cli("--user", "alice@example.org", "people", "list")
    assert refused.exit_code == 1 and "disabled" in refused.stderr
    assert cli("user", "enable", "alice@example.org").exit_code == 0
    missing = cli("user", "disable", "nobody@example.org")
    assert missing.exit_code == 1 and "user list" in missing.stderr


def test_dash_dash_user_works_on_her_own_network(cli: CliInvoke) -> None:
    add(cli, "alice@example.org")
    add(cli, "bob@example.org")
    as_alice = ("--user", "alice@example.org")
    assert cli(*as_alice, "people", "add", "Grace Hopper", "--role", "coach").exit_code == 0
    assert "Grace Hopper" in cli(*as_alice, "people", "list").stdout
    for who in (("--user", "bob@example.org"), ()):  # another user, and local mode
        shown = cli(*who, "people", "list", "--json")
        assert shown.exit_code == 0 and "Grace" not in shown.stdout
        assert "Grace" not in cli(*who, "search", "Hopper").stdout
    unknown = cli("--user", "eve@example.org", "today")
    assert unknown.exit_code == 1 and "No user 'eve@example.org'" in unknown.stderr
    refused = cli(*as_alice, "backup", "copy.db")
    assert refused.exit_code == 1 and "export --format json" in refused.stderr


def test_local_network_goes_to_one_user(cli: CliInvoke) -> None:
    assert cli("people", "add", "Ada Lovelace", "--role", "coach").exit_code == 0
    add(cli, "alice@example.org", "--local-network")
    assert "Ada Lovelace" in cli("--user", "alice@example.org", "people", "list").stdout
    result = cli(
        "user", "add", "bob@example.org", "--password-stdin", "--local-network", input=PASSWORD
    )
    assert result.exit_code == 1 and "already belongs to alice@example.org" in result.stderr


def test_tokens_are_shown_once_and_stored_hashed(cli: CliInvoke, db: Database) -> None:
    add(cli, "alice@example.org")
    made = json.loads(
        cli("token", "create", "alice@example.org", "--name", "phone", "--json").stdout
    )
    assert made["token"].startswith("mm_") and made["name"] == "phone"
    local = cli("token", "create")
    assert local.exit_code == 0 and "not shown again" in local.stdout
    with db.session() as session:
        hashes = set(session.scalars(select(ApiToken.token_hash)))
    assert digest(made["token"]) in hashes and made["token"] not in str(hashes)
    listed = cli("token", "list", "alice@example.org")
    assert "phone" in listed.stdout and made["token"] not in listed.stdout
    assert [t["name"] for t in json.loads(cli("token", "list", "--json").stdout)] == ["cli"]
    other = cli("token", "revoke", str(made["id"]))  # not the local network's token
    assert other.exit_code == 1 and "No token" in other.stderr
    revoked = cli("--user", "alice@example.org", "token", "revoke", f"#{made['id']}")
    assert revoked.exit_code == 0 and "Revoked token" in revoked.stdout
    assert "No tokens" in cli("token", "list", "alice@example.org").stdout


def test_user_invite_prints_a_one_time_link(cli: CliInvoke) -> None:
    result = cli("user", "invite", "--base-url", "https://mm.example.org/")
    assert result.exit_code == 0
    assert result.stdout.startswith("https://mm.example.org/signup/") and len(result.stdout) > 60


def test_restore_refuses_a_database_shared_with_others(cli: CliInvoke, tmp_path: Path) -> None:
    add(cli, "alice@example.org")
    add(cli, "bob@example.org")
    assert cli("--user", "alice@example.org", "people", "add", "Ada Lovelace").exit_code == 0
    backup = tmp_path / "alice.json"
    exported = cli("--user", "alice@example.org", "export", "--format", "json", "-o", str(backup))
    assert exported.exit_code == 0, exported.output
    refused = cli("--user", "bob@example.org", "restore", str(backup))
    assert refused.exit_code == 1 and "no other user has data" in refused.stderr
    assert "Ada" not in cli("--user", "bob@example.org", "people", "list").stdout
