"""A real Radicale (CardDAV/CalDAV) on 127.0.0.1, started and stopped by the fixture.

With `--auth-type none` any password is accepted and the user name owns `/<user>/`; each test
takes a fresh user, so tests share one server without seeing each other's collections.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from tests.ports import free_port

ROOT = Path(__file__).resolve().parents[2]  # where `tests` can be imported from

MKCOL = {
    "addressbook": (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav"><d:set><d:prop>'
        "<d:resourcetype><d:collection/><c:addressbook/></d:resourcetype>"
        "<d:displayname>Contacts</d:displayname></d:prop></d:set></d:mkcol>"
    ),
    "calendar": (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<d:mkcol xmlns:d="DAV:" xmlns:k="urn:ietf:params:xml:ns:caldav"><d:set><d:prop>'
        "<d:resourcetype><d:collection/><k:calendar/></d:resourcetype>"
        "<d:displayname>Calendar</d:displayname></d:prop></d:set></d:mkcol>"
    ),
}


@dataclass
class Radicale:
    port: int
    folder: Path
    users: Iterator[int] = field(default_factory=itertools.count)

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def new_user(self) -> str:
        return f"user{next(self.users)}"

    def client(self, user: str, timeout: float = 60) -> httpx.Client:
        return httpx.Client(base_url=self.root, auth=(user, "any"), timeout=timeout)

    def collection(self, user: str, name: str, kind: str = "addressbook") -> str:
        """Make /user/name/ as an address book or calendar; its URL."""
        with self.client(user) as http:
            answer = http.request("MKCOL", f"/{user}/{name}/", content=MKCOL[kind])
            assert answer.status_code == 201, answer.text
        return f"{self.root}/{user}/{name}/"


@contextmanager
def radicale_server(tmp: Path, *, indexed_uids: bool = False) -> Iterator[Radicale]:
    """Radicale on a free port of 127.0.0.1. With `indexed_uids`, its filesystem storage with
    the UID clash of a new item answered from an index and no wait for the disk after each
    write (`tests/sync/radicale_storage.py`), so thousands of new cards can be written in a
    test; without, Radicale exactly as installed (the other tests, and the bench)."""
    port = free_port()
    folder = tmp / "collections"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--auth-type",
            "none",
            "--rights-type",
            "owner_only",
            "--storage-filesystem-folder",
            str(folder),
            "--logging-level",
            "warning",
            *(["--storage-type", "tests.sync.radicale_storage"] if indexed_uids else []),
        ],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                httpx.get(f"http://127.0.0.1:{port}/", timeout=1)
                break
            except httpx.HTTPError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "Radicale did not start: "
                        + (process.stderr.read().decode() if process.stderr else "")
                    ) from None
                time.sleep(0.1)
        yield Radicale(port, folder)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
