"""People: the searchable list, one person's page, adding and editing, roles and tags."""

from __future__ import annotations

from functools import partial
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.domain.clock import KEEPS_CLOCK_CHOICES, parse_keeps_clock
from mentormap.domain.roles import CATALOGUE, RoleKey, parse_role
from mentormap.errors import NotFound, UserError
from mentormap.models import Person
from mentormap.services.context import Ctx
from mentormap.services.conversations.interactions import log_interaction
from mentormap.services.people import people as people_service
from mentormap.services.people.browse import (
    WARMTH_BANDS,
    check_person_field,
    filter_choices,
    people_page,
    set_tags,
    warmth_by_person,
)
from mentormap.services.people.emails import change_email, emails_of, get_email, remove_email
from mentormap.services.people.resolve import find_person
from mentormap.services.people.roles import give_role, take_role
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import (
    WARMTH_HELP,
    posted_form,
    read_ctx,
    redirect,
    render,
    unit_of_work,
)
from mentormap.web.routes.log import (
    DIRECTIONS,
    KINDS,
    log_defaults,
    read_log_fields,
    record_actions,
)

router = APIRouter()

SORT_CHOICES = [
    ("name", "Name"),
    ("last_contact", "Last contact"),
    ("company", "Company"),
    ("city", "City"),
    ("added", "Recently added"),
]
# Profile fields the edit form offers, with their labels; (field, label, multi-line?).
PROFILE_FIELDS = [
    ("name", "Name", False),
    ("title", "Title", False),
    ("company", "Company", False),
    ("city", "City", False),
    ("country", "Country", False),
    ("timezone", "Time zone", False),
    ("how_met", "How you met", False),
    ("birthday", "Birthday", False),
    ("preferred_format", "Preferred format", False),
    ("preferred_time", "Preferred time of day", False),
    ("work_hours", "Working hours", False),
    ("interests", "Interests", True),
    ("expertise", "Expertise", True),
    ("personal_details", "Family and life", True),
    ("notes", "Notes (Markdown)", True),
]


def _person(ctx: Ctx, person_id: int) -> Person:
    return find_person(ctx, f"#{person_id}")


# --- the list ----------------------------------------------------------------------------------


@router.get("/people")
def people_list(
    request: Request,
    q: str = "",
    role: str = "",
    tag: str = "",
    city: str = "",
    warmth: str = "",
    sort: str = "name",
    page: int = 1,
    partial: bool = False,
    ctx: Ctx = Depends(read_ctx),
) -> HTMLResponse:
    query = {"q": q, "role": role, "tag": tag, "city": city, "warmth": warmth, "sort": sort}
    flt = people_service.PeopleFilter(
        search=q.strip() or None,
        role=role or None,
        tag=tag or None,
        city=city or None,
        sort=sort or "name",
    )
    error = None
    result = None
    try:
        result = people_page(ctx, flt, page=max(1, page), warmth=warmth or None)
    except UserError as exc:
        error = str(exc)
    context: dict[str, Any] = {
        "query": query,
        "result": result,
        "error": error,
        "choices": filter_choices(ctx),
        "sorts": SORT_CHOICES,
        "bands": [
            (band, WARMTH_HELP.get(band if band != "none" else None, band)) for band in WARMTH_BANDS
        ],
        "page_url": lambda n: "/people?" + urlencode({**query, "page": n}),
    }
    template = "_people_results.html" if partial else "people.html"
    return render(request, template, context, status=400 if error else 200)


# --- adding ------------------------------------------------------------------------------------


def _new_page(request: Request, form: Form, status: int = 200) -> HTMLResponse:
    roles = [(info.key.value, info.label) for info in CATALOGUE.values()]
    return render(request, "person_new.html", {"form": form, "roles": roles}, status=status)


@router.get("/people/new")
def person_new(request: Request) -> HTMLResponse:
    return _new_page(request, Form(values={"role": "contact"}))


