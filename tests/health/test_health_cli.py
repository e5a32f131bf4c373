"""`mentormap health`, `config` and `when` through the CLI runner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mentormap.domain.health import Area, Finding, HealthReport, OrbitPoint, WarmthMonth
from mentormap.render.health_html import render_html
from mentormap.services.interop.files import write_atomically
from tests.conftest import TODAY, CliInvoke


def test_health_on_the_demo(demo_cli: CliInvoke, tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    page = tmp_path / "out" / "health.html"
    result = demo_cli("health", "--html", str(page))
    assert result.exit_code == 0, result.output
    assert "Network health 2026-11-25" in result.stdout
    assert "gender: 68% woman" in result.stdout
    assert "not yet reported back (Margaret Okafor, Priya Raman)" in result.stdout
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!doctype html>")
    assert html.count("<svg") == 2 and "Priya" in html
    assert "<script" not in html and "http://" not in html.replace("http://www.w3.org", "")
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["health.html"]  # no temp file left


def test_health_json_shape(demo_cli: CliInvoke) -> None:
    data = json.loads(demo_cli("health", "--json").stdout)
    assert set(data) == {"on", "people", "overall", "areas", "findings", "orbit", "warmth_history"}
    assert [a["key"] for a in data["areas"]] == [
        "coverage",
        "concentration",
        "inside_outside",
        "perspectives",
        "reciprocity",
        "cadence",
        "money",
    ]
    assert set(data["findings"][0]) == {"area", "key", "ok", "title", "reason", "action"}
    assert len(data["warmth_history"]) == 12
    assert 0 <= data["overall"] <= 100


def test_health_all_lists_passing_checks(demo_cli: CliInvoke) -> None:
    short = demo_cli("health").stdout
    full = demo_cli("health", "--all").stdout
    assert "A sponsor: Dana Whitfield, Grace Liu" in full
    assert "A sponsor:" not in short and "checks passed (--all lists them)" in short


def test_health_on_an_empty_database(cli: CliInvoke) -> None:
    result = cli("health")
    assert result.exit_code == 0
    assert "No friend outside your company" in result.stdout
    assert "No mentees" in result.stdout


def test_health_html_into_a_missing_folder_fails_cleanly(cli: CliInvoke, tmp_path: Path) -> None:
    result = cli("health", "--html", str(tmp_path / "nope" / "x.html"))
    assert result.exit_code == 1 and result.stderr.startswith("Error: No folder")
    into_a_folder = cli("health", "--html", str(tmp_path))
    assert into_a_folder.exit_code == 1 and "is a folder; name a file" in into_a_folder.stderr


def test_page_escapes_names() -> None:
    report = HealthReport(
        on=TODAY,
        people=1,
        overall=50,
        areas=[Area("coverage", "Role coverage", 50, "<b>x</b>")],
        findings=[Finding("coverage", "coverage.x", False, "<script>alert(1)</script>", "r", "a")],
        orbit=[OrbitPoint(1, "<img src=x>", "friend", 0, "warm")],
        warmth_history=[WarmthMonth(TODAY, 1, 0, 0, 0)],
    )
    html = render_html(report)
    assert "<script>" not in html and "<img src" not in html and "&lt;img src=x&gt;" in html


def test_write_atomically_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "page.html"
    target.write_text("old")
    write_atomically(target, "new")
    assert target.read_text() == "new" and len(list(tmp_path.iterdir())) == 1


# --- config -------------------------------------------------------------------------------------


def test_config_set_get_unset(cli: CliInvoke) -> None:
    assert cli("config", "get", "employer").stdout == "(not set)\n"
    assert cli("config", "set", "employer", "Quokka Labs").exit_code == 0
    assert cli("config", "set", "currency", "gbp").stdout == "currency = GBP\n"
    assert cli("config", "set", "home_city", "bangalore").stdout == "home_city = Bengaluru\n"
    assert cli("config", "get", "employer").stdout == "Quokka Labs\n"
    listed = json.loads(cli("config", "get", "--json").stdout)
    assert listed["employer"] == "Quokka Labs" and listed["coaching_budget"] is None
    assert "yearly budget" in cli("config", "get").stdout.lower()
    assert cli("config", "unset", "employer").stdout == "employer cleared.\n"
    assert json.loads(cli("config", "get", "employer", "--json").stdout)["value"] is None


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("favourite_colour", "blue", "Unknown setting"),
        ("coaching_budget", "lots", "not an amount"),
        ("coaching_budget", "-5", "negative"),
        ("currency", "pounds", "currency code"),
        ("work_hours", "9 to 5", "must look like"),
        ("work_days", "funday", "must look like"),
        ("home_city", "Qwxzplace", "No city called"),
    ],
)
def test_config_refuses_bad_values(cli: CliInvoke, key: str, value: str, message: str) -> None:
    result = cli("config", "set", "--", key, value)
    assert result.exit_code == 1 and message in result.stderr
    assert json.loads(cli("config", "get", "--json").stdout) == dict.fromkeys(
        json.loads(cli("config", "get", "--json").stdout)
    )


# --- when ---------------------------------------------------------------------------------------


def test_when_with_someone_far_away(demo_cli: CliInvoke) -> None:
    result = demo_cli("when", "Priya")
    assert result.exit_code == 0, result.output
    assert "Australia/Sydney" in result.stdout and "never overlap" in result.stdout
    data = json.loads(demo_cli("when", "Priya", "--json").stdout)
    assert data["outside_hours"] is True and data["their_zone"] == "Australia/Sydney"
    assert all(w["preferred"] for w in data["windows"])  # her evening, your early morning


def test_when_honours_my_working_hours(demo_cli: CliInvoke) -> None:
    demo_cli("config", "set", "work_hours", "10:00-12:00")
    data = json.loads(demo_cli("when", "Tom Eriksen", "--days", "14", "--json").stdout)
    assert data["my_hours"] == "10:00-12:00" and not data["outside_hours"]
    assert data["windows"] and all(w["minutes"] <= 120 for w in data["windows"])
    assert all(w["mine_start"][11:16] >= "10:00" for w in data["windows"])


def test_when_needs_a_zone(cli: CliInvoke) -> None:
    cli("people", "add", "Nomad")
    result = cli("when", "Nomad")
    assert result.exit_code == 1 and "no time zone" in result.stderr
    assert cli("when", "Nobody at all").exit_code == 1
    assert cli("when", "Nomad", "--days", "99").exit_code == 1


def test_new_commands_have_help(cli: CliInvoke) -> None:
    for args in (
        ("health",),
        ("when",),
        ("trip", "add"),
        ("trip", "list"),
        ("trip", "plan"),
        ("config", "get"),
        ("config", "set"),
        ("config", "unset"),
    ):
        result = cli(*args, "--help")
        assert result.exit_code == 0, args
        assert "Options" in result.stdout
        lines = [line for line in result.stdout.splitlines() if line.strip().startswith("--")]
        assert all(len(line.split()) > 1 for line in lines), args
