from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from netralitas import selectors, workspace
from netralitas.health import check_broker, check_cache, check_database, check_storage


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    context = {"violation_groups": selectors.violation_catalogue_for_public()}
    return render(request, "netralitas/landing.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Each dependency on its own; 503 only when a citizen's submission would fail (database or storage).

    The cache (rate limits, anti-bot, session reads) and the broker (e-mail delivery) may be down:
    submissions fall back to process memory and the outbox, so the site still answers 200, "degraded".
    """
    checks = {
        "database": check_database(),
        "cache": check_cache(),
        "broker": check_broker(),
        "storage": check_storage(),
    }
    submissions = checks["database"]["ok"] and checks["storage"]["ok"]
    everything = all(check["ok"] for check in checks.values())
    status = "ok" if everything else ("degraded" if submissions else "down")
    return JsonResponse({"status": status, "submissions": submissions, **checks}, status=200 if submissions else 503)


@require_GET
@staff_member_required
def workspace_page(request: HttpRequest) -> HttpResponse:
    """Meja kerja: the queues of work waiting on the signed-in staff member."""
    queues = workspace.queues_for(request.user)
    context = {
        "queues": queues,
        "total": sum(result.count for _queue, result in queues),
        "nav": "workspace",
    }
    return render(request, "netralitas/workspace.html", context)
