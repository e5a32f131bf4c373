"""The API's answers to reads, kept in each worker's memory until the owner's data changes.

An answer is filed under the owner, her data version as the request's first statement found it
(`Owner.data_version`, which every commit that wrote changes: `db._new_data_version`), the day
in the user's time zone, and the path with its query. A read repeated before anything changed is
then one statement (the token's check) instead of the route's dozen. Only routes that ask for it
(`keep_answer`) are kept, only their 200s, and never one that asked for the time of day
(`Ctx.read_the_clock`): its answer holds for a minute, not for the day.

The version is read before any of the rows the answer comes from, so an answer can be newer than
its version but never older. Memory is bounded: the least recently used answers go first.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date
from threading import Lock
from typing import Any

from starlette.requests import Request

from mentormap.web.csrf import Message, Receive, Scope, Send

Key = tuple[int, int, date, str, bytes]

KEEP = "keep_answer"  # scope["state"] key: the route asked to keep its answer
CTXS = "ctxs"  # scope["state"] key: the units of work the request opened (web.render)


@dataclass
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes

    @property
    def size(self) -> int:
        return len(self.body) + sum(len(k) + len(v) for k, v in self.headers) + 200


@dataclass
class ResponseCache:
    max_bytes: int
    _answers: OrderedDict[Key, Answer] = field(default_factory=OrderedDict)
    _bytes: int = 0
    _lock: Lock = field(default_factory=Lock)
    hits: int = 0
    misses: int = 0

    def get(self, key: Key) -> Answer | None:
        with self._lock:
            answer = self._answers.get(key)
            if answer is None:
                self.misses += 1
                return None
            self._answers.move_to_end(key)
            self.hits += 1
            return answer

    def put(self, key: Key, answer: Answer) -> None:
        if answer.size > self.max_bytes:
            return
        with self._lock:
            old = self._answers.pop(key, None)
            if old is not None:
                self._bytes -= old.size
            self._answers[key] = answer
            self._bytes += answer.size
            while self._bytes > self.max_bytes:
                _key, gone = self._answers.popitem(last=False)
                self._bytes -= gone.size

    def __len__(self) -> int:
        return len(self._answers)


def key_of(scope: Scope, owner_id: int, data_version: int, today: date) -> Key | None:
    """The key of a GET; None for anything else, which is never kept."""
    if scope.get("method") != "GET":
        return None
    return (owner_id, data_version, today, scope["path"], scope.get("query_string", b""))


async def answer(found: Answer, send: Send) -> None:
    await send({"type": "http.response.start", "status": found.status, "headers": found.headers})
    await send({"type": "http.response.body", "body": found.body})


async def run_and_keep(
    app: Any, cache: ResponseCache, key: Key, scope: Scope, receive: Receive, send: Send
) -> None:
    """Run the route; keep its answer if it asked to and it is a whole 200 from the day alone."""
    started: list[Message] = []
    parts: list[bytes] = []

    async def noting(message: Message) -> None:
        if message["type"] == "http.response.start":
            # A copy, as the route sent it: the guards outside add their headers to this very
            # message on its way out, and add them again to a kept answer.
            started.append({**message, "headers": list(message.get("headers", []))})
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))
        await send(message)

    await app(scope, receive, noting)
    state = scope.get("state", {})
    if not state.get(KEEP) or not started or started[0]["status"] != 200:
        return
    if any(ctx.read_the_clock for ctx in state.get(CTXS, ())):
        return
    headers = [(bytes(k), bytes(v)) for k, v in started[0].get("headers", [])]
    if any(k.lower() == b"set-cookie" for k, _v in headers):
        return
    cache.put(key, Answer(200, headers, b"".join(parts)))


def keep_answer(request: Request) -> None:
    """FastAPI dependency: this read's answer may be kept (see the module's doc)."""
    request.state.keep_answer = True
