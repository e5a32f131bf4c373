"""One email, from its raw bytes to a plain record: who, when, what about, and what it asks.

Parsing is the standard `email` package with its modern policy, read tolerantly: an unknown
charset, bytes that are not ASCII in a header, or broken MIME are read as well as they can be;
only a message with no usable date or sender is refused (`MailParseError`). Headers are taken
from the raw values and decoded here (RFC 2047 words, UTF-8 bytes, then Latin-1), which is many
times faster than building the policy's header objects for every one.

The body is read in memory, only to find the question the message asks in its own text (not in
quoted lines, an "On … wrote:" block, Outlook's original message, or a signature), and is then
dropped: a record holds no body.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.header import decode_header
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.policy import EmailPolicy
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

from mentormap.domain.mail import KEY_LENGTH, is_no_reply, normalize_address

QUESTION_LENGTH = 300
"""Characters of a question sentence kept (longer ones are cut with an ellipsis)."""


class MailParseError(ValueError):
    """A message that cannot become a record (no date, no sender, unreadable)."""


@dataclass(frozen=True)
class Address:
    address: str  # normalized: lower case
    name: str | None


@dataclass(frozen=True)
class MailRecord:
    key: str  # the Message-ID without brackets, or "hash:…" of From/Date/Subject/To
    sent_at: datetime  # aware
    sender: Address | None
    to: tuple[Address, ...]
    cc: tuple[Address, ...]
    delivered_to: tuple[str, ...]
    subject: str
    in_reply_to: str | None
    references: tuple[str, ...]
    outlook_thread: str | None  # the thread part of Outlook's Thread-Index
    bulk: str | None  # why it is bulk mail (None: a conversation)
    question: str | None  # the question it asks in its own text

    @property
    def recipients(self) -> tuple[Address, ...]:
        return self.to + self.cc


class _RawHeaderPolicy(EmailPolicy):
    """The modern policy, except that reading a header gives its raw text, not a header object.

    Building header objects (the structured Content-Type above all, read several times per
    part) was two thirds of the time of an import; the headers a record needs are decoded
    here, and the MIME structure reads the same from plain text.
    """

    def header_fetch_parse(self, name: str, value: str) -> str:
        return value


_PARSER = BytesParser(policy=_RawHeaderPolicy())
_HEADER_PARSER = BytesParser(policy=_RawHeaderPolicy())
_ID = re.compile(r"<([^<>\s]{1,1000})>")
_FOLD = re.compile(r"\r?\n[ \t]*")


def _repair(text: str) -> str:
    """Header text with raw 8-bit bytes (kept by the parser as surrogates) read as UTF-8."""
    if text.isascii() or not any("\udc80" <= ch <= "\udcff" for ch in text):
        return text
    raw = text.encode("ascii", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def decode_words(value: str | None) -> str:
    """A header's text: unfolded, RFC 2047 encoded words decoded, any charset tolerated."""
    if not value:
        return ""
    text = _repair(_FOLD.sub(" ", value))
    if "=?" not in text:
        return text.strip()
    try:
        parts = decode_header(text)
    except Exception:  # a malformed encoded word: keep the text as written
        return text.strip()
    out = []
    for chunk, charset in parts:
        if isinstance(chunk, str):
            out.append(chunk)
            continue
        try:
            out.append(chunk.decode(charset or "ascii"))
        except (LookupError, UnicodeDecodeError):
            out.append(chunk.decode("utf-8", "replace"))
    return " ".join("".join(out).split())


def _headers(message: Message) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in message.raw_items():
        found.setdefault(name.lower(), []).append(str(value))
    return found


def _first(headers: dict[str, list[str]], name: str) -> str | None:
    values = headers.get(name)
    return values[0] if values else None


_SIMPLE = re.compile(r"\s*(?:([^<>\"(),;:\\@]*?)\s*<([^<>\s]+)>|([^<>\s\"(),;:\\]+))\s*")


def _pairs(raw: list[str]) -> list[tuple[str, str]]:
    """(name, address) pairs; one plain address or "Name <address>" skips the full parser."""
    if len(raw) == 1 and (simple := _SIMPLE.fullmatch(raw[0])):
        name, bracketed, bare = simple.groups()
        return [(name or "", bracketed or bare)]
    try:
        return getaddresses(raw)
    except Exception:
        return []


def _addresses(values: list[str] | None) -> tuple[Address, ...]:
    if not values:
        return ()
    out: list[Address] = []
    seen: set[str] = set()
    pairs = _pairs([_repair(_FOLD.sub(" ", v)) for v in values])
    for name, address in pairs:
        cleaned = normalize_address(address)
        if cleaned and cleaned not in seen:
            seen.add(cleaned)
            shown = decode_words(name).strip().strip("\"'").strip() or None
            out.append(Address(cleaned, shown[:200] if shown else None))
    return tuple(out)


