"""vCard 2.1, 3.0 and 4.0 in (as Google, Apple and Outlook write them) and vCard 4.0 out.

vobject does the lexing (unfolding, quoted-printable soft line breaks, `group.NAME;params:value`);
the meaning of each property is ours, so that a damaged card costs that card only and never a
traceback.

Photos: mentormap stores no pictures. PHOTO, LOGO, SOUND and KEY properties are skipped without
decoding them, whether embedded (base64) or given as a link, so a broken or huge photo can
never fail an import. Everything else a person record can hold is kept.
"""

from __future__ import annotations

import codecs
import io
import quopri
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from mentormap.interop.records import (
    ContactRecord,
    Labelled,
    OnError,
    OnWarning,
    ParseError,
    ParseWarning,
    check_contact,
    clean,
    name_from_email,
    plain_lines,
    report,
    shown,
    usable_email,
    usable_phone,
    warn,
)

SKIPPED = frozenset({"PHOTO", "LOGO", "SOUND", "KEY"})
# TYPE values that say nothing a person would call a label.
GENERIC_TYPES = frozenset({"internet", "pref", "voice", "x400", "text", "uri"})
_APPLE_LABEL = re.compile(r"^_\$!<(.*)>!\$_$")
_UNESCAPE = re.compile(r"\\(.)", re.DOTALL)
_UTF8_SEQUENCE = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


@dataclass
class _Prop:
    name: str
    params: dict[str, list[str]]
    value: str
    group: str | None
    line: int


@dataclass
class _Card:
    line: int
    number: int
    props: list[_Prop] = field(default_factory=list)
    error: str | None = None
    unreadable: list[int] = field(default_factory=list)  # lines left out: not `NAME:value`


