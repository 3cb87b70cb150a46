from django.contrib.admin.views.decorators import staff_member_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from netralitas import selectors, workspace
from netralitas.health import check_broker, check_database


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    context = {"violation_groups": selectors.violation_catalogue_for_public()}
    return render(request, "netralitas/landing.html", context)


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database and broker state for load balancers; 503 when the database is down."""
    database = check_database()
    broker = check_broker()
    status = 200 if database["ok"] else 503
    return JsonResponse(
        {"status": "ok" if database["ok"] and broker["ok"] else "degraded", "database": database, "broker": broker},
        status=status,
    )


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
