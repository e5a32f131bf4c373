"""Random keys handed out once (cookies, tokens, invitation links); only their SHA-256 is kept."""

from __future__ import annotations

import hashlib
import secrets


def new_key(prefix: str = "") -> str:
    """32 random bytes, URL-safe; `prefix` lets a leaked token be recognised for what it is."""
    return prefix + secrets.token_urlsafe(32)


def digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()
