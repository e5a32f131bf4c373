"""Server mode in the browser's terms: login, sessions, throttling, invitations, tokens page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import update

from mentormap.db import Database
from mentormap.models import WebSession, utcnow
from mentormap.services.accounts.login import IDLE
from mentormap.services.accounts.users import disable_user
from mentormap.settings import Settings
from tests.accounts.conftest import csrf, make_user, sign_in

Clients = Callable[..., TestClient]


def test_every_page_needs_a_login(db: Database, new_client: Clients) -> None:
    client = new_client()
    for path in ("/", "/today", "/people", "/search?q=a", "/settings", "/export/contacts.vcf"):
        page = client.get(path, follow_redirects=False)
        assert page.status_code == 303, path
        assert page.headers["location"].startswith("/login?next=/"), path
    refused = client.post("/people", data={"name": "X"}, follow_redirects=False)
    assert refused.status_code in (303, 403)
    api = client.get("/api/v1/people")
    assert api.status_code == 401 and "error" in api.json()
    assert client.get("/login").status_code == 200
    assert client.get("/static/style.css").status_code == 200


def test_login_sets_a_rotated_http_only_lax_session(db: Database, new_client: Clients) -> None:
    make_user(db, "alice@example.org")
    client = new_client()
    first = sign_in(client, "alice@example.org")
    assert first.status_code == 303 and first.headers["location"] == "/"  # type: ignore[attr-defined]
    cookie = first.headers["set-cookie"]  # type: ignore[attr-defined]
    assert "mm_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert "Secure" not in cookie  # plain http on loopback
    old_key = client.cookies["mm_session"]
    assert client.get("/", follow_redirects=False).headers["location"] == "/welcome"  # empty
    welcome = client.get("/welcome")
    assert "Load the demo network" in welcome.text and "alice@example.org" in welcome.text
    sign_in(client, "alice@example.org")  # signing in again starts a new session
    assert client.cookies["mm_session"] != old_key
    stale = new_client()
    stale.cookies.set("mm_session", old_key)
    assert stale.get("/today", follow_redirects=False).status_code == 303  # the old one ended


def test_secure_cookie_under_https(db: Database, new_client: Clients) -> None:
    make_user(db, "alice@example.org")
    client = new_client("https://127.0.0.1")
    signed = sign_in(client, "alice@example.org")
    assert "Secure" in signed.headers["set-cookie"]  # type: ignore[attr-defined]


def test_login_needs_its_csrf_token(db: Database, new_client: Clients) -> None:
    make_user(db, "alice@example.org")
    client = new_client()
    client.get("/login")
    data = {"email": "alice@example.org", "password": "correct horse battery"}
    refused = client.post("/login", data=data, follow_redirects=False)
    assert refused.status_code == 403 and "mm_session" not in client.cookies


def test_wrong_passwords_are_throttled_per_account(db: Database, new_client: Clients) -> None:
    make_user(db, "alice@example.org")
    client = new_client()
    for _ in range(5):
        wrong = sign_in(client, "alice@example.org", "not her password")
        assert wrong.status_code == 401 and "Wrong email or password" in wrong.text  # type: ignore[attr-defined]
    blocked = sign_in(client, "alice@example.org")  # even the right password waits now
    assert blocked.status_code == 429  # type: ignore[attr-defined]
    assert "Too many wrong passwords for this account" in blocked.text  # type: ignore[attr-defined]
    assert "try again in 10 minutes" in blocked.text  # type: ignore[attr-defined]
    with db.session() as session:  # ten minutes later
        from mentormap.models import LoginFailure

        session.execute(update(LoginFailure).values(at=utcnow() - timedelta(minutes=11)))
    assert sign_in(client, "alice@example.org").status_code == 303  # type: ignore[attr-defined]


def test_wrong_passwords_are_throttled_per_address(db: Database, new_client: Clients) -> None:
    make_user(db, "alice@example.org")
    client = new_client()
    for n in range(5):  # guessing a different account each time
        assert sign_in(client, f"guess{n}@example.org", "whatever123").status_code == 401  # type: ignore[attr-defined]
    blocked = sign_in(client, "alice@example.org")
    assert blocked.status_code == 429  # type: ignore[attr-defined]
    assert "from this address" in blocked.text  # type: ignore[attr-defined]


def test_logout_ends_the_session_on_the_server(db: Database, new_client: Clients) -> None:
    make_user(db, "alice@example.org")
    client = new_client()
    sign_in(client, "alice@example.org")
    key = client.cookies["mm_session"]
    out = client.post(
        "/logout", data={"csrf_token": csrf(client, "/settings")}, follow_redirects=False
    )
    assert out.status_code == 303 and out.headers["location"] == "/login"
    replay = new_client()
    replay.cookies.set("mm_session", key)
    assert replay.get("/today", follow_redirects=False).status_code == 303


def test_idle_and_disabled_sessions_end(db: Database, new_client: Clients) -> None:
    make_user(db, "alice@example.org")
    make_user(db, "bob@example.org")
    alice, bob = new_client(), new_client()
    sign_in(alice, "alice@example.org")
    sign_in(bob, "bob@example.org")
    assert alice.get("/today").status_code == 200
    with db.session() as session:
        session.execute(
            update(WebSession)
            .where(WebSession.user_id == 1)
            .values(last_seen_at=utcnow() - IDLE - timedelta(minutes=1))
        )
        disable_user(session, "bob@example.org")
    assert alice.get("/today", follow_redirects=False).status_code == 303
    assert bob.get("/today", follow_redirects=False).status_code == 303
    assert sign_in(bob, "bob@example.org").status_code == 401  # type: ignore[attr-defined]


def test_sign_up_only_by_invitation(db: Database, new_client: Clients) -> None:
    make_user(db, "admin@example.org", admin=True)
    make_user(db, "bob@example.org")
    guest = new_client()
    assert guest.get("/signup/made-up-key").status_code == 400
    bob = new_client()
    sign_in(bob, "bob@example.org")
    refused = bob.post("/settings/invitations", data={"csrf_token": csrf(bob, "/settings")})
    assert refused.status_code == 400 and "Only an admin" in refused.text
    admin = new_client()
    sign_in(admin, "admin@example.org")
    page = admin.post("/settings/invitations", data={"csrf_token": csrf(admin, "/settings")})
    assert page.status_code == 200
    link = page.text.split('<code class="token">')[1].split("</code>")[0]
    path = link.split("127.0.0.1:8000", 1)[1]
    assert guest.get(path).status_code == 200
    form = {
        "email": "carol@example.org",
        "password": "a long secret",
        "csrf_token": csrf(guest, path),
    }
    mismatch = guest.post(path, data={**form, "password_again": "other"})
    assert mismatch.status_code == 400 and "differ" in mismatch.text
    made = guest.post(
        path, data={**form, "password_again": "a long secret"}, follow_redirects=False
    )
    assert made.status_code == 303 and "mm_session" in guest.cookies
    assert guest.get("/", follow_redirects=False).headers["location"] == "/welcome"
    again = new_client()
    used = again.post(
        path,
        data={
            **form,
            "email": "dave@example.org",
            "password_again": "a long secret",
            "csrf_token": csrf(again),
        },
    )
    assert used.status_code == 400 and "not valid" in used.text


def test_tokens_on_the_settings_page(db: Database, new_client: Clients) -> None:
    make_user(db, "alice@example.org")
    client = new_client()
    sign_in(client, "alice@example.org")
    made = client.post(
        "/settings/tokens", data={"name": "phone", "csrf_token": csrf(client, "/settings")}
    )
    assert made.status_code == 200 and "not shown again" in made.text
    secret = made.text.split('<code class="token">')[1].split("</code>")[0]
    assert secret.startswith("mm_")
    listed = client.get("/settings")
    assert "phone" in listed.text and secret not in listed.text
    api = client.get("/api/v1/people", headers={"Authorization": f"Bearer {secret}"})
    assert api.status_code != 401
    action = listed.text.split('action="/settings/tokens/')[1].split('"')[0]
    revoked = client.post(
        f"/settings/tokens/{action}",
        data={"csrf_token": csrf(client, "/settings")},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert (
        client.get("/api/v1/people", headers={"Authorization": f"Bearer {secret}"}).status_code
        == 401
    )


def test_next_only_goes_to_this_site(db: Database, new_client: Clients) -> None:
    make_user(db, "alice@example.org")
    client = new_client()
    for target, expected in [
        ("/people?q=a", "/people?q=a"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ]:
        data = {
            "email": "alice@example.org",
            "password": "correct horse battery",
            "next": target,
            "csrf_token": csrf(client),
        }
        signed = client.post("/login", data=data, follow_redirects=False)
        assert signed.headers["location"] == expected


def test_local_mode_has_no_login(settings: Settings) -> None:
    from mentormap.web.app import create_app
    from tests.web.conftest import BASE_URL

    with TestClient(create_app(settings), base_url=BASE_URL) as client:
        assert client.get("/login", follow_redirects=False).headers["location"] == "/"
        assert client.get("/today").status_code == 200


def test_each_users_feed_is_reached_by_its_secret_alone(db: Database, new_client: Clients) -> None:
    # A calendar app signs in to nothing: on a shared server the feed's secret says whose it is.
    from mentormap.services.people.people import add_person
    from mentormap.services.sync.feed import rotate_secret
    from mentormap.services.unit import open_ctx

    secrets = {}
    for email, name in (("ada@example.org", "Ada's Friend"), ("bo@example.org", "Bo's Friend")):
        user = make_user(db, email)
        with open_ctx(db, user.owner_id) as ctx:
            add_person(ctx, name)
            secrets[name] = rotate_secret(ctx)
    client = new_client()
    for secret in secrets.values():
        feed = client.get(f"/feed/{secret}.ics")
        assert feed.status_code == 200 and feed.text.startswith("BEGIN:VCALENDAR")
    assert client.get("/feed/not-a-secret.ics").status_code == 404
    assert client.get("/people", follow_redirects=False).status_code == 303  # still signed out
