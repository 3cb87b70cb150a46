"""Shared fixtures: reference data loaded once per test database, a cast of users per role."""

from __future__ import annotations

import os

import pytest

NEEDS_POSTGRES = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="DATABASE_URL tidak menunjuk PostgreSQL: tes ini butuh PostgreSQL sungguhan",
)
NEEDS_REDIS = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL tidak diisi: tes ini butuh Redis sungguhan"
)


def pytest_collection_modifyitems(config, items):
    """On CI (NETRALITAS_REQUIRE_SERVICES=1) a test may not skip for a missing server."""
    if os.environ.get("NETRALITAS_REQUIRE_SERVICES") != "1":
        return
    missing = []
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        missing.append("DATABASE_URL (PostgreSQL)")
    if not os.environ.get("REDIS_URL"):
        missing.append("REDIS_URL")
    if missing:
        raise pytest.UsageError(f"NETRALITAS_REQUIRE_SERVICES=1 but unset: {', '.join(missing)}")


@pytest.fixture(autouse=True)
def _reference_reads_uncached(settings):
    """Tests roll back rows without signals, so a process copy of reference data could outlive them."""
    from netralitas import refcache

    settings.NETRALITAS_REFERENCE_CACHE_SECONDS = 0
    refcache.clear()


@pytest.fixture(scope="session", autouse=True)
def _no_secret_in_any_log_line():
    """Every log record of the run (root and the security log) is checked for passwords, PINs, NIKs, identities."""
    import logging

    from tests.logwatch import SecretWatcher

    watcher = SecretWatcher()
    loggers = [logging.getLogger(), logging.getLogger("netralitas.security")]
    for logger in loggers:
        logger.addHandler(watcher)
    yield watcher
    for logger in loggers:
        logger.removeHandler(watcher)
    assert not watcher.leaks, "Secrets in log lines of this run:\n" + "\n".join(watcher.leaks[:20])


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """client.force_login(user) also passes the second factor (see tests/twofactor.py for the password-only login)."""
    from django.test import Client

    from tests.twofactor import force_login_verified

    monkeypatch.setattr(Client, "force_login", force_login_verified)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2's 1M iterations cost seconds per test user; tests need no real hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _cache_of_its_own(settings):
    """A fresh cache namespace per test: rate-limit counters never leak between tests or xdist workers.

    (Redis is shared by both workers, so clearing it would wipe the other worker's keys.)
    """
    import uuid

    from netralitas import safecache

    safecache.reset()  # an outage recorded by an earlier test must not outlive it
    settings.CACHES = {
        alias: {**config, "KEY_PREFIX": f"test-{uuid.uuid4().hex[:12]}"} for alias, config in settings.CACHES.items()
    }


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the reference data once into each worker's test database."""
    from netralitas.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()


@pytest.fixture
def reference_data(db):
    """The reference data, reloaded when a transactional test flushed it (idempotent)."""
    from netralitas.models import Region
    from netralitas.reference import load_reference

    if not Region.objects.exists():
        load_reference()


@pytest.fixture
def organisations(reference_data):
    """The organisations the cast works in: Sleman (home) and Kota Yogyakarta (elsewhere)."""
    from netralitas.enums import OrganisationKind as K
    from netralitas.models import Organisation

    def get(kind, region=None):
        qs = Organisation.objects.filter(kind=kind)
        return qs.get(region__name=region) if region else qs.get()

    return {
        "pemda_sleman": get(K.PEMDA_KABUPATEN, "Kabupaten Sleman"),
        "pemda_yogya": get(K.PEMDA_KOTA, "Kota Yogyakarta"),
        "pemda_diy": get(K.PEMDA_PROVINSI, "Daerah Istimewa Yogyakarta"),
        "bawaslu_sleman": get(K.BAWASLU_KABKOTA, "Kabupaten Sleman"),
        "bawaslu_yogya": get(K.BAWASLU_KABKOTA, "Kota Yogyakarta"),
        "bawaslu_diy": get(K.BAWASLU_PROVINSI, "Daerah Istimewa Yogyakarta"),
        "bawaslu_jateng": get(K.BAWASLU_PROVINSI, "Jawa Tengah"),
        "bkn": get(K.BKN),
        "kasn": get(K.KASN),
        "kemendagri": get(K.KEMENDAGRI),
        "kemenpanrb": get(K.KEMENPANRB),
    }


@pytest.fixture
def make_staff(django_user_model):
    """make_staff(username, organisation, role) -> a staff user with that membership."""
    from netralitas.services import set_membership

    def make(username, organisation, role, password="kata-sandi-uji-123"):
        user = django_user_model.objects.create_user(username=username, password=password)
        set_membership(user, organisation, role)
        return user

    return make


@pytest.fixture
def cast(organisations, make_staff):
    """One user per role (Healthchecks' alice/bob idea): every permission test is one login away."""
    from netralitas.enums import Role

    o = organisations
    return {
        "operator_sleman": make_staff("operator.sleman", o["pemda_sleman"], Role.OPERATOR),
        "satgas_sleman": make_staff("satgas.sleman", o["pemda_sleman"], Role.SATGAS),
        "ppk_sleman": make_staff("ppk.sleman", o["pemda_sleman"], Role.PPK),
        "operator_yogya": make_staff("operator.yogya", o["pemda_yogya"], Role.OPERATOR),
        "bawaslu_sleman": make_staff("bawaslu.sleman", o["bawaslu_sleman"], Role.BAWASLU),
        "bawaslu_diy": make_staff("bawaslu.diy", o["bawaslu_diy"], Role.BAWASLU),
        "bawaslu_jateng": make_staff("bawaslu.jateng", o["bawaslu_jateng"], Role.BAWASLU),
        "authority_bkn": make_staff("rekomendasi.bkn", o["bkn"], Role.AUTHORITY),
        "wasdal_bkn": make_staff("wasdal.bkn", o["bkn"], Role.BKN),
        "viewer": make_staff("pemantau.kemendagri", o["kemendagri"], Role.NATIONAL_VIEWER),
        "admin": make_staff("admin.portal", o["kemenpanrb"], Role.ADMIN),
    }


@pytest.fixture
def celery_eager():
    """Run Celery tasks in-process for this test, whatever the broker setting; restored after."""
    from netralitas.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield app
    app.conf.task_always_eager = saved
