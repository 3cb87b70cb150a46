"""Bootstrap classes and ARIA links on plain Django widgets, so the public form renders with a plain loop.

crispy-forms renders each field through several templates; the report form has ~40 fields and
is shown again after every mistake, so the public pages use reports/_field.html and friends
instead, and this mixin puts on each widget what those templates expect: the Bootstrap class,
aria-describedby pointing at the help text and the error, aria-invalid when there is an error.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import cached_property

from reports.public.fieldcopy import use_field_prototypes
from reports.public.formrender import PLAIN_RENDERER

_CHECK_WIDGETS = (forms.RadioSelect, forms.CheckboxSelectMultiple, forms.CheckboxInput)


class PlainBootstrapMixin:
    # Widgets written in Python, the same HTML as Django's templates (reports.public.formrender).
    default_renderer = PLAIN_RENDERER

    def __init__(self, *args, **kwargs):
        use_field_prototypes(type(self))  # the fields copied without copy.deepcopy (reports.public.fieldcopy)
        super().__init__(*args, **kwargs)
        for name, attrs in _widget_attrs(type(self), self.auto_id, self.prefix).items():
            self.fields[name].widget.attrs.update(attrs)

    def _clean_fields(self):
        """Django's BaseForm._clean_fields without a BoundField per field.

        Each BoundField asked for its field's translated help text (issue 11: ~3 % of a submission's Python);
        on a valid submission none is shown. The value cleaned is the one BoundField.data and .initial give,
        through the field's own clean; a field with its own _clean_bound_field still gets its BoundField.
        """
        for name, field in self.fields.items():
            try:
                self.cleaned_data[name] = self._clean_field_value(name, field)
                clean_name = getattr(self, f"clean_{name}", None)
                if clean_name is not None:
                    self.cleaned_data[name] = clean_name()
            except ValidationError as error:
                self.add_error(name, error)

    def _clean_field_value(self, name, field):
        how = type(field)._clean_bound_field
        if how is forms.Field._clean_bound_field:
            if field.disabled:
                return field.clean(self.get_initial_for_field(field, name))
            return field.clean(self._widget_data_value(field.widget, self.add_prefix(name)))
        if how is forms.FileField._clean_bound_field:
            initial = self.get_initial_for_field(field, name)
            value = initial if field.disabled else self._widget_data_value(field.widget, self.add_prefix(name))
            return field.clean(value, initial)
        return field._clean_bound_field(self[name])

    @cached_property
    def changed_data(self):
        """Django's, without a BoundField per field (as _clean_fields): a formset asks it of every form it cleans.

        A field showing its hidden initial still goes through its BoundField.
        """
        changed = []
        for name, field in self.fields.items():
            if field.show_hidden_initial:
                if self[name]._has_changed():
                    changed.append(name)
            elif field.has_changed(
                self.get_initial_for_field(field, name), self._widget_data_value(field.widget, self.add_prefix(name))
            ):
                changed.append(name)
        return changed

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields or isinstance(self.fields[name].widget, forms.RadioSelect):
                continue
            attrs = self.fields[name].widget.attrs
            error_id = f"{self.auto_id % self.add_prefix(name)}_error"
            described = attrs.get("aria-describedby", "").split()
            if error_id not in described:
                attrs["aria-describedby"] = " ".join([error_id, *described])
            attrs["aria-invalid"] = "true"
            if "is-invalid" not in attrs.get("class", ""):
                attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()


_ATTRS_CACHE: dict[tuple, dict[str, dict[str, str]]] = {}


def _widget_attrs(form_class, auto_id, prefix) -> dict[str, dict[str, str]]:
    """What __init__ puts on each widget of ``form_class``'s fields: worked out once per class, id format and prefix.

    Each new form used to work it out again (an isinstance chain and a translated help text per field, ~40
    fields per submission: issue 11). The answer depends only on the class's fields, so it is kept; fields a
    form adds or changes in its own __init__ after this mixin's are not in it (none of the public forms does).
    """
    key = (form_class, auto_id, prefix)
    found = _ATTRS_CACHE.get(key)
    if found is None:
        found = {}
        for name, field in form_class.base_fields.items():
            widget = field.widget
            if isinstance(widget, forms.HiddenInput) or "class" in widget.attrs:
                continue
            attrs = {}
            if isinstance(widget, _CHECK_WIDGETS):
                attrs["class"] = "form-check-input"
            elif isinstance(widget, forms.Select):
                attrs["class"] = "form-select"
            else:
                attrs["class"] = "form-control"
            if field.help_text and not isinstance(widget, forms.RadioSelect):
                html_name = f"{prefix}-{name}" if prefix else name  # as BaseForm.add_prefix
                attrs["aria-describedby"] = f"{auto_id % html_name}_helptext"
            found[name] = attrs
        if len(_ATTRS_CACHE) > 256:  # prefixes are bounded (terlapor-0 … terlapor-9, __prefix__): a safety net
            _ATTRS_CACHE.clear()
        _ATTRS_CACHE[key] = found
    return found


def clear_invalid(form, keep: tuple[str, ...] = ()) -> None:
    """Undo what full_clean marked on the widgets (the form is shown again without its errors)."""
    for name, field in form.fields.items():
        if name in keep:
            continue
        attrs = field.widget.attrs
        attrs.pop("aria-invalid", None)
        if "class" in attrs:
            attrs["class"] = " ".join(part for part in attrs["class"].split() if part != "is-invalid")
        error_id = f"{form.auto_id % form.add_prefix(name)}_error" if form.auto_id else ""
        described = [part for part in attrs.get("aria-describedby", "").split() if part != error_id]
        if described:
            attrs["aria-describedby"] = " ".join(described)
        else:
            attrs.pop("aria-describedby", None)
