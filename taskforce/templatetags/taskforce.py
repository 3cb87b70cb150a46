"""Template filters of the Satgas pages."""

from django import template

from taskforce.monev_files import display

register = template.Library()


@register.filter
def monev_cell(value) -> str:
    """A monev table cell as the PDF shows it ("-" for nothing, a decimal comma)."""
    return display(value)
