"""Time the web app's main pages on the L network: in-process, over loopback, and under load.

    python -m bench.web            # L network (built once by bench.generate, then reused)
    python -m bench.web --size S   # quicker

Prints the median and 95th-percentile time of each page in-process (TestClient: routing,
services, templates; no network), the same over loopback against `mentormap serve` running in
its own process, and requests per second with 16 concurrent clients on loopback. Every request
must succeed; the run is a fixed number of requests, so it ends by itself.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.generate import SIZES, TODAY, network, settings_for

REPEATS = 60
CONCURRENT_CLIENTS = 16
REQUESTS_PER_CLIENT = 40


def pages(nav: list[str], person_id: int = 250) -> dict[str, str]:
    """The pages to time: the main views, and Today once it exists."""
    found = {
        "People": "/people",
        "People, search": "/people?q=sato",
        "People, by last contact": "/people?sort=last_contact&role=sponsor",
        "Person": f"/people/{person_id}",
    }
    if "/today" in nav:
        found = {"Today": "/today", **found}
    return found


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


Timings = tuple[list[float], list[float]]


def server_ms(response: Any) -> float:
    """The app's own time from its Server-Timing header (`app;dur=12.3`)."""
    return float(response.headers["server-timing"].split("dur=")[1])


def time_requests(get: Callable[[str], Any], url: str, repeats: int) -> Timings:
    """Server time (from the header) and round-trip time seen by the client, in ms."""
    for _ in range(3):  # warm caches and connections
        assert get(url).status_code == 200, url
    server, seen = [], []
    for _ in range(repeats):
        started = time.perf_counter()
        response = get(url)
        seen.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        server.append(server_ms(response))
    return server, seen


def report(label: str, timings: Timings) -> None:
    server_median, server_p95 = percentiles(timings[0])
    seen_median, seen_p95 = percentiles(timings[1])
    print(
        f"  {label:<25} server: median {server_median:6.1f} ms  p95 {server_p95:6.1f} ms"
        f"   |  round trip: median {seen_median:6.1f} ms  p95 {seen_p95:6.1f} ms"
    )


def in_process(path: Path, repeats: int = REPEATS) -> list[str]:
    from fastapi.testclient import TestClient

    from mentormap.web.app import create_app

    app = create_app(settings_for(path))
    nav = [href for href, _ in app.state.nav]
    print(f"In-process (TestClient), {repeats} requests each:")
    with TestClient(app, base_url="http://127.0.0.1") as client:  # a Host the app answers
        for label, url in pages(nav).items():
            report(label, time_requests(client.get, url, repeats))
    return nav


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(path: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MENTORMAP_TODAY": TODAY.isoformat(), "MENTORMAP_TZ": "Europe/London"}
    command = [sys.executable, "-m", "mentormap", "--db", str(path), "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit("the server did not start")


def over_loopback(
    path: Path,
    nav: list[str],
    repeats: int = REPEATS,
    clients: int = CONCURRENT_CLIENTS,
    requests_per_client: int = REQUESTS_PER_CLIENT,
) -> None:
    import httpx

    port = free_port()
    server = start_server(path, port)
    base = f"http://127.0.0.1:{port}"
    try:
        print(f"\nOver loopback (`mentormap serve` in its own process), {repeats} requests each:")
        with httpx.Client(base_url=base) as client:
            for label, url in pages(nav).items():
                report(label, time_requests(client.get, url, repeats))
        load(base, nav, clients, requests_per_client)
    finally:
        server.terminate()
        server.wait(timeout=10)


def load(
    base: str,
    nav: list[str],
    clients: int = CONCURRENT_CLIENTS,
    requests_per_client: int = REQUESTS_PER_CLIENT,
) -> None:
    import httpx

    urls = list(pages(nav).values())
    errors: list[str] = []
    server_times: list[float] = []
    done = [0]
    lock = threading.Lock()

    def client_loop(offset: int) -> None:
        with httpx.Client(base_url=base, timeout=30) as client:
            for n in range(requests_per_client):
                url = urls[(offset + n) % len(urls)]
                try:
                    response = client.get(url)
                    status = response.status_code
                except httpx.HTTPError as exc:
                    errors.append(f"{url}: {exc!r}")
                    continue
                if status != 200:
                    errors.append(f"{url}: {status}")
                with lock:
                    done[0] += 1
                    server_times.append(server_ms(response))

    threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = clients * requests_per_client
    print(
        f"\nUnder load: {clients} concurrent clients, {total} requests over "
        f"{len(urls)} pages: {done[0] / elapsed:.0f} requests/s, {len(errors)} errors"
    )
    if server_times:
        median, p95 = percentiles(server_times)
        print(f"  server time under load: median {median:.1f} ms, p95 {p95:.1f} ms")
    for line in errors[:5]:
        print(f"  {line}")
    if errors:
        raise SystemExit(1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=list(SIZES), default="L")
    parser.add_argument("--repeats", type=int, default=REPEATS, help="Requests per page.")
    parser.add_argument("--clients", type=int, default=CONCURRENT_CLIENTS)
    parser.add_argument("--requests-per-client", type=int, default=REQUESTS_PER_CLIENT)
    args = parser.parse_args(argv)
    path = network(args.size)
    print(f"Network {args.size}: {path}\n")
    nav = in_process(path, args.repeats)
    over_loopback(path, nav, args.repeats, args.clients, args.requests_per_client)


if __name__ == "__main__":
    main()
