"""Where a password comes from: the system keyring, or a command that prints it (`pass show …`).

Never the database, never a log. Mail accounts, sync sources and the digest's SMTP server all
read their passwords through here, each under its own keyring service name.
"""

from __future__ import annotations

import shlex
import subprocess

from mentormap.errors import UserError

PASSWORD_COMMAND_SECONDS = 60


def store_secret(service: str, key: str, password: str) -> None:
    """Keep `password` in the system keyring; one sentence if there is none to hold it."""
    try:
        import keyring
        from keyring.errors import KeyringError

        keyring.set_password(service, key, password)
    except (ImportError, KeyringError, RuntimeError) as exc:
        raise UserError(
            f"The system keyring cannot hold the password ({type(exc).__name__}); "
            "add the account with --password-command instead."
        ) from None


def forget_secret(service: str, key: str) -> None:
    try:
        import keyring

        keyring.delete_password(service, key)
    except Exception:  # nothing stored, or no keyring: nothing to forget
        pass


def run_password_command(command: str, whose: str) -> str:
    """The first line the command prints; one sentence naming `whose` if it fails."""
    try:
        done = subprocess.run(
            shlex.split(command),
            capture_output=True,
            timeout=PASSWORD_COMMAND_SECONDS,
            check=False,
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as exc:
        raise UserError(
            f"The password command of {whose} could not run ({type(exc).__name__})."
        ) from None
    if done.returncode != 0:
        raise UserError(f"The password command of {whose} failed (exit status {done.returncode}).")
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if not lines or not lines[0]:
        raise UserError(f"The password command of {whose} printed nothing.")
    return lines[0]


def secret_for(service: str, key: str, command: str | None, whose: str) -> str:
    """The password from `command` when there is one, else the keyring; one sentence if neither."""
    if command:
        return run_password_command(command, whose)
    try:
        import keyring

        stored = keyring.get_password(service, key)
    except Exception as exc:
        raise UserError(
            f"The system keyring cannot be read ({type(exc).__name__}); "
            f"give {whose} a --password-command."
        ) from None
    if stored is None:
        raise UserError(
            f"No password for {whose} in the keyring; add it again or give it a --password-command."
        )
    return stored
