"""The one write pattern of the loader: create what is missing, fix structure, leave the rest alone."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models


def sync_rows(
    model: type[models.Model], key: str, rows: Iterable[dict[str, Any]], *, structural: Sequence[str] = ()
) -> tuple[int, int]:
    """Bulk-create the rows of ``model`` whose natural ``key`` is missing; return (created, updated).

    Existing rows keep every field an administrator may have edited. Only the fields named in
    ``structural`` (attribute names such as ``parent_id``) are brought back to the reference value.
    """
    rows = list(rows)
    existing = {getattr(obj, key): obj for obj in model._default_manager.all()}
    new = [model(**row) for row in rows if row[key] not in existing]
    model._default_manager.bulk_create(new, batch_size=500)
    changed = []
    for row in rows:
        obj = existing.get(row[key])
        if obj is None:
            continue
        drift = [field for field in structural if getattr(obj, field) != row[field]]
        for field in drift:
            setattr(obj, field, row[field])
        if drift:
            changed.append(obj)
    if changed:
        fields = [field.removesuffix("_id") for field in structural]
        model._default_manager.bulk_update(changed, fields, batch_size=500)
    return len(new), len(changed)


def ids_by(model: type[models.Model], key: str) -> dict[Any, int]:
    return dict(model._default_manager.values_list(key, "id"))
