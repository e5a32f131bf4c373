"""The web preview shows what an import leaves out, and a big plan only in part."""

from __future__ import annotations

from fastapi.testclient import TestClient

from mentormap.db import Database
from mentormap.models import PersonLink
from tests.web.test_forms import count
from tests.web.test_interop import upload

CARD = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\n"
    "URL:javascript://x.example/%0Aalert(document.domain)\r\nEND:VCARD\r\n"
)


def test_preview_names_the_dropped_script_link(client: TestClient, db: Database) -> None:
    preview = upload(client, "/import/preview", {"file": ("ana.vcf", CARD.encode())})
    html = preview.text  # type: ignore[attr-defined]
    assert preview.status_code == 200  # type: ignore[attr-defined]
    assert "card 1 (line 1): left out &#39;javascript://x.example" in html
    assert 'href="javascript:' not in html
    assert count(db, PersonLink) == 0


def test_preview_of_a_big_file_draws_a_few_hundred_rows(client: TestClient) -> None:
    cards = "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEND:VCARD\r\n" for n in range(2000)
    )
    preview = upload(client, "/import/preview", {"file": ("many.vcf", cards.encode())})
    html = preview.text  # type: ignore[attr-defined]
    assert '<span class="count-pill">2000 new</span>' in html
    assert html.count('<tr class="plan-new">') == 300 and "And 1700 more." in html
