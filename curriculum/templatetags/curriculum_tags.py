"""Template filters for authored text."""

from django import template
from django.utils.safestring import mark_safe

from curriculum.rendering import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Markdown to sanitised HTML (see ``curriculum.rendering``)."""
    return mark_safe(render_markdown(text))  # noqa: S308 - cleaned by nh3