@router.post("/people/new")
def person_create(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    name = form.text("name", required="A person needs a name.")
    fields: dict[str, Any] = {
        k: form.text(k) for k in ("company", "title", "city", "country", "expertise", "interests")
    }
    email = form.parsed("email", lambda v: check_person_field("email", v))
    role = form.parsed("role", lambda v: parse_role(v).value)
    try:
        form.check()
        with unit_of_work(request) as ctx:
            person = people_service.add_person(
                ctx, name or "", emails=[email] if email else [], **fields
            )
            if role:
                give_role(ctx, person, role)
            person_id, person_name = person.id, person.name
            same = [f"#{p.id}" for p in people_service.namesakes(ctx, person)]
    except FormInvalid:
        return _new_page(request, form, status=form.status)
    except UserError as exc:
        form.fail("name", exc)
        return _new_page(request, form, status=form.status)
    if same:
        return redirect(
            f"/people/{person_id}",
            f"Added {person_name} (#{person_id}). You already had someone called {person_name}: "
            f"{', '.join(same)}; if they are one person, merge them.",
        )
    return redirect(f"/people/{person_id}", f"Added {person_name}.")


# --- one person --------------------------------------------------------------------------------


def _person_page(
    request: Request,
    ctx: Ctx,
    person_id: int,
    log_form: Form | None = None,
    role_form: Form | None = None,
    status: int = 200,
    forms: dict[str, Form] | None = None,
) -> HTMLResponse:
    from mentormap.services.clock.favours import list_favours
    from mentormap.services.clock.followups import list_follow_ups
    from mentormap.services.conversations.agenda_points import Target, list_points
    from mentormap.web.routes.records import record_forms

    person = _person(ctx, person_id)
    detail = people_service.person_detail(ctx, person)
    active = [r for r in detail.role_details if r.until is None]
    guidance = [CATALOGUE[RoleKey(r.key)] for r in active]
    return render(
        request,
        "person.html",
        {
            "p": detail,
            "warmth": warmth_by_person(ctx, [person.id])[person.id],
            "active_roles": active,
            "past_roles": [r for r in detail.role_details if r.until is not None],
            "guidance": guidance,
            "log_form": log_form or Form(values=log_defaults(ctx.today())),
            "role_form": role_form or Form(),
            "points": list_points(ctx, Target(person=person)),
            "follow_ups": list_follow_ups(ctx, person=person),
            "favours": list_favours(ctx, person=person),
            "agenda_form": Form(),
            "person_id": person.id,  # the agenda card's forms post to this person
            "back": "",
            "kinds": KINDS,
            "directions": DIRECTIONS,
            "all_roles": [(info.key.value, info.label) for info in CATALOGUE.values()],
            **record_forms(ctx, person, forms or {}),  # favours, advice, tags, attributes
        },
        status=status,
    )


@router.get("/people/{person_id:id}")
def person_show(request: Request, person_id: int, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _person_page(request, ctx, person_id)


@router.post("/people/{person_id:id}/log")
def person_log(request: Request, person_id: int, raw: FormData = Depends(posted_form)) -> Response:
    form = Form.of(raw)
    try:
        with unit_of_work(request) as ctx:
            person = _person(ctx, person_id)
            fields = read_log_fields(form, ctx.today())
            form.check()
            item = log_interaction(ctx, [person], **fields)
            record_actions(ctx, item, form)
            name = person.name
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("kind", exc)
    else:
        kind = fields["kind"].replace("_", " ")
        return redirect(f"/people/{person_id}#timeline", f"Logged a {kind} with {name}.")
    with unit_of_work(request) as ctx:
        return _person_page(request, ctx, person_id, log_form=form, status=form.status)


@router.post("/people/{person_id:id}/roles")
def person_give_role(
    request: Request, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    key = form.parsed("role", lambda v: parse_role(v).value, required="Choose a role.")
    cadence = form.days("cadence")
    try:
        form.check()
        with unit_of_work(request) as ctx:
            person = _person(ctx, person_id)
            give_role(ctx, person, key or "", cadence_days=cadence, note=form.text("note"))
            name = person.name
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("role", exc)
    else:
        label = CATALOGUE[RoleKey(key)].label.lower() if key else ""
        return redirect(f"/people/{person_id}#roles", f"{name} is now your {label}.")
    with unit_of_work(request) as ctx:
        return _person_page(request, ctx, person_id, role_form=form, status=form.status)


@router.post("/people/{person_id:id}/roles/{key}/end")
def person_end_role(
    request: Request, person_id: int, key: str, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        person = _person(ctx, person_id)
        role = take_role(ctx, person, key)
        message = f"Ended the {role.key.replace('_', ' ')} role of {person.name}."
    return redirect(f"/people/{person_id}#roles", message)


@router.post("/people/{person_id:id}/archive")
def person_archive(
    request: Request, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    undo = Form.of(raw).checked("undo")
    with unit_of_work(request) as ctx:
        person = people_service.set_archived(ctx, _person(ctx, person_id), archived=not undo)
        message = f"{'Restored' if undo else 'Archived'} {person.name}."
    return redirect(f"/people/{person_id}", message)


# --- editing -----------------------------------------------------------------------------------


def _edit_page(
    request: Request, ctx: Ctx, person_id: int, form: Form, status: int = 200
) -> HTMLResponse:
    return render(
        request,
        "person_edit.html",
        {
            "person_id": person_id,
            "form": form,
            "fields": PROFILE_FIELDS,
            "clock_choices": KEEPS_CLOCK_CHOICES,
            "emails": emails_of(ctx, _person(ctx, person_id)),
        },
        status=status,
    )


def _email_field(email_id: int) -> str:
    return f"email_{email_id}"


@router.get("/people/{person_id:id}/edit")
def person_edit(request: Request, person_id: int, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    person = _person(ctx, person_id)
    detail = people_service.person_detail(ctx, person, interaction_limit=0)
    values = {key: str(getattr(detail, key) or "") for key, _, _ in PROFILE_FIELDS}
    values["cadence"] = f"{detail.cadence_days}d" if detail.cadence_days else ""
    values["keeps_clock"] = detail.keeps_clock or "role"
    values["met_on"] = detail.met_on.isoformat() if detail.met_on else ""
    values["tags"] = ", ".join(detail.tags)
    values |= {_email_field(e.id): e.email for e in emails_of(ctx, person)}
    return _edit_page(request, ctx, person_id, Form(values=values))


def _change_emails(ctx: Ctx, person: Person, form: Form) -> None:
    """Her addresses as the form has them: a changed one is corrected in place, an emptied one
    removed; each refusal is shown next to its own field."""
    for email in emails_of(ctx, person):
        field = _email_field(email.id)
        if field not in form.values:
            continue
        wanted = form.values[field].strip()
        if wanted.lower() == email.email:
            continue
        try:
            found = get_email(ctx, person, email.id)
            if wanted:
                change_email(ctx, person, found, wanted)
            else:
                remove_email(ctx, person, found)
        except UserError as exc:
            form.fail(field, exc)


@router.post("/people/{person_id:id}/edit")
def person_update(
    request: Request, person_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    form = Form.of(raw)
    form.text("name", required="A person needs a name.")
    fields: dict[str, Any] = {}
    for key, _, _ in PROFILE_FIELDS:
        fields[key] = form.parsed(key, partial(check_person_field, key))
    fields["cadence_days"] = form.days("cadence")
    setting = form.parsed("keeps_clock", parse_keeps_clock)
    fields["keeps_clock"] = setting.value if setting else None
    new_email = form.parsed("email", lambda v: check_person_field("email", v))
    tags = [t for t in form.values.get("tags", "").split(",") if t.strip()]
    try:
        with unit_of_work(request) as ctx:
            fields["met_on"] = form.day("met_on", ctx.today())
            person = _person(ctx, person_id)
            _change_emails(ctx, person, form)
            form.check()
            people_service.edit_person(
                ctx, person, emails=[new_email] if new_email else [], **fields
            )
            try:
                set_tags(ctx, person, tags)
            except UserError as exc:
                form.fail("tags", exc)
                raise FormInvalid from exc
            name = person.name
    except FormInvalid:
        pass
    except NotFound:
        raise
    except UserError as exc:
        form.fail("name", exc)
    else:
        return redirect(f"/people/{person_id}", f"Saved {name}.")
    with unit_of_work(request) as ctx:
        return _edit_page(request, ctx, person_id, form, status=form.status)


@router.post("/people/{person_id:id}/emails/{email_id:id}/remove")
def person_remove_email(
    request: Request, person_id: int, email_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    with unit_of_work(request) as ctx:
        person = _person(ctx, person_id)
        gone = remove_email(ctx, person, get_email(ctx, person, email_id))
        message = f"Removed {gone.email} from {person.name}'s emails."
    return redirect(f"/people/{person_id}/edit#emails", message)
