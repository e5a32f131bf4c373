"""`mentormap search` starts quickly: it loads neither the models nor the clock, nor any other
area's heavy modules (the wall-time target of issue 14 is 0.3 s on L)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import CliInvoke

PROBE = """
import os
import sys
sys.argv = ["mentormap", *sys.argv[1:]]
from mentormap.cli.app import main
os._exit = lambda code: None  # let the probe look around after the command
main()
heavy = ["mentormap.models", "mentormap.services.clock", "mentormap.services.people",
         "mentormap.cli.people", "mentormap.interop", "numpy", "model2vec", "alembic",
         "fastapi", "rich", "pydantic"]
print("LOADED:" + ",".join(m for m in heavy if m in sys.modules))
"""


def test_search_loads_only_what_it_needs(cli: CliInvoke, db_path: Path) -> None:
    added = cli("people", "add", "Ada Kube", "--expertise", "kubernetes")
    assert added.exit_code == 0, added.output
    result = subprocess.run(
        [sys.executable, "-c", PROBE, "--db", str(db_path), "search", "kube*", "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert '"person": "Ada Kube"' in result.stdout
    assert result.stdout.endswith("LOADED:\n"), result.stdout
