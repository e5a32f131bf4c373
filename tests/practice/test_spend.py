"""Money: spending recorded, changed and removed from the CLI and the web; the budget and rates
in `config`; the health report's money area computed from them."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from mentormap.services.context import Ctx
from mentormap.services.health.report import network_health
from mentormap.services.money.spend import add_spend
from mentormap.services.preferences import set_preference
from tests.conftest import CliInvoke
from tests.web.conftest import app, client, post  # noqa: F401


def money_area(ctx: Ctx) -> tuple[dict[str, object], dict[str, bool]]:
    report = network_health(ctx)
    area = next(a for a in report.areas if a.key == "money")
    findings = {f.key: f.ok for f in report.findings if f.area == "money"}
    return {"score": area.score, "summary": area.summary, **area.details}, findings


def test_cli_adds_lists_edits_and_removes_spending(cli: CliInvoke) -> None:
    cli("people", "add", "Ruth Adeyemi", "--role", "coach")
    added = cli(
        "spend", "add", "150", "--currency", "gbp", "--coach", "Ruth", "--on", "2026-11-02",
        "--for", "Speaking session",
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "Spending #1: 150.00 GBP to Ruth Adeyemi on 2026-11-02 (coaching)." in added.output
    cli("spend", "add", "89.50", "-c", "EUR", "--on", "2025-12-30", "--category", "course")
    listed = json.loads(cli("spend", "list", "--json").output)
    assert [(s["id"], s["amount"], s["currency"], s["coach"]) for s in listed] == [
        (1, "150.00", "GBP", "Ruth Adeyemi"),
        (2, "89.50", "EUR", None),
    ]
    assert [
        s["id"] for s in json.loads(cli("spend", "list", "--year", "2025", "--json").output)
    ] == [2]
    text = cli("spend", "list").output
    assert "Total: 89.50 EUR, 150.00 GBP" in text
    assert (
        cli(
            "spend", "edit", "1", "--amount", "175", "--no-coach", "--category", "conference"
        ).exit_code
        == 0
    )
    [first] = [s for s in json.loads(cli("spend", "list", "--json").output) if s["id"] == 1]
    assert (first["amount"], first["coach"], first["category"]) == ("175.00", None, "conference")
    assert cli("spend", "remove", "1", "--yes").exit_code == 0
    assert [s["id"] for s in json.loads(cli("spend", "list", "--json").output)] == [2]


BAD = [
    (("spend", "add", "lots", "-c", "GBP"), "'lots' is not an amount of money"),
    (("spend", "add", "0", "-c", "GBP"), "is not an amount of money"),
    (("spend", "add", "1.005", "-c", "GBP"), "more than two decimal places"),
    (("spend", "add", "10", "-c", "pounds"), "is not a currency code"),
    (("spend", "add", "10"), "Say which currency (--currency GBP)"),
    (("spend", "add", "10", "-c", "GBP", "--category", "snacks"), "Unknown category 'snacks'"),
    (("spend", "add", "10", "-c", "GBP", "--coach", "Nobody"), "Nobody"),
    (("spend", "edit", "42", "--amount", "1"), "No spending #42"),
    (("config", "set", "rate.EUR", "0"), "is not an exchange rate"),
    (("config", "set", "rate.EURO", "1.1"), "is not a currency code"),
]


def test_bad_money_input_is_one_line_and_stores_nothing(cli: CliInvoke) -> None:
    for args, message in BAD:
        result = cli(*args)
        assert result.exit_code == 1 and message in result.output, args
        assert "Traceback" not in result.output
    assert json.loads(cli("spend", "list", "--json").output) == []
    assert "rate.EUR" not in json.loads(cli("config", "get", "--json").output)


def test_config_keeps_rates_and_budgets_per_currency(cli: CliInvoke) -> None:
    assert cli("config", "set", "rate.eur", "0.86").output == "rate.EUR = 0.86\n"
    assert cli("config", "set", "budget.USD", "500").output == "budget.USD = 500\n"
    listed = json.loads(cli("config", "get", "--json").output)
    assert listed["rate.EUR"] == "0.86" and listed["budget.USD"] == "500"
    assert "rate.EUR" in cli("config", "get").output
    assert cli("config", "unset", "rate.EUR").exit_code == 0
    assert "rate.EUR" not in json.loads(cli("config", "get", "--json").output)


def test_four_paid_sessions_are_never_nothing_spent(ctx: Ctx) -> None:
    """The trial's bug: sessions paid in another currency than the budget's read as nothing."""
    set_preference(ctx, "coaching_budget", "1500")
    set_preference(ctx, "currency", "GBP")
    for day in ("2026-03-01", "2026-05-01", "2026-07-01", "2026-09-01"):
        add_spend(ctx, "120", currency="EUR", on=__import__("datetime").date.fromisoformat(day))
    details, findings = money_area(ctx)
    assert "money.nothing_spent" not in findings
    assert findings["money.unconverted"] is False  # kept apart, and it says how to count it
    assert details["score"] == 80
    assert details["by_currency"] == {  # type: ignore[comparison-overlap]
        "GBP": {"spent": "0.00", "budget": "1500", "payments": 0},
        "EUR": {"spent": "480.00", "budget": None, "payments": 4},
    }
    # With a rate she set, one total in her currency, against her budget.
    set_preference(ctx, "rate.EUR", "0.86")
    details, findings = money_area(ctx)
    assert details["total_spent"] == "412.80" and details["total_budget"] == "1500.00"
    assert findings == {"money.within_budget": True}
    assert details["score"] == 100


def test_currencies_stay_apart_with_a_budget_each(ctx: Ctx) -> None:
    from datetime import date

    set_preference(ctx, "currency", "GBP")
    set_preference(ctx, "coaching_budget", "1000")
    set_preference(ctx, "budget.USD", "300")
    add_spend(ctx, "400", currency="GBP", on=date(2026, 2, 1))
    add_spend(ctx, "350", currency="USD", on=date(2026, 2, 1), category="conference")
    add_spend(ctx, "999", currency="USD", on=date(2026, 2, 1), category="other")  # not budgeted
    add_spend(ctx, "999", currency="GBP", on=date(2025, 12, 31))  # last year
    details, findings = money_area(ctx)
    assert details["total_spent"] is None  # no rate for USD: never added up on a guess
    assert findings == {"money.within_budget": True, "money.over_budget": False}
    assert details["score"] == 70
    assert "kept apart by currency" in str(details["summary"])
    set_preference(ctx, "rate.USD", "0.8")
    details, findings = money_area(ctx)
    # 400 + 350 × 0.8 = 680 of 1000 + 300 × 0.8 = 1240
    assert (details["total_spent"], details["total_budget"]) == ("680.00", "1240.00")
    assert findings == {"money.within_budget": True}


def test_nothing_spent_only_when_nothing_was(ctx: Ctx) -> None:
    set_preference(ctx, "coaching_budget", "1500")
    _, findings = money_area(ctx)
    assert findings == {"money.nothing_spent": False}


def test_health_cli_reads_spending_recorded_with_spend(cli: CliInvoke) -> None:
    cli("config", "set", "coaching_budget", "1000")
    cli("config", "set", "currency", "GBP")
    for _ in range(4):
        cli("spend", "add", "150", "--on", "-10d")  # her currency by default
    report = json.loads(cli("health", "--json").output)
    money = next(a for a in report["areas"] if a["key"] == "money")
    assert money["details"]["spent"] == "600.00" and money["score"] == 100
    assert "Nothing spent" not in cli("health").output


def test_web_spend_page_adds_edits_and_removes_with_errors_by_the_field(
    client: TestClient,  # noqa: F811
) -> None:
    post(client, "/people/new", {"name": "Ruth Adeyemi"}, form_page="/people/new")
    page = client.get("/spend").text
    assert 'action="/spend"' in page and 'href="/spend"' in page  # in the navigation too
    bad = post(
        client, "/spend", {"amount": "lots", "currency": "EURO", "coach": "Nobody"}, "/spend"
    )
    assert bad.status_code == 400  # type: ignore[attr-defined]
    for field in ("amount", "currency", "coach"):
        assert f'id="{field}-error"' in bad.text  # type: ignore[attr-defined]
    assert 'value="lots"' in bad.text  # what she typed comes back  # type: ignore[attr-defined]
    no_currency = post(client, "/spend", {"amount": "10"}, "/spend")
    assert 'id="currency-error"' in no_currency.text  # type: ignore[attr-defined]
    done = post(
        client,
        "/spend",
        {"amount": "150", "currency": "GBP", "coach": "Ruth", "on": "2026-11-02",
         "note": "Speaking session", "category": "coaching"},
        "/spend",
    )  # fmt: skip
    assert done.status_code == 303  # type: ignore[attr-defined]
    page = client.get("/spend").text
    assert "150.00 GBP" in page and "Ruth Adeyemi" in page and "Speaking session" in page
    form = client.get("/spend/1/edit").text
    assert 'value="150.00"' in form and 'value="Ruth Adeyemi"' in form
    wrong = post(client, "/spend/1/edit", {"amount": "0", "currency": "GBP"}, "/spend/1/edit")
    assert wrong.status_code == 400 and 'id="amount-error"' in wrong.text  # type: ignore[attr-defined]
    post(
        client,
        "/spend/1/edit",
        {"amount": "175", "currency": "GBP", "category": "course", "on": "2026-11-03", "note": "x"},
        "/spend/1/edit",
    )
    assert "175.00 GBP" in client.get("/spend").text
    gone = post(client, "/spend/1/remove", {}, "/spend")
    assert gone.status_code == 303  # type: ignore[attr-defined]
    client.get("/spend")  # the flash
    assert "Nothing recorded yet" in client.get("/spend").text
    assert client.get("/spend/1/edit").status_code == 404


def test_web_settings_set_and_clear_the_budget_and_a_rate(client: TestClient) -> None:  # noqa: F811
    page = client.get("/config").text
    assert 'action="/config"' in page and "coaching_budget" in page
    bad = post(client, "/config", {"key": "rate.EURO", "value": "1"}, "/config")
    assert bad.status_code == 400 and 'id="key-error"' in bad.text  # type: ignore[attr-defined]
    wrong = post(client, "/config", {"key": "coaching_budget", "value": "lots"}, "/config")
    assert 'id="value-error"' in wrong.text and "not an amount" in wrong.text  # type: ignore[attr-defined]
    for key, value in (("coaching_budget", "1500"), ("currency", "gbp"), ("rate.eur", "0.86")):
        done = post(client, "/config", {"key": key, "value": value}, "/config")
        assert done.status_code == 303  # type: ignore[attr-defined]
    page = client.get("/config").text
    assert "<dt>rate.EUR</dt>" in page and "0.86" in page
    post(client, "/spend", {"amount": "100", "currency": "EUR"}, "/spend")
    assert (
        "86.00 GBP on coaching and courses this year of 1500.00 budgeted"
        in client.get("/spend").text
    )
    post(client, "/config/rate.EUR/unset", {}, "/config")
    client.get("/config")  # the flash
    assert "<dt>rate.EUR</dt>" not in client.get("/config").text
    assert "kept apart by currency" in client.get("/spend").text
