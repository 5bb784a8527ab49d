"""The part of a page that shows one person's own records, rendered once and kept until their
records or the published content change (``home.caching.for_records``).

A form in such a fragment needs the CSRF token of the request that is being answered, not of
the one that first rendered it: the fragment is rendered with a placeholder in place of the
token, and each request puts its own in. Only the exact hidden input that ``{% csrf_token %}``
renders is replaced; anything a person wrote is escaped, so it can never take that form.
"""

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .caching import for_records

CSRF_PLACEHOLDER = "csrf-token-of-the-request"
_TOKEN_INPUT = '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'  # noqa: S105
_PLACEHOLDER_INPUT = format_html(_TOKEN_INPUT, CSRF_PLACEHOLDER)


def personal_fragment(request, key: str, template_name: str, build_context) -> SafeString:
    """``template_name`` rendered with ``build_context()`` (plus the request), for the person
    making the request, from the cache when their records and the content are unchanged.

    The template may use the request only for what is the same on every visit of this person
    to this page (their URL, their user); ``key`` must name everything else it depends on.
    """

    def build() -> str:
        context = {**build_context(), "request": request, "csrf_token": CSRF_PLACEHOLDER}
        return str(render_to_string(template_name, context))

    html = for_records(request.user.pk, key, build)
    if _PLACEHOLDER_INPUT in html:
        html = html.replace(_PLACEHOLDER_INPUT, format_html(_TOKEN_INPUT, get_token(request)))
    return mark_safe(html)  # noqa: S308 - rendered by a template, escaped there
