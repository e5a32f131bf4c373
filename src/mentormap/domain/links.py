"""Which links mentormap keeps and renders: http, https and mailto, nothing else.

A stored `javascript:` or `data:` link becomes script the moment someone clicks it on the person
page, so every way a link comes in (the CLI, the web forms, imports, restore) goes through
`normalize_link`, and every place that draws one goes through `is_safe_link` as well.
"""

from __future__ import annotations

import re

from mentormap.errors import InvalidInput

SAFE_SCHEMES = ("http", "https", "mailto")

_SCHEME = re.compile(r"^([a-z][a-z0-9+.-]*):(.*)$", re.IGNORECASE | re.DOTALL)
# Browsers drop these anywhere in a URL before reading its scheme ("java\tscript:" runs).
_IGNORED_BY_BROWSERS = re.compile(r"[\x00-\x20\x7f]")
_HOST_AND_PORT = re.compile(r"^\d+(/|$)")
_WEB_PREFIX = re.compile(r"^https?://(www\.)?", re.IGNORECASE)


class UnsafeLink(InvalidInput):
    """A link whose scheme is not http, https or mailto, or that is not a link at all."""


def scheme_of(url: str) -> str | None:
    """The scheme a browser would see in `url` (lower case), or None when it has none."""
    match = _SCHEME.match(_IGNORED_BY_BROWSERS.sub("", url))
    if not match or _HOST_AND_PORT.match(match.group(2)):
        return None
    return match.group(1).lower()


def is_safe_link(url: str | None) -> bool:
    """True when a browser would open `url` as an http(s) page or a mail address."""
    return bool(url) and scheme_of(url or "") in SAFE_SCHEMES


def https_without_www(url: str) -> str:
    """`http://www.x` and `https://www.x` written as `https://x` (for storing and for matching)."""
    return _WEB_PREFIX.sub("https://", url)


def normalize_link(raw: str) -> str:
    """The stored form of a link typed or imported: https:// added, www. and a final / dropped.

    Raises UnsafeLink for any other scheme, for control characters, and for text that is not a
    link (no dot in its host, or a mailto without an address).
    """
    cleaned = raw.strip()
    if not cleaned or _IGNORED_BY_BROWSERS.search(cleaned):
        raise UnsafeLink(f"{raw!r} is not a link.")
    scheme = scheme_of(cleaned)
    if scheme == "mailto":
        address = cleaned.split(":", 1)[1]
        if "@" not in address:
            raise UnsafeLink(f"{raw!r} is not a mail address.")
        return "mailto:" + address
    if scheme is None:
        cleaned = "https://" + cleaned
    elif scheme not in SAFE_SCHEMES:
        raise UnsafeLink(f"{raw!r} is not an http, https or mailto link.")
    elif not cleaned.split(":", 1)[1].startswith("//"):
        raise UnsafeLink(f"{raw!r} is not a link.")
    cleaned = https_without_www(cleaned.rstrip("/"))
    host = cleaned[len("https://") :].split("/", 1)[0]
    if "." not in host and not host.startswith(("localhost", "[")):
        raise UnsafeLink(f"{raw!r} is not a link.")
    return cleaned
