"""The user's own career goals, and the challenges she is facing right now."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from mentormap.errors import InvalidInput, NotFound
from mentormap.models import Goal
from mentormap.services.context import Ctx

KINDS = ("goal", "challenge")


@dataclass
class GoalView:
    id: int
    kind: str
    title: str
    top: bool
    state: str
    created_on: date
    done_on: date | None
    note: str | None


def _view(goal: Goal) -> GoalView:
    return GoalView(
        id=goal.id,
        kind=goal.kind,
        title=goal.title,
        top=goal.top,
        state=goal.state,
        created_on=goal.created_on,
        done_on=goal.done_on,
        note=goal.note,
    )


def add_goal(
    ctx: Ctx, title: str, *, kind: str = "goal", top: bool = False, note: str | None = None
) -> GoalView:
    """Add a goal or a challenge; `top` marks a challenge a role model should hear about."""
    cleaned = title.strip()
    if not cleaned:
        raise InvalidInput("A goal needs a title.")
    if kind not in KINDS:
        raise InvalidInput(f"Unknown kind {kind!r}; choose goal or challenge.")
    goal = Goal(
        owner_id=ctx.owner_id,
        kind=kind,
        title=cleaned,
        top=top,
        created_on=ctx.today(),
        note=note,
    )
    ctx.session.add(goal)
    ctx.session.flush()
    return _view(goal)


def list_goals(ctx: Ctx, include_closed: bool = False) -> list[GoalView]:
    """Top challenges first, then other challenges, then goals; oldest first within each."""
    query = select(Goal).where(Goal.owner_id == ctx.owner_id)
    if not include_closed:
        query = query.where(Goal.state == "open")
    query = query.order_by(Goal.state != "open", Goal.kind != "challenge", ~Goal.top, Goal.id)
    return [_view(g) for g in ctx.session.scalars(query)]


def top_challenges(ctx: Ctx, limit: int = 2) -> list[GoalView]:
    """The one or two challenges to take to a role model: marked top first, then any open one."""
    query = (
        select(Goal)
        .where(Goal.owner_id == ctx.owner_id, Goal.state == "open", Goal.kind == "challenge")
        .order_by(~Goal.top, Goal.id)
        .limit(limit)
    )
    return [_view(g) for g in ctx.session.scalars(query)]


def open_goals(ctx: Ctx) -> list[GoalView]:
    query = (
        select(Goal)
        .where(Goal.owner_id == ctx.owner_id, Goal.state == "open", Goal.kind == "goal")
        .order_by(Goal.id)
    )
    return [_view(g) for g in ctx.session.scalars(query)]


def _goal(ctx: Ctx, goal_id: int) -> Goal:
    goal = ctx.session.scalar(select(Goal).where(Goal.id == goal_id, Goal.owner_id == ctx.owner_id))
    if goal is None:
        raise NotFound(f"No goal #{goal_id}.")
    return goal


def get_goal(ctx: Ctx, goal_id: int) -> GoalView:
    return _view(_goal(ctx, goal_id))


def edit_goal(
    ctx: Ctx,
    goal_id: int,
    *,
    title: str | None = None,
    kind: str | None = None,
    top: bool | None = None,
    note: str | None = None,
) -> GoalView:
    """Reword a goal or challenge, turn one into the other, mark it top; '' clears the note."""
    goal = _goal(ctx, goal_id)
    if title is not None:
        cleaned = title.strip()
        if not cleaned:
            raise InvalidInput("A goal needs a title.")
        goal.title = cleaned
    if kind is not None:
        if kind not in KINDS:
            raise InvalidInput(f"Unknown kind {kind!r}; choose goal or challenge.")
        goal.kind = kind
    if top is not None:
        if top and goal.state != "open":
            raise InvalidInput(f"Goal #{goal_id} is {goal.state}; only open ones can be top.")
        goal.top = top
    if note is not None:
        goal.note = note.strip() or None
    ctx.session.flush()
    return _view(goal)


def finish_goal(ctx: Ctx, goal_id: int, state: str = "done") -> GoalView:
    goal = _goal(ctx, goal_id)
    if state not in ("done", "dropped"):
        raise InvalidInput(f"A goal ends done or dropped, not {state!r}.")
    if goal.state != "open":
        raise InvalidInput(f"Goal #{goal_id} is already {goal.state}.")
    goal.state = state
    goal.done_on = ctx.today()
    goal.top = False
    ctx.session.flush()
    return _view(goal)


def remove_goal(ctx: Ctx, goal_id: int) -> GoalView:
    """Forget a goal or challenge added by mistake (one reached or dropped is better closed)."""
    goal = _goal(ctx, goal_id)
    view = _view(goal)
    ctx.session.delete(goal)
    ctx.session.flush()
    return view


def set_top(ctx: Ctx, goal_id: int, top: bool) -> GoalView:
    goal = _goal(ctx, goal_id)
    goal.top = top
    ctx.session.flush()
    return _view(goal)
