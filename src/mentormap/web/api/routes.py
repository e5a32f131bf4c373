"""`/api/v1`: people, roles, interactions, today, follow-ups, favours, achievements, prep,
health, search and who — each a thin call into the same service the CLI and the pages use.

Authentication is the bearer token `web.auth` checked before any of this runs; every handler
opens its unit of work for that token's owner.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Response

from mentormap.domain.health import HealthReport
from mentormap.errors import InvalidInput
from mentormap.services.clock.favours import FavourView
from mentormap.services.clock.followups import FollowUpView
from mentormap.services.clock.today import Today
from mentormap.services.context import Ctx
from mentormap.services.conversations.achievements import AchievementView
from mentormap.services.conversations.prep import Brief
from mentormap.services.views import (
    InteractionView,
    PersonDetail,
    PersonSummary,
    RoleView,
    jsonable,
)
from mentormap.web.api import models as m
from mentormap.web.render import read_ctx
from mentormap.web.response_cache import keep_answer

ERRORS: dict[int | str, dict[str, Any]] = {
    code: {"model": m.ErrorOut, "description": text}
    for code, text in [
        (400, "Refused: the message says why"),
        (401, "No valid token"),
        (404, "Not found in your network"),
        (422, "A value is missing or malformed"),
    ]
}

router = APIRouter(prefix="/api/v1", responses=ERRORS)

PersonOut = m.model_of(PersonSummary)
PersonDetailOut = m.model_of(PersonDetail)
InteractionOut = m.model_of(InteractionView)
RoleOut = m.model_of(RoleView)
TodayOut = m.model_of(Today)
FollowUpOut = m.model_of(FollowUpView)
FavourOut = m.model_of(FavourView)
AchievementOut = m.model_of(AchievementView)
BriefOut = m.model_of(Brief)
HealthOut = m.model_of(HealthReport)

CTX = Depends(read_ctx)
KEPT = [Depends(keep_answer)]  # a read answered from her data and the day alone
Limit = Query(100, ge=1, le=1000)
MAX_ID = 2**63 - 1  # the largest row id either engine stores; beyond it nothing can match
Id = Annotated[int, Path(ge=1, le=MAX_ID)]


def _person(ctx: Ctx, person_id: int) -> Any:
    from mentormap.services.people.resolve import find_person

    return find_person(ctx, f"#{person_id}")


def _detail(ctx: Ctx, person: Any) -> Any:
    from mentormap.services.people.people import person_detail

    return jsonable(person_detail(ctx, person, interaction_limit=20))


# --- people ----------------------------------------------------------------------------------


@router.get("/people", response_model=m.list_of(PersonOut), dependencies=KEPT, tags=["people"])
def people_list(
    ctx: Ctx = CTX,
    q: str | None = Query(None, max_length=200, description="Part of a name, company or email"),
    role: str | None = Query(None, max_length=50),
    tag: str | None = Query(None, max_length=100),
    archived: bool = False,
    limit: int = Limit,
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    """Your people, by name; `q` searches names, companies and emails."""
    from mentormap.services.people.people import PeopleFilter, list_people

    wanted = PeopleFilter(
        role=role, tag=tag, search=q or None, include_archived=archived, limit=limit, offset=offset
    )
    return jsonable(list_people(ctx, wanted))


@router.post("/people", response_model=PersonDetailOut, status_code=201, tags=["people"])
def people_create(body: m.PersonCreate, ctx: Ctx = CTX) -> Any:
    """Add a person, with her roles."""
    from mentormap.services.people.people import add_person
    from mentormap.services.people.roles import give_role

    fields = body.model_dump(
        exclude={"name", "roles", "emails", "phones", "links"}, exclude_none=True
    )
    person = add_person(
        ctx, body.name, emails=body.emails, phones=body.phones, links=body.links, **fields
    )
    for key in body.roles:
        give_role(ctx, person, key)
    return _detail(ctx, person)


@router.get(
    "/people/{person_id}", response_model=PersonDetailOut, dependencies=KEPT, tags=["people"]
)
def people_get(person_id: Id, ctx: Ctx = CTX) -> Any:
    """One person in full: details, roles, groups, recent interactions and her standing."""
    return _detail(ctx, _person(ctx, person_id))


@router.patch("/people/{person_id}", response_model=PersonDetailOut, tags=["people"])
def people_update(person_id: Id, body: m.PersonUpdate, ctx: Ctx = CTX) -> Any:
    """Change the fields given; emails, phones and links given are added."""
    from mentormap.services.people.people import edit_person

    person = _person(ctx, person_id)
    fields = body.model_dump(exclude={"emails", "phones", "links"}, exclude_unset=True)
    if fields.get("name", "") is None:
        raise InvalidInput("A person needs a name.")
    edit_person(ctx, person, emails=body.emails, phones=body.phones, links=body.links, **fields)
    return _detail(ctx, person)


@router.post("/people/{person_id}/archive", response_model=PersonDetailOut, tags=["people"])
def people_archive(person_id: Id, body: m.ArchiveIn, ctx: Ctx = CTX) -> Any:
    """Archive her (out of every list, kept with her history), or bring her back."""
    from mentormap.services.people.people import set_archived

    person = _person(ctx, person_id)
    set_archived(ctx, person, body.archived)
    return _detail(ctx, person)


@router.delete("/people/{person_id}", status_code=204, tags=["people"])
def people_delete(person_id: Id, ctx: Ctx = CTX) -> Response:
    """Delete her and everything logged only about her, for good."""
    from mentormap.services.people.people import delete_person

    delete_person(ctx, _person(ctx, person_id))
    return Response(status_code=204)


# --- roles -----------------------------------------------------------------------------------


@router.get("/roles", response_model=m.list_of(m.RoleInfoOut), tags=["roles"])
def roles_catalogue() -> Any:
    """The role catalogue: who each role is, its cadence and what to bring."""
    from mentormap.domain.roles import CATALOGUE

    return [jsonable(info) for info in sorted(CATALOGUE.values(), key=lambda i: i.rank)]


@router.get(
    "/people/{person_id}/roles",
    response_model=m.list_of(RoleOut),
    dependencies=KEPT,
    tags=["roles"],
)
def person_roles(person_id: Id, ctx: Ctx = CTX) -> Any:
    """Her roles, current and ended."""
    return _detail(ctx, _person(ctx, person_id))["role_details"]


@router.post("/people/{person_id}/roles", response_model=m.list_of(RoleOut), tags=["roles"])
def person_give_role(person_id: Id, body: m.RoleIn, ctx: Ctx = CTX) -> Any:
    """Give her a role, or change the cadence and note of one she holds."""
    from mentormap.services.people.roles import give_role

    person = _person(ctx, person_id)
    give_role(
        ctx, person, body.key, since=body.since, cadence_days=body.cadence_days, note=body.note
    )
    return _detail(ctx, person)["role_details"]


@router.delete("/people/{person_id}/roles/{key}", response_model=m.list_of(RoleOut), tags=["roles"])
def person_end_role(person_id: Id, key: str, ctx: Ctx = CTX) -> Any:
    """End one of her roles (kept in her history)."""
    from mentormap.services.people.roles import take_role

    person = _person(ctx, person_id)
    take_role(ctx, person, key)
    return _detail(ctx, person)["role_details"]


# --- interactions ----------------------------------------------------------------------------


def _interaction(ctx: Ctx, interaction: Any) -> Any:
    from mentormap.services.conversations.interactions import views_of

    return jsonable(views_of(ctx, [interaction])[0])


@router.get(
    "/people/{person_id}/interactions",
    response_model=m.list_of(InteractionOut),
    dependencies=KEPT,
    tags=["interactions"],
)
def interactions_list(person_id: Id, ctx: Ctx = CTX, limit: int = Limit) -> Any:
    """Everything logged with her, newest first."""
    from mentormap.services.conversations.interactions import timeline

    return jsonable(timeline(ctx, _person(ctx, person_id), limit=limit))


@router.post("/interactions", response_model=InteractionOut, status_code=201, tags=["interactions"])
def interactions_log(body: m.InteractionCreate, ctx: Ctx = CTX) -> Any:
    """Log an interaction that happened (today unless `on` says otherwise)."""
    from mentormap.services.conversations.interactions import log_interaction

    people = [_person(ctx, pid) for pid in dict.fromkeys(body.people)]
    made = log_interaction(
        ctx,
        people,
        kind=body.kind,
        on=body.on,
        direction=body.direction,
        notes=body.notes,
        location=body.location,
        needs_reply=body.needs_reply,
    )
    return _interaction(ctx, made)


@router.get(
    "/interactions/{interaction_id}",
    response_model=InteractionOut,
    dependencies=KEPT,
    tags=["interactions"],
)
def interactions_get(interaction_id: Id, ctx: Ctx = CTX) -> Any:
    from mentormap.services.conversations.interactions import get_interaction

    return _interaction(ctx, get_interaction(ctx, interaction_id))


@router.patch(
    "/interactions/{interaction_id}", response_model=InteractionOut, tags=["interactions"]
)
def interactions_edit(interaction_id: Id, body: m.InteractionUpdate, ctx: Ctx = CTX) -> Any:
    """Change what is given: when, kind, direction, notes, place, people."""
    from mentormap.services.conversations.interactions import edit_interaction, get_interaction

    found = get_interaction(ctx, interaction_id)
    changes = body.model_dump(exclude={"people"}, exclude_unset=True)
    changes = {k: v for k, v in changes.items() if v is not None or k in ("notes", "location")}
    people = None if body.people is None else [_person(ctx, p) for p in body.people]
    edit_interaction(ctx, found, people, **changes)
    return _interaction(ctx, found)


# --- the agenda and the open loops -------------------------------------------------------------


@router.get("/today", response_model=TodayOut, dependencies=KEPT, tags=["today"])
def today(ctx: Ctx = CTX, everything: bool = Query(False, alias="all")) -> Any:
    """Today's agenda: replies owed, follow-ups, who is due by warmth, visitors."""
    from mentormap.services.clock.today import compute_today

    return jsonable(compute_today(ctx, everything=everything))


