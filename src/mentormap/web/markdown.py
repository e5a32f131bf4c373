"""Markdown notes to safe HTML: markdown-it-py renders, nh3 keeps only harmless tags and attributes.

Raw HTML in a note is allowed through the renderer on purpose and then cleaned, so the sanitiser,
not the renderer's settings, is what keeps a `<script>` or an `onerror=` inert.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from markupsafe import Markup

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "del", "details", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "s", "strong", "sub", "summary", "sup",
    "table", "tbody", "td", "th", "thead", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "td": {"align"}, "th": {"align"}}


@lru_cache(maxsize=1)
def _renderer() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True, "linkify": False}).enable("table")


def render_markdown(text: str | None) -> Markup:
    """Sanitised HTML for a Markdown note; empty for no note."""
    import nh3

    if not text:
        return Markup("")
    html = _renderer().render(text)
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # nh3 has just sanitised it
