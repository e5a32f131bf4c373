"""Today: replies owed, follow-ups, visitors, who is due by warmth; and the one-click actions."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from mentormap.errors import InvalidInput
from mentormap.services.clock.today import compute_today
from mentormap.services.context import Ctx
from mentormap.web.forms import Form
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()
SNOOZE_FOLLOW_UP_DAYS = 7


def back_to(form: Form, default: str) -> str:
    """Where to return after an action: a local path only, never another site."""
    target = form.values.get("back", "")
    return target if target.startswith("/") and not target.startswith("//") else default


@router.get("/today")
def today_page(
    request: Request,
    everything: bool = Query(False, alias="all"),
    ctx: Ctx = Depends(read_ctx),
) -> HTMLResponse:
    agenda = compute_today(ctx, everything=everything)
    return render(request, "today.html", {"agenda": agenda, "everything": everything})


@router.post("/followups/{follow_up_id:id}/{action}")
def follow_up_action(
    request: Request, follow_up_id: int, action: str, raw: FormData = Depends(posted_form)
) -> Response:
    from mentormap.services.clock import followups

    form = Form.of(raw)
    with unit_of_work(request) as ctx:
        item = followups.get_follow_up(ctx, follow_up_id)
        if action == "done":
            followups.complete(ctx, item)
            message = f"Done: {item.title}"
        elif action == "cancel":
            followups.cancel(ctx, item)
            message = f"Dropped: {item.title}"
        elif action == "snooze":
            until = ctx.today() + timedelta(days=SNOOZE_FOLLOW_UP_DAYS)
            followups.snooze(ctx, item, until)
            message = f"Snoozed until {until:%d %b}: {item.title}"
        else:
            raise InvalidInput(f"Unknown action {action!r} for a follow-up.")
    return redirect(back_to(form, "/today"), message)


# Declared before the step route below, which would take "remove" for a step.
@router.post("/favours/{favour_id:id}/remove")
def favour_remove(
    request: Request, favour_id: int, raw: FormData = Depends(posted_form)
) -> Response:
    from mentormap.services.clock import favours

    form = Form.of(raw)
    with unit_of_work(request) as ctx:
        view = favours.remove_favour(ctx, favours.get_favour(ctx, favour_id))
    message = f"Removed the favour: {view.description}"
    return redirect(back_to(form, f"/people/{view.person_id}#favours"), message)


@router.post("/favours/{favour_id:id}/{step}")
def favour_step(
    request: Request, favour_id: int, step: str, raw: FormData = Depends(posted_form)
) -> Response:
    from mentormap.services.clock import favours

    form = Form.of(raw)
    with unit_of_work(request) as ctx:
        favour = favours.get_favour(ctx, favour_id)
        if step == "acted":
            favours.mark_acted(ctx, favour)
            message = "Marked as acted on; now tell the giver what came of it."
        elif step == "reported":
            favours.mark_reported(ctx, favour)
            message = "Loop closed: you told the giver what came of it (logged)."
        else:
            raise InvalidInput(f"Unknown step {step!r} for a favour.")
        person_id = favour.person_id
    return redirect(back_to(form, f"/people/{person_id}#favours"), message)


@router.post("/people/{person_id:id}/quick/{what}")
def quick_action(
    request: Request, person_id: int, what: str, raw: FormData = Depends(posted_form)
) -> Response:
    """One click from the agenda: a ping or a reply sent, or a snooze for a while."""
    from mentormap.domain.durations import parse_days
    from mentormap.services.conversations.interactions import log_interaction
    from mentormap.services.people.people import snooze_person
    from mentormap.services.people.resolve import find_person

    form = Form.of(raw)
    with unit_of_work(request) as ctx:
        person = find_person(ctx, f"#{person_id}")
        if what == "ping":
            log_interaction(ctx, [person], kind="ping", direction="outbound")
            message = f"Logged a ping to {person.name}."
        elif what == "replied":
            log_interaction(ctx, [person], kind="message", direction="outbound")
            message = f"Logged your reply to {person.name}."
        elif what == "snooze":
            days = parse_days(form.values.get("for") or "2w")
            until = ctx.today() + timedelta(days=days)
            snooze_person(ctx, person, until)
            message = f"Snoozed {person.name} until {until:%d %b %Y}."
        else:
            raise InvalidInput(f"Unknown quick action {what!r}.")
    return redirect(back_to(form, "/today"), message)
