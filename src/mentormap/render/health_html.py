"""The health report as one self-contained HTML page: inline CSS and SVG, no scripts, no fetches."""

from __future__ import annotations

import math
from html import escape

from mentormap.domain.health import RINGS, HealthReport, OrbitPoint, WarmthMonth

COLOURS = {
    "warm": "#2e7d32",
    "cooling": "#f9a825",
    "cold": "#1e88e5",
    "dormant": "#9e9e9e",
    None: "#ffffff",
}
LEGEND = (
    ("warm", "warm"),
    ("cooling", "cooling"),
    ("cold", "cold"),
    ("dormant", "dormant"),
    (None, "no clock"),
)
LABEL_LIMIT = 24  # per ring: beyond this, names show on hover only


def orbit_svg(points: list[OrbitPoint], size: int = 560) -> str:
    """Concentric rings by role, one dot per person coloured by warmth; you at the centre."""
    centre = size / 2
    step = (size / 2 - 30) / len(RINGS)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" role="img" aria-label="Orbit map of your network">',
        f'<circle cx="{centre}" cy="{centre}" r="16" fill="#37474f"/>',
        f'<text x="{centre}" y="{centre + 4}" text-anchor="middle" font-size="11" '
        f'fill="#fff">you</text>',
    ]
    by_ring: dict[int, list[OrbitPoint]] = {i: [] for i in range(len(RINGS))}
    for point in points:
        by_ring[point.ring].append(point)
    for ring, (label, _keys) in enumerate(RINGS):
        radius = step * (ring + 1)
        parts.append(
            f'<circle cx="{centre}" cy="{centre}" r="{radius:.1f}" fill="none" '
            f'stroke="#cfd8dc" stroke-dasharray="3 4"/>'
        )
        parts.append(
            f'<text x="{centre}" y="{centre - radius - 4:.1f}" text-anchor="middle" '
            f'font-size="10" fill="#78909c">{escape(label)}</text>'
        )
        members = by_ring[ring]
        # Spread the dots round the ring, leaving a gap at the top for the ring's label.
        gap = 0.3
        span = 2 * math.pi - 2 * gap
        for i, point in enumerate(members):
            fraction = (i + 0.5) / len(members)
            angle = -math.pi / 2 + gap + span * fraction
            x = centre + radius * math.cos(angle)
            y = centre + radius * math.sin(angle)
            colour = COLOURS.get(point.warmth, "#ffffff")
            tip = f"{point.name} — {point.role.replace('_', ' ')}, {point.warmth or 'no clock'}"
            parts.append(
                f'<g><title>{escape(tip)}</title><circle cx="{x:.1f}" cy="{y:.1f}" r="6" '
                f'fill="{colour}" stroke="#37474f" stroke-width="0.8"/></g>'
            )
            if len(members) <= LABEL_LIMIT:
                anchor = "start" if math.cos(angle) >= 0 else "end"
                dx = 9 if anchor == "start" else -9
                parts.append(
                    f'<text x="{x + dx:.1f}" y="{y + 3:.1f}" font-size="10" '
                    f'text-anchor="{anchor}" fill="#263238">'
                    f"{escape(point.name.split()[0])}</text>"
                )
    parts.append("</svg>")
    return "".join(parts)


def warmth_svg(history: list[WarmthMonth], width: int = 460, height: int = 260) -> str:
    """Stacked bars, one per month end: how many ties were warm, cooling, cold, dormant."""
    left, bottom, top = 36, 28, 12
    plot_h = height - bottom - top
    totals = [m.warm + m.cooling + m.cold + m.dormant for m in history]
    peak = max(totals, default=0) or 1
    slot = (width - left - 8) / max(len(history), 1)
    bar = slot * 0.7
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Warmth over the last year">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 4}" y2="{top + plot_h}" '
        f'stroke="#90a4ae"/>',
        f'<text x="{left - 6}" y="{top + 8}" text-anchor="end" font-size="10" '
        f'fill="#78909c">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="10" '
        f'fill="#78909c">0</text>',
    ]
    for i, month in enumerate(history):
        x = left + i * slot + (slot - bar) / 2
        y = top + plot_h
        for band in ("warm", "cooling", "cold", "dormant"):
            count = getattr(month, band)
            if not count:
                continue
            h = plot_h * count / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{COLOURS[band]}"><title>{month.on:%b %Y}: {count} {band}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar / 2:.1f}" y="{height - 10}" text-anchor="middle" '
            f'font-size="10" fill="#546e7a">{month.on:%b}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _legend() -> str:
    items = "".join(
        f'<span class="key"><span class="dot" style="background:{COLOURS[band]}"></span>'
        f"{label}</span>"
        for band, label in LEGEND
    )
    return f'<p class="legend">{items}</p>'


CSS = """
body{font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;color:#263238;margin:0;
background:#f5f7f8}
main{max-width:1120px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin:28px 0 10px;font-size:18px}
.muted{color:#607d8b}
.overall{font-size:44px;font-weight:700}
.areas{display:grid;grid-template-columns:repeat(auto-fill,minmax(250px,1fr));gap:10px}
.area{background:#fff;border-radius:8px;padding:10px 12px;box-shadow:0 1px 2px #0002}
.bar{height:8px;background:#eceff1;border-radius:4px;margin:6px 0}
.bar span{display:block;height:8px;border-radius:4px;background:#26a69a}
.charts{display:flex;flex-wrap:wrap;gap:16px}
.chart{background:#fff;border-radius:8px;padding:12px;box-shadow:0 1px 2px #0002}
.finding{background:#fff;border-left:4px solid #e53935;border-radius:6px;padding:8px 12px;
margin:8px 0}
.finding.ok{border-left-color:#43a047}
.finding .why{color:#546e7a;font-size:14px}.finding .do{font-weight:600;font-size:14px}
.legend .key{margin-right:14px;font-size:13px}
.dot{display:inline-block;width:10px;height:10px;border-radius:50%;border:1px solid #37474f;
margin-right:4px;vertical-align:middle}
"""


def render_html(report: HealthReport) -> str:
    """The whole page; every name is escaped, nothing is loaded from elsewhere."""
    overall = "—" if report.overall is None else str(report.overall)
    areas = "".join(
        f'<div class="area"><strong>{escape(a.label)}</strong> '
        f'<span class="muted">{"—" if a.score is None else a.score}</span>'
        f'<div class="bar"><span style="width:{a.score or 0}%"></span></div>'
        f'<div class="muted">{escape(a.summary)}</div></div>'
        for a in report.areas
    )
    findings = "".join(
        f'<div class="finding{" ok" if f.ok else ""}"><div>{escape(f.title)}</div>'
        f'<div class="why">{escape(f.reason)}</div>'
        + (f'<div class="do">→ {escape(f.action)}</div>' if f.action else "")
        + "</div>"
        for f in report.findings
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>Network health — {report.on.isoformat()}</title>"
        f"<style>{CSS}</style></head><body><main>"
        f"<h1>Network health</h1>"
        f'<p class="muted">{report.on:%d %B %Y} · {report.people} people with a role</p>'
        f'<div class="overall">{overall}<span class="muted" style="font-size:18px"> / 100'
        f"</span></div>"
        f'<div class="areas">{areas}</div>'
        '<h2>Your network in orbit</h2><div class="charts">'
        f'<div class="chart">{orbit_svg(report.orbit)}{_legend()}</div>'
        '<div class="chart"><strong>Warmth over the last year</strong><br>'
        f"{warmth_svg(report.warmth_history)}{_legend()}</div></div>"
        f"<h2>Findings</h2>{findings}"
        "</main></body></html>\n"
    )
