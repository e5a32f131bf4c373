"""Only http, https and mailto links are stored: typed, edited, or merged in."""

from __future__ import annotations

import json

import pytest

from mentormap.domain.links import UnsafeLink, is_safe_link, normalize_link
from tests.conftest import CliInvoke

HOSTILE = [
    "javascript://x.example/%0Aalert(document.domain)",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://files.example",
]


@pytest.mark.parametrize("raw", HOSTILE)
def test_other_schemes_are_refused(raw: str) -> None:
    with pytest.raises(UnsafeLink):
        normalize_link(raw)


@pytest.mark.parametrize(
    ("raw", "stored"),
    [
        ("github.com/ada", "https://github.com/ada"),
        ("http://www.LinkedIn.com/in/ada/", "https://LinkedIn.com/in/ada"),
        ("https://ada.example:8443/talks", "https://ada.example:8443/talks"),
        ("ada.example:8443/talks", "https://ada.example:8443/talks"),
        ("mailto:ada@example.com", "mailto:ada@example.com"),
    ],
)
def test_web_and_mail_links_are_kept(raw: str, stored: str) -> None:
    assert normalize_link(raw) == stored
    assert is_safe_link(stored)


@pytest.mark.parametrize("url", [*HOSTILE, "", "   ", "javascript\n:alert(1)"])
def test_rendering_check_matches_what_a_browser_would_run(url: str) -> None:
    assert not is_safe_link(url)


@pytest.mark.parametrize("raw", HOSTILE[:3])
def test_people_add_refuses_a_script_link_in_one_line(cli: CliInvoke, raw: str) -> None:
    result = cli("people", "add", "Ada Lovelace", "--link", raw)
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and result.output.count("\n") == 1
    assert "http, https or mailto" in result.output
    listed = cli("people", "list", "--json")
    assert json.loads(listed.output) == []


def test_people_edit_refuses_a_script_link(cli: CliInvoke) -> None:
    assert cli("people", "add", "Ada Lovelace", "--link", "github.com/ada").exit_code == 0
    result = cli("people", "edit", "Ada", "--link", "javascript:alert(1)")
    assert result.exit_code == 1
    shown = json.loads(cli("people", "show", "Ada", "--json").output)
    assert [link["url"] for link in shown["links"]] == ["https://github.com/ada"]
