"""A form renderer that writes the common widgets in Python, byte for byte as Django's templates do.

Django renders every widget through a chain of small templates (text.html → input.html →
attrs.html; a radio button through four). On the public report form that was ~60 template
renders per page, more than half of the page's CPU (issue 11's profile). PlainRenderer produces
the same HTML for the input, radio/checkbox option, textarea and select templates directly, and
hands every other template to Django's renderer. tests/test_form_page_budget.py checks the
output equals the templates' for every widget of the public forms, bound and unbound.
"""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.safestring import SafeData, mark_safe

_CONTEXT = Context(autoescape=True)
_INPUTS = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in ("text", "hidden", "email", "date", "password", "number", "url", "checkbox", "datetime", "time")
)
_OPTIONS = frozenset(("django/forms/widgets/radio_option.html", "django/forms/widgets/checkbox_option.html"))
_SELECT_OPTION = "django/forms/widgets/select_option.html"


def _text(value) -> str:
    """{{ value }} in an autoescaping template."""
    return render_value_in_context(value, _CONTEXT)


def _string(value) -> str:
    """{{ value|stringformat:'s' }}: the filter keeps a safe value safe (is_safe)."""
    formatted = stringformat(value, "s")
    return _text(mark_safe(formatted) if isinstance(value, SafeData) else formatted)  # noqa: S308 - was safe


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        out.append(f" {_text(name)}")
        if value is not True:
            out.append(f'="{_string(value)}"')
    return "".join(out)


def _input(widget: dict) -> str:
    """django/forms/widgets/input.html, without its trailing newline."""
    value = f' value="{_string(widget["value"])}"' if widget["value"] != None else ""  # noqa: E711 - as the template
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{value}{_attrs(widget["attrs"])}>'


def _option_input(widget: dict) -> str:
    """django/forms/widgets/input_option.html (radio and checkbox options), stripped."""
    html = _input(widget)
    if not widget.get("wrap_label"):
        return html
    label_for = f' for="{_text(widget["attrs"]["id"])}"' if widget["attrs"].get("id") else ""
    return f"<label{label_for}>{html}\n {_text(widget['label'])}</label>"


def _textarea(widget: dict) -> str:
    value = _text(widget["value"]) if widget["value"] else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{value}</textarea>'


def _select(widget: dict) -> str | None:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            if option["template_name"] != _SELECT_OPTION:
                return None
            value, attrs, label = _string(option["value"]), _attrs(option["attrs"]), _text(option["label"])
            parts.append(f'\n  <option value="{value}"{attrs}>{label}</option>\n')
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return "".join(parts)


class PlainRenderer(DjangoTemplates):
    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in _INPUTS:
                return _input(widget)
            if template_name in _OPTIONS:
                return _option_input(widget)
            if template_name == "django/forms/widgets/textarea.html":
                return _textarea(widget)
            if template_name == "django/forms/widgets/select.html":
                html = _select(widget)
                if html is not None:
                    return html
        return super().render(template_name, context, request)


PLAIN_RENDERER = PlainRenderer()
