"""Each public form's fields copied from the class's prototypes without copy.deepcopy (issue 11).

Django gives every form instance its own fields with ``copy.deepcopy(base_fields)``: a copy of
each field, its widget and, for choice fields, a deep copy of every choice, lazy translated
labels included (copy's __reduce_ex__ machinery for each). The report form and the terlapor form
are built on every submission (~35 fields), so that copying was a tenth of the intake's Python.

A form only changes, per instance, what it assigns (a field's choices, a widget's choices) and
the widgets' ``attrs`` (PlainBootstrapMixin's classes and ARIA links, the error marks), never a
choice list or an error message in place. So each field is copied as Django's __deepcopy__ copies
it, but shallowly below: the field's and the widget's attribute dicts, the widget's ``attrs``, the
error messages and validators (as Django does), a list of choices as a new list of the same
(immutable) pairs, the sub-fields and sub-widgets of multi-value fields the same way, and a
ModelChoiceField's queryset cloned (a ReferenceChoiceField never evaluates its own queryset, so
it keeps it and only points its widget at the copy's choices).
"""

from __future__ import annotations

from django import forms
from django.forms.widgets import ChoiceWidget


def _shallow(obj):
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    return new


def copy_widget(widget: forms.Widget) -> forms.Widget:
    new = _shallow(widget)
    new.attrs = widget.attrs.copy()
    if isinstance(widget, ChoiceWidget):  # Django copies the choices with copy.copy
        # Stored as they are: the prototype's setter normalised them already (the setter again cost each
        # submission ~2 % of its Python, issue 11).
        choices = widget.choices
        if isinstance(choices, list):
            new._choices = list(choices)
        elif hasattr(choices, "__dict__"):  # an iterator object (a ReferenceChoiceField's rows)
            new._choices = _shallow(choices)
    if isinstance(widget, forms.MultiWidget):
        new.widgets = [copy_widget(sub) for sub in widget.widgets]
    return new


def copy_field(field: forms.Field) -> forms.Field:
    from reports.public.formfields import ReferenceChoiceField

    new = _shallow(field)
    new.widget = copy_widget(field.widget)
    new.error_messages = field.error_messages.copy()
    new.validators = field.validators[:]
    if isinstance(field, forms.ModelChoiceField):
        if isinstance(field, ReferenceChoiceField):
            new.widget.choices = new.choices  # rows read through the copy, as ModelChoiceField's setter does
        elif field.queryset is not None:
            new.queryset = field.queryset.all()
    elif isinstance(field, forms.ChoiceField) and isinstance(field._choices, list):
        new._choices = list(field._choices)
    if isinstance(field, forms.MultiValueField):
        new.fields = tuple(copy_field(sub) for sub in field.fields)
    return new


class FieldPrototypes(dict):
    """A form class's ``base_fields`` whose deep copy (BaseForm.__init__) is copy_field of each field."""

    def __deepcopy__(self, memo):
        return {name: copy_field(field) for name, field in self.items()}


def use_field_prototypes(form_class: type[forms.BaseForm]) -> None:
    """Make ``form_class`` (and not its bases) copy its fields with copy_field; idempotent."""
    base_fields = form_class.__dict__.get("base_fields")
    if base_fields is not None and not isinstance(base_fields, FieldPrototypes):
        form_class.base_fields = FieldPrototypes(base_fields)
