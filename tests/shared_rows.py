"""Rows built once per test module: Django's TestCase.setUpTestData, for pytest.

The first test of a module that asks for a shared fixture (the cast, the IDOR world) opens a
transaction around the module. The shared fixtures build their rows in it once; every test of the
module then runs in a savepoint inside it (pytest-django's own per-test transaction, rolled back
after the test) and gets deep copies of the built objects. So what a test changes, in the database
or on an object, no other test sees, whatever the order or the xdist worker. The transaction is
rolled back after the module's last test.

A transactional test (``django_db(transaction=True)``, ``transactional_db``, ``live_server``)
commits and empties the tables, so it never runs inside: the module's transaction is rolled back
before it starts, and it builds its own rows as before (tests/conftest.py, pytest_runtest_setup).
"""

from __future__ import annotations

import copy
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


class ModuleRows:
    """The module's transaction and the objects built in it (see the module docstring)."""

    _open: ClassVar[list[ModuleRows]] = []

    def __init__(self, blocker, media_root: Path, *, enabled: bool):
        self.blocker = blocker
        self.media_root = media_root
        self.values: dict[str, Any] = {}
        self.atomic = None
        if enabled:
            with blocker.unblock():
                self.atomic = transaction.atomic()
                # As Django's TestCase marks its own: a durable atomic block inside still works.
                self.atomic._from_testcase = True
                self.atomic.__enter__()
            ModuleRows._open.append(self)

    @property
    def is_open(self) -> bool:
        return self.atomic is not None

    def build(self, name: str, make: Callable[[], Any]) -> Any:
        """Build ``name`` with ``make()`` in the module's transaction, under the tests' settings.

        Returns None when the rows are closed (a transactional test builds its own).
        """
        from netralitas import refcache, safecache

        if not self.is_open:
            return None
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
                self.values[name] = make()
            refcache.clear()
        return self.values[name]

    def copies(self) -> dict[str, Any]:
        """Deep copies of everything built so far, one set per test (objects shared within the set)."""
        return copy.deepcopy(self.values) if self.is_open else {}

    def close(self) -> None:
        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None
        ModuleRows._open.remove(self)

    @classmethod
    def close_all(cls) -> None:
        for rows in list(cls._open):
            rows.close()


def _caches_with_prefix(prefix: str) -> dict:
    from django.conf import settings

    return {alias: {**config, "KEY_PREFIX": prefix} for alias, config in settings.CACHES.items()}
