"""The owner's settings are read once per unit of work, and never stale inside it."""

from __future__ import annotations

from sqlalchemy import event, text

from mentormap.db import Database
from mentormap.models import Owner, Preference
from mentormap.services.context import Ctx
from mentormap.services.preferences import get_preference, set_preference, unset_preference
from mentormap.services.unit import open_ctx


def test_settings_are_read_once_and_every_write_is_seen(db: Database, ctx: Ctx) -> None:
    seen: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *a: seen.append(a[2]))

    def reads() -> int:
        return sum("FROM preferences" in statement for statement in seen)

    assert get_preference(ctx, "employer") is None
    assert get_preference(ctx, "home_city") is None
    assert get_preference(ctx, "reply_window_days") is None
    assert reads() == 1
    set_preference(ctx, "employer", "Harbour Systems")
    assert get_preference(ctx, "employer") == "Harbour Systems"
    # Written past the service: through the ORM (as a group's first speaker is) and in SQL.
    ctx.session.add(Preference(owner_id=ctx.owner_id, key="name", value="Dana"))
    assert get_preference(ctx, "name") == "Dana"
    ctx.session.execute(text("UPDATE preferences SET value = 'Kestrel' WHERE key = 'employer'"))
    assert get_preference(ctx, "employer") == "Kestrel"
    assert unset_preference(ctx, "employer")
    assert get_preference(ctx, "employer") is None
    # Another owner's unit of work reads her own settings, not a copy of this one's.
    someone = Owner(name="someone else")
    ctx.session.add(someone)
    ctx.session.flush()
    ctx.session.add(Preference(owner_id=someone.id, key="employer", value="Elsewhere"))
    other = Ctx(session=ctx.session, settings=ctx.settings, owner_id=someone.id)
    assert get_preference(other, "employer") == "Elsewhere"
    assert get_preference(ctx, "name") == "Dana"


def test_a_new_unit_of_work_reads_them_again(db: Database) -> None:
    with open_ctx(db) as ctx:
        assert get_preference(ctx, "employer") is None
    with db.session() as session:
        session.add(Preference(owner_id=1, key="employer", value="Saltmarsh"))
    with open_ctx(db) as ctx:
        assert get_preference(ctx, "employer") == "Saltmarsh"
