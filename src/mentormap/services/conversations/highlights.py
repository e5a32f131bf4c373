"""A short highlights email for a busy mentor or sponsor: what is new since she last heard."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from mentormap.domain.vocab import Direction, FavourDirection, InteractionKind
from mentormap.errors import InvalidInput
from mentormap.models import Favour, Person
from mentormap.services.context import Ctx
from mentormap.services.conversations import achievements as achievement_service
from mentormap.services.conversations.achievements import AchievementView
from mentormap.services.preferences import get_preference

MAX_ITEMS = 5
THANKS_LOOKBACK_DAYS = 180


@dataclass
class HighlightsDraft:
    person: str
    since: date | None
    subject: str
    items: list[AchievementView] = field(default_factory=list)
    thanks: str | None = None
    text: str = ""
    markdown: str = ""
    sent_interaction_id: int | None = None


def _my_name(ctx: Ctx) -> str | None:
    return get_preference(ctx, "name")


def _recent_favour(ctx: Ctx, person: Person) -> Favour | None:
    """Her most recent favour to you, worth a line of thanks in the email."""
    return ctx.session.scalar(
        select(Favour)
        .where(
            Favour.owner_id == ctx.owner_id,
            Favour.person_id == person.id,
            Favour.direction == FavourDirection.RECEIVED.value,
            Favour.occurred_on >= ctx.today() - timedelta(days=THANKS_LOOKBACK_DAYS),
        )
        .order_by(Favour.occurred_on.desc(), Favour.id.desc())
        .limit(1)
    )


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text


def _line(item: AchievementView, markdown: bool) -> str:
    title = f"**{item.title}**" if markdown else item.title
    when = item.occurred_on.strftime("%B %Y")
    impact = f" — {item.impact}" if item.impact else ""
    return f"- {title} ({when}){impact}"


def _compose(first_name: str, draft: HighlightsDraft, signature: str | None, md: bool) -> str:
    lines = [f"Hi {first_name},", ""]
    lines.append(
        "I know your time is precious, so here are a few highlights since I last "
        "wrote. No reply needed; I simply wanted you to know how things are going."
    )
    lines.append("")
    lines.extend(_line(item, md) for item in draft.items)
    lines.append("")
    if draft.thanks:
        lines.append(f"Thank you again: {draft.thanks}. It made a real difference.")
        lines.append("")
    lines.append("If any of this sparks a thought, I would love to hear it whenever suits you.")
    lines.append("")
    lines.append("With thanks,")
    if signature:
        lines.append(signature)
    body = "\n".join(lines)
    if md:
        return f"**Subject:** {draft.subject}\n\n{body}\n"
    return f"Subject: {draft.subject}\n\n{body}\n"


def draft_highlights(
    ctx: Ctx, person: Person, since: date | None = None, limit: int = MAX_ITEMS
) -> tuple[HighlightsDraft, list[int]]:
    """The email, and the ids of the achievements it covers (the newest `limit`)."""
    if limit <= 0:
        raise InvalidInput("The email needs room for at least one highlight.")
    since = since or achievement_service.news_since(ctx, person)
    pending = achievement_service.unshared_with(ctx, person, since)
    if not pending:
        raise InvalidInput(
            f"Nothing new to tell {person.name} since {since.isoformat()}: every achievement "
            "since then is already shared with her. Add one with `mentormap achievement add`."
        )
    chosen = pending[-limit:]
    views = achievement_service.views_of(ctx, chosen)
    favour = _recent_favour(ctx, person)
    first_name = person.name.split()[0]
    draft = HighlightsDraft(
        person=person.name,
        since=since,
        subject=f"A few highlights since we last spoke, {first_name}",
        items=views,
        thanks="you " + _lower_first(favour.description.rstrip(".")) if favour else None,
    )
    signature = _my_name(ctx)
    draft.text = _compose(first_name, draft, signature, md=False)
    draft.markdown = _compose(first_name, draft, signature, md=True)
    return draft, [a.id for a in chosen]


def mark_sent(ctx: Ctx, person: Person, draft: HighlightsDraft, ids: list[int]) -> int:
    """Log the email as an outbound interaction and record each achievement as shared."""
    from mentormap.services.conversations.interactions import log_interaction

    interaction = log_interaction(
        ctx,
        [person],
        kind=InteractionKind.HIGHLIGHTS_EMAIL.value,
        direction=Direction.OUTBOUND.value,
        notes=draft.markdown,
    )
    chosen = [achievement_service.get_achievement(ctx, i) for i in ids]
    achievement_service.record_shares(ctx, chosen, person, ctx.today(), interaction.id)
    draft.sent_interaction_id = interaction.id
    return interaction.id
