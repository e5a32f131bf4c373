"""Read a backup document as a stream: its header, then each table's columns and rows one by one.

A backup of a large network runs to hundreds of megabytes; parsing it whole costs several times
that in memory. This reader walks the document's outer shape itself

    {"format": ..., ..., "tables": {"people": {"columns": [...], "rows": [[...], ...]}, ...}}

and hands every smaller piece (a header value, a column list, one row) to the standard JSON
decoder, so at most one row and a megabyte of text are held at once, whatever the layout of the
file (one row a line as mentormap writes it, or pretty-printed by another tool).
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from mentormap.errors import InvalidInput

CHUNK = 1 << 20
MAX_VALUE = 64 << 20
"""No single value of a backup (a row, a note) comes near this many characters."""

_SPACE = re.compile(r"[ \t\n\r]*")
_decode = json.JSONDecoder().raw_decode

Rows = Iterator[Any]


class _Text:
    """The document's text, decoded a chunk at a time, with a read position."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder("utf-8-sig")()
        self.buf = ""
        self.pos = 0
        self.eof = False

    def more(self) -> bool:
        """Read on; False at the end of the file."""
        if self.eof:
            return False
        pending = len(self.buf) - self.pos
        if pending > MAX_VALUE:
            raise InvalidInput(
                f"This backup holds a value longer than {MAX_VALUE // (1 << 20)} MB characters."
            )
        data = self._stream.read(max(CHUNK, pending))  # doubling: a long value costs O(n)
        try:
            text = self._decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise InvalidInput("This is not a mentormap backup (not UTF-8 text).") from None
        self.eof = not data
        self.buf = self.buf[self.pos :] + text
        self.pos = 0
        return True

    def peek(self) -> str:
        """The next character that is not white space ('' at the end of the file)."""
        while True:
            match = _SPACE.match(self.buf, self.pos)
            self.pos = match.end() if match else self.pos
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.more():
                return ""

    def expect(self, char: str, where: str) -> None:
        found = self.peek()
        if found != char:
            raise _broken(where, f"expected {char!r}, found {_shown(found)}")
        self.pos += 1

    def value(self, where: str) -> Any:
        """One JSON value, read on until it is complete."""
        self.peek()
        while True:
            try:
                value, end = _decode(self.buf, self.pos)
            except RecursionError:
                raise InvalidInput(f"{where}: values are nested too deeply.") from None
            except ValueError as exc:
                if _cut_short(exc, len(self.buf)) and self.more():
                    continue  # the value goes on past the text read so far
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                raise _broken(where, reason[:80]) from None
            if end == len(self.buf) and self.more():
                continue  # a number at the very end may go on in the next chunk
            self.pos = end
            return value


def _cut_short(exc: ValueError, length: int) -> bool:
    """Whether a decoding error may only mean that the text read so far ends mid-value
    (within the last few characters: a \\u escape cut in two, a missing comma)."""
    if not isinstance(exc, json.JSONDecodeError):
        return False  # e.g. an integer of more digits than Python converts
    return exc.pos >= length - 16 or exc.msg.startswith("Unterminated string")


def _shown(char: str) -> str:
    return repr(char) if char else "the end of the file"


def _broken(where: str, reason: str) -> InvalidInput:
    return InvalidInput(f"This is not a complete mentormap backup ({where}: {reason}).")


