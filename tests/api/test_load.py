"""Load on PostgreSQL: 32 clients, reads and writes mixed, for 30 s against a 2-worker server.

Every answer must succeed and every interaction written must be there afterwards; the p95
latency is printed (run with -s to see it). On this shared 2-core machine the figures are
inflated by whatever else runs; the test asserts correctness, `bench/server.py` measures speed.
"""

from __future__ import annotations

import json
import statistics
import threading
import time

import httpx
from sqlalchemy import create_engine, text

from tests.api.live import mentormap, served

CLIENTS = 32
SECONDS = 30.0


def test_32_clients_mixed_reads_and_writes_on_postgres(postgres_url: str) -> None:
    mentormap(
        postgres_url,
        "user",
        "add",
        "load@example.org",
        "--password-stdin",
        stdin="correct horse battery\n",
    )
    mentormap(postgres_url, "--user", "load@example.org", "demo", "--size", "30")
    token = json.loads(mentormap(postgres_url, "token", "create", "load@example.org", "--json"))
    headers = {"Authorization": f"Bearer {token['token']}"}
    latencies: list[float] = []
    errors: list[str] = []
    written: list[int] = []
    lock = threading.Lock()
    with served(postgres_url, "--multi-user", "--workers", "2") as base:
        people = [p["id"] for p in httpx.get(f"{base}/api/v1/people", headers=headers).json()]
        assert len(people) >= 30
        stop = time.monotonic() + SECONDS

        def client(number: int) -> None:
            with httpx.Client(base_url=base, headers=headers, timeout=30) as http:
                step = number
                while time.monotonic() < stop:
                    person = people[step % len(people)]
                    kind = step % 4
                    started = time.perf_counter()
                    try:
                        if kind == 0:
                            body = {"people": [person], "kind": "call", "notes": f"load {number}"}
                            answer = http.post("/api/v1/interactions", json=body)
                        elif kind == 1:
                            answer = http.get("/api/v1/today")
                        elif kind == 2:
                            answer = http.get("/api/v1/people", params={"limit": 50})
                        else:
                            answer = http.get(f"/api/v1/people/{person}")
                    except httpx.HTTPError as exc:
                        with lock:
                            errors.append(f"{type(exc).__name__}: {exc}")
                        continue
                    elapsed = time.perf_counter() - started
                    with lock:
                        latencies.append(elapsed)
                        if answer.status_code >= 400:
                            errors.append(f"{answer.status_code} {answer.text[:200]}")
                        elif kind == 0:
                            written.append(answer.json()["id"])
                    step += 1

        threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    p95 = statistics.quantiles(latencies, n=20)[-1] * 1000
    rate = len(latencies) / SECONDS
    print(
        f"\n{len(latencies)} requests in {SECONDS:.0f} s ({rate:.0f}/s), "
        f"{len(written)} writes, p95 {p95:.0f} ms, median "
        f"{statistics.median(latencies) * 1000:.0f} ms"
    )
    assert not errors, f"{len(errors)} errors, first: {errors[:3]}"
    assert len(written) > CLIENTS and len(set(written)) == len(written)
    engine = create_engine(postgres_url)
    with engine.connect() as conn:
        kept = conn.execute(
            text("SELECT count(*) FROM interactions WHERE notes LIKE 'load %'")
        ).scalar()
        missing = conn.execute(
            text(
                "SELECT count(*) FROM unnest(CAST(:ids AS integer[])) AS w(id) "
                "WHERE NOT EXISTS (SELECT 1 FROM interactions i WHERE i.id = w.id)"
            ),
            {"ids": written},
        ).scalar()
    engine.dispose()
    assert kept == len(written) and missing == 0, "writes were lost"
