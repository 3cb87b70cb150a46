"""JSON for the report form's comboboxes: instansi and kabupaten/kota matching what the citizen typed.

GET /lapor/cari/instansi/?q=kemen  and  /lapor/cari/kabkota/?q=sle&provinsi=<id>
-> {"results": [{"id": 12, "name": "…", "detail": "…"}, …]}. Read from the process's index
(reports.lookups: no query on a warm worker), limited per client IP, cacheable for five minutes.
"""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.http import require_GET

from netralitas import ratelimit
from reports import lookups


def _answer(request: HttpRequest, index_name: str, group: int | None) -> JsonResponse:
    verdict = ratelimit.hit("instansi_search", ratelimit.client_ip(request))
    if not verdict.allowed:
        response = JsonResponse({"results": [], "error": "rate_limited"}, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    entries = lookups.search(index_name, request.GET.get("q", ""), group=group)
    response = JsonResponse(
        {"results": [{"id": entry.id, "name": entry.name, "detail": entry.detail} for entry in entries]}
    )
    response["Cache-Control"] = "public, max-age=300"
    return response


@require_GET
def instansi(request: HttpRequest) -> JsonResponse:
    return _answer(request, "instansi", None)


@require_GET
def kabkota(request: HttpRequest) -> JsonResponse:
    provinsi = request.GET.get("provinsi", "")
    return _answer(request, "kabkota", int(provinsi) if provinsi.isdigit() else None)


urlpatterns = [
    path("lapor/cari/instansi/", instansi, name="search_instansi"),
    path("lapor/cari/kabkota/", kabkota, name="search_kabkota"),
]
