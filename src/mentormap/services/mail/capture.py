"""Messages become interactions: one `email` interaction per message between the user and
someone she knows, counted once, with the question of an unanswered inbound one as an owed reply.

A `MailCapture` takes raw messages one at a time (from a file or an IMAP folder) and writes them
a batch at a time in the caller's transaction. It keeps each message's headers in
`mail_messages` (never the body), so the same message seen again (in another folder, or on a
second import) is skipped, threads are known, and unknown correspondents can be suggested.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC
from typing import Any, cast

from sqlalchemy import Table, and_, exists, func, insert, or_, select, text, true, update
from sqlalchemy.orm import aliased

from mentormap.domain.mail import direction_of, subject_key, thread_root
from mentormap.domain.vocab import Direction, InteractionKind
from mentormap.errors import InvalidInput
from mentormap.interop.mail import MailParseError, MailRecord, parse_headers, question_in
from mentormap.models import (
    Interaction,
    InteractionParticipant,
    MailAddress,
    MailMessage,
    PersonEmail,
)
from mentormap.services.context import Ctx

BATCH = 1000
IMPORT_CACHE_KIB = 128 * 1024
SOURCE = "mail"
ME_KEY = "me"

Progress = Callable[[int, int], None]


@dataclass
class OwedFound:
    name: str
    question: str
    received_on: str
    due_on: str


@dataclass
class MailReport:
    """What an import or a sync did (or, with dry_run, would do)."""

    dry_run: bool = False
    read: int = 0
    interactions: int = 0  # new email interactions
    kept: int = 0  # new messages remembered (with someone known or not)
    already: int = 0  # seen before: another folder, or an earlier import
    bulk: int = 0  # mailing lists, newsletters, automatic mail, no-reply senders
    not_yours: int = 0  # neither from nor to one of her addresses
    unknown: int = 0  # only with people she does not know (see `mail suggestions`)
    people: int = 0  # people whose history grew
    owed: list[OwedFound] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "FILE message N: why"
    folders: list[dict[str, Any]] = field(default_factory=list)  # IMAP: per-folder counts

    def counts(self) -> dict[str, int]:
        return {
            "read": self.read,
            "interactions": self.interactions,
            "remembered": self.kept,
            "already_seen": self.already,
            "bulk": self.bulk,
            "not_to_or_from_you": self.not_yours,
            "unknown_correspondents_only": self.unknown,
            "people": self.people,
            "owed_replies": len(self.owed),
            "skipped": len(self.skipped),
        }


def my_addresses(ctx: Ctx) -> frozenset[str]:
    from mentormap.services.preferences import get_preference

    value = get_preference(ctx, ME_KEY) or ""
    return frozenset(a.strip() for a in value.split(",") if a.strip())


def remember_my_addresses(ctx: Ctx, addresses: list[str]) -> frozenset[str]:
    """Add `addresses` to her own (kept in `mentormap config`), and return them all."""
    from mentormap.services.preferences import set_preference

    have = my_addresses(ctx)
    if addresses:
        joined = ", ".join([*sorted(have), *addresses])
        set_preference(ctx, ME_KEY, joined)
    mine = my_addresses(ctx)
    if not mine:
        raise InvalidInput(
            "Name your own address first: --me you@example.org (it is remembered), "
            "or `mentormap config set me you@example.org`."
        )
    return mine


@dataclass
class _Pending:
    record: MailRecord
    direction: Direction
    counterparts: list[tuple[str, str | None]]  # (address, name), never her own
    people: list[int]


class MailCapture:
    """Feeds messages in, one at a time; `finish()` settles threads and owed replies."""

    def __init__(self, ctx: Ctx, me: frozenset[str], account_id: int | None = None) -> None:
        self.ctx = ctx
        self.me = me
        self.account_id = account_id
        self.report = MailReport()
        self.emails: dict[str, int] = {
            email: pid
            for email, pid in ctx.session.execute(
                select(PersonEmail.email, PersonEmail.person_id)
                .where(PersonEmail.owner_id == ctx.owner_id)
                .order_by(PersonEmail.id.desc())  # the first one added wins
            )
        }
        self.zone = ctx.settings.timezone
        self.today = ctx.today()
        # Every key seen before (a few tens of bytes each): a message met again costs no body
        # parse and no write.
        self.seen: set[str] = set(
            ctx.session.scalars(
                select(MailMessage.message_key).where(MailMessage.owner_id == ctx.owner_id)
            )
        )
        self.pending: list[_Pending] = []
        self.touched: set[int] = set()
        self.interaction_ids: list[int] = []
        self._roomy_cache(True)
        self.first_message_id = (
            ctx.session.scalar(
                select(func.max(MailMessage.id)).where(MailMessage.owner_id == ctx.owner_id)
            )
            or 0
        )

    def _roomy_cache(self, on: bool) -> None:
        """SQLite: a page cache large enough for the indexes an import of 100,000 messages
        writes into (random keys touch pages all over them); back to the default after."""
        if self.ctx.session.get_bind().dialect.name == "sqlite":
            size = -IMPORT_CACHE_KIB if on else -2000
            self.ctx.session.execute(text(f"PRAGMA cache_size = {size}"))

    # --- reading -----------------------------------------------------------------------------

    def add(self, where: str, data: bytes) -> bool:
        """Read one raw message; `where` names it in a skipped line. True when it was kept."""
        self.report.read += 1
        try:
            record = parse_headers(data)
        except MailParseError as exc:
            self.report.skipped.append(f"{where}: skipped, {exc}")
            return False
        # The body is read only for what can become an owed reply: a message to her.
        sender = record.sender.address if record.sender else ""
        if record.bulk is None and sender not in self.me and record.key not in self.seen:
            record = replace(record, question=question_in(data))
        return self.add_record(where, record)

    def add_record(self, where: str, record: MailRecord) -> bool:
        if record.bulk is not None:
            self.report.bulk += 1
            return False
        if record.key in self.seen:
            self.report.already += 1
            return False
        sender = record.sender.address if record.sender else None
        direction = direction_of(
            sender,
            [a.address for a in record.recipients],
            list(record.delivered_to),
            self.me,
        )
        if direction is None:
            self.report.not_yours += 1
            return False
        if record.sent_at.astimezone(self.zone).date() > self.today:
            self.report.skipped.append(f"{where}: skipped, it is dated in the future")
            return False
        if direction == Direction.OUTBOUND:
            others = [(a.address, a.name) for a in record.recipients if a.address not in self.me]
        else:
            others = [(record.sender.address, record.sender.name)] if record.sender else []
        if not others:
            self.report.not_yours += 1
            return False
        self.seen.add(record.key)
        people = list(dict.fromkeys(p for a, _ in others if (p := self.emails.get(a)) is not None))
        self.pending.append(_Pending(record, direction, others, people))
        if len(self.pending) >= BATCH:
            self.flush()
        return True

    # --- writing -----------------------------------------------------------------------------

    def flush(self) -> None:
        batch, self.pending = self.pending, []
        if not batch:
            return
        session, owner = self.ctx.session, self.ctx.owner_id
        keys = [p.record.key for p in batch]
        known = set(
            session.scalars(
                select(MailMessage.message_key).where(
                    MailMessage.owner_id == owner, MailMessage.message_key.in_(keys)
                )
            )
        )
        fresh = [p for p in batch if p.record.key not in known]
        self.report.already += len(batch) - len(fresh)
        if not fresh:
            return
        with_people = [p for p in fresh if p.people]
        self.report.unknown += len(fresh) - len(with_people)
        interaction_of: dict[int, int] = {}
        if with_people:
            ids = insert_with_ids(
                self.ctx, Interaction, [self._interaction_row(p) for p in with_people]
            )
            session.execute(
                insert(_table(InteractionParticipant)),
                [
                    {"owner_id": owner, "interaction_id": iid, "person_id": pid}
                    for iid, p in zip(ids, with_people, strict=True)
                    for pid in p.people
                ],
            )
            for iid, p in zip(ids, with_people, strict=True):
                interaction_of[id(p)] = iid
                self.touched.update(p.people)
            self.interaction_ids.extend(ids)
            self.report.interactions += len(ids)
        message_ids = insert_with_ids(
            self.ctx, MailMessage, [self._message_row(p, interaction_of.get(id(p))) for p in fresh]
        )
        session.execute(
            insert(_table(MailAddress)),
            [
                {"owner_id": owner, "message_id": mid, "address": address, "name": name}
                for mid, p in zip(message_ids, fresh, strict=True)
                for address, name in p.counterparts
            ],
        )
        self.report.kept += len(fresh)

    def _interaction_row(self, p: _Pending) -> dict[str, Any]:
        record = p.record
        instant = record.sent_at.astimezone(UTC).replace(tzinfo=None)
        return {
            "owner_id": self.ctx.owner_id,
            "occurred_at": instant,
            "occurred_on": record.sent_at.astimezone(self.zone).date(),
            "kind": InteractionKind.EMAIL.value,
            "direction": p.direction.value,
            "notes": record.subject or None,
            "location": None,
            "needs_reply": p.direction == Direction.INBOUND and record.question is not None,
            "private": False,
            "group_id": None,
            "external_uid": record.key,
            "source": SOURCE,
        }

    def _message_row(self, p: _Pending, interaction_id: int | None) -> dict[str, Any]:
        record = p.record
        return {
            "owner_id": self.ctx.owner_id,
            "message_key": record.key,
            "account_id": self.account_id,
            "interaction_id": interaction_id,
            "sent_at": record.sent_at.astimezone(UTC).replace(tzinfo=None),
            "sent_on": record.sent_at.astimezone(self.zone).date(),
            "direction": p.direction.value,
            "thread_root": thread_root(
                record.key, record.in_reply_to, record.references, record.outlook_thread
            ),
            "subject_key": subject_key(record.subject),
            "subject": record.subject or None,
            "question": record.question if p.direction == Direction.INBOUND else None,
        }

    def finish(self) -> MailReport:
        """Write what is left, clear the questions she answered in their threads, refresh the
        clocks of everyone touched, and list the owed replies this run found."""
        self.flush()
        settle_threads(self.ctx)
        if self.touched:
            from mentormap.services.conversations.interactions import refresh_last_contact

            refresh_last_contact(self.ctx, sorted(self.touched))
            close_thank_yous(self.ctx, sorted(self.touched))
        self.report.people = len(self.touched)
        self._roomy_cache(False)
        self.report.owed = owed_from(self.ctx, self.first_message_id)
        return self.report


def _table(model: Any) -> Table:
    """A model's table, for plain multi-row inserts (no ORM bookkeeping per row)."""
    return cast(Table, model.__table__)


