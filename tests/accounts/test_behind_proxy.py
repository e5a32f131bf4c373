"""Behind a reverse proxy: X-Forwarded-Proto counts only from an address --forwarded-allow-ips
names (real uvicorn, in a subprocess)."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

from tests.accounts.conftest import PASSWORD
from tests.api.live import mentormap, served

TOKEN = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def login_cookie(base: str) -> str:
    with httpx.Client(base_url=base, headers={"X-Forwarded-Proto": "https"}) as http:
        token = TOKEN.search(http.get("/login").text)
        assert token
        data = {"email": "alice@example.org", "password": PASSWORD, "csrf_token": token[1]}
        answer = http.post("/login", data=data)
        assert answer.status_code == 303
        return answer.headers["set-cookie"]


def test_secure_cookies_only_when_the_proxy_is_trusted(tmp_path: Path) -> None:
    database = str(tmp_path / "server.db")
    mentormap(
        database, "user", "add", "alice@example.org", "--password-stdin", stdin=PASSWORD + "\n"
    )
    with served(database, "--multi-user", "--forwarded-allow-ips", "127.0.0.1") as base:
        assert "Secure" in login_cookie(base)  # the proxy on 127.0.0.1 said https
    # Without the option `serve` turns uvicorn's proxy headers off (test_serve_multi_user), and
    # in-process a plain http request gets no Secure flag (test_web_login).
