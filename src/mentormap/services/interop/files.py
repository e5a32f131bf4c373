"""Writing the user's files safely: never a half-written file, never a traceback for a bad path."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from mentormap.errors import InvalidInput


def write_atomically(path: Path, chunks: Iterable[str] | str) -> int:
    """Write to a temporary file beside `path`, then rename it over the target.

    Readers see the old file or the new one, never half of one. Returns the characters written.
    """
    if str(path).strip() in ("", ".") or path.is_dir():
        raise InvalidInput(f"{str(path)!r} is a folder; name a file to write.")
    folder = path.resolve().parent
    if not folder.is_dir():
        raise InvalidInput(f"No folder {str(folder)!r} to write {path.name!r} into.")
    pieces = [chunks] if isinstance(chunks, str) else chunks
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    size = 0
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            for chunk in pieces:
                out.write(chunk)
                size += len(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return size
