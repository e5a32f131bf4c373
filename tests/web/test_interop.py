"""Import (upload, preview, confirm), export downloads and restoring a backup, through the web."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.models import Interaction, Person
from mentormap.settings import Settings
from mentormap.web.app import create_app
from tests.web.conftest import BASE_URL, token
from tests.web.test_forms import count, field_error

LINKEDIN = (
    "First Name,Last Name,Email Address,Company,Position,Connected On\n"
    "Sam,Lee,sam@example.com,Shopify,Engineering Manager,05 Aug 2016\n"
    "Ava,Nguyen,,Canva,Designer,17 Nov 2020\n"
)


def upload(
    client: TestClient, url: str, files: dict[str, tuple[str, bytes]], **data: str
) -> object:
    return client.post(
        url,
        data={**data, "csrf_token": token(client, "/import")},
        files={name: (filename, body) for name, (filename, body) in files.items()},
        follow_redirects=False,
    )


def test_import_page_offers_upload_exports_and_restore(client: TestClient) -> None:
    page = client.get("/import")
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.text
    for fmt in ("vcard", "csv", "ics", "json"):
        assert f'href="/export/{fmt}"' in page.text
    assert 'action="/restore"' in page.text
    assert 'href="/import"' in client.get("/welcome").text  # onboarding offers it


def test_preview_changes_nothing_then_confirm_imports(client: TestClient, db: Database) -> None:
    preview = upload(client, "/import/preview", {"file": ("connections.csv", LINKEDIN.encode())})
    assert preview.status_code == 200  # type: ignore[attr-defined]
    html = preview.text  # type: ignore[attr-defined]
    assert "Read as <strong>linkedin</strong>" in html
    assert '<span class="count-pill">2 new</span>' in html
    assert "Sam Lee" in html and "Ava Nguyen" in html
    assert count(db, Person) == 0  # a preview writes nothing
    key = re.search(r'name="key" value="([^"]+)"', html).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/import/confirm",
        data={"key": key, "csrf_token": token(client, "/import")},
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert count(db, Person) == 2
    people = client.get("/people").text
    assert "Imported connections.csv (linkedin): 2 new" in people
    assert "Sam Lee" in people
    again = client.post(
        "/import/confirm", data={"key": key, "csrf_token": token(client, "/import")}
    )
    assert again.status_code == 400  # a preview is used once
    assert "expired" in field_error(again.text, "file")
    assert count(db, Person) == 2


def test_import_a_calendar_into_the_demo(demo_client: TestClient, db: Database) -> None:
    with open("tests/fixtures/ics/outlook_declined_and_cancelled.ics", "rb") as handle:
        body = handle.read()
    preview = upload(demo_client, "/import/preview", {"file": ("cal.ics", body)})
    assert preview.status_code == 200, preview.text  # type: ignore[attr-defined]
    assert "Read as <strong>ics</strong>" in preview.text  # type: ignore[attr-defined]


def test_import_errors_are_shown_next_to_the_file(client: TestClient, db: Database) -> None:
    missing = upload(client, "/import/preview", {})
    assert missing.status_code == 400  # type: ignore[attr-defined]
    assert "Choose a file" in field_error(missing.text, "file")  # type: ignore[attr-defined]
    empty = upload(client, "/import/preview", {"file": ("x.csv", b"")})
    assert "empty" in field_error(empty.text, "file")  # type: ignore[attr-defined]
    with open("tests/fixtures/bad/linkedin_bad_date.csv", "rb") as handle:
        bad = upload(client, "/import/preview", {"file": ("bad.csv", handle.read())})
    assert bad.status_code == 400  # type: ignore[attr-defined]
    shown = unescape(field_error(bad.text, "file"))  # type: ignore[attr-defined]
    assert shown.startswith("line 3: Connected On 'someday'")
    assert "Tick “Leave out unreadable records instead of stopping” to import the rest." in shown
    wrong = upload(client, "/import/preview", {"file": ("a.csv", LINKEDIN.encode())}, format="xls")
    assert "Unknown format" in field_error(wrong.text, "format")  # type: ignore[attr-defined]
    assert count(db, Person) == 0


def test_skip_bad_records_lists_them(client: TestClient) -> None:
    with open("tests/fixtures/bad/linkedin_bad_date.csv", "rb") as handle:
        preview = upload(
            client, "/import/preview", {"file": ("bad.csv", handle.read())}, skip_bad="on"
        )
    assert preview.status_code == 200  # type: ignore[attr-defined]
    assert "unreadable record(s) will be left out" in preview.text  # type: ignore[attr-defined]


def test_import_and_restore_need_the_csrf_token(client: TestClient, db: Database) -> None:
    files = {"file": ("c.csv", LINKEDIN.encode())}
    assert client.post("/import/preview", files=files).status_code == 403
    assert client.post("/import/confirm", data={"key": "x"}).status_code == 403
    assert client.post("/restore", files={"backup": ("b.json", b"{}")}).status_code == 403
    assert count(db, Person) == 0


def test_exports_download_as_files(demo_client: TestClient) -> None:
    vcard = demo_client.get("/export/vcard")
    assert vcard.status_code == 200
    assert vcard.headers["content-type"].startswith("text/vcard")
    assert 'filename="mentormap-contacts-2026-11-25.vcf"' in vcard.headers["content-disposition"]
    assert vcard.text.count("BEGIN:VCARD") == 80
    csv = demo_client.get("/export/csv")
    assert "Priya Raman" in csv.text
    ics = demo_client.get("/export/ics")
    assert ics.text.startswith("BEGIN:VCALENDAR")
    assert demo_client.get("/export/pdf").status_code == 400


def test_backup_then_restore_into_an_empty_database(
    demo_client: TestClient, settings: Settings, tmp_path: Path
) -> None:
    backup = demo_client.get("/export/json")
    assert backup.status_code == 200
    assert 'filename="mentormap-backup-2026-11-25.json"' in backup.headers["content-disposition"]
    empty = settings.with_(database_url=f"sqlite:///{tmp_path / 'fresh.db'}")
    with TestClient(create_app(empty), base_url=BASE_URL) as fresh:
        restored = upload(fresh, "/restore", {"backup": ("b.json", backup.content)}, confirm="on")
        assert restored.status_code == 303, restored.text  # type: ignore[attr-defined]
        people = fresh.get("/people?q=priya").text
        assert "Restored" in people and "Priya Raman" in people
        assert fresh.get("/people/1").text.count("<time") == demo_client.get(
            "/people/1"
        ).text.count("<time")


def test_restore_refuses_a_full_database_and_needs_confirmation(
    demo_client: TestClient, db: Database
) -> None:
    backup = demo_client.get("/export/json").content
    unconfirmed = upload(demo_client, "/restore", {"backup": ("b.json", backup)})
    assert unconfirmed.status_code == 400  # type: ignore[attr-defined]
    assert "Tick the box" in field_error(unconfirmed.text, "backup")  # type: ignore[attr-defined]
    full = upload(demo_client, "/restore", {"backup": ("b.json", backup)}, confirm="on")
    assert full.status_code == 400  # type: ignore[attr-defined]
    assert "empty database" in field_error(full.text, "backup")  # type: ignore[attr-defined]
    junk = upload(demo_client, "/restore", {"backup": ("b.json", b"not json")}, confirm="on")
    assert "not a mentormap backup" in field_error(junk.text, "backup")  # type: ignore[attr-defined]
    assert count(db, Interaction) > 0


def test_preview_shows_the_fields_left_out(client: TestClient, db: Database) -> None:
    phones = "".join(f"TEL:Phone{n}\r\n" for n in range(3))
    body = f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Jo Park\r\n{phones}END:VCARD\r\n".encode()
    preview = upload(client, "/import/preview", {"file": ("phone.vcf", body)})
    assert preview.status_code == 200  # type: ignore[attr-defined]
    html = unescape(preview.text)  # type: ignore[attr-defined]
    assert '<span class="count-pill">1 new</span>' in html
    assert "card 1 (line 1), line 4: left out the phone 'Phone0': not a phone number." in html
    assert html.count("left out the phone") == 3
    assert "3 warnings: what could not be read is left out" in html
    assert count(db, Person) == 0
