"""Time mail capture: a generated mbox of 100,000 messages among 5,000 people, and IMAP sync.

    python -m bench.mail                          # 100,000 messages, 5,000 people
    python -m bench.mail --imap 10000             # and an IMAP sync of 10,000 from Dovecot
    python -m bench.mail --messages 300 --people 30 --imap 50   # a smoke run

The import runs as `mentormap mail import` in a process of its own, so that its wall time
includes starting the command and committing, and its peak memory (max RSS) is its own.
Targets: import <= 20 s, peak memory <= 300 MB; IMAP sync of 10,000 <= 30 s; a re-sync with
nothing new <= 1.5 s. The IMAP figures need Debian's dovecot-imapd (skipped without it).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert

from mentormap.db import Database
from mentormap.models import Person, PersonEmail
from mentormap.settings import Settings

ME = "sofia@example.com"
QUESTIONS = (
    "Would you be willing to be a reference for my application?",
    "Could you introduce me to someone on the platform team?",
    "Do you have time for a coffee next week?",
)


def person_address(n: int) -> str:
    return f"person{n}@example.org"


def generate_message(rng: random.Random, n: int, people: int, start: datetime) -> bytes:
    """One message: a tenth bulk, a twentieth from strangers, the rest between her and people."""
    when = start + timedelta(minutes=n * 5 + rng.randint(0, 4))
    who = person_address(rng.randrange(people))
    thread = n // 3
    headers = [f"Date: {format_datetime(when)}", f"Message-ID: <m{n}@bench.example>"]
    roll = rng.random()
    if roll < 0.1:
        headers += ["From: News <news@shop.example>", f"To: {ME}", "Subject: This week's offers"]
        headers.append("List-Unsubscribe: <mailto:unsubscribe@shop.example>")
    elif roll < 0.15:
        headers += [f"From: stranger{n % 500}@else.example", f"To: {ME}", "Subject: Hello"]
    elif roll < 0.55:
        headers += [f"From: Sofia <{ME}>", f"To: {who}", f"Subject: Re: Topic {thread}"]
        headers += [f"In-Reply-To: <m{thread * 3}@bench.example>"]
        headers += [f"References: <m{thread * 3}@bench.example>"]
    else:
        headers += [f"From: Person {who} <{who}>", f"To: Sofia <{ME}>", f"Subject: Topic {thread}"]
    body = "Hi Sofia,\n\nThanks for the notes from last time, they helped a lot.\n"
    if rng.random() < 0.2:
        body += rng.choice(QUESTIONS) + "\n"
    body += "\nOn Mon, 2 Nov 2026, Sofia wrote:\n> Earlier text, quoted?\n\n-- \nSignature\n"
    headers += ["MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8"]
    return ("\n".join(headers) + "\n\n" + body).encode()


def write_mbox(path: Path, messages: int, people: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime(2026, 11, 25, tzinfo=UTC) - timedelta(minutes=messages * 5 + 60)
    with path.open("wb") as out:
        for n in range(messages):
            out.write(b"From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n")
            out.write(generate_message(rng, n, people, start))
            out.write(b"\n")


def build_people(db_path: Path, people: int) -> None:
    settings = Settings(database_url=f"sqlite:///{db_path}", timezone=ZoneInfo("Europe/London"))
    database = Database.open(settings)
    with database.session() as session:
        session.execute(
            insert(Person), [{"id": n + 1, "name": f"Person {n}"} for n in range(people)]
        )
        session.execute(
            insert(PersonEmail),
            [{"person_id": n + 1, "email": person_address(n)} for n in range(people)],
        )
    database.close()


def _run(args: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "mentormap", *args], capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"mentormap {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return elapsed, done.stdout


def bench_import(folder: Path, messages: int, people: int) -> None:
    mbox, db = folder / "bench.mbox", folder / "mail.db"
    started = time.perf_counter()
    write_mbox(mbox, messages, people)
    build_people(db, people)
    size = mbox.stat().st_size / 1e6
    print(f"generated {messages:,} messages ({size:.0f} MB) and {people:,} people in "
          f"{time.perf_counter() - started:.1f} s")  # fmt: skip
    env = {**os.environ, "MENTORMAP_TODAY": "2026-11-25", "MENTORMAP_TZ": "Europe/London"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    elapsed, out = _run(["--db", str(db), "mail", "import", str(mbox), "--me", ME], env)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(f"mail import of {messages:,} messages: {elapsed:.1f} s, peak memory "
          f"{max(peak, before) / 1024:.0f} MB (target 20 s, 300 MB)")  # fmt: skip
    print("  " + out.strip().replace("\n", "\n  ")[:600])
    again, _ = _run(["--db", str(db), "mail", "import", str(mbox)], env)
    print(f"re-import of the same file (every message already seen): {again:.1f} s")


def bench_imap(folder: Path, messages: int, people: int) -> None:
    try:
        from tests.mail.dovecot import dovecot_available, dovecot_server
    except ImportError:
        print("IMAP: skipped (run from the repository root, where tests/ is)")
        return
    if not dovecot_available():
        print("IMAP: skipped (apt-get install dovecot-imapd)")
        return
    from imapclient import IMAPClient

    db = folder / "imap.db"
    build_people(db, people)
    rng = random.Random(11)
    start = datetime(2026, 11, 25, tzinfo=UTC) - timedelta(minutes=messages * 5 + 60)
    with dovecot_server() as server:
        user = server.users[0]
        client = IMAPClient(server.host, port=server.port, ssl=False)
        client.login(user, server.password)
        started = time.perf_counter()
        for n in range(messages):
            client.append("INBOX", generate_message(rng, n, people, start))
        client.logout()
        print(f"IMAP: appended {messages:,} messages to Dovecot in "
              f"{time.perf_counter() - started:.1f} s")  # fmt: skip
        env = {**os.environ, "MENTORMAP_TODAY": "2026-11-25", "MENTORMAP_TZ": "Europe/London"}
        add = ["--db", str(db), "mail", "add-account", "bench", "--host", server.host,
               "--port", str(server.port), "--user", user, "--security", "plain",
               "--password-command", f"echo '{server.password}'", "--me", ME]  # fmt: skip
        _run(add, env)
        elapsed, _ = _run(["--db", str(db), "mail", "sync"], env)
        print(f"IMAP sync of {messages:,} messages: {elapsed:.1f} s (target 30 s)")
        again, _ = _run(["--db", str(db), "mail", "sync"], env)
        print(f"IMAP re-sync with nothing new: {again:.2f} s (target 1.5 s)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--messages", type=int, default=100_000)
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--imap", type=int, default=0, help="also sync this many over IMAP")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="mentormap-bench-mail-") as name:
        folder = Path(name)
        bench_import(folder, args.messages, args.people)
        if args.imap:
            bench_imap(folder, args.imap, args.people)


if __name__ == "__main__":
    main()