class BackupReader:
    """Walks one backup document. Call `header()` first, then iterate `tables()` once.

    Each table comes as (name, columns, rows); rows must be used before the next table.
    """

    def __init__(self, stream: IO[bytes]) -> None:
        self._text = _Text(stream)
        self._started = False

    @property
    def has_tables(self) -> bool:
        return self._started

    def header(self) -> dict[str, Any]:
        """Every top-level key before "tables", with its value."""
        text = self._text
        if text.peek() != "{":
            raise InvalidInput("This is not a mentormap backup (not a JSON object).")
        text.pos += 1
        header: dict[str, Any] = {}
        while True:
            key = self._key("the header")
            if key is None:
                self._end()
                return header  # no tables at all: the caller says so
            if key == "tables":
                self._started = True
                return header
            if key in header:
                raise _broken("the header", f"{key!r} appears twice")
            header[key] = text.value(f"the header's {key!r}")
            self._after_member("the header")

    def tables(self) -> Iterator[tuple[str, Any, Rows]]:
        if not self._started:
            return
        text = self._text
        text.expect("{", "tables")
        seen: set[str] = set()
        first = True
        while True:
            if first and text.peek() == "}":
                text.pos += 1
                break
            first = False
            name = text.value("tables")
            if not isinstance(name, str):
                raise _broken("tables", "a table name must be text")
            if name in seen:
                raise InvalidInput(f"The backup holds the table {name!r} twice.")
            seen.add(name)
            text.expect(":", name)
            yield from self._table(name)
            if text.peek() == ",":
                text.pos += 1
                continue
            text.expect("}", "tables")
            break
        self._after_member("the document")
        while (key := self._key("the document")) is not None:
            text.value(f"the document's {key!r}")
            self._after_member("the document")
        self._end()

    def _table(self, name: str) -> Iterator[tuple[str, Any, Rows]]:
        text = self._text
        text.expect("{", name)
        columns: Any = None
        keys: set[str] = set()
        while True:
            key = self._key(name)
            if key is None:
                break
            if key in keys or key not in ("columns", "rows"):
                raise InvalidInput(f"{name}: expected columns and rows, found {key!r}.")
            keys.add(key)
            if key == "columns":
                columns = text.value(f"{name} columns")
            else:
                if columns is None:
                    raise InvalidInput(f"{name}: the columns must come before the rows.")
                rows = self._rows(name)
                yield name, columns, rows
                for _ in rows:  # whatever the caller left unread
                    pass
            self._after_member(name)
        if keys != {"columns", "rows"}:
            raise InvalidInput(f"{name}: expected columns and rows.")

    def _rows(self, name: str) -> Rows:
        text = self._text
        if text.peek() != "[":
            raise InvalidInput(f"{name}: expected columns and rows (rows is not a list).")
        text.pos += 1
        if text.peek() == "]":
            text.pos += 1
            return
        number = 0
        while True:
            number += 1
            buf, pos = text.buf, text.pos
            # The common case, decoded without a detour: a whole row, then "," and a new line.
            try:
                row, end = _decode(buf, pos)
            except (ValueError, RecursionError):
                end = len(buf)
            if end + 2 < len(buf) and buf[end] == ",":
                text.pos = end + 2 if buf[end + 1] == "\n" else end + 1
                if buf[text.pos] in " \t\r\n":
                    text.peek()
                yield row
                continue
            if end >= len(buf) - 2:  # near the end of the chunk read: the careful way
                row = text.value(f"{name} row {number}")
            else:
                text.pos = end
            char = text.peek()
            text.pos += 1
            yield row
            if char == ",":
                text.peek()
                continue
            if char == "]":
                return
            raise _broken(f"{name} row {number}", f"expected ',' or ']', found {_shown(char)}")

    def _key(self, where: str) -> str | None:
        """The next member's key and its colon, or None when the object closes."""
        text = self._text
        char = text.peek()
        if char == "}":
            text.pos += 1
            return None
        if char != '"':
            raise _broken(where, f"expected a key, found {_shown(char)}")
        key = text.value(where)
        text.expect(":", where)
        return str(key)

    def _after_member(self, where: str) -> None:
        """Step over the comma between members (the closing brace is left for `_key`)."""
        text = self._text
        char = text.peek()
        if char == ",":
            text.pos += 1
            if text.peek() == "}":
                raise _broken(where, "a comma before '}'")
        elif char != "}":
            raise _broken(where, f"expected ',' or '}}', found {_shown(char)}")

    def _end(self) -> None:
        if self._text.peek() != "":
            raise _broken("the end", "more text after the document")
