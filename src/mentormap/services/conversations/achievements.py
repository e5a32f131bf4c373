"""The achievements log (a brag document), and who each entry was shared with, and when."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import delete, exists, func, select

from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Achievement, AchievementShare, AchievementTag, Person, Tag
from mentormap.services.context import Ctx
from mentormap.services.owned import get_owned
from mentormap.services.people.tags import clean_tag, tag_by_name

# With no earlier share, a highlights list reaches back this far: older news is not news.
FIRST_SHARE_LOOKBACK_DAYS = 365


@dataclass
class ShareView:
    person: str
    shared_on: date
    person_id: int


@dataclass
class AchievementView:
    id: int
    occurred_on: date
    title: str
    impact: str | None
    tags: list[str] = field(default_factory=list)
    shared_with: list[ShareView] = field(default_factory=list)


def get_achievement(ctx: Ctx, achievement_id: int) -> Achievement:
    return get_owned(ctx, Achievement, achievement_id, f"No achievement #{achievement_id}.")


def _check_day(ctx: Ctx, on: date) -> None:
    if on > ctx.today():
        raise InvalidInput(f"{on.isoformat()} is in the future; log achievements once they happen.")


def _set_tags(ctx: Ctx, achievement: Achievement, tags: list[str]) -> None:
    ctx.session.execute(
        delete(AchievementTag).where(AchievementTag.achievement_id == achievement.id)
    )
    for name in dict.fromkeys(clean_tag(t) for t in tags):
        tag = tag_by_name(ctx, name)
        assert tag is not None
        ctx.session.add(
            AchievementTag(owner_id=ctx.owner_id, achievement_id=achievement.id, tag_id=tag.id)
        )


def add_achievement(
    ctx: Ctx,
    title: str,
    *,
    on: date | None = None,
    impact: str | None = None,
    tags: list[str] | None = None,
) -> Achievement:
    cleaned = title.strip()
    if not cleaned:
        raise InvalidInput("An achievement needs a title.")
    day = on or ctx.today()
    _check_day(ctx, day)
    achievement = Achievement(
        owner_id=ctx.owner_id,
        occurred_on=day,
        title=cleaned,
        impact=(impact or "").strip() or None,
    )
    ctx.session.add(achievement)
    ctx.session.flush()
    _set_tags(ctx, achievement, tags or [])
    ctx.session.flush()
    return achievement


def edit_achievement(
    ctx: Ctx,
    achievement: Achievement,
    *,
    title: str | None = None,
    on: date | None = None,
    impact: str | None = None,
    tags: list[str] | None = None,
) -> Achievement:
    """Change what is given; `impact=''` clears it, a list of tags replaces them (`[]` clears)."""
    if title is not None:
        if not title.strip():
            raise InvalidInput("An achievement needs a title.")
        achievement.title = title.strip()
    if on is not None:
        _check_day(ctx, on)
        achievement.occurred_on = on
    if impact is not None:
        achievement.impact = impact.strip() or None
    if tags is not None:
        _set_tags(ctx, achievement, tags)
    ctx.session.flush()
    return achievement


def remove_achievement(ctx: Ctx, achievement: Achievement) -> AchievementView:
    """Forget an achievement logged by mistake, with its tags and the record of whom you told;
    a highlights email that mentioned it stays in her timeline, as sent."""
    [view] = views_of(ctx, [achievement])
    ctx.session.execute(
        delete(AchievementTag).where(AchievementTag.achievement_id == achievement.id)
    )
    ctx.session.delete(achievement)
    ctx.session.flush()
    return view


def views_of(ctx: Ctx, achievements: list[Achievement]) -> list[AchievementView]:
    ids = [a.id for a in achievements]
    tags: dict[int, list[str]] = defaultdict(list)
    shares: dict[int, list[ShareView]] = defaultdict(list)
    for start in range(0, len(ids), 900):
        chunk = ids[start : start + 900]
        for achievement_id, name in ctx.session.execute(
            select(AchievementTag.achievement_id, Tag.name)
            .join(Tag, Tag.id == AchievementTag.tag_id)
            .where(AchievementTag.achievement_id.in_(chunk))
            .order_by(Tag.name)
        ):
            tags[achievement_id].append(name)
        for achievement_id, person, shared_on, person_id in ctx.session.execute(
            select(
                AchievementShare.achievement_id,
                Person.name,
                AchievementShare.shared_on,
                AchievementShare.person_id,
            )
            .join(Person, Person.id == AchievementShare.person_id)
            .where(AchievementShare.achievement_id.in_(chunk))
            .order_by(AchievementShare.shared_on, Person.name)
        ):
            shares[achievement_id].append(ShareView(person, shared_on, person_id))
    return [
        AchievementView(
            id=a.id,
            occurred_on=a.occurred_on,
            title=a.title,
            impact=a.impact,
            tags=tags[a.id],
            shared_with=shares[a.id],
        )
        for a in achievements
    ]


def list_achievements(
    ctx: Ctx, *, tag: str | None = None, since: date | None = None
) -> list[AchievementView]:
    """The log, newest first."""
    query = select(Achievement).where(Achievement.owner_id == ctx.owner_id)
    if since is not None:
        query = query.where(Achievement.occurred_on >= since)
    if tag:
        query = query.where(
            exists()
            .where(AchievementTag.achievement_id == Achievement.id)
            .where(AchievementTag.tag_id == Tag.id)
            .where(Tag.owner_id == ctx.owner_id, Tag.name == clean_tag(tag))
        )
    query = query.order_by(Achievement.occurred_on.desc(), Achievement.id.desc())
    return views_of(ctx, list(ctx.session.scalars(query)))


def last_shared_on(ctx: Ctx, person: Person) -> date | None:
    return ctx.session.scalar(
        select(func.max(AchievementShare.shared_on)).where(
            AchievementShare.owner_id == ctx.owner_id, AchievementShare.person_id == person.id
        )
    )


def last_spoke_on(ctx: Ctx, person: Person) -> date | None:
    """ "Since we last spoke": her last conversation or highlights email, as her standing counts
    the contacts that keep her clock (`services.clock.standing`, the one truth of it)."""
    from mentormap.services.clock.standing import standing_of

    return standing_of(ctx, person).last_contact_on


def news_since(ctx: Ctx, person: Person) -> date:
    """Where her news starts: the day you last spoke, else the last share, else a year back."""
    last = last_spoke_on(ctx, person) or last_shared_on(ctx, person)
    return last if last is not None else ctx.today() - timedelta(days=FIRST_SHARE_LOOKBACK_DAYS)


def unshared_with(ctx: Ctx, person: Person, since: date | None = None) -> list[Achievement]:
    """Achievements she has not heard about, from `since` (default: the last thing you shared
    with her, else a year back). Prep offers these until each is shared, by email or in person
    (`share_in_person`); the highlights email starts where you last spoke (`news_since`).

    Oldest first, the order a story is told in.
    """
    if since is None:
        last = last_shared_on(ctx, person)
        since = (
            last if last is not None else ctx.today() - timedelta(days=FIRST_SHARE_LOOKBACK_DAYS)
        )
    already = (
        exists()
        .where(AchievementShare.achievement_id == Achievement.id)
        .where(AchievementShare.person_id == person.id)
    )
    query = (
        select(Achievement)
        .where(Achievement.owner_id == ctx.owner_id, Achievement.occurred_on >= since, ~already)
        .order_by(Achievement.occurred_on, Achievement.id)
    )
    return list(ctx.session.scalars(query))


def share_in_person(
    ctx: Ctx, achievement: Achievement, person: Person, on: date | None = None
) -> date:
    """You told her about it yourself: prep and highlights stop offering it to her."""
    day = on or ctx.today()
    if day > ctx.today():
        raise InvalidInput(f"{day.isoformat()} is in the future; mark it once you have told her.")
    if day < achievement.occurred_on:
        raise InvalidInput(
            f"Achievement #{achievement.id} happened on {achievement.occurred_on.isoformat()}, "
            "after that day."
        )
    already = ctx.session.scalar(
        select(AchievementShare.shared_on).where(
            AchievementShare.achievement_id == achievement.id,
            AchievementShare.person_id == person.id,
        )
    )
    if already is not None:
        raise InvalidInput(
            f"Achievement #{achievement.id} is already shared with {person.name} "
            f"(on {already.isoformat()})."
        )
    record_shares(ctx, [achievement], person, day)
    return day


def unshare(ctx: Ctx, achievement: Achievement, person: Person) -> date:
    """Take back a share marked by mistake (in person, or by a highlights email): prep and the
    next highlights offer the achievement to her again. The email itself stays logged."""
    shares = ctx.session.scalars(
        select(AchievementShare).where(
            AchievementShare.owner_id == ctx.owner_id,
            AchievementShare.achievement_id == achievement.id,
            AchievementShare.person_id == person.id,
        )
    ).all()
    if not shares:
        raise NotFound(f"Achievement #{achievement.id} is not shared with {person.name}.")
    for share in shares:
        ctx.session.delete(share)
    ctx.session.flush()
    return min(share.shared_on for share in shares)


def record_shares(
    ctx: Ctx,
    achievements: list[Achievement],
    person: Person,
    on: date,
    interaction_id: int | None = None,
) -> int:
    for achievement in achievements:
        ctx.session.add(
            AchievementShare(
                owner_id=ctx.owner_id,
                achievement_id=achievement.id,
                person_id=person.id,
                shared_on=on,
                interaction_id=interaction_id,
            )
        )
    ctx.session.flush()
    return len(achievements)
