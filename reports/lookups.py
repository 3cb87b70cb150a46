"""Finding an instansi or a kabupaten/kota by what a citizen types, for the report form.

The form carries no list of 700 instansi or 514 kab/kota: the citizen types, and either the
combobox (static/js/combobox.js) asks the JSON endpoint (reports.public.autocomplete) for matches, or,
without JavaScript, the server resolves the text when the form is sent and, when several match,
shows them as choices next to the field. Both use the same search here.

The search runs over a per-process index of the active rows (netralitas.refcache: loaded with
one query, refreshed when an Organisation or Region is saved and every
NETRALITAS_REFERENCE_CACHE_SECONDS): a query costs no database round trip on a warm worker and
one on a cold one. Every word typed must start a word of the name or of its short name
("kab sleman", "kemenag"); matches are ranked exact name first, then by kind and name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from netralitas import refcache
from netralitas.enums import INSTANSI_KINDS, OrganisationKind, RegionLevel
from netralitas.models import Organisation, Region

MAX_RESULTS = 10
MIN_QUERY = 2
MAX_QUERY = 100
_KIND_ORDER = {
    OrganisationKind.PEMDA_PROVINSI: 0,
    OrganisationKind.PEMDA_KABUPATEN: 1,
    OrganisationKind.PEMDA_KOTA: 2,
    OrganisationKind.KEMENTERIAN_LEMBAGA: 3,
}


@dataclass(frozen=True)
class Entry:
    id: int
    name: str
    detail: str  # shown after the name: the kind of instansi, the provinsi of a kab/kota
    group: int  # a narrowing key: the provinsi of a kab/kota (0 for instansi)
    order: int
    words: tuple[str, ...]
    folded: str


def fold(text: str) -> str:
    """Lowercase, accents and punctuation removed, runs of space squeezed: what the index compares."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


def _entry(pk: int, name: str, detail: str, group: int, order: int, *aliases: str) -> Entry:
    folded = fold(" ".join([name, *aliases]))
    return Entry(pk, name, detail, group, order, tuple(folded.split()), fold(name))


def _instansi_index() -> list[Entry]:
    rows = Organisation.objects.filter(kind__in=INSTANSI_KINDS, is_active=True).values_list(
        "pk", "name", "abbreviation", "kind"
    )
    labels = dict(OrganisationKind.choices)
    return sorted(
        (
            _entry(pk, name, str(labels[kind]), 0, _KIND_ORDER.get(kind, 9), abbreviation)
            for pk, name, abbreviation, kind in rows
        ),
        key=lambda entry: (entry.order, entry.folded),
    )


def _kabkota_index() -> list[Entry]:
    rows = Region.objects.filter(level__in=[RegionLevel.KABUPATEN, RegionLevel.KOTA]).values_list(
        "pk", "name", "parent_id", "parent__name"
    )
    return sorted(
        (_entry(pk, name, provinsi, parent, 0, provinsi) for pk, name, parent, provinsi in rows),
        key=lambda entry: entry.folded,
    )


INDEXES = {"instansi": _instansi_index, "kabkota": _kabkota_index}


def index(name: str) -> list[Entry]:
    return refcache.cached(f"lookup-{name}", INDEXES[name])


def search(name: str, query: str, *, group: int | None = None, limit: int = MAX_RESULTS) -> list[Entry]:
    """Entries of index ``name`` matching ``query`` (every word a word prefix), best first; at most ``limit``."""
    needle = fold(query)[:MAX_QUERY]
    if len(needle) < MIN_QUERY:
        return []
    tokens = needle.split()
    exact, rest = [], []
    for entry in index(name):
        if group and entry.group != group:
            continue
        if entry.folded == needle:
            exact.append(entry)
        elif all(any(word.startswith(token) for word in entry.words) for token in tokens):
            rest.append(entry)
    return (exact + rest)[:limit]


def label(entry: Entry) -> str:
    return f"{entry.name} ({entry.detail})" if entry.detail else entry.name


def find(name: str, pk: int) -> Entry | None:
    return refcache.cached(f"lookup-{name}-by-id", lambda: {entry.id: entry for entry in index(name)}).get(pk)


class Ambiguous(ValidationError):
    """Several entries match: ``candidates`` are offered as choices next to the field."""

    def __init__(self, message: str, candidates: list[Entry]):
        super().__init__(message, code="ambiguous")
        self.candidates = candidates


def resolve(name: str, text: str, chosen: str, *, group: int | None = None, noun: str, example: str) -> int:
    """The id the citizen means: the chosen one when it fits the text, else the one match of the text.

    ``chosen`` comes from the combobox (or a choice offered after an ambiguous attempt); it is
    taken when the text is empty or matches it. Raises ValidationError (nothing typed, nothing
    found) or Ambiguous (several found, with the candidates).
    """
    text = (text or "").strip()
    if chosen.isdigit():
        # The group (a provinsi) only narrows a text search; the form says when a chosen entry lies outside it.
        entry = find(name, int(chosen))
        if entry is not None and (
            not text or fold(text) in (entry.folded, fold(label(entry))) or entry in search(name, text, limit=10**6)
        ):
            return entry.id
    if not text:
        raise ValidationError(
            _("Tulis %(noun)s, misalnya %(example)s.") % {"noun": noun, "example": example}, code="required"
        )
    matches = search(name, text, group=group, limit=MAX_RESULTS + 1)
    exact = [entry for entry in matches if entry.folded in (fold(text), fold(label(entry)))]
    if len(exact) == 1 or len(matches) == 1:
        return (exact or matches)[0].id
    if not matches:
        raise ValidationError(
            _("%(noun)s «%(text)s» tidak ditemukan. Periksa ejaannya, misalnya %(example)s.")
            % {"noun": noun[:1].upper() + noun[1:], "text": text[:80], "example": example},
            code="not_found",
        )
    raise Ambiguous(
        _("Ada beberapa %(noun)s yang cocok dengan «%(text)s». Pilih salah satu di bawah, atau tulis lebih lengkap.")
        % {"noun": noun, "text": text[:80]},
        matches[:MAX_RESULTS],
    )


# ---------------------------------------------------------------- the form field


class SearchChoiceWidget(forms.MultiWidget):
    """A visible text box (``<name>_text``) and the chosen id (``<name>``), rendered by reports/_search_field.html."""

    def __init__(self, attrs=None):
        super().__init__(
            {"text": forms.TextInput(attrs={"autocomplete": "off", "maxlength": MAX_QUERY * 2}), "": forms.HiddenInput},
            attrs,
        )

    def decompress(self, value):
        return ["", value] if value else ["", ""]


class SearchChoiceField(forms.MultiValueField):
    """Cleans to (text, chosen id as a string); the form resolves it with resolve() and keeps the candidates."""

    widget = SearchChoiceWidget

    def __init__(self, *, index_name: str, source_url: str, **kwargs):
        self.index_name = index_name
        self.source_url = source_url
        fields = (
            forms.CharField(max_length=MAX_QUERY * 2, required=False),
            forms.CharField(max_length=20, required=False),
        )
        super().__init__(fields, require_all_fields=False, **kwargs)

    def compress(self, data_list):
        text, chosen = (list(data_list) + ["", ""])[:2]
        return (text or "", chosen or "")
