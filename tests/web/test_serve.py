"""`mentormap serve`: where it listens, the warning off loopback, and the app it starts."""

from __future__ import annotations

from typing import Any

import pytest

from mentormap.cli.web import is_loopback
from tests.conftest import CliInvoke


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

    with TestClient(started["app"]) as client:  # the app on the user's (here: empty) database
        assert client.get("/", follow_redirects=False).headers["location"] == "/welcome"


def test_serve_warns_when_reachable_from_the_network(
    cli: CliInvoke, started: dict[str, Any]
) -> None:
    result = cli("serve", "--host", "0.0.0.0", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "http://0.0.0.0:8123/" in result.stdout
    assert "Warning" in result.stderr and "no login" in result.stderr
    assert started["port"] == 8123


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
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("127.0.0.2", True),
     ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host: str, expected: bool) -> None:
    assert is_loopback(host) is expected
