"""Template filters and tags for authored text."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from curriculum.rendering import render_markdown
from home.caching import for_content

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Markdown to sanitised HTML (see ``curriculum.rendering``)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - cleaned by nh3


@register.simple_tag(takes_context=True)
def lesson_body(context, page):
    """The lesson's blocks, each in its ``<div class="block ...">``.

    Blocks that read the same for everyone are rendered once per content version and kept in
    the cache (a publish starts a new version); blocks marked ``per_reader`` (a reflection with
    the reader's saved answer, the feedback-loop figure at the reader's gain, the instrument with
    the reader's practice score) are rendered for each request. A preview renders everything.
    """
    request = context.get("request")
    if page.live and request is not None and not getattr(request, "is_preview", False):
        parts = for_content(f"lesson-body:{page.pk}", lambda: _shared_parts(page))
    else:
        parts = range(len(page.body))
    html = []
    for part in parts:
        if isinstance(part, str):
            html.append(part)
        else:
            child = page.body[part]
            rendered = child.render_as_block(context={**context.flatten(), "block_id": child.id})
            html.append(_wrapped(child.block_type, child.id, rendered))
    return mark_safe("".join(html))  # noqa: S308 - each part is built by format_html


def _shared_parts(page) -> list:
    """Rendered HTML for every block that reads the same for everyone; the position of each
    block that is rendered per reader instead."""
    parts = []
    for index, child in enumerate(page.body):
        if child.block.per_reader:  # every lesson block declares it (curriculum.blocks)
            parts.append(index)
        else:
            rendered = child.render_as_block(context={"page": page, "block_id": child.id})
            parts.append(str(_wrapped(child.block_type, child.id, rendered)))
    return parts


def _wrapped(block_type: str, block_id: str, rendered: str) -> str:
    return format_html(
        '<div class="block block--{}" id="block-{}">{}</div>', block_type, block_id, rendered
    )