@router.get("/followups", response_model=m.list_of(FollowUpOut), dependencies=KEPT, tags=["loops"])
def followups(
    ctx: Ctx = CTX,
    state: list[str] = Query(default_factory=lambda: ["open"], max_length=4),
    limit: int = Limit,
    offset: int = Query(0, ge=0, le=1_000_000),
) -> Any:
    """Follow-ups in the given states (default: open), the earliest due first; `limit` and
    `offset` page through them."""
    from mentormap.services.clock.followups import list_follow_ups

    states = [s[:20] for s in state] or None
    return jsonable(list_follow_ups(ctx, states=states, limit=limit, offset=offset))


@router.get("/favours", response_model=m.list_of(FavourOut), dependencies=KEPT, tags=["loops"])
def favours(ctx: Ctx = CTX, open_only: bool = Query(False, alias="open")) -> Any:
    """Favours given and received, newest first; `open` keeps the loops still open."""
    from mentormap.services.clock.favours import list_favours

    return jsonable(list_favours(ctx, open_only=open_only))


@router.get(
    "/achievements", response_model=m.list_of(AchievementOut), dependencies=KEPT, tags=["loops"]
)
def achievements(ctx: Ctx = CTX, tag: str | None = Query(None, max_length=100)) -> Any:
    """Your achievements log, newest first, with whom you shared each."""
    from mentormap.services.conversations.achievements import list_achievements

    return jsonable(list_achievements(ctx, tag=tag))


