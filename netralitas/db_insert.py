"""A new row and the new rows that point at it, written in one statement (PostgreSQL's data-modifying WITH).

The ORM writes each model with its own INSERT, through its compiler (issue 11: ~1.5 ms of Python and
four round trips for a citizen's report). Here one statement carries them all:

    WITH "p" AS (INSERT INTO parent (...) VALUES (...) RETURNING "id"),
         "c0" AS (INSERT INTO child (fk, ...) SELECT "p"."id", "v"."c0", ... FROM "p",
                  (VALUES (0, %s::type, ...), (1, ...)) AS "v" ("n", "c0", ...) ORDER BY "v"."n" RETURNING "id"),
         ...
    SELECT "p"."id", ARRAY(SELECT "id" FROM "c0" ORDER BY "id"), ... FROM "p"

built from each model's _meta as the ORM builds its INSERT: its local concrete fields, field.pre_save(obj,
add=True) and field.get_db_prep_save(). A child's placeholders are cast to the column's type without its
length (varchar, not varchar(160)), so a VALUES list is typed as the table is and a value too long still
fails as in the ORM's INSERT instead of being cut.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence

from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models import Field, ForeignKey, Model
from django.db.models.signals import post_save, pre_save

__all__ = ["insert_with_children", "supported"]

_TYPE_MODIFIER = re.compile(r"\([^)]*\)")


def supported(using: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether insert_with_children runs on the database ``using``: PostgreSQL only."""
    return connections[using].vendor == "postgresql"


def insert_with_children(
    parent: Model,
    children: Sequence[Model],
    *,
    dependents: Sequence[tuple[str, Sequence]] = (),
    using: str = DEFAULT_DB_ALIAS,
) -> list[list]:
    """INSERT the new ``parent`` and the new ``children``, each pointing at it by a ForeignKey, in one statement.

    Writes what ``save(force_insert=True)`` would write for each object; the rows of one model get their
    ids in the order given. Afterwards every object looks as save() leaves it: its pk and its key to
    ``parent`` set, ``_state.adding`` False, ``_state.db`` ``using``, what pre_save filled in (auto_now)
    on it; pre_save and post_save (created) reach their receivers, children's too. Model.save() itself is
    not called: only for models whose save() adds nothing to an INSERT (an append-only model's refuses
    a second save, and so does this function).

    Raises ValueError (nothing written) for a row already saved or without an automatic primary key, a
    multi-table child, a child not pointing at ``parent``, an unsaved related object (as save() does) or an
    expression as a value; the database's IntegrityError or DataError as the ORM's INSERT would, the
    objects then still unsaved. Run it in the caller's transaction.

    ``dependents`` are further rows of the same statement, each given as (sql, params): an ``INSERT … SELECT …
    FROM "p" … RETURNING`` one column, where ``"p"`` is the parent's new row (a value computed from its id,
    such as an outbox message's dedupe key). Returns, for each, the values it returned.
    """
    connection = connections[using]
    for obj in (parent, *children):
        if obj.pk is not None or not obj._state.adding:
            raise ValueError(f"{type(obj).__name__} {obj.pk}: new rows only")
    groups: dict[type[Model], list[Model]] = {}
    for child in children:
        groups.setdefault(type(child), []).append(child)
    links = {model: _link(model, parent, rows) for model, rows in groups.items()}
    for obj in (parent, *children):
        # As save() does (a related object assigned before it was saved is refused), but not for the key to
        # the parent, which is written in the same statement.
        obj._prepare_related_fields_for_save("save", fields=_checked_fields(type(obj), links.get(type(obj))))
    for obj in (parent, *children):
        pre_save.send(sender=type(obj), instance=obj, raw=False, using=using, update_fields=None)

    table = _Table.of(type(parent), using)
    params = _values(parent, table, connection)
    ctes = [f'"p" AS ({table.insert})']
    results = [f'"p".{table.pk}']
    for number, (model, rows) in enumerate(groups.items()):
        table = _Table.of(model, using, links[model])
        for row in rows:
            params += _values(row, table, connection)
        values = ", ".join(f"({n}, {table.cast_row})" for n in range(len(rows)))
        ctes.append(f'"c{number}" AS ({table.insert_head}{values}{table.insert_tail})')
        results.append(f'ARRAY(SELECT {table.pk} FROM "c{number}" ORDER BY {table.pk})')  # noqa: S608 - from _meta
    for number, (dependent, dependent_params) in enumerate(dependents):
        ctes.append(f'"d{number}" AS ({dependent})')
        results.append(f'ARRAY(SELECT * FROM "d{number}")')  # noqa: S608 - no value in the text
        params += list(dependent_params)
    sql = f'WITH {", ".join(ctes)} SELECT {", ".join(results)} FROM "p"'  # noqa: S608 - names from _meta

    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        parent_pk, *ids = cursor.fetchone()
    ids, returned = ids[: len(groups)], ids[len(groups) :]
    _saved(parent, parent_pk, using)
    for (model, rows), pks in zip(groups.items(), ids, strict=True):
        if len(pks) != len(rows):
            raise RuntimeError(f"{len(rows)} rows of {model.__name__} given, {len(pks)} written")
        link = links[model].name
        for row, pk in zip(rows, pks, strict=True):
            setattr(row, link, parent)  # as save() does: the key from the parent, which stays cached
            _saved(row, pk, using)
    for obj in (parent, *children):
        post_save.send(sender=type(obj), instance=obj, created=True, update_fields=None, raw=False, using=using)
    return [list(values) for values in returned]


