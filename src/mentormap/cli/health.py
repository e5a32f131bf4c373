"""`mentormap health`: where the network is thin, with a reason and a next step for each gap."""

from __future__ import annotations

from pathlib import Path

import typer

from mentormap.cli.common import JSON_OPTION, console, print_json, say, session


def health(
    as_json: bool = JSON_OPTION,
    html: Path | None = typer.Option(
        None, "--html", metavar="FILE", help="Also write a self-contained HTML page with charts."
    ),
    all_findings: bool = typer.Option(
        False, "--all", help="List the checks that passed too, not only the gaps."
    ),
) -> None:
    """Score your network by area and say where it is thin and what to do about it."""
    from mentormap.services.health.report import network_health

    with session() as ctx:
        report = network_health(ctx)
    if html is not None:
        from mentormap.render.health_html import render_html
        from mentormap.services.interop.files import write_atomically

        write_atomically(html, render_html(report))
    if as_json:
        print_json(report)
        return
    overall = "—" if report.overall is None else f"{report.overall}/100"
    say(f"[bold]Network health {report.on}[/bold]: {overall} ({report.people} people with a role)")
    say("")
    for area in report.areas:
        score = "  —" if area.score is None else f"{area.score:3d}"
        say(f"  {score}  {area.label:<18} {area.summary}")
    problems = report.problems
    say("")
    say(f"[bold]{len(problems)} to work on[/bold]" if problems else "[bold]No gaps found.[/bold]")
    shown = report.findings if all_findings else problems
    for finding in shown:
        mark = "[green]✓[/green]" if finding.ok else "[red]✗[/red]"
        console.print(f"{mark} {finding.title}")
        console.print(f"    [dim]{finding.reason}[/dim]")
        if finding.action:
            console.print(f"    → {finding.action}")
    credits = [f for f in report.findings if f.key == "reciprocity.champion_credit"]
    if credits and not all_findings:
        say("\n[bold]Credit where due[/bold]")
        for finding in credits:
            console.print(f"  {finding.title}. Tell them what came of it.")
    passed = len(report.findings) - len(problems)
    if not all_findings and passed:
        say(f"\n{passed} checks passed (--all lists them).")
    if html is not None:
        say(f"Wrote {html}.")