@router.get("/people/{person_id}/prep", response_model=BriefOut, tags=["prep"])
def prep(person_id: Id, ctx: Ctx = CTX) -> Any:
    """The brief before you talk to her: what happened, what is open, what to bring."""
    from mentormap.services.conversations.prep import person_brief

    return jsonable(person_brief(ctx, _person(ctx, person_id)))


@router.get("/health", response_model=HealthOut, dependencies=KEPT, tags=["health"])
def health(ctx: Ctx = CTX) -> Any:
    """Your network's health by area, and where it is thin."""
    from mentormap.services.health.report import network_health

    return jsonable(network_health(ctx))


@router.get("/search", response_model=m.SearchOut, dependencies=KEPT, tags=["search"])
def search(
    ctx: Ctx = CTX,
    q: str = Query(..., min_length=1, max_length=500),
    limit: int = Query(20, ge=1, le=200),
) -> Any:
    """Search people, conversations, advice, achievements, agenda points, favours and goals."""
    from mentormap.services.search.query import SearchFilter
    from mentormap.services.search.query import search as run_search

    found = run_search(ctx, q, SearchFilter(limit=limit))
    return {"query": found.query, "hits": [hit.as_json() for hit in found.hits]}


@router.get("/who", response_model=m.WhoOut, dependencies=KEPT, tags=["search"])
def who(
    ctx: Ctx = CTX,
    q: str = Query(..., min_length=1, max_length=500, description="What you need help with"),
    limit: int = Query(10, ge=1, le=100),
) -> Any:
    """Who can help with `q`: people ranked by expertise, tags, work and past conversations."""
    from mentormap.services.search.who import who as run_who

    found = run_who(ctx, q, limit=limit)
    return {"topic": found.topic, "helpers": [h.as_json() for h in found.helpers]}
