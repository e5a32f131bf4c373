"""`mentormap serve`: the local web app."""

from __future__ import annotations

import ipaddress
import socket
from typing import TYPE_CHECKING, Any

import typer

from mentormap.cli.common import say, state
from mentormap.errors import UserError

if TYPE_CHECKING:
    from mentormap.settings import Settings


def is_loopback(host: str) -> bool:
    """Whether listening on `host` keeps the app on this machine.

    IPv4 is read the way the system's resolver reads it (inet_aton), because that is how the
    server will bind it: `127.1`, `0x7f.0.0.1` and `2130706433` are all 127.0.0.1.
    """
    name = host.strip().lower()
    if name in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        pass
    if not name or any(c.isspace() for c in host):  # inet_aton ignores what follows a space
        return False
    try:
        return ipaddress.IPv4Address(socket.inet_aton(name)).is_loopback
    except OSError:
        return False


def serve(
    host: str = typer.Option(
        "127.0.0.1",
        "--host",
        help="Address to listen on (default: only this machine). One that other machines can "
        "reach needs --multi-user (or, without a login, --i-know-no-login).",
    ),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    allowed_host: list[str] = typer.Option(
        [],
        "--allowed-host",
        metavar="NAME",
        help="Also answer requests addressed to NAME (repeatable). Otherwise only 127.0.0.1, "
        "localhost, [::1] and the --host address are answered, which keeps other websites out "
        "(DNS rebinding).",
    ),
    multi_user: bool = typer.Option(
        False,
        "--multi-user",
        help="Server mode: every page and API call needs a login (`mentormap user add`), and "
        "each user sees only her own network.",
    ),
    db: str | None = typer.Option(
        None,
        "--db",
        metavar="PATH_OR_URL",
        help="Database to serve, e.g. postgresql+psycopg://user@host/mentormap (default: the "
        "global --db, else $MENTORMAP_DB, else your data folder).",
    ),
    workers: int = typer.Option(
        1, "--workers", min=1, max=64, help="Worker processes (more than 1 needs PostgreSQL)."
    ),
    forwarded_allow_ips: str | None = typer.Option(
        None,
        "--forwarded-allow-ips",
        metavar="ADDRESSES",
        help="Trust X-Forwarded-Proto/-For only from these comma-separated addresses (your "
        "reverse proxy); without it those headers are ignored.",
    ),
    i_know_no_login: bool = typer.Option(
        False,
        "--i-know-no-login",
        help="Allow a --host other machines can reach without --multi-user; anyone who can "
        "reach it then reads and changes your network.",
    ),
) -> None:
    """Start the web app (on this machine only, unless --host says otherwise)."""
    import uvicorn

    names = list(allowed_host)
    if not is_loopback(host) and not multi_user:
        if not i_know_no_login:
            raise UserError(
                f"--host {host} lets other machines reach your notes without a login; use "
                "--multi-user, or add --i-know-no-login if you mean it."
            )
        hint = " Name the address others use with --allowed-host." if _is_wildcard(host) else ""
        typer.echo(
            f"Warning: listening on {host} lets other machines on the network reach your notes; "
            f"without --multi-user there is no login.{hint}",
            err=True,
        )
    if not _is_wildcard(host):
        names.append(host)  # the address it listens on is a name it is reached by
    if db is not None:
        state().db_option = db
    settings = state().settings()
    proxy = {"proxy_headers": forwarded_allow_ips is not None}
    if forwarded_allow_ips is not None:
        proxy["forwarded_allow_ips"] = forwarded_allow_ips  # type: ignore[assignment]
    shown = f"[{host}]" if ":" in host else host
    if not multi_user:
        if workers != 1:
            raise UserError("--workers is for --multi-user servers on PostgreSQL.")
        from mentormap.web.app import create_app

        app = create_app(settings, allowed_hosts=names)
        say(f"mentormap is listening on http://{shown}:{port}/ (Ctrl+C to stop).")
        uvicorn.run(app, host=host, port=port, log_level="warning", **proxy)  # type: ignore[arg-type]
        return
    _start_server(settings, names, host, port, workers, proxy)
    say(f"mentormap (multi-user, {workers} worker{'s' if workers > 1 else ''}) is listening on "
        f"http://{shown}:{port}/ (Ctrl+C to stop).")  # fmt: skip
    from mentormap.web.server import run_workers

    run_workers(
        uvicorn.Config(
            "mentormap.web.server:app_from_environment",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
            **proxy,  # type: ignore[arg-type]
        )
    )


def _start_server(
    settings: Settings, names: list[str], host: str, port: int, workers: int, proxy: dict[str, Any]
) -> None:
    """Check the database and migrate it once, then hand the workers their options."""
    import os
    import secrets

    from mentormap.db import Database
    from mentormap.services.accounts.users import count_users
    from mentormap.web import server
    from mentormap.web.security import host_allow_list

    host_allow_list(names)  # a bad --allowed-host fails here, before any worker starts
    if workers > 1 and settings.database_url.startswith("sqlite"):
        raise UserError("Several --workers need PostgreSQL (--db postgresql+psycopg://…).")
    database = Database.open(settings)  # runs the migrations, once, before the workers start
    try:
        with database.session() as session:
            if count_users(session) == 0:
                raise UserError(
                    "No users yet; add the first with `mentormap user add EMAIL --admin`."
                )
    finally:
        database.close()
    os.environ["MENTORMAP_DB"] = settings.database_url
    os.environ[server.MULTI_USER] = "1"
    os.environ[server.ALLOWED_HOSTS] = ",".join(names)
    os.environ[server.SECRET] = secrets.token_hex(32)


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False
