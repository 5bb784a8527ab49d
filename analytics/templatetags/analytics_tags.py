from django import template

register = template.Library()


@register.filter
def figure(value, unit: str = "") -> str:
    """A figure to one decimal place with its unit, or a dash where there is none."""
    if value is None:
        return "\N{EN DASH}"  # the page explains: no figure
    return f"{value:.1f}{unit}"