def insert_with_ids(ctx: Ctx, model: Any, rows: list[dict[str, Any]]) -> list[int]:
    """Insert many rows and return their ids, in order.

    SQLite gets the ids given (the next after the highest, while this transaction holds the
    write lock): its RETURNING would send the rows one statement each, ten times slower.
    Other engines return them from one multi-row insert.
    """
    session = ctx.session
    if session.get_bind().dialect.name != "sqlite":
        return list(
            session.scalars(
                insert(model).returning(model.id, sort_by_parameter_order=True), rows
            ).all()
        )
    # Any write takes SQLite's write lock, so no one else can use these ids before we do.
    session.execute(update(model).where(model.id == -1).values(id=model.id))
    start = (session.scalar(select(func.max(model.id))) or 0) + 1
    ids = list(range(start, start + len(rows)))
    for row, new_id in zip(rows, ids, strict=True):
        row["id"] = new_id
    session.execute(insert(_table(model)), rows)
    return ids


def settle_threads(ctx: Ctx) -> int:
    """An inbound question is answered by a later message from her in its thread (the same
    first message, or the same subject sent to its sender): it no longer needs a reply.

    Only interactions still needing a reply are looked at (a partial index holds them), and
    each finds its thread through an index: no pass over the whole mail history.
    """
    asked = aliased(MailMessage)
    reply = aliased(MailMessage)
    asked_from = aliased(MailAddress)
    reply_to = aliased(MailAddress)
    later = (
        reply.owner_id == asked.owner_id,
        reply.direction == Direction.OUTBOUND.value,
        reply.sent_at > asked.sent_at,
    )
    in_thread = select(reply.id).where(reply.thread_root == asked.thread_root, *later).exists()
    same_sender = (
        select(reply_to.address)
        .join(asked_from, asked_from.address == reply_to.address)
        .where(reply_to.message_id == reply.id, asked_from.message_id == asked.id)
        .exists()
    )
    same_subject = (
        select(reply.id).where(reply.subject_key == asked.subject_key, *later, same_sender).exists()
    )
    answered = (
        select(asked.id)
        .where(
            asked.interaction_id == Interaction.id,
            asked.direction == Direction.INBOUND.value,
            or_(in_thread, and_(asked.subject_key != "", same_subject)),
        )
        .exists()
    )
    result = ctx.session.execute(
        update(Interaction)
        .where(
            Interaction.owner_id == ctx.owner_id,
            Interaction.needs_reply == true(),
            Interaction.source == SOURCE,
            answered,
        )
        .values(needs_reply=False),
        execution_options={"synchronize_session": False},
    )
    return int(getattr(result, "rowcount", 0) or 0)


