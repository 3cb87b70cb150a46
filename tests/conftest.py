"""Shared fixtures: reference data loaded once per test database, a cast of users per role (built once per module)."""

from __future__ import annotations

import os

import pytest

from tests.shared_rows import FAST_HASHERS, ModuleRows, uses_shared_rows

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


_SETTING_UP: dict = {"item": None}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Before any fixture: open or roll back the module's shared rows for this test (tests/shared_rows.py)."""
    _SETTING_UP["item"] = item
    ModuleRows.before(item)


@pytest.fixture(scope="module")
def module_rows(request, django_db_setup, django_db_blocker, tmp_path_factory):
    """The module's transaction for rows built once (tests/shared_rows.py)."""
    rows = ModuleRows(request.module.__name__, django_db_blocker, tmp_path_factory.mktemp("module-media"))
    if uses_shared_rows(_SETTING_UP["item"]):
        rows.open()
    yield rows
    rows.end()


@pytest.fixture
def module_copies(module_rows) -> dict:
    """This test's deep copies of the module's shared objects (empty when the rows are closed)."""
    return module_rows.copies()


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
def _celery_app_as_configured():
    """A test that leaves the Celery app's broker or eagerness pinned fails here; the app is given back."""
    from tests.celeryapp import celery_app, give_back, pinned

    app = celery_app()
    before = pinned(app)
    yield
    after = pinned(app)
    if after != before:
        give_back(app, before)
        pytest.fail(f"the test left the Celery app pinned: {after} (use tests.celeryapp.broker_at or eager)")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2's 1M iterations cost seconds per test user; tests need no real hashing strength."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


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
    """Load the reference data once into each worker's test database, and let PostgreSQL count it.

    Without ANALYZE the planner takes the freshly filled tables for empty: every lookup of an
    organisation by region joined 415 x 551 rows (20 ms instead of 0.2 ms).
    """
    from django.db import connection

    from netralitas.reference import load_reference

    with django_db_blocker.unblock():
        load_reference()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")


def ensure_reference_data() -> None:
    """Reload the reference data when a transactional test flushed it (idempotent)."""
    from netralitas.models import Region
    from netralitas.reference import load_reference

    if not Region.objects.exists():
        load_reference()


@pytest.fixture
def reference_data(db):
    """The reference data, reloaded when a transactional test flushed it (idempotent)."""
    ensure_reference_data()


def the_organisations() -> dict:
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
def organisations(reference_data):
    """The organisations the cast works in: Sleman (home) and Kota Yogyakarta (elsewhere)."""
    return the_organisations()


def new_staff(username, organisation, role, password="kata-sandi-uji-123"):
    """A staff user with that membership."""
    from django.contrib.auth import get_user_model

    from netralitas.services import set_membership

    user = get_user_model().objects.create_user(username=username, password=password)
    set_membership(user, organisation, role)
    return user


@pytest.fixture
def make_staff(django_user_model):
    """make_staff(username, organisation, role) -> a staff user with that membership."""
    return new_staff


def build_cast(o: dict, make=new_staff) -> dict:
    """One user per role (Healthchecks' alice/bob idea): every permission test is one login away."""
    from netralitas.enums import Role

    return {
        "operator_sleman": make("operator.sleman", o["pemda_sleman"], Role.OPERATOR),
        "satgas_sleman": make("satgas.sleman", o["pemda_sleman"], Role.SATGAS),
        "ppk_sleman": make("ppk.sleman", o["pemda_sleman"], Role.PPK),
        "operator_yogya": make("operator.yogya", o["pemda_yogya"], Role.OPERATOR),
        "bawaslu_sleman": make("bawaslu.sleman", o["bawaslu_sleman"], Role.BAWASLU),
        "bawaslu_diy": make("bawaslu.diy", o["bawaslu_diy"], Role.BAWASLU),
        "bawaslu_jateng": make("bawaslu.jateng", o["bawaslu_jateng"], Role.BAWASLU),
        "authority_bkn": make("rekomendasi.bkn", o["bkn"], Role.AUTHORITY),
        "wasdal_bkn": make("wasdal.bkn", o["bkn"], Role.BKN),
        "viewer": make("pemantau.kemendagri", o["kemendagri"], Role.NATIONAL_VIEWER),
        "admin": make("admin.portal", o["kemenpanrb"], Role.ADMIN),
    }


@pytest.fixture(scope="module")
def module_cast(module_rows):
    """The cast, built once per module (its eleven memberships each re-sync a role group: the slow part)."""

    def build():
        ensure_reference_data()
        return build_cast(the_organisations())

    return module_rows.build("cast", build)


@pytest.fixture
def cast(module_cast, module_copies, organisations, make_staff):
    """One user per role: the module's shared cast, or built for this test when it is transactional."""
    if "cast" in module_copies:
        return module_copies["cast"]
    return build_cast(organisations, make_staff)


@pytest.fixture
def celery_eager():
    """Run Celery tasks in-process for this test, whatever the broker setting; restored after."""
    from tests.celeryapp import eager

    with eager() as app:
        yield app
