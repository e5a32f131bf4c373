"""Every bench runs its main paths on a tiny network, so none can silently rot.

The figures are not checked (a smoke run on a busy machine proves nothing about speed); what is
checked is that each bench gets through all it measures and prints its lines.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from bench import (
    generate,
    health_trips,
    interop,
    lists,
    lives,
    mail,
    prep,
    search,
    sync,
    today,
    web,
)


@pytest.fixture(scope="module")
def bench_data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """$MENTORMAP_BENCH_DATA pointing at a fresh folder, with the tiny network T built in it."""
    folder = tmp_path_factory.mktemp("bench-data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MENTORMAP_BENCH_DATA", str(folder))
        generate.main(["T"])
        yield folder


def test_generate_builds_into_the_data_folder(
    bench_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    generate.main(["T"])  # cached: prints where it is, builds nothing
    assert capsys.readouterr().out == f"{bench_data / 'T.db'}\n"
    assert set(generate.SIZES) >= {"T", "S", "L", "XL"}
    assert generate.SIZES["XL"] == (100_000, 5_000_000)


def test_today_bench(bench_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    today.main(["--sizes", "T", "--runs", "1"])
    out = capsys.readouterr().out
    assert "agenda in-process, T:" in out
    assert "`mentormap today --json` on T" in out
    assert "EXPLAIN QUERY PLAN — due people" in out


def test_web_bench(bench_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    web.main(["--size", "T", "--repeats", "1", "--clients", "2", "--requests-per-client", "2"])
    out = capsys.readouterr().out
    assert "In-process (TestClient)" in out and "Over loopback" in out
    assert "Under load: 2 concurrent clients, 4 requests" in out and " 0 errors" in out


def test_interop_bench(bench_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    interop.main(["--scale", "0.001", "--size", "T"])
    out = capsys.readouterr().out
    for line in ("LinkedIn rows", "vCards into", "sharing one surname", "dry run of a"):
        assert line in out
    assert "backup of T" in out and "restore of that backup" in out


def test_prep_bench(capsys: pytest.CaptureFixture[str]) -> None:
    prep.main(["--people", "40", "--repeat", "1"])
    out = capsys.readouterr().out
    assert "prep sponsor+role model" in out and "highlights draft" in out


def test_health_and_trips_bench(
    bench_data: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sys, "argv", ["bench.health_trips", "T"])
    health_trips.main()
    out = capsys.readouterr().out
    assert "T health: median" in out and "T trip plan" in out


def test_search_bench(bench_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    search.main(["--size", "T", "--runs", "1"])
    out = capsys.readouterr().out
    for line in ("full reindex of", "index size", "search median over the mix", "who roadmap"):
        assert line in out
    assert "name resolution, a unique part" in out and "`mentormap search roadmap --json`" in out
    meaning = "search median over the mix with meaning" in out
    assert meaning or "meaning search not timed" in out
    assert "search right after a write" in out or not meaning


def test_mail_bench(capsys: pytest.CaptureFixture[str]) -> None:
    mail.main(["--messages", "300", "--people", "30", "--imap", "40"])
    out = capsys.readouterr().out
    assert "mail import of 300 messages" in out and "re-import of the same file" in out
    assert "IMAP sync of 40 messages" in out or "IMAP: skipped" in out
    if "IMAP sync" in out:
        assert "IMAP re-sync with nothing new" in out


def test_sync_bench(bench_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sync.main(["--cards", "30", "--size", "T", "--runs", "1"])
    out = capsys.readouterr().out
    assert "first CardDAV sync of 30 cards" in out and "(30 people made" in out
    assert "sync with nothing changed" in out and "0 pulled" in out
    assert "feed of T (" in out


def test_server_bench(bench_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bench import server

    from tests.pg import pg_bin

    if pg_bin() is None:
        pytest.skip("PostgreSQL is not installed")
    server.main(
        [
            "--size",
            "T",
            "--workers",
            "2",
            "--repeats",
            "2",
            "--clients",
            "2",
            "--requests-per-client",
            "2",
            "--writes-every",
            "2",
            "--logins",
            "1",
        ]
    )
    out = capsys.readouterr().out
    assert "2 clients, 1 in 2 a write, 4 requests in" in out and out.count(" 0 errors") >= 2
    assert "T on PostgreSQL, 2 workers:" in out
    assert "GET /api/v1/today, 2 requests: median" in out
    assert "2 clients, reads, 4 requests in" in out
    assert "CPU per request: workers" in out
    assert "login (POST /login" in out


def test_lives_bench(capsys: pytest.CaptureFixture[str]) -> None:
    lives.main(["--people", "40", "--payments", "40", "--repeat", "1"])
    out = capsys.readouterr().out
    for line in ("birthdays this week:", "birthdays for a year:", "news of two weeks:", "money"):
        assert line in out


def test_lists_bench(bench_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lists.main(["--sizes", "T", "--runs", "1"])
    out = capsys.readouterr().out
    for name in ("on a terminal", "piped", "--json"):
        assert f"people list {name}, T (300 people): median" in out
    assert "start-up in the same run: `mentormap --version`" in out
