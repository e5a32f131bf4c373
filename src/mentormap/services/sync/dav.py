"""WebDAV as CardDAV and CalDAV need it, through the `caldav` library's client (auth, TLS, the
HTTP session): discovery, sync-collection with a sync token, an ETag listing when a server has
no token, multiget in batches, PUT with If-Match / If-None-Match.

Only https, except to this machine (127.0.0.1, ::1, localhost): a password never crosses the
network in the clear.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

from mentormap.errors import InvalidInput, UserError

LOOPBACK = ("127.0.0.1", "::1", "localhost")
MULTIGET_BATCH = 250
TIMEOUT_SECONDS = 300  # a first sync-collection of a big address book takes a slow server a while

DAV = "DAV:"
CARD = "urn:ietf:params:xml:ns:carddav"
CAL = "urn:ietf:params:xml:ns:caldav"
KINDS = {
    "carddav": (CARD, "addressbook", "address-data"),
    "caldav": (CAL, "calendar", "calendar-data"),
}


class SyncTokenRefused(Exception):
    """The server no longer knows the token (or never offered one): list the ETags instead."""


@dataclass
class Changes:
    changed: dict[str, str | None] = field(default_factory=dict)  # href -> etag
    deleted: list[str] = field(default_factory=list)
    token: str | None = None


def check_url(url: str) -> str:
    """The address as given, if it is http(s) with a host; https unless to this machine."""
    cleaned = url.strip()
    parts = urlsplit(cleaned)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput(f"{cleaned!r} is not an http(s) address.")
    if parts.scheme == "http" and parts.hostname not in LOOPBACK:
        raise InvalidInput(
            "Without https a password would cross the network in the clear; "
            "use an https:// address (http is for 127.0.0.1 only)."
        )
    return cleaned


def _q(namespace: str, name: str) -> str:
    return f"{{{namespace}}}{name}"


def path_of(href: str) -> str:
    """The path of an href or URL, percent-decoding undone: the key a card is known by."""
    return unquote(urlsplit(href).path)


class Dav:
    """One server, one login."""

    def __init__(self, url: str, username: str | None, password: str | None) -> None:
        from caldav.davclient import DAVClient

        self.base = check_url(url)
        # What the server cost a run: requests sent, and seconds spent waiting for answers.
        self.requests = 0
        self.waited = 0.0
        # caldav 1.x: no DNS look-ups (the address she gave is the one used); check_url has
        # already refused plain http to anywhere but this machine.
        self.client = DAVClient(
            url=self.base,
            username=username or None,
            password=password,
            timeout=TIMEOUT_SECONDS,
        )

    def url(self, href: str) -> str:
        return urljoin(self.base, href)

    def _request(
        self, url: str, method: str, body: str = "", headers: dict[str, str] | None = None
    ) -> Any:
        from caldav.lib import error

        try:
            return self._send(url, method, body, headers or {})
        except error.AuthorizationError:
            raise UserError(
                f"The server refused the login at {self.base} (wrong user or password?)."
            ) from None
        except error.DAVError as exc:
            raise UserError(f"The server at {self.base} answered with an error: {exc}.") from None
        except OSError as exc:
            raise UserError(f"Cannot reach {self.base} ({type(exc).__name__}).") from None
        except Exception as exc:  # requests' connection errors are not all OSErrors
            if type(exc).__module__.startswith(("urllib3", "requests")):
                raise UserError(f"Cannot reach {self.base} ({type(exc).__name__}).") from None
            raise

    def _send(self, url: str, method: str, body: str, headers: dict[str, str]) -> Any:
        started = time.monotonic()
        try:
            return self.client.request(url, method, body, headers)
        finally:
            self.requests += 1
            self.waited += time.monotonic() - started

    def _propfind(self, url: str, props: str, depth: int) -> Any:
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            f'<d:propfind xmlns:d="DAV:" xmlns:c="{CARD}" xmlns:k="{CAL}"><d:prop>{props}'
            "</d:prop></d:propfind>"
        )
        return self._request(
            url, "PROPFIND", body, {"Depth": str(depth), "Content-Type": "application/xml"}
        )

    # --- discovery -----------------------------------------------------------------------------

    def discover(self, kind: str) -> str:
        """The collection's URL: the address itself when it is an address book (calendar),
        else the first one in the user's home found through her principal."""
        namespace, collection, _ = KINDS[kind]
        what = "address book" if kind == "carddav" else "calendar"
        if self._is_collection(self.base, namespace, collection):
            return self.base
        home = self._home(kind)
        found = self._propfind(home, "<d:resourcetype/>", 1)
        for href, props in _responses(found.tree):
            types = props.get(_q(DAV, "resourcetype"))
            if types is not None and types.find(_q(namespace, collection)) is not None:
                return self.url(href)
        raise UserError(f"No {what} found at {self.base}; give the {what}'s own address.")

    def _is_collection(self, url: str, namespace: str, collection: str) -> bool:
        found = self._propfind(url, "<d:resourcetype/>", 0)
        if found.status == 404:
            raise UserError(f"Nothing at {url} (404).")
        for _href, props in _responses(found.tree):
            types = props.get(_q(DAV, "resourcetype"))
            if types is not None and types.find(_q(namespace, collection)) is not None:
                return True
        return False

    def _home(self, kind: str) -> str:
        namespace = KINDS[kind][0]
        home_set = "addressbook-home-set" if kind == "carddav" else "calendar-home-set"
        prefix = "c" if kind == "carddav" else "k"
        found = self._propfind(self.base, "<d:current-user-principal/>", 0)
        principal = self.base
        for _href, props in _responses(found.tree):
            element = props.get(_q(DAV, "current-user-principal"))
            href = element.findtext(_q(DAV, "href")) if element is not None else None
            if href:
                principal = self.url(href.strip())
        found = self._propfind(principal, f"<{prefix}:{home_set}/>", 0)
        for _href, props in _responses(found.tree):
            element = props.get(_q(namespace, home_set))
            href = element.findtext(_q(DAV, "href")) if element is not None else None
            if href:
                return self.url(href.strip())
        return principal

    # --- reading -------------------------------------------------------------------------------

    def changes_since(self, collection: str, token: str | None) -> Changes:
        """What changed since `token` (everything, with none), by sync-collection (RFC 6578)."""
        body = (
            '<?xml version="1.0" encoding="utf-8"?>'
            '<d:sync-collection xmlns:d="DAV:">'
            f"<d:sync-token>{_xml_text(token or '')}</d:sync-token>"
            "<d:sync-level>1</d:sync-level><d:prop><d:getetag/></d:prop></d:sync-collection>"
        )
        try:
            found = self._send(
                collection, "REPORT", body, {"Depth": "0", "Content-Type": "application/xml"}
            )
        except Exception as exc:  # 403 valid-sync-token and friends: the token is no good
            raise SyncTokenRefused(str(exc)) from None
        if found.status not in (200, 207) or found.tree is None:
            raise SyncTokenRefused(f"status {found.status}")
        changes = Changes(token=(found.tree.findtext(_q(DAV, "sync-token")) or "").strip() or None)
        base = path_of(collection).rstrip("/")
        for href, props, status in _responses_with_status(found.tree):
            if path_of(href).rstrip("/") == base:
                continue
            if status == 404:
                changes.deleted.append(path_of(href))
            else:
                changes.changed[path_of(href)] = _etag(props)
        if changes.token is None:
            raise SyncTokenRefused("no token in the answer")
        return changes

    def etags(self, collection: str) -> dict[str, str | None]:
        """Every member's href and ETag (PROPFIND, depth 1)."""
        found = self._propfind(collection, "<d:getetag/><d:resourcetype/>", 1)
        base = path_of(collection).rstrip("/")
        listed: dict[str, str | None] = {}
        for href, props in _responses(found.tree):
            if path_of(href).rstrip("/") == base:
                continue
            listed[path_of(href)] = _etag(props)
        return listed

    def fetch(
        self, collection: str, kind: str, hrefs: list[str]
    ) -> dict[str, tuple[str | None, str]]:
        """href -> (etag, text) of each member, by multiget in batches."""
        namespace, _, data = KINDS[kind]
        prefix = "c" if kind == "carddav" else "k"
        report = "addressbook-multiget" if kind == "carddav" else "calendar-multiget"
        found: dict[str, tuple[str | None, str]] = {}
        for start in range(0, len(hrefs), MULTIGET_BATCH):
            batch = hrefs[start : start + MULTIGET_BATCH]
            listed = "".join(f"<d:href>{_xml_text(_quoted(h))}</d:href>" for h in batch)
            body = (
                '<?xml version="1.0" encoding="utf-8"?>'
                f'<{prefix}:{report} xmlns:d="DAV:" xmlns:{prefix}="{namespace}">'
                f"<d:prop><d:getetag/><{prefix}:{data}/></d:prop>{listed}</{prefix}:{report}>"
            )
            answer = self._request(
                collection, "REPORT", body, {"Depth": "1", "Content-Type": "application/xml"}
            )
            for href, props in _responses(answer.tree):
                element = props.get(_q(namespace, data))
                if element is not None and element.text:
                    found[path_of(href)] = (_etag(props), element.text)
        return found

    def get(self, url: str) -> bytes:
        answer = self._request(url, "GET")
        if answer.status != 200:
            raise UserError(f"{url} answered {answer.status}.")
        raw = answer._raw
        return raw if isinstance(raw, bytes) else str(raw).encode("utf-8")

    # --- writing -------------------------------------------------------------------------------

    def put(
        self, href: str, body: str, *, etag: str | None, new: bool, content_type: str
    ) -> tuple[int, str | None]:
        """(status, new ETag): 201/204 when written, 412 when the member changed meanwhile."""
        headers = {"Content-Type": f"{content_type}; charset=utf-8"}
        if new:
            headers["If-None-Match"] = "*"
        elif etag:
            headers["If-Match"] = etag
        answer = self._request(self.url(_quoted(href)), "PUT", body, headers)
        return answer.status, answer.headers.get("ETag")


def _quoted(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/@:+=,;~!$&'()*")


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _etag(props: dict[str, Any]) -> str | None:
    element = props.get(_q(DAV, "getetag"))
    return element.text.strip() if element is not None and element.text else None


def _responses(tree: Any) -> list[tuple[str, dict[str, Any]]]:
    return [(href, props) for href, props, status in _responses_with_status(tree) if status != 404]


def _responses_with_status(tree: Any) -> list[tuple[str, dict[str, Any], int]]:
    """(href, {prop tag: element} of the 200 propstats, response status) per response."""
    if tree is None:
        return []
    found = []
    for response in tree.iter(_q(DAV, "response")):
        href = (response.findtext(_q(DAV, "href")) or "").strip()
        if not href:
            continue
        status = _code(response.findtext(_q(DAV, "status")))
        props: dict[str, Any] = {}
        for propstat in response.findall(_q(DAV, "propstat")):
            if _code(propstat.findtext(_q(DAV, "status"))) != 200:
                continue
            prop = propstat.find(_q(DAV, "prop"))
            if prop is not None:
                for element in prop:
                    props[element.tag] = element
        found.append((href, props, status))
    return found


def _code(status: str | None) -> int:
    parts = (status or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 200
