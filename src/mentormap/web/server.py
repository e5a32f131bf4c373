"""The app as uvicorn's worker processes build it: `mentormap serve` hands them its options in
the environment, since each worker imports the app afresh.

The parent process opens the database once before starting them (which runs the migrations),
so the workers find the schema current and never race to upgrade it.
"""

from __future__ import annotations

import os
import socket
import sys
from typing import TYPE_CHECKING

from fastapi import FastAPI

if TYPE_CHECKING:
    import uvicorn

MULTI_USER = "MENTORMAP_SERVE_MULTI_USER"
ALLOWED_HOSTS = "MENTORMAP_SERVE_ALLOWED_HOSTS"
SECRET = "MENTORMAP_SERVE_SECRET"  # signs CSRF tokens alike in every worker; made per start


def app_from_environment() -> FastAPI:
    from mentormap.settings import Settings
    from mentormap.web.app import create_app

    hosts = [name for name in os.environ.get(ALLOWED_HOSTS, "").split(",") if name]
    secret = os.environ.get(SECRET)
    return create_app(
        Settings.load(),
        allowed_hosts=hosts,
        multi_user=os.environ.get(MULTI_USER) == "1",
        secret=bytes.fromhex(secret) if secret else None,
    )


def run_workers(config: uvicorn.Config) -> None:
    """Run the server as `uvicorn.run` would, with the listening socket marked as TCP.

    uvicorn binds the socket for its worker processes with the protocol left at 0 (uvicorn
    issue 3149). The connections it accepts inherit that, and asyncio turns Nagle's algorithm
    off only on sockets that say they are TCP; so every request after the first on a kept-alive
    connection waited some 40 ms for the client's delayed acknowledgement. Rebuilding the
    socket object from its descriptor lets the kernel tell Python the protocol.
    """
    import uvicorn
    from uvicorn.supervisors import Multiprocess

    if config.workers <= 1:
        server = uvicorn.Server(config)
        server.run()
        if not server.started:
            sys.exit(3)  # uvicorn's own code for a failed start
        return
    bound = config.bind_socket()
    listening = tcp_socket(bound)
    Multiprocess(config, sockets=[listening]).run()


def tcp_socket(bound: socket.socket) -> socket.socket:
    """The same listening socket, its protocol read back from the kernel (IPPROTO_TCP)."""
    if bound.family not in (socket.AF_INET, socket.AF_INET6) or bound.proto:
        return bound
    rebuilt = socket.socket(fileno=bound.detach())
    rebuilt.set_inheritable(True)
    return rebuilt
