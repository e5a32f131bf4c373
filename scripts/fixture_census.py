"""Walk the real files of other projects' test suites through `mentormap import` and count.

    .venv/bin/python scripts/fixture_census.py              # totals and refusal reasons
    .venv/bin/python scripts/fixture_census.py --skip-bad   # the same, as `import --skip-bad`
    .venv/bin/python scripts/fixture_census.py --list       # one line per file

The files live outside the repository (`../shared/external-fixtures/`, or the folder named by
MENTORMAP_EXTERNAL_FIXTURES); they are never copied in. Each file is imported, format detected
from its content as the CLI does, into a real SQLite database (one per kind of file, each import
its own transaction, so a refused file leaves nothing behind). A file is *imported* when the
import returns a plan, *refused* when it raises a UserError (the one-line message is the reason),
and a *crash* when anything else escapes: there should be none.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
KINDS = ("vcard", "ics", "csv")
TODAY = date(2026, 11, 25)


def fixtures_folder() -> Path:
    """Where the external fixtures are: $MENTORMAP_EXTERNAL_FIXTURES, else ../shared beside us."""
    named = os.environ.get("MENTORMAP_EXTERNAL_FIXTURES")
    return Path(named) if named else ROOT.parent / "shared" / "external-fixtures"


@dataclass
class Outcome:
    kind: str
    path: Path
    status: str  # imported | refused | crash
    detail: str  # the refusal's message, the crash's last traceback line, or the plan's counts
    warnings: int = 0
    skipped_bad: int = 0


def files(folder: Path, kind: str) -> list[Path]:
    return sorted(p for p in (folder / kind).iterdir() if p.is_file())


def walk(folder: Path, kinds: tuple[str, ...] = KINDS, skip_bad: bool = False) -> Iterator[Outcome]:
    """Import every file of each kind into a fresh database of that kind; yield what happened."""
    from mentormap.db import Database
    from mentormap.errors import UserError
    from mentormap.services.interop.imports import import_file
    from mentormap.services.unit import open_ctx
    from mentormap.settings import Settings

    with tempfile.TemporaryDirectory(prefix="mentormap-census-") as scratch:
        for kind in kinds:
            settings = Settings(
                database_url=f"sqlite:///{Path(scratch) / f'{kind}.db'}",
                timezone=ZoneInfo("Europe/London"),
                today_override=TODAY,
            )
            database = Database.open(settings)
            try:
                for path in files(folder, kind):
                    data = path.read_bytes()
                    try:
                        with open_ctx(database) as ctx:
                            plan = import_file(ctx, data, skip_bad=skip_bad)
                    except UserError as error:
                        yield Outcome(kind, path, "refused", str(error))
                    except Exception:  # the census counts crashes instead of stopping at one
                        last = traceback.format_exc().strip().splitlines()[-1]
                        yield Outcome(kind, path, "crash", last)
                    else:
                        counts = ", ".join(f"{n} {a}" for a, n in plan.counts.items() if n)
                        yield Outcome(
                            kind,
                            path,
                            "imported",
                            f"{plan.format}: {counts or 'nothing'}",
                            warnings=len(plan.warnings),
                            skipped_bad=len(plan.bad_records),
                        )
            finally:
                database.close()


def reason_class(message: str) -> str:
    """A refusal's message without what is particular to one file (numbers, quoted values)."""
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "'…'", message)
    text = re.sub(r"\d+", "N", text)
    return text[:140]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-bad", action="store_true", help="Import as `--skip-bad` does.")
    parser.add_argument("--list", action="store_true", help="One line per file.")
    parser.add_argument("--kind", choices=KINDS, action="append", help="Only this kind.")
    args = parser.parse_args(argv)
    folder = fixtures_folder()
    if not folder.is_dir():
        print(f"No fixtures at {folder} (set MENTORMAP_EXTERNAL_FIXTURES).", file=sys.stderr)
        return 2
    kinds = tuple(args.kind or KINDS)
    started = time.perf_counter()
    outcomes = list(walk(folder, kinds, skip_bad=args.skip_bad))
    seconds = time.perf_counter() - started
    if args.list:
        for o in outcomes:
            print(f"{o.status:8} {o.kind}/{o.path.name}: {o.detail}")
        print()
    for kind in kinds:
        mine = [o for o in outcomes if o.kind == kind]
        status = Counter(o.status for o in mine)
        warned = sum(1 for o in mine if o.warnings)
        left_out = sum(o.skipped_bad for o in mine)
        print(
            f"{kind}: {len(mine)} files, {status['imported']} imported, "
            f"{status['refused']} refused, {status['crash']} crashed; "
            f"{warned} imported with warnings ({sum(o.warnings for o in mine)} warnings)"
            + (f"; {left_out} bad records left out" if args.skip_bad else "")
        )
        reasons = Counter(reason_class(o.detail) for o in mine if o.status != "imported")
        for reason, count in reasons.most_common():
            print(f"  {count:4}  {reason}")
    print(f"({seconds:.1f} s{', --skip-bad' if args.skip_bad else ''})")
    return 1 if any(o.status == "crash" for o in outcomes) else 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "src"))
    raise SystemExit(main())
