"""Rules about email that need no I/O: addresses, threads, bulk senders, which way a message went.

A thread is known two ways. `thread_root` follows the `References`/`In-Reply-To` chain back to
the first message; `subject_key` is the subject without its Re:/Fwd: prefixes (in the languages
mail clients write them), for clients that drop the references.
"""

from __future__ import annotations

import re

from mentormap.domain.vocab import Direction

# "Re:", "RE :", "Fwd:", "FW:", "AW:" (German), "SV:" (Nordic), "VS:" (Finnish), "WG:", "TR:",
# "Réf:", "回复:", and the "[list] " tags some lists put before them.
_PREFIX = re.compile(
    r"^\s*(?:\[[^\]]{0,40}\]\s*)?(?:re|fwd?|aw|sv|vs|wg|tr|rif|ref|réf|antw|odp|回复|转发)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*",
    re.IGNORECASE,
)
_SPACES = re.compile(r"\s+")
KEY_LENGTH = 255

# Local parts of senders that never read a reply.
_NO_REPLY = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]daemon|postmaster|bounces?|"
    r"notifications?|noreply[-_.+].*|no[-_.]reply[-_.+].*|.*[-_.+]noreply)$",
    re.IGNORECASE,
)


def normalize_address(address: str) -> str:
    """Lower case without spaces or angle brackets; '' when it is not an address at all."""
    cleaned = address.strip().strip("<>").strip().lower()
    if cleaned.count("@") != 1 or " " in cleaned:
        return ""
    local, domain = cleaned.split("@")
    return cleaned if local and "." in domain and len(cleaned) <= 320 else ""


def is_no_reply(address: str) -> bool:
    """A sender no one answers: noreply@, do-not-reply@, mailer-daemon@, notifications@…"""
    local = address.split("@", 1)[0]
    return bool(_NO_REPLY.match(local))


def subject_key(subject: str | None) -> str:
    """The subject as a thread sees it: no Re:/Fwd:/AW:/SV: prefixes, spaces folded, lower case."""
    text = subject or ""
    while True:
        stripped = _PREFIX.sub("", text, count=1)
        if stripped == text:
            break
        text = stripped
    return _SPACES.sub(" ", text).strip().lower()[:KEY_LENGTH]


def thread_root(
    message_key: str,
    in_reply_to: str | None,
    references: tuple[str, ...],
    outlook_thread: str | None = None,
) -> str:
    """The first message of the thread: the oldest reference, else the one replied to, else
    Outlook's thread, else the message itself."""
    for candidate in (references[0] if references else None, in_reply_to, outlook_thread):
        if candidate:
            return candidate[:KEY_LENGTH]
    return message_key[:KEY_LENGTH]


def direction_of(
    sender: str | None, recipients: list[str], delivered_to: list[str], me: frozenset[str]
) -> Direction | None:
    """Outbound when she sent it, inbound when it came to her, None when neither."""
    if sender is not None and sender in me:
        return Direction.OUTBOUND
    if any(a in me for a in recipients) or any(a in me for a in delivered_to):
        return Direction.INBOUND
    return None
