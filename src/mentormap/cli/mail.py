"""`mentormap mail …`: capture interactions and owed replies from mbox, Maildir and IMAP."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from mentormap.cli.common import JSON_OPTION, YES_OPTION, confirm, print_json, say, session

if TYPE_CHECKING:
    from mentormap.services.mail.capture import MailReport

app = typer.Typer(
    help="Capture from email: mbox, Maildir and IMAP become interactions and owed replies.",
    no_args_is_help=True,
)

ME_OPTION = typer.Option(
    [], "--me", help="One of your own addresses (repeatable; remembered in `mentormap config`)."
)
DRY_RUN = typer.Option(False, "--dry-run", help="Show what would change, and change nothing.")

SKIPPED_SHOWN = 50
OWED_SHOWN = 20


def _print_report(report: MailReport, as_json: bool) -> None:
    from dataclasses import asdict

    if as_json:
        print_json(
            {
                "dry_run": report.dry_run,
                "counts": report.counts(),
                "owed_replies": [asdict(o) for o in report.owed],
                "skipped": report.skipped,
                "folders": report.folders,
            }
        )
        return
    import sys

    out = sys.stdout.write
    would = "Would add" if report.dry_run else "Added"
    out(
        f"Read {report.read} messages. {would} {report.interactions} email interactions "
        f"with {report.people} people.\n"
    )
    out(
        f"Already seen: {report.already}. Bulk and list mail skipped: {report.bulk}. "
        f"Not to or from you: {report.not_yours}. "
        f"Only with people you have not added: {report.unknown}.\n"
    )
    for folder in report.folders:
        out(
            f"  {folder['account']}/{folder['folder']}: {folder['new']} new "
            f"(last UID {folder['last_uid']})\n"
        )
    if report.owed:
        out(f"Replies you owe ({len(report.owed)}):\n")
        for owed in report.owed[:OWED_SHOWN]:
            out(f"  {owed.name}, due {owed.due_on}: {owed.question}\n")
        if len(report.owed) > OWED_SHOWN:
            out(f"  And {len(report.owed) - OWED_SHOWN} more: see `mentormap today --all`.\n")
    for line in report.skipped[:SKIPPED_SHOWN]:
        sys.stderr.write(line + "\n")
    if len(report.skipped) > SKIPPED_SHOWN:
        sys.stderr.write(f"And {len(report.skipped) - SKIPPED_SHOWN} more skipped.\n")
    if report.dry_run:
        out("Dry run: nothing was changed.\n")


@app.command("import")
def import_(
    paths: list[Path] = typer.Argument(..., help="mbox files or Maildir folders."),
    me: list[str] = ME_OPTION,
    dry_run: bool = DRY_RUN,
    as_json: bool = JSON_OPTION,
) -> None:
    """Read an mbox file (Gmail Takeout, Thunderbird) or a Maildir folder."""
    from mentormap.cli.interop import progress_bar
    from mentormap.services.mail.files import import_mail

    with session() as ctx, progress_bar("Reading mail") as advance:
        report = import_mail(ctx, paths, me=me, dry_run=dry_run, progress=advance)
    _print_report(report, as_json)


@app.command("add-account")
def add_account(
    name: str = typer.Argument(..., help="A short name for the account, e.g. work."),
    host: str = typer.Option(..., "--host", help="The IMAP server, e.g. imap.example.org."),
    user: str = typer.Option(..., "--user", help="The login name."),
    port: int | None = typer.Option(
        None, "--port", help="Default: 993 (TLS), 143 (STARTTLS or plain)."
    ),
    folders: list[str] = typer.Option(
        [], "--folder", help="A folder to read (repeatable; default INBOX)."
    ),
    security: str = typer.Option(
        "ssl",
        "--security",
        help="ssl (implicit TLS), starttls, or plain (only to this machine, 127.0.0.1).",
    ),
    password_command: str | None = typer.Option(
        None,
        "--password-command",
        help="A command that prints the password (e.g. 'pass show mail'); else the keyring.",
    ),
    me: list[str] = ME_OPTION,
) -> None:
    """Add an IMAP account, read read-only; the password goes to the keyring, never the DB."""
    from mentormap.services.mail.accounts import add_account as add
    from mentormap.services.mail.accounts import store_password

    with session() as ctx:
        account = add(
            ctx,
            name,
            host=host,
            user=user,
            port=port,
            folders=folders or ["INBOX"],
            security=security,
            password_command=password_command,
            me=me,
        )
        if password_command is None:
            password = typer.prompt(f"Password for {user} at {host}", hide_input=True)
            store_password(account.name, account.username, password)
    say(f"Added mail account {account.name} ({account.username} at {account.host}).")


@app.command("sync")
def sync(
    name: str | None = typer.Argument(None, help="The account; leave out to sync them all."),
    dry_run: bool = DRY_RUN,
    as_json: bool = JSON_OPTION,
) -> None:
    """Read what is new in your IMAP folders (read-only: nothing is marked read or moved)."""
    from mentormap.cli.interop import progress_bar
    from mentormap.services.mail.imap import sync_accounts

    with session() as ctx, progress_bar("Syncing mail") as advance:
        report = sync_accounts(ctx, name, dry_run=dry_run, progress=advance)
    _print_report(report, as_json)


@app.command("accounts")
def accounts(as_json: bool = JSON_OPTION) -> None:
    """List your mail accounts and how far each folder was read."""
    from mentormap.services.mail.accounts import account_views

    with session() as ctx:
        views = account_views(ctx)
    if as_json:
        print_json(views)
        return
    if not views:
        say("No mail accounts yet: `mentormap mail add-account NAME --host H --user U`.")
        return
    for view in views:
        folders = ", ".join(f"{f.name} (last UID {f.last_uid})" for f in view.folders)
        synced = view.last_sync_at or "never"
        say(f"{view.name}: {view.username} at {view.host}:{view.port} — {folders}; synced {synced}")


@app.command("forget")
def forget(
    name: str = typer.Argument(..., help="The account to forget."),
    yes: bool = YES_OPTION,
) -> None:
    """Remove an account and every interaction and message it brought in."""
    from mentormap.services.mail.accounts import forget_account

    confirm(f"Forget the mail account {name} and everything it brought in?", yes)
    with session() as ctx:
        removed = forget_account(ctx, name)
    say(
        f"Forgot {name}: {removed.interactions} interactions and {removed.messages} "
        "messages removed."
    )


@app.command("suggestions")
def suggestions(
    add: list[str] = typer.Option(
        [], "--add", help="Add the person with this address and link her past messages."
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """People you write with but have not added (two or more two-way threads)."""
    from mentormap.services.mail.suggestions import accept_suggestion, mail_suggestions

    if add:
        with session() as ctx:
            added = [accept_suggestion(ctx, address) for address in add]
        if as_json:
            print_json(added)
            return
        for item in added:
            say(f"Added {item.name} <{item.address}>: {item.interactions} emails linked.")
        return
    with session() as ctx:
        found = mail_suggestions(ctx)
    if as_json:
        print_json(found)
        return
    if not found:
        say("No suggestions: nobody unknown shares two two-way threads with you.")
        return
    from mentormap.cli.common import plain_table

    plain_table(
        ["address", "name", "two-way threads", "messages", "last"],
        [
            [s.address, s.name or "", str(s.threads), str(s.messages), s.last_on.isoformat()]
            for s in found
        ],
    )
