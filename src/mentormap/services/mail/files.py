"""`mentormap mail import PATH`: an mbox file (Gmail Takeout, Thunderbird) or a Maildir folder.

An mbox is read with the standard `mailbox` module, which first scans the file for where each
message starts (keeping only those offsets) and then reads one message at a time: a 1 GB file
costs the memory of its largest message, not of the file.
"""

from __future__ import annotations

import mailbox
from collections.abc import Iterator
from pathlib import Path

from mentormap.errors import InvalidInput
from mentormap.services.context import Ctx
from mentormap.services.mail.capture import (
    MailCapture,
    MailReport,
    Progress,
    remember_my_addresses,
)


def _is_maildir(path: Path) -> bool:
    return path.is_dir() and ((path / "cur").is_dir() or (path / "new").is_dir())


def _maildirs(path: Path) -> Iterator[tuple[str, mailbox.Maildir]]:
    """The folder and its Maildir++ subfolders (.Sent, .Archive…)."""
    top = mailbox.Maildir(path, factory=None, create=False)
    yield str(path), top
    for name in sorted(top.list_folders()):
        yield f"{path}/.{name}", top.get_folder(name)


def mail_sources(paths: list[Path]) -> list[tuple[str, mailbox.Mailbox]]:
    """Each path as mailboxes to read; a path that is neither an mbox nor a Maildir is refused."""
    found: list[tuple[str, mailbox.Mailbox]] = []
    for path in paths:
        if not path.exists():
            raise InvalidInput(f"No file or folder {str(path)!r}.")
        if _is_maildir(path):
            found.extend(_maildirs(path))
        elif path.is_dir():
            raise InvalidInput(
                f"{str(path)!r} is a folder but not a Maildir (no cur/ or new/ inside); "
                "name an mbox file or a Maildir folder."
            )
        else:
            with path.open("rb") as handle:
                head = handle.read(5)
            if head and head != b"From ":
                raise InvalidInput(
                    f"{str(path)!r} is not an mbox file (it does not start with 'From ')."
                )
            found.append((str(path), mailbox.mbox(path, factory=None, create=False)))
    return found


def import_mail(
    ctx: Ctx,
    paths: list[Path],
    *,
    me: list[str] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> MailReport:
    """Read every message of `paths` into the open transaction (rolled back on a dry run)."""
    sources = mail_sources(paths)
    transaction = ctx.session.begin_nested() if dry_run else None
    mine = remember_my_addresses(ctx, me or [])
    capture = MailCapture(ctx, mine)
    try:
        sizes = [len(box) for _name, box in sources] if progress else []
        total, done = sum(sizes), 0
        for name, box in sources:
            for number, key in enumerate(box.iterkeys(), start=1):
                try:
                    data = box.get_bytes(key)
                except (OSError, mailbox.Error) as exc:
                    capture.report.read += 1
                    capture.report.skipped.append(f"{name} message {number}: skipped, {exc}")
                    continue
                capture.add(f"{name} message {number}", data)
                done += 1
                if progress and done % 200 == 0:
                    progress(done, total)
            box.close()
        report = capture.finish()
        if progress:
            progress(total, total)
    finally:
        if transaction is not None:
            transaction.rollback()
    report.dry_run = dry_run
    return report
