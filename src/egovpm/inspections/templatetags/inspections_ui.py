"""Template filters of the inspections app."""

from __future__ import annotations

from django import template

from egovpm.inspections.choices import Area

register = template.Library()


@register.filter
def inspection_area(value: str) -> str:
    """The (translated) label of a scope area; an unknown value as it is."""
    try:
        return str(Area(value).label)
    except ValueError:
        return value
