"""The built wheel carries what an installed mentormap needs at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_wheel_ships_the_migrations(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
         "-w", str(tmp_path), str(ROOT)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    wheel = next(tmp_path.glob("mentormap-*.whl"))
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "mentormap/migrations/env.py" in names
    assert "mentormap/migrations/script.py.mako" in names
    assert "mentormap/migrations/versions/0001_initial_schema.py" in names
