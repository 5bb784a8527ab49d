"""Turning authored text into safe HTML. Pure functions; no Django models.

Markdown is rendered with ``markdown`` and then cleaned with ``nh3`` against a narrow allow-list:
no scripts, no styles, no event handlers, and links only to http, https and mailto addresses.
Rich text from the Wagtail editor is cleaned the same way on output, so content that reached the
database by another route (an import, an API) cannot carry script either.

Both are pure functions of their text, so each process remembers its recent results: a lesson's
blocks are converted once, not on every view (edited text is new text, converted afresh).
"""

from functools import lru_cache

import markdown as md
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "dl", "dt", "em", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "strong", "sub", "sup", "table", "tbody",
    "td", "th", "thead", "tr", "ul", "img", "figure", "figcaption",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
_EXTENSIONS = ["tables", "sane_lists", "fenced_code", "smarty"]


@lru_cache(maxsize=2048)
def sanitise_html(html: str) -> str:
    """Keep only the allowed tags, attributes and URL schemes. Relative URLs stay allowed."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@lru_cache(maxsize=2048)
def render_markdown(text: str) -> str:
    """Markdown to sanitised HTML. Raw HTML inside the Markdown is escaped, not passed through."""
    html = md.markdown(text or "", extensions=_EXTENSIONS, output_format="html")
    return sanitise_html(html)
