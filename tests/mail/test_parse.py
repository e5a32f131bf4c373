"""From raw bytes to a record: real-world edge cases, the question in the sender's own text."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from mentormap.domain.mail import is_no_reply, subject_key, thread_root
from mentormap.interop.mail import MailParseError, find_question, own_text, parse_message
from tests.mail.helpers import ASK, ME, at, message

GMAIL_TAKEOUT = (
    b"X-GM-THRID: 1784563452345\r\n"
    b"X-Gmail-Labels: Inbox,Important,Opened\r\n"
    b"Delivered-To: sofia@example.com\r\n"
    b"Received: by 2002:a05:6a10:1234 with SMTP id abc; Tue, 24 Nov 2026 01:02:03 -0800 (PST)\r\n"
    b"MIME-Version: 1.0\r\n"
    b"From: =?UTF-8?Q?Bj=C3=B6rn_=C3=85kesson?= <bjorn@example.se>\r\n"
    b"Date: Tue, 24 Nov 2026 10:02:03 +0100\r\n"
    b"Message-ID: <CAF=xyz+123@mail.gmail.com>\r\n"
    b"Subject: =?UTF-8?B?U1Y6IEx1bmNoIG7DpHN0YSB2ZWNrYT8=?=\r\n"
    b"To: Sofia <sofia@example.com>\r\n"
    b'Content-Type: multipart/alternative; boundary="000000000000abcd"\r\n'
    b"\r\n"
    b"--000000000000abcd\r\n"
    b'Content-Type: text/html; charset="UTF-8"\r\n'
    b"\r\n"
    b'<div dir="ltr">Hej Sofia!<br>Do you have time for lunch next week?</div>'
    b'<div class="gmail_quote">On Mon you wrote:<blockquote>Shall we meet?</blockquote></div>\r\n'
    b"--000000000000abcd--\r\n"
)

OUTLOOK = (
    b"From: Priya Shah <priya@corp.example>\r\n"
    b'To: "Reyes, Sofia" <sofia@example.com>\r\n'
    b"Subject: RE: Design review\r\n"
    b"Date: Mon, 23 Nov 2026 16:40:00 +0000\r\n"
    b"Thread-Index: AQHZ1234567890abcdefghijABCDEFGHIJ==\r\n"
    b"Thread-Topic: Design review\r\n"
    b'Content-Type: text/plain; charset="us-ascii"\r\n'
    b"\r\n"
    b"Thanks, the notes are useful.\r\n\r\n"
    b"-----Original Message-----\r\n"
    b"From: Sofia Reyes <sofia@example.com>\r\n"
    b"Sent: Monday, November 23, 2026 9:00 AM\r\n"
    b"Subject: Design review\r\n\r\n"
    b"Could you look at the design before Friday?\r\n"
)

EIGHT_BIT = (
    b"From: J\xc3\xbcrgen M\xc3\xbcller <juergen@example.de>\r\n"
    b"To: sofia@example.com\r\n"
    b"Subject: Gr\xc3\xbc\xc3\x9fe aus M\xc3\xbcnchen\r\n"
    b"Date: Sun, 22 Nov 2026 09:00:00 +0100\r\n"
    b"Content-Type: text/plain; charset=x-no-such-charset\r\n"
    b"\r\n"
    b"Kommst du zur Konferenz? Are you coming to the conference in March?\r\n"
)


def test_a_question_asked_in_the_message_is_found_and_the_signature_is_not() -> None:
    record = parse_message(ASK)
    assert record.key == "ask-1@example.org"
    assert record.sender is not None and record.sender.address == "ana.perez@example.org"
    assert record.sender.name == "Ana Pérez"
    assert [a.address for a in record.to] == [ME]
    assert record.question == "Would you be willing to be a reference for my application?"
    assert record.sent_at == at(20) and record.sent_at.tzinfo is not None
    assert record.bulk is None


def test_gmail_takeout_html_encoded_words_and_the_quoted_part_left_out() -> None:
    record = parse_message(GMAIL_TAKEOUT)
    assert record.sender is not None and record.sender.name == "Björn Åkesson"
    assert record.subject == "SV: Lunch nästa vecka?"
    assert record.question == "Do you have time for lunch next week?"
    assert record.delivered_to == ("sofia@example.com",)
    assert subject_key(record.subject) == "lunch nästa vecka?"


def test_outlook_original_message_is_quoted_text_and_thread_index_names_the_thread() -> None:
    record = parse_message(OUTLOOK)
    assert record.question is None  # the question is in Sofia's own quoted message
    assert record.outlook_thread == "thread-index:AQHZ1234567890abcdefghijABCDEF"
    assert record.key.startswith("hash:")  # no Message-ID
    assert parse_message(OUTLOOK).key == record.key
    assert thread_root(record.key, None, (), record.outlook_thread) == record.outlook_thread
    assert [a.address for a in record.to] == ["sofia@example.com"]


def test_eight_bit_headers_and_an_unknown_charset_are_read_not_refused() -> None:
    record = parse_message(EIGHT_BIT)
    assert record.sender is not None and record.sender.name == "Jürgen Müller"
    assert record.subject == "Grüße aus München"
    assert record.question == "Kommst du zur Konferenz?"


def test_a_reply_with_the_question_only_in_quoted_lines_asks_nothing() -> None:
    raw = message(
        sender="Ana <ana@example.org>",
        to=ME,
        subject="Re: Slides",
        body=(
            "Sounds great, see you then.\n\n"
            "On Tue, 24 Nov 2026 at 09:12, Sofia Reyes <sofia@example.com>\nwrote:\n"
            "> Can you send me the slides?\n> Thanks\n"
        ),
        when=at(24),
        message_id="<q@x>",
    )
    assert parse_message(raw).question is None


@pytest.mark.parametrize(
    "headers, why",
    [
        ({"List-Id": "<dev.lists.example.org>"}, "List-Id"),
        ({"List-Unsubscribe": "<mailto:u@example.org>"}, "List-Unsubscribe"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"Precedence": "junk"}, "Precedence: junk"),
        ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted"),
    ],
)
def test_bulk_mail_is_recognised(headers: dict[str, str], why: str) -> None:
    raw = message(
        sender="x@example.org", to=ME, subject="News", body="Hi?", when=at(1), headers=headers
    )
    bulk = parse_message(raw).bulk
    assert bulk is not None and why in bulk


def test_auto_submitted_no_and_no_reply_senders() -> None:
    person = message(
        sender="x@example.org",
        to=ME,
        subject="Hi",
        body="Hi",
        when=at(1),
        headers={"Auto-Submitted": "no"},
    )
    assert parse_message(person).bulk is None
    robot = message(sender="GitHub <noreply@github.com>", to=ME, subject="Hi", body="x", when=at(1))
    assert "no-reply" in (parse_message(robot).bulk or "")
    assert is_no_reply("do-not-reply") and is_no_reply("no_reply") and not is_no_reply("noreen")


def test_a_message_without_a_date_or_sender_is_refused_in_one_sentence() -> None:
    with pytest.raises(MailParseError, match="no Date"):
        parse_message(b"From: a@example.org\r\nTo: b@example.org\r\n\r\nHi\r\n")
    with pytest.raises(MailParseError, match="no sender"):
        parse_message(b"To: b@example.org\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\r\nHi")
    with pytest.raises(MailParseError, match="not a date"):
        parse_message(b"From: a@example.org\r\nDate: yesterday-ish\r\n\r\nHi")


def test_a_date_without_a_zone_is_utc() -> None:
    raw = (
        b"From: a@example.org\r\nTo: s@example.com\r\n"
        b"Date: Mon, 23 Nov 2026 10:00:00 -0000\r\n\r\nHi"
    )
    assert parse_message(raw).sent_at == datetime(2026, 11, 23, 10, tzinfo=UTC)


def test_subject_prefixes_in_many_languages_fold_to_one_thread() -> None:
    for subject in ("Re: Fwd: AW: SV: Lunch", "RE : lunch", "[team] Re: Lunch", "Fw: VS: Lunch"):
        assert subject_key(subject) == "lunch", subject


def test_own_text_stops_at_signatures_and_header_blocks() -> None:
    text = "Can we talk?\n-- \nMy sig? Really?\n"
    assert own_text(text) == "Can we talk?"
    assert find_question("How are you?\n\nAnd could you introduce me to Sam?") == (
        "And could you introduce me to Sam?"
    )
    assert find_question("How are you?") == "How are you?"
    assert find_question("See https://example.org/?a=b for details.") is None
