"""`mentormap serve`: where it listens, the warning off loopback, and the app it starts."""

from __future__ import annotations

from typing import Any

import pytest

from mentormap.cli.web import is_loopback
from tests.conftest import CliInvoke
from tests.web.conftest import BASE_URL


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Capture what would be handed to uvicorn instead of blocking on a real server."""
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        seen["app"] = app
        seen.update(options)

    monkeypatch.setattr(uvicorn, "run", fake_run)
    return seen


def test_serve_listens_on_loopback_by_default(cli: CliInvoke, started: dict[str, Any]) -> None:
    result = cli("serve")
    assert result.exit_code == 0, result.output
    assert "listening on http://127.0.0.1:8000/" in result.stdout
    assert "Warning" not in result.stderr
    assert started["host"] == "127.0.0.1" and started["port"] == 8000
    from fastapi.testclient import TestClient

    with TestClient(started["app"], base_url=BASE_URL) as client:  # the user's (empty) database
        assert client.get("/", follow_redirects=False).headers["location"] == "/welcome"
        assert client.get("/", headers={"Host": "evil.example:8000"}).status_code == 400


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_serve_off_loopback_needs_i_know_no_login(
    cli: CliInvoke, started: dict[str, Any], host: str
) -> None:
    result = cli("serve", "--host", host)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:") and "--i-know-no-login" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "app" not in started  # nothing started listening


def test_serve_warns_when_reachable_from_the_network(
    cli: CliInvoke, started: dict[str, Any]
) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--port", "8123", "--i-know-no-login")
    assert result.exit_code == 0, result.output
    assert "http://0.0.0.0:8123/" in result.stdout
    assert "Warning" in result.stderr and "no login" in result.stderr
    assert "--allowed-host" in result.stderr  # what to do so other machines get answers
    assert started["port"] == 8123


def test_serve_answers_the_allowed_hosts_and_the_address_it_listens_on(
    cli: CliInvoke, started: dict[str, Any]
) -> None:
    from fastapi.testclient import TestClient

    result = cli(
        "serve", "--host", "192.168.1.5", "--i-know-no-login",
        "--allowed-host", "mybox.lan", "--allowed-host", "FE80::1",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with TestClient(started["app"], base_url=BASE_URL) as client:
        for host in ("mybox.lan:8000", "MyBox.lan", "192.168.1.5:8000", "[fe80::1]:8000"):
            assert client.get("/welcome", headers={"Host": host}).status_code == 200, host
        assert client.get("/welcome", headers={"Host": "other.lan"}).status_code == 400


@pytest.mark.parametrize("name", ["*", "evil.example:8000", "a b", "*.example.org", ""])
def test_serve_refuses_a_malformed_allowed_host(
    cli: CliInvoke, started: dict[str, Any], name: str
) -> None:
    result = cli("serve", "--allowed-host", name)
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:") and len(result.stderr.strip().splitlines()) == 1
    assert "app" not in started


def test_serve_with_an_unusable_database_is_one_line(
    cli: CliInvoke, started: dict[str, Any], tmp_path: Any
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = cli("--db", str(blocker / "sub" / "db.sqlite"), "serve")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error:")
    assert "app" not in started


@pytest.mark.parametrize(
    "host,expected",
    [("127.0.0.1", True), ("localhost", True), ("LocalHost", True), ("::1", True),
     ("127.0.0.2", True), ("127.1", True), ("127.0.1", True), ("0x7f.1", True),
     ("2130706433", True), ("0177.0.0.1", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.org", False),
     ("128.1", False), ("127.1 x", False), ("", False)],
)  # fmt: skip
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected
