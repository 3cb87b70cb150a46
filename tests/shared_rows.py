"""Rows built once per test module: Django's TestCase.setUpTestData, for pytest.

A shared fixture (the cast, the IDOR world, the generated scale data) registers a builder with the
module's ModuleRows. The rows live in a transaction around the module's tests: every test that asks
for them runs in a savepoint inside it (pytest-django's own per-test transaction, rolled back after
the test) and gets deep copies of the built objects. So what a test changes, in the database or on
an object, no other test sees, whatever the order or the xdist worker.

Only the tests that ask for the rows may see them, and a transactional test (``transaction=True``,
``transactional_db``, ``live_server``) commits and empties the tables, so it may not run inside:
before any other database test of the module (tests/conftest.py, pytest_runtest_setup) the
transaction is rolled back, and the next test that asks for the rows builds them again.
"""

from __future__ import annotations

import copy
import shutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from django.db import transaction
from django.test import override_settings

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def is_transactional(item) -> bool:
    """pytest-django's rule: does this test run as a TransactionTestCase (committing, flushing)?"""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transactional, reset_sequences, *_ = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    return bool({"transactional_db", "live_server", "django_db_reset_sequences"} & set(item.fixturenames))


def uses_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or "_django_db_helper" in item.fixturenames


def uses_shared_rows(item) -> bool:
    return "module_rows" in item.fixturenames and not is_transactional(item)


class ModuleRows:
    """One module's transaction and the objects its builders made in it (see the module docstring)."""

    _of_module: ClassVar[dict[str, ModuleRows]] = {}

    def __init__(self, module_id: str, blocker, media_root: Path):
        self.module_id, self.blocker, self.media_root = module_id, blocker, media_root
        self.builders: dict[str, Callable[[], Any]] = {}
        self.values: dict[str, Any] = {}
        self.atomic = None
        ModuleRows._of_module[module_id] = self

    @classmethod
    def of(cls, module_id: str) -> ModuleRows | None:
        return cls._of_module.get(module_id)

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def open(self) -> None:
        """Begin the module's transaction and run the builders registered so far, in their order."""
        if self.is_open:
            return
        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            # As Django's TestCase marks its own: a durable atomic block inside still works.
            self.atomic._from_testcase = True
            self.atomic.__enter__()
        for name in self.builders:
            self._build(name)

    def build(self, name: str, make: Callable[[], Any]) -> Any:
        """Register ``make`` as the builder of ``name`` and build it now when the rows are open.

        ``make`` reads what it needs of other builders from ``self.values``, so a rebuild after a
        close uses the new rows. Returns the value, or None when the rows are closed.
        """
        self.builders.setdefault(name, make)
        if self.is_open and name not in self.values:
            self._build(name)
        return self.values.get(name)

    def _build(self, name: str) -> None:
        from netralitas import refcache, safecache

        caches = _caches_with_prefix(f"module-{uuid.uuid4().hex[:12]}")
        with (
            self.blocker.unblock(),
            override_settings(
                PASSWORD_HASHERS=FAST_HASHERS,
                NETRALITAS_REFERENCE_CACHE_SECONDS=0,
                MEDIA_ROOT=str(self.media_root),
                CACHES=caches,
            ),
        ):
            refcache.clear()
            safecache.reset()
            with transaction.atomic():  # a failed build rolls back alone and leaves the module usable
                self.values[name] = self.builders[name]()
            refcache.clear()

    def copies(self) -> dict[str, Any]:
        """Deep copies of everything built, one set per test (objects shared within the set)."""
        return copy.deepcopy(self.values) if self.is_open else {}

    def close(self) -> None:
        """Roll the module's transaction back; the values go with it."""
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None
        self.values = {}
        shutil.rmtree(self.media_root, ignore_errors=True)  # the files of the rows rolled back
        self.media_root.mkdir()

    def end(self) -> None:
        self.close()
        ModuleRows._of_module.pop(self.module_id, None)

    @classmethod
    def before(cls, item) -> None:
        """Before ``item``'s fixtures: only a test that asks for the rows may run inside them."""
        for rows in list(cls._of_module.values()):
            if rows.is_open and (is_transactional(item) or (uses_database(item) and not uses_shared_rows(item))):
                rows.close()
        rows = cls.of(item.module.__name__)
        if rows is not None and uses_shared_rows(item):
            rows.open()


def _caches_with_prefix(prefix: str) -> dict:
    from django.conf import settings

    return {alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()}