def _unescape(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        char = match.group(1)
        return "\n" if char in "nN" else char

    return _UNESCAPE.sub(one, text)


def _split(text: str, sep: str = ";") -> list[str]:
    """Split on separators not escaped by a backslash, then unescape each part."""
    parts: list[str] = []
    current: list[str] = []
    escaped = False
    for char in text:
        if escaped:
            current.append("\\" + char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [_unescape(part) for part in parts]


def _params(raw: list[list[str]]) -> dict[str, list[str]]:
    """vobject's [[name, value...]] as {NAME: [values]}; vCard 2.1 bare params become TYPE."""
    found: dict[str, list[str]] = {}
    for entry in raw:
        if not entry:
            continue
        if len(entry) == 1:
            found.setdefault("TYPE", []).append(entry[0])
            continue
        name = entry[0].upper()
        for value in entry[1:]:
            found.setdefault(name, []).extend(v for v in str(value).split(",") if v)
    return found


def _decoded(prop: _Prop, where: str = "", on_warning: OnWarning = None) -> str:
    """The property's text with quoted-printable undone in its declared charset.

    A charset Python does not know, or one that is not a text encoding at all (`idna`,
    `punycode` and `undefined` raise whatever the bytes), falls back with a warning: to UTF-8
    (bad bytes replaced) when the bytes hold any UTF-8, else to Latin-1.
    """
    encoding = [v.upper() for v in prop.params.get("ENCODING", [])]
    bare = [v.upper() for v in prop.params.get("TYPE", [])]
    if "QUOTED-PRINTABLE" not in encoding and "QUOTED-PRINTABLE" not in bare:
        return prop.value
    charset = (prop.params.get("CHARSET") or ["utf-8"])[0].strip('"')
    raw = quopri.decodestring(prop.value.encode("utf-8", errors="replace"))
    if usable_charset(charset):
        try:
            return raw.decode(charset, errors="replace")
        except (UnicodeError, ValueError, LookupError):
            pass
    if _UTF8_SEQUENCE.search(raw) or raw.isascii():
        text, fallback = raw.decode("utf-8", errors="replace"), "UTF-8"
    else:  # no UTF-8 in it at all: most likely a Western single-byte charset
        text, fallback = raw.decode("latin-1"), "Latin-1"
    shown = charset if len(charset) <= 40 else charset[:37] + "..."
    warn(
        f"{where}, line {prop.line}" if where else f"line {prop.line}",
        f"cannot read the charset {shown!r} of {prop.name}; read it as {fallback}.",
        on_warning,
    )
    return text


# Codecs Python has that turn bytes into text of no use here, or refuse any bytes at all.
_NOT_CHARSETS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape"})


def usable_charset(charset: str) -> bool:
    try:
        info = codecs.lookup(charset)
    except (LookupError, ValueError, TypeError):
        return False
    return info.name not in _NOT_CHARSETS and getattr(info, "_is_text_encoding", True)


def _cards(text: str) -> Iterator[_Card]:
    from vobject.base import ParseError as VobjectError
    from vobject.base import getLogicalLines, parseLine

    card: _Card | None = None
    depth = 0
    number = 0
    for line, n in getLogicalLines(io.StringIO(text), allowQP=True):
        lineno = max(n, 1)
        if not line.strip():
            continue
        try:
            name, params, value, group = parseLine(line, lineno)
        except VobjectError:
            if card is not None and not depth:
                card.unreadable.append(lineno)
            continue
        upper = name.upper()
        if upper == "BEGIN" and value.strip().upper() == "VCARD":
            if card is None:
                number += 1
                card = _Card(line=lineno, number=number)
            else:
                depth += 1  # a nested card (vCard 2.1 AGENT): not a person of her own
            continue
        if card is None:
            continue
        if upper == "END" and value.strip().upper() == "VCARD":
            if depth:
                depth -= 1
                continue
            yield card
            card = None
            continue
        if depth or upper in SKIPPED:
            continue
        card.props.append(_Prop(upper, _params(params), value, group, lineno))
    if card is not None:
        card.error = card.error or "the card has no END:VCARD"
        yield card


def _label(prop: _Prop, labels: dict[str, str]) -> str | None:
    if prop.group and prop.group.lower() in labels:
        return labels[prop.group.lower()]
    types = [t.strip('"').lower() for t in prop.params.get("TYPE", [])]
    useful = [t for t in types if t and t not in GENERIC_TYPES and t != "quoted-printable"]
    return ",".join(useful)[:60] or None


def parse_birthday(value: str, omit_year: bool = False) -> str:
    """A vCard BDAY as YYYY-MM-DD, or --MM-DD when the year is not known."""
    text = value.strip().split("T", 1)[0]
    match = re.fullmatch(r"--(\d\d)-?(\d\d)", text)
    if match:
        month, day = int(match.group(1)), int(match.group(2))
        date(2000, month, day)  # leap-year safe check; raises ValueError
        return f"--{month:02d}-{day:02d}"
    match = re.fullmatch(r"(\d{4})-?(\d\d)-?(\d\d)", text)
    if not match:
        raise ValueError(value)
    parsed = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if omit_year:
        return f"--{parsed.month:02d}-{parsed.day:02d}"
    return parsed.isoformat()


def _record(card: _Card, on_warning: OnWarning = None) -> ContactRecord | None:
    where = f"card {card.number} (line {card.line})"
    if card.error:
        raise ParseError(where, card.error)
    for line in card.unreadable:
        warn(f"{where}, line {line}", "left out a line that is not NAME:value.", on_warning)
    labels: dict[str, str] = {}
    for prop in card.props:
        if prop.name == "X-ABLABEL" and prop.group:
            text = _unescape(_decoded(prop, where, on_warning)).strip()
            apple = _APPLE_LABEL.match(text)
            labels[prop.group.lower()] = (apple.group(1) if apple else text).lower()[:60]
    record = ContactRecord(name="", where=where)
    structured_name = ""
    for prop in card.props:
        value = _decoded(prop, where, on_warning)
        if prop.name == "FN":
            record.name = record.name or _unescape(value).strip()
        elif prop.name == "N":
            parts = [*_split(value), "", "", "", "", ""]
            family, given, additional, prefix, suffix = (p.strip() for p in parts[:5])
            structured_name = " ".join(p for p in (prefix, given, additional, family, suffix) if p)
        elif prop.name == "EMAIL":
            email = Labelled(_unescape(value).strip(), _label(prop, labels))
            if email.value and usable_email(email, f"{where}, line {prop.line}", on_warning):
                record.emails.append(email)
        elif prop.name == "TEL":
            phone = _unescape(value).strip()
            phone = phone[4:] if phone.lower().startswith("tel:") else phone
            tel = Labelled(phone, _label(prop, labels))
            if phone and usable_phone(tel, f"{where}, line {prop.line}", on_warning):
                record.phones.append(tel)
        elif prop.name in ("URL", "X-SOCIALPROFILE"):
            url = _unescape(value).strip()
            if url and (prop.name == "URL" or "://" in url):
                record.links.append(url)
        elif prop.name == "ORG":
            record.company = record.company or clean(_split(value)[0])
        elif prop.name == "TITLE":
            record.title = record.title or clean(_unescape(value))
        elif prop.name == "NOTE":
            record.notes = record.notes or clean(_unescape(value))
        elif prop.name == "ADR" and record.city is None and record.country is None:
            parts = [*_split(value), "", "", "", "", "", "", ""]
            record.city = clean(parts[3])
            record.country = clean(parts[6])
        elif prop.name == "BDAY":
            omit = "X-APPLE-OMIT-YEAR" in prop.params
            try:
                record.birthday = parse_birthday(_unescape(value), omit_year=omit)
            except ValueError:
                # vCard 4.0 allows text ("circa 1800"): not a date mentormap can keep.
                warn(
                    f"{where}, line {prop.line}",
                    f"left out the birthday {shown(value.strip())}: not a date.",
                    on_warning,
                )
        elif prop.name == "X-MENTORMAP-HOW-MET":
            record.how_met = clean(_unescape(value))
        elif prop.name == "X-MENTORMAP-MET-ON":
            try:
                record.met_on = date.fromisoformat(value.strip())
            except ValueError:
                warn(
                    f"{where}, line {prop.line}",
                    f"left out the date met {shown(value.strip())}: not a date.",
                    on_warning,
                )
    record.name = record.name or structured_name or (record.company or "")
    if not record.name and record.emails:
        record.name = name_from_email(record.emails[0].value)
    return check_contact(record, on_warning)


def parse_vcards(
    text: str, on_error: OnError = None, on_warning: OnWarning = None
) -> Iterator[ContactRecord]:
    """Yield one record per card. A bad card raises ParseError, or goes to `on_error`."""
    seen = False
    for card in _cards(text):
        seen = True
        held: list[ParseWarning] = []
        try:
            record = _record(card, held.append)
        except ParseError as error:
            report(error, on_error)
            continue
        finally:
            if on_warning is not None:  # a card's warnings in the order of its lines
                for warning in sorted(held, key=_line_of):
                    on_warning(warning)
        if record is not None:
            yield record
    if not seen:
        raise ParseError("line 1", "this is not a vCard file (no BEGIN:VCARD found).")


def _line_of(warning: ParseWarning) -> int:
    found = _LAST_LINE.search(warning.where)
    return int(found.group(1)) if found else 0


_LAST_LINE = re.compile(r"line (\d+)\)?$")


# --- writing -----------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """A property value that stays on its own line, whatever line breaks the text holds."""
    return (
        plain_lines(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\n", "\\n")
    )


def _param(value: str) -> str:
    safe = re.sub(r'["\n]', "", plain_lines(value))
    return f'"{safe}"' if re.search(r"[,;:]", safe) else safe


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 6350 3.2)."""
    if line.isascii():  # one octet a character: cut by length
        return "\r\n ".join([line[:75], *(line[i : i + 74] for i in range(75, len(line), 74))])
    out: list[str] = []
    current = ""
    size = 0
    limit = 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = "", 0, 74  # continuation lines start with one space
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _bday(birthday: str) -> str:
    """YYYY-MM-DD -> YYYYMMDD and --MM-DD -> --MMDD, the basic forms every client reads."""
    if birthday.startswith("--"):
        return "--" + birthday[2:].replace("-", "")
    return birthday.replace("-", "")


def _split_name(name: str) -> tuple[str, str]:
    parts = name.rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else (parts[0], "")


def write_vcards(records: Iterable[ContactRecord]) -> Iterator[str]:
    """vCard 4.0 text, one card at a time (each ends with CRLF)."""
    for record in records:
        family, given = _split_name(record.name)
        lines = [
            "BEGIN:VCARD",
            "VERSION:4.0",
            f"FN:{_escape(record.name)}",
            f"N:{_escape(family)};{_escape(given)};;;",
        ]
        for email in record.emails:
            typed = f";TYPE={_param(email.label)}" if email.label else ""
            lines.append(f"EMAIL{typed}:{_escape(email.value)}")
        for phone in record.phones:
            typed = f";TYPE={_param(phone.label)}" if phone.label else ""
            lines.append(f"TEL{typed}:{_escape(phone.value)}")
        lines.extend(f"URL:{_escape(url)}" for url in record.links)
        if record.company:
            lines.append(f"ORG:{_escape(record.company)}")
        if record.title:
            lines.append(f"TITLE:{_escape(record.title)}")
        if record.city or record.country:
            lines.append(f"ADR:;;;{_escape(record.city or '')};;;{_escape(record.country or '')}")
        if record.birthday:
            lines.append(f"BDAY:{_bday(record.birthday)}")
        if record.notes:
            lines.append(f"NOTE:{_escape(record.notes)}")
        if record.how_met:
            lines.append(f"X-MENTORMAP-HOW-MET:{_escape(record.how_met)}")
        if record.met_on:
            lines.append(f"X-MENTORMAP-MET-ON:{record.met_on.isoformat()}")
        lines.append("END:VCARD")
        yield "".join(fold(line) + "\r\n" for line in lines)
