"""The app as uvicorn's worker processes build it: `mentormap serve` hands them its options in
the environment, since each worker imports the app afresh.

The parent process opens the database once before starting them (which runs the migrations),
so the workers find the schema current and never race to upgrade it.
"""

from __future__ import annotations

import os

from fastapi import FastAPI

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
