"""`mentormap serve`: the local web app."""

from __future__ import annotations

import ipaddress

import typer

from mentormap.cli.common import say, state


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve(
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (default: only this machine)."
    ),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
) -> None:
    """Start the web app (on this machine only, unless --host says otherwise)."""
    import uvicorn

    from mentormap.web.app import create_app

    app = create_app(state().settings())
    if not is_loopback(host):
        typer.echo(
            f"Warning: listening on {host} lets other machines on the network reach your notes; "
            "mentormap has no login. Use 127.0.0.1 unless you mean it.",
            err=True,
        )
    shown = f"[{host}]" if ":" in host else host
    say(f"mentormap is listening on http://{shown}:{port}/ (Ctrl+C to stop).")
    uvicorn.run(app, host=host, port=port, log_level="warning")
