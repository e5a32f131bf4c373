"""`mentormap import`, `export`, `restore` and `people duplicates`."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from mentormap.cli.common import (
    JSON_OPTION,
    YES_OPTION,
    confirm,
    console,
    err_console,
    parse_day,
    print_json,
    say,
    session,
    table,
)
from mentormap.errors import InvalidInput

if TYPE_CHECKING:
    from mentormap.services.interop.plan import ImportPlan, PlanItem

ProgressFn = Callable[[int, int], None]


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressFn | None]:
    """A bar on a terminal; nothing at all when standard error is piped or redirected."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import Progress

    with Progress(console=err_console, transient=True) as bar:
        task = bar.add_task(label, total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield advance


def _read(file: Path) -> bytes:
    if str(file) == "-":
        return sys.stdin.buffer.read()
    try:
        return file.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"No file {str(file)!r}.") from None
    except IsADirectoryError:
        raise InvalidInput(f"{str(file)!r} is a folder, not a file.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {str(file)!r}: {exc.strerror}.") from None


def import_(
    file: Path = typer.Argument(..., help="The file to import ('-' reads standard input)."),
    fmt: str | None = typer.Option(
        None, "--format", "-f", help="vcard, linkedin, google, csv or ics (default: detected)."
    ),
    dry_run: bool = typer.Option(
        False, "--dry-run", help="Show the plan (new, updated, merged, skipped) and change nothing."
    ),
    skip_bad: bool = typer.Option(
        False,
        "--skip-bad",
        help=(
            "Leave out records that cannot be imported (each one listed) instead of stopping. "
            "A bad field alone (an odd phone or birthday) never stops an import: it is left "
            "out with a warning."
        ),
    ),
    mapping: list[str] = typer.Option(
        [], "--map", help='Tie a CSV column to a field: "Full name=name" (repeatable).'
    ),
    me: list[str] = typer.Option(
        [], "--me", help="Your own email in the calendar, to skip events you declined (repeatable)."
    ),
    since: str | None = typer.Option(
        None,
        "--since",
        help="Expand repeating calendar events from this day (default: a year ago).",
    ),
    as_json: bool = JSON_OPTION,
) -> None:
    """Import contacts (vCard, LinkedIn, Google, CSV) or calendar history (.ics)."""
    from mentormap.services.interop.imports import import_file

    data = _read(file)
    with session() as ctx, progress_bar("Importing") as advance:
        plan = import_file(
            ctx,
            data,
            fmt=fmt,
            dry_run=dry_run,
            skip_bad=skip_bad,
            mapping=mapping,
            me=me,
            since=parse_day(since, ctx),
            progress=advance,
        )
    if as_json:
        print_json(
            {
                "format": plan.format,
                "dry_run": plan.dry_run,
                "counts": plan.counts,
                "items": plan.items,
                "bad_records": plan.bad_records,
                "warnings": plan.warnings,
            }
        )
        return
    _print_plan(plan)


PLAN_ROWS = 50
"""Rows of the plan drawn on a terminal; a 200,000-card file is summed up, not drawn row by row."""
WARNINGS_SHOWN = 5
"""Warnings (fields left out, lines read as Latin-1…) drawn on a terminal; --json has them all."""


def _print_plan(plan: ImportPlan) -> None:
    from rich.text import Text

    counts = plan.counts
    shown = plan.items if plan.dry_run else [i for i in plan.items if i.action != "new"]
    if shown:
        grid = table("action", "name", "where", "why")
        for item in shown[:PLAN_ROWS]:
            # Text, not markup: a name like "[red]x" or "[/b]" is shown as it is in the file.
            grid.add_row(item.action, Text(item.name), Text(item.where), Text(item.reason))
        console.print(grid)
        if len(shown) > PLAN_ROWS:
            say(f"... and {len(shown) - PLAN_ROWS:,} more rows (--json lists them all).")
    for warning in plan.warnings[:WARNINGS_SHOWN]:
        console.print(Text(f"Warning: {warning}"))
    if len(plan.warnings) > WARNINGS_SHOWN:
        say(
            f"... and {len(plan.warnings) - WARNINGS_SHOWN:,} more warnings, "
            f"{len(plan.warnings):,} in all (--json lists them all)."
        )
    summary = ", ".join(f"{count} {action}" for action, count in counts.items())
    if not plan.dry_run:
        label = "New conversations" if plan.format == "ics" else "New people"
        _print_new([i for i in plan.items if i.action == "new"], label)
    if plan.dry_run:
        say(f"Dry run ({plan.format}): would make {summary}. Nothing was changed.")
    else:
        say(f"Imported {plan.format}: {summary}.")
    if plan.bad_records:
        say(f"{len(plan.bad_records)} unreadable record(s) were left out (see above).")