def close_thank_yous(ctx: Ctx, person_ids: list[int]) -> None:
    """Her latest email to each person with an open thank-you closes it, as a logged one does."""
    from mentormap.models import FollowUp
    from mentormap.services.clock.followups import THANK_YOU, after_interaction

    waiting = set(
        ctx.session.scalars(
            select(FollowUp.person_id).where(
                FollowUp.owner_id == ctx.owner_id,
                FollowUp.rule == THANK_YOU,
                FollowUp.state == "open",
                FollowUp.person_id.in_(person_ids),
            )
        )
    )
    for pid in sorted(p for p in waiting if p is not None):
        latest = ctx.session.scalar(
            select(Interaction)
            .join(InteractionParticipant, InteractionParticipant.interaction_id == Interaction.id)
            .where(
                InteractionParticipant.person_id == pid,
                Interaction.kind == InteractionKind.EMAIL.value,
                Interaction.direction == Direction.OUTBOUND.value,
            )
            .order_by(Interaction.occurred_at.desc())
            .limit(1)
        )
        if latest is not None:
            after_interaction(ctx, latest)


def owed_from(ctx: Ctx, after_message_id: int) -> list[OwedFound]:
    """The owed replies among the messages remembered after `after_message_id`, as Today
    shows them (the same owed-replies rule, with no look-back limit)."""
    from mentormap.services.clock.owed_replies import owed_replies

    new: set[int | None] = set(
        ctx.session.scalars(
            select(MailMessage.interaction_id).where(
                MailMessage.owner_id == ctx.owner_id,
                MailMessage.id > after_message_id,
                MailMessage.question.is_not(None),
                MailMessage.interaction_id.is_not(None),
            )
        )
    )
    if not new:
        return []
    owed, _total = owed_replies(ctx, lookback_days=None)
    return [
        OwedFound(
            name=o.name,
            question=o.question or o.excerpt or "",
            received_on=o.received_on.isoformat(),
            due_on=o.due_on.isoformat(),
        )
        for o in owed
        if o.interaction_id in new
    ]


def has_mail(ctx: Ctx) -> bool:
    return bool(ctx.session.scalar(select(exists().where(MailMessage.owner_id == ctx.owner_id))))
