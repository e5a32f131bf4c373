"""Sending the daily digest by email, through the SMTP server set in `mentormap config`
(smtp_host, smtp_port, smtp_security, smtp_user, smtp_from, digest_to); the password comes from
the keyring (`mentormap digest --set-password`) or `smtp_password_command`, never the database.
TLS unless the server is this machine."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from mentormap.errors import UserError
from mentormap.services.context import Ctx
from mentormap.services.preferences import get_preference
from mentormap.services.secrets import secret_for, store_secret

KEYRING_SERVICE = "mentormap-smtp"
LOOPBACK = ("127.0.0.1", "::1", "localhost")
TIMEOUT_SECONDS = 60


def build_message(ctx: Ctx, subject: str, text: str, html: str) -> EmailMessage:
    sender = get_preference(ctx, "smtp_from")
    to = get_preference(ctx, "digest_to") or sender
    if not to or not sender:
        raise UserError(
            "Say where the digest goes first: `mentormap config set digest_to you@example.org` "
            "and `mentormap config set smtp_from you@example.org`."
        )
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    return message


def store_smtp_password(ctx: Ctx, password: str) -> None:
    user = get_preference(ctx, "smtp_user")
    if not user:
        raise UserError("Set the login first: `mentormap config set smtp_user NAME`.")
    store_secret(KEYRING_SERVICE, user, password)


def send_message(ctx: Ctx, message: EmailMessage) -> None:
    host = get_preference(ctx, "smtp_host")
    if not host:
        raise UserError("Set the mail server first: `mentormap config set smtp_host HOST`.")
    security = (get_preference(ctx, "smtp_security") or "starttls").lower()
    if security == "plain" and host not in LOOPBACK:
        raise UserError("Without TLS the password would cross the network in the clear.")
    port_text = get_preference(ctx, "smtp_port")
    port = int(port_text) if port_text else (465 if security == "ssl" else 587)
    user = get_preference(ctx, "smtp_user")
    command = get_preference(ctx, "smtp_password_command")
    password = secret_for(KEYRING_SERVICE, user or "", command, "the mail server") if user else None
    try:
        if security == "ssl":
            client: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=TIMEOUT_SECONDS, context=ssl.create_default_context()
            )
        else:
            client = smtplib.SMTP(host, port, timeout=TIMEOUT_SECONDS)
        with client:
            if security == "starttls":
                client.starttls(context=ssl.create_default_context())
            if user and password is not None:
                client.login(user, password)
            client.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise UserError(
            f"Cannot send through {host}:{port} ({type(exc).__name__}: {exc})."
        ) from None
