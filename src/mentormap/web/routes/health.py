"""Network health: the scores, the findings, and the charts (the orbit map, warmth over time)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from markupsafe import Markup

from mentormap.render.health_html import COLOURS, LEGEND, orbit_svg, warmth_svg
from mentormap.services.context import Ctx
from mentormap.services.health.report import network_health
from mentormap.web.render import read_ctx, render

router = APIRouter()


@router.get("/health")
def health_page(request: Request, ctx: Ctx = Depends(read_ctx)) -> HTMLResponse:
    report = network_health(ctx)
    # The health service draws the charts; it escapes every name it writes into them.
    return render(
        request,
        "health.html",
        {
            "report": report,
            "orbit": Markup(orbit_svg(report.orbit)),
            "history": Markup(warmth_svg(report.warmth_history)),
            "problems": [f for f in report.findings if not f.ok],
            "fine": [f for f in report.findings if f.ok],
            "legend": [(COLOURS[band], label) for band, label in LEGEND],
        },
    )
