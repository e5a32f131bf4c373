"""`mentormap serve --multi-user`: what it refuses, what it hands uvicorn and its workers."""

from __future__ import annotations

import os
from typing import Any

import pytest
from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.web import server
from tests.accounts.conftest import make_user, sign_in
from tests.conftest import CliInvoke
from tests.web.conftest import BASE_URL


@pytest.fixture
def started(cli: CliInvoke, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What would be handed to uvicorn, instead of a real server.

    `serve` writes the workers' options into os.environ; each is put back after the test (the
    `cli` fixture already restores MENTORMAP_DB).
    """
    import uvicorn

    seen: dict[str, Any] = {}

    def fake_run(app: Any, **options: Any) -> None:
        seen["app"] = app
        seen.update(options)

    def fake_workers(config: uvicorn.Config) -> None:
        seen["app"] = config.app
        seen.update(
            factory=config.factory,
            workers=config.workers,
            proxy_headers=config.proxy_headers,
            forwarded_allow_ips=config.forwarded_allow_ips,
        )

    monkeypatch.setattr(uvicorn, "run", fake_run)
    monkeypatch.setattr(server, "run_workers", fake_workers)
    for name in (server.MULTI_USER, server.ALLOWED_HOSTS, server.SECRET):
        monkeypatch.delenv(name, raising=False)
    return seen


def test_multi_user_needs_a_first_user(cli: CliInvoke, started: dict[str, Any]) -> None:
    result = cli("serve", "--multi-user")
    assert result.exit_code == 1 and "mentormap user add EMAIL --admin" in result.stderr
    assert "app" not in started


def test_multi_user_may_listen_off_loopback(
    cli: CliInvoke, db: Database, started: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(db, "alice@example.org", admin=True)
    result = cli("serve", "--multi-user", "--host", "0.0.0.0", "--allowed-host", "mm.example.org")
    assert result.exit_code == 0, result.output
    assert "multi-user, 1 worker" in result.stdout and "Warning" not in result.stderr
    assert started["app"] == "mentormap.web.server:app_from_environment"
    assert started["factory"] is True and started["workers"] == 1
    assert started["proxy_headers"] is False  # X-Forwarded-* ignored unless trusted
    assert os.environ[server.ALLOWED_HOSTS] == "mm.example.org"
    assert len(os.environ[server.SECRET]) == 64
    app = server.app_from_environment()  # what each worker builds
    with TestClient(app, base_url="http://mm.example.org") as client:
        assert client.get("/today", follow_redirects=False).headers["location"].startswith("/login")
        sign_in(client, "alice@example.org")
        assert client.get("/today").status_code == 200
    with TestClient(app, base_url="http://evil.example") as client:
        assert client.get("/login").status_code == 400


def test_forwarded_headers_only_from_named_proxies(
    cli: CliInvoke, db: Database, started: dict[str, Any]
) -> None:
    make_user(db, "alice@example.org")
    result = cli("serve", "--multi-user", "--forwarded-allow-ips", "127.0.0.1")
    assert result.exit_code == 0, result.output
    assert started["proxy_headers"] is True and started["forwarded_allow_ips"] == "127.0.0.1"


def test_several_workers_need_postgresql(
    cli: CliInvoke, db: Database, started: dict[str, Any]
) -> None:
    make_user(db, "alice@example.org")
    result = cli("serve", "--multi-user", "--workers", "4")
    assert result.exit_code == 1 and "need PostgreSQL" in result.stderr
    local = cli("serve", "--workers", "2")
    assert local.exit_code == 1 and "--multi-user" in local.stderr


def test_workers_share_the_csrf_secret(db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    """A form from one worker is accepted by another: they sign with the parent's secret."""
    make_user(db, "alice@example.org")
    monkeypatch.setenv("MENTORMAP_DB", db.settings.database_url)
    monkeypatch.setenv(server.MULTI_USER, "1")
    monkeypatch.setenv(server.SECRET, "ab" * 32)
    first, second = server.app_from_environment(), server.app_from_environment()
    with TestClient(first, base_url=BASE_URL) as one, TestClient(second, base_url=BASE_URL) as two:
        page = one.get("/login")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        two.cookies.update(one.cookies)
        data = {
            "email": "alice@example.org",
            "password": "correct horse battery",
            "csrf_token": token,
        }
        assert two.post("/login", data=data, follow_redirects=False).status_code == 303


def test_the_workers_socket_turns_nagle_off_on_every_connection() -> None:
    """uvicorn before 0.55 bound its workers' socket without saying it is TCP; asyncio then left
    Nagle's algorithm on, and each request after the first on a kept-alive connection waited
    ~40 ms. `tcp_socket` rebuilds such a socket; one already marked TCP is kept as it is."""
    import asyncio
    import socket

    import uvicorn

    config = uvicorn.Config("mentormap.web.server:app_from_environment", host="127.0.0.1", port=0)
    theirs = config.bind_socket()
    try:
        assert server.tcp_socket(theirs).proto == socket.IPPROTO_TCP
    finally:
        theirs.close()
    # A socket bound as uvicorn bound it before 0.55: no protocol given.
    bound = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    bound.bind(("127.0.0.1", 0))
    assert bound.proto == 0
    listening = server.tcp_socket(bound)
    assert bound.fileno() == -1 and listening.proto == socket.IPPROTO_TCP
    seen: list[int] = []

    class Probe(asyncio.Protocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            accepted = transport.get_extra_info("socket")
            seen.append(accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
            transport.close()

    async def accept_one() -> None:
        listening.listen()
        served = await asyncio.get_running_loop().create_server(Probe, sock=listening)
        port = listening.getsockname()[1]
        _, writer = await asyncio.open_connection("127.0.0.1", port)
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
        served.close()

    asyncio.run(accept_one())
    assert seen and seen[0] != 0