def _ids(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(dict.fromkeys(m[:KEY_LENGTH] for m in _ID.findall(_repair(value))))


def _message_key(headers: dict[str, list[str]]) -> str:
    raw = _first(headers, "message-id")
    if raw:
        found = _ID.search(raw)
        key = found.group(1) if found else raw.strip()
        key = _repair(key)
        if key and " " not in key:
            if len(key) <= KEY_LENGTH:
                return key
            return "hash:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()[:40]
    # No Message-ID: the same message seen twice still hashes alike.
    parts = [(_first(headers, h) or "").strip() for h in ("from", "date", "subject", "to")]
    digest = hashlib.sha256("\n".join(parts).encode("utf-8", "surrogateescape")).hexdigest()
    return "hash:" + digest[:40]


def _date(value: str | None) -> datetime:
    if not value:
        raise MailParseError("it has no Date header")
    try:
        parsed = parsedate_to_datetime(decode_words(value))
    except (TypeError, ValueError, IndexError, OverflowError):
        raise MailParseError(f"its Date {value.strip()[:60]!r} is not a date") from None
    if parsed is None:
        raise MailParseError(f"its Date {value.strip()[:60]!r} is not a date")
    if parsed.tzinfo is None:  # "-0000": the time is UTC, the zone unknown
        parsed = parsed.replace(tzinfo=UTC)
    if not 1970 <= parsed.year <= 2999:
        raise MailParseError(f"its Date {value.strip()[:60]!r} is out of range")
    return parsed


def _bulk(headers: dict[str, list[str]], sender: Address | None) -> str | None:
    if "list-id" in headers:
        return "mailing list (List-Id)"
    if "list-unsubscribe" in headers:
        return "bulk mail (List-Unsubscribe)"
    precedence = (_first(headers, "precedence") or "").strip().lower()
    if precedence in ("bulk", "list", "junk"):
        return f"bulk mail (Precedence: {precedence})"
    auto = (_first(headers, "auto-submitted") or "").strip().lower()
    if auto and auto != "no":
        return f"automatic mail (Auto-Submitted: {auto})"
    if sender is not None and is_no_reply(sender.address):
        return f"no-reply sender ({sender.address})"
    return None


def _outlook_thread(value: str | None) -> str | None:
    """Outlook's Thread-Index: its first 22 bytes (30 base64 characters) name the thread."""
    if not value:
        return None
    cleaned = "".join(value.split())
    return "thread-index:" + cleaned[:30] if len(cleaned) >= 30 else None


_BLANK = re.compile(rb"\r?\n\r?\n")


def _header_block(data: bytes) -> bytes:
    """The bytes up to the first blank line: the headers are all a record needs."""
    found = _BLANK.search(data)
    return data[: found.end()] if found else data


def parse_headers(data: bytes) -> MailRecord:
    """The record of one raw message from its headers alone (`question` is None); raises
    MailParseError when it cannot be one."""
    try:
        message = _HEADER_PARSER.parsebytes(_header_block(data), headersonly=True)
    except Exception as exc:  # the parser is tolerant; anything left is truly unreadable
        raise MailParseError(f"it cannot be read ({type(exc).__name__})") from None
    headers = _headers(message)
    senders = _addresses(headers.get("from")) or _addresses(headers.get("sender"))
    if not senders:
        raise MailParseError("it has no sender address")
    sender = senders[0]
    sent_at = _date(_first(headers, "date"))
    delivered = tuple(
        a.address
        for a in _addresses(headers.get("delivered-to", []) + headers.get("x-original-to", []))
    )
    return MailRecord(
        key=_message_key(headers),
        sent_at=sent_at,
        sender=sender,
        to=_addresses(headers.get("to")),
        cc=_addresses(headers.get("cc")),
        delivered_to=delivered,
        subject=decode_words(_first(headers, "subject"))[:998],
        in_reply_to=next(iter(_ids(_first(headers, "in-reply-to"))), None),
        references=_ids(" ".join(headers.get("references", []))),
        outlook_thread=_outlook_thread(_first(headers, "thread-index")),
        bulk=_bulk(headers, sender),
        question=None,
    )


def question_in(data: bytes) -> str | None:
    """The question the message asks in its own text (its body is read here and dropped)."""
    try:
        message = _PARSER.parsebytes(data)
    except Exception:
        return None
    if not isinstance(message, EmailMessage):
        return None
    return find_question(own_text(body_text(message)))


def parse_message(data: bytes, *, with_question: bool = True) -> MailRecord:
    """The record of one raw message, with the question it asks unless it is bulk mail."""
    record = parse_headers(data)
    if with_question and record.bulk is None:
        return replace(record, question=question_in(data))
    return record


# --- the body, in memory only ------------------------------------------------------------------


def _part_text(part: Message) -> str:
    try:
        content = part.get_content()  # type: ignore[attr-defined]
        if isinstance(content, str):
            return content
    except Exception:  # an unknown charset or a broken transfer encoding
        pass
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return payload.decode("utf-8", "replace")
    raw = part.get_payload()
    return raw if isinstance(raw, str) else ""


def body_text(message: EmailMessage) -> str:
    """The message's own text part, HTML turned into text when there is no plain text."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        part = None
    if part is None:
        for candidate in message.walk():
            if candidate.get_content_maintype() == "text" and not candidate.is_multipart():
                part = candidate
                break
    if part is None:
        return ""
    text = _part_text(part)
    if part.get_content_subtype() == "html":
        return html_to_text(text)
    return text


class _HtmlText(HTMLParser):
    BLOCKS = frozenset(
        {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "table", "ul"}
    )
    SKIP = frozenset({"script", "style", "head", "title", "blockquote"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skipping = 0
        self.quoted_divs: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        if tag == "div":
            classes = " ".join(v or "" for k, v in attrs if k in ("class", "id"))
            quoted = any(
                mark in classes
                for mark in ("gmail_quote", "moz-cite-prefix", "divRplyFwdMsg", "appendonsend")
            )
            self.quoted_divs.append(quoted)
            if quoted:
                self.skipping += 1
        if tag in self.BLOCKS:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if tag == "div" and self.quoted_divs and self.quoted_divs.pop() and self.skipping:
            self.skipping -= 1
        if tag in self.BLOCKS:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.out.append(data)


def html_to_text(html: str) -> str:
    reader = _HtmlText()
    try:
        reader.feed(html)
        reader.close()
    except Exception:
        pass
    return "".join(reader.out)


_STOP = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^-- ?$",  # the signature separator
        r"^-{2,}\s*(original message|forwarded message|message d'origine|ursprüngliche nachricht)",
        r"^_{10,}\s*$",  # Outlook's line above the original
        r"^on\b.{0,300}\bwrote:?\s*$",
        r"^le\b.{0,300}\ba écrit\s*:?\s*$",
        r"^am\b.{0,300}\bschrieb\b.{0,200}:?\s*$",
        r"^el\b.{0,300}\bescribió\s*:?\s*$",
        r"^sent from my \w+",
        r"^(get|sent from) outlook for \w+",
    )
]
_WROTE = re.compile(r"\b(wrote|a écrit|schrieb|escribió)\s*:?\s*$", re.IGNORECASE)
_HEADER_BLOCK = re.compile(r"^\*?(from|von|de|van)\s*:\*?\s", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\*?(sent|date|to|subject|gesendet|envoyé|datum|an|à|objet|betreff)\s*:", re.IGNORECASE
)


def own_text(text: str) -> str:
    """The text the sender wrote in this message: quoted lines, the quoted original and the
    signature left out."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for i, line in enumerate(lines):
        stripped = line.strip()
        if stripped.startswith(">"):
            continue
        if any(p.match(stripped) for p in _STOP):
            break
        # "On Tue, 1 Dec 2026 at 10:00, Ana <ana@example.org>" with "wrote:" on the next line.
        if (
            stripped.lower().startswith("on ")
            and i + 1 < len(lines)
            and _WROTE.search(lines[i + 1].strip())
            and len(stripped) < 300
        ):
            break
        if _HEADER_BLOCK.match(stripped):
            after = [s.strip() for s in lines[i + 1 : i + 5]]
            if any(_HEADER_NEXT.match(s) for s in after):
                break
        kept.append(stripped)
    return "\n".join(kept)


_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_GREETING = re.compile(
    r"^(hi|hello|hey|dear|hiya|good (morning|afternoon|evening)|greetings)\b[^,!:.?]{0,40}[,!:]\s*",
    re.IGNORECASE,
)
_PLEASANTRY = re.compile(
    r"^(and )?(how are you|how're you|how('s| is| has) (it|everything|life|work)|how have you been|"
    r"how are things|how was your|hope (you|all|this|everything))",
    re.IGNORECASE,
)


def _paragraphs(text: str) -> list[str]:
    paragraphs: list[str] = []
    current: list[str] = []
    for line in text.split("\n"):
        if not line.strip():
            if current:
                paragraphs.append(" ".join(current))
                current = []
            continue
        if not current and len(line) <= 40 and line.rstrip().endswith(","):
            continue  # "Hi Sofia," on a line of its own
        current.append(line.strip())
    if current:
        paragraphs.append(" ".join(current))
    return paragraphs


def find_question(text: str) -> str | None:
    """The sentence the text asks, preferring a real question to a "how are you?"."""
    pleasantry = None
    for paragraph in _paragraphs(text):
        for sentence in _SENTENCE_END.split(paragraph):
            cleaned = " ".join(sentence.split()).strip("\"'”’()[] ")
            if not cleaned.endswith("?") or len(cleaned) < 8:
                continue
            cleaned = _GREETING.sub("", cleaned)
            cleaned = cleaned[:1].upper() + cleaned[1:]
            if len(cleaned) > QUESTION_LENGTH:
                cleaned = cleaned[: QUESTION_LENGTH - 1].rstrip() + "…"
            if _PLEASANTRY.match(cleaned):
                pleasantry = pleasantry or cleaned
                continue
            return cleaned
    return pleasantry
