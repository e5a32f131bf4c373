"""`mentormap digest`: today's agenda as an email, for a cron job or a systemd timer."""

from __future__ import annotations

import typer

from mentormap.cli.common import say, session


def digest(
    send: bool = typer.Option(
        False, "--send", help="Send it through the SMTP server in `mentormap config`."
    ),
    html: bool = typer.Option(False, "--html", help="Print the HTML version instead of text."),
    set_password: bool = typer.Option(
        False,
        "--set-password",
        help="Ask for the mail server's password and keep it in the keyring.",
    ),
) -> None:
    """Today's agenda as an email (text and HTML), for a cron job or a timer.

    Prints the text version (--html: the HTML one); --send emails both through the SMTP server
    set with `mentormap config` (see docs/sync.md).
    """
    from mentormap.render.digest import digest_html, digest_text, subject
    from mentormap.services.clock.today import compute_today

    if set_password:
        from mentormap.services.sync.digest import store_smtp_password

        password = typer.prompt("Password for the mail server", hide_input=True)
        with session() as ctx:
            store_smtp_password(ctx, password)
        say("Kept the mail server's password in the keyring.")
        return
    with session() as ctx:
        today = compute_today(ctx)
        text, page = digest_text(today), digest_html(today)
        if send:
            from mentormap.services.sync.digest import build_message, send_message

            message = build_message(ctx, subject(today), text, page)
            send_message(ctx, message)
    if send:
        say(f"Sent the digest to {message['To']}.")
        return
    typer.echo(page if html else text, nl=False)
