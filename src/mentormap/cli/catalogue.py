"""`mentormap roles`: the role catalogue — cadence, what each role is for, what to watch out for."""

from __future__ import annotations

import typer
from rich.markup import escape

from mentormap.cli.common import JSON_OPTION, console, print_json, table
from mentormap.domain.clock import CLOCK_RULES, role_touches, touch_words
from mentormap.domain.roles import RoleInfo


def _kept_by(info: RoleInfo) -> str:
    return touch_words(role_touches(info.key))


def _cadence(days: int | None) -> str:
    return f"every {days} days" if days else "no clock"


def roles(
    key: str | None = typer.Argument(None, help="One role to show in full, e.g. visionary."),
    as_json: bool = JSON_OPTION,
) -> None:
    """The role catalogue: the different people a career needs, and how to keep each one."""
    from mentormap.domain.roles import CATALOGUE, parse_role

    infos = (
        [CATALOGUE[parse_role(key)]] if key else sorted(CATALOGUE.values(), key=lambda i: i.rank)
    )
    if as_json:
        print_json(
            [
                {
                    "key": info.key,
                    "label": info.label,
                    "who": info.who,
                    "cadence_days": info.cadence_days,
                    "good_for": info.good_for,
                    "watch_out": info.watch_out,
                    "bring": info.bring,
                    "next_action": info.next_action,
                    "time_box_minutes": info.time_box_minutes,
                    "kept_by": sorted(role_touches(info.key)) if info.cadence_days else [],
                }
                for info in infos
            ]
        )
        return
    if key:
        info = infos[0]
        console.print(
            f"[bold]{info.label}[/bold] ({info.key.value}), {_cadence(info.cadence_days)}"
        )
        console.print(escape(info.who))
        for title, items in (
            ("Good for", info.good_for),
            ("Watch out", info.watch_out),
            ("Bring", info.bring),
        ):
            console.print(f"\n[bold]{title}[/bold]")
            for item in items:
                console.print(f"  - {escape(item)}")
        if info.cadence_days:
            console.print(f"\n[bold]Kept by[/bold]: {_kept_by(info)}")
        console.print(f"\n[bold]When due[/bold]: {escape(info.next_action)}")
        console.print(f"[bold]Time box[/bold]: {info.time_box_minutes} minutes")
        return
    grid = table("Role", "Cadence", "Kept by", "Who", "When due")
    for info in infos:
        grid.add_row(
            info.key.value,
            _cadence(info.cadence_days),
            _kept_by(info) if info.cadence_days else "",
            escape(info.who),
            escape(info.next_action),
        )
    console.print(grid)
    console.print()
    for rule in CLOCK_RULES:
        console.print(escape(rule))
    console.print("`mentormap roles KEY` shows one role in full.")
