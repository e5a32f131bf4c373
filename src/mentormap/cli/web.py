"""`mentormap serve`: the local web app."""

from __future__ import annotations

import ipaddress
import socket

import typer

from mentormap.cli.common import say, state
from mentormap.errors import UserError


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
        "reach also needs --i-know-no-login.",
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
    i_know_no_login: bool = typer.Option(
        False,
        "--i-know-no-login",
        help="Allow a --host other machines can reach; anyone who can reach it reads and "
        "changes your network, since mentormap has no login.",
    ),
) -> None:
    """Start the web app (on this machine only, unless --host says otherwise)."""
    import uvicorn

    from mentormap.web.app import create_app

    names = list(allowed_host)
    if not is_loopback(host):
        if not i_know_no_login:
            raise UserError(
                f"--host {host} lets other machines reach your notes and mentormap has no "
                "login; add --i-know-no-login if you mean it."
            )
        hint = " Name the address others use with --allowed-host." if _is_wildcard(host) else ""
        typer.echo(
            f"Warning: listening on {host} lets other machines on the network reach your notes; "
            f"mentormap has no login.{hint}",
            err=True,
        )
    if not _is_wildcard(host):
        names.append(host)  # the address it listens on is a name it is reached by
    app = create_app(state().settings(), allowed_hosts=names)
    shown = f"[{host}]" if ":" in host else host
    say(f"mentormap is listening on http://{shown}:{port}/ (Ctrl+C to stop).")
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False
