"""`mentormap serve` in a subprocess on a free loopback port, as an operator would start it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import httpx

from tests.conftest import TODAY, ZONE
from tests.ports import free_port


def mentormap(database: str, *args: str, stdin: str | None = None) -> str:
    """Run one `mentormap` command on `database`; its stdout."""
    done = subprocess.run(
        [sys.executable, "-m", "mentormap", "--db", database, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=_env(),
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _env() -> dict[str, str]:
    return {**os.environ, "MENTORMAP_TODAY": TODAY.isoformat(), "MENTORMAP_TZ": ZONE}


@contextmanager
def served(database: str, *options: str) -> Iterator[str]:
    """The app serving `database` with `options` (e.g. --multi-user --workers 4); its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "mentormap",
        "--db",
        database,
        "serve",
        "--port",
        str(port),
        *options,
    ]
    process = subprocess.Popen(
        command, env=_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"mentormap serve stopped: {process.stdout.read()}")  # type: ignore[union-attr]
            try:
                if httpx.get(f"{base}/api/openapi.json", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("mentormap serve did not answer within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
