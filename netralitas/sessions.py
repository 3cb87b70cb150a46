"""Session engine: the database row is the session, the cache only a faster way to read it.

Django's cached_db backend already writes through to the database, but a few of its cache calls
(exists, delete, the refill after a miss) raise when Redis is down, and every call waits for a
dead server. Here each cache call goes through netralitas.safecache's outage switch: with Redis
down citizens and staff keep their sessions, read from PostgreSQL.
"""

from __future__ import annotations

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError, UpdateError
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.db import DatabaseError, IntegrityError, connections, router

from netralitas import safecache
from netralitas.security.randomness import random_string


class SessionStore(CachedDBStore):
    def _cache_call(self, method: str, *args, default=None):
        if not safecache.shared_cache_up():
            return default
        try:
            return getattr(self._cache, method)(*args)
        except Exception as exc:  # noqa: BLE001 - the database holds the session either way
            safecache.mark_down(exc)
            return default

    def load(self):
        data = self._cache_call("get", self.cache_key)
        if data is None:
            stored = self._get_session_from_db()
            if not stored:
                return {}
            data = self.decode(stored.session_data)
            self._cache_call("set", self.cache_key, data, self.get_expiry_age(expiry=stored.expire_date))
        return data

    def exists(self, session_key):
        if session_key and self._cache_call("has_key", self.cache_key_prefix + session_key, default=False):
            return True
        return super(CachedDBStore, self).exists(session_key)

    def _get_new_session_key(self):
        # No query (and no cache call) asking whether a fresh random key exists: create() inserts with
        # must_create, the primary key refuses a repeat (CreateError) and create() draws another key.
        return random_string(VALID_KEY_CHARS, 32)

    def save(self, must_create=False):
        if self.session_key is None:
            return self.create()  # which saves (and caches) once, with must_create
        self._save_row(must_create)
        self._cache_call("set", self.cache_key, self._session, self.get_expiry_age())

    def _save_row(self, must_create: bool) -> None:
        """The row, as Django's db backend writes it, without BEGIN and COMMIT around its one statement.

        Django wraps the INSERT or UPDATE in atomic() so that a refused INSERT inside a caller's
        transaction rolls back to a savepoint; outside one (autocommit, every request here) the statement
        is its own transaction, and the wrapper cost each new visitor's session two round trips more.
        """
        using = router.db_for_write(self.model)
        if connections[using].in_atomic_block:
            super(CachedDBStore, self).save(must_create)
            return
        # One plain statement, not Model.save() (issue 11: the ORM's compiler for three columns cost each new
        # session ~0.2 ms of CPU); the values are create_model_instance()'s, as Django's backend writes them.
        row = self.create_model_instance(self._get_session(no_load=must_create))
        meta = self.model._meta
        key, data, expires = (meta.get_field(name).column for name in ("session_key", "session_data", "expire_date"))
        connection = connections[using]
        quote = connection.ops.quote_name
        table = quote(meta.db_table)
        with connection.cursor() as cursor:
            if must_create:
                try:
                    cursor.execute(
                        f"INSERT INTO {table} ({quote(key)}, {quote(data)}, {quote(expires)}) VALUES (%s, %s, %s)",  # noqa: S608 - names from the model
                        [row.session_key, row.session_data, row.expire_date],
                    )
                except IntegrityError:
                    raise CreateError from None
                return
            try:
                cursor.execute(
                    f"UPDATE {table} SET {quote(data)} = %s, {quote(expires)} = %s WHERE {quote(key)} = %s",  # noqa: S608
                    [row.session_data, row.expire_date, row.session_key],
                )
            except DatabaseError:
                raise UpdateError from None  # as Django's backend
            if cursor.rowcount != 1:  # the row went meanwhile (signed out elsewhere, cleared): as Django's backend
                raise UpdateError

    def delete(self, session_key=None):
        super(CachedDBStore, self).delete(session_key)
        if session_key is None:
            if self.session_key is None:
                return
            session_key = self.session_key
        self._cache_call("delete", self.cache_key_prefix + session_key)