class _Table:
    """What an INSERT into a model's table needs, computed once per model, database and link to the parent."""

    def __init__(self, model: type[Model], using: str, link: Field | None):
        connection = connections[using]
        quote = connection.ops.quote_name
        meta = model._meta
        if meta.parents:
            raise ValueError(f"{model.__name__}: a multi-table model needs one INSERT per table")
        if meta.auto_field is None:
            raise ValueError(f"{model.__name__}: new rows only, with an automatic primary key")
        self.pk = quote(meta.pk.column)
        self.fields = [
            f for f in meta.local_concrete_fields if not f.generated and f is not meta.auto_field and f is not link
        ]
        table, columns = quote(meta.db_table), ", ".join(quote(f.column) for f in self.fields)
        # Names come from the models' _meta; every value travels as a parameter.
        if link is None:
            row = ", ".join(["%s"] * len(self.fields))
            self.insert = f"INSERT INTO {table} ({columns}) VALUES ({row}) RETURNING {self.pk}"  # noqa: S608
        else:
            aliases = [f'"c{i}"' for i in range(len(self.fields))]
            selected = ", ".join(f'"v".{alias}' for alias in aliases)
            target = quote(link.target_field.column)
            self.insert_head = (
                f'INSERT INTO {table} ({quote(link.column)}, {columns}) SELECT "p".{target}, {selected} '  # noqa: S608
                'FROM "p", (VALUES '
            )
            self.insert_tail = f') AS "v" ("n", {", ".join(aliases)}) ORDER BY "v"."n" RETURNING {self.pk}'
            types = [_TYPE_MODIFIER.sub("", field.cast_db_type(connection)) for field in self.fields]
            self.cast_row = ", ".join(f"%s::{db_type}" for db_type in types)

    @staticmethod
    @functools.cache
    def of(model: type[Model], using: str, link: Field | None = None) -> _Table:
        return _Table(model, using, link)


@functools.cache
def _checked_fields(model: type[Model], skip: Field | None) -> frozenset[Field]:
    """The fields whose related objects save() checks, but the key to the parent: a set, since Django's check asks
    ``field not in fields`` for each field (a list cost a report ~1,200 Field.__eq__ calls)."""
    return frozenset(field for field in model._meta.concrete_fields if field is not skip)


def _values(obj: Model, table: _Table, connection) -> list:
    """The row ``obj`` adds, as SQLInsertCompiler prepares it: pre_save(add=True), then get_db_prep_save."""
    values = []
    for field in table.fields:
        value = field.pre_save(obj, add=True)
        if hasattr(value, "resolve_expression"):
            raise ValueError(f"{type(obj).__name__}.{field.name}: an expression needs the ORM's INSERT")
        values.append(field.get_db_prep_save(value, connection=connection))
    return values


def _link(model: type[Model], parent: Model, rows: list[Model]) -> ForeignKey:
    """The ForeignKey by which every one of ``rows`` points at ``parent`` (assigned as an object)."""
    parent_model = type(parent)
    for field in model._meta.local_concrete_fields:
        if (
            field.is_relation
            and field.related_model is parent_model
            and field.target_field is parent_model._meta.pk
            and all(field.is_cached(row) and field.get_cached_value(row) is parent for row in rows)
        ):
            return field
    raise ValueError(f"a {model.__name__} given does not point at the {parent_model.__name__} to insert")


def _saved(obj: Model, pk, using: str) -> None:
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = using
