"""Hostile imports: script links, unreadable charsets, same-surname floods, huge plans."""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest
from sqlalchemy import select

from mentormap.models import PersonLink
from mentormap.services.context import Ctx
from mentormap.services.interop.imports import import_file
from mentormap.services.interop.matching import NEAR_CANDIDATES, PeopleIndex
from tests.conftest import CliInvoke

SCRIPT = "javascript://x.example/%0Aalert(document.domain)"

LINK_FILES = {
    "vcard": (
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\n"
        f"URL:{SCRIPT}\r\nURL:https://ana.example\r\nEND:VCARD\r\n",
        "card 1 (line 1)",
    ),
    "linkedin": (
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On\r\n"
        f"Ana,Lima,{SCRIPT},ana@example.com,Acme,CTO,12 Mar 2024\r\n",
        "line 2",
    ),
    "google": (
        "First Name,Last Name,E-mail 1 - Value,Website 1 - Value\r\n"
        f"Ana,Lima,ana@example.com,{SCRIPT} ::: https://ana.example\r\n",
        "line 2",
    ),
    "csv": (
        f"name,email,link\r\nAna Lima,ana@example.com,{SCRIPT}; data:text/html,x\r\n",
        "line 2",
    ),
}


@pytest.mark.parametrize("fmt", sorted(LINK_FILES))
def test_script_links_are_dropped_with_a_warning(ctx: Ctx, fmt: str) -> None:
    text, where = LINK_FILES[fmt]
    plan = import_file(ctx, text.encode(), fmt=fmt)
    assert plan.counts["new"] == 1
    assert any(w.startswith(f"{where}: left out 'javascript:") for w in plan.warnings), (
        plan.warnings
    )
    stored = ctx.session.scalars(select(PersonLink.url)).all()
    assert all(url.startswith(("https://", "mailto:")) for url in stored), stored


def test_cli_import_prints_the_warning(cli: CliInvoke, tmp_path: Path) -> None:
    card = tmp_path / "ana.vcf"
    card.write_text(LINK_FILES["vcard"][0])
    result = cli("import", str(card))
    assert result.exit_code == 0
    assert "Warning: card 1 (line 1): left out 'javascript:" in result.stdout


@pytest.mark.parametrize("charset", ["idna", "undefined", "punycode", "no-such-charset", "zlib"])
def test_unusable_charset_falls_back_with_a_warning(ctx: Ctx, charset: str) -> None:
    card = (
        "BEGIN:VCARD\r\nVERSION:2.1\r\n"
        f"N;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=BCrgen\r\n"
        f"FN;CHARSET={charset};ENCODING=QUOTED-PRINTABLE:J=C3=BCrgen M=C3=BCller\r\n"
        "END:VCARD\r\n"
    )
    plan = import_file(ctx, card.encode())
    assert [item.name for item in plan.items] == ["Jürgen Müller"]
    assert plan.warnings[0].startswith(
        f"card 1 (line 1), line 3: cannot read the charset '{charset}'"
    )


def _same_surname(rows: int, company: str | None = None) -> bytes:
    """Rows all named Smith, with made-up first names; a tenth repeat an earlier row."""
    rng = random.Random(rows)
    letters = "abcdefghijklmnopqrstuvwxyz"
    lines = ["name,email,company"]
    firsts: list[str] = []
    for n in range(rows):
        if n % 10 == 9:
            first = rng.choice(firsts)
        else:
            first = "".join(rng.choice(letters) for _ in range(8)).capitalize()
            firsts.append(first)
        employer = company or "".join(rng.choice(letters) for _ in range(6))
        lines.append(f"{first} Smith,p{n}@example.com,{employer}")
    return ("\n".join(lines) + "\n").encode()


def _comparisons(rows: int, company: str | None) -> int:
    from mentormap.interop.csv_generic import parse_csv

    index = PeopleIndex()
    for record in parse_csv(_same_surname(rows, company).decode()):
        if index.match_name(record.name, record.company) is None:
            index.add_name(-len(index.names) - 1, record.name, record.company)
    return index.comparisons


@pytest.mark.parametrize("company", [None, "Acme"])
def test_same_surname_rows_cost_each_the_same(company: str | None) -> None:
    small, large = _comparisons(2000, company), _comparisons(4000, company)
    assert large <= 2.5 * small + 100  # linear: each row meets a bounded set, not every Smith
    assert large <= 4000 * NEAR_CANDIDATES


def test_eight_thousand_smiths_import_in_seconds(ctx: Ctx) -> None:
    started = time.perf_counter()
    plan = import_file(ctx, _same_surname(8000, "Acme"), dry_run=True)
    assert time.perf_counter() - started < 8  # 40 s when every row met every Smith
    assert plan.counts["new"] + plan.counts["merged"] == 8000
    assert plan.counts["merged"] >= 800  # the repeats are still found


def test_a_huge_dry_run_is_summed_up(cli: CliInvoke, tmp_path: Path) -> None:
    big = tmp_path / "big.csv"
    big.write_text("name\n" + "".join(f"Person {n}\n" for n in range(400)))
    result = cli("import", str(big), "--format", "csv", "--dry-run")
    assert result.exit_code == 0
    assert "... and 350 more rows (--json lists them all)." in result.stdout
    assert "Person 49" in result.stdout and "Person 399" not in result.stdout
    assert "would make 400 new" in result.stdout
