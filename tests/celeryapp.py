"""Pointing the Celery app elsewhere for one test, and giving it back exactly as the settings configure it.

The app reads Django's settings live (``config_from_object``), so ``app.conf.broker_url`` *reads* the
setting; writing it pins a value in ``app.conf.changes`` that hides every later change of the setting.
Saving ``app.conf.broker_url`` and writing it back after a test therefore pins whatever the setting was
at that moment (a dead broker, once: stop 21's CI). These helpers take the pinned keys off again instead,
and drop kombu's pools, whose producers keep the address they were made for.
"""

from __future__ import annotations

import contextlib

PINNED = ("broker_url", "task_always_eager")


def celery_app():
    from netralitas.celery import app

    return app


def pinned(app) -> dict:
    """The keys of PINNED that are written on the app (not read from the settings), with their values."""
    return {key: app.conf.changes[key] for key in PINNED if key in app.conf.changes}


def fresh_connections(app) -> None:
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def give_back(app, before: dict) -> None:
    """The app's pinned keys as ``before`` (a ``pinned()``), its connections made anew."""
    for key in PINNED:
        if key in before:
            app.conf.changes[key] = before[key]
        else:
            app.conf.changes.pop(key, None)
    fresh_connections(app)


@contextlib.contextmanager
def broker_at(url: str):
    """The Celery app publishing to ``url`` (not eager), on connections made for it; then as configured."""
    app = celery_app()
    before = pinned(app)
    app.conf.task_always_eager, app.conf.broker_url = False, url
    fresh_connections(app)
    try:
        yield app
    finally:
        give_back(app, before)


@contextlib.contextmanager
def eager():
    """Celery tasks run in-process, whatever the broker setting; then as configured."""
    app = celery_app()
    before = pinned(app)
    app.conf.task_always_eager = True
    try:
        yield app
    finally:
        give_back(app, before)