def _print_new(new: list[PlanItem], label: str) -> None:
    """A real import names what it added (the plan table shows only the changes)."""
    from rich.text import Text

    if not new:
        return
    names = ", ".join(
        item.name + (f" (#{item.person_id})" if item.person_id else "") for item in new[:PLAN_ROWS]
    )
    extra = len(new) - PLAN_ROWS
    more = f", and {extra:,} more (--json lists them all)" if extra > 0 else ""
    console.print(Text(f"{label}: {names}{more}."))


def export(
    fmt: str = typer.Option(..., "--format", "-f", help="vcard, csv, ics or json (full backup)."),
    output: Path | None = typer.Option(
        None, "--output", "-o", help="File to write (atomically); default: standard output."
    ),
) -> None:
    """Export contacts (vCard 4.0, CSV), planned catch-ups (.ics) or a full JSON backup."""
    from mentormap.services.interop.exports import FORMATS, export_chunks
    from mentormap.services.interop.files import write_atomically

    if fmt not in FORMATS:
        raise InvalidInput(f"Unknown export format {fmt!r}; choose one of: {', '.join(FORMATS)}.")
    with session() as ctx, progress_bar("Exporting") as advance:
        chunks: Iterable[str]
        if fmt == "json":
            from mentormap.services.interop.backup import backup_chunks

            chunks = backup_chunks(ctx, progress=advance if output else None)
        else:
            chunks = export_chunks(ctx, fmt)
        if output is None:
            for chunk in chunks:
                sys.stdout.write(chunk)
            sys.stdout.flush()
            return
        write_atomically(output, chunks)
    err_console.print(f"Wrote {output}.")


def restore(
    file: Path = typer.Argument(..., help="A backup made by `mentormap export --format json`."),
) -> None:
    """Restore a JSON backup into an empty database, ids and all."""
    from mentormap.services.interop.backup import restore as restore_backup

    # The file itself, not its bytes: the restore reads it as a stream, twice.
    source = sys.stdin.buffer if str(file) == "-" else file
    with session() as ctx, progress_bar("Restoring") as advance:
        report = restore_backup(ctx, source, progress=advance)
    for warning in report.warnings:
        err_console.print(f"Warning: {warning}", markup=False, highlight=False, soft_wrap=True)
    say(f"Restored {report.total} rows into {len(report.rows)} tables.")


def duplicates(
    yes: bool = YES_OPTION,
    dry_run: bool = typer.Option(False, "--dry-run", help="List the sets and merge nothing."),
    as_json: bool = JSON_OPTION,
) -> None:
    """Find people entered twice (same email, phone, profile, or name and company) and merge.

    With --json the sets are listed and nothing is merged.
    """
    from mentormap.services.people.duplicates import find_duplicates, merge_duplicates

    with session() as ctx:
        found = find_duplicates(ctx)
        if as_json:
            print_json(found)
            return
        if not found:
            say("No duplicates found.")
            return
        grid = table("keep", "merge into it", "why")
        for item in found:
            grid.add_row(
                _ref(item.keep.id, item.keep.name, item.keep.company),
                "; ".join(_ref(o.id, o.name, o.company) for o in item.others),
                "; ".join(item.reasons),
            )
        console.print(grid)
        if dry_run:
            say(f"{len(found)} set(s) of duplicates; nothing merged.")
            return
        confirm(f"Merge these {len(found)} set(s)?", yes)
        merged = merge_duplicates(ctx, found)
    folded = "; ".join(
        f"{', '.join(f'#{o.id}' for o in item.others)} into #{item.keep.id} {item.keep.name}"
        for item in found
    )
    say(f"Merged {merged} duplicate(s) into {len(found)} person(s): {folded}.")


def _ref(pid: int, name: str, company: str | None) -> str:
    return f"#{pid} {name}" + (f" ({company})" if company else "")
