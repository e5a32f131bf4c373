"""Search from the header of every page, "Who can help?", and meaning search's model."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape
from starlette.datastructures import FormData

from mentormap.errors import InvalidInput, UserError
from mentormap.services.context import Ctx
from mentormap.services.search.index import KINDS
from mentormap.services.search.query import MARK_END, MARK_START, SearchFilter, parse_types, search
from mentormap.web.forms import Form, FormInvalid
from mentormap.web.render import posted_form, read_ctx, redirect, render, unit_of_work

router = APIRouter()

TYPE_LABELS = {
    "person": "People",
    "interaction": "Conversations",
    "advice": "Advice",
    "achievement": "Achievements",
    "agenda": "Agenda points",
    "favour": "Favours",
    "goal": "Goals",
    "opportunity": "Opportunities",
}


def highlight(snippet: str) -> Markup:
    """The snippet escaped, then its match markers (never in stored text) turned into <mark>."""
    escaped = str(escape(snippet))
    return Markup(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def _link(hit: Any) -> str | None:
    if hit.type == "person":
        return f"/people/{hit.id}"
    if hit.person_ids:
        return f"/people/{hit.person_ids[0]}"
    if hit.type == "achievement":
        return "/achievements"
    return None


@router.get("/search")
def search_page(
    request: Request,
    q: str = "",
    type: str = "",
    role: str = "",
    city: str = "",
    since: str = "",
    ctx: Ctx = Depends(read_ctx),
) -> HTMLResponse:
    from mentormap.domain.durations import parse_date

    words = q.strip()[:500]
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    error = None
    if words:
        try:
            found = search(
                ctx,
                words,
                SearchFilter(
                    role=role.strip() or None,
                    city=city.strip() or None,
                    since=parse_date(since.strip(), ctx.today()) if since.strip() else None,
                    types=parse_types([type]) if type.strip() else (),
                    limit=50,
                ),
            )
        except (InvalidInput, UserError) as exc:
            error = str(exc)
        else:
            for kind, hits in found.by_type():
                rows = [
                    {
                        "hit": hit,
                        "snippet": highlight(hit.snippet),
                        "href": _link(hit),
                    }
                    for hit in hits
                ]
                groups.append((TYPE_LABELS.get(kind, kind), rows))
    return render(
        request,
        "search.html",
        {
            "q": words,
            "search_query": words,
            "groups": groups,
            "error": error,
            "types": [(kind, TYPE_LABELS[kind]) for kind in KINDS],
            "chosen": {"type": type, "role": role, "city": city, "since": since},
            "count": sum(len(rows) for _label, rows in groups),
        },
    )


@router.get("/who")
def who_page(
    request: Request,
    topic: str = "",
    ctx: Ctx = Depends(read_ctx),
) -> HTMLResponse:
    from mentormap.services.search.who import who

    words = topic.strip()[:200]
    helpers: list[dict[str, Any]] = []
    error = None
    if words:
        try:
            found = who(ctx, words)
        except (InvalidInput, UserError) as exc:
            error = str(exc)
        else:
            helpers = [
                {"helper": h, "why": [highlight(line) for line in h.snippets]}
                for h in found.helpers
            ]
    return render(
        request,
        "who.html",
        {"topic": words, "helpers": helpers, "error": error},
    )


def _meaning_page(request: Request, ctx: Ctx, form: Form, status: int = 200) -> HTMLResponse:
    from mentormap.services.search.semantic import status as meaning_status

    found = meaning_status(ctx)
    return render(
        request,
        "meaning.html",
        {"status": found, "form": form, "behind": found.entries - found.embedded},
        status=status,
    )


@router.get("/search/meaning")
def meaning_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    return _meaning_page(request, ctx, Form())


@router.post("/search/meaning/install")
def meaning_install(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    from mentormap.services.search.semantic import install

    form = Form.of(raw)
    path = form.text("path", required="Give the folder of a model2vec model.")
    try:
        with unit_of_work(request) as ctx:
            form.check()
            model, embedded = install(ctx, path or "")
    except FormInvalid:
        pass
    except UserError as exc:
        form.fail("path", exc)
    else:
        return redirect(
            "/search/meaning",
            f"Meaning search is on with the model in {model.path}: {embedded:,} entries embedded.",
        )
    with unit_of_work(request) as ctx:
        return _meaning_page(request, ctx, form, status=form.status)


@router.post("/search/meaning/remove")
def meaning_remove(request: Request, raw: FormData = Depends(posted_form)) -> Response:
    from mentormap.services.search.semantic import remove

    with unit_of_work(request) as ctx:
        was_on = remove(ctx)
    return redirect(
        "/search/meaning", "Meaning search is off." if was_on else "Meaning search was not on."
    )
