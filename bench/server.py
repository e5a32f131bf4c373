"""Time server mode on PostgreSQL: the API's agenda, throughput under 32 clients, and a login.

    python -m bench.server                  # the L network, 4 workers
    python -m bench.server --size S         # quicker
    python -m bench.server --db postgresql+psycopg://user@host/empty_db

The network (bench.generate, SQLite) goes into PostgreSQL the way a user would move hers:
`mentormap export --format json`, then `restore` into an empty database, then `user add
--local-network` makes its owner a user of the server. Without --db a throw-away PostgreSQL
is started in a temporary folder (Debian's server package, as the tests do).

Targets on L with 4 workers: `GET /api/v1/today` median <= 60 ms; 32 clients >= 150 requests/s
with 0 errors; login <= 150 ms (Argon2id, 19 MiB, 2 passes, 1 lane: see
services/accounts/passwords.py).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.client import HTTPConnection, HTTPException
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from bench.generate import TODAY, network
from bench.web import free_port, percentiles

EMAIL = "bench@example.org"
PASSWORD = "bench password, long enough"
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]+)"')


def mentormap(database: str, *args: str, stdin: str | None = None) -> str:
    env = {**os.environ, "MENTORMAP_TODAY": TODAY.isoformat()}
    done = subprocess.run(
        [sys.executable, "-m", "mentormap", "--db", database, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"mentormap {' '.join(args)} failed: {done.stderr}")
    return done.stdout


@contextmanager
def throwaway_postgres() -> Iterator[str]:
    # The tests' helper: initdb + pg_ctl into a temporary folder, 127.0.0.1, a free port.
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from tests.pg import create_database, postgres_server

    with postgres_server() as server:
        yield create_database(server, "bench")


def load_network(source: Path, database: str) -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        backup = Path(folder) / "backup.json"
        mentormap(f"sqlite:///{source}", "export", "--format", "json", "--output", str(backup))
        mentormap(database, "restore", str(backup))
    mentormap(
        database, "user", "add", EMAIL, "--password-stdin", "--local-network", stdin=PASSWORD + "\n"
    )
    print(f"moved {source.name} into PostgreSQL in {time.perf_counter() - started:.1f} s")


@contextmanager
def serving(database: str, workers: int) -> Iterator[tuple[str, int]]:
    port = free_port()
    env = {**os.environ, "MENTORMAP_TODAY": TODAY.isoformat()}
    command = [
        sys.executable,
        "-m",
        "mentormap",
        "--db",
        database,
        "serve",
        "--multi-user",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                if httpx.get(f"{base}/api/openapi.json", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the server did not start")
            time.sleep(0.2)
        yield base, server.pid
    finally:
        server.terminate()
        server.wait(timeout=30)


def _processes() -> dict[int, tuple[int, str, float]]:
    """Every process: its parent, its name and the CPU seconds it has used (Linux /proc)."""
    found: dict[int, tuple[int, str, float]] = {}
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        found[int(entry.name)] = (int(fields[1]), name, (int(fields[11]) + int(fields[12])) / tick)
    return found


def cpu_split(server_pid: int) -> dict[str, float]:
    """CPU seconds so far of the server's processes, of PostgreSQL's and of this one."""
    table = _processes()
    tree = {server_pid}
    for _ in range(3):  # the workers are the server's children
        tree |= {pid for pid, (parent, _n, _c) in table.items() if parent in tree}
    return {
        "workers": sum(table[pid][2] for pid in tree if pid in table),
        "postgres": sum(c for _p, name, c in table.values() if name.startswith("postgres")),
        "clients": time.process_time(),
    }


def agenda(base: str, headers: dict[str, str], repeats: int) -> None:
    seen: list[float] = []
    server: list[float] = []
    with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
        http.get("/api/v1/today").raise_for_status()  # warm: connections, caches
        for _ in range(repeats):
            started = time.perf_counter()
            answer = http.get("/api/v1/today")
            seen.append((time.perf_counter() - started) * 1000)
            answer.raise_for_status()
            server.append(float(answer.headers["server-timing"].split("dur=")[1]))
    median, p95 = percentiles(seen)
    print(
        f"GET /api/v1/today, {repeats} requests: median {median:.1f} ms, p95 {p95:.1f} ms "
        f"(server {statistics.median(server):.1f} ms)  target: median <= 60 ms"
    )


def throughput(
    base: str,
    headers: dict[str, str],
    clients: int,
    per_client: int,
    server_pid: int,
    writes_every: int = 0,
) -> None:
    """32 clients, each on one kept-alive connection, asking for a mix of the API's reads; with
    `writes_every` N, every Nth request of a client logs a call instead, which makes the
    workers' kept answers (web.response_cache) out of date.

    The clients use the standard library's http.client: they share the two cores with the
    server and PostgreSQL, and httpx costs about ten times as much CPU per request."""
    people = httpx.get(
        f"{base}/api/v1/people", params={"limit": 200}, headers=headers, timeout=60
    ).json()
    ids = [p["id"] for p in people] or [1]
    paths = ["/api/v1/today", "/api/v1/people?limit=50", "/api/v1/followups"]
    errors: list[str] = []
    times: list[float] = []
    lock = threading.Lock()
    address = urlsplit(base)

    def client(number: int) -> None:
        http = HTTPConnection(address.hostname or "127.0.0.1", address.port, timeout=60)
        try:
            for step in range(per_client):
                kind = (number + step) % 4
                path = paths[kind] if kind < 3 else f"/api/v1/people/{ids[step % len(ids)]}"
                method, body, sent = "GET", None, headers
                if writes_every and step % writes_every == writes_every - 1:
                    method, path = "POST", "/api/v1/interactions"
                    person = ids[(number * per_client + step) % len(ids)]
                    body = json.dumps({"people": [person], "kind": "call"})
                    sent = {**headers, "Content-Type": "application/json"}
                started = time.perf_counter()
                try:
                    http.request(method, path, body=body, headers=sent)
                    answer = http.getresponse()
                    answer.read()
                    status, detail = answer.status, path
                except (OSError, HTTPException) as exc:
                    status, detail = 0, f"{path}: {exc!r}"
                    http.close()
                with lock:
                    times.append(time.perf_counter() - started)
                    if status not in (200, 201):
                        errors.append(f"{status} {detail}")
        finally:
            http.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    before = cpu_split(server_pid)
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    after = cpu_split(server_pid)
    median, p95 = percentiles([t * 1000 for t in times])
    mix = f", 1 in {writes_every} a write" if writes_every else ", reads"
    print(
        f"{clients} clients{mix}, {len(times)} requests in {elapsed:.1f} s: "
        f"{len(times) / elapsed:.0f} requests/s, {len(errors)} errors, median {median:.0f} ms, "
        f"p95 {p95:.0f} ms  target: >= 150 requests/s, 0 errors"
    )
    split = ", ".join(
        f"{name} {(after[name] - before[name]) * 1000 / len(times):.1f} ms" for name in after
    )
    print(f"  CPU per request: {split}")
    if errors:
        print(f"  first errors: {errors[:3]}")


def login(base: str, repeats: int) -> None:
    seen: list[float] = []
    for _ in range(repeats):
        with httpx.Client(base_url=base, timeout=60) as http:
            token = CSRF.search(http.get("/login").text)
            assert token, "no CSRF field on /login"
            data = {"email": EMAIL, "password": PASSWORD, "next": "/", "csrf_token": token[1]}
            started = time.perf_counter()
            answer = http.post("/login", data=data)
            seen.append((time.perf_counter() - started) * 1000)
            if answer.status_code != 303:
                raise SystemExit(f"login failed: {answer.status_code}")
    median, p95 = percentiles(seen)
    print(
        f"login (POST /login, Argon2id 19 MiB/t=2/p=1), {repeats} logins: median "
        f"{median:.0f} ms, p95 {p95:.0f} ms  target: <= 150 ms"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="L")
    parser.add_argument("--db", help="an empty PostgreSQL database (default: a throw-away one)")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--repeats", type=int, default=50)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--requests-per-client", type=int, default=30)
    parser.add_argument("--writes-every", type=int, default=10, help="then a mix with writes")
    parser.add_argument("--logins", type=int, default=4)  # 5 wrong ones would lock; these are right
    args = parser.parse_args(argv)
    source = network(args.size)
    with throwaway_postgres() if args.db is None else _given(args.db) as database:
        load_network(source, database)
        token = json.loads(mentormap(database, "token", "create", EMAIL, "--json"))["token"]
        headers = {"Authorization": f"Bearer {token}"}
        with serving(database, args.workers) as (base, pid):
            plural = "s" if args.workers > 1 else ""
            print(f"{args.size} on PostgreSQL, {args.workers} worker{plural}:")
            agenda(base, headers, args.repeats)
            throughput(base, headers, args.clients, args.requests_per_client, pid)
            if args.writes_every:
                throughput(
                    base, headers, args.clients, args.requests_per_client, pid, args.writes_every
                )
            login(base, args.logins)


@contextmanager
def _given(url: str) -> Iterator[str]:
    yield url


if __name__ == "__main__":
    main()
