"""Re-run the `$ mentormap …` lines of Markdown tours and write their real output back.

    .venv/bin/python scripts/render_tour.py README.md docs/tour/*.md

Each file runs on its own fresh demo database (a `$ mentormap demo` line in the file makes it;
otherwise one is made silently first), with today fixed at 2026-11-25 in Europe/London and a
120-column terminal, so the output is what a new user sees. Lines inside ```console blocks that
start with `$ ` are commands; everything up to the next command or the end of the block is
replaced by what the command printed (stdout and stderr, as a terminal shows them).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = ROOT / ".venv" / "bin"


def run(command: str, env: dict[str, str], cwd: Path) -> str:
    finished = subprocess.run(
        ["bash", "-c", command],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    text = finished.stdout + finished.stderr
    return "\n".join(line.rstrip() for line in text.rstrip("\n").splitlines())


def render(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "docs").symlink_to(ROOT / "docs")
        env = dict(os.environ)
        env.update(
            {
                "MENTORMAP_DB": str(work / "tour.db"),
                "MENTORMAP_TODAY": "2026-11-25",
                "MENTORMAP_TZ": "Europe/London",
                "COLUMNS": "120",
                "PATH": f"{BIN}:{env['PATH']}",
                "NO_COLOR": "1",
                "TERM": "dumb",
            }
        )
        if "$ mentormap demo" not in text:
            run("mentormap demo", env, work)

        def block(match: re.Match[str]) -> str:
            lines = match.group(1).splitlines()
            out: list[str] = []
            for line in lines:
                if line.startswith("$ "):
                    out.append(line)
                    result = run(line[2:], env, work)
                    if result:
                        out.append(result)
            return "```console\n" + "\n".join(out) + "\n```"

        rendered = re.sub(r"```console\n(.*?)\n```", block, text, flags=re.S)
    path.write_text(rendered, encoding="utf-8")
    print(f"rendered {path}")


if __name__ == "__main__":
    for name in sys.argv[1:]:
        render(Path(name))
