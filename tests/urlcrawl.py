"""Every URL pattern of the URLconf, and a concrete URL to request for each: the crawling tests' map.

Routes taking an object use the IDOR world's objects (tests/test_idor.py MATRIX) or, for reference
data, a row of the model named in the admin route; so a crawl asks for real pages, not 404s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.apps import apps
from django.urls import URLResolver, get_resolver

# Pages for citizens: no account, no second factor, the same for everybody.
PUBLIC_ROUTES = frozenset(
    {
        "",
        "healthz",
        "i18n/setlang/",
        "lapor/",
        "lapor/tanda-terima/",
        "lapor/tanda-terima.pdf",
        "lapor/tanda-terima/selesai/",
        "lapor/cari/instansi/",
        "lapor/cari/kabkota/",
        "status/",
        "status/laporan/",
        "status/laporan/lengkapi/",
        "status/laporan/cabut/",
        "status/keluar/",
        "status/laporan/jawab/",
        "statistik/",
        "statistik/statistik.csv",
        "statistik/statistik.xlsx",
    }
)
# The reporter's own pages (tracking code + PIN): never stored by a browser or a proxy.
REPORTER_ROUTES = frozenset(
    {
        "lapor/tanda-terima/",
        "lapor/tanda-terima.pdf",
        "status/laporan/",
        "status/laporan/lengkapi/",
        "status/laporan/cabut/",
        "status/laporan/jawab/",
        "lapor/tanda-terima/selesai/",
    }
)
# The sign-in itself: reachable after the password, before the second factor.
SIGN_IN_ROUTES = frozenset({"admin/login/", "admin/logout/", "masuk/kode/", "masuk/aktifkan/"})


def routes() -> list[str]:
    """Every route of the URLconf with its prefixes, e.g. ``sanksi/perkara/<int:pk>/``."""

    def walk(patterns, prefix: str) -> Iterator[str]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    return sorted(set(walk(get_resolver().url_patterns, "")))


def staff_routes() -> list[str]:
    return [route for route in routes() if route not in PUBLIC_ROUTES and route not in SIGN_IN_ROUTES]


_ADMIN_OBJECT = re.compile(r"^admin/(?P<app>\w+)/(?P<model>\w+)/<path:object_id>/")


def urls_for(route: str, world: dict | None = None) -> list[str]:
    """Concrete GET URLs for ``route``: the IDOR world's objects where it has them, else a real row."""
    from tests.test_idor import MATRIX

    if world is not None and route in MATRIX:
        return [url for method, url in MATRIX[route].urls(world) if method == "get"] or [
            url for _method, url in MATRIX[route].urls(world)
        ]
    if route == "admin/(?P<url>.*)$":
        return ["/admin/tidak-ada/"]
    if route.startswith("admin/^(?P<app_label>"):
        label = re.search(r"\(\?P<app_label>([\w|]+)\)", route)[1].split("|")[0]
        return [f"/admin/{label}/"]
    url = route
    match = _ADMIN_OBJECT.match(route)
    if match:
        model = apps.get_model(match["app"], match["model"])
        row = model.objects.order_by("pk").first()
        url = url.replace("<path:object_id>", str(row.pk if row else 1))
    url = re.sub(r"<(?:int:|path:|slug:)?\w+>", "1", url)
    return ["/" + url.lstrip("^").rstrip("$")]
