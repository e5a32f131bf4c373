"""`mentormap mail sync`: read what is new in an account's IMAP folders, read-only.

Each folder is opened with EXAMINE (imapclient's `readonly=True`) and messages are fetched with
BODY.PEEK, so nothing is marked read, moved or deleted. A folder remembers its UIDVALIDITY and
the last UID read: when the server's next UID shows nothing new, no message is fetched at all;
when UIDVALIDITY changed, the folder is read again from the start (messages already seen are
recognised by their keys). Any failure ends the whole sync in one sentence, and the caller's
transaction leaves the database as it was.
"""

from __future__ import annotations

import contextlib
import socket
import ssl
from collections.abc import Iterator
from typing import Any

from mentormap.errors import UserError
from mentormap.models import MailAccount, MailFolder, utcnow
from mentormap.services.context import Ctx
from mentormap.services.mail.accounts import folders_of, get_account, list_accounts, password_for
from mentormap.services.mail.capture import (
    MailCapture,
    MailReport,
    Progress,
    remember_my_addresses,
)

FETCH_BATCH = 200
FETCH_BYTES = 20 * 1024 * 1024
TIMEOUT_SECONDS = 30


def _connect(account: MailAccount) -> Any:
    from imapclient import IMAPClient

    context = ssl.create_default_context()
    client = IMAPClient(
        account.host,
        port=account.port,
        ssl=account.security == "ssl",
        ssl_context=context if account.security == "ssl" else None,
        timeout=TIMEOUT_SECONDS,
    )
    if account.security == "starttls":
        client.starttls(context)
    return client


def _failure(account: MailAccount, exc: BaseException) -> UserError:
    from imapclient.exceptions import LoginError

    if isinstance(exc, LoginError):
        return UserError(f"{account.name}: the server refused the login for {account.username}.")
    if isinstance(exc, ssl.SSLError):
        return UserError(f"{account.name}: the TLS connection failed ({exc.reason or exc}).")
    if isinstance(exc, socket.timeout | TimeoutError):
        return UserError(f"{account.name}: {account.host} did not answer in time.")
    if isinstance(exc, OSError):
        reason = exc.strerror or type(exc).__name__
        return UserError(f"{account.name}: cannot reach {account.host}:{account.port} ({reason}).")
    text = " ".join(str(exc).split())[:200]
    return UserError(f"{account.name}: the IMAP server answered with an error ({text}).")


def _sync_folder(
    client: Any,
    account: MailAccount,
    folder: MailFolder,
    capture: MailCapture,
    progress: Progress | None,
) -> dict[str, Any]:
    status = client.select_folder(folder.name, readonly=True)  # EXAMINE
    validity = int(status.get(b"UIDVALIDITY", 0) or 0)
    uid_next = status.get(b"UIDNEXT")
    if folder.uidvalidity != validity:
        folder.uidvalidity = validity
        folder.last_uid = 0
    new = 0
    nothing_new = uid_next is not None and int(uid_next) - 1 <= folder.last_uid
    if not nothing_new and int(status.get(b"EXISTS", 0) or 0) > 0:
        uids = sorted(
            u for u in client.search(["UID", f"{folder.last_uid + 1}:*"]) if u > folder.last_uid
        )
        total, done = len(uids), 0
        for chunk in _batches(client, uids):
            fetched = client.fetch(chunk, ["BODY.PEEK[]"])
            for uid in chunk:
                data = fetched.get(uid, {}).get(b"BODY[]")
                where = f"{account.name}/{folder.name} UID {uid}"
                if not isinstance(data, bytes):
                    capture.report.read += 1
                    capture.report.skipped.append(f"{where}: skipped, the server sent no message")
                    continue
                capture.add(where, data)
                new += 1
            folder.last_uid = max(folder.last_uid, chunk[-1])
            done += len(chunk)
            if progress:
                progress(done, total)
    if _can_unselect(client):
        client.unselect_folder()
    else:
        client.close_folder()  # after EXAMINE, CLOSE removes nothing
    return {
        "account": account.name,
        "folder": folder.name,
        "new": new,
        "uidvalidity": validity,
        "last_uid": folder.last_uid,
    }


def _batches(client: Any, uids: list[int]) -> Iterator[list[int]]:
    """UIDs in fetch batches of at most FETCH_BATCH messages and about FETCH_BYTES: a folder of
    large attachments is held a few messages at a time, not two hundred."""
    for start in range(0, len(uids), FETCH_BATCH):
        chunk = uids[start : start + FETCH_BATCH]
        sizes = client.fetch(chunk, ["RFC822.SIZE"])
        batch: list[int] = []
        held = 0
        for uid in chunk:
            size = int(sizes.get(uid, {}).get(b"RFC822.SIZE", 0) or 0)
            if batch and held + size > FETCH_BYTES:
                yield batch
                batch, held = [], 0
            batch.append(uid)
            held += size
        if batch:
            yield batch


def _can_unselect(client: Any) -> bool:
    try:
        return bool(client.has_capability("UNSELECT"))
    except Exception:
        return False


def sync_account(
    ctx: Ctx, account: MailAccount, capture: MailCapture, progress: Progress | None = None
) -> list[dict[str, Any]]:
    password = password_for(account)
    folders = folders_of(ctx, account)
    client = None
    try:
        client = _connect(account)
        client.login(account.username, password)
        done = [_sync_folder(client, account, f, capture, progress) for f in folders]
    except UserError:
        raise
    except Exception as exc:
        raise _failure(account, exc) from None
    finally:
        if client is not None:
            with contextlib.suppress(Exception):
                client.logout()
    account.last_sync_at = utcnow()
    return done


def sync_accounts(
    ctx: Ctx,
    name: str | None = None,
    *,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MailReport:
    """Sync one account (or every one); everything in the caller's one transaction."""
    accounts = [get_account(ctx, name)] if name else list_accounts(ctx)
    if not accounts:
        raise UserError(
            "No mail accounts yet: `mentormap mail add-account NAME --host H --user U`."
        )
    transaction = ctx.session.begin_nested() if dry_run else None
    try:
        mine = remember_my_addresses(ctx, [])
        folders: list[dict[str, Any]] = []
        report = None
        for account in accounts:
            capture = MailCapture(ctx, mine, account_id=account.id)
            folders.extend(sync_account(ctx, account, capture, progress))
            part = capture.finish()
            report = part if report is None else _merge(report, part)
        assert report is not None
        report.folders = folders
        ctx.session.flush()
    finally:
        if transaction is not None:
            transaction.rollback()
    report.dry_run = dry_run
    return report


def _merge(into: MailReport, part: MailReport) -> MailReport:
    for name in (
        "read",
        "interactions",
        "kept",
        "already",
        "bulk",
        "not_yours",
        "unknown",
        "people",
    ):
        setattr(into, name, getattr(into, name) + getattr(part, name))
    into.owed.extend(part.owed)
    into.skipped.extend(part.skipped)
    return into
