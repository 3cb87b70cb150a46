"""Fields of the public forms: those that read the process's reference copy instead of the database, and files.

ReferenceChoiceField renders the provinsi and the violation catalogue from netralitas.refcache
(no query on a warm worker); SearchFormMixin resolves the instansi and kab/kota typed into a
reports.lookups.SearchChoiceField and keeps what the field shows when the form comes back.
MultipleFileField takes several evidence files in one input (the report form; the status page
uses its widget).
"""

from __future__ import annotations

import copy
from collections.abc import Callable

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator

from netralitas import refcache
from netralitas.enums import RegionLevel
from netralitas.models import Election, Region, ViolationType
from reports import lookups
from reports.evidence_checks import accept_attribute


def _violation_rows() -> list[tuple[int, str, str, str]]:
    return list(
        ViolationType.objects.filter(is_active=True)
        .order_by("sort_order", "code")
        .values_list("pk", "code", "title", "plain_explanation")
    )


def violation_rows() -> list[tuple[int, str, str, str]]:
    """(pk, code, title, explanation) of the active catalogue rows, in the catalogue's order."""
    return refcache.cached("intake-violation-rows", _violation_rows)


def provinsi_choices() -> list[tuple[int, str]]:
    return refcache.cached(
        "intake-provinsi",
        lambda: list(Region.objects.filter(level=RegionLevel.PROVINSI).order_by("name").values_list("pk", "name")),
    )


def election_choices() -> list[tuple[int, str]]:
    """(pk, name) of every election, by name."""
    return refcache.cached(
        "election-choices", lambda: list(Election.objects.order_by("name").values_list("pk", "name"))
    )


def _by_pk(queryset) -> Callable[[], dict]:
    return lambda: {obj.pk: obj for obj in _queryset(queryset).all()}


def _queryset(queryset):
    return queryset() if callable(queryset) else queryset


def reference_object(key: str, queryset, pk) -> object | None:
    """A copy of the row ``pk`` of ``queryset`` from the process's reference copy, or None when not there.

    ``queryset`` may be a function that makes it: then it is built only when the copy is (re)loaded, not for
    every look-up (issue 11). The copy keeps rows loaded with select_related; callers may change it without
    touching the shared one.
    """
    if settings.NETRALITAS_REFERENCE_CACHE_SECONDS <= 0:  # no process copies (tests): read the one row
        return _queryset(queryset).filter(pk=pk).first()
    found = refcache.cached(key, _by_pk(queryset)).get(pk)
    return copy.copy(found) if found is not None else None


class ReferenceChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options come from a cached list of (pk, label): rendering reads no database,
    and neither does cleaning: the chosen row is a copy from the process's reference copy of the queryset."""

    def __init__(self, queryset, *, rows, cache_key: str, **kwargs):
        self.rows = rows
        self.cache_key = cache_key
        super().__init__(queryset, **kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        try:
            pk = self.queryset.model._meta.pk.to_python(value)
        except ValidationError:
            pk = None
        found = reference_object(self.cache_key, self.queryset, pk) if pk is not None else None
        if found is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return found

    def _get_choices(self):
        return _CachedRows(self)

    choices = property(_get_choices, forms.ChoiceField.choices.fset)


class _CachedRows(BaseChoiceIterator):
    """The choices of a ReferenceChoiceField, read when the widget renders (not when the form class is made)."""

    def __init__(self, field: ReferenceChoiceField):
        self.field = field

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        yield from self.field.rows()


class SearchFormMixin:
    """Forms with SearchChoiceFields: resolve each to its object, keep what to show when the form comes back."""

    search_models: dict = {}

    def _resolve(self, name: str, *, group: int | None = None, noun: str, example: str) -> int | None:
        text, chosen = self.cleaned_data.get(name) or ("", "")
        try:
            return lookups.resolve(self.fields[name].index_name, text, chosen, group=group, noun=noun, example=example)
        except lookups.Ambiguous as ambiguous:
            self.candidates[name] = [(entry.id, lookups.label(entry)) for entry in ambiguous.candidates]
            raise ValidationError(ambiguous.messages[0], code="ambiguous") from None

    def search_state(self, name: str) -> dict:
        """What the search field shows: the text, the chosen id, and candidates after an ambiguous attempt."""
        field = self.fields[name]
        if self.is_bound:
            text, chosen = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
            text, chosen = text or "", chosen or ""
        else:
            text, chosen = "", str(self.initial.get(name) or "")
        resolved = (getattr(self, "cleaned_data", None) or {}).get(name)
        if resolved is not None and hasattr(resolved, "pk"):
            chosen = str(resolved.pk)
        if chosen.isdigit() and name not in self.candidates:
            entry = lookups.find(field.index_name, int(chosen))
            if entry is not None and (not text or resolved is not None):
                text = entry.name
        return {
            "text": text,
            "chosen": chosen if chosen.isdigit() else "",
            "candidates": self.candidates.get(name, []),
            "source": field.source_url,
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; cleans to a list (possibly empty)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute()}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []
