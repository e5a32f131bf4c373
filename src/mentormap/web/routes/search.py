"""Search from the header of every page, and "Who can help?"."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup, escape

from mentormap.errors import InvalidInput, UserError
from mentormap.services.context import Ctx
from mentormap.services.search.index import KINDS
from mentormap.services.search.query import MARK_END, MARK_START, SearchFilter, parse_types, search
from mentormap.web.render import read_ctx, render

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
