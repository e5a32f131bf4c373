"""The agenda is a fixed handful of queries, however large the network (no per-person loop)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import event, inspect

from mentormap.db import HEAD_REVISION, alembic_config
from mentormap.services.clock.favours import add_favour
from mentormap.services.clock.today import compute_today
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.people.people import add_person
from mentormap.services.people.roles import give_role
from tests.conftest import TODAY


def grow(ctx: Ctx, count: int, start: int) -> None:
    for n in range(start, start + count):
        someone = add_person(ctx, f"Person {n}", company="Elsewhere")
        give_role(ctx, someone, ["friend", "sponsor", "mentee", "contact"][n % 4], since=TODAY)
        log_interaction(ctx, [someone], on=TODAY - timedelta(days=40 + n))
        log_interaction(
            ctx, [someone], direction="inbound", needs_reply=True, on=TODAY - timedelta(days=n % 9)
        )
        add_favour(ctx, someone, "An introduction", on=TODAY - timedelta(days=n % 20))


def statements(ctx: Ctx, everything: bool) -> int:
    seen: list[str] = []

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    engine = ctx.session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        compute_today(ctx, everything=everything)
    finally:
        event.remove(engine, "before_cursor_execute", count)
    return len(seen)


def test_query_count_does_not_grow_with_the_network(ctx: Ctx) -> None:
    grow(ctx, 5, 0)
    small = (statements(ctx, False), statements(ctx, True))
    grow(ctx, 40, 5)
    large = (statements(ctx, False), statements(ctx, True))
    assert small == large
    # 15 for the keep-in-touch screen, one each for the week's birthdays, recent news and
    # opportunity deadlines, and two for your own trip today (who to see there).
    assert large[0] <= 20


def test_head_revision_and_owed_index(ctx: Ctx) -> None:
    from alembic.script import ScriptDirectory

    scripts = ScriptDirectory.from_config(alembic_config(ctx.settings.database_url))
    assert scripts.get_current_head() == HEAD_REVISION
    indexes = {ix["name"] for ix in inspect(ctx.session.connection()).get_indexes("interactions")}
    assert "ix_interactions_owed" in indexes
