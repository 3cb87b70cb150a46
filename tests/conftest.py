"""Shared fixtures: reference data loaded once per test database, a cast of users per role."""

import os

import pytest

NEEDS_POSTGRES = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="DATABASE_URL tidak menunjuk PostgreSQL: tes ini butuh kunci baris PostgreSQL",
)
NEEDS_REDIS = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="REDIS_URL tidak diisi: tes ini butuh Redis sungguhan"
)
